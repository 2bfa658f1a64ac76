package scheduler

import (
	"time"

	"github.com/stretchbot/stretchbot"
)

// entry is one armed schedule. It is kept small: a million of them must
// fit in a few hundred megabytes.
type entry struct {
	sched stretchbot.Schedule
	spec  *spec // nil for one-shots
	loc   *time.Location
	next  int64 // Unix ns of the next occurrence
	last  int64 // Unix ns of the last occurrence popped, 0 if none
	gen   uint64
	index int  // position in the heap; -1 once a one-shot was popped
	late  bool // next was already past when armed
}

// entryHeap is a min-heap of entries by (next, ID); each entry knows its
// index, so removal and update are O(log n).
type entryHeap []*entry

func (h entryHeap) Len() int { return len(h) }
func (h entryHeap) Less(i, j int) bool {
	if h[i].next != h[j].next {
		return h[i].next < h[j].next
	}
	return h[i].sched.ID < h[j].sched.ID
}
func (h entryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *entryHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *entryHeap) Pop() any {
	old := *h
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	e.index = -1
	*h = old[:n-1]
	return e
}
