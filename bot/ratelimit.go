package bot

import (
	"sync"
	"time"

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

// rateLimiter is a token bucket per person.
type rateLimiter struct {
	burst     float64
	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newRateLimiter lets each person send burst interactions at once
// (LimitBurst when burst is 0).
func newRateLimiter(burst int) *rateLimiter {
	if burst <= 0 {
		burst = LimitBurst
	}
	return &rateLimiter{burst: float64(burst), buckets: map[string]*bucket{}}
}

// allow takes one token of user's bucket at now; when there is none it
// says how long until there is.
func (l *rateLimiter) allow(user string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= limitSweep {
		for id, b := range l.buckets {
			if b.refilled(now, l.burst) >= l.burst {
				delete(l.buckets, id)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[user]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[user] = b
	}
	b.tokens, b.at = b.refilled(now, l.burst), now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(limitEvery))
	}
	b.tokens--
	return true, 0
}

// refilled is the bucket's tokens at now, at most burst.
func (b *bucket) refilled(now time.Time, burst float64) float64 {
	elapsed := now.Sub(b.at)
	if elapsed < 0 {
		elapsed = 0
	}
	return min(burst, b.tokens+float64(elapsed)/float64(limitEvery))
}

// slowDown is the answer to an interaction over the limit: ephemeral, and
// never an edit of the message a button is on, so nothing is lost.
func slowDown(p *lang.Printer, wait time.Duration) Reply {
	// Whole seconds, rounded up: "try again in 1 second" must be true.
	wait = (wait + time.Second - 1).Truncate(time.Second)
	return message(p.T("rate.slow_down", "When", stretchbot.FromNow(p, wait)))
}
