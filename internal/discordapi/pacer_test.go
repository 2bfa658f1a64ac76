package discordapi

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestRouteOf(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		route, major string
		exempt       bool
	}{
		{"POST", "/api/v9/channels/123/messages", "POST /channels/{major}/messages", "123", false},
		{"PATCH", "/api/v9/channels/123/messages/456", "PATCH /channels/{major}/messages/{id}", "123", false},
		{"POST", "/api/v9/users/@me/channels", "POST /users/@me/channels", "", false},
		{"PUT", "/api/v9/applications/11/guilds/22/commands", "PUT /applications/{id}/guilds/{id}/commands", "", false},
		{"POST", "/api/v9/interactions/77/tok.en/callback", "POST /interactions/{id}/{token}/callback", "", true},
		{"PATCH", "/api/v9/webhooks/11/tok/messages/@original", "PATCH /webhooks/{webhook}/{token}/messages/@original", "11/tok", true},
		{"GET", "/prefix/api/v10/guilds/5/members/6", "GET /guilds/{major}/members/{id}", "5", false},
	} {
		route, major, exempt := routeOf(tc.method, tc.path)
		if route != tc.route || major != tc.major || exempt != tc.exempt {
			t.Errorf("routeOf(%s %s) = %q, %q, %v; want %q, %q, %v", tc.method, tc.path, route, major, exempt, tc.route, tc.major, tc.exempt)
		}
	}
}

// bucketServer allows limit requests per window on each channel's POST
// route, counted from the window's first request (as the fake and Discord
// do), reports the bucket in Discord's headers, and answers 429 beyond.
type bucketServer struct {
	limit     int
	window    time.Duration
	withReset bool // also X-RateLimit-Reset, as Discord sends

	mu       sync.Mutex
	start    map[string]time.Time
	count    map[string]int
	ok, s429 int
}

func (s *bucketServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if now.Sub(s.start[r.URL.Path]) >= s.window {
		s.start[r.URL.Path], s.count[r.URL.Path] = now, 0
	}
	after := s.start[r.URL.Path].Add(s.window).Sub(now)
	w.Header().Set("X-RateLimit-Bucket", "abc")
	w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(after.Seconds(), 'f', 3, 64))
	if s.withReset {
		end := s.start[r.URL.Path].Add(s.window)
		w.Header().Set("X-RateLimit-Reset", strconv.FormatFloat(float64(end.UnixMilli())/1000, 'f', 3, 64))
	}
	if s.count[r.URL.Path] >= s.limit {
		s.s429++
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	s.count[r.URL.Path]++
	s.ok++
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(s.limit-s.count[r.URL.Path]))
	w.WriteHeader(http.StatusOK)
}

// TestPacerKeepsToRouteBuckets sends many requests at once to two channels
// of a route limited to 3 per 200 ms: the Pacer holds back what the bucket
// cannot take, so the server never answers 429. Answers come back in any
// order; with and without X-RateLimit-Reset.
func TestPacerKeepsToRouteBuckets(t *testing.T) {
	for _, withReset := range []bool{false, true} {
		srv := &bucketServer{limit: 3, window: 200 * time.Millisecond, withReset: withReset, start: map[string]time.Time{}, count: map[string]int{}}
		ts := httptest.NewServer(srv)
		p := NewPacer(1000)
		client := &http.Client{Transport: p.Transport(nil)}
		var wg sync.WaitGroup
		for i := range 20 {
			ch := []string{"111", "222"}[i%2]
			wg.Go(func() {
				resp, err := client.Post(ts.URL+"/api/v9/channels/"+ch+"/messages", "application/json", nil)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			})
		}
		wg.Wait()
		ts.Close()
		if srv.ok != 20 || srv.s429 != 0 {
			t.Errorf("X-RateLimit-Reset %v: server answered %d OK and %d 429s, want 20 and 0", withReset, srv.ok, srv.s429)
		}
		if st := p.Stats(); st.Requests != 20 || st.RateLimited != 0 {
			t.Errorf("stats %+v", st)
		}
	}
}

// TestPacerGlobal: counted requests take slots of the global limit,
// interaction answers do not, and a global 429 holds every counted request
// for its Retry-After.
func TestPacerGlobal(t *testing.T) {
	var mu sync.Mutex
	global429 := false
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if global429 {
			global429 = false
			w.Header().Set("X-RateLimit-Global", "true")
			w.Header().Set("Retry-After", "0.3")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer ts.Close()
	p := NewPacer(1) // one counted request a second
	client := &http.Client{Transport: p.Transport(nil)}
	get := func(path string) {
		t.Helper()
		resp, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for range 5 {
		get("/api/v9/interactions/1/tok/callback")
		get("/api/v9/webhooks/9/tok/messages/@original")
	}
	if tok := p.global.TokensAt(time.Now()); tok < 1 {
		t.Errorf("interaction answers used the global budget: %.2f tokens left, want 1", tok)
	}
	get("/api/v9/users/@me")
	if tok := p.global.TokensAt(time.Now()); tok >= 1 {
		t.Errorf("a counted request left %.2f tokens, want less than 1", tok)
	}

	// A global 429: the next counted request waits out Retry-After.
	p = NewPacer(1000)
	client = &http.Client{Transport: p.Transport(nil)}
	mu.Lock()
	global429 = true
	mu.Unlock()
	get("/api/v9/channels/1/messages")
	start := time.Now()
	get("/api/v9/channels/2/messages")
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("a request after a global 429 went after %v, want after Retry-After (0.3 s)", waited)
	}
	if st := p.Stats(); st.RateLimited != 1 {
		t.Errorf("stats %+v, want one 429", st)
	}
}

// delayedTransport holds each request up for a random while on its way,
// as a busy machine or network does.
type delayedTransport struct{ max time.Duration }

func (d delayedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	time.Sleep(rand.N(d.max))
	return http.DefaultTransport.RoundTrip(req)
}

// TestPacerGlobalWindowAbsorbsBunching: requests that leave evenly can
// arrive bunched. A server with a fixed-window global limit (5 per 200 ms
// here, Discord's 50 per second scaled down) never sees more than its
// limit in a window, with requests held up at random on the way.
func TestPacerGlobalWindowAbsorbsBunching(t *testing.T) {
	const limit, period = 5, 200 * time.Millisecond
	var mu sync.Mutex
	var start time.Time
	count, over := 0, 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if now := time.Now(); now.Sub(start) >= period {
			start, count = now, 0
		}
		if count >= limit {
			over++
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		count++
	}))
	defer ts.Close()
	p := NewPacer(limit / period.Seconds()) // exactly the limit: only the window keeps it safe
	p.window = globalWindow{limit: limit, period: period}
	client := &http.Client{Transport: p.Transport(delayedTransport{max: 30 * time.Millisecond})}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for range 5 {
				resp, err := client.Get(ts.URL + "/api/v9/users/@me")
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	if over != 0 {
		t.Errorf("the server counted more than %d in a window %d times", limit, over)
	}
}
