package scheduler

import (
	"context"
	"sync"
)

// queue is the FIFO of recorded occurrences waiting for the limiter.
type queue struct {
	mu     sync.Mutex
	items  []job
	head   int
	closed bool
	notify chan struct{}
}

func newQueue() *queue { return &queue{notify: make(chan struct{}, 1)} }

func (q *queue) push(jobs []job) {
	if len(jobs) == 0 {
		return
	}
	q.mu.Lock()
	if q.head > 0 && q.head >= len(q.items)/2 {
		// Compact, so a long-running queue does not grow without bound.
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, jobs...)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// pop returns the oldest job, waiting for one; false once the queue is
// closed and empty or ctx is done.
func (q *queue) pop(ctx context.Context) (job, bool) {
	for {
		q.mu.Lock()
		if q.head < len(q.items) {
			j := q.items[q.head]
			q.items[q.head] = job{}
			q.head++
			q.mu.Unlock()
			return j, true
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return job{}, false
		}
		select {
		case <-q.notify:
		case <-ctx.Done():
			return job{}, false
		}
	}
}

// popUpTo returns up to n queued jobs without waiting.
func (q *queue) popUpTo(n int) []job {
	q.mu.Lock()
	defer q.mu.Unlock()
	n = min(n, len(q.items)-q.head)
	if n <= 0 {
		return nil
	}
	out := make([]job, n)
	copy(out, q.items[q.head:q.head+n])
	clear(q.items[q.head : q.head+n])
	q.head += n
	return out
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// drain empties the queue and returns how many jobs it held.
func (q *queue) drain() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(q.items) - q.head
	q.items, q.head = nil, 0
	return n
}

func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) - q.head
}

// oldest returns the due time of the oldest queued occurrence that was not
// late when armed.
func (q *queue) oldest() (int64, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, j := range q.items[q.head:] {
		if !j.occ.Late {
			return j.occ.At.UnixNano(), true
		}
	}
	return 0, false
}
