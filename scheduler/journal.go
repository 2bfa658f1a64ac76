package scheduler

import (
	"context"
	"fmt"

	"github.com/stretchbot/stretchbot"
)

// Journal records occurrences as fired before they are delivered, so that
// no occurrence is delivered twice, also across restarts. (*store.DB)
// implements it.
type Journal interface {
	// MarkFired records occ in one transaction. result[i] is false when
	// occ[i] was already recorded; it must then not be delivered.
	MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error)
}

type nopJournal struct{}

func (nopJournal) MarkFired(_ context.Context, occ []stretchbot.Fired) ([]bool, error) {
	ok := make([]bool, len(occ))
	for i := range ok {
		ok[i] = true
	}
	return ok, nil
}

// record marks a few queued jobs fired in the Journal with one call, right
// before the limiter lets them out, and returns those that may be sent: not
// edited or removed meanwhile, and not recorded before (an earlier run sent
// them). When the Journal fails none is sent, since sending could repeat
// them after a restart.
func (s *Scheduler) record(batch []job) []job {
	live := batch[:0]
	for _, j := range batch {
		if s.current(j) {
			live = append(live, j)
			continue
		}
		s.skipped.Add(1)
		s.finish(j)
	}
	if len(live) == 0 {
		return nil
	}
	fired := make([]stretchbot.Fired, len(live))
	for i, j := range live {
		fired[i] = stretchbot.Fired{ScheduleID: j.occ.Schedule.ID, At: j.occ.At}
	}
	fresh, err := s.journal.MarkFired(s.ctx, fired)
	if err == nil && len(fresh) != len(live) {
		err = fmt.Errorf("journal answered %d of %d occurrences", len(fresh), len(live))
	}
	if err != nil {
		s.log.Error("record fired occurrences", "count", len(live), "err", err)
		for _, j := range live {
			s.failed.Add(1)
			s.finish(j)
		}
		return nil
	}
	out := live[:0]
	for i, j := range live {
		if fresh[i] {
			out = append(out, j)
			continue
		}
		s.skipped.Add(1)
		s.finish(j)
	}
	return out
}
