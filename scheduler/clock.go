package scheduler

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock is the scheduler's source of time. Production uses RealClock; tests
// use a FakeClock so that days pass instantly and deterministically.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a timer that sends on its channel once d has passed.
	NewTimer(d time.Duration) Timer
}

// Timer is the part of *time.Timer the scheduler uses.
type Timer interface {
	// C returns the channel the timer sends on when it fires.
	C() <-chan time.Time
	// Reset makes the timer fire d from now; no stale value is received
	// after it returns.
	Reset(d time.Duration)
	// Stop stops the timer; no stale value is received after it returns.
	Stop()
}

// RealClock returns the system clock.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

// realTimer relies on Go 1.23 timer semantics: Reset and Stop discard a
// value the timer already sent but nobody received.
type realTimer struct{ t *time.Timer }

func (t realTimer) C() <-chan time.Time   { return t.t.C }
func (t realTimer) Reset(d time.Duration) { t.t.Reset(d) }
func (t realTimer) Stop()                 { t.t.Stop() }

// sleep waits d on clock, or until ctx is done.
func sleep(ctx context.Context, clock Clock, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// FakeClock is a Clock that moves only when told to. Timers fire during
// Advance or Set, in deadline order, by a non-blocking send on their
// channel; the goroutine waiting on the timer then runs on its own, so a
// test that needs the effect waits for it (for example with BlockUntil, or
// on a channel its DeliverFunc writes to).
//
// It is exported so that tests of other packages (bot, cmd) can drive a
// Scheduler through days in milliseconds.
type FakeClock struct {
	mu      sync.Mutex
	now     time.Time
	active  map[*fakeTimer]struct{}
	changed chan struct{} // closed and replaced when the set of timers changes
}

// NewFakeClock returns a FakeClock showing start.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start, active: map[*fakeTimer]struct{}{}, changed: make(chan struct{})}
}

// Now returns the fake time.
func (f *FakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// NewTimer returns a timer that fires when the fake time reaches Now()+d.
func (f *FakeClock) NewTimer(d time.Duration) Timer {
	t := &fakeTimer{clock: f, ch: make(chan time.Time, 1)}
	t.Reset(d)
	return t
}

// Advance moves the fake time forward by d and fires the timers that are due.
func (f *FakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLocked(f.now.Add(d))
}

// Set moves the fake time to t, forward or back (a wall-clock jump), and
// fires the timers that are due.
func (f *FakeClock) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLocked(t)
}

// AdvanceToNextTimer moves the fake time to the earliest pending timer's
// deadline, if it is later than now, and fires it. It reports false when no
// timer is pending.
func (f *FakeClock) AdvanceToNextTimer() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var first *fakeTimer
	for t := range f.active {
		if first == nil || t.at.Before(first.at) {
			first = t
		}
	}
	if first == nil {
		return f.now, false
	}
	to := f.now
	if first.at.After(to) {
		to = first.at
	}
	f.setLocked(to)
	return to, true
}

// Timers returns the number of pending timers.
func (f *FakeClock) Timers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.active)
}

// BlockUntil waits until at least n timers are pending, which tells a test
// that the goroutines it drives are waiting for time to pass.
func (f *FakeClock) BlockUntil(ctx context.Context, n int) error {
	for {
		f.mu.Lock()
		if len(f.active) >= n {
			f.mu.Unlock()
			return nil
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (f *FakeClock) setLocked(to time.Time) {
	f.now = to
	var due []*fakeTimer
	for t := range f.active {
		if !t.at.After(to) {
			due = append(due, t)
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
	for _, t := range due {
		delete(f.active, t)
		t.fireLocked()
	}
	if len(due) > 0 {
		f.notifyLocked()
	}
}

func (f *FakeClock) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

type fakeTimer struct {
	clock *FakeClock
	ch    chan time.Time
	at    time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Reset(d time.Duration) {
	f := t.clock
	f.mu.Lock()
	defer f.mu.Unlock()
	t.drain()
	t.at = f.now.Add(d)
	if d <= 0 {
		delete(f.active, t)
		t.fireLocked()
	} else {
		f.active[t] = struct{}{}
	}
	f.notifyLocked()
}

func (t *fakeTimer) Stop() {
	f := t.clock
	f.mu.Lock()
	defer f.mu.Unlock()
	t.drain()
	if _, ok := f.active[t]; ok {
		delete(f.active, t)
		f.notifyLocked()
	}
}

func (t *fakeTimer) fireLocked() {
	select {
	case t.ch <- t.clock.now:
	default:
	}
}

func (t *fakeTimer) drain() {
	select {
	case <-t.ch:
	default:
	}
}
