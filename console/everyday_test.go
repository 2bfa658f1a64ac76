package console_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/console"
)

// keyOf returns the key the output last printed for the button label
// ("a4" for "[a4] Clear filters").
func keyOf(t *testing.T, out, label string) string {
	t.Helper()
	all := regexp.MustCompile(`\[([a-z]+[0-9]+)\] `+regexp.QuoteMeta(label)).FindAllStringSubmatch(out, -1)
	if len(all) == 0 {
		t.Fatalf("no button %q in:\n%s", label, out)
	}
	return all[len(all)-1][1]
}

// Issue 14 item 3 in the console: a card shows its filters with a
// one-press reset, equipment comes only once the person has it, and a
// reminder keeps the filters it was set with, not the last /stretch now.
func TestFiltersAndEquipmentInTheConsole(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	out := e.type_(t, "/stretch now position:chair")
	if !strings.Contains(out, "== Seated twist ==") || !strings.Contains(out, "Filters:\nIn a chair") {
		t.Fatalf("chair card:\n%s", out)
	}
	out = e.type_(t, keyOf(t, out, "Clear filters"))
	if strings.Contains(out, "Seated twist") || strings.Contains(out, "In a chair") || !strings.Contains(out, "Filters:\nNone.") {
		t.Fatalf("Clear filters kept the chair:\n%s", out)
	}
	// Skip all round: nothing that needs a strap, a ball or a chair.
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for range 12 {
		out = e.type_(t, keyOf(t, out, "Skip"))
		for _, s := range catalog.Stretches {
			if slices.ContainsFunc(s.Equipment, func(q stretchbot.Equipment) bool { return q != stretchbot.EquipmentNone }) && strings.Contains(out, "== "+s.Name+" ==") {
				t.Fatalf("Skip offered %s to someone who has no %v:\n%s", s.Name, s.Equipment, out)
			}
		}
	}
	// The reminder set for bed keeps to bed, after a chair /stretch now.
	e.type_(t, "/stretch remind set time:9:30 timezone:UTC position:bed", "/stretch now position:chair")
	e.clock.Set(start.Add(30 * time.Minute))
	e.waitOutput(t, "Time to stretch!")
	e.waitOutput(t, "Filters:\nIn bed")
	reminder := e.out.String()[strings.LastIndex(e.out.String(), "Time to stretch!"):]
	if strings.Contains(reminder, "Seated twist") {
		t.Fatalf("the reminder took the last /stretch now's chair:\n%s", reminder)
	}
}

// Issue 14 item 4 in the console: a stretch break invites each person to
// their own stretch, has a line for a spasm, and keeps the tally.
func TestBreakInTheConsole(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	e.type_(t, "/stretchbreak set time:9:30 timezone:UTC")
	e.clock.Set(start.Add(30 * time.Minute))
	e.waitOutput(t, "I did it")
	post := e.out.String()
	for _, want := range []string{"Stretch break", "In a spasm right now?", "My stretch: in my chair"} {
		if !strings.Contains(post, want) {
			t.Fatalf("break post lacks %q:\n%s", want, post)
		}
	}
	if strings.Contains(post, "== Seated twist ==") {
		t.Fatalf("the break post shows one stretch for everyone:\n%s", post)
	}
	out := e.type_(t, keyOf(t, post, "My stretch: in my chair"))
	if !strings.Contains(out, "== Seated twist ==") || !strings.Contains(out, "press I did it on the break post") {
		t.Fatalf("my chair stretch:\n%s", out)
	}
	out = e.type_(t, keyOf(t, post, "I did it"))
	if !strings.Contains(out, "I did it (1)") {
		t.Fatalf("the tally after I did it:\n%s", out)
	}
	comps, err := e.db.Completions(context.Background(), console.UserID, time.Time{}, e.clock.Now().Add(time.Hour))
	if err != nil || len(comps) != 1 {
		t.Fatalf("completions after the break: %v, %v", comps, err)
	}
}

// The snooze choices in the console: Snooze 10 minutes brings the
// reminder back 10 minutes later and leaves the daily one as it was.
func TestSnoozeInTheConsole(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	e.type_(t, "/stretch remind set time:9:30 timezone:UTC")
	e.clock.Set(start.Add(30 * time.Minute))
	e.waitOutput(t, "Snooze 10 minutes")
	out := e.type_(t, keyOf(t, e.out.String(), "Snooze 10 minutes"))
	if !strings.Contains(out, "Snoozed. I'll remind you again in 10 minutes. Your other reminders stay as they are.") {
		t.Fatalf("Snooze 10 minutes:\n%s", out)
	}
	e.clock.Set(start.Add(40 * time.Minute))
	e.waitCount(t, "Time to stretch!", 2)
	out = e.type_(t, "/stretch remind list")
	if !strings.Contains(out, "09:30 every day (UTC)") {
		t.Fatalf("the daily reminder changed:\n%s", out)
	}
	next, ok := e.sched.NextFire(1)
	if want := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC); !ok || !next.Equal(want) {
		t.Fatalf("the daily reminder next fires %v, want %v", next, want)
	}
}

// Quiet hours that hold: a reminder inside arrives at their end.
func TestQuietHoursHoldInTheConsole(t *testing.T) {
	start := time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	out := e.type_(t, "/stretch timezone name:UTC", "/stretch remind quiet from:22:00 to:7am", "/stretch remind set time:23:00")
	if !strings.Contains(out, "Quiet hours set: 22:00 to 07:00 (UTC). A reminder that falls inside waits until 07:00.") {
		t.Fatalf("quiet hours:\n%s", out)
	}
	e.clock.Set(time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC))
	waitFired(t, e, 1)
	if strings.Contains(e.out.String(), "Time to stretch!") {
		t.Fatalf("a reminder came during quiet hours:\n%s", e.out.String())
	}
	e.clock.Set(time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC))
	e.waitOutput(t, "Time to stretch!")
}

// waitFired waits until the scheduler has handed n occurrences to
// delivery (a reminder held over quiet hours counts).
func waitFired(t *testing.T, e *env, n uint64) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for e.sched.Stats().Fired < n {
		select {
		case <-deadline:
			t.Fatalf("%d occurrences fired, want %d", e.sched.Stats().Fired, n)
		case <-time.After(time.Millisecond):
		}
	}
}

// Issue 14 item 7: times as people say them.
func TestSpokenTimesInTheConsole(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	out := e.type_(t, "/stretch remind set time:midnight timezone:UTC", "/stretch remind set time:7am timezone:UTC", "/stretch remind set time:noon timezone:UTC")
	for _, want := range []string{"Reminder #1 set: 00:00 every day (UTC)", "Reminder #2 set: 07:00 every day (UTC)", "Reminder #3 set: 12:00 every day (UTC)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
