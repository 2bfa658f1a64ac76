package bot

import (
	"fmt"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
)

// RateLimit is how many interactions one person may send: a burst of
// Burst at once, then one more for every Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// DefaultRateLimit is far more than anyone pressing buttons by hand needs
// (a whole check-in is about a dozen presses), far less than a script
// hammering the bot.
var DefaultRateLimit = RateLimit{Burst: 30, Every: time.Second}

// limitSweep is how often buckets that have refilled are dropped, so
// memory follows the people active lately.
const limitSweep = time.Minute

// textSlowDown is the answer to an interaction over the limit; %s is
// when the next one will be taken ("in 2 seconds").
const textSlowDown = "That's a lot of requests in a short time, so I'm pausing yours for a moment. Please try again %s."

// rateLimiter is a token bucket per person.
type rateLimiter struct {
	RateLimit
	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(rl RateLimit) *rateLimiter {
	if rl.Burst <= 0 || rl.Every <= 0 {
		rl = DefaultRateLimit
	}
	return &rateLimiter{RateLimit: rl, buckets: map[string]*bucket{}}
}

// allow takes one token of user's bucket at now; when there is none it
// says how long until there is.
func (l *rateLimiter) allow(user string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= limitSweep {
		for id, b := range l.buckets {
			if l.refilled(b, now) >= float64(l.Burst) {
				delete(l.buckets, id)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[user]
	if b == nil {
		b = &bucket{tokens: float64(l.Burst), at: now}
		l.buckets[user] = b
	}
	b.tokens, b.at = l.refilled(b, now), now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(l.Every))
	}
	b.tokens--
	return true, 0
}

// refilled is b's tokens at now.
func (l *rateLimiter) refilled(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.at)
	if elapsed < 0 {
		elapsed = 0
	}
	return min(float64(l.Burst), b.tokens+float64(elapsed)/float64(l.Every))
}

// slowDown is the answer to an interaction over the limit: ephemeral, and
// never an edit of the message a button is on, so nothing is lost.
func slowDown(wait time.Duration) Reply {
	// Whole seconds, rounded up: "try again in 1 second" must be true.
	wait = (wait + time.Second - 1).Truncate(time.Second)
	return message(fmt.Sprintf(textSlowDown, stretchbot.FromNow(lang.English(), wait)))
}
