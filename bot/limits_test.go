package bot_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// atOnce dispatches n interactions from n goroutines and returns the
// bot's answers, in no particular order.
func (e *env) atOnce(n int, dispatch func(i int) string) []discordtest.Reply {
	e.t.Helper()
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = dispatch(i)
		}()
	}
	wg.Wait()
	out := make([]discordtest.Reply, n)
	for i, id := range ids {
		out[i] = e.wait(id)
	}
	return out
}

// tally counts the answers whose text contains each of subs.
func tally(rs []discordtest.Reply, subs ...string) map[string]int {
	out := map[string]int{}
	for _, r := range rs {
		for _, s := range subs {
			if strings.Contains(text(r.Message), s) {
				out[s]++
			}
		}
	}
	return out
}

// manyPresses lifts the per-person interaction limit above what these
// tests send in frozen time: they test the store's limits, not that one.
const manyPresses = 1000

func TestTwentyCheckInReminderClicksMakeOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID, interactionBurst: manyPresses})
	ctx := testCtx(t)
	o := discordtest.InDM(alice)
	_, r := e.run(inv(o, "checkin"))
	msg := answerCheckIn(t, e, o, r.Message, "16 to 49", "No", "^Everyday strain", "2")
	cid := buttonID(t, msg, "Remind me to check in")

	rs := e.atOnce(20, func(int) string {
		return e.fake.Click(discordtest.Click{Origin: o, MessageID: msg.ID, CustomID: cid})
	})
	got := tally(rs, "I'll remind you to check in", "already have a check-in reminder")
	if got["I'll remind you to check in"] != 1 || got["already have a check-in reminder"] != 19 {
		t.Fatalf("20 clicks at once answered %v", got)
	}
	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	if len(list) != 1 || list[0].Kind != stretchbot.KindCheckIn {
		t.Fatalf("schedules after 20 clicks: %+v", list)
	}
}

func TestTwentyBreakSetsKeepTheServerLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID, interactionBurst: manyPresses})
	ctx := testCtx(t)
	for i := range stretchbot.MaxBreaksPerGuild - 1 {
		_, r := e.run(inv(asAdmin(alice), "stretchbreak set", opt("time", fmt.Sprintf("10:%02d", i)), opt("timezone", "UTC")))
		wantText(t, r.Message, "Stretch break #")
	}
	rs := e.atOnce(20, func(i int) string {
		return e.fake.SlashCommand(inv(asAdmin(alice), "stretchbreak set", opt("time", fmt.Sprintf("16:%02d", i)), opt("timezone", "UTC")))
	})
	got := tally(rs, "Stretch break #", "already has 25 stretch breaks")
	if got["Stretch break #"] != 1 || got["already has 25 stretch breaks"] != 19 {
		t.Fatalf("20 sets at once on top of 24 answered %v", got)
	}
	if list, _ := e.db.SchedulesByGuild(ctx, guildID); len(list) != stretchbot.MaxBreaksPerGuild {
		t.Fatalf("%d breaks, limit %d", len(list), stretchbot.MaxBreaksPerGuild)
	}
	// The same break twice is refused with a pointer to the first.
	_, r := e.run(inv(asAdmin(alice), "stretchbreak set", opt("time", "10:00"), opt("timezone", "UTC")))
	wantText(t, r.Message, "already has that stretch break: #1 10:00 every day (UTC)")
}

func TestDuplicateReminderIsRefusedWithAPointer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID, interactionBurst: manyPresses})
	ctx := testCtx(t)
	o := inGuild(alice)
	_, r := e.run(inv(o, "stretch remind set", opt("time", "7:30"), opt("timezone", "Europe/Berlin")))
	wantText(t, r.Message, "Reminder #1 set")
	for _, spelling := range []string{"07:30", "7.30", "0730", "7:30am"} {
		_, r = e.run(inv(o, "stretch remind set", opt("time", spelling)))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		wantText(t, r.Message, "already have that reminder: #1, 07:30 every day (Europe/Berlin), by direct message")
	}
	// Twenty at once still make one.
	rs := e.atOnce(20, func(int) string {
		return e.fake.SlashCommand(inv(o, "stretch remind set", opt("time", "20:10")))
	})
	if got := tally(rs, "set: 20:10", "already have that reminder"); got["set: 20:10"] != 1 || got["already have that reminder"] != 19 {
		t.Fatalf("20 identical sets at once answered %v", got)
	}
	// Another destination or other days is another reminder.
	_, r = e.run(inv(o, "stretch remind set", opt("time", "7:30"), opt("where", "here")))
	wantText(t, r.Message, "set: 07:30 every day (Europe/Berlin), in this channel")
	_, r = e.run(inv(o, "stretch remind set", opt("time", "7:30"), opt("days", "weekdays")))
	wantText(t, r.Message, "set: 07:30 on weekdays")
	if list, _ := e.db.SchedulesByOwner(ctx, aliceID); len(list) != 4 {
		t.Fatalf("%d reminders, want 4: %+v", len(list), list)
	}
}
