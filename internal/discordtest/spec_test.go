package discordtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// The cases below break only Discord's OpenAPI spec, not the fake's
// hand-written rules, so a rejection here is the spec check's doing.

func TestOpenAPIRejectsInteractionCallbacks(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	button := func(style any) obj {
		return obj{"type": 4, "data": obj{"content": "Done?", "components": arr{row(obj{"type": 2, "style": style, "label": "Yes", "custom_id": "y"})}}}
	}
	selectMenu := func(option obj) obj {
		return obj{"type": 4, "data": obj{"content": "Area?", "components": arr{row(obj{"type": 3, "custom_id": "area", "options": arr{option}})}}}
	}
	cases := []struct {
		name    string
		body    obj
		errorAt string // "" for a valid body
	}{
		{"tts is a boolean", obj{"type": 4, "data": obj{"content": "hi", "tts": true}}, ""},
		{"tts as a string", obj{"type": 4, "data": obj{"content": "hi", "tts": "yes"}}, "data.tts"},
		{"flags as a word", obj{"type": 4, "data": obj{"content": "hi", "flags": "ephemeral"}}, "data.flags"},
		{"known allowed_mentions parse", obj{"type": 4, "data": obj{"content": "hi", "allowed_mentions": obj{"parse": arr{"users"}}}}, ""},
		{"unknown allowed_mentions parse", obj{"type": 4, "data": obj{"content": "hi", "allowed_mentions": obj{"parse": arr{"nobody"}}}}, "data.allowed_mentions.parse.0"},
		{"embed colour is a number", obj{"type": 4, "data": obj{"embeds": arr{obj{"title": "t", "color": 0x57F287}}}}, ""},
		{"embed colour as a name", obj{"type": 4, "data": obj{"embeds": arr{obj{"title": "t", "color": "green"}}}}, "data.embeds.0.color"},
		{"button style as a string", button("primary"), "data.components.0.components.0.style"},
		{"button style 1", button(1), ""},
		{"select option with label and value", selectMenu(obj{"label": "Back", "value": "back"}), ""},
		{"select option without value", selectMenu(obj{"label": "Back"}), "data.components.0.components.0.options.0.value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InGuild(guildOn0, channel, alice), Command: "stretch"})
			tok := f.InteractionToken(id)
			cb := "/interactions/" + id + "/" + tok + "/callback"
			status, body := do(t, f, "POST", cb, tc.body, "")
			if tc.errorAt == "" {
				if status != 204 {
					t.Fatalf("valid body refused: %d %v", status, body)
				}
				return
			}
			if status != 400 || fmt.Sprint(body["code"]) != "50035" || body["message"] != "Invalid Form Body" || !errorAt(body, tc.errorAt) {
				t.Fatalf("got %d %v, want 400/50035 with an error at %q", status, body, tc.errorAt)
			}
			// A refused response does not count as the answer.
			if status, body := do(t, f, "POST", cb, obj{"type": 4, "data": obj{"content": "hi"}}, ""); status != 204 {
				t.Fatalf("answer after a refused one: %d %v", status, body)
			}
		})
	}
	want := 0
	for _, tc := range cases {
		if tc.errorAt != "" {
			want++
		}
	}
	errs := f.ValidationErrors()
	if len(errs) != want {
		t.Fatalf("ValidationErrors() = %v, want %d", errs, want)
	}
	for _, e := range errs {
		if !strings.Contains(e.String(), "openapi: ") {
			t.Errorf("rejection without the validator's message: %v", e)
		}
	}
}

func TestOpenAPIRejectsParametersAndCommands(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	auth := "Bot " + f.Token()
	commands := "/applications/" + f.AppID() + "/commands"
	perms := func(p any) arr {
		c := cmd("stretch", "Stretch")
		c["default_member_permissions"] = p
		return arr{c}
	}
	cases := []struct {
		name, method, path string
		body               any
		status             int
		errorAt            string
	}{
		{"snowflake channel id", "POST", "/channels/31/messages", obj{"content": "hi"}, 200, ""},
		{"channel id not a snowflake", "POST", "/channels/general/messages", obj{"content": "hi"}, 400, "channel_id"},
		{"command contexts", "PUT", commands, arr{obj{"name": "stretch", "description": "s", "contexts": arr{0, 1}}}, 200, ""},
		{"unknown command context", "PUT", commands, arr{obj{"name": "stretch", "description": "s", "contexts": arr{7}}}, 400, "0.contexts.0"},
		{"option type as a string", "PUT", commands, arr{cmd("stretch", "s", obj{"type": "4", "name": "minutes", "description": "d"})}, 400, "0.options.0.type"},
		// Allowances (see allowances in openapi.go), and where they stop.
		{"permissions as an integer", "PUT", commands, perms(32), 200, ""},
		{"permissions as a decimal string", "PUT", commands, perms("32"), 200, ""},
		{"permissions as another string", "PUT", commands, perms("manage"), 400, "0.default_member_permissions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, f, tc.method, tc.path, tc.body, auth)
			if status != tc.status {
				t.Fatalf("status = %d, want %d; body %v", status, tc.status, body)
			}
			if tc.errorAt != "" && (fmt.Sprint(body["code"]) != "50035" || !errorAt(body, tc.errorAt)) {
				t.Fatalf("want 50035 with an error at %q, got %v", tc.errorAt, body)
			}
		})
	}

	t.Run("query parameters", func(t *testing.T) {
		id := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InDM(alice), Command: "stretch"})
		tok := f.InteractionToken(id)
		if status, body := do(t, f, "POST", "/interactions/"+id+"/"+tok+"/callback", obj{"type": 5}, ""); status != 204 {
			t.Fatalf("defer: %d %v", status, body)
		}
		wh := "/webhooks/" + f.AppID() + "/" + tok
		if status, body := do(t, f, "POST", wh+"?wait=maybe", obj{"content": "more"}, ""); status != 400 || !errorAt(body, "wait") {
			t.Fatalf("wait=maybe: %d %v", status, body)
		}
		if status, body := do(t, f, "POST", wh+"?wait=true", obj{"content": "more"}, ""); status != 200 {
			t.Fatalf("wait=true: %d %v", status, body)
		}
		if status, body := do(t, f, "PATCH", wh+"/messages/@original", obj{"content": "done"}, ""); status != 200 {
			t.Fatalf("@original: %d %v", status, body)
		}
		if status, body := do(t, f, "PATCH", wh+"/messages/@latest", obj{"content": "done"}, ""); status != 400 || !errorAt(body, "message_id") {
			t.Fatalf("@latest: %d %v", status, body)
		}
	})
}

// multipartRequest sends payload as payload_json with one file, as
// discordgo does for messages with files.
func multipartRequest(t *testing.T, f *discordtest.Fake, method, path string, payload any) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	pj, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	if err := mw.WriteField("payload_json", string(pj)); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("files[0]", "chart.png")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte("PNG..."))
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, f.URL()+"/api/v9"+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bot "+f.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func TestOpenAPIChecksPayloadJSON(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	withAttachment := func(id any) obj {
		return obj{"content": "your chart", "attachments": arr{obj{"id": id, "filename": "chart.png", "description": "Minutes per day"}}}
	}
	cases := []struct {
		name    string
		payload obj
		errorAt string
	}{
		{"valid", obj{"content": "your chart"}, ""},
		{"tts as a string", obj{"content": "your chart", "tts": "yes"}, "tts"},
		{"attachment id as a snowflake", withAttachment("0"), ""},
		// Allowed: Discord's docs number new uploads by their files[n].
		{"attachment id as the upload index", withAttachment(0), ""},
		{"attachment id past the last upload part", withAttachment(10), "attachments.0.id"},
		{"attachment id as a word", withAttachment("chart"), "attachments.0.id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := multipartRequest(t, f, "POST", "/channels/31/messages", tc.payload)
			if tc.errorAt == "" {
				if status != 200 {
					t.Fatalf("valid payload refused: %d %v", status, body)
				}
				return
			}
			if status != 400 || fmt.Sprint(body["code"]) != "50035" || !errorAt(body, tc.errorAt) {
				t.Fatalf("got %d %v, want 400/50035 with an error at %q", status, body, tc.errorAt)
			}
		})
	}
	if got := len(f.ValidationErrors()); got != 3 {
		t.Fatalf("ValidationErrors() = %v, want 3", f.ValidationErrors())
	}
}
