package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
)

const (
	// firstBackoff doubles per retry up to maxBackoff.
	firstBackoff = time.Second
	maxBackoff   = time.Minute
)

// Occurrence is one firing of a schedule, handed to a DeliverFunc.
type Occurrence struct {
	// Schedule is the schedule as the scheduler keeps it: ID, Owner, Kind,
	// TimeZone, and Spec or At. Where to post and the rest are in the
	// store, read at delivery.
	Schedule stretchbot.Schedule
	At       time.Time // when it was due, in the schedule's zone
	// Late is true when the occurrence was missed while the bot was not
	// running (or the process stalled) and is sent after its time, within
	// the grace period.
	Late bool
}

// DeliverFunc sends one occurrence, e.g. as a Discord message. It must return
// promptly when ctx is done. An error is retried with backoff unless it is
// wrapped with Permanent.
type DeliverFunc func(ctx context.Context, o Occurrence) error

// ErrPermanent marks delivery errors that retrying cannot fix (the user
// blocked DMs, the channel is gone). Test with errors.Is.
var ErrPermanent = errors.New("permanent delivery failure")

// Permanent wraps err so that the scheduler does not retry it and reports it
// to Options.OnPermanentFailure.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

type permanentError struct{ err error }

func (e permanentError) Error() string        { return "permanent: " + e.err.Error() }
func (e permanentError) Unwrap() []error      { return []error{e.err, ErrPermanent} }
func (e permanentError) Is(target error) bool { return target == ErrPermanent }

// job is a due occurrence on its way to delivery.
type job struct {
	occ Occurrence
	gen uint32 // the entry's generation when popped
	// resend marks an occurrence an earlier run recorded (Resend): it is
	// not recorded again.
	resend bool
}

// current reports whether j may still be sent: its schedule was neither
// edited nor removed since it was popped, and its owner is not paused.
func (s *Scheduler) current(j job) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byID.get(j.occ.Schedule.ID)
	if !ok || e.gen != j.gen {
		return false
	}
	_, paused := s.paused[e.owner]
	return !paused
}

// finish forgets a one-shot, or the entry Resend made, once its occurrence
// is dealt with.
func (s *Scheduler) finish(j job) {
	if !j.occ.Schedule.OneShot() && !j.resend {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.byID.get(j.occ.Schedule.ID); ok && e.gen == j.gen && e.index < 0 {
		s.byID.delete(j.occ.Schedule.ID)
	}
}

// deliverJob delivers one recorded occurrence, retrying with backoff, and
// settles it in the Journal unless Stop cut it short (then the next start
// resends it).
func (s *Scheduler) deliverJob(j job) {
	defer s.finish(j)
	ctx := s.ctx
	for attempt := 0; ; attempt++ {
		// Checked right before each send: an edit or removal while the
		// occurrence waited must win.
		if !s.current(j) {
			s.skipped.Add(1)
			s.settle(j)
			return
		}
		err := s.call(ctx, j.occ)
		switch {
		case err == nil:
			s.fired.Add(1)
			if j.occ.Late {
				s.late.Add(1)
			}
			s.settle(j)
			return
		case errors.Is(err, ErrPermanent):
			s.permanent.Add(1)
			s.log.Warn("deliver: permanent failure", "schedule", j.occ.Schedule.ID, "at", j.occ.At, "err", err)
			if s.onPerm != nil {
				s.onPerm(j.occ, err)
			}
			s.settle(j)
			return
		case ctx.Err() != nil:
			s.dropped.Add(1)
			return
		case attempt >= s.retries:
			s.failed.Add(1)
			s.log.Error("deliver: giving up", "schedule", j.occ.Schedule.ID, "at", j.occ.At, "attempts", attempt+1, "err", err)
			s.settle(j)
			return
		}
		backoff := min(firstBackoff<<attempt, maxBackoff)
		s.log.Debug("deliver: retrying", "schedule", j.occ.Schedule.ID, "in", backoff, "err", err)
		if sleep(ctx, s.clock, backoff) != nil || s.limiter.wait(ctx) != nil {
			s.dropped.Add(1)
			return
		}
	}
}

// call runs the DeliverFunc; a panic in it becomes a permanent failure
// instead of taking the bot down.
func (s *Scheduler) call(ctx context.Context, o Occurrence) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Permanent(fmt.Errorf("deliver schedule %d: panic: %v", o.Schedule.ID, r))
		}
	}()
	return s.deliver(ctx, o)
}
