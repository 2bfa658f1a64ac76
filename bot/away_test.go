package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// TestAwayHoldsRemindersAndKeepsTheStreak: on Discord, /stretch away
// days:3 holds the daily reminder on those three days, the streak from
// before is kept over them, and reminders come again on the fourth.
func TestAwayHoldsRemindersAndKeepsTheStreak(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	o := inGuild(alice)
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	// The clock starts on Tuesday 10 March 2026, 09:00 UTC; Alice
	// stretched yesterday and today: a streak of 2 days.
	e.run(inv(o, "stretch remind set", opt("time", "9:30"), opt("timezone", "UTC")))
	for _, d := range []int{9, 10} {
		if err := e.db.AddCompletion(ctx, stretchbot.Completion{UserID: aliceID, At: at(d, 8, 0), Source: stretchbot.SourceManual}); err != nil {
			t.Fatal(err)
		}
	}

	_, r := e.run(inv(o, "stretch away", opt("days", 3)))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	back := "<t:" + strconv.FormatInt(at(13, 0, 0).Unix(), 10) + ":F>"
	wantText(t, r.Message, "Your reminders start again on "+back, "Days away don't break your streak (2 days now)", "`/stretch back`")
	_, r = e.run(inv(o, "stretch remind list"))
	wantText(t, r.Message, "You're away: reminders start again on "+back)

	// The reminders of the 10th, 11th and 12th fire and are not sent.
	for i, d := range []int{10, 11, 12} {
		e.clock.Set(at(d, 9, 30))
		e.waitFired(uint64(i + 1))
	}
	if n := len(e.fake.DMs(aliceID)); n != 0 {
		t.Fatalf("%d reminders sent while away", n)
	}
	// On the 13th, before stretching, the streak is still 2 days.
	e.clock.Set(at(13, 8, 0))
	id := e.fake.SlashCommand(inv(o, "stretch stats"))
	wantText(t, e.final(id), "2 days now, best 2 days")
	_, r = e.run(inv(o, "stretch done"))
	wantText(t, r.Message, "Streak: 3 days.")
	// And the reminder comes again.
	e.clock.Set(at(13, 9, 30))
	if err := e.fake.WaitFor(ctx, func() bool { return len(e.fake.DMs(aliceID)) == 1 }); err != nil {
		t.Fatal("no reminder on the first day back")
	}
}

// TestBackEndsTheTimeAwaySooner: /stretch back ends the time away today;
// the days before stay away days, and a second /stretch back says there
// is nothing to end. Days out of range are refused and change nothing.
func TestBackEndsTheTimeAwaySooner(t *testing.T) {
	e := newHandlerEnv(t, bot.Config{})
	ctx := context.Background()
	for _, bad := range []string{"0", "31", "-2", "many"} {
		r := e.command(aliceID, "stretch away", map[string]string{"days": bad})
		if !strings.Contains(r.Content, "Choose from 1 to 30 days") && !strings.Contains(r.Content, "takes a whole number") {
			t.Errorf("days:%s answered %q", bad, r.Content)
		}
	}
	if u, _ := e.db.User(ctx, aliceID); len(u.Away) != 0 {
		t.Fatalf("a refused away was stored: %+v", u.Away)
	}
	if r := e.command(aliceID, "stretch back", nil); !strings.Contains(r.Content, "You're not away at the moment") {
		t.Fatalf("back without being away: %q", r.Content)
	}
	e.command(aliceID, "stretch done", nil) // 10 March: a streak of 1
	r := e.command(aliceID, "stretch away", map[string]string{"days": "7"})
	if !r.Ephemeral || !strings.Contains(r.Content, "(1 day now)") {
		t.Fatalf("away: %+v", r)
	}
	e.now = e.now.AddDate(0, 0, 3) // 13 March
	u, _ := e.db.User(ctx, aliceID)
	if _, away := u.AwayAt(e.now); !away {
		t.Fatal("not away on the third day of seven")
	}
	r = e.command(aliceID, "stretch back", nil)
	if !strings.Contains(r.Content, "Welcome back! Your reminders are on again, and your streak of 1 day carries on.") {
		t.Fatalf("back: %q", r.Content)
	}
	u, _ = e.db.User(ctx, aliceID)
	if _, away := u.AwayAt(e.now); away {
		t.Fatal("still away after /stretch back")
	}
	if _, away := u.AwayAt(e.now.AddDate(0, 0, -1)); !away {
		t.Fatal("the day before coming back is no longer an away day")
	}
	if r := e.command(aliceID, "stretch back", nil); !strings.Contains(r.Content, "You're not away at the moment") {
		t.Fatalf("second back: %q", r.Content)
	}
	// A stretch today continues the streak over the days away.
	if r := e.command(aliceID, "stretch done", nil); !strings.Contains(r.Content, "Streak: 2 days.") {
		t.Fatalf("done after coming back: %q", r.Content)
	}
}
