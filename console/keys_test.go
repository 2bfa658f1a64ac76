package console_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/console"
	"github.com/stretchbot/stretchbot/lang"
)

// TestReminderDuringCheckInDoesNotTakeItsAnswers is the story: a
// reminder arrives in the middle of /checkin. The next answer still goes to
// the check-in, nothing is logged, and the reminder's own keys work.
func TestReminderDuringCheckInDoesNotTakeItsAnswers(t *testing.T) {
	start := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	out := e.type_(t, "/stretch remind set time:7:30 timezone:UTC", "/checkin", "a2")
	if !strings.Contains(out, "bladder") || !strings.Contains(out, "[a2] No") {
		t.Fatalf("check-in keys:\n%s", out)
	}
	e.clock.Set(start.Add(30 * time.Minute))
	e.waitOutput(t, "Time to stretch!")
	e.waitOutput(t, "[b2] Done")

	// "a2" is the check-in's No, not the reminder's Done.
	out = e.type_(t, "a2")
	if strings.Contains(out, "logged") {
		t.Fatalf("the check-in answer logged the reminder's stretch:\n%s", out)
	}
	if !strings.Contains(out, "== Check-in ==") || !strings.Contains(out, "[a1] Yes") {
		t.Fatalf("the check-in did not go on:\n%s", out)
	}
	ctx := context.Background()
	if comps, _ := e.db.Completions(ctx, console.UserID, time.Time{}, e.clock.Now().Add(time.Hour)); len(comps) != 0 {
		t.Fatalf("%d completions logged, want none", len(comps))
	}
	// A bare number is ambiguous now: it presses nothing and says why.
	out = e.type_(t, "2")
	if !strings.Contains(out, "pressed by their key") || strings.Contains(out, "logged") {
		t.Fatalf("a bare number:\n%s", out)
	}
	// The reminder's Done still works with its own key.
	out = e.type_(t, "b2")
	if !strings.Contains(out, "logged. Streak: 1 day.") {
		t.Fatalf("Done on the reminder:\n%s", out)
	}
	if comps, _ := e.db.Completions(ctx, console.UserID, time.Time{}, e.clock.Now().Add(time.Hour)); len(comps) != 1 {
		t.Fatalf("%d completions logged, want 1", len(comps))
	}
}

// TestKeysMatchWhatTheyPress: the pain scale's keys are its numbers, and
// the reminder list's keys are the reminders' numbers.
func TestKeysMatchWhatTheyPress(t *testing.T) {
	start := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	no := "a2"
	// Profile, Q1–Q7 no, Q8 everyday strain, Q9–Q11 no: then the pain scale.
	out := e.type_(t, "/checkin", "a2", no, no, no, no, no, no, no, no, "a3", no, no, no)
	if !strings.Contains(out, "[a0] 0  [a1] 1  [a2] 2  [a3] 3") || !strings.Contains(out, "[a10] 10") {
		t.Fatalf("pain scale keys:\n%s", out)
	}
	e.type_(t, "a3")
	recs, err := e.db.CheckIns(context.Background(), console.UserID)
	if err != nil || len(recs) != 1 || recs[0].Pain != 3 {
		t.Fatalf("typing a3 recorded %+v (%v), want pain 3", recs, err)
	}

	out = e.type_(t,
		"/stretch remind set time:7:30 timezone:UTC",
		"/stretch remind set time:8:30 timezone:UTC",
		"/stretch remind set time:9:30 timezone:UTC",
		"/stretch remind remove id:1",
		"/stretch remind list")
	if !strings.Contains(out, "[b2] Remove #2  [b3] Remove #3") {
		t.Fatalf("reminder list keys:\n%s", out)
	}
	out = e.type_(t, "b3")
	if !strings.Contains(out, "Reminder #3 removed") {
		t.Fatalf("b3 removed something else:\n%s", out)
	}
	out = e.type_(t, "b1")
	if !strings.Contains(out, "There is no button b1: message b has b2.") {
		t.Fatalf("a key of no button:\n%s", out)
	}

	// Held by an urgent check-in, the list also has the clinician button:
	// the reminders keep their numbers, it takes the next one.
	e.type_(t, "/checkin", "c1")
	out = e.type_(t, "/stretch remind list")
	if !strings.Contains(out, "[d2] Remove #2  [d3] I've been checked by a clinician") {
		t.Fatalf("held reminder list keys:\n%s", out)
	}
	if out = e.type_(t, "d3"); !strings.Contains(out, "lifted the hold") {
		t.Fatalf("d3 did not lift the hold:\n%s", out)
	}
}

// TestMessageLettersAreReused: after 26 messages with buttons, a letter
// comes back for a new message and no longer presses the old one.
func TestMessageLettersAreReused(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	lines := make([]string, 27)
	for i := range lines {
		lines[i] = "/stretch privacy forget"
	}
	out := e.type_(t, lines...)
	if !strings.Contains(out, "[z1] Delete everything") || strings.Count(out, "[a1] Delete everything") != 2 {
		t.Fatalf("letters after 27 messages:\n%s", out)
	}
	out = e.type_(t, "a2", "b2")
	if strings.Count(out, "Nothing was deleted") != 2 {
		t.Fatalf("keys of the newest a and of b:\n%s", out)
	}
}

// pipeConsole runs the console on a pipe, so a test can type while
// countdowns run. The returned function types one line.
func pipeConsole(t *testing.T, e *env) func(line string) {
	t.Helper()
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- e.con.Run(context.Background(), r) }()
	t.Cleanup(func() {
		w.Close()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return func(line string) {
		t.Helper()
		if _, err := fmt.Fprintln(w, line); err != nil {
			t.Fatal(err)
		}
	}
}

// advanceWhenWaiting moves the clock by d once the countdown's timer is
// armed (one more timer than before).
func (e *env) advanceWhenWaiting(t *testing.T, before int, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.clock.BlockUntil(ctx, before+1); err != nil {
		t.Fatalf("no countdown timer: %v\n%s", err, e.out.String())
	}
	e.clock.Advance(d)
}

func TestPipedCountdownPrintsOnlyTheEndLine(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	typeLine := pipeConsole(t, e)
	typeLine("/stretch now")
	e.waitOutput(t, "[a1] Start")
	timers := e.clock.Timers()
	typeLine("a1")
	e.waitOutput(t, "[a1] Other side")
	// Half way through side 1 the person moves on: that countdown stops.
	e.advanceWhenWaiting(t, timers, 15*time.Second)
	typeLine("a1")
	e.waitOutput(t, "side 2 of 2")
	e.advanceWhenWaiting(t, timers, 30*time.Second)
	e.waitOutput(t, "⏰ Time is up: stay longer if it feels good, then press Done to log it.")
	out := e.out.String()
	if strings.Contains(out, "⏳") || strings.Contains(out, "\a") || strings.Contains(out, "switch to the other side.\n") {
		t.Fatalf("piped output ticked, rang or finished the stopped side:\n%q", out)
	}
}

func TestTerminalCountdownTicksAndRings(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	e.con = e.newConsole(console.Options{FileDir: e.dir, Terminal: true, Clock: e.clock})
	typeLine := pipeConsole(t, e)
	typeLine("/stretch now")
	e.waitOutput(t, "[a1] Start")
	timers := e.clock.Timers()
	typeLine("a1")
	e.waitOutput(t, "\r⏳ 30 seconds left")
	for left := 29; left >= 1; left-- {
		e.advanceWhenWaiting(t, timers, time.Second)
		e.waitOutput(t, fmt.Sprintf("\r⏳ %s left", stretchbot.Count(lang.English(), left, stretchbot.NounSecond)))
	}
	e.advanceWhenWaiting(t, timers, time.Second)
	e.waitOutput(t, "\r⏰ Time is up: stay longer if it feels good, then switch to the other side.   \a\n")
	if strings.Contains(e.out.String(), "> a1") {
		t.Fatal("a terminal echoes typed lines itself; the console echoed them again")
	}
}

// TestFilesAreSavedInTheFolderWithoutReplacingOthers: exports go to the
// console's folder under their own name, never over an existing file, and
// nothing is left in the system's temporary folder.
func TestFilesAreSavedInTheFolderWithoutReplacingOthers(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	dir := filepath.Join(e.dir, "exports")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	e.con = e.newConsole(console.Options{FileDir: dir, Echo: true, Clock: e.clock})
	if err := os.WriteFile(filepath.Join(dir, "stretchbot-export.json"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := e.type_(t, "/stretch done", "/stretch privacy export", "/stretch privacy export")
	for _, name := range []string{"stretchbot-export-2.json", "stretchbot-export-3.json"} {
		path := filepath.Join(dir, name)
		if !strings.Contains(out, "saved to "+path+"\n") {
			t.Errorf("output does not print %s:\n%s", path, out)
		}
		data, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(data), console.UserID) {
			t.Errorf("%s: %v %.80s", name, err, data)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "stretchbot-export.json")); string(data) != "mine" {
		t.Fatalf("an existing file was replaced: %q", data)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("files left in the temporary folder: %v", left)
	}
}

func TestOverlongLineIsRefusedAndTheConsoleGoesOn(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	out := e.type_(t, "/stretch now position:"+strings.Repeat("x", console.MaxLine+10), "/stretch done")
	if !strings.Contains(out, "longer than 64 KiB") || !strings.Contains(out, "Stretch logged") {
		t.Fatalf("output:\n%.2000s", out)
	}
}
