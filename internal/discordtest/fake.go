package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Options configures a Fake. The zero value is usable: every field has a
// default.
type Options struct {
	// Token is the bot token the fake accepts, without the "Bot " prefix.
	// Default "test-token".
	Token string
	// AppID is the application (and bot user) id. Default "1000000000000000001".
	AppID string
	// BotName is the bot user's username. Default "stretchbot".
	BotName string
	// Shards is the shard count the bot must identify with. Default 1.
	Shards int
	// Guilds are the guild ids listed (as unavailable guilds) in READY, each
	// on the shard Discord would route it to.
	Guilds []string
	// HeartbeatInterval is sent in HELLO. Default 5s: discordgo sends its
	// first heartbeat at once anyway, and it reconnects when five intervals
	// pass without an ACK, so a short interval makes slow (-race) runs
	// reconnect spuriously, and a heartbeat racing Close can leave discordgo
	// reconnecting forever after the test.
	HeartbeatInterval time.Duration
	// PrivilegedIntents are the privileged intents the application is allowed
	// to request (GUILD_MEMBERS 1<<1, GUILD_PRESENCES 1<<8, MESSAGE_CONTENT
	// 1<<15). Requesting others closes the gateway with 4014, as on Discord.
	PrivilegedIntents int
	// RateLimits configures the rate limiter; nil means DefaultRateLimits().
	RateLimits *RateLimits
	// Clock is the fake's notion of "now": the time of requests and replies
	// (and of the nonce window) and, when set, of interaction deadlines.
	// Default time.Now for times; deadlines then run on a clock that stands still and moves only by
	// Advance, so a test slowed down by -race or a busy machine never
	// answers "late" by accident, and a test that wants a late answer says
	// so with Advance. Set Clock (time.Now for Discord's real-time
	// behaviour, or a test's own clock) and deadlines follow it. See also
	// Fake.SetClock and Fake.Advance.
	Clock func() time.Time
	// NonceWindow is how long a Create Message nonce is remembered for
	// enforce_nonce. Default DefaultNonceWindow.
	NonceWindow time.Duration
}

// Fake is a fake Discord: a REST API and a gateway on loopback. All methods
// are safe for concurrent use.
type Fake struct {
	opts   Options
	t      testing.TB
	srv    *httptest.Server
	gw     *gateway
	rl     *rateLimiter
	spec   *openAPI        // shared by every Fake in the process
	ctx    context.Context // cancelled by Close; ends delays and gateway writers
	cancel context.CancelFunc

	idSeq atomic.Int64

	mu           sync.Mutex
	clock        func() time.Time
	clockSet     bool      // a clock was given: deadlines follow it
	start        time.Time // the standing deadline clock's reading, before Advance
	offset       time.Duration
	requests     []Request
	rejections   []Rejection
	rateLimited  int
	interactions map[string]*interaction // by id
	byToken      map[string]*interaction
	messages     map[string]*storedMessage // by message id
	channelMsgs  map[string][]string       // channel id -> message ids posted via /channels
	dmChannels   map[string]string         // user id -> DM channel id
	dmUsers      map[string]string         // DM channel id -> user id
	closedDMs    map[string]bool
	botAccess    map[string]channelAccess    // channel id -> what the latest interaction there showed
	commands     map[string][]map[string]any // "" for global, else guild id
	faults       []*fault
	delays       []*delay
	held         map[string]int       // paths of requests a delay is holding
	nonces       map[string]sentNonce // Create Message nonces, by channel and nonce
	nonceRepeats int
	changed      chan struct{} // closed and replaced whenever something is recorded
	closeOnce    sync.Once
}

// New starts a fake Discord and registers its Close with t.Cleanup.
func New(t testing.TB, opts Options) *Fake {
	t.Helper()
	f, err := Start(opts)
	if err != nil {
		t.Fatalf("discordtest: %v", err)
	}
	f.t = t
	t.Cleanup(f.Close)
	return f
}

// Start starts a fake Discord without a testing.TB; the caller must Close it.
func Start(opts Options) (*Fake, error) {
	if opts.Token == "" {
		opts.Token = "test-token"
	}
	if opts.AppID == "" {
		opts.AppID = "1000000000000000001"
	}
	if _, err := strconv.ParseUint(opts.AppID, 10, 64); err != nil {
		return nil, fmt.Errorf("application id %q is not a snowflake: %w", opts.AppID, err)
	}
	if opts.BotName == "" {
		opts.BotName = "stretchbot"
	}
	if opts.Shards <= 0 {
		opts.Shards = 1
	}
	if opts.NonceWindow <= 0 {
		opts.NonceWindow = DefaultNonceWindow
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = 5 * time.Second
	}
	rls := DefaultRateLimits()
	if opts.RateLimits != nil {
		rls = *opts.RateLimits
	}
	clock, clockSet := opts.Clock, opts.Clock != nil
	if !clockSet {
		clock = time.Now
	}
	// The spec is parsed here, on the caller's goroutine, rather than on the
	// first request: the first call of a process takes a second or more, and
	// a REST handler stuck that long could run into client timeouts.
	spec, err := loadOpenAPI()
	if err != nil {
		return nil, fmt.Errorf("loading the OpenAPI spec: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &Fake{
		opts:         opts,
		spec:         spec,
		ctx:          ctx,
		cancel:       cancel,
		clock:        clock,
		clockSet:     clockSet,
		start:        clock(),
		rl:           newRateLimiter(rls),
		interactions: map[string]*interaction{},
		byToken:      map[string]*interaction{},
		messages:     map[string]*storedMessage{},
		channelMsgs:  map[string][]string{},
		dmChannels:   map[string]string{},
		dmUsers:      map[string]string{},
		closedDMs:    map[string]bool{},
		botAccess:    map[string]channelAccess{},
		commands:     map[string][]map[string]any{},
		changed:      make(chan struct{}),
	}
	f.gw = newGateway(f)
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", f.gw.serveWS)
	mux.HandleFunc("/gateway/", f.gw.serveWS)
	mux.HandleFunc("/", f.serveREST)
	f.srv = httptest.NewServer(mux)
	return f, nil
}

// Close stops the fake: it closes every gateway connection and the HTTP
// server. It is idempotent. New registers it with t.Cleanup.
func (f *Fake) Close() {
	f.closeOnce.Do(func() {
		f.cancel()
		f.gw.close()
		f.srv.Close()
	})
}

// URL is the REST base URL, e.g. "http://127.0.0.1:41234": what operators put
// in DISCORD_API_BASE. The API itself is served under /api/v9 (the version
// discordgo v0.29.0 uses) and /api/v10.
func (f *Fake) URL() string { return f.srv.URL }

// GatewayURL is the ws:// URL that GET /gateway and /gateway/bot return.
func (f *Fake) GatewayURL() string { return "ws" + f.srv.URL[len("http"):] + "/gateway" }

// Token is the bot token the fake accepts, without the "Bot " prefix.
func (f *Fake) Token() string { return f.opts.Token }

// AppID is the application id, which is also the bot user's id.
func (f *Fake) AppID() string { return f.opts.AppID }

// Now is the fake's current time: the clock plus any Advance.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nowLocked()
}

func (f *Fake) nowLocked() time.Time { return f.clock().Add(f.offset) }

// deadlineNowLocked is "now" for interaction deadlines: the clock plus any
// Advance when a clock was given, else the standing clock plus any Advance.
func (f *Fake) deadlineNowLocked() time.Time {
	if f.clockSet {
		return f.nowLocked()
	}
	return f.start.Add(f.offset)
}

// SetClock replaces the fake's clock, which from then on also drives
// interaction deadlines (3 s for the initial response, 15 min for the
// token); nil restores the default (time.Now for times, a standing clock
// for deadlines). Call it before dispatching the interactions it should
// time. Rate limits always use real time because discordgo sleeps in real
// time.
func (f *Fake) SetClock(clock func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if clock == nil {
		// The standing clock starts where the old clock stands, so
		// interactions already dispatched keep their age.
		f.start = f.clock()
		f.clock, f.clockSet = time.Now, false
		return
	}
	f.clock, f.clockSet = clock, true
}

// Advance moves the fake's clock forward by d, e.g. Advance(4*time.Second) to
// make the bot's next initial response late.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.offset += d
	f.mu.Unlock()
}

// CloseDMs makes the user refuse DMs from the bot: messages to their DM
// channel fail with 403 code 50007, as when a user has closed DMs.
func (f *Fake) CloseDMs(userID string) {
	f.mu.Lock()
	f.closedDMs[userID] = true
	f.mu.Unlock()
}

// snowflake returns a fresh, unique snowflake with the current real time in
// its timestamp bits, so ids sort by creation.
func (f *Fake) snowflake() string {
	const discordEpochMs = 1420070400000
	ms := time.Now().UnixMilli() - discordEpochMs
	n := f.idSeq.Add(1)
	return strconv.FormatUint(uint64(ms)<<22|uint64(n&0x3fffff), 10)
}

// randomToken returns an unguessable interaction token, as Discord's are.
func randomToken() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("discordtest: crypto/rand: %v", err))
	}
	return "aW50ZXJhY3Rpb24" + hex.EncodeToString(b[:])
}

// notifyLocked wakes every WaitFor. f.mu must be held.
func (f *Fake) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// WaitFor blocks until cond returns true or ctx is done. cond is evaluated
// now and after every request the fake records and every gateway event, so
// it must not block; it may call the Fake's methods.
func (f *Fake) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: condition not met: %w", context.Cause(ctx))
		case <-f.ctx.Done():
			return fmt.Errorf("discordtest: fake closed while waiting")
		}
	}
}

// WaitResponse blocks until the bot has answered the interaction (its
// initial callback was accepted) and returns that answer.
func (f *Fake) WaitResponse(ctx context.Context, interactionID string) (Reply, error) {
	var r Reply
	err := f.WaitFor(ctx, func() bool {
		var ok bool
		r, ok = f.Response(interactionID)
		return ok
	})
	if err != nil {
		return Reply{}, fmt.Errorf("waiting for the response to interaction %s: %w", interactionID, err)
	}
	return r, nil
}
