package discordtest

import (
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimits configures the fake's rate limiter. Windows are fixed: a bucket
// allows Limit requests from its first request until Window has passed.
// Rate limits run on real time, not the fake clock, because discordgo waits
// in real time.
type RateLimits struct {
	// Disabled turns rate limiting off entirely.
	Disabled bool
	// Global is the number of requests allowed per GlobalWindow across all
	// routes except interaction endpoints (callbacks and the interaction
	// webhooks), which Discord exempts from the global limit. Zero or less
	// means no global limit.
	Global       int
	GlobalWindow time.Duration
	// Routes are per-route buckets. A bucket is counted separately for each
	// top-level resource (channel, guild, or webhook id+token) in the path.
	Routes []RouteLimit
}

// RouteLimit is a per-route bucket.
type RouteLimit struct {
	Method string // "" for any method
	Route  string // route template as in Request.Route, e.g. "/channels/{channel_id}/messages"
	Limit  int
	Window time.Duration
}

// DefaultRateLimits are Discord's published or commonly observed limits: 50
// requests per second globally, and 5 messages per 5 s per channel.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		Global:       50,
		GlobalWindow: time.Second,
		Routes: []RouteLimit{
			{Method: http.MethodPost, Route: "/channels/{channel_id}/messages", Limit: 5, Window: 5 * time.Second},
			{Method: http.MethodPatch, Route: "/channels/{channel_id}/messages/{message_id}", Limit: 5, Window: 5 * time.Second},
		},
	}
}

type window struct {
	start time.Time
	count int
}

type rateLimiter struct {
	mu      sync.Mutex
	cfg     RateLimits
	global  window
	buckets map[string]*window
}

func newRateLimiter(cfg RateLimits) *rateLimiter {
	return &rateLimiter{cfg: cfg, buckets: map[string]*window{}}
}

func (rl *rateLimiter) set(cfg RateLimits) {
	rl.mu.Lock()
	rl.cfg = cfg
	rl.global = window{}
	rl.buckets = map[string]*window{}
	rl.mu.Unlock()
}

// take counts one request and reports whether it is allowed. It sets the
// X-RateLimit headers on h and, when the request is refused, returns the
// 429 body.
func (rl *rateLimiter) take(h http.Header, method, route, major string, globalExempt bool) *APIError {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.cfg.Disabled {
		return nil
	}
	now := time.Now()
	if !globalExempt && rl.cfg.Global > 0 {
		w := rl.cfg.GlobalWindow
		if w <= 0 {
			w = time.Second
		}
		if now.Sub(rl.global.start) >= w {
			rl.global = window{start: now}
		}
		if rl.global.count >= rl.cfg.Global {
			after := rl.global.start.Add(w).Sub(now)
			// No X-RateLimit-Reset-After here: discordgo would treat it as a
			// global lock and then sleep retry_after again on top.
			h.Set("X-RateLimit-Global", "true")
			h.Set("X-RateLimit-Scope", "global")
			return tooMany(h, after, true)
		}
		rl.global.count++
	}
	for _, r := range rl.cfg.Routes {
		if r.Route != route || (r.Method != "" && r.Method != method) || r.Limit <= 0 {
			continue
		}
		hash := bucketHash(r.Method + " " + r.Route)
		key := hash + ":" + major
		b := rl.buckets[key]
		if b == nil || now.Sub(b.start) >= r.Window {
			b = &window{start: now}
			rl.buckets[key] = b
		}
		reset := b.start.Add(r.Window)
		after := reset.Sub(now)
		h.Set("X-RateLimit-Limit", strconv.Itoa(r.Limit))
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(reset.UnixMilli())/1000, 'f', 3, 64))
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(after.Seconds(), 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", hash)
		if b.count >= r.Limit {
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("X-RateLimit-Scope", "user")
			return tooMany(h, after, false)
		}
		b.count++
		h.Set("X-RateLimit-Remaining", strconv.Itoa(r.Limit-b.count))
		break
	}
	return nil
}

func tooMany(h http.Header, after time.Duration, global bool) *APIError {
	secs := math.Max(after.Seconds(), 0.001)
	secs = math.Ceil(secs*1000) / 1000
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	return &APIError{
		Status:     http.StatusTooManyRequests,
		Message:    "You are being rate limited.",
		RetryAfter: &secs,
		Global:     &global,
	}
}

// bucketHash makes an opaque bucket id like Discord's X-RateLimit-Bucket.
func bucketHash(s string) string {
	h := fnv.New64a()
	h.Write([]byte(s))
	return strconv.FormatUint(h.Sum64(), 16)
}

// SetRateLimits replaces the rate limit configuration and resets all counts.
func (f *Fake) SetRateLimits(cfg RateLimits) { f.rl.set(cfg) }

// DisableRateLimits turns rate limiting off, for tests that don't care.
func (f *Fake) DisableRateLimits() { f.rl.set(RateLimits{Disabled: true}) }

// RateLimited is the number of 429 responses the fake has sent, so a test
// can assert that the bot stayed within the limits.
func (f *Fake) RateLimited() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rateLimited
}
