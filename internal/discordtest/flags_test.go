package discordtest_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// TestEditKeepsFlagsDiscordKeeps: an edit's flags cannot make an ephemeral
// message public; they can turn a message into a Components V2 one.
func TestEditKeepsFlagsDiscordKeeps(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	id := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InGuild(guildOn0, channel, alice), Command: "stretch"})
	tok := f.InteractionToken(id)
	if status, body := do(t, f, "POST", "/interactions/"+id+"/"+tok+"/callback", obj{"type": 4, "data": obj{"content": "hi", "flags": 64}}, ""); status != 204 {
		t.Fatalf("callback: %d %v", status, body)
	}
	edit := func(body obj) discordtest.Message {
		t.Helper()
		if status, resp := do(t, f, "PATCH", "/webhooks/"+f.AppID()+"/"+tok+"/messages/@original", body, ""); status != 200 {
			t.Fatalf("edit: %d %v", status, resp)
		}
		m, _ := f.Original(id)
		return m
	}
	v2 := obj{"flags": 1 << 15, "content": nil, "components": arr{obj{"type": 10, "content": "hello"}}}
	if m := edit(v2); !m.Ephemeral() || !m.ComponentsV2() || m.Components[0].Content != "hello" {
		t.Fatalf("after the upgrade: flags %d, components %+v", m.Flags, m.Components)
	}
	if m := edit(obj{"flags": 1 << 15, "components": arr{row(obj{"type": 2, "style": 1, "label": "Go", "custom_id": "go"})}}); !m.Ephemeral() || !m.ComponentsV2() {
		t.Fatalf("an edit cleared flags Discord keeps: %d", m.Flags)
	}
}
