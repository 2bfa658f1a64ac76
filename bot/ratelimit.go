package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
)

// Each person may send a burst of interactions, then a steady trickle:
// far more than anyone pressing buttons by hand needs (a whole check-in is
// about a dozen presses), far less than a script hammering the bot.
const (
	// LimitBurst is how many interactions a person may send at once.
	LimitBurst = 30
	limitEvery = 1 * time.Second // one more for every interval
	// limitSweep is how often buckets that have refilled are dropped, so
	// memory follows the people active in the last half minute.
	limitSweep = time.Minute
)

// rateLimiter is a token bucket per person: x/time/rate, as the
// scheduler's delivery limiter, read on the bot's clock.
type rateLimiter struct {
	burst     int
	mu        sync.Mutex
	people    map[string]*rate.Limiter
	lastSweep time.Time
}

// newRateLimiter lets each person send burst interactions at once
// (LimitBurst when burst is 0).
func newRateLimiter(burst int) *rateLimiter {
	if burst <= 0 {
		burst = LimitBurst
	}
	return &rateLimiter{burst: burst, people: map[string]*rate.Limiter{}}
}

// allow takes one token of user's bucket at now; when there is none it
// says how long until there is.
func (l *rateLimiter) allow(user string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= limitSweep {
		for id, b := range l.people {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.people, id)
			}
		}
		l.lastSweep = now
	}
	b := l.people[user]
	if b == nil {
		b = rate.NewLimiter(rate.Every(limitEvery), l.burst)
		l.people[user] = b
	}
	if b.AllowN(now, 1) {
		return true, 0
	}
	// How long until one token is back; the reservation only measures.
	r := b.ReserveN(now, 1)
	wait = r.DelayFrom(now)
	r.CancelAt(now)
	return false, wait
}

// slowDown is the answer to an interaction over the limit: ephemeral, and
// never an edit of the message a button is on, so nothing is lost.
func slowDown(p *lang.Printer, wait time.Duration) Reply {
	// Whole seconds, rounded up: "try again in 1 second" must be true.
	wait = (wait + time.Second - 1).Truncate(time.Second)
	return message(p.T("rate.slow_down", "When", stretchbot.FromNow(p, wait)))
}
