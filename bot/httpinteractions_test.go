package bot_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// httpEnv is the end-to-end env with an interactions endpoint in front of
// its transport, and the key pair Discord would sign with.
type httpEnv struct {
	*env
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
	h    http.Handler
	now  time.Time
	seq  int
}

func newHTTPEnv(t *testing.T) *httpEnv {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e := &httpEnv{env: newEnv(t, envOptions{guildID: guildID}), pub: pub, priv: priv, now: time.Now()}
	e.h = e.d.InteractionsHandler(pub, func() time.Time { return e.now })
	return e
}

// command is the JSON of a slash command in the guild, as Discord posts it.
func (e *httpEnv) command(sub string) []byte {
	e.seq++
	b, err := json.Marshal(map[string]any{
		"id": strconv.Itoa(700000000000000000 + e.seq), "application_id": e.fake.AppID(), "type": 2,
		"token": fmt.Sprintf("http-token-%d", e.seq), "version": 1,
		"guild_id": guildID, "channel_id": channelID, "context": 0,
		"authorizing_integration_owners": map[string]any{"0": guildID}, "app_permissions": "3072",
		"member": map[string]any{"user": map[string]any{"id": aliceID, "username": "alice"}, "permissions": "0", "roles": []any{}},
		"data":   map[string]any{"id": "800000000000000001", "name": "stretch", "type": 1, "options": []any{map[string]any{"name": sub, "type": 1}}},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// post sends body to the endpoint, signed by key over signedBody (nil key:
// no signature headers at all).
func (e *httpEnv) post(key ed25519.PrivateKey, signedBody, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, bot.InteractionsPath, bytes.NewReader(body))
	if key != nil {
		ts := strconv.FormatInt(e.now.Unix(), 10)
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), signedBody...))))
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

func (e *httpEnv) handled() int64 {
	var n int64
	for _, v := range e.d.Stats() {
		n += v
	}
	return n
}

func decodeResponse(t *testing.T, rec *httptest.ResponseRecorder) (typ int, data map[string]any) {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var r struct {
		Type int            `json:"type"`
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("response %q: %v", rec.Body, err)
	}
	return r.Type, r.Data
}

func TestHTTPInteractionsPingIsAnsweredWithPong(t *testing.T) {
	e := newHTTPEnv(t)
	ping := []byte(`{"id":"700000000000000001","application_id":"` + e.fake.AppID() + `","type":1,"token":"t","version":1}`)
	if typ, _ := decodeResponse(t, e.post(e.priv, ping, ping)); typ != int(discordgo.InteractionResponsePong) {
		t.Fatalf("PING answered with type %d, want PONG", typ)
	}
}

func TestHTTPInteractionsCommandIsAnsweredInTheResponseBody(t *testing.T) {
	e := newHTTPEnv(t)
	body := e.command("help")
	typ, data := decodeResponse(t, e.post(e.priv, body, body))
	if typ != int(discordgo.InteractionResponseChannelMessageWithSource) {
		t.Fatalf("type %d, want a message (4)", typ)
	}
	if flags, _ := data["flags"].(float64); int(flags)&64 == 0 {
		t.Errorf("help should be ephemeral: %v", data)
	}
	if b, _ := json.Marshal(data); !strings.Contains(strings.ToLower(string(b)), "doctor") {
		t.Errorf("help does not say when to see a doctor: %s", b)
	}
	if got := e.d.Stats()[bot.StatKey{Route: "stretch help", Outcome: "ok"}]; got != 1 {
		t.Errorf("stats = %v, want one stretch help", e.d.Stats())
	}
	// The same interaction again (a replay within the signature's age) is
	// not handled twice.
	if rec := e.post(e.priv, body, body); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("replayed interaction: status %d, want 503", rec.Code)
	}
	if n := e.handled(); n != 1 {
		t.Errorf("%d interactions handled, want 1", n)
	}
	// Nothing went over REST: the body was the answer.
	for _, r := range e.fake.Requests() {
		if strings.HasPrefix(r.Path, "/interactions/") || strings.HasPrefix(r.Path, "/webhooks/") {
			t.Errorf("unexpected REST call %s %s", r.Method, r.Path)
		}
	}
}

// TestHTTPInteractionsSlowCommandIsDeferredThenEdited: /stretch stats draws
// a chart, a file, which an HTTP response cannot carry: the body defers,
// and the answer goes as the edit of the original response over REST.
func TestHTTPInteractionsSlowCommandIsDeferredThenEdited(t *testing.T) {
	e := newHTTPEnv(t)
	// The fake never dispatched this interaction, so it refuses the edit
	// as an unknown webhook; the request itself is what is checked.
	e.expectRejections(50027)
	for i := range 3 {
		c := stretchbot.Completion{UserID: aliceID, StretchID: "knee-hug", At: e.clock.Now().Add(-time.Duration(i) * 24 * time.Hour), Source: stretchbot.SourceButton}
		if err := e.db.AddCompletion(testCtx(t), c); err != nil {
			t.Fatal(err)
		}
	}
	body := e.command("stats")
	typ, data := decodeResponse(t, e.post(e.priv, body, body))
	if typ != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) {
		t.Fatalf("type %d, want a deferral (5)", typ)
	}
	if flags, _ := data["flags"].(float64); int(flags)&64 == 0 {
		t.Errorf("stats should be ephemeral: %v", data)
	}
	var edit discordtest.Request
	if err := e.fake.WaitFor(testCtx(t), func() bool {
		for _, r := range e.fake.Requests() {
			if r.Method == http.MethodPatch && strings.HasSuffix(r.Path, "/http-token-1/messages/@original") {
				edit = r
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no edit of the deferred answer: %v", err)
	}
	if len(edit.Files) != 1 {
		t.Errorf("the edit carries %d files, want the chart", len(edit.Files))
	}
	// The chart sits in a media gallery: the edit turns the deferred
	// answer into a Components V2 message, content and embeds null.
	eb, _ := edit.Body.(map[string]any)
	if flags, _ := eb["flags"].(float64); int(flags)&(1<<15) == 0 || eb["content"] != nil || eb["embeds"] != nil {
		t.Errorf("the edit is not a Components V2 message: flags %v, content %v, embeds %v", eb["flags"], eb["content"], eb["embeds"])
	}
}

func TestHTTPInteractionsRefuseBadSignatures(t *testing.T) {
	e := newHTTPEnv(t)
	_, otherKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	body := e.command("help")
	changed := bytes.Replace(body, []byte(`"help"`), []byte(`"now"`), 1)
	tests := []struct {
		name string
		rec  func() *httptest.ResponseRecorder
	}{
		{"forged: signed by another key", func() *httptest.ResponseRecorder { return e.post(otherKey, body, body) }},
		{"replayed with a changed body", func() *httptest.ResponseRecorder { return e.post(e.priv, body, changed) }},
		{"no signature headers", func() *httptest.ResponseRecorder { return e.post(nil, nil, body) }},
		{"signature without timestamp", func() *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, bot.InteractionsPath, bytes.NewReader(body))
			req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(e.priv, body)))
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			return rec
		}},
		{"garbage signature", func() *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, bot.InteractionsPath, bytes.NewReader(body))
			req.Header.Set("X-Signature-Timestamp", strconv.FormatInt(e.now.Unix(), 10))
			req.Header.Set("X-Signature-Ed25519", "not hex")
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			return rec
		}},
		{"valid but an hour old", func() *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, bot.InteractionsPath, bytes.NewReader(body))
			ts := strconv.FormatInt(e.now.Add(-time.Hour).Unix(), 10)
			req.Header.Set("X-Signature-Timestamp", ts)
			req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(e.priv, append([]byte(ts), body...))))
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			return rec
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if rec := tt.rec(); rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", rec.Code, rec.Body)
			}
			if n := e.handled(); n != 0 {
				t.Fatalf("%d interactions were handled: %v", n, e.d.Stats())
			}
		})
	}
	// The untouched, correctly signed body still goes through: the refusals
	// were about the signatures, not the interaction.
	if typ, _ := decodeResponse(t, e.post(e.priv, body, body)); typ != int(discordgo.InteractionResponseChannelMessageWithSource) {
		t.Fatalf("the genuine request: type %d", typ)
	}
}

func TestParsePublicKey(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	got, err := bot.ParsePublicKey(hex.EncodeToString(pub))
	if err != nil || !bytes.Equal(got, pub) {
		t.Fatalf("ParsePublicKey = %x, %v", got, err)
	}
	for _, bad := range []string{"", "abc", hex.EncodeToString(pub[:31]), strings.Repeat("zz", 32)} {
		if _, err := bot.ParsePublicKey(bad); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted", bad)
		}
	}
}
