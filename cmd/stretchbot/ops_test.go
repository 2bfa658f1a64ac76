package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestOpsEndpoints(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DB: filepath.Join(dir, "x.db"), Rate: 45, Grace: 10 * time.Minute, Shutdown: 5 * time.Second}
	log := slog.New(slog.DiscardHandler)
	met := newMetrics()
	clock := scheduler.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	a, err := openApp(cfg, log, clock, false, nil, met)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		if err := a.close(context.Background()); err != nil {
			t.Error(err)
		}
	}()

	connected := true
	interactions := map[bot.StatKey]int64{{Route: "stretch now", Outcome: "ok"}: 3}
	met.watch(a.sched, func() map[bot.StatKey]int64 { return interactions })
	met.rateLimited.Inc()
	h := health{dbOpen: a.db.Ready, connected: func() bool { return connected }, lag: a.sched.Lag}
	srv := httptest.NewServer(opsServer("", met.reg, h).Handler)
	defer srv.Close()

	// Something the store does, so the transaction histogram has samples.
	a.bot.Handle(ctx, bot.Interaction{Kind: bot.KindCommand, Command: "stretch done", UserID: "42", Options: map[string]string{}})

	code, body := get(t, srv.URL+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{
		`stretchbot_reminders_total{outcome="fired"} 0`,
		`stretchbot_schedules_armed 0`,
		`stretchbot_delivery_queue_depth 0`,
		`stretchbot_interactions_total{outcome="ok",route="stretch now"} 3`,
		`stretchbot_discord_rate_limited_total 1`,
		`stretchbot_db_transaction_seconds_count{kind="batch"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	code, body = get(t, srv.URL+"/healthz")
	if code != http.StatusOK || !strings.Contains(body, "db: ok") || !strings.Contains(body, "scheduler: ok") {
		t.Fatalf("/healthz: %d %q", code, body)
	}
	connected = false
	if code, body = get(t, srv.URL+"/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "gateway: FAIL") {
		t.Fatalf("/healthz with the gateway down: %d %q", code, body)
	}
}

func TestHealthCommandForTheContainerHealthcheck(t *testing.T) {
	healthy := true
	h := health{dbOpen: func() bool { return true }, connected: func() bool { return healthy }, lag: func() time.Duration { return 0 }}
	srv := httptest.NewServer(opsServer("", newMetrics().reg, h).Handler)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	if code, out, errOut := run(t, nil, "", "health", "--addr", addr); code != exitOK || !strings.Contains(out, "gateway: ok") {
		t.Fatalf("healthy: exit %d %q %q", code, out, errOut)
	}
	healthy = false
	if code, _, errOut := run(t, nil, "", "health", "--addr", addr); code != exitError || !strings.Contains(errOut, "unhealthy") {
		t.Fatalf("unhealthy: exit %d %q", code, errOut)
	}
}

func TestSweeperDeletesCheckInsPastRetention(t *testing.T) {
	cfg := Config{DB: filepath.Join(t.TempDir(), "x.db"), Rate: 45, Grace: time.Minute, Shutdown: time.Second}
	a, err := openApp(cfg, slog.New(slog.DiscardHandler), scheduler.RealClock(), false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	old := stretchbot.CheckInRecord{UserID: "7", At: time.Now().Add(-checkInRetention - time.Hour), Pain: 2, RuleVersion: "1"}
	recent := stretchbot.CheckInRecord{UserID: "7", At: time.Now().Add(-checkInRetention + time.Hour), Pain: 3, RuleVersion: "1"}
	for _, r := range []stretchbot.CheckInRecord{old, recent} {
		if err := a.db.AddCheckIn(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.start(ctx); err != nil { // the sweeper runs once at start
		t.Fatal(err)
	}
	cancel()
	if err := a.close(context.Background()); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(cfg.DB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	left, err := db.CheckIns(context.Background(), "7")
	if err != nil || len(left) != 1 || left[0].Pain != 3 {
		t.Fatalf("check-ins after the sweep: %+v %v; want only the recent one", left, err)
	}
}
