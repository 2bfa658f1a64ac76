package main

import (
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/store"
)

// TestKillDashNineMidBurstDeliversEachOnce runs the real binary against the
// fake Discord with 1,000 reminders due together, kill -9s it after 300
// deliveries, starts it again on the same file and counts at the fake:
// every reminder must arrive exactly once. Those recorded and sent (or
// being sent) when the process died are unsettled in the journal; the
// second run resends them with the same nonce, and the fake, like Discord,
// answers a repeat with the first message.
func TestKillDashNineMidBurstDeliversEachOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("delivers 1,000 reminders at 47/s on the real clock (about 25 s)")
	}
	const total, killAfter = 1000, 300
	bin := buildBinary(t)
	fake := discordtest.New(t, discordtest.Options{})
	dbPath := filepath.Join(t.TempDir(), "burst.db")

	// One channel per reminder: a message identifies its schedule, and no
	// channel's 5-per-5-s bucket is ever hit, so one request is one
	// delivery. Channel ids are what Discord would hand out: snowflakes.
	channels := make([]string, total)
	due := time.Now().Add(2 * time.Second)
	seedBurst(t, dbPath, channels, due)
	delivered := func() (distinct, dup int) {
		for _, ch := range channels {
			switch n := len(fake.Messages(ch)); {
			case n == 1:
				distinct++
			case n > 1:
				distinct++
				dup += n - 1
			}
		}
		return distinct, dup
	}

	start := func(name string) (*exec.Cmd, *syncBuffer) {
		t.Helper()
		return startBot(t, name, bin, fake, dbPath)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	// Run 1: kill -9 in the middle of the burst.
	first, firstErr := start("run 1")
	if err := fake.WaitFor(ctx, func() bool { n, _ := delivered(); return n >= killAfter }); err != nil {
		t.Fatalf("waiting for %d deliveries: %v\nstderr:\n%s", killAfter, err, firstErr)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatalf("kill -9: %v", err)
	}
	if err := first.Wait(); err == nil {
		t.Fatal("run 1 exited cleanly; it should have been killed")
	}
	afterKill, _ := delivered()
	unrecorded, unsettled := journalState(t, dbPath)

	// Run 2 on the same file: it resends the unsettled ones and sends the
	// rest late, then SIGTERM.
	second, secondErr := start("run 2")
	if err := fake.WaitFor(ctx, func() bool { n, _ := delivered(); return n >= total }); err != nil {
		n, _ := delivered()
		t.Errorf("run 2 delivered %d of the %d left: %v\nstderr:\n%s", n-afterKill, total-afterKill, err, secondErr)
	}
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	if err := second.Wait(); err != nil {
		t.Fatalf("run 2 did not stop cleanly on SIGTERM: %v\nstderr:\n%s", err, secondErr)
	}

	got, dup := delivered()
	lost := total - got
	t.Logf("kill -9: delivered %d, duplicated %d, lost %d of %d", got, dup, lost, total)
	t.Logf("killed after %d deliveries; then %d unrecorded and %d recorded but unsettled; run 2 delivered %d, and the fake answered %d repeated nonces with the first message; 429s %d",
		afterKill, unrecorded, unsettled, got-afterKill, fake.NonceRepeats(), fake.RateLimited())
	if dup != 0 {
		t.Errorf("%d reminders were delivered twice", dup)
	}
	if lost != 0 {
		t.Errorf("%d reminders lost", lost)
	}
	if errs := fake.ValidationErrors(); len(errs) > 0 {
		t.Errorf("Discord would have rejected: %v", errs)
	}
}

// startBot starts the binary's run command against the fake Discord on
// the database db at the default request rate, with extra environment
// settings, and kills it at the end of the test if it still runs. Its
// stderr is returned for the test to read.
func startBot(t *testing.T, name, bin string, fake *discordtest.Fake, db string, extraEnv ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	var stderr syncBuffer
	cmd := exec.Command(bin, "run")
	// A clean environment: nothing of the developer's (a real token, an
	// ops address) leaks into the child.
	cmd.Env = append([]string{
		"DISCORD_TOKEN=" + fake.Token(),
		"DISCORD_API_BASE=" + fake.URL(),
		"STRETCHBOT_DB=" + db,
		"STRETCHBOT_LOG_LEVEL=info",
	}, extraEnv...)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, &stderr
}

// seedBurst writes one one-shot reminder per channel, all due at due,
// filling channels with the channel ids it used.
func seedBurst(t *testing.T, path string, channels []string, due time.Time) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seedBurstInto(t, db, channels, due)
}

// seedBurstInto is seedBurst into an open database of any backend.
func seedBurstInto(t *testing.T, db store.Backend, channels []string, due time.Time) {
	t.Helper()
	ss := make([]*stretchbot.Schedule, len(channels))
	for i := range ss {
		channels[i] = strconv.Itoa(800000000000000000 + i)
		ss[i] = &stretchbot.Schedule{
			Owner: strconv.Itoa(100000000000000000 + i), GuildID: "900000000000000001",
			ChannelID: channels[i], Kind: stretchbot.KindSnooze, At: due, TimeZone: "UTC", Created: time.Now(),
		}
	}
	if err := db.CreateSchedules(context.Background(), ss); err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// journalState reads the journal left by a kill: schedules never recorded
// (the next start sends them from the schedule) and occurrences recorded
// and unsettled (the next start resends them).
func journalState(t *testing.T, path string) (unrecorded, unsettled int) {
	t.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open after kill -9: %v", err)
	}
	defer db.Close()
	err = db.ForEachSchedule(context.Background(), func(s stretchbot.Schedule, lastFired time.Time) error {
		if lastFired.IsZero() {
			unrecorded++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scan after kill -9: %v", err)
	}
	un, err := db.Undelivered(context.Background())
	if err != nil {
		t.Fatalf("undelivered after kill -9: %v", err)
	}
	return unrecorded, len(un)
}

// TestDiscordFaultsDelayRemindersButLoseNone runs the real command wiring
// (Main.Run "run", in-process so it runs under -race) against a fake
// Discord that answers a burst of 500s, 502s and 503s and, meanwhile, rate
// limits every route to 10 requests a second, so discordgo meets 429s
// with Retry-After. Every reminder must arrive exactly once, only later,
// and the bot must still answer commands afterwards.
//
// The faults are bounded by count, not by time: the wiring runs on the
// real clock, and the scheduler's retries back off 1 s, 2 s, 4 s...; a
// count keeps the test to seconds while still making some reminders fail
// twice. Minute-long outages with the whole backoff sequence are covered on
// the scheduler's FakeClock in package scheduler (TestRetryThenSuccess and
// the tests beside it).
func TestDiscordFaultsDelayRemindersButLoseNone(t *testing.T) {
	const channelReminders, dmReminders = 20, 10
	fake := discordtest.New(t, discordtest.Options{})
	dbPath := filepath.Join(t.TempDir(), "faults.db")
	due := time.Now().Add(time.Second)

	// Reminders in channels, one channel each, and by DM, which also needs
	// the DM channel to be opened through the faulty API.
	channels := make([]string, channelReminders)
	seedBurst(t, dbPath, channels, due)
	users := make([]string, dmReminders)
	func() {
		db, err := store.Open(dbPath, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for i := range users {
			users[i] = strconv.Itoa(300000000000000000 + i)
			if err := db.CreateSchedule(context.Background(), &stretchbot.Schedule{
				Owner: users[i], Kind: stretchbot.KindSnooze, At: due, TimeZone: "UTC", Created: time.Now(),
			}); err != nil {
				t.Fatal(err)
			}
		}
	}()

	// The storm: 5xx on the routes reminders use, and a global limit of
	// 10/s against a bot that sends at 50/s.
	fake.FailNext(http.MethodPost, "/channels/*/messages", http.StatusInternalServerError, 25)
	fake.FailNext(http.MethodPost, "/channels/*/messages", http.StatusBadGateway, 10)
	fake.FailNext(http.MethodPost, "/users/@me/channels", http.StatusServiceUnavailable, 5)
	limits := discordtest.DefaultRateLimits()
	limits.Global = 10
	fake.SetRateLimits(limits)

	env := map[string]string{
		"DISCORD_TOKEN":    fake.Token(),
		"DISCORD_API_BASE": fake.URL(),
		"STRETCHBOT_DB":    dbPath,
		"STRETCHBOT_RATE":  "50",
	}
	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string { return env[k] }, Now: time.Now}
	runCtx, stop := context.WithCancel(context.Background())
	defer stop()
	exited := make(chan int, 1)
	go func() { exited <- m.Run(runCtx, []string{"run"}) }()

	count := func() (got, dup int) {
		tally := func(n int) {
			if n > 0 {
				got++
				dup += n - 1
			}
		}
		for _, ch := range channels {
			tally(len(fake.Messages(ch)))
		}
		for _, u := range users {
			tally(len(fake.DMs(u)))
		}
		return got, dup
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := fake.WaitFor(ctx, func() bool {
		select {
		case <-exited:
			return true // reported below
		default:
		}
		got, _ := count()
		return got == channelReminders+dmReminders
	})
	got, dup := count()
	if err != nil || got != channelReminders+dmReminders {
		for _, r := range fake.Requests() {
			t.Logf("%s %s %s %d %v", r.Time.Format("05.000"), r.Method, r.Path, r.Status, r.Error)
		}
		t.Fatalf("%d of %d reminders arrived (%v)\nstderr:\n%s", got, channelReminders+dmReminders, err, stderr.String())
	}
	var failed, rateLimited int
	for _, r := range fake.Requests() {
		switch {
		case r.Status == http.StatusTooManyRequests:
			rateLimited++
		case r.Status >= 500:
			failed++
		}
	}
	t.Logf("%d reminders delivered, %d duplicated, %d lost; the fake answered %d 5xx and %d 429s; last arrived %v after due",
		got, dup, channelReminders+dmReminders-got, failed, rateLimited, time.Since(due).Round(time.Millisecond))
	if dup != 0 {
		t.Errorf("%d reminders were delivered twice", dup)
	}
	if failed != 40 || rateLimited == 0 {
		t.Errorf("the storm did not happen as planned: %d 5xx (want 40), %d 429s", failed, rateLimited)
	}

	// The bot is still up: it answers a command once Discord recovers.
	fake.SetRateLimits(discordtest.DefaultRateLimits())
	id := fake.SlashCommand(discordtest.Invocation{
		Origin:  discordtest.InGuild("900000000000000001", channels[0], discordtest.User{ID: "100000000000000042", Username: "ana"}),
		Command: "stretch", Subcommand: "now",
	})
	if _, err := fake.WaitResponse(ctx, id); err != nil {
		t.Fatalf("no answer after the storm: %v\nstderr:\n%s", err, stderr.String())
	}
	stop()
	select {
	case code := <-exited:
		if code != exitOK {
			t.Fatalf("exit %d after a clean stop\nstderr:\n%s", code, stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("the bot did not stop")
	}
	if errs := fake.ValidationErrors(); len(errs) > 0 {
		t.Errorf("Discord would have rejected: %v", errs)
	}
}
