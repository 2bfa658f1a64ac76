package scheduler

import "time"

// pace hands queued occurrences to the workers in time order, one per
// limiter slot, so a burst goes out evenly at the configured rate. It records
// them in the Journal a few at a time (RecordBatch, about a tenth of a second of
// sends) just before their slots: a burst costs few Journal writes, and
// the recorded-but-unsent ones a crash leaves behind are few (they are
// resent at the next start), while every unrecorded one is found again from
// its schedule.
func (s *Scheduler) pace() {
	defer close(s.work)
	var ready []job
	for {
		if len(ready) == 0 {
			j, ok := s.queue.pop(s.ctx)
			if !ok {
				break
			}
			ready = s.record(append([]job{j}, s.queue.popUpTo(s.recordAhead-1)...))
			continue
		}
		j := ready[0]
		ready = ready[1:]
		if err := s.limiter.wait(s.ctx); err != nil {
			s.dropped.Add(uint64(1 + len(ready)))
			ready = nil
			break
		}
		select {
		case s.work <- j:
		case <-s.ctx.Done():
			s.dropped.Add(1)
		}
		if s.ctx.Err() != nil {
			s.dropped.Add(uint64(len(ready)))
			ready = nil
			break
		}
	}
	s.dropped.Add(uint64(s.queue.drain()))
}

// recordWindow is how much sending time one Journal call records ahead.
const recordWindow = 100 * time.Millisecond

// RecordBatch is how many occurrences are recorded as fired in one Journal
// call, right before their limiter slots, when sending at rate per second:
// about a tenth of a second of sends (4 at the default 45/s). It trades
// Journal writes in a burst against how many recorded occurrences a crash
// leaves unsettled for the next start to resend.
func RecordBatch(rate float64) int {
	if rate <= 0 {
		rate = DefaultRate
	}
	return max(1, int(rate*recordWindow.Seconds()))
}
