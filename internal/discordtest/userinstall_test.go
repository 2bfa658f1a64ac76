package discordtest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// TestInteractionInstallFields: every origin sends context,
// authorizing_integration_owners and app_permissions as Discord does, and
// discordgo reads them.
func TestInteractionInstallFields(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	s := open(t, f, 0, 1)
	const groupDM = "4000000000000000077"
	userInstalled := discordtest.InGuild(guildOn0, channel, alice)
	userInstalled.UserInstall = true
	userDM := discordtest.InDM(alice)
	userDM.UserInstall = true
	guildInstall := discordtest.InGuild(guildOn0, channel, alice)
	guildInstall.AppPermissions = "1024" // View Channel only
	cases := []struct {
		name    string
		origin  discordtest.Origin
		context discordgo.InteractionContextType
		owners  map[discordgo.ApplicationIntegrationType]string
		perms   int64
	}{
		{"server's install", discordtest.InGuild(guildOn0, channel, alice), discordgo.InteractionContextGuild,
			map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationGuildInstall: guildOn0}, 2248473465835073},
		{"server's install without Send Messages", guildInstall, discordgo.InteractionContextGuild,
			map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationGuildInstall: guildOn0}, 1024},
		{"user's install in a server", userInstalled, discordgo.InteractionContextGuild,
			map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationUserInstall: alice.ID}, 2147863616},
		{"bot DM", discordtest.InDM(alice), discordgo.InteractionContextBotDM,
			map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationGuildInstall: "0"}, 2248473465835073},
		{"bot DM, user's install", userDM, discordgo.InteractionContextBotDM,
			map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationUserInstall: alice.ID}, 2147863616},
		{"private channel", discordtest.InPrivateChannel(groupDM, alice), discordgo.InteractionContextPrivateChannel,
			map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationUserInstall: alice.ID}, 2147863616},
	}
	for _, tc := range cases {
		id := f.SlashCommand(discordtest.Invocation{Origin: tc.origin, Command: "stretch"})
		ic := s.next(t)
		if ic.ID != id {
			t.Fatalf("%s: got interaction %s, want %s", tc.name, ic.ID, id)
		}
		if ic.Context != tc.context || fmt.Sprint(ic.AuthorizingIntegrationOwners) != fmt.Sprint(tc.owners) || ic.AppPermissions != tc.perms {
			t.Errorf("%s: context %d, owners %v, app_permissions %d; want %d, %v, %d",
				tc.name, ic.Context, ic.AuthorizingIntegrationOwners, ic.AppPermissions, tc.context, tc.owners, tc.perms)
		}
		if tc.context == discordgo.InteractionContextPrivateChannel && (ic.GuildID != "" || ic.Member != nil || ic.User == nil || ic.ChannelID != groupDM) {
			t.Errorf("%s: guild %q, member %v, user %v, channel %q", tc.name, ic.GuildID, ic.Member, ic.User, ic.ChannelID)
		}
	}
}

// TestBotOutsideChannelCannotPost: where the app came only through a user
// install, or lacks View Channel or Send Messages, a channel message from
// the bot is refused (403), as on Discord; interaction answers still work.
func TestBotOutsideChannelCannotPost(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	auth := "Bot " + f.Token()
	post := func(ch string) (int, map[string]any) {
		return do(t, f, "POST", "/channels/"+ch+"/messages", obj{"content": "hello"}, auth)
	}
	if status, body := post(channel); status != http.StatusOK {
		t.Fatalf("post before any interaction: %d %v", status, body)
	}

	userInstalled := discordtest.InGuild(guildOn0, channel, alice)
	userInstalled.UserInstall = true
	id := f.SlashCommand(discordtest.Invocation{Origin: userInstalled, Command: "stretch"})
	if status, body := post(channel); status != http.StatusForbidden || fmt.Sprint(body["code"]) != "50001" {
		t.Fatalf("post to a channel the bot is not in: %d %v, want 403 Missing Access", status, body)
	}
	// The interaction itself is answered through its own endpoints.
	status, body := do(t, f, "POST", "/interactions/"+id+"/"+f.InteractionToken(id)+"/callback",
		obj{"type": 4, "data": obj{"content": "only for you", "flags": 64}}, "")
	if status != http.StatusNoContent {
		t.Fatalf("answer in a user-install context: %d %v", status, body)
	}

	const groupDM = "4000000000000000078"
	f.SlashCommand(discordtest.Invocation{Origin: discordtest.InPrivateChannel(groupDM, alice), Command: "stretch"})
	if status, body := post(groupDM); status != http.StatusForbidden || fmt.Sprint(body["code"]) != "50001" {
		t.Fatalf("post to a group DM: %d %v, want 403 Missing Access", status, body)
	}

	noSend := discordtest.InGuild(guildOn0, channel, alice)
	noSend.AppPermissions = "1024"
	f.SlashCommand(discordtest.Invocation{Origin: noSend, Command: "stretch"})
	if status, body := post(channel); status != http.StatusForbidden || fmt.Sprint(body["code"]) != "50013" {
		t.Fatalf("post without Send Messages: %d %v, want 403 Missing Permissions", status, body)
	}

	// The server's install with its permissions: the bot posts again.
	f.SlashCommand(discordtest.Invocation{Origin: discordtest.InGuild(guildOn0, channel, alice), Command: "stretch"})
	if status, body := post(channel); status != http.StatusOK {
		t.Fatalf("post after a server's install: %d %v", status, body)
	}
	// The bot's own DM takes messages through a user install too.
	dm := discordtest.InDM(alice)
	dm.UserInstall = true
	f.SlashCommand(discordtest.Invocation{Origin: dm, Command: "stretch"})
	if status, body := post(f.DMChannel(alice.ID)); status != http.StatusOK {
		t.Fatalf("post to the bot's DM: %d %v", status, body)
	}
}

// TestUserInstallFollowupLimit: an interaction through a user install
// takes 5 follow-ups and refuses the sixth; a server's install has no such
// limit.
func TestUserInstallFollowupLimit(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	followups := func(o discordtest.Origin, n int) []int {
		id := f.SlashCommand(discordtest.Invocation{Origin: o, Command: "stretch"})
		token := f.InteractionToken(id)
		if status, body := do(t, f, "POST", "/interactions/"+id+"/"+token+"/callback", obj{"type": 5, "data": obj{"flags": 64}}, ""); status != http.StatusNoContent {
			t.Fatalf("defer: %d %v", status, body)
		}
		var out []int
		for i := range n {
			status, _ := do(t, f, "POST", "/webhooks/"+f.AppID()+"/"+token, obj{"content": fmt.Sprint("followup ", i+1), "flags": 64}, "")
			out = append(out, status)
		}
		return out
	}
	user := discordtest.InPrivateChannel("4000000000000000079", alice)
	got := followups(user, 6)
	if fmt.Sprint(got) != "[204 204 204 204 204 400]" {
		t.Fatalf("user install follow-ups: %v, want five accepted and the sixth refused", got)
	}
	got = followups(discordtest.InGuild(guildOn0, channel, alice), 6)
	if fmt.Sprint(got) != "[204 204 204 204 204 204]" {
		t.Fatalf("server's install follow-ups: %v, want all accepted", got)
	}
}

// TestCommandInstallLists: integration_types and contexts are checked
// against Discord's OpenAPI spec, and Offers reads them back.
func TestCommandInstallLists(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	auth := "Bot " + f.Token()
	path := "/applications/" + f.AppID() + "/commands"
	with := func(k string, v any) obj {
		c := cmd("stretch", "Stretch")
		c[k] = v
		return c
	}
	for _, tc := range []struct {
		name    string
		body    arr
		status  int
		errorAt string
	}{
		{"both installs", arr{with("integration_types", arr{0, 1})}, 200, ""},
		{"every context", arr{with("contexts", arr{0, 1, 2})}, 200, ""},
		{"unknown install type", arr{with("integration_types", arr{2})}, 400, "0.integration_types.0"},
		{"unknown context", arr{with("contexts", arr{3})}, 400, "0.contexts.0"},
		{"empty list", arr{with("contexts", arr{})}, 400, "0.contexts"},
		{"repeated context", arr{with("contexts", arr{0, 0})}, 400, "0.contexts"},
		{"not a list", arr{with("integration_types", 1)}, 400, "0.integration_types"},
	} {
		if status, body := do(t, f, "PUT", path, tc.body, auth); status != tc.status || (status == 400 && !errorAt(body, tc.errorAt)) {
			t.Errorf("%s: status %d, want %d; body %v", tc.name, status, tc.status, body)
		}
	}
	everywhere := cmd("stretch", "Stretch")
	everywhere["integration_types"], everywhere["contexts"] = arr{0, 1}, arr{0, 1, 2}
	serverOnly := cmd("stretchbreak", "Breaks")
	serverOnly["integration_types"], serverOnly["contexts"] = arr{0}, arr{0}
	if status, body := do(t, f, "PUT", path, arr{everywhere, serverOnly, cmd("plain", "No lists")}, auth); status != http.StatusOK {
		t.Fatalf("valid lists refused: %d %v", status, body)
	}
	userInGuild := discordtest.InGuild(guildOn0, channel, alice)
	userInGuild.UserInstall = true
	origins := map[string]discordtest.Origin{
		"server": discordtest.InGuild(guildOn0, channel, alice), "user install in a server": userInGuild,
		"bot DM": discordtest.InDM(alice), "private channel": discordtest.InPrivateChannel("4000000000000000080", alice),
	}
	want := map[string]map[string]bool{
		"stretch":      {"server": true, "user install in a server": true, "bot DM": true, "private channel": true},
		"stretchbreak": {"server": true},
		"plain":        {"server": true, "user install in a server": true, "bot DM": true, "private channel": true},
		"unknown":      {},
	}
	for name, places := range want {
		for where, o := range origins {
			if got := f.Offers(o, name); got != places[where] {
				t.Errorf("Offers(%s, /%s) = %v, want %v", where, name, got, places[where])
			}
		}
	}
}
