package discordtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway opcodes and close codes used by the fake (Discord's "Opcodes and
// Status Codes" page).
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11

	closeUnknownOpcode     = 4001
	closeDecodeError       = 4002
	closeNotAuthenticated  = 4003
	closeAuthFailed        = 4004
	closeAlreadyAuth       = 4005
	closeInvalidShard      = 4010
	closeShardingRequired  = 4011
	closeInvalidIntents    = 4013
	closeDisallowedIntents = 4014
	privilegedIntentsMask  = 1<<1 | 1<<8 | 1<<15
	gatewayWriteTimeout    = 5 * time.Second
	gatewayAPIVersionJSON  = "json"
)

// Identify is one IDENTIFY the fake accepted.
type Identify struct {
	Time      time.Time // real time
	Token     string
	Intents   int
	Shard     [2]int
	SessionID string
}

type gateway struct {
	f        *Fake
	upgrader websocket.Upgrader

	mu         sync.Mutex
	closed     bool
	conns      map[*gwConn]bool
	sessions   map[string]*gwSession
	byShard    map[int]*gwSession // the latest identified session of each shard
	pending    map[int][]gwEvent  // dispatches for shards nobody identified on yet
	identifies []Identify
	resumes    int
	heartbeats int
	wg         sync.WaitGroup
}

type gwConn struct {
	heartbeats int // guarded by gateway.mu
	ws         *websocket.Conn
	wmu        sync.Mutex // gorilla allows one concurrent writer
	sess       *gwSession
}

type gwSession struct {
	id    string
	shard [2]int
	seq   int64
	log   []gwEvent // every dispatch, for RESUME replay
	conn  *gwConn   // nil while disconnected
}

type gwEvent struct {
	Op   int    `json:"op"`
	Seq  *int64 `json:"s"`
	Type string `json:"t,omitempty"`
	Data any    `json:"d"`
}

func newGateway(f *Fake) *gateway {
	return &gateway{
		f:        f,
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		conns:    map[*gwConn]bool{},
		sessions: map[string]*gwSession{},
		byShard:  map[int]*gwSession{},
		pending:  map[int][]gwEvent{},
	}
}

func (c *gwConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(gatewayWriteTimeout))
	return c.ws.WriteJSON(v)
}

// closeWith sends a close frame with a gateway close code, then closes.
func (c *gwConn) closeWith(code int, text string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

func (g *gateway) serveWS(w http.ResponseWriter, r *http.Request) {
	if enc := r.URL.Query().Get("encoding"); enc != "" && enc != gatewayAPIVersionJSON {
		http.Error(w, "discordtest: only encoding=json is supported", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		http.Error(w, "discordtest: closed", http.StatusServiceUnavailable)
		return
	}
	g.wg.Add(1)
	g.mu.Unlock()
	defer g.wg.Done()

	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with an HTTP error
	}
	c := &gwConn{ws: ws}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		_ = ws.Close()
		return
	}
	g.conns[c] = true
	g.mu.Unlock()
	defer g.drop(c)

	hello := gwEvent{Op: opHello, Data: map[string]any{"heartbeat_interval": g.f.opts.HeartbeatInterval.Milliseconds()}}
	if err := c.write(hello); err != nil {
		return
	}
	for {
		_, raw, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var msg struct {
			Op   int             `json:"op"`
			Data json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(raw, &msg); err != nil {
			c.closeWith(closeDecodeError, "Decode error")
			return
		}
		switch msg.Op {
		case opHeartbeat:
			g.mu.Lock()
			g.heartbeats++
			c.heartbeats++
			g.mu.Unlock()
			if err := c.write(gwEvent{Op: opHeartbeatACK}); err != nil {
				return
			}
		case opIdentify:
			if !g.identify(c, msg.Data) {
				return
			}
		case opResume:
			if !g.resume(c, msg.Data) {
				return
			}
		default:
			g.mu.Lock()
			authed := c.sess != nil
			g.mu.Unlock()
			if !authed {
				c.closeWith(closeNotAuthenticated, "Not authenticated.")
				return
			}
			if msg.Op > 14 || msg.Op == opDispatch {
				c.closeWith(closeUnknownOpcode, "Unknown opcode.")
				return
			}
			// Presence, voice and member requests are accepted and ignored.
		}
		g.f.notify()
	}
}

// drop forgets a connection that ended; its session stays resumable.
func (g *gateway) drop(c *gwConn) {
	g.mu.Lock()
	delete(g.conns, c)
	if c.sess != nil && c.sess.conn == c {
		c.sess.conn = nil
	}
	g.mu.Unlock()
	_ = c.ws.Close()
	g.f.notify()
}

func (g *gateway) tokenOK(tok string) bool {
	want := g.f.opts.Token
	return tok == want || tok == "Bot "+want
}

// identify handles op 2. It reports whether the connection stays open.
func (g *gateway) identify(c *gwConn, raw json.RawMessage) bool {
	var d struct {
		Token   string  `json:"token"`
		Intents *int    `json:"intents"`
		Shard   *[2]int `json:"shard"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		c.closeWith(closeDecodeError, "Decode error")
		return false
	}
	n := g.f.opts.Shards
	switch {
	case c.sess != nil:
		c.closeWith(closeAlreadyAuth, "Already authenticated.")
		return false
	case !g.tokenOK(d.Token):
		c.closeWith(closeAuthFailed, "Authentication failed.")
		return false
	case d.Intents == nil || *d.Intents < 0 || *d.Intents >= 1<<26:
		c.closeWith(closeInvalidIntents, "Invalid intent(s).")
		return false
	case *d.Intents&privilegedIntentsMask&^g.f.opts.PrivilegedIntents != 0:
		c.closeWith(closeDisallowedIntents, "Disallowed intent(s).")
		return false
	case d.Shard == nil && n > 1:
		c.closeWith(closeShardingRequired, "Sharding required.")
		return false
	case d.Shard != nil && (d.Shard[1] != n || d.Shard[0] < 0 || d.Shard[0] >= n):
		c.closeWith(closeInvalidShard, "Invalid shard.")
		return false
	}
	shard := [2]int{0, 1}
	if d.Shard != nil {
		shard = *d.Shard
	}
	s := &gwSession{id: strings.TrimPrefix(randomToken(), "aW50ZXJhY3Rpb24")[:32], shard: shard, conn: c}
	var guilds []any
	for _, gid := range g.f.opts.Guilds {
		if g.f.shardFor(gid) == shard[0] {
			guilds = append(guilds, map[string]any{"id": gid, "unavailable": true})
		}
	}
	if guilds == nil {
		guilds = []any{}
	}
	ready := map[string]any{
		"v": 9, "user": g.f.botUser(), "guilds": guilds, "session_id": s.id, "session_type": "normal",
		"resume_gateway_url": g.f.GatewayURL(), "shard": shard,
		"application":      map[string]any{"id": g.f.opts.AppID, "flags": 0},
		"private_channels": []any{}, "relationships": []any{}, "user_settings": map[string]any{},
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	c.sess = s
	g.sessions[s.id] = s
	g.byShard[shard[0]] = s
	g.identifies = append(g.identifies, Identify{Time: time.Now(), Token: d.Token, Intents: *d.Intents, Shard: shard, SessionID: s.id})
	if err := g.sendLocked(s, "READY", ready); err != nil {
		return false
	}
	for _, ev := range g.pending[shard[0]] {
		if err := g.sendLocked(s, ev.Type, ev.Data); err != nil {
			return false
		}
	}
	delete(g.pending, shard[0])
	return true
}

// sendLocked numbers and logs a dispatch on s and writes it if s is
// connected. g.mu must be held, which keeps sequence numbers in order.
func (g *gateway) sendLocked(s *gwSession, typ string, data any) error {
	s.seq++
	seq := s.seq
	ev := gwEvent{Op: opDispatch, Seq: &seq, Type: typ, Data: data}
	s.log = append(s.log, ev)
	if s.conn == nil {
		return nil
	}
	return s.conn.write(ev)
}

// resume handles op 6: replay what the client missed, then RESUMED.
func (g *gateway) resume(c *gwConn, raw json.RawMessage) bool {
	var d struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		c.closeWith(closeDecodeError, "Decode error")
		return false
	}
	if !g.tokenOK(d.Token) {
		c.closeWith(closeAuthFailed, "Authentication failed.")
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.sessions[d.SessionID]
	if s == nil || c.sess != nil {
		// Not resumable: the client must identify again.
		return c.write(gwEvent{Op: opInvalidSession, Data: false}) == nil
	}
	if old := s.conn; old != nil && old != c {
		old.sess = nil
		_ = old.ws.Close()
	}
	s.conn = c
	c.sess = s
	for _, ev := range s.log {
		if *ev.Seq > d.Seq && ev.Type != "READY" && ev.Type != "RESUMED" {
			if err := c.write(ev); err != nil {
				return false
			}
		}
	}
	g.resumes++
	return g.sendLocked(s, "RESUMED", map[string]any{}) == nil
}

// dispatch sends an event to the shard's session, or queues it until a
// session identifies on that shard.
func (g *gateway) dispatch(shard int, typ string, data any) {
	g.mu.Lock()
	if s := g.byShard[shard]; s != nil {
		// A write error means the connection is going away; the event is
		// in the log and will be replayed on RESUME.
		_ = g.sendLocked(s, typ, data)
	} else {
		g.pending[shard] = append(g.pending[shard], gwEvent{Type: typ, Data: data})
	}
	g.mu.Unlock()
	g.f.notify()
}

// dropAll closes every connection without a close frame, like a network
// failure. Sessions stay resumable.
func (g *gateway) dropAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for c := range g.conns {
		if c.sess != nil && c.sess.conn == c {
			c.sess.conn = nil
		}
		_ = c.ws.Close()
	}
}

func (g *gateway) close() {
	g.mu.Lock()
	g.closed = true
	for c := range g.conns {
		_ = c.ws.Close()
	}
	g.mu.Unlock()
	g.wg.Wait()
}

// notify wakes WaitFor callers.
func (f *Fake) notify() {
	f.mu.Lock()
	f.notifyLocked()
	f.mu.Unlock()
}

// DropGateway cuts every gateway connection abruptly (no close frame), as a
// network failure would. Sessions stay resumable and events dispatched
// meanwhile are replayed on RESUME.
func (f *Fake) DropGateway() { f.gw.dropAll() }

// Identifies returns every accepted IDENTIFY, in order.
func (f *Fake) Identifies() []Identify {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	return append([]Identify(nil), f.gw.identifies...)
}

// Resumes is the number of successful RESUMEs.
func (f *Fake) Resumes() int {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	return f.gw.resumes
}

// Heartbeats is the number of heartbeats (op 1) received.
func (f *Fake) Heartbeats() int {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	return f.gw.heartbeats
}

// HeartbeatsOn is the number of heartbeats received on the shard's current
// connection (0 when disconnected). Wait for it to be positive before
// closing a freshly opened discordgo Session: discordgo's first heartbeat
// can otherwise race with Close and start a reconnect loop after Close.
func (f *Fake) HeartbeatsOn(shard int) int {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	if s := f.gw.byShard[shard]; s != nil && s.conn != nil {
		return s.conn.heartbeats
	}
	return 0
}

// Connected reports whether a session is identified and connected on the
// shard.
func (f *Fake) Connected(shard int) bool {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	s := f.gw.byShard[shard]
	return s != nil && s.conn != nil
}
