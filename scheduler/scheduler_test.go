package scheduler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/stretchbot/stretchbot"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) {
		if millionFile.dir != "" {
			os.RemoveAll(millionFile.dir)
		}
	}))
}

// memJournal is an in-memory Journal, standing in for the store: the last
// recorded occurrence per schedule, and the sent ones not yet settled.
type memJournal struct {
	mu        sync.Mutex
	last      map[uint64]time.Time
	unsettled map[stretchbot.Fired]bool // by ScheduleID and At (UTC)
	sent      map[stretchbot.Fired]time.Time
	calls     int
}

func newMemJournal() *memJournal {
	return &memJournal{last: map[uint64]time.Time{}, unsettled: map[stretchbot.Fired]bool{}, sent: map[stretchbot.Fired]time.Time{}}
}

func (j *memJournal) MarkFired(_ context.Context, occ []stretchbot.Fired) ([]bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.calls++
	fresh := make([]bool, len(occ))
	for i, o := range occ {
		if !o.At.After(j.last[o.ScheduleID]) {
			continue
		}
		fresh[i] = true
		j.last[o.ScheduleID] = o.At
		if !o.Sent.IsZero() {
			k := stretchbot.Fired{ScheduleID: o.ScheduleID, At: o.At.UTC()}
			j.unsettled[k] = true
			j.sent[k] = o.Sent
		}
	}
	return fresh, nil
}

func (j *memJournal) MarkDelivered(_ context.Context, occ []stretchbot.Fired) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, o := range occ {
		delete(j.unsettled, stretchbot.Fired{ScheduleID: o.ScheduleID, At: o.At.UTC()})
	}
	return nil
}

// undelivered lists what the store's Undelivered would.
func (j *memJournal) undelivered() []stretchbot.Fired {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []stretchbot.Fired
	for k := range j.unsettled {
		out = append(out, stretchbot.Fired{ScheduleID: k.ScheduleID, At: k.At, Sent: j.sent[k]})
	}
	return out
}

func (j *memJournal) lastFired(id uint64) time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.last[id]
}

// harness is a Scheduler on a fake clock whose deliveries arrive on a channel.
type harness struct {
	t         *testing.T
	clock     *FakeClock
	journal   *memJournal
	s         *Scheduler
	delivered chan Occurrence
	ctx       context.Context
}

func newHarness(t *testing.T, start time.Time, opts Options) *harness {
	t.Helper()
	h := &harness{t: t, clock: NewFakeClock(start), journal: newMemJournal(), delivered: make(chan Occurrence, 16)}
	if opts.Deliver == nil {
		opts.Deliver = func(ctx context.Context, o Occurrence) error {
			select {
			case h.delivered <- o:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	if opts.Journal == nil {
		opts.Journal = h.journal
	}
	opts.Clock = h.clock
	var cancel context.CancelFunc
	h.ctx, cancel = context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	h.s = New(opts)
	h.s.Start(h.ctx)
	t.Cleanup(func() {
		if err := h.s.Stop(h.ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return h
}

// next waits for the next delivery.
func (h *harness) next() Occurrence {
	h.t.Helper()
	select {
	case o := <-h.delivered:
		return o
	case <-h.ctx.Done():
		h.t.Fatalf("no delivery: %v", h.ctx.Err())
		return Occurrence{}
	}
}

func (h *harness) arm(s stretchbot.Schedule, lastFired time.Time) {
	h.t.Helper()
	if err := h.s.Arm(s, lastFired); err != nil {
		h.t.Fatalf("arm %d: %v", s.ID, err)
	}
}

func (h *harness) nextFire(id uint64) time.Time {
	h.t.Helper()
	at, ok := h.s.NextFire(id)
	if !ok {
		h.t.Fatalf("schedule %d not armed", id)
	}
	return at
}

func daily(id uint64, owner, spec, zone string) stretchbot.Schedule {
	return stretchbot.Schedule{ID: id, Owner: owner, Kind: stretchbot.KindReminder, Spec: spec, TimeZone: zone}
}

// TestFiresOncePerDayAcrossDST runs a daily reminder through 400 simulated
// days of New York, both changes of 2026 included: 02:30 does not exist on
// 8 March and is read as 03:30 EDT.
func TestFiresOncePerDayAcrossDST(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	h := newHarness(t, time.Date(2026, 1, 1, 0, 0, 0, 0, ny), Options{})
	h.arm(daily(1, "u1", "30 2 * * *", "America/New_York"), time.Time{})
	perDay := map[string]int{}
	var prev time.Time
	for i := range 400 {
		at := h.nextFire(1)
		h.clock.Set(at)
		o := h.next()
		if !o.At.Equal(at) || o.Late {
			t.Fatalf("day %d: delivered %s (late %v), want %s on time", i, o.At, o.Late, at)
		}
		if !o.At.After(prev) {
			t.Fatalf("day %d: %s not after %s", i, o.At, prev)
		}
		y, m, d := o.At.Date()
		if want := wallInstant(ny, y, m, d, 2, 30); !o.At.Equal(want) {
			t.Fatalf("day %d: %s, want %s", i, o.At, want)
		}
		perDay[o.At.Format(time.DateOnly)]++
		prev = o.At
	}
	if len(perDay) != 400 {
		t.Errorf("%d distinct days, want 400", len(perDay))
	}
	if got := prev.Format(time.DateOnly); got != "2027-02-04" {
		t.Errorf("400th day is %s, want 2027-02-04", got)
	}
	if perDay["2026-03-08"] != 1 {
		t.Errorf("spring-forward day not fired at 03:30 EDT")
	}
	if last := h.journal.lastFired(1); !last.Equal(prev) {
		t.Errorf("journal's last fired %s, want the 400th %s", last, prev)
	}
	if err := h.s.Stop(h.ctx); err != nil {
		t.Fatal(err)
	}
	if st := h.s.Stats(); st.Fired != 400 || st.Skipped != 0 || st.Armed != 1 {
		t.Errorf("stats = %+v", st)
	}
}

// TestRestart stops a scheduler and arms a new one from the journal, the way
// cmd does on start.
func TestRestart(t *testing.T) {
	day := func(d, h, m int) time.Time { return time.Date(2026, 6, d, h, m, 0, 0, time.UTC) }
	sched := daily(7, "u7", "30 7 * * *", "UTC")
	journal := newMemJournal()
	clock := NewFakeClock(day(1, 7, 0))

	run := func(armAt, now time.Time, deliver func(Occurrence)) *Scheduler {
		clock.Set(armAt)
		got := make(chan Occurrence, 4)
		s := New(Options{Clock: clock, Journal: journal, Deliver: func(_ context.Context, o Occurrence) error {
			got <- o
			return nil
		}})
		if err := s.Arm(sched, journal.lastFired(7)); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Start(ctx)
		clock.Set(now)
		if deliver != nil {
			select {
			case o := <-got:
				deliver(o)
			case <-ctx.Done():
				t.Fatal("no delivery")
			}
		}
		if err := s.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case o := <-got:
			t.Fatalf("unexpected delivery %+v", o)
		default:
		}
		return s
	}

	// Day 1: on time.
	s := run(day(1, 7, 0), day(1, 7, 30), func(o Occurrence) {
		if !o.At.Equal(day(1, 7, 30)) || o.Late {
			t.Errorf("day 1: %+v", o)
		}
	})
	if st := s.Stats(); st.Fired != 1 {
		t.Errorf("day 1 stats %+v, want one fired", st)
	}
	// Restart a minute later: nothing again.
	s = run(day(1, 7, 31), day(1, 7, 31), nil)
	if at, _ := s.NextFire(7); !at.Equal(day(2, 7, 30)) {
		t.Errorf("after restart next = %s", at)
	}
	// Down over day 2's time, back within the grace period: sent late.
	s = run(day(2, 7, 35), day(2, 7, 35), func(o Occurrence) {
		if !o.At.Equal(day(2, 7, 30)) || !o.Late {
			t.Errorf("day 2: %+v, want late", o)
		}
	})
	if st := s.Stats(); st.Late != 1 {
		t.Errorf("stats %+v, want one late", st)
	}
	// Down over day 3's time, back 15 minutes later: skipped and counted.
	s = run(day(3, 7, 45), day(3, 7, 45), nil)
	if st := s.Stats(); st.Skipped != 1 || st.Fired != 0 {
		t.Errorf("day 3 stats %+v, want one skipped", st)
	}
	if at, _ := s.NextFire(7); !at.Equal(day(4, 7, 30)) {
		t.Errorf("day 3 next = %s", at)
	}
	// The process died after recording day 4 and before sending it; the
	// caller's lastFired is stale. The journal still stops a second send.
	if _, err := journal.MarkFired(context.Background(), []stretchbot.Fired{{ScheduleID: 7, At: day(4, 7, 30)}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(4, 7, 31))
	s = New(Options{Clock: clock, Journal: journal, Deliver: func(context.Context, Occurrence) error {
		t.Error("day 4 delivered twice")
		return nil
	}})
	if err := s.Arm(sched, day(3, 7, 30)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.Start(ctx)
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Skipped != 1 || st.Fired != 0 {
		t.Errorf("day 4 stats %+v, want the recorded one skipped", st)
	}
}

// TestEditAndRemoveWhileFiring pops three occurrences due together; with a
// slow rate the second and third wait for the limiter while one schedule is
// edited and one removed. Neither may be sent.
func TestEditAndRemoveWhileFiring(t *testing.T) {
	start := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	h := newHarness(t, start, Options{Rate: 1, Workers: 1})
	for id := uint64(1); id <= 4; id++ {
		h.arm(daily(id, fmt.Sprint("u", id), "30 7 * * *", "UTC"), time.Time{})
	}
	h.clock.Set(start.Add(30 * time.Minute))
	if o := h.next(); o.Schedule.ID != 1 {
		t.Fatalf("first delivery %d", o.Schedule.ID)
	}
	// Schedule 2 now waits for its slot (limiter timer + loop timer).
	if err := h.clock.BlockUntil(h.ctx, 2); err != nil {
		t.Fatal(err)
	}
	h.arm(daily(2, "u2", "45 7 * * *", "UTC"), time.Time{})
	h.s.Remove(3)
	// 2's slot comes: it was edited, so it is not sent; 3 was removed, so it
	// takes no slot; 4 is sent in the slot after. With one worker, 4 arriving
	// means 2 was dealt with.
	for range 2 {
		if err := h.clock.BlockUntil(h.ctx, 2); err != nil {
			t.Fatal(err)
		}
		h.clock.AdvanceToNextTimer()
	}
	if o := h.next(); o.Schedule.ID != 4 {
		t.Fatalf("delivered %d, want only 4", o.Schedule.ID)
	}
	if st := h.s.Stats(); st.Skipped != 2 || st.Fired != 2 {
		t.Errorf("stats %+v", st)
	}
	if at := h.nextFire(2); !at.Equal(start.Add(45 * time.Minute)) {
		t.Errorf("edited schedule next = %s", at)
	}
	if _, ok := h.s.NextFire(3); ok {
		t.Error("removed schedule still armed")
	}
}

func TestPauseOwner(t *testing.T) {
	start := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	h := newHarness(t, start, Options{Workers: 1})
	h.arm(daily(1, "paused", "30 7 * * *", "UTC"), time.Time{})
	h.arm(daily(2, "other", "30 7 * * *", "UTC"), time.Time{})
	h.s.PauseOwner("paused")
	h.clock.Set(start.Add(30 * time.Minute))
	if o := h.next(); o.Schedule.ID != 2 {
		t.Fatalf("delivered %d while its owner is paused", o.Schedule.ID)
	}
	if st := h.s.Stats(); st.Skipped != 1 {
		t.Errorf("stats %+v, want one skipped", st)
	}
	h.s.ResumeOwner("paused")
	// Nothing saved up: the next delivery is tomorrow's.
	h.clock.Set(start.Add(24*time.Hour + 30*time.Minute))
	got := map[uint64]time.Time{}
	for i := range 2 {
		if i > 0 { // the second waits for its limiter slot
			if err := h.clock.BlockUntil(h.ctx, 2); err != nil {
				t.Fatal(err)
			}
			h.clock.AdvanceToNextTimer()
		}
		o := h.next()
		got[o.Schedule.ID] = o.At
	}
	if !got[1].Equal(start.Add(24*time.Hour+30*time.Minute)) || len(got) != 2 {
		t.Errorf("after resume: %v", got)
	}
}

func TestPausedScheduleIsNotArmed(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC), Options{})
	s := daily(1, "u", "30 7 * * *", "UTC")
	h.arm(s, time.Time{})
	s.Paused = true
	h.arm(s, time.Time{})
	if h.s.Len() != 0 {
		t.Errorf("Len = %d after pausing", h.s.Len())
	}
}

func TestSnooze(t *testing.T) {
	start := time.Date(2026, 6, 1, 7, 30, 0, 0, time.UTC)
	h := newHarness(t, start, Options{})
	snooze := stretchbot.Schedule{ID: 9, Owner: "u", Kind: stretchbot.KindSnooze, At: start.Add(10 * time.Minute), TimeZone: "Europe/Berlin"}
	h.arm(snooze, time.Time{})
	h.clock.Set(snooze.At)
	if o := h.next(); !o.At.Equal(snooze.At) || o.Schedule.Kind != stretchbot.KindSnooze {
		t.Fatalf("snooze delivered %+v", o)
	}
	if _, ok := h.s.NextFire(9); ok || h.s.Len() != 0 {
		t.Errorf("one-shot still armed after firing")
	}
	// After a restart the store still lists it; its lastFired keeps it done.
	h.arm(snooze, h.journal.lastFired(9))
	if _, ok := h.s.NextFire(9); ok {
		t.Errorf("fired one-shot armed again")
	}
	h.clock.Advance(time.Hour)
	select {
	case o := <-h.delivered:
		t.Fatalf("delivered again: %+v", o)
	default:
	}
}

func TestSkipNext(t *testing.T) {
	start := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	h := newHarness(t, start, Options{})
	h.arm(daily(1, "u", "30 7 * * *", "UTC"), time.Time{})
	after, err := h.s.SkipNext(1)
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(24*time.Hour + 30*time.Minute); !after.Equal(want) {
		t.Errorf("SkipNext = %s, want %s", after, want)
	}
	if !h.journal.lastFired(1).Equal(start.Add(30 * time.Minute)) {
		t.Errorf("skipped occurrence not recorded")
	}
	h.clock.Set(start.Add(30 * time.Minute))
	h.clock.Set(after)
	if o := h.next(); !o.At.Equal(after) {
		t.Errorf("delivered %s, want %s", o.At, after)
	}
	if _, err := h.s.SkipNext(99); stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
		t.Errorf("SkipNext(unknown) = %v", err)
	}
}

func TestRetryThenSuccess(t *testing.T) {
	start := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	attempts := make(chan time.Time, 8)
	var clock *FakeClock
	n := 0
	h := newHarness(t, start, Options{Deliver: func(_ context.Context, o Occurrence) error {
		n++
		attempts <- clock.Now()
		if n < 3 {
			return errors.New("discord: 500")
		}
		return nil
	}})
	clock = h.clock
	h.arm(daily(1, "u", "30 7 * * *", "UTC"), time.Time{})
	due := start.Add(30 * time.Minute)
	h.clock.Set(due)
	var got []time.Duration
	for i := range 3 {
		select {
		case at := <-attempts:
			got = append(got, at.Sub(due))
		case <-h.ctx.Done():
			t.Fatal("no attempt")
		}
		if i < 2 {
			if err := h.clock.BlockUntil(h.ctx, 2); err != nil { // backoff + loop timer
				t.Fatal(err)
			}
			h.clock.AdvanceToNextTimer()
		}
	}
	if want := []time.Duration{0, time.Second, 3 * time.Second}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("attempts at %v, want %v", got, want)
	}
	if err := h.s.Stop(h.ctx); err != nil {
		t.Fatal(err)
	}
	if st := h.s.Stats(); st.Fired != 1 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestRetriesExhausted(t *testing.T) {
	start := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	calls := make(chan struct{}, 8)
	h := newHarness(t, start, Options{MaxRetries: 2, Deliver: func(context.Context, Occurrence) error {
		calls <- struct{}{}
		return errors.New("timeout")
	}})
	h.arm(daily(1, "u", "30 7 * * *", "UTC"), time.Time{})
	h.clock.Set(start.Add(30 * time.Minute))
	for i := range 3 {
		<-calls
		if i < 2 {
			if err := h.clock.BlockUntil(h.ctx, 2); err != nil {
				t.Fatal(err)
			}
			h.clock.AdvanceToNextTimer()
		}
	}
	if err := h.s.Stop(h.ctx); err != nil {
		t.Fatal(err)
	}
	if st := h.s.Stats(); st.Failed != 1 || st.Fired != 0 || len(calls) != 0 {
		t.Errorf("stats %+v, extra calls %d", st, len(calls))
	}
}

func TestPermanentFailureReportedOnce(t *testing.T) {
	start := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var reported []Occurrence
	calls := 0
	h := newHarness(t, start, Options{
		Deliver: func(context.Context, Occurrence) error {
			mu.Lock()
			calls++
			mu.Unlock()
			return Permanent(errors.New("cannot send messages to this user"))
		},
		OnPermanentFailure: func(o Occurrence, err error) {
			if !errors.Is(err, ErrPermanent) {
				t.Errorf("reported %v, not ErrPermanent", err)
			}
			mu.Lock()
			reported = append(reported, o)
			mu.Unlock()
		},
	})
	h.arm(daily(1, "u", "30 7 * * *", "UTC"), time.Time{})
	h.clock.Set(start.Add(30 * time.Minute))
	if err := h.s.Stop(h.ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 1 || len(reported) != 1 || reported[0].Schedule.ID != 1 {
		t.Errorf("calls %d, reported %v", calls, reported)
	}
	if st := h.s.Stats(); st.Permanent != 1 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestLimiterPacing fires 10,000 one-shots due within one second and checks
// on the fake clock that they leave in time order, one per 1/rate, never two
// at once.
func TestLimiterPacing(t *testing.T) {
	const n = 10000
	rate := 45.0
	start := time.Date(2026, 6, 1, 7, 30, 0, 0, time.UTC)
	type sent struct{ at, due time.Time }
	out := make(chan sent, 1)
	var clock *FakeClock
	h := newHarness(t, start, Options{Rate: rate, Deliver: func(ctx context.Context, o Occurrence) error {
		out <- sent{clock.Now(), o.At}
		return nil
	}})
	clock = h.clock
	order := rand.Perm(n)
	for _, i := range order {
		h.arm(stretchbot.Schedule{ID: uint64(i + 1), Owner: fmt.Sprint("u", i), Kind: stretchbot.KindSnooze,
			At: start.Add(time.Duration(i+1) * 99 * time.Microsecond), TimeZone: "UTC"}, time.Time{})
	}
	h.clock.Set(start.Add(time.Second))
	var got []sent
	for i := range n {
		if i > 0 {
			if err := h.clock.BlockUntil(h.ctx, 1); err != nil {
				t.Fatalf("after %d: %v; stats %+v, %d timers, queue chan %d", i, err, h.s.Stats(), h.clock.Timers(), len(out))
			}
			h.clock.AdvanceToNextTimer()
		}
		select {
		case s := <-out:
			got = append(got, s)
		case <-h.ctx.Done():
			t.Fatalf("after %d: no delivery", i)
		}
	}
	interval := time.Duration(float64(time.Second) / rate)
	for i := 1; i < n; i++ {
		if !got[i].due.After(got[i-1].due) {
			t.Fatalf("delivery %d due %s after one due %s", i, got[i].due, got[i-1].due)
		}
		// x/time/rate computes slots in float64 seconds: a gap may be off
		// by a nanosecond, never more, and the errors do not add up.
		if d := got[i].at.Sub(got[i-1].at); d < interval-time.Nanosecond || d > interval+time.Nanosecond {
			t.Fatalf("delivery %d %s after the previous, want %s", i, d, interval)
		}
	}
	took := got[n-1].at.Sub(got[0].at)
	if want := time.Duration(float64(n-1) * float64(time.Second) / rate); took < want-time.Microsecond || took > want+time.Microsecond {
		t.Errorf("%d deliveries took %s, want %s", n, took, want)
	}
	achieved := float64(n-1) / took.Seconds()
	t.Logf("%d deliveries in %s of fake time: %.2f/s (rate %.0f/s)", n, took, achieved, rate)
	if achieved < 0.99*rate || achieved > rate*1.001 {
		t.Errorf("achieved %.2f/s, want %.0f/s", achieved, rate)
	}
	// Occurrences are recorded a tenth of a second of sends at a time, right
	// before their slots: few writes for a burst, little lost in a crash.
	ahead := RecordBatch(rate)
	if want := n/ahead + 3; h.journal.calls > want {
		t.Errorf("%d journal calls for one burst, want at most %d (batches of %d)", h.journal.calls, want, ahead)
	}
}

// TestClockJump moves the wall clock forward three hours: the occurrences
// older than the grace period are skipped, the recent one is sent late.
func TestClockJump(t *testing.T) {
	start := time.Date(2026, 6, 1, 0, 59, 0, 0, time.UTC)
	h := newHarness(t, start, Options{})
	h.arm(daily(1, "u", "0 * * * *", "UTC"), time.Time{})
	h.clock.Set(start.Add(2*time.Hour + 6*time.Minute))
	o := h.next()
	if want := time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC); !o.At.Equal(want) || !o.Late {
		t.Errorf("delivered %+v, want %s late", o, want)
	}
	if st := h.s.Stats(); st.Skipped != 2 {
		t.Errorf("stats %+v, want 2 skipped", st)
	}
}

func TestArmErrors(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Options{})
	for _, s := range []stretchbot.Schedule{
		daily(1, "u", "30 7 * * *", "Mars/Olympus"),
		daily(2, "u", "30 25 * * *", "UTC"),
		daily(3, "u", "0 0 30 2 *", "UTC"),
		{ID: 4, Owner: "u", Kind: stretchbot.KindSnooze, TimeZone: "UTC"},
	} {
		if err := h.s.Arm(s, time.Time{}); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
			t.Errorf("Arm(%d) = %v, want EINVALID", s.ID, err)
		}
	}
	if h.s.Len() != 0 {
		t.Errorf("Len = %d", h.s.Len())
	}
}

// TestConcurrentArmRemove arms, edits and removes schedules from many
// goroutines while time runs and schedules fire; run with -race. No
// occurrence may be delivered twice.
func TestConcurrentArmRemove(t *testing.T) {
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	seen := map[stretchbot.Fired]int{}
	h := newHarness(t, start, Options{Rate: 1e6, Deliver: func(_ context.Context, o Occurrence) error {
		mu.Lock()
		seen[stretchbot.Fired{ScheduleID: o.Schedule.ID, At: o.At.UTC()}]++
		mu.Unlock()
		return nil
	}})
	specs := []string{"* * * * *", "*/2 * * * *", "0 * * * *", "30 7 * * *"}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := uint64(r.IntN(200) + 1)
				switch r.IntN(4) {
				case 0:
					h.s.Remove(id)
				case 1:
					_ = h.s.Arm(stretchbot.Schedule{ID: id, Owner: "u", Kind: stretchbot.KindSnooze,
						At: h.clock.Now().Add(time.Duration(r.IntN(600)) * time.Second), TimeZone: "UTC"}, time.Time{})
				default:
					_ = h.s.Arm(daily(id, "u", specs[r.IntN(len(specs))], "UTC"), h.journal.lastFired(id))
				}
				h.s.NextFire(id)
				if i%50 == 0 {
					h.s.Stats()
				}
			}
		}()
	}
	for range 300 {
		h.clock.Advance(20 * time.Second)
	}
	close(stop)
	wg.Wait()
	// Keep time moving so queued deliveries get their limiter slots.
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		if err := h.s.Stop(h.ctx); err != nil {
			t.Error(err)
		}
	}()
	for done := false; !done; {
		select {
		case <-stopped:
			done = true
		default:
			if _, ok := h.clock.AdvanceToNextTimer(); !ok {
				runtime.Gosched()
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for k, n := range seen {
		if n > 1 {
			t.Errorf("%+v delivered %d times", k, n)
		}
	}
	t.Logf("%d occurrences delivered, stats %+v", len(seen), h.s.Stats())
}

func TestStopWithoutStart(t *testing.T) {
	s := New(Options{Deliver: func(context.Context, Occurrence) error { return nil }})
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestLag reports how long due occurrences wait: zero when idle, the age of
// the oldest waiting one when the limiter holds a backlog.
func TestLag(t *testing.T) {
	start := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	clock := NewFakeClock(start)
	s := New(Options{Clock: clock, Rate: 1, Deliver: func(context.Context, Occurrence) error { return nil }})
	if lag := s.Lag(); lag != 0 {
		t.Fatalf("idle lag %v", lag)
	}
	for id := uint64(1); id <= 3; id++ {
		sch := stretchbot.Schedule{ID: id, Owner: "u", Kind: stretchbot.KindSnooze, At: start.Add(time.Minute), TimeZone: "UTC"}
		if err := s.Arm(sch, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Set(start.Add(time.Minute + 30*time.Second))
	if lag := s.Lag(); lag != 30*time.Second {
		t.Fatalf("lag before firing %v, want 30s", lag)
	}
	if lag := s.Lag(); lag <= 0 {
		t.Fatal("lag should be positive while due occurrences wait")
	}
}
