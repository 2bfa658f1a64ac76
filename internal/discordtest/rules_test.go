package discordtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// do sends a raw REST request to the fake and decodes the error body.
func do(t *testing.T, f *discordtest.Fake, method, path string, body any, auth string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.URL()+"/api/v9"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
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

type obj = map[string]any
type arr = []any

func repeat(n int) string { return strings.Repeat("x", n) }

func embeds(n int) arr {
	out := arr{}
	for i := 0; i < n; i++ {
		out = append(out, obj{"title": "t"})
	}
	return out
}

func fields(n int) arr {
	out := arr{}
	for i := 0; i < n; i++ {
		out = append(out, obj{"name": "n", "value": "v"})
	}
	return out
}

func buttons(n int) arr {
	out := arr{}
	for i := 0; i < n; i++ {
		out = append(out, obj{"type": 2, "style": 1, "label": "b", "custom_id": fmt.Sprint("b", i)})
	}
	return out
}

func rows(n int) arr {
	out := arr{}
	for i := 0; i < n; i++ {
		out = append(out, obj{"type": 1, "components": arr{obj{"type": 2, "style": 1, "label": "b", "custom_id": fmt.Sprint("r", i)}}})
	}
	return out
}

func row(cs ...obj) obj {
	a := arr{}
	for _, c := range cs {
		a = append(a, c)
	}
	return obj{"type": 1, "components": a}
}

// errorAt reports whether Discord's nested error tree has _errors at path.
func errorAt(body map[string]any, path string) bool {
	node, _ := body["errors"].(map[string]any)
	if path != "" {
		for _, p := range strings.Split(path, ".") {
			node, _ = node[p].(map[string]any)
		}
	}
	_, ok := node["_errors"]
	return ok
}

func TestMessageLimits(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	f.DisableRateLimits()
	auth := "Bot " + f.Token()
	cases := []struct {
		name    string
		body    any
		status  int
		code    int
		errorAt string // path in the Invalid Form Body tree
	}{
		{"content at limit", obj{"content": repeat(2000)}, 200, 0, ""},
		{"content over limit", obj{"content": repeat(2001)}, 400, 50035, "content"},
		{"content counts characters not bytes", obj{"content": strings.Repeat("é", 2000)}, 200, 0, ""},
		{"empty message", obj{"content": ""}, 400, 50006, ""},
		{"nothing at all", obj{}, 400, 50006, ""},
		{"embed only", obj{"embeds": arr{obj{"title": "hi"}}}, 200, 0, ""},
		{"title 256", obj{"embeds": arr{obj{"title": repeat(256)}}}, 200, 0, ""},
		{"title 257", obj{"embeds": arr{obj{"title": repeat(257)}}}, 400, 50035, "embeds.0.title"},
		{"description 4097", obj{"embeds": arr{obj{"description": repeat(4097)}}}, 400, 50035, "embeds.0.description"},
		{"25 fields", obj{"embeds": arr{obj{"fields": fields(25)}}}, 200, 0, ""},
		{"26 fields", obj{"embeds": arr{obj{"fields": fields(26)}}}, 400, 50035, "embeds.0.fields"},
		{"field name 257", obj{"embeds": arr{obj{"fields": arr{obj{"name": repeat(257), "value": "v"}}}}}, 400, 50035, "embeds.0.fields.0.name"},
		{"field value 1025", obj{"embeds": arr{obj{"fields": arr{obj{"name": "n", "value": repeat(1025)}}}}}, 400, 50035, "embeds.0.fields.0.value"},
		{"footer 2049", obj{"embeds": arr{obj{"footer": obj{"text": repeat(2049)}}}}, 400, 50035, "embeds.0.footer.text"},
		{"author 257", obj{"embeds": arr{obj{"author": obj{"name": repeat(257)}}}}, 400, 50035, "embeds.0.author.name"},
		{"embed total 6000", obj{"embeds": arr{obj{"description": repeat(4000)}, obj{"description": repeat(2000)}}}, 200, 0, ""},
		{"embed total 6001", obj{"embeds": arr{obj{"description": repeat(4000)}, obj{"description": repeat(2000), "title": "x"}}}, 400, 50035, "embeds"},
		{"10 embeds", obj{"embeds": embeds(10)}, 200, 0, ""},
		{"11 embeds", obj{"embeds": embeds(11)}, 400, 50035, "embeds"},
		{"5 rows", obj{"components": rows(5)}, 200, 0, ""},
		{"6 rows", obj{"components": rows(6)}, 400, 50035, "components"},
		{"5 buttons", obj{"components": arr{obj{"type": 1, "components": buttons(5)}}}, 200, 0, ""},
		{"6 buttons", obj{"components": arr{obj{"type": 1, "components": buttons(6)}}}, 400, 50035, "components.0.components"},
		{"button without custom_id", obj{"components": arr{row(obj{"type": 2, "style": 1, "label": "b"})}}, 400, 50035, "components.0.components.0.custom_id"},
		{"custom_id 100", obj{"components": arr{row(obj{"type": 2, "style": 1, "custom_id": repeat(100)})}}, 200, 0, ""},
		{"custom_id 101", obj{"components": arr{row(obj{"type": 2, "style": 1, "custom_id": repeat(101)})}}, 400, 50035, "components.0.components.0.custom_id"},
		{"custom_id repeated", obj{"components": arr{row(obj{"type": 2, "style": 1, "custom_id": "a"}), row(obj{"type": 2, "style": 2, "custom_id": "a"})}}, 400, 50035, "components.1.components.0.custom_id"},
		{"label 81", obj{"components": arr{row(obj{"type": 2, "style": 1, "custom_id": "a", "label": repeat(81)})}}, 400, 50035, "components.0.components.0.label"},
		{"link button", obj{"components": arr{row(obj{"type": 2, "style": 5, "label": "docs", "url": "https://example.com"})}}, 200, 0, ""},
		{"link without url", obj{"components": arr{row(obj{"type": 2, "style": 5, "label": "docs"})}}, 400, 50035, "components.0.components.0.url"},
		{"link with custom_id", obj{"components": arr{row(obj{"type": 2, "style": 5, "url": "https://example.com", "custom_id": "a"})}}, 400, 50035, "components.0.components.0.custom_id"},
		{"invalid style", obj{"components": arr{row(obj{"type": 2, "style": 9, "custom_id": "a"})}}, 400, 50035, "components.0.components.0.style"},
		{"button outside a row", obj{"components": arr{obj{"type": 2, "style": 1, "custom_id": "a"}}}, 400, 50035, "components.0.type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, f, "POST", "/channels/"+channel+"/messages", tc.body, auth)
			if status != tc.status {
				t.Fatalf("status = %d, want %d; body %v", status, tc.status, body)
			}
			if tc.code != 0 && fmt.Sprint(body["code"]) != fmt.Sprint(tc.code) {
				t.Fatalf("code = %v, want %d; body %v", body["code"], tc.code, body)
			}
			if tc.errorAt != "" && !errorAt(body, tc.errorAt) {
				t.Fatalf("no error at %q: %v", tc.errorAt, body)
			}
		})
	}
	var rejected int
	for _, tc := range cases {
		if tc.status != 200 {
			rejected++
		}
	}
	if got := len(f.ValidationErrors()); got != rejected {
		t.Fatalf("ValidationErrors() has %d entries, want %d", got, rejected)
	}
}

func cmd(name, desc string, opts ...obj) obj {
	o := arr{}
	for _, x := range opts {
		o = append(o, x)
	}
	return obj{"name": name, "description": desc, "options": o}
}

func opt(typ int, name string, required bool) obj {
	return obj{"type": typ, "name": name, "description": "d", "required": required}
}

func TestCommandLimits(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	auth := "Bot " + f.Token()
	many := func(n int, mk func(i int) obj) arr {
		out := arr{}
		for i := 0; i < n; i++ {
			out = append(out, mk(i))
		}
		return out
	}
	optList := func(n int) []obj {
		var out []obj
		for i := 0; i < n; i++ {
			out = append(out, opt(3, fmt.Sprint("o", i), false))
		}
		return out
	}
	choices := func(n int) obj {
		o := opt(3, "pick", false)
		o["choices"] = many(n, func(i int) obj { return obj{"name": fmt.Sprint("c", i), "value": fmt.Sprint(i)} })
		return o
	}
	cases := []struct {
		name    string
		body    any
		status  int
		errorAt string
	}{
		{"valid", arr{cmd("stretch", "Stretch", opt(4, "minutes", true), opt(3, "area", false))}, 200, ""},
		{"unicode name", arr{cmd("étirer-2", "Stretch")}, 200, ""},
		{"uppercase name", arr{cmd("Stretch", "Stretch")}, 400, "0.name"},
		{"space in name", arr{cmd("my stretch", "Stretch")}, 400, "0.name"},
		{"name 33", arr{cmd(repeat(33), "Stretch")}, 400, "0.name"},
		{"empty description", arr{cmd("stretch", "")}, 400, "0.description"},
		{"description 101", arr{cmd("stretch", repeat(101))}, 400, "0.description"},
		{"option description empty", arr{cmd("stretch", "s", obj{"type": 3, "name": "a", "description": ""})}, 400, "0.options.0.description"},
		{"25 options", arr{cmd("stretch", "s", optList(25)...)}, 200, ""},
		{"26 options", arr{cmd("stretch", "s", optList(26)...)}, 400, "0.options"},
		{"25 choices", arr{cmd("stretch", "s", choices(25))}, 200, ""},
		{"26 choices", arr{cmd("stretch", "s", choices(26))}, 400, "0.options.0.choices"},
		{"required after optional", arr{cmd("stretch", "s", opt(3, "a", false), opt(3, "b", true))}, 400, "0.options.1.required"},
		{"duplicate option", arr{cmd("stretch", "s", opt(3, "a", false), opt(4, "a", false))}, 400, "0.options.1.name"},
		{"subcommand group", arr{cmd("stretch", "s", obj{"type": 2, "name": "plan", "description": "d", "options": arr{obj{"type": 1, "name": "show", "description": "d", "options": arr{opt(3, "when", true)}}}})}, 200, ""},
		{"bad option in subcommand", arr{cmd("stretch", "s", obj{"type": 1, "name": "start", "description": "d", "options": arr{opt(3, "Bad", false)}})}, 400, "0.options.0.options.0.name"},
		{"user command", arr{obj{"type": 2, "name": "Check In", "description": ""}}, 200, ""},
		{"duplicate commands", arr{cmd("stretch", "a"), cmd("stretch", "b")}, 400, "1.name"},
		{"100 commands", many(100, func(i int) obj { return cmd(fmt.Sprint("c", i), "d") }), 200, ""},
		{"101 commands", many(101, func(i int) obj { return cmd(fmt.Sprint("c", i), "d") }), 400, ""},
		{"localized", arr{localized(cmd("stretch", "Stretch", localized(opt(3, "zeit", false), "de", "zeit", "Wann")), "de", "dehnen", "Dehnen")}, 200, ""},
		{"localized es-419 and pt-BR", arr{localized(localized(cmd("stretch", "s"), "es-419", "estirar", "Estirar"), "pt-BR", "alongar", "Alongar")}, 200, ""},
		{"localization with a locale Discord lacks", arr{localized(cmd("stretch", "s"), "de-DE", "dehnen", "Dehnen")}, 400, "0.name_localizations.de-DE"},
		{"localized name uppercase", arr{localized(cmd("stretch", "s"), "de", "Dehnen", "Dehnen")}, 400, "0.name_localizations.de"},
		{"localized description 101", arr{localized(cmd("stretch", "s"), "fr", "etirer", repeat(101))}, 400, "0.description_localizations.fr"},
		{"localized option name with a space", arr{cmd("stretch", "s", localized(opt(3, "when", false), "fr", "quand donc", "Quand"))}, 400, "0.options.0.name_localizations.fr"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []string{"/applications/" + f.AppID() + "/commands", "/applications/" + f.AppID() + "/guilds/" + guildOn0 + "/commands"} {
				status, body := do(t, f, "PUT", p, tc.body, auth)
				if status != tc.status {
					t.Fatalf("%s: status = %d, want %d; body %v", p, status, tc.status, body)
				}
				if tc.status == 400 && (fmt.Sprint(body["code"]) != "50035" || !errorAt(body, tc.errorAt)) {
					t.Fatalf("%s: want 50035 with error at %q, got %v", p, tc.errorAt, body)
				}
			}
		})
	}
}

// localized adds a name and a description localization for locale to a
// command or option.
func localized(o obj, locale, name, desc string) obj {
	names, _ := o["name_localizations"].(obj)
	descs, _ := o["description_localizations"].(obj)
	if names == nil {
		names, descs = obj{}, obj{}
	}
	names[locale], descs[locale] = name, desc
	o["name_localizations"], o["description_localizations"] = names, descs
	return o
}

func TestInteractionCallbacks(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	// No session connects: the events wait for a READY that never comes,
	// which does not matter to the REST side.
	slash := func() (string, string) {
		id := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InGuild(guildOn0, channel, alice), Command: "stretch"})
		return id, f.InteractionToken(id)
	}
	callback := func(id, tok string, body any) (int, map[string]any) {
		return do(t, f, "POST", "/interactions/"+id+"/"+tok+"/callback", body, "")
	}
	cases := []struct {
		name    string
		body    any
		status  int
		code    int
		errorAt string
	}{
		{"channel message", obj{"type": 4, "data": obj{"content": "hi", "flags": 64}}, 204, 0, ""},
		{"deferred", obj{"type": 5, "data": obj{"flags": 64}}, 204, 0, ""},
		{"modal", obj{"type": 9, "data": obj{"custom_id": "m", "title": "Check in", "components": arr{row(obj{"type": 4, "custom_id": "t", "style": 1, "label": "Pain"})}}}, 204, 0, ""},
		{"empty message", obj{"type": 4, "data": obj{}}, 400, 50006, ""},
		{"content too long", obj{"type": 4, "data": obj{"content": repeat(2001)}}, 400, 50035, "data.content"},
		{"update on a command", obj{"type": 7, "data": obj{"content": "x"}}, 400, 50035, "type"},
		{"autocomplete result on a command", obj{"type": 8, "data": obj{"choices": arr{}}}, 400, 50035, "type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, tok := slash()
			status, body := callback(id, tok, tc.body)
			if status != tc.status || (tc.code != 0 && fmt.Sprint(body["code"]) != fmt.Sprint(tc.code)) {
				t.Fatalf("got %d %v, want %d code %d", status, body, tc.status, tc.code)
			}
			if tc.errorAt != "" && !errorAt(body, tc.errorAt) {
				t.Fatalf("no error at %q: %v", tc.errorAt, body)
			}
		})
	}

	t.Run("wrong token", func(t *testing.T) {
		id, _ := slash()
		if status, body := callback(id, "nope", obj{"type": 5}); status != 404 || fmt.Sprint(body["code"]) != "10062" {
			t.Fatalf("got %d %v", status, body)
		}
	})
	t.Run("followup before acknowledging", func(t *testing.T) {
		_, tok := slash()
		if status, body := do(t, f, "POST", "/webhooks/"+f.AppID()+"/"+tok, obj{"content": "x"}, ""); status != 404 || fmt.Sprint(body["code"]) != "10015" {
			t.Fatalf("got %d %v", status, body)
		}
	})
	t.Run("deferred then edit original then followup edit and delete", func(t *testing.T) {
		id, tok := slash()
		if status, body := callback(id, tok, obj{"type": 5, "data": obj{"flags": 64}}); status != 204 {
			t.Fatalf("defer: %d %v", status, body)
		}
		wh := "/webhooks/" + f.AppID() + "/" + tok
		if status, body := do(t, f, "PATCH", wh+"/messages/@original", obj{"content": "done"}, ""); status != 200 || body["content"] != "done" {
			t.Fatalf("edit original: %d %v", status, body)
		}
		status, body := do(t, f, "POST", wh+"?wait=true", obj{"content": "more"}, "")
		if status != 200 {
			t.Fatalf("followup: %d %v", status, body)
		}
		mid, _ := body["id"].(string)
		if status, body := do(t, f, "PATCH", wh+"/messages/"+mid, obj{"embeds": embeds(11)}, ""); status != 400 || !errorAt(body, "embeds") {
			t.Fatalf("invalid followup edit: %d %v", status, body)
		}
		if status, _ := do(t, f, "DELETE", wh+"/messages/"+mid, nil, ""); status != 204 {
			t.Fatalf("delete followup: %d", status)
		}
		if status, body := do(t, f, "PATCH", wh+"/messages/"+mid, obj{"content": "x"}, ""); status != 404 || fmt.Sprint(body["code"]) != "10008" {
			t.Fatalf("edit deleted followup: %d %v", status, body)
		}
		orig, ok := f.Original(id)
		if !ok || orig.Content != "done" || !orig.Ephemeral() {
			t.Fatalf("original = %+v %v", orig, ok)
		}
		var kinds []discordtest.ReplyKind
		for _, r := range f.Responses(id) {
			kinds = append(kinds, r.Kind)
		}
		want := []discordtest.ReplyKind{discordtest.KindCallback, discordtest.KindEditOriginal, discordtest.KindFollowup, discordtest.KindDeleteFollowup}
		if fmt.Sprint(kinds) != fmt.Sprint(want) {
			t.Fatalf("kinds = %v, want %v", kinds, want)
		}
	})
	t.Run("button click update and autocomplete", func(t *testing.T) {
		_, body := do(t, f, "POST", "/channels/"+channel+"/messages", obj{"content": "Done today?", "components": arr{row(obj{"type": 2, "style": 3, "label": "Yes", "custom_id": "done:yes"})}}, "Bot "+f.Token())
		mid, _ := body["id"].(string)
		id := f.Click(discordtest.Click{Origin: discordtest.InGuild(guildOn0, "", alice), MessageID: mid, CustomID: "done:yes"})
		tok := f.InteractionToken(id)
		if status, body := callback(id, tok, obj{"type": 7, "data": obj{"content": "Well done!", "components": arr{}}}); status != 204 {
			t.Fatalf("update: %d %v", status, body)
		}
		if msgs := f.Messages(channel); msgs[len(msgs)-1].Content != "Well done!" {
			t.Fatalf("message after update = %+v", msgs[len(msgs)-1])
		}
		ac := f.Autocomplete(discordtest.Invocation{Origin: discordtest.InDM(alice), Command: "stretch", Options: []discordtest.Option{{Name: "area", Value: "ba", Focused: true}}})
		atok := f.InteractionToken(ac)
		if status, body := callback(ac, atok, obj{"type": 8, "data": obj{"choices": many26()}}); status != 400 || !errorAt(body, "data.choices") {
			t.Fatalf("26 choices: %d %v", status, body)
		}
		if status, body := callback(ac, atok, obj{"type": 8, "data": obj{"choices": arr{obj{"name": "Back", "value": "back"}}}}); status != 204 {
			t.Fatalf("choices: %d %v", status, body)
		}
		if r, ok := f.Response(ac); !ok || r.Type != 8 || len(r.Choices) != 1 || r.Choices[0].Value != "back" {
			t.Fatalf("autocomplete response = %+v", r)
		}
	})
}

func many26() arr {
	out := arr{}
	for i := 0; i < 26; i++ {
		out = append(out, obj{"name": fmt.Sprint(i), "value": fmt.Sprint(i)})
	}
	return out
}

func TestAuthAndDMs(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	for _, auth := range []string{"", f.Token(), "Bot wrong", "Bearer " + f.Token()} {
		status, body := do(t, f, "GET", "/users/@me", nil, auth)
		if status != 401 || body["message"] != "401: Unauthorized" || fmt.Sprint(body["code"]) != "0" {
			t.Fatalf("auth %q: %d %v", auth, status, body)
		}
	}
	auth := "Bot " + f.Token()
	if status, body := do(t, f, "GET", "/users/@me", nil, auth); status != 200 || body["id"] != f.AppID() {
		t.Fatalf("users/@me: %d %v", status, body)
	}
	if status, _ := do(t, f, "GET", "/nope", nil, auth); status != 404 {
		t.Fatalf("unknown route: %d", status)
	}
	status, ch := do(t, f, "POST", "/users/@me/channels", obj{"recipient_id": alice.ID}, auth)
	dm, _ := ch["id"].(string)
	if status != 200 || dm != f.DMChannel(alice.ID) {
		t.Fatalf("create DM: %d %v", status, ch)
	}
	if status, _ := do(t, f, "POST", "/channels/"+dm+"/messages", obj{"content": "Time to stretch"}, auth); status != 200 {
		t.Fatalf("DM: %d", status)
	}
	f.CloseDMs(alice.ID)
	if status, body := do(t, f, "POST", "/channels/"+dm+"/messages", obj{"content": "Again"}, auth); status != 403 || fmt.Sprint(body["code"]) != "50007" {
		t.Fatalf("closed DMs: %d %v", status, body)
	}
	if dms := f.DMs(alice.ID); len(dms) != 1 || dms[0].Content != "Time to stretch" {
		t.Fatalf("DMs = %+v", dms)
	}
	if n := len(f.ValidationErrors()); n != 6 {
		t.Fatalf("validation errors = %v, want 6", f.ValidationErrors())
	}
}
