package console_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/console"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store"
	bolt "go.etcd.io/bbolt"
)

// syncBuffer is an output both the console and the scheduler write to.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // gets a token after each write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{written: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.written <- struct{}{}:
	default:
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type env struct {
	bot   *bot.Bot
	con   *console.Console
	out   *syncBuffer
	clock *scheduler.FakeClock
	sched *scheduler.Scheduler
	db    *store.DB
	dir   string
}

// newEnv wires the console exactly as the command does, on a fake clock.
func newEnv(t *testing.T, start time.Time) *env {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{out: newSyncBuffer(), clock: scheduler.NewFakeClock(start), db: db, dir: dir}
	var b *bot.Bot
	e.sched = scheduler.New(scheduler.Options{
		Clock: e.clock, Journal: db,
		Deliver: func(ctx context.Context, o scheduler.Occurrence) error {
			return b.Deliver(ctx, e.con, o.Schedule.ID, o.At, o.Late)
		},
	})
	b, err = bot.New(bot.Config{Store: db, Scheduler: e.sched, Catalog: catalog, Now: e.clock.Now, Console: true})
	if err != nil {
		t.Fatal(err)
	}
	e.bot = b
	e.con = e.newConsole(console.Options{FileDir: dir, Echo: true, Clock: e.clock})
	ctx, cancel := context.WithCancel(context.Background())
	e.sched.Start(ctx)
	t.Cleanup(func() {
		stopCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		if err := e.sched.Stop(stopCtx); err != nil {
			t.Error(err)
		}
		cancel()
		db.Close()
	})
	return e
}

// newConsole makes a console on the same bot and output. Reminders reach
// whichever console is e.con when they fire.
func (e *env) newConsole(opts console.Options) *console.Console {
	return console.New(e.bot, e.out, opts)
}

func (e *env) type_(t *testing.T, lines ...string) string {
	t.Helper()
	before := len(e.out.String())
	if err := e.con.Run(context.Background(), strings.NewReader(strings.Join(lines, "\n")+"\n")); err != nil {
		t.Fatal(err)
	}
	return e.out.String()[before:]
}

// waitCount waits until the output contains want n times.
func (e *env) waitCount(t *testing.T, want string, n int) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for strings.Count(e.out.String(), want) < n {
		select {
		case <-e.out.written:
		case <-timeout:
			t.Fatalf("output never showed %q %d times:\n%s", want, n, e.out.String())
		}
	}
}

// waitOutput waits until the output contains want; reminders arrive from
// the scheduler's goroutines once the fake clock has moved.
func (e *env) waitOutput(t *testing.T, want string) {
	t.Helper()
	// A guard against a reminder that never comes, not a speed target.
	timeout := time.After(time.Minute)
	for !strings.Contains(e.out.String(), want) {
		select {
		case <-e.out.written:
		case <-timeout:
			t.Fatalf("output never showed %q:\n%s", want, e.out.String())
		}
	}
}

func TestReminderArrivesInTheConsoleOnce(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	e := newEnv(t, time.Date(2026, 11, 25, 7, 0, 0, 0, berlin))
	out := e.type_(t, "/stretch remind set time:7:30 days:daily timezone:Europe/Berlin")
	if !strings.Contains(out, "Reminder #1 set: 07:30 every day (Europe/Berlin)") || !strings.Contains(out, "in 30 minutes)") {
		t.Fatalf("confirmation:\n%s", out)
	}
	e.clock.Set(time.Date(2026, 11, 25, 7, 30, 0, 0, berlin))
	e.waitOutput(t, "🔔 [direct message]")
	e.waitOutput(t, "Time to stretch!")
	// Nothing more until the next day: exactly one reminder.
	e.clock.Set(time.Date(2026, 11, 25, 23, 0, 0, 0, berlin))
	if n := strings.Count(e.out.String(), "Time to stretch!"); n != 1 {
		t.Fatalf("%d reminders, want 1", n)
	}
	// The reminder's buttons work from the console: [a2] is Done.
	out = e.type_(t, "a2")
	if !strings.Contains(out, "logged. Streak: 1 day.") {
		t.Fatalf("Done on the reminder:\n%s", out)
	}
}

func TestCheckInWithNumberedAnswers(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	// "Not sure" to the first question (numbness between the legs) is an
	// emergency at once, before any profile question.
	out := e.type_(t, "/checkin", "a3")
	for _, want := range []string{"pins and needles", "Get medical help now", "911", "not a clinician"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "How old are you?") {
		t.Errorf("the profile was asked before the emergency questions:\n%s", out)
	}
	// Discord's masked link is printed as its text and address.
	if !strings.Contains(out, "list of emergency telephone numbers (https://") || strings.Contains(out, "](") {
		t.Errorf("the list of emergency numbers is not a plain link:\n%s", out)
	}
	u, err := e.db.User(context.Background(), console.UserID)
	if err != nil || u.Paused != stretchbot.PauseCheckIn {
		t.Fatalf("reminders not paused after an emergency answer: %+v %v", u, err)
	}
	// The result has no buttons, and no other message has any.
	out = e.type_(t, "a9", "z1", "2")
	for _, want := range []string{"Message a has no buttons any more", "No message has the letter z", "No message has buttons right now"} {
		if !strings.Contains(out, want) {
			t.Errorf("keys that press nothing: output lacks %q:\n%s", want, out)
		}
	}
	// No stretches until the person says they have been checked.
	out = e.type_(t, "/stretch now")
	if !strings.Contains(out, "holding stretches back") || strings.Contains(out, "Steps:") {
		t.Fatalf("a stretch was offered after an emergency answer:\n%s", out)
	}
	// [b1] I've been checked by a clinician, then [c1] Stretch now.
	out = e.type_(t, "b1", "c1")
	if !strings.Contains(out, "lifted the hold on your stretches and reminders") || !strings.Contains(out, "Steps:") {
		t.Fatalf("no stretch after saying a clinician has checked:\n%s", out)
	}
}

// TestCheckInStoresNoRawAnswers runs two self-care check-ins that differ
// only in how the pain started (Q8): the stored records must be identical
// apart from their time, so no answer can have been written.
func TestCheckInStoresNoRawAnswers(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	no := "a2"
	// Q1–Q5 no, profile (16–49, no bone risk), Q6–Q7 no, Q8 everyday
	// strain, Q9–Q11 no, pain 3.
	first := []string{"/checkin", no, no, no, no, no, "a2", no, no, no, "a3", no, no, no, "a3"}
	out := e.type_(t, first...)
	if !strings.Contains(out, "Keep stretching") {
		t.Fatalf("first check-in:\n%s", out)
	}
	// Pain 3 asks for a check-in again in a week, said in days.
	out = e.type_(t, "a2")
	if !strings.Contains(out, "I'll remind you to check in in 7 days") {
		t.Fatalf("check-in reminder:\n%s", out)
	}
	e.clock.Set(e.clock.Now().Add(time.Hour))
	// Profile remembered, Q11 not asked again within a week; Q8 "my usual pain".
	no = "b2"
	second := []string{"/checkin", no, no, no, no, no, no, no, "b4", no, no, "b3"}
	out = e.type_(t, second...)
	if !strings.Contains(out, "Keep stretching") || strings.Contains(out, "How old are you?") {
		t.Fatalf("second check-in:\n%s", out)
	}

	var backup bytes.Buffer
	if _, err := e.db.Backup(context.Background(), &backup); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, backup.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	raw, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var values [][]byte
	var userJSON []byte
	err = raw.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket([]byte("checkins")).ForEach(func(k, v []byte) error {
			values = append(values, bytes.Clone(v))
			return nil
		}); err != nil {
			return err
		}
		userJSON = bytes.Clone(tx.Bucket([]byte("users")).Get([]byte(console.UserID)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(values) != 2 {
		t.Fatalf("%d check-in records, want 2", len(values))
	}
	if !bytes.Equal(values[0], values[1]) {
		t.Fatalf("records differ although only a raw answer differed: %x vs %x", values[0], values[1])
	}
	for _, word := range []string{"onset", "saddle", "fever", "cancer", "bladder", "weak", "night", "everyday", "usual"} {
		if bytes.Contains(bytes.ToLower(userJSON), []byte(word)) {
			t.Errorf("user record mentions %q: %s", word, userJSON)
		}
	}
}

// TestSkipKeepsTheChosenPosition: after /stretch now position:bed, Skip
// offers the next stretch that works in bed, not the next of all.
func TestSkipKeepsTheChosenPosition(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	out := e.type_(t, "/stretch now position:bed")
	if !strings.Contains(out, "== Knee hug, one leg at a time ==") {
		t.Fatalf("first stretch in bed:\n%s", out)
	}
	out = e.type_(t, "a3") // [a3] Skip
	if !strings.Contains(out, "== Side-lying thigh stretch ==") {
		t.Fatalf("Skip did not keep position:bed (child's pose is floor only):\n%s", out)
	}
	out = e.type_(t, "a2", "a1") // Done, then [a1] Another stretch
	if !strings.Contains(out, "== Lying hamstring stretch ==") {
		t.Fatalf("Another stretch did not keep position:bed:\n%s", out)
	}
}

// TestReminderWhenTheLastChoicesFitNothing: /stretch now position:chair
// equipment:ball finds nothing (the chair stretch needs the chair itself); a
// reminder afterwards still brings a stretch instead of failing.
func TestReminderWhenTheLastChoicesFitNothing(t *testing.T) {
	start := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	out := e.type_(t, "/stretch now position:chair equipment:ball", "/stretch remind set time:7:30 timezone:UTC")
	if !strings.Contains(out, "No stretch fits those choices") {
		t.Fatalf("chair and ball:\n%s", out)
	}
	e.clock.Set(start.Add(30 * time.Minute))
	e.waitOutput(t, "Time to stretch!")
	e.waitOutput(t, "Steps:")
}

// TestDoneShowsAStreakLongerThanAYear: the line after Done counts the whole
// history, like /stretch stats.
func TestDoneShowsAStreakLongerThanAYear(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	for d := 1; d <= 400; d++ {
		c := stretchbot.Completion{UserID: console.UserID, At: now.AddDate(0, 0, -d), StretchID: "knee-hug", Source: stretchbot.SourceManual}
		if err := e.db.AddCompletion(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	out := e.type_(t, "/stretch done")
	if !strings.Contains(out, "Streak: 401 days.") {
		t.Fatalf("Done after 400 days in a row:\n%s", out)
	}
}

func TestOneTimeReminderInTheConsole(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	out := e.type_(t, `/stretch remind set time:"in 20 minutes"`, "/stretch remind set time:noon timezone:Europe/Berlin", "/stretch remind set time:12:00")
	for _, want := range []string{
		"One-time reminder #1 set: once on Wed 25 Nov 2026 at 09:20 (UTC), by direct message.",
		"Reminder #2 set: 12:00 every day (Europe/Berlin)",
		"You already have that reminder: #2, 12:00 every day (Europe/Berlin), by direct message.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	e.clock.Set(time.Date(2026, 11, 25, 9, 20, 0, 0, time.UTC))
	e.waitOutput(t, "Time to stretch!")
}

// TestRoutineInTheConsole: the same routine as on Discord, with its
// countdown on the console's clock and keys that press its buttons.
func TestRoutineInTheConsole(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	typeLine := pipeConsole(t, e)
	typeLine("/stretch routine minutes:40")
	e.waitOutput(t, "A routine takes 1 to 30 minutes (leave minutes out for 10).")
	typeLine("/stretch routine minutes:2")
	e.waitOutput(t, "[a4] Stop")
	for _, want := range []string{"Your routine: 2 stretches, about 2 minutes.", "== 1 of 2: Knee hug", "[a1] Start hold", "[a2] Done", "[a3] Next"} {
		if !strings.Contains(e.out.String(), want) {
			t.Fatalf("routine: output lacks %q:\n%s", want, e.out.String())
		}
	}
	timers := e.clock.Timers()
	typeLine("a1")
	e.waitOutput(t, "side 1 of 2")
	e.advanceWhenWaiting(t, timers, 30*time.Second)
	e.waitOutput(t, "⏰ Time is up. When you are ready, switch to the other side and press Other side.")
	typeLine("a1")
	e.waitOutput(t, "side 2 of 2")
	e.advanceWhenWaiting(t, timers, 30*time.Second)
	e.waitOutput(t, "⏰ Time is up. All done? Press Done to log it and go on.")
	typeLine("a1")
	e.waitOutput(t, "== 2 of 2: ")
	e.waitOutput(t, "Knee hug, one leg at a time logged. Streak: 1 day.")
	typeLine("a4")
	e.waitOutput(t, "Routine stopped after 1 of 2. 1 stretch logged.")
	comps, err := e.db.Completions(context.Background(), console.UserID, time.Time{}, e.clock.Now().Add(time.Hour))
	if err != nil || len(comps) != 1 || comps[0].StretchID != "knee-hug" {
		t.Fatalf("completions after the routine: %v, %v", comps, err)
	}
}

func TestQuietHoursAndSnoozeInTheConsole(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	out := e.type_(t, "/stretch timezone name:UTC", "/stretch remind quiet from:22:00 to:7:00 mode:silent")
	if !strings.Contains(out, "Quiet hours set: 22:00 to 07:00 (UTC). A reminder that falls inside arrives on time, without a notification.") {
		t.Fatalf("quiet hours:\n%s", out)
	}
	e.type_(t, "/stretch remind set time:23:00")
	e.clock.Set(time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC))
	e.waitOutput(t, "🔕 [direct message, silent]")
	e.waitOutput(t, "Snooze 1 hour")
	// The reminder's second row holds the snooze choices.
	out = e.type_(t, "/stretch remind list")
	if !strings.Contains(out, "23:00 every day (UTC)") {
		t.Fatalf("list:\n%s", out)
	}
}

// TestRateLimitInTheConsole: the console goes through the same per-person
// limit as Discord, with the same answer.
func TestRateLimitInTheConsole(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	lines := make([]string, bot.LimitBurst)
	for i := range lines {
		lines[i] = "/stretch help"
	}
	if out := e.type_(t, lines...); strings.Contains(out, "Please try again") {
		t.Fatalf("refused within the burst:\n%s", out)
	}
	out := e.type_(t, "/stretch done")
	if !strings.Contains(out, "That's a lot of requests in a short time, so I'm pausing yours for a moment. Please try again in 1 second.") || strings.Contains(out, "logged") {
		t.Fatalf("over the limit:\n%s", out)
	}
	e.clock.Advance(time.Second)
	if out := e.type_(t, "/stretch done"); !strings.Contains(out, "logged. Streak: 1 day.") {
		t.Fatalf("a second later:\n%s", out)
	}
}

// TestSnoozeOfADirectMessageStaysADirectMessage: a button on a message
// that arrived by direct message is pressed there, as on Discord, so the
// snoozed reminder comes back by direct message, not in the channel.
func TestSnoozeOfADirectMessageStaysADirectMessage(t *testing.T) {
	start := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	e.type_(t, "/stretch remind set time:7:30 timezone:UTC")
	e.clock.Set(start.Add(30 * time.Minute))
	e.waitOutput(t, "🔔 [direct message]")
	e.waitOutput(t, "Snooze 10 minutes")
	out := e.type_(t, "a4")
	if !strings.Contains(out, "Snoozed") {
		t.Fatalf("[a4] is not the snooze:\n%s", out)
	}
	list, err := e.db.SchedulesByOwner(context.Background(), console.UserID)
	if err != nil {
		t.Fatal(err)
	}
	var snoozes int
	for _, s := range list {
		if s.Kind == stretchbot.KindSnooze {
			snoozes++
			if s.GuildID != "" || s.ChannelID != "" {
				t.Fatalf("the snooze of a direct message posts in server %q channel %q", s.GuildID, s.ChannelID)
			}
		}
	}
	if snoozes != 1 {
		t.Fatalf("%d snoozes, want 1", snoozes)
	}
	e.clock.Set(start.Add(41 * time.Minute))
	e.waitCount(t, "Time to stretch!", 2)
	if n := strings.Count(e.out.String(), "🔔 [direct message]"); n != 2 || strings.Contains(e.out.String(), "🔔 [channel]") {
		t.Fatalf("the snoozed reminder came elsewhere:\n%s", e.out.String())
	}
}

// TestAwayInTheConsole: /stretch away holds the reminders of the days
// away, says when they start again in words, and /stretch back ends it.
func TestAwayInTheConsole(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	e := newEnv(t, at(25, 9, 0))
	e.type_(t, "/stretch remind set time:9:30 timezone:UTC", "/stretch done")
	out := e.type_(t, "/stretch away days:3")
	if !strings.Contains(out, "Your reminders start again on Sat 28 Nov 2026 00:00 UTC (in 2 days 15 hours).") || !strings.Contains(out, "(1 day now)") {
		t.Fatalf("away:\n%s", out)
	}
	e.clock.Set(at(25, 9, 30))
	waitFired(t, e, 1)
	e.clock.Set(at(26, 9, 30))
	waitFired(t, e, 2)
	if strings.Contains(e.out.String(), "Time to stretch!") {
		t.Fatalf("a reminder came while away:\n%s", e.out.String())
	}
	e.clock.Set(at(26, 12, 0))
	if out := e.type_(t, "/stretch back"); !strings.Contains(out, "Welcome back! Your reminders are on again, and your streak of 1 day carries on.") {
		t.Fatalf("back:\n%s", out)
	}
	// The 27th would have been a day away: back sooner, it has its reminder.
	e.clock.Set(at(27, 9, 30))
	e.waitOutput(t, "Time to stretch!")
}
