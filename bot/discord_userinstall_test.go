package bot_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// groupDMID is a conversation between people that the bot never joins.
const groupDMID = "500000000000000077"

// userInstalledIn is the server channel, reached through alice's own
// install of the app: the bot is not a member there.
func userInstalledIn(u discordtest.User) discordtest.Origin {
	o := inGuild(u)
	o.UserInstall = true
	return o
}

// userInstalledDM is the bot's DM, reached through the user's own install.
func userInstalledDM(u discordtest.User) discordtest.Origin {
	o := discordtest.InDM(u)
	o.UserInstall = true
	return o
}

// TestCommandsInstallEverywhereButBreaks: /stretch and /checkin come with
// both installs in every context; /stretchbreak only with a server's
// install, in its channels.
func TestCommandsInstallEverywhereButBreaks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	both := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall, discordgo.ApplicationIntegrationUserInstall}
	every := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel}
	for _, c := range e.fake.Commands("") {
		wantInstalls, wantContexts := both, every
		if c.Name == "stretchbreak" {
			wantInstalls, wantContexts = both[:1], every[:1]
		}
		if c.IntegrationTypes == nil || !slices.Equal(*c.IntegrationTypes, wantInstalls) {
			t.Errorf("/%s integration_types = %v, want %v", c.Name, c.IntegrationTypes, wantInstalls)
		}
		if c.Contexts == nil || !slices.Equal(*c.Contexts, wantContexts) {
			t.Errorf("/%s contexts = %v, want %v", c.Name, c.Contexts, wantContexts)
		}
	}
	places := map[string]discordtest.Origin{
		"server":                   inGuild(alice),
		"server, user's install":   userInstalledIn(alice),
		"bot DM":                   discordtest.InDM(alice),
		"bot DM, user's install":   userInstalledDM(alice),
		"conversation with people": discordtest.InPrivateChannel(groupDMID, alice),
	}
	for where, o := range places {
		for _, name := range []string{"stretch", "checkin"} {
			if !e.fake.Offers(o, name) {
				t.Errorf("/%s is not offered in %s", name, where)
			}
		}
		if got, want := e.fake.Offers(o, "stretchbreak"), where == "server"; got != want {
			t.Errorf("/stretchbreak offered in %s: %v, want %v", where, got, want)
		}
	}
}

// TestPrivateChannelThroughUserInstall: in a conversation between people
// (context 2, only the user's key in authorizing_integration_owners) every
// answer comes through the interaction, for the person alone, and the bot
// posts nothing in the channel; the countdown and buttons work there.
func TestPrivateChannelThroughUserInstall(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	here := discordtest.InPrivateChannel(groupDMID, alice)

	_, r := e.run(inv(here, "stretch now"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "Steps", "Hold")

	// share:true cannot post for the conversation: the card stays private
	// and says why.
	_, r = e.run(inv(here, "stretch now", opt("share", true)))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "only you see this one")

	// The countdown and every button of the card work here.
	_, r = e.click(here, r.Message, "Start")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	wantText(t, r.Message, "<t:", ":R>")
	msg := r.Message
	if strings.Contains(text(msg), "side 1 of 2") {
		_, r = e.click(here, msg, "Other side")
		wantText(t, r.Message, "side 2 of 2", "<t:")
		msg = r.Message
	}
	_, r = e.click(here, msg, "Done")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	wantText(t, r.Message, "logged")
	_, r = e.click(here, r.Message, "Another stretch")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	_, r = e.click(here, r.Message, "Skip")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)

	_, r = e.run(inv(here, "checkin"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)

	if msgs := e.fake.Messages(groupDMID); len(msgs) != 0 {
		t.Fatalf("the bot posted %d channel messages in a conversation it is not in", len(msgs))
	}
	if n := countRequests(e.fake, "POST", "/channels/{channel_id}/messages"); n != 0 {
		t.Fatalf("%d channel message requests, want none", n)
	}
	comps, err := e.db.Completions(ctx, aliceID, e.clock.Now().Add(-24*time.Hour), e.clock.Now().Add(time.Hour))
	if err != nil || len(comps) != 1 {
		t.Fatalf("completions: %+v, %v; want the one Done logged", comps, err)
	}
}

// TestWhereHereRefusedWhereBotCannotPost: a reminder "here" where the bot
// cannot post is refused with the reason, decided from the interaction
// alone, and nothing is stored.
func TestWhereHereRefusedWhereBotCannotPost(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	noSend := inGuild(alice)
	noSend.AppPermissions = "1024" // View Channel, not Send Messages
	cases := []struct {
		where  string
		origin discordtest.Origin
		reason string
	}{
		{"server, user's install", userInstalledIn(alice), "through your own account"},
		{"conversation with people", discordtest.InPrivateChannel(groupDMID, alice), "not a member of it"},
		{"server without Send Messages", noSend, "not allowed to see it or send messages"},
	}
	for _, tc := range cases {
		_, r := e.run(inv(tc.origin, "stretch remind set", opt("time", "7:30"), opt("timezone", "Europe/Berlin"), opt("where", "here")))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		wantText(t, r.Message, "can't post reminders", tc.reason, "where:dm")
	}
	if list, err := e.db.SchedulesByOwner(ctx, aliceID); err != nil || len(list) != 0 {
		t.Fatalf("schedules after refusals: %+v, %v; want none", list, err)
	}
	if u, err := e.db.User(ctx, aliceID); err != nil || u.TimeZone != "" {
		t.Fatalf("user after refusals: %+v, %v; want nothing remembered", u, err)
	}
	if n := countRequests(e.fake, "POST", "/channels/{channel_id}/messages"); n != 0 {
		t.Fatalf("%d channel message requests: the refusal was not decided beforehand", n)
	}

	// "Here" in the bot's own DM is a DM, which works with either install.
	_, r := e.run(inv(userInstalledDM(alice), "stretch remind set", opt("time", "7:30"), opt("timezone", "UTC"), opt("where", "here")))
	wantText(t, r.Message, "Reminder #", "by direct message")
}

// TestUserInstallReminderComesByDM: a reminder set through the user's own
// install in a server arrives by DM, and its buttons (countdown, Snooze,
// Done) work in the DM; the bot never posts in the server's channel.
func TestUserInstallReminderComesByDM(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	_, r := e.run(inv(userInstalledIn(alice), "stretch remind set", opt("time", "7:30"), opt("timezone", "UTC")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "by direct message")
	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	if len(list) != 1 || list[0].ChannelID != "" {
		t.Fatalf("schedules: %+v, want one by DM", list)
	}
	next, ok := e.sched.NextFire(list[0].ID)
	if !ok {
		t.Fatal("reminder not armed")
	}
	e.clock.Set(next)
	if err := e.fake.WaitFor(ctx, func() bool { return len(e.fake.DMs(aliceID)) == 1 }); err != nil {
		t.Fatalf("the reminder never arrived by DM: %v", err)
	}
	dm := e.fake.DMs(aliceID)[0]
	wantText(t, dm, "Time to stretch")

	// In the DM through the user's install (context 1): Start counts down,
	// Done logs, Snooze re-arms, by DM again.
	in := userInstalledDM(alice)
	_, r = e.click(in, dm, "Start")
	wantType(t, r, discordtest.CallbackUpdateMessage, false)
	wantText(t, r.Message, "<t:", ":R>")
	if strings.Contains(text(r.Message), "side 1 of 2") {
		_, r = e.click(in, r.Message, "Other side")
		wantText(t, r.Message, "side 2 of 2", "<t:")
	}
	_, r = e.click(in, r.Message, "Done")
	wantText(t, r.Message, "logged")

	e.clock.Set(next.Add(24 * time.Hour))
	if err := e.fake.WaitFor(ctx, func() bool { return len(e.fake.DMs(aliceID)) == 2 }); err != nil {
		t.Fatalf("the second reminder never arrived: %v", err)
	}
	_, r = e.click(in, e.fake.DMs(aliceID)[1], "Snooze")
	wantText(t, r.Message, "Snoozed")
	all, _ := e.db.SchedulesByOwner(ctx, aliceID)
	if len(all) != 2 || all[1].Kind != stretchbot.KindSnooze || all[1].ChannelID != "" {
		t.Fatalf("snooze: %+v, want one more schedule, by DM", all)
	}
	if n := len(e.fake.Messages(channelID)); n != 0 {
		t.Fatalf("%d messages in the server's channel, want none", n)
	}
}

// TestBreaksNeedServerInstall: /stretchbreak through a user's install (were
// Discord to send it) is refused with the reason and stores nothing.
func TestBreaksNeedServerInstall(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	o := userInstalledIn(alice)
	o.Permissions = permManage
	_, r := e.run(inv(o, "stretchbreak set", opt("time", "15:00"), opt("timezone", "UTC")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "needs stretchbot added to this server")
	if list, err := e.db.SchedulesByGuild(testCtx(t), guildID); err != nil || len(list) != 0 {
		t.Fatalf("breaks: %+v, %v; want none", list, err)
	}
}

// TestHTTPInteractionFromPrivateChannel: the HTTP interactions endpoint
// reads context, authorizing_integration_owners and app_permissions too:
// a shared card asked for in a conversation between people, through the
// user's own install, is answered for the person alone.
func TestHTTPInteractionFromPrivateChannel(t *testing.T) {
	e := newHTTPEnv(t)
	body, err := json.Marshal(map[string]any{
		"id": "700000000000000901", "application_id": e.fake.AppID(), "type": 2,
		"token": "http-token-private", "version": 1, "channel_id": groupDMID, "context": 2,
		"authorizing_integration_owners": map[string]any{"1": aliceID}, "app_permissions": "2147863616",
		"user":    map[string]any{"id": aliceID, "username": "alice"},
		"channel": map[string]any{"id": groupDMID, "type": 3},
		"data": map[string]any{"id": "800000000000000001", "name": "stretch", "type": 1, "options": []any{
			map[string]any{"name": "now", "type": 1, "options": []any{map[string]any{"name": "share", "type": 5, "value": true}}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The fake never dispatched this interaction, so it refuses the edit
	// as an unknown webhook; the request itself is what is checked.
	e.expectRejections(50027)
	// A card with a picture cannot ride in the response body: the answer
	// is deferred, ephemeral, and sent as the edit over REST.
	typ, data := decodeResponse(t, e.post(e.priv, body, body))
	if flags, _ := data["flags"].(float64); typ != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) || int(flags)&64 == 0 {
		t.Fatalf("answer type %d, data %v; want an ephemeral deferral", typ, data)
	}
	var edit []byte
	err = e.fake.WaitFor(testCtx(t), func() bool {
		for _, r := range e.fake.Requests() {
			if r.Method == http.MethodPatch && strings.Contains(r.Path, "http-token-private") {
				edit, _ = json.Marshal(r.Body)
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no edit of the deferred answer: %v", err)
	}
	if !strings.Contains(string(edit), "only you see this one") {
		t.Fatalf("the answer does not say why the card is not shared: %s", edit)
	}
	if n := countRequests(e.fake, "POST", "/channels/{channel_id}/messages"); n != 0 {
		t.Fatalf("%d channel messages posted from a conversation the bot is not in", n)
	}
}

// TestEveryButtonInPrivateChannel: the check-in, the reminder list, the
// privacy confirmation and the card's filter and variant buttons work in
// a conversation between people, through the user's own install, and
// the bot never posts there.
func TestEveryButtonInPrivateChannel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	here := discordtest.InPrivateChannel(groupDMID, alice)

	_, r := e.run(inv(here, "checkin"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	result := answerCheckIn(t, e, here, r.Message, "16 to 49", "No", "^Everyday strain", "2")
	_, r = e.click(here, result, "Remind me to check in")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "I'll remind you to check in", "by direct message")
	_, r = e.click(here, result, "Stretch now")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "Steps")

	// A card with filters: Clear filters, and a variant when it has one.
	_, r = e.run(inv(here, "stretch now", opt("position", "floor")))
	_, r = e.click(here, r.Message, "Clear filters")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	if rs := rows(r.Message); len(rs) > 1 {
		_, r = e.click(here, r.Message, rs[1].Components[0].Label)
		wantType(t, r, discordtest.CallbackUpdateMessage, true)
	}

	_, r = e.run(inv(here, "stretch remind set", opt("time", "7:30"), opt("timezone", "UTC")))
	wantText(t, r.Message, "Reminder #", "by direct message")
	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	var reminder uint64
	for _, s := range list {
		if s.Kind == stretchbot.KindReminder {
			reminder = s.ID
		}
	}
	_, r = e.run(inv(here, "stretch remind list"))
	_, r = e.click(here, r.Message, fmt.Sprintf("Remove #%d", reminder))
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	if _, err := e.db.Schedule(ctx, reminder); err == nil {
		t.Fatal("Remove left the reminder in place")
	}

	_, r = e.run(inv(here, "stretch privacy forget"))
	_, r = e.click(here, r.Message, "Keep my data")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	wantText(t, r.Message, "Nothing was deleted")

	if n := countRequests(e.fake, "POST", "/channels/{channel_id}/messages"); n != 0 {
		t.Fatalf("%d channel message requests, want none", n)
	}
}
