package scheduler

import (
	"strconv"
	"time"

	"github.com/stretchbot/stretchbot"
)

// entry is one armed schedule, kept to what firing needs: 64 bytes, so a
// million fit in about 100 MB with the heap and the index. It keeps no
// strings of its own: the owner is a number (Discord ids are), the spec
// and the zone are shared by every schedule that has them. Fields that do
// not decide when a schedule fires (channel, server, filter) stay in the
// store; the DeliverFunc reads them there.
type entry struct {
	id    uint64
	next  int64  // Unix ns of the next occurrence; a one-shot's At
	last  int64  // Unix ns of the last occurrence popped, 0 if none
	owner owner  // whose schedule: PauseOwner stops it
	spec  *spec  // nil for one-shots
	tz    *tz    // the schedule's time zone
	gen   uint32 // the armed version: a job of another one is not sent
	index int32  // position in the heap; -1 once a one-shot was popped
	kind  uint8  // a stretchbot.ScheduleKind
	late  bool   // next was already past when armed
}

// tz is a time zone shared by the entries in it.
type tz struct {
	name string
	loc  *time.Location
}

// owner is a schedule owner's id as a number: Discord ids are decimal
// numbers below 2^63. Anything else (an id of another form; "" for a break
// whose creator used Forget is 0) is numbered by the Scheduler's owners
// table, with the top bit set.
type owner uint64

const ownerNamed owner = 1 << 63

// oneShot reports whether the entry fires once, at next.
func (e *entry) oneShot() bool {
	return stretchbot.Schedule{Kind: stretchbot.ScheduleKind(e.kind)}.OneShot()
}

// scheduleLocked rebuilds what an Occurrence carries of the schedule: its
// ID, owner, kind, zone, and spec or time. Nothing else is kept.
func (s *Scheduler) scheduleLocked(e *entry) stretchbot.Schedule {
	sch := stretchbot.Schedule{ID: e.id, Owner: s.ownerNameLocked(e.owner), Kind: stretchbot.ScheduleKind(e.kind), TimeZone: e.tz.name}
	if e.spec != nil {
		sch.Spec = e.spec.text
	} else {
		sch.At = time.Unix(0, e.next).In(e.tz.loc)
	}
	return sch
}

// ownerOfLocked returns the number of owner id, numbering it in the owners table
// when it is not a plain decimal id. Callers hold s.mu.
func (s *Scheduler) ownerOfLocked(id string) owner {
	if id == "" {
		return 0
	}
	if n, err := strconv.ParseUint(id, 10, 64); err == nil && n < uint64(ownerNamed) && strconv.FormatUint(n, 10) == id {
		return owner(n)
	}
	if o, ok := s.ownerIDs[id]; ok {
		return o
	}
	o := ownerNamed | owner(len(s.ownerNames))
	s.ownerNames = append(s.ownerNames, id)
	s.ownerIDs[id] = o
	return o
}

// ownerNameLocked is ownerOfLocked's inverse.
func (s *Scheduler) ownerNameLocked(o owner) string {
	switch {
	case o == 0:
		return ""
	case o&ownerNamed == 0:
		return strconv.FormatUint(uint64(o), 10)
	}
	return s.ownerNames[o&^ownerNamed]
}

// entryHeap is a min-heap of entries by (next, ID); each entry knows its
// index, so removal and update are O(log n).
type entryHeap []*entry

func (h entryHeap) Len() int { return len(h) }
func (h entryHeap) Less(i, j int) bool {
	if h[i].next != h[j].next {
		return h[i].next < h[j].next
	}
	return h[i].id < h[j].id
}
func (h entryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = int32(i)
	h[j].index = int32(j)
}
func (h *entryHeap) Push(x any) {
	e := x.(*entry)
	e.index = int32(len(*h))
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
