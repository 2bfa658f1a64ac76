package discordtest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// isComponentsV2 is Discord's IS_COMPONENTS_V2 message flag (1 << 15).
const isComponentsV2 = 1 << 15

func textDisplay(s string) obj { return obj{"type": 10, "content": s} }

// card is a components-v2 stretch card: a Container with a Section (text
// beside a Thumbnail), a Media Gallery, a Separator and a row of buttons:
// 9 components in all.
func card() obj {
	return obj{"type": 17, "accent_color": 0x57F287, "components": arr{
		obj{"type": 9,
			"components": arr{textDisplay("## Knee hug"), textDisplay("Hold 30 s, <t:1700000000:R>")},
			"accessory":  obj{"type": 11, "media": obj{"url": "attachment://knee-hug.png"}, "description": "A person lying on their back hugging one knee"},
		},
		obj{"type": 12, "items": arr{obj{"media": obj{"url": "attachment://knee-hug.png"}, "description": "Knee hug"}}},
		obj{"type": 14, "divider": true, "spacing": 1},
		row(obj{"type": 2, "style": 1, "label": "Start", "custom_id": "start"}, obj{"type": 2, "style": 3, "label": "Done", "custom_id": "done"}),
	}}
}

func v2(components ...obj) obj {
	a := arr{}
	for _, c := range components {
		a = append(a, c)
	}
	return obj{"flags": isComponentsV2, "components": a}
}

func with(m obj, k string, v any) obj {
	out := obj{}
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

func TestComponentsV2Rules(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	f.DisableRateLimits()
	auth := "Bot " + f.Token()

	texts := func(n int, each string) arr {
		a := arr{}
		for i := 0; i < n; i++ {
			a = append(a, textDisplay(each))
		}
		return a
	}
	container := func(children arr) obj { return obj{"type": 17, "components": children} }
	cases := []struct {
		name    string
		body    obj
		errorAt string // "" for a valid message
		openapi bool   // the spec check, not a hand rule, refuses it
	}{
		{"the card", v2(card()), "", false},
		{"text at the top level", v2(textDisplay("Hello"), textDisplay("again")), "", false},
		{"40 components, nested ones included", v2(container(texts(39, "x"))), "", false},
		{"4000 characters across Text Displays", v2(textDisplay(repeat(2000)), textDisplay(repeat(2000))), "", false},
		{"V2 with empty content, as discordgo sends", with(v2(card()), "content", ""), "", false},

		{"content with V2", with(v2(card()), "content", "hi"), "content", false},
		{"embeds with V2", with(v2(card()), "embeds", arr{obj{"title": "t"}}), "embeds", false},
		{"41 components, nested ones included", v2(container(texts(40, "x"))), "components", false},
		{"4001 characters across Text Displays", v2(textDisplay(repeat(2000)), container(arr{textDisplay(repeat(2001))})), "components", false},
		{"V2 components without the flag", obj{"components": arr{textDisplay("Hello")}}, "components.0.type", false},
		{"custom_id repeated across rows", v2(container(arr{
			row(obj{"type": 2, "style": 1, "label": "A", "custom_id": "same"}),
			row(obj{"type": 2, "style": 1, "label": "B", "custom_id": "same"}),
		})), "components.0.components.1.components.0.custom_id", false},
		{"link button accessory with a custom_id", v2(obj{"type": 9,
			"components": arr{textDisplay("Read more")},
			"accessory":  obj{"type": 2, "style": 5, "label": "Docs", "url": "https://example.com", "custom_id": "x"},
		}), "components.0.accessory.custom_id", false},

		{"section without accessory", v2(container(arr{obj{"type": 9, "components": arr{textDisplay("x")}}})), "components.0.components.0.accessory", true},
		{"section with four texts", v2(obj{"type": 9, "components": texts(4, "x"), "accessory": obj{"type": 11, "media": obj{"url": "https://example.com/a.png"}}}), "components.0.components", true},
		{"empty Text Display", v2(textDisplay("")), "components.0.content", true},
		{"Text Display over 4000 characters", v2(textDisplay(repeat(4001))), "components.0.content", true},
		{"thumbnail without media", v2(obj{"type": 9, "components": arr{textDisplay("x")}, "accessory": obj{"type": 11}}), "components.0.accessory.media", true},
		{"media gallery with no items", v2(obj{"type": 12, "items": arr{}}), "components.0.items", true},
		{"container inside a container", v2(container(arr{container(arr{textDisplay("x")})})), "components.0.components.0.type", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, f, "POST", "/channels/"+channel+"/messages", tc.body, auth)
			if tc.errorAt == "" {
				if status != 200 {
					t.Fatalf("valid message refused: %d %v", status, body)
				}
				return
			}
			if status != 400 || !errorAt(body, tc.errorAt) {
				t.Fatalf("got %d %v, want 400 with an error at %q", status, body, tc.errorAt)
			}
			if got := strings.Contains(fmt.Sprint(body), "openapi: "); got != tc.openapi {
				t.Fatalf("refused by the spec check: %v, want %v; body %v", got, tc.openapi, body)
			}
		})
	}
}

func TestComponentsV2Edits(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	f.DisableRateLimits()
	auth := "Bot " + f.Token()
	status, msg := do(t, f, "POST", "/channels/"+channel+"/messages", v2(card()), auth)
	if status != 200 {
		t.Fatalf("card refused: %d %v", status, msg)
	}
	edit := "/channels/" + channel + "/messages/" + msg["id"].(string)

	// The edit carries no flags, but the message has IS_COMPONENTS_V2: its
	// rules hold.
	if status, body := do(t, f, "PATCH", edit, obj{"content": "hi"}, auth); status != 400 || !errorAt(body, "content") {
		t.Fatalf("content added to a V2 message: %d %v", status, body)
	}
	if status, body := do(t, f, "PATCH", edit, obj{"flags": 0, "components": arr{row(obj{"type": 2, "style": 1, "label": "A", "custom_id": "a"})}}, auth); status != 400 || !errorAt(body, "flags") {
		t.Fatalf("V2 flag removed: %d %v", status, body)
	}
	if status, body := do(t, f, "PATCH", edit, obj{"components": arr{textDisplay("Done, well done.")}}, auth); status != 200 {
		t.Fatalf("valid V2 edit refused: %d %v", status, body)
	}
	if got := f.Messages(channel); len(got) != 1 || len(got[0].Components) != 1 || got[0].Components[0].Type != 10 {
		t.Fatalf("stored message after the edit: %+v", got)
	}
	if n := len(f.ValidationErrors()); n != 2 {
		t.Fatalf("ValidationErrors() = %v, want the 2 refused edits", f.ValidationErrors())
	}
}

// TestComponentsV2ThroughDiscordgo sends a card built with discordgo's own
// component types, as the bot does, as a channel message with its picture
// attached and as an interaction response: the JSON discordgo writes passes.
func TestComponentsV2ThroughDiscordgo(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	s := open(t, f, 0, 1)
	desc := "A person lying on their back hugging one knee"
	divider := true
	dcard := []discordgo.MessageComponent{discordgo.Container{Components: []discordgo.MessageComponent{
		discordgo.Section{
			Components: []discordgo.MessageComponent{discordgo.TextDisplay{Content: "## Knee hug"}, discordgo.TextDisplay{Content: "Hold 30 s"}},
			Accessory:  discordgo.Thumbnail{Media: discordgo.UnfurledMediaItem{URL: "attachment://knee-hug.png"}, Description: &desc},
		},
		discordgo.MediaGallery{Items: []discordgo.MediaGalleryItem{{Media: discordgo.UnfurledMediaItem{URL: "attachment://knee-hug.png"}, Description: &desc}}},
		discordgo.Separator{Divider: &divider},
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Start", Style: discordgo.PrimaryButton, CustomID: "start"},
			discordgo.Button{Label: "Done", Style: discordgo.SuccessButton, CustomID: "done"},
		}},
	}}}
	png := &discordgo.File{Name: "knee-hug.png", ContentType: "image/png", Reader: strings.NewReader("\x89PNG...")}
	if _, err := s.ChannelMessageSendComplex(channel, &discordgo.MessageSend{
		Components: dcard, Flags: discordgo.MessageFlagsIsComponentsV2, Files: []*discordgo.File{png},
	}); err != nil {
		t.Fatalf("channel message: %v", err)
	}

	id := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InDM(alice), Command: "stretch"})
	ic := s.next(t)
	if err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Components: dcard, Flags: discordgo.MessageFlagsIsComponentsV2 | discordgo.MessageFlagsEphemeral},
	}); err != nil {
		t.Fatalf("interaction response: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	r, err := f.WaitResponse(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Ephemeral() || len(r.Message.Components) != 1 || r.Message.Components[0].Type != 17 {
		t.Fatalf("response = %+v", r)
	}
	section := r.Message.Components[0].Components[0]
	if section.Components[0].Content != "## Knee hug" || section.Accessory == nil ||
		section.Accessory.Media == nil || section.Accessory.Media.URL != "attachment://knee-hug.png" || section.Accessory.Description != desc {
		t.Fatalf("section as stored = %+v", section)
	}
	if errs := f.ValidationErrors(); len(errs) != 0 {
		t.Fatalf("validation errors: %v", errs)
	}
}
