package scheduler

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

// TestCrashThenResend kills a run while a delivery hangs (the request went
// out, no answer came): the occurrence stays recorded and unsettled. The
// next run resends it once, with the same time, and settles it; a
// normal delivery settles too.
func TestCrashThenResend(t *testing.T) {
	day := func(d, h, m int) time.Time { return time.Date(2026, 6, d, h, m, 0, 0, time.UTC) }
	sched := daily(7, "u7", "30 7 * * *", "UTC")
	journal := newMemJournal()
	clock := NewFakeClock(day(1, 7, 29))

	// Run 1: the send hangs until the process "dies".
	sending := make(chan struct{})
	s1 := New(Options{Clock: clock, Journal: journal, Deliver: func(ctx context.Context, o Occurrence) error {
		close(sending)
		<-ctx.Done()
		return ctx.Err()
	}})
	if err := s1.Arm(sched, time.Time{}); err != nil {
		t.Fatal(err)
	}
	ctx1, crash := context.WithCancel(context.Background())
	s1.Start(ctx1)
	clock.Set(day(1, 7, 30))
	<-sending
	crash()
	if err := s1.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := s1.Stats(); st.Dropped != 1 || st.Fired != 0 {
		t.Fatalf("run 1 stats %+v, want one dropped", st)
	}
	un := journal.undelivered()
	if len(un) != 1 || !un[0].At.Equal(day(1, 7, 30)) || !un[0].Sent.Equal(day(1, 7, 30)) {
		t.Fatalf("journal's undelivered after the crash = %v, want the 07:30 occurrence sent at 07:30", un)
	}

	// Run 2, a minute later: arms from the journal and resends.
	clock.Set(day(1, 7, 31))
	got := make(chan Occurrence, 4)
	s2 := New(Options{Clock: clock, Journal: journal, Deliver: func(_ context.Context, o Occurrence) error {
		got <- o
		return nil
	}})
	if err := s2.Arm(sched, journal.lastFired(7)); err != nil {
		t.Fatal(err)
	}
	if !s2.Resend(sched, un[0]) {
		t.Fatal("Resend refused an occurrence sent a minute ago")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s2.Start(ctx)
	select {
	case o := <-got:
		if !o.At.Equal(day(1, 7, 30)) || !o.Late {
			t.Errorf("resent %+v, want 07:30, late", o)
		}
	case <-ctx.Done():
		t.Fatal("not resent")
	}
	if at, _ := s2.NextFire(7); !at.Equal(day(2, 7, 30)) {
		t.Errorf("next after the resend = %s, want day 2", at)
	}
	// Day 2 goes out normally and is settled too.
	clock.Set(day(2, 7, 30))
	select {
	case o := <-got:
		if !o.At.Equal(day(2, 7, 30)) {
			t.Errorf("day 2: %+v", o)
		}
	case <-ctx.Done():
		t.Fatal("day 2 not delivered")
	}
	if err := s2.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s2.Stats(); st.Resent != 1 || st.Fired != 2 || st.Unconfirmed != 0 {
		t.Errorf("run 2 stats %+v, want one resent, two fired", st)
	}
	if un := journal.undelivered(); len(un) != 0 {
		t.Errorf("still undelivered after run 2: %v", un)
	}
	select {
	case o := <-got:
		t.Errorf("delivered again: %+v", o)
	default:
	}
}

// TestResendRefusals: a send older than the resend window, a paused
// schedule, and one edited before the resend went out are not sent; each
// is settled, so the next start does not try again.
func TestResendRefusals(t *testing.T) {
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	clock := NewFakeClock(now)
	journal := newMemJournal()
	old := daily(1, "u1", "0 8 * * *", "UTC")
	paused := daily(2, "u2", "0 8 * * *", "UTC")
	paused.Paused = true
	edited := daily(3, "u3", "0 8 * * *", "UTC")
	fired := []stretchbot.Fired{
		{ScheduleID: 1, At: now.Add(-5 * time.Minute), Sent: now.Add(-3 * time.Minute)},
		{ScheduleID: 2, At: now, Sent: now},
		{ScheduleID: 3, At: now, Sent: now},
	}
	if _, err := journal.MarkFired(context.Background(), fired); err != nil {
		t.Fatal(err)
	}
	s := New(Options{Clock: clock, Journal: journal, Deliver: func(_ context.Context, o Occurrence) error {
		t.Errorf("delivered %+v", o)
		return nil
	}})
	for _, sch := range []stretchbot.Schedule{old, paused, edited} {
		if err := s.Arm(sch, now); err != nil {
			t.Fatal(err)
		}
	}
	if s.Resend(old, fired[0]) {
		t.Error("resent an occurrence first sent 3 minutes ago")
	}
	if s.Resend(paused, fired[1]) {
		t.Error("resent an occurrence of a paused schedule")
	}
	if !s.Resend(edited, fired[2]) {
		t.Fatal("Resend refused a fresh occurrence")
	}
	edited.Spec = "0 9 * * *"
	if err := s.Arm(edited, now); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.Start(ctx)
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Unconfirmed != 2 || st.Resent != 1 || st.Skipped != 1 || st.Fired != 0 {
		t.Errorf("stats %+v, want 2 unconfirmed, 1 resent and skipped", st)
	}
	if un := journal.undelivered(); len(un) != 0 {
		t.Errorf("still undelivered: %v", un)
	}
}

// TestResendOneShot resends a one-shot that is done (not armed): it is
// delivered once and then forgotten.
func TestResendOneShot(t *testing.T) {
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	clock := NewFakeClock(at.Add(20 * time.Second))
	journal := newMemJournal()
	snooze := stretchbot.Schedule{ID: 9, Owner: "u9", Kind: stretchbot.KindSnooze, At: at, TimeZone: "Europe/Paris"}
	f := stretchbot.Fired{ScheduleID: 9, At: at, Sent: at}
	if _, err := journal.MarkFired(context.Background(), []stretchbot.Fired{f}); err != nil {
		t.Fatal(err)
	}
	got := make(chan Occurrence, 2)
	s := New(Options{Clock: clock, Journal: journal, Deliver: func(_ context.Context, o Occurrence) error {
		got <- o
		return nil
	}})
	if err := s.Arm(snooze, at); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 0 {
		t.Fatal("a one-shot that fired was armed again")
	}
	if !s.Resend(snooze, f) {
		t.Fatal("Resend refused")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.Start(ctx)
	select {
	case o := <-got:
		if !o.At.Equal(at) || o.At.Location().String() != "Europe/Paris" || o.Late {
			t.Errorf("resent %+v, want 08:00 UTC in Paris, not late", o)
		}
	case <-ctx.Done():
		t.Fatal("not resent")
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	left := s.byID.len()
	s.mu.Unlock()
	if left != 0 {
		t.Errorf("%d entries left after the one-shot's resend", left)
	}
	if _, ok := s.NextFire(9); ok {
		t.Error("the one-shot is armed after its resend")
	}
	if un := journal.undelivered(); len(un) != 0 {
		t.Errorf("still undelivered: %v", un)
	}
}

// TestSettledOnEveryOutcome: delivered, failed for good, and retries
// exhausted all settle; only a send cut short by Stop stays undelivered.
func TestSettledOnEveryOutcome(t *testing.T) {
	start := time.Date(2026, 6, 1, 7, 59, 0, 0, time.UTC)
	called := make(chan struct{}, 3)
	h := newHarness(t, start, Options{MaxRetries: -1, Deliver: func(_ context.Context, o Occurrence) error {
		called <- struct{}{}
		switch o.Schedule.ID {
		case 2:
			return Permanent(errors.New("DMs closed"))
		case 3:
			return errors.New("503")
		}
		return nil
	}})
	for id := uint64(1); id <= 3; id++ {
		h.arm(stretchbot.Schedule{ID: id, Owner: "u", Kind: stretchbot.KindSnooze, At: start.Add(time.Minute), TimeZone: "UTC"}, time.Time{})
	}
	h.clock.Set(start.Add(time.Minute))
	for i := range 3 {
		if i > 0 { // each further one waits for its limiter slot
			if err := h.clock.BlockUntil(h.ctx, 1); err != nil {
				t.Fatalf("stats %+v: %v", h.s.Stats(), err)
			}
			h.clock.AdvanceToNextTimer()
		}
		<-called
	}
	if err := h.s.Stop(h.ctx); err != nil {
		t.Fatal(err)
	}
	if st := h.s.Stats(); st.Fired != 1 || st.Permanent != 1 || st.Failed != 1 {
		t.Errorf("stats %+v, want one of each outcome", st)
	}
	if un := h.journal.undelivered(); len(un) != 0 {
		t.Errorf("undelivered after every outcome: %v", un)
	}
}
