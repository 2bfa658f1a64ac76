package discordapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// GlobalLimit is Discord's global rate limit: requests a second per bot
// token, interaction answers aside.
const GlobalLimit = 50

// DefaultRequestsPerSecond is the pace of REST requests a Pacer keeps to
// by default: 94 % of Discord's global limit of 50 a second. The margin
// absorbs the jitter between when a request leaves and when Discord counts
// it, so evenly spaced requests never make 51 in one of Discord's
// one-second windows.
const DefaultRequestsPerSecond = 47

// Pacer keeps a bot's REST requests within Discord's rate limits, before
// Discord has to refuse any:
//
//   - the global limit (50 requests a second per bot token): every request
//     waits for its slot, evenly spaced at the Pacer's rate, except
//     interaction callbacks and interaction webhooks, which Discord does not
//     count (this bot uses webhooks only for interactions);
//   - the per-route buckets Discord reports on each response
//     (X-RateLimit-Bucket, -Remaining, -Reset-After): once a bucket is used
//     up, further requests to any route in it wait for its reset. Requests
//     still in flight count against what the last response said remains.
//     Routes that share a bucket hash share it, per top-level resource;
//   - a global 429 stops every counted request until its Retry-After.
//
// discordgo has a rate limiter of its own, keyed by URL: it reads
// X-RateLimit-Remaining and -Reset-After (not the bucket hash), waits
// when a key has none left, retries 429s, and holds a key's lock for the
// whole request, so requests on one key go one at a time. It never spaces
// requests under the global limit; it only reacts to a 429. The Pacer
// does that part, for every Session given it (the limit is the token's).
//
// A Pacer is safe for concurrent use; Transport wraps it around an
// http.RoundTripper.
type Pacer struct {
	global *rate.Limiter

	mu           sync.Mutex
	routes       map[string]string       // route → Discord's bucket hash; "" when it named none
	probing      map[string]bool         // routes whose first request is out
	buckets      map[string]*routeBucket // hash + major resource → state
	blockedUntil time.Time               // after a global 429

	window globalWindow

	requests, limited atomic.Int64
}

// globalWindow makes sure Discord can never count more than limit of our
// requests in one of its one-second windows, however unevenly they arrive.
// Evenly spaced requests can still bunch up on the way (a request held up
// by the scheduler or the network, the next one not), and Discord counts a
// request somewhere between its send and its answer. Two requests can share
// one of Discord's windows only if one was sent less than a second after
// the other was answered; so a request goes only when fewer than limit are
// in flight or were answered within the last second. With answers in
// milliseconds this never holds back evenly paced requests; it absorbs
// the bunching.
type globalWindow struct {
	limit  int
	period time.Duration

	mu       sync.Mutex
	inflight int
	ends     []time.Time // answer times within the last period, oldest first
}

func (w *globalWindow) enter(ctx context.Context) error {
	for {
		w.mu.Lock()
		now := time.Now()
		k := 0
		for k < len(w.ends) && !w.ends[k].After(now.Add(-w.period)) {
			k++
		}
		w.ends = w.ends[k:]
		if w.inflight+len(w.ends) < w.limit {
			w.inflight++
			w.mu.Unlock()
			return nil
		}
		wait := 5 * time.Millisecond // an answer in flight frees room
		if len(w.ends) > 0 {
			wait = max(w.ends[0].Add(w.period).Sub(now), time.Millisecond)
		}
		w.mu.Unlock()
		if err := sleepCtx(ctx, min(wait, 50*time.Millisecond)); err != nil {
			return err
		}
	}
}

// done records that a request that entered has its answer (or failed).
func (w *globalWindow) done() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inflight--
	w.ends = append(w.ends, time.Now())
}

type routeBucket struct {
	// left is the least X-RateLimit-Remaining answered in the current
	// window: Discord counts down within a window, so the least is the
	// latest, whatever order the answers came back in.
	left     int
	inflight int       // taken, no answer yet: maybe not counted in left
	window   int64     // the window's X-RateLimit-Reset, in ms: its identity
	reset    time.Time // when it ends, on our clock (Reset-After plus a margin)
}

// NewPacer returns a Pacer that spaces counted requests perSecond apart
// (DefaultRequestsPerSecond when perSecond <= 0).
func NewPacer(perSecond float64) *Pacer {
	if perSecond <= 0 {
		perSecond = DefaultRequestsPerSecond
	}
	return &Pacer{
		global:  rate.NewLimiter(rate.Limit(perSecond), 1),
		window:  globalWindow{limit: GlobalLimit, period: time.Second},
		routes:  map[string]string{},
		probing: map[string]bool{},
		buckets: map[string]*routeBucket{},
	}
}

// Transport returns a RoundTripper that paces requests and hands them to
// next (http.DefaultTransport when nil).
func (p *Pacer) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &pacedTransport{p: p, next: next}
}

// PacerStats counts what a Pacer saw.
type PacerStats struct {
	Requests    int64 // every request, counted or not
	RateLimited int64 // answered 429
}

// Stats returns the counts so far.
func (p *Pacer) Stats() PacerStats {
	return PacerStats{Requests: p.requests.Load(), RateLimited: p.limited.Load()}
}

type pacedTransport struct {
	p    *Pacer
	next http.RoundTripper
}

func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	p := t.p
	ctx := req.Context()
	route, major, exempt := routeOf(req.Method, req.URL.Path)
	b, err := p.enterBucket(ctx, route, major)
	if err != nil {
		return nil, err
	}
	if !exempt {
		if err := p.waitGlobal(ctx); err != nil {
			p.leaveBucket(b, route)
			return nil, err
		}
		defer p.window.done()
	}
	p.requests.Add(1)
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		p.leaveBucket(b, route)
		return nil, err
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		p.limited.Add(1)
		if resp.Header.Get("X-RateLimit-Global") != "" || resp.Header.Get("X-RateLimit-Scope") == "global" {
			p.blockGlobal(retryAfter(resp.Header))
		}
	}
	p.learn(b, route, major, resp.Header)
	return resp, nil
}

// waitGlobal waits for a slot under the global limit, past a global 429's
// Retry-After, and for room in the sliding window (see globalWindow).
func (p *Pacer) waitGlobal(ctx context.Context) error {
	for {
		p.mu.Lock()
		until := p.blockedUntil
		p.mu.Unlock()
		if d := time.Until(until); d > 0 {
			if err := sleepCtx(ctx, d); err != nil {
				return err
			}
			continue
		}
		if err := p.global.Wait(ctx); err != nil {
			return err
		}
		return p.window.enter(ctx)
	}
}

func (p *Pacer) blockGlobal(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := time.Now().Add(d); until.After(p.blockedUntil) {
		p.blockedUntil = until
	}
}

// enterBucket waits until the route's bucket has a request left, and
// takes it. It returns the bucket, nil when Discord named none. The first
// request of a route goes alone: its answer tells whether there is a
// bucket and how much it holds.
func (p *Pacer) enterBucket(ctx context.Context, route, major string) (*routeBucket, error) {
	for {
		p.mu.Lock()
		hash, known := p.routes[route]
		switch {
		case !known && !p.probing[route]:
			p.probing[route] = true
			p.mu.Unlock()
			return nil, nil
		case known && hash == "":
			p.mu.Unlock()
			return nil, nil
		}
		wait := 10 * time.Millisecond // an answer in flight will tell
		if known {
			key := hash + "\x00" + major
			b := p.buckets[key]
			if b == nil {
				// A resource not seen yet: one request, whose answer
				// tells how many more.
				b = &routeBucket{left: 1}
				p.buckets[key] = b
			}
			now := time.Now()
			if !b.reset.IsZero() && !now.Before(b.reset) {
				// The window is over: one request into the next, whose
				// answer tells how much it holds.
				b.left, b.reset = 1, time.Time{}
			}
			if b.left-b.inflight > 0 {
				b.inflight++
				p.mu.Unlock()
				return b, nil
			}
			if !b.reset.IsZero() {
				wait = b.reset.Sub(now)
			}
		}
		p.mu.Unlock()
		if err := sleepCtx(ctx, min(wait, 50*time.Millisecond)); err != nil {
			return nil, err
		}
	}
}

// leaveBucket gives back what enterBucket took when a request got no answer.
func (p *Pacer) leaveBucket(b *routeBucket, route string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b != nil {
		b.inflight--
	}
	delete(p.probing, route)
}

// learn records what Discord's answer said about the route's bucket, and
// lets the request's bucket go.
func (p *Pacer) learn(b *routeBucket, route, major string, h http.Header) {
	hash := h.Get("X-RateLimit-Bucket")
	left, err1 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	after, err2 := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
	now := time.Now()
	reset := now.Add(time.Duration(after*float64(time.Second)) + resetMargin)
	// The window's identity: Discord's X-RateLimit-Reset (the same for every
	// answer of one window), else the end we work out, to 100 ms.
	p.mu.Lock()
	defer p.mu.Unlock()
	if b != nil {
		b.inflight--
	}
	delete(p.probing, route)
	if hash == "" || err1 != nil || err2 != nil {
		// The answer says nothing of a bucket (none on this route, or a
		// global 429, an error): the request used nothing we know of.
		if _, known := p.routes[route]; !known {
			p.routes[route] = ""
		}
		return
	}
	p.routes[route] = hash
	key := hash + "\x00" + major
	nb := p.buckets[key]
	if nb == nil {
		nb = &routeBucket{}
		p.buckets[key] = nb
	}
	// The window's identity: Discord's X-RateLimit-Reset, the same for
	// every answer of one window; without it, the end we work out, where
	// ends less than 100 ms apart are taken for the same window.
	window := reset.UnixMilli()
	if r, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset"), 64); err == nil {
		window = int64(r * 1000)
	} else if d := window - nb.window; d > -100 && d < 100 {
		window = nb.window
	}
	switch {
	case window > nb.window:
		nb.window, nb.left, nb.reset = window, left, reset
	case window == nb.window:
		nb.left = min(nb.left, left)
		if nb.reset.IsZero() || reset.After(nb.reset) {
			nb.reset = reset
		}
	default:
		// An answer from a window already over: nothing to learn.
	}
	if len(p.buckets) > maxBuckets {
		p.forgetStaleLocked()
	}
}

// resetMargin is added to a bucket's Reset-After: Discord rounds it to the
// millisecond, and a request that arrives a hair early is refused.
const resetMargin = 20 * time.Millisecond

// maxBuckets bounds the bucket states kept (one per channel a message was
// posted to); past it, those whose window is over are forgotten.
const maxBuckets = 10000

func (p *Pacer) forgetStaleLocked() {
	now := time.Now()
	for k, b := range p.buckets {
		if b.inflight == 0 && now.After(b.reset) {
			delete(p.buckets, k)
		}
	}
}

// routeOf reduces a REST path to Discord's rate-limit route: ids replaced
// by a placeholder, except the top-level resource (the major parameter:
// channel, guild, or webhook with its token), whose id is returned apart.
// Interaction callbacks and webhooks are exempt from the global limit.
func routeOf(method, path string) (route, major string, exempt bool) {
	if i := strings.Index(path, "/api/v"); i >= 0 {
		path = path[i+len("/api/v"):]
		if j := strings.IndexByte(path, '/'); j >= 0 {
			path = path[j:]
		}
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) > 0 {
		switch segs[0] {
		case "interactions":
			exempt = true
		case "webhooks":
			exempt = true
			if len(segs) >= 3 {
				major = segs[1] + "/" + segs[2]
				segs[1], segs[2] = "{webhook}", "{token}"
			}
		case "channels", "guilds":
			if len(segs) >= 2 {
				major = segs[1]
				segs[1] = "{major}"
			}
		}
	}
	for i, s := range segs {
		if s != "" && isDigits(s) {
			segs[i] = "{id}"
		}
	}
	if len(segs) >= 3 && segs[0] == "interactions" {
		segs[2] = "{token}"
	}
	return method + " /" + strings.Join(segs, "/"), major, exempt
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// retryAfter reads a 429's wait: Retry-After in seconds.
func retryAfter(h http.Header) time.Duration {
	if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	return time.Second
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
