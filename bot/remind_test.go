package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

func TestOneTimeReminders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID}) // the clock starts on Tuesday 10 March 2026, 09:00 UTC
	ctx := testCtx(t)
	o := inGuild(alice)

	// "in 20 minutes" needs no time zone.
	_, r := e.run(inv(o, "stretch remind set", opt("time", "in 20 minutes")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "One-time reminder #1 set: once on Tue 10 Mar 2026 at 09:20 (UTC), by direct message")
	// A day and a time do: the bot asks, and stores nothing.
	_, r = e.run(inv(o, "stretch remind set", opt("time", "tomorrow 9:00")))
	wantText(t, r.Message, "Which time zone?")
	_, r = e.run(inv(o, "stretch remind set", opt("time", "tomorrow 9:00"), opt("timezone", "Europe/Berlin")))
	wantText(t, r.Message, "once on Wed 11 Mar 2026 at 09:00 (Europe/Berlin)")
	_, r = e.run(inv(o, "stretch remind set", opt("time", "friday 18:00"), opt("where", "here")))
	wantText(t, r.Message, "once on Fri 13 Mar 2026 at 18:00 (Europe/Berlin), in this channel")
	// Days make no sense for a one-time reminder; a break always repeats.
	_, r = e.run(inv(o, "stretch remind set", opt("time", "in 1 hour"), opt("days", "weekdays")))
	wantText(t, r.Message, "A one-time reminder has no days")
	_, r = e.run(inv(asAdmin(alice), "stretchbreak set", opt("time", "in 1 hour")))
	wantText(t, r.Message, "A stretch break repeats")
	_, r = e.run(inv(o, "stretch remind set", opt("time", "today 7:00")))
	wantText(t, r.Message, "already passed")
	// The same moment twice is a duplicate.
	_, r = e.run(inv(o, "stretch remind set", opt("time", "fri 6pm"), opt("where", "here")))
	wantText(t, r.Message, "already have that reminder: #3")

	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	if len(list) != 3 {
		t.Fatalf("schedules: %+v", list)
	}
	for _, s := range list {
		if s.Kind != stretchbot.KindOnce || !e.isArmed(s.ID) {
			t.Fatalf("not an armed one-time reminder: %+v", s)
		}
	}
	_, r = e.run(inv(o, "stretch remind list"))
	wantText(t, r.Message, "**#1** once on Tue 10 Mar 2026 at 09:20 (UTC)", "**#3** once on Fri 13 Mar 2026 at 18:00")

	// It fires once, at its time, and is gone afterwards.
	e.clock.Set(time.Date(2026, 3, 10, 9, 20, 0, 0, time.UTC))
	if err := e.fake.WaitFor(ctx, func() bool { return len(e.fake.DMs(aliceID)) == 1 }); err != nil {
		t.Fatalf("the one-time reminder never arrived: %v", err)
	}
	wantText(t, e.fake.DMs(aliceID)[0], "Time to stretch")
	if err := e.fake.WaitFor(ctx, func() bool {
		_, err := e.db.Schedule(ctx, list[0].ID)
		return stretchbot.ErrorCode(err) == stretchbot.ENOTFOUND
	}); err != nil {
		t.Fatal("a delivered one-time reminder stayed stored")
	}
	e.clock.Set(time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC))
	if n := len(e.fake.DMs(aliceID)); n != 1 {
		t.Fatalf("%d DMs after the one-time reminder, want 1", n)
	}
	// One-time reminders are removed like the others.
	_, r = e.run(inv(o, "stretch remind remove", opt("id", int(list[1].ID))))
	wantText(t, r.Message, "removed")
	if e.isArmed(list[1].ID) {
		t.Fatal("a removed one-time reminder is still armed")
	}
	_, r = e.run(inv(o, "stretch remind list"))
	if strings.Contains(text(r.Message), "#2") {
		t.Fatalf("removed reminder listed:\n%s", text(r.Message))
	}
}
