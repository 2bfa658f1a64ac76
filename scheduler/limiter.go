package scheduler

import (
	"context"
	"sync"
	"time"
)

// maxLag is how far behind schedule the limiter may catch up.
const maxLag = 4 * time.Millisecond

// limiter spaces sends evenly, interval apart, on the injected clock. The
// pacer and retrying workers share it, so retries count against the rate.
type limiter struct {
	clock    Clock
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

// wait reserves the next free slot and waits for it.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := l.clock.Now()
	slot := l.next
	// A slot a little in the past is kept, so timer overshoot (about a
	// millisecond) does not lower the rate; one further back means the
	// limiter was idle, and an idle limiter saves up no burst.
	if slot.Before(now.Add(-max(l.interval, maxLag))) {
		slot = now
	}
	l.next = slot.Add(l.interval)
	l.mu.Unlock()
	return sleep(ctx, l.clock, slot.Sub(now))
}
