package scheduler

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot"
)

// Journal records occurrences as fired before they are sent and settles
// them once delivered, so that no occurrence is delivered twice or lost,
// also across a crash. (*store.DB) implements it; store/fired.go says what
// an implementation must guarantee.
type Journal interface {
	// MarkFired records occ in one transaction. result[i] is false when
	// occ[i] is not after its schedule's last recorded occurrence (it was
	// recorded before) or its schedule is gone; it must then not be sent.
	// An occurrence with a Sent time stays undelivered until MarkDelivered.
	MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error)
	// MarkDelivered settles recorded occurrences: delivered, or given up
	// on for good. A lost call costs only a resend after a restart, which
	// the DeliverFunc's idempotent send (Discord's nonce) absorbs.
	MarkDelivered(ctx context.Context, occ []stretchbot.Fired) error
}

type nopJournal struct{}

func (nopJournal) MarkFired(_ context.Context, occ []stretchbot.Fired) ([]bool, error) {
	ok := make([]bool, len(occ))
	for i := range ok {
		ok[i] = true
	}
	return ok, nil
}

func (nopJournal) MarkDelivered(context.Context, []stretchbot.Fired) error { return nil }

// record marks a few queued jobs fired in the Journal with one call, right
// before the limiter lets them out, and returns those that may be sent: not
// edited or removed meanwhile, and not recorded before (an earlier run sent
// them). Resends were recorded by an earlier run and pass through. When the
// Journal fails none is sent, since sending could repeat them after a
// restart.
func (s *Scheduler) record(batch []job) []job {
	live := batch[:0]
	for _, j := range batch {
		if s.current(j) {
			live = append(live, j)
			continue
		}
		s.skipped.Add(1)
		if j.resend {
			s.settle(j)
		}
		s.finish(j)
	}
	if len(live) == 0 {
		return nil
	}
	now := s.clock.Now()
	var fired []stretchbot.Fired
	for _, j := range live {
		if !j.resend {
			fired = append(fired, stretchbot.Fired{ScheduleID: j.occ.Schedule.ID, At: j.occ.At, Sent: now})
		}
	}
	if len(fired) == 0 {
		return live
	}
	fresh, err := s.journal.MarkFired(s.ctx, fired)
	if err == nil && len(fresh) != len(fired) {
		err = fmt.Errorf("journal answered %d of %d occurrences", len(fresh), len(fired))
	}
	out := live[:0]
	i := 0
	for _, j := range live {
		switch {
		case j.resend:
			out = append(out, j)
			continue
		case err != nil:
			s.failed.Add(1)
			s.finish(j)
		case fresh[i]:
			out = append(out, j)
		default:
			s.skipped.Add(1)
			s.finish(j)
		}
		i++
	}
	if err != nil {
		s.log.Error("record fired occurrences", "count", len(fired), "err", err)
	}
	return out
}

// Resend queues an occurrence that an earlier run recorded and began to
// send but never saw settled (the store's Undelivered): the process died
// in between. The DeliverFunc must make a repeated send harmless (the bot
// sends with a Discord nonce derived from the schedule and the time, and
// Discord answers a repeat with the first message), which Discord honours
// for a few minutes only: an occurrence whose first send is more than
// Options.ResendWindow old is not sent but settled and counted Unconfirmed
// (it may or may not have arrived). So is one whose schedule is paused.
//
// Call it at start, after Arm, with the schedule as stored (a one-shot that
// is done and not armed included); before or after Start. It reports
// whether the occurrence was queued. Resent occurrences go out first, as
// soon as the limiter allows, with Late set when they are past lateAfter.
func (s *Scheduler) Resend(sch stretchbot.Schedule, f stretchbot.Fired) bool {
	sent := f.Sent
	if sent.IsZero() {
		sent = f.At
	}
	now := s.clock.Now()
	z, err := s.zoneOf(sch.TimeZone)
	if err != nil || sch.Paused || now.Sub(sent) > s.resendWindow {
		s.unconfirmed.Add(1)
		s.settleFired(stretchbot.Fired{ScheduleID: f.ScheduleID, At: f.At})
		return false
	}
	s.mu.Lock()
	e, ok := s.byID.get(sch.ID)
	if !ok {
		// Not armed (a one-shot that is done): an entry outside the heap
		// that lives until this delivery settles, like a popped one-shot.
		s.gen++
		e = &entry{id: sch.ID, next: f.At.UnixNano(), last: f.At.UnixNano(), owner: s.ownerOfLocked(sch.Owner), tz: z, gen: s.gen, index: -1, kind: uint8(sch.Kind)}
		s.byID.set(sch.ID, e)
	}
	j := job{
		occ:    Occurrence{Schedule: s.scheduleLocked(e), At: f.At.In(z.loc), Late: now.Sub(f.At) >= lateAfter},
		gen:    e.gen,
		resend: true,
	}
	s.mu.Unlock()
	s.queue.push([]job{j})
	s.resent.Add(1)
	return true
}

// settle records that a sent occurrence is dealt with, in the background.
func (s *Scheduler) settle(j job) {
	s.settleFired(stretchbot.Fired{ScheduleID: j.occ.Schedule.ID, At: j.occ.At})
}

func (s *Scheduler) settleFired(f stretchbot.Fired) {
	s.settler.add(f)
}

// settler collects settled occurrences and hands them to the Journal in
// batches: whatever came in while the previous call was writing goes in
// the next one, so a burst costs few writes and no sender waits for one.
type settler struct {
	mu      sync.Mutex
	pending []stretchbot.Fired
	closed  bool
	notify  chan struct{}
}

func newSettler() *settler { return &settler{notify: make(chan struct{}, 1)} }

func (st *settler) add(f stretchbot.Fired) {
	st.mu.Lock()
	st.pending = append(st.pending, f)
	st.mu.Unlock()
	select {
	case st.notify <- struct{}{}:
	default:
	}
}

// close makes run return once it has written what is pending.
func (st *settler) close() {
	st.mu.Lock()
	st.closed = true
	st.mu.Unlock()
	select {
	case st.notify <- struct{}{}:
	default:
	}
}

// run writes settled occurrences until close. A failed write is logged:
// those occurrences stay undelivered in the Journal, and the next start
// resends them with the same nonce, or settles them once too old.
func (s *Scheduler) runSettler(ctx context.Context) {
	st := s.settler
	for {
		<-st.notify
		st.mu.Lock()
		batch, closed := st.pending, st.closed
		st.pending = nil
		st.mu.Unlock()
		if len(batch) > 0 {
			if err := s.journal.MarkDelivered(ctx, batch); err != nil {
				s.log.Error("record delivered occurrences", "count", len(batch), "err", err)
			}
		}
		if closed {
			st.mu.Lock()
			left := len(st.pending)
			st.mu.Unlock()
			if left == 0 {
				return
			}
			select {
			case st.notify <- struct{}{}:
			default:
			}
		}
	}
}

// DefaultResendWindow is how old an unsettled send may be and still be sent
// again after a restart. Discord checks a nonce against the messages of
// "the past few minutes"; two minutes stays well inside that.
const DefaultResendWindow = 2 * time.Minute
