package scheduler

import (
	"context"
	"time"

	"golang.org/x/time/rate"
)

// maxLag is how far behind its slots the limiter may fall and still catch
// up: about a timer's overshoot under load.
const maxLag = 4 * time.Millisecond

// limiter spaces sends evenly, 1/rate apart, on the injected clock. The
// pacer and retrying workers share it, so retries count against the rate.
//
// It is golang.org/x/time/rate driven by the scheduler's Clock (ReserveN
// and DelayFrom take the time as an argument), so tests on a FakeClock see
// exact spacing. The burst is one send, or maxLag's worth at rates above
// 250/s: sends stay evenly spaced, an idle limiter saves up almost nothing,
// and a wake-up that overshoots its slot (by a timer's jitter, up to
// maxLag) finds the time it lost already counted, so the rate holds.
type limiter struct {
	clock Clock
	lim   *rate.Limiter
}

func newLimiter(clock Clock, perSecond float64) *limiter {
	burst := max(1, int(perSecond*maxLag.Seconds()))
	return &limiter{clock: clock, lim: rate.NewLimiter(rate.Limit(perSecond), burst)}
}

// wait reserves the next free slot and waits for it. A wait that ctx ends
// gives its slot back.
func (l *limiter) wait(ctx context.Context) error {
	now := l.clock.Now()
	r := l.lim.ReserveN(now, 1)
	if err := sleep(ctx, l.clock, r.DelayFrom(now)); err != nil {
		r.CancelAt(l.clock.Now())
		return err
	}
	return nil
}
