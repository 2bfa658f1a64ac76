package scheduler

import (
	"container/heap"
	"math"
	"time"

	"github.com/stretchbot/stretchbot"
)

const (
	// maxSleep caps the timer so that a wall-clock jump forward is noticed
	// within a minute: timers run on the monotonic clock, schedules on the
	// wall clock.
	maxSleep = time.Minute
	// maxBatch bounds how many due entries are popped under one lock hold
	// (and recorded in one Journal call), so Arm is never blocked for long
	// when a million schedules come due together.
	maxBatch = 4096
	// lateAfter marks an occurrence Late when it is popped this much after
	// its time (a stalled process or a clock jump), besides those missed
	// while the bot was down.
	lateAfter = time.Minute
)

// resetTimerLocked points the timer at the head of the heap, at most
// maxSleep ahead. Called whenever the head may have changed.
func (s *Scheduler) resetTimerLocked() {
	if len(s.heap) > 0 && s.timerAt != math.MaxInt64 && s.heap[0].next >= s.timerAt {
		// The timer goes off first anyway (arming a million schedules
		// lands here, without reading the clock); if the head moved
		// later, that wake-up finds nothing due and sets it again.
		return
	}
	nowN := s.clock.Now().UnixNano()
	at := int64(math.MaxInt64)
	if len(s.heap) > 0 {
		at = min(s.heap[0].next, nowN+int64(maxSleep))
	}
	if at == s.timerAt {
		return
	}
	s.timerAt = at
	if at == math.MaxInt64 {
		s.timer.Stop()
		return
	}
	s.timer.Reset(time.Duration(at - nowN))
	// Timers are relative: if the clock moved on between reading it and
	// Reset (a fake clock set by a test, a wall-clock jump), the deadline
	// may now lie past the head. Wake the loop now rather than late.
	if at > nowN && at <= s.clock.Now().UnixNano() {
		s.timer.Reset(0)
	}
}

// run fires due schedules whenever the timer goes off.
func (s *Scheduler) run() {
	defer s.timer.Stop()
	s.fireDue()
	for {
		select {
		case <-s.stopLoop:
			return
		case <-s.ctx.Done():
			return
		case <-s.timer.C():
			s.fireDue()
		}
	}
}

// pending is a popped occurrence before it is recorded.
type pending struct {
	job
	skip bool // record, but do not deliver
}

// fireDue pops everything due by now, in batches. Occurrences that will not
// be delivered (owner paused, older than the grace period) are recorded in
// the Journal with one call per batch; the rest are queued for the limiter
// unrecorded. Each is recorded only right before it is sent (deliverJob), so
// a crash or Stop loses at most the sends in flight: a queued occurrence that
// was never recorded is found again from the Journal's last marker at the
// next start and sent late if still within the grace period.
func (s *Scheduler) fireDue() {
	for {
		batch, full := s.popDue()
		if len(batch) == 0 {
			return
		}
		var skips []stretchbot.Fired
		jobs := make([]job, 0, len(batch))
		for _, p := range batch {
			if p.skip {
				skips = append(skips, stretchbot.Fired{ScheduleID: p.occ.Schedule.ID, At: p.occ.At})
				s.skipped.Add(1)
				s.finish(p.job)
				continue
			}
			jobs = append(jobs, p.job)
		}
		if len(skips) > 0 {
			// Recorded so that a restart does not bring them back.
			if _, err := s.journal.MarkFired(s.ctx, skips); err != nil {
				s.log.Error("record skipped occurrences", "count", len(skips), "err", err)
			}
		}
		s.queue.push(jobs)
		if !full {
			return
		}
		// A long catch-up (a clock jump) must not hold off Stop.
		select {
		case <-s.stopLoop:
			return
		case <-s.ctx.Done():
			return
		default:
		}
	}
}

// popDue pops at most maxBatch due occurrences and moves their schedules on.
func (s *Scheduler) popDue() (batch []pending, full bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	nowN := now.UnixNano()
	s.timerAt = math.MaxInt64 // the timer fired, or is about to be reset
	for len(s.heap) > 0 && s.heap[0].next <= nowN && len(batch) < maxBatch {
		e := s.heap[0]
		at := time.Unix(0, e.next).In(e.tz.loc)
		_, paused := s.paused[e.owner]
		batch = append(batch, pending{
			job: job{
				occ: Occurrence{Schedule: s.scheduleLocked(e), At: at, Late: e.late || nowN-e.next >= int64(lateAfter)},
				gen: e.gen,
			},
			skip: paused || nowN-e.next > int64(s.grace),
		})
		e.last = e.next
		if e.spec == nil {
			// Keep the one-shot in byID until delivered, so the delivery
			// can still tell whether it was removed or edited meanwhile.
			heap.Pop(&s.heap)
			continue
		}
		next, ok := s.nextAfter(e.spec, e.tz.loc, at)
		if !ok {
			s.log.Warn("schedule has no later occurrence", "schedule", e.id)
			heap.Pop(&s.heap)
			s.byID.delete(e.id)
			continue
		}
		e.next, e.late = next, false
		heap.Fix(&s.heap, 0)
	}
	s.resetTimerLocked()
	return batch, len(batch) == maxBatch
}
