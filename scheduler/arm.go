package scheduler

import (
	"container/heap"
	"context"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
)

// maxMissedCount bounds the counting of missed occurrences at Arm; past
// it the schedule jumps ahead and the count saturates. Each step is a
// Next: after a month down, a million daily schedules would take 30
// million of them to count exactly.
const maxMissedCount = 8

// Arm schedules s, replacing an earlier version with the same ID. lastFired
// is the last occurrence recorded in the Journal (zero if none).
//
// On first arming (after a start), occurrences after lastFired that are
// already past are caught up: one at most Grace old is delivered with
// Late set, older ones are skipped and counted. A zero lastFired starts from
// now. Re-arming a schedule that is armed already (an edit) never fires in
// the past; an occurrence of the old version that is firing right now is not
// delivered. Arming it again with the same owner, kind, zone and spec (or
// time) changes nothing: the scheduler keeps only those, and the
// DeliverFunc reads the rest (where to post, filters) from the store.
//
// A paused schedule is removed instead. A one-shot fires once at At and is
// not armed when lastFired is not before At. Errors are stretchbot.EINVALID
// (unknown zone, bad spec, spec that never fires).
func (s *Scheduler) Arm(sch stretchbot.Schedule, lastFired time.Time) error {
	if sch.Paused {
		s.Remove(sch.ID)
		return nil
	}
	z, err := s.zoneOf(sch.TimeZone)
	if err != nil {
		return fmt.Errorf("arm schedule %d: %w", sch.ID, err)
	}
	loc := z.loc
	if sch.Kind < 0 || sch.Kind > 255 {
		return fmt.Errorf("arm schedule %d: %w", sch.ID, stretchbot.Errorf(stretchbot.EINVALID, "Unknown kind of schedule."))
	}
	var sp *spec
	if sch.OneShot() {
		if sch.At.IsZero() {
			return fmt.Errorf("arm schedule %d: %w", sch.ID, stretchbot.Errorf(stretchbot.EINVALID, "A one-time reminder needs a time."))
		}
	} else if sp, err = parseSpec(sch.Spec); err != nil {
		return fmt.Errorf("arm schedule %d: %w", sch.ID, err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	nowN := now.UnixNano()
	own := s.ownerOfLocked(sch.Owner)
	old, exists := s.byID.get(sch.ID)
	if exists && old.same(sch, own, z, sp) {
		return nil
	}
	var next int64
	late := false
	if sch.OneShot() {
		at := sch.At.UnixNano()
		if (!lastFired.IsZero() && !lastFired.Before(sch.At)) || (exists && old.last >= at) {
			s.removeLocked(sch.ID)
			return nil
		}
		if nowN-at > int64(s.grace) {
			s.skipped.Add(1)
			s.removeLocked(sch.ID)
			return nil
		}
		next, late = at, at < nowN
	} else {
		base := lastFired
		if exists {
			// An edit: never deliver the new version's past.
			if now.After(base) {
				base = now
			}
			if l := time.Unix(0, old.last); old.last != 0 && l.After(base) {
				base = l
			}
		} else if base.IsZero() {
			base = now
		}
		var ok bool
		if next, ok = s.nextAfter(sp, loc, base); !ok {
			return fmt.Errorf("arm schedule %d: %w", sch.ID, stretchbot.Errorf(stretchbot.EINVALID, "The schedule %q does not happen in the next five years.", clip(sch.Spec)))
		}
		// Missed while down: skip what is older than the grace period.
		cutoff := nowN - int64(s.grace)
		for n := 0; next < cutoff; n++ {
			s.skipped.Add(1)
			after := time.Unix(0, next)
			if n >= maxMissedCount {
				after = time.Unix(0, cutoff-1)
			}
			if next, ok = s.nextAfter(sp, loc, after); !ok {
				return fmt.Errorf("arm schedule %d: %w", sch.ID, stretchbot.Errorf(stretchbot.EINVALID, "The schedule %q does not happen in the next five years.", clip(sch.Spec)))
			}
		}
		late = next < nowN
	}
	s.gen++
	e := &entry{id: sch.ID, next: next, owner: own, spec: sp, tz: z, gen: s.gen, index: -1, kind: uint8(sch.Kind), late: late}
	if exists {
		e.last = old.last
		if old.index >= 0 {
			// Reuse the heap slot: O(log n) instead of remove + push.
			e.index = old.index
			s.heap[e.index] = e
			heap.Fix(&s.heap, int(e.index))
		}
	}
	s.byID.set(sch.ID, e)
	if e.index < 0 {
		heap.Push(&s.heap, e)
	}
	s.resetTimerLocked()
	return nil
}

func (s *Scheduler) nextAfter(sp *spec, loc *time.Location, after time.Time) (int64, bool) {
	sec, ok := sp.next(loc, after)
	return sec * int64(time.Second), ok
}

// same reports whether arming sch (whose owner, zone and parsed spec are
// given) over e changes nothing the scheduler keeps.
func (e *entry) same(sch stretchbot.Schedule, own owner, z *tz, sp *spec) bool {
	if stretchbot.ScheduleKind(e.kind) != sch.Kind || e.owner != own || e.tz != z {
		return false
	}
	if e.oneShot() {
		return e.next == sch.At.UnixNano()
	}
	return e.spec == sp || (e.spec != nil && sp != nil && e.spec.text == sp.text)
}

// Remove disarms the schedule. An occurrence of it that is firing right now
// is not delivered.
func (s *Scheduler) Remove(id uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked(id)
	s.resetTimerLocked()
}

func (s *Scheduler) removeLocked(id uint64) {
	e, ok := s.byID.get(id)
	if !ok {
		return
	}
	if e.index >= 0 {
		heap.Remove(&s.heap, int(e.index))
	}
	s.byID.delete(id)
}

// NextFire returns when the schedule fires next, in its zone, and false if it
// is not armed.
func (s *Scheduler) NextFire(id uint64) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byID.get(id)
	if !ok || e.index < 0 {
		return time.Time{}, false
	}
	return time.Unix(0, e.next).In(e.tz.loc), true
}

// Len returns the number of armed schedules.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.heap)
}

// PauseOwner stops delivering the owner's occurrences (all their schedules)
// until ResumeOwner. Occurrences that come due meanwhile are skipped and
// counted, not saved up for later.
func (s *Scheduler) PauseOwner(owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paused[s.ownerOfLocked(owner)] = struct{}{}
}

// ResumeOwner undoes PauseOwner; the next occurrence after now is delivered.
func (s *Scheduler) ResumeOwner(owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.paused, s.ownerOfLocked(owner))
}

// SkipNext skips the schedule's next occurrence and returns the one after it
// (zero for a one-shot, which is then done). The skipped occurrence is
// recorded in the Journal, so a restart does not bring it back. Errors:
// stretchbot.ENOTFOUND when the schedule is not armed; the Journal's error,
// in which case nothing was skipped.
func (s *Scheduler) SkipNext(id uint64) (time.Time, error) {
	s.mu.Lock()
	e, ok := s.byID.get(id)
	if !ok || e.index < 0 {
		s.mu.Unlock()
		return time.Time{}, fmt.Errorf("skip next of schedule %d: %w", id, stretchbot.Errorf(stretchbot.ENOTFOUND, "That reminder is not active."))
	}
	// Advance first, so the loop cannot fire the skipped occurrence while
	// it is being recorded; undo if recording fails.
	skipped, prevLate, prevLast := e.next, e.late, e.last
	var after int64
	if e.spec == nil {
		heap.Remove(&s.heap, int(e.index))
		e.index = -1
	} else {
		next, ok := s.nextAfter(e.spec, e.tz.loc, time.Unix(0, e.next))
		if !ok {
			s.mu.Unlock()
			return time.Time{}, fmt.Errorf("skip next of schedule %d: no later occurrence", id)
		}
		e.next, e.late, after = next, false, next
		heap.Fix(&s.heap, int(e.index))
	}
	e.last = skipped
	gen := e.gen
	s.resetTimerLocked()
	s.mu.Unlock()

	ctx := context.Background()
	if s.started.Load() {
		ctx = s.ctx
	}
	_, err := s.journal.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: id, At: time.Unix(0, skipped)}})

	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if cur, ok := s.byID.get(id); ok && cur.gen == gen {
			cur.next, cur.late, cur.last = skipped, prevLate, prevLast
			if cur.index >= 0 {
				heap.Fix(&s.heap, int(cur.index))
			} else {
				heap.Push(&s.heap, cur)
			}
			s.resetTimerLocked()
		}
		return time.Time{}, fmt.Errorf("skip next of schedule %d: record: %w", id, err)
	}
	s.skipped.Add(1)
	if e.spec == nil {
		if cur, ok := s.byID.get(id); ok && cur.gen == gen {
			s.byID.delete(id)
		}
		return time.Time{}, nil
	}
	return time.Unix(0, after).In(e.tz.loc), nil
}
