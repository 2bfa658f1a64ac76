package bot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/scheduler"
)

func TestRegisterCommands(t *testing.T) {
	t.Parallel()
	t.Run("guild", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOptions{guildID: guildID})
		if got := e.fake.Commands(""); len(got) != 0 {
			t.Fatalf("%d global commands registered, want none with a guild set", len(got))
		}
		cmds := e.fake.Commands(guildID)
		var names []string
		for _, c := range cmds {
			names = append(names, c.Name)
		}
		slices.Sort(names)
		if want := []string{"checkin", "stretch", "stretchbreak"}; !slices.Equal(names, want) {
			t.Fatalf("commands %v, want %v", names, want)
		}
		for _, c := range cmds {
			switch c.Name {
			case "stretchbreak":
				if c.DefaultMemberPermissions == nil || *c.DefaultMemberPermissions != bot.PermManageGuild {
					t.Errorf("stretchbreak default_member_permissions = %v, want Manage Server", c.DefaultMemberPermissions)
				}
				if c.Contexts == nil || !slices.Equal(*c.Contexts, []discordgo.InteractionContextType{discordgo.InteractionContextGuild}) {
					t.Errorf("stretchbreak contexts = %v, want guild only", c.Contexts)
				}
			case "stretch":
				if c.DefaultMemberPermissions != nil {
					t.Errorf("stretch needs no permission, got %v", *c.DefaultMemberPermissions)
				}
				remind := findOption(c.Options, "remind")
				if remind == nil || remind.Type != discordgo.ApplicationCommandOptionSubCommandGroup {
					t.Fatalf("stretch remind is not a subcommand group: %+v", remind)
				}
				set := findOption(remind.Options, "set")
				if set == nil || set.Options[0].Name != "time" || !set.Options[0].Required {
					t.Fatalf("remind set does not start with the required time option: %+v", set)
				}
				if tz := findOption(set.Options, "timezone"); tz == nil || !tz.Autocomplete {
					t.Errorf("remind set timezone is not autocompleted: %+v", tz)
				}
				now := findOption(c.Options, "now")
				if pos := findOption(now.Options, "position"); pos == nil || len(pos.Choices) != 3 {
					t.Errorf("stretch now position choices: %+v", pos)
				}
				if spasm := findOption(now.Options, "spasm"); spasm == nil || spasm.Type != discordgo.ApplicationCommandOptionBoolean {
					t.Errorf("stretch now spasm is not a boolean: %+v", spasm)
				}
			}
		}
		// Registering again is an overwrite: same commands, same ids.
		before := e.fake.Commands(guildID)
		d2, err := bot.NewDiscord(bot.DiscordConfig{Token: e.fake.Token(), APIBase: e.fake.URL(), GuildID: guildID, Shards: 1, Bot: e.bot, Logger: testLogger()})
		if err != nil {
			t.Fatal(err)
		}
		if err := d2.Open(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		if err := e.fake.WaitFor(testCtx(t), func() bool { return e.fake.HeartbeatsOn(0) > 0 && d2.Connected() }); err != nil {
			t.Fatal(err)
		}
		if err := d2.Close(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		after := e.fake.Commands(guildID)
		if len(after) != len(before) {
			t.Fatalf("%d commands after re-registering, want %d", len(after), len(before))
		}
		for i := range before {
			if before[i].ID != after[i].ID {
				t.Errorf("command %s changed id on re-registering", before[i].Name)
			}
		}
	})
	t.Run("global", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOptions{})
		if got := len(e.fake.Commands("")); got != 3 {
			t.Fatalf("%d global commands, want 3", got)
		}
		if got := len(e.fake.Commands(guildID)); got != 0 {
			t.Fatalf("%d guild commands, want none", got)
		}
	})
}

func findOption(opts []*discordgo.ApplicationCommandOption, name string) *discordgo.ApplicationCommandOption {
	for _, o := range opts {
		if o.Name == name {
			return o
		}
	}
	return nil
}

func TestBadToken(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.Options{Token: "right"})
	d, err := bot.NewDiscord(bot.DiscordConfig{Token: "wrong", APIBase: fake.URL(), Bot: newEnvBot(t), Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Open(testCtx(t))
	if !errors.Is(err, bot.ErrBadToken) {
		t.Fatalf("Open with a wrong token: %v, want ErrBadToken", err)
	}
	if d.Connected() {
		t.Fatal("Connected after a failed Open")
	}
	if len(fake.Identifies()) != 0 {
		t.Fatal("identified on the gateway with a token Discord refused")
	}
}

// newEnvBot is a Bot without Discord, for tests that never get connected.
func newEnvBot(t *testing.T) *bot.Bot {
	t.Helper()
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{Store: nopStore{}, Scheduler: scheduler.New(scheduler.Options{Deliver: func(context.Context, scheduler.Occurrence) error { return nil }}), Catalog: catalog, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// nopStore satisfies bot.Store for tests that never reach it.
type nopStore struct{ bot.Store }

func TestStretchNowFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	_, r := e.run(inv(inGuild(alice), "stretch now"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	msg := r.Message
	// The card is a Components V2 message with the pose's picture.
	wantPicture(t, msg, "-640.png")
	first := cardTitle(t, msg)
	wantText(t, msg, "Steps", "Hold")
	for _, l := range []string{"Start", "Done", "Skip"} {
		buttonID(t, msg, l)
	}
	if len(rows(msg)) < 2 {
		t.Fatalf("no variant buttons: %v", labels(msg))
	}

	// Start: the same (ephemeral) message turns into a live countdown,
	// with the picture small beside it.
	_, r = e.click(inGuild(alice), msg, "Start")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	if r.Message.ID != msg.ID {
		t.Fatal("Start did not update the message it is on")
	}
	wantText(t, r.Message, "<t:", ":R>")
	wantPicture(t, r.Message, "-256.png")
	if ps := picturesOf(r.Message); !ps[0].Thumbnail {
		t.Errorf("the countdown shows its picture in a gallery, want a thumbnail: %+v", ps)
	}
	msg = r.Message
	if strings.Contains(text(msg), "side 1 of 2") {
		_, r = e.click(inGuild(alice), msg, "Other side")
		wantType(t, r, discordtest.CallbackUpdateMessage, true)
		wantText(t, r.Message, "side 2 of 2", "<t:")
		msg = r.Message
	}

	// Done logs a completion.
	_, r = e.click(inGuild(alice), msg, "Done")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	wantText(t, r.Message, "logged", "Streak: 1 day")
	if strings.Contains(text(r.Message), "<t:") || len(picturesOf(r.Message)) != 0 || len(r.Message.Attachments) != 0 {
		t.Errorf("Done left the countdown card in place: %+v", r.Message)
	}
	if !r.Message.ComponentsV2() || r.Message.Content != "" {
		t.Errorf("Done's edit of a Components V2 card is not one itself (flags %d, content %q)", r.Message.Flags, r.Message.Content)
	}
	comps, err := e.db.Completions(ctx, aliceID, time.Time{}, e.clock.Now().Add(time.Hour))
	if err != nil || len(comps) != 1 || comps[0].Source != stretchbot.SourceButton {
		t.Fatalf("completions after Done: %+v, %v", comps, err)
	}

	// Another stretch, then Skip shows the next one; a variant button shows
	// the variant.
	_, r = e.click(inGuild(alice), r.Message, "Another stretch")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	second := cardTitle(t, r.Message)
	if second == first {
		t.Errorf("the rotation showed %q twice in a row", first)
	}
	_, r = e.click(inGuild(alice), r.Message, "Skip")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	if got := cardTitle(t, r.Message); got == second {
		t.Errorf("Skip showed the same stretch %q again", got)
	}
	msg = r.Message
	if rs := rows(msg); len(rs) > 1 {
		variant := rs[1].Components[0]
		_, r = e.click(inGuild(alice), msg, variant.Label)
		wantType(t, r, discordtest.CallbackUpdateMessage, true)
		wantPicture(t, r.Message, "-640.png")
		if cardTitle(t, r.Message) == cardTitle(t, msg) {
			t.Errorf("variant button %q did not change the stretch", variant.Label)
		}
	}

	// share:true posts for the channel; spasm:true keeps to gentle ones.
	_, r = e.run(inv(inGuild(alice), "stretch now", opt("share", true), opt("spasm", true), opt("position", "floor")))
	wantType(t, r, discordtest.CallbackChannelMessage, false)
}

func TestOtherUsersClickIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	shareID, r := e.run(inv(inGuild(alice), "stretch now", opt("share", true)))
	wantType(t, r, discordtest.CallbackChannelMessage, false)
	shared := r.Message
	for _, label := range []string{"Done", "Start", "Skip"} {
		id, r := e.click(inGuild(bob), shared, label)
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		wantText(t, r.Message, "belongs to someone else")
		if n := len(e.fake.Responses(id)); n != 1 {
			t.Fatalf("%d replies to a refused click, want 1", n)
		}
	}
	if now, ok := e.fake.Original(shareID); !ok || text(now) != text(shared) {
		t.Fatalf("refused clicks changed the shared message:\n%s", text(now))
	}
	// The shared message is unchanged and nobody logged anything.
	for _, u := range []string{aliceID, bobID} {
		comps, err := e.db.Completions(testCtx(t), u, time.Time{}, e.clock.Now().Add(time.Hour))
		if err != nil || len(comps) != 0 {
			t.Fatalf("completions of %s after refused clicks: %v, %v", u, comps, err)
		}
	}
}

func TestExpiredButton(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	// Buttons of an older version, or garbled, can only be on messages the
	// bot once sent; post one as if an old release had.
	for i, id := range []string{"v0:done:cat-cow:" + aliceID, "v1:done", "v1:nope:x:y", "v1:side:cat-cow:" + aliceID + ":9", "v1:ci:" + aliceID + ":garbage:1", "v1:brk:1:notanumber", "\x00\xff"} {
		// One channel each, to stay clear of the 5-per-5s channel limit.
		ch := fmt.Sprint(700000000000000000 + i)
		if err := e.d.Send(ctx, bot.Destination{ChannelID: ch}, bot.Reply{Content: "old", Rows: [][]bot.Button{{{Label: "Press", ID: id}}}}); err != nil {
			t.Fatal(err)
		}
		msgs := e.fake.Messages(ch)
		_, r := e.click(inGuild(alice), msgs[len(msgs)-1], "Press")
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		if got := text(r.Message); !strings.Contains(got, "expired") && !strings.Contains(got, "ended") {
			t.Errorf("click on %q: %q, want an expired notice", id, got)
		}
	}
}
