package discordapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/stretchbot/stretchbot/internal/discordapi"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// roundTripFunc records the request a RewriteTransport hands on.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRewriteTransport(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, base, in, want string
	}{
		{"host only", "http://127.0.0.1:8080", "https://discord.com/api/v9/users/@me", "http://127.0.0.1:8080/api/v9/users/@me"},
		{"trailing slash", "http://127.0.0.1:8080/", "https://discord.com/api/v9/gateway", "http://127.0.0.1:8080/api/v9/gateway"},
		{"path prefix", "https://proxy.internal/discord/", "https://discord.com/api/v9/channels/1/messages?x=1", "https://proxy.internal/discord/api/v9/channels/1/messages?x=1"},
		{"escaped path", "http://p:1/pre", "https://discord.com/api/v9/channels/1/messages/2/reactions/%F0%9F%91%8D/@me", "http://p:1/pre/api/v9/channels/1/messages/2/reactions/%F0%9F%91%8D/@me"},
		{"other hosts untouched", "http://p:1", "https://cdn.discordapp.com/avatars/1/a.png", "https://cdn.discordapp.com/avatars/1/a.png"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *http.Request
			rt, err := discordapi.RewriteTransport(tc.base, roundTripFunc(func(r *http.Request) (*http.Response, error) {
				got = r
				return &http.Response{StatusCode: 204, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("GET", tc.in, nil)
			if _, err := rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			if got.URL.String() != tc.want {
				t.Fatalf("rewritten to %s, want %s", got.URL, tc.want)
			}
			if req.URL.String() != tc.in {
				t.Fatalf("original request modified: %s", req.URL)
			}
		})
	}
}

func TestRewriteTransportBadBase(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "127.0.0.1:8080", "ftp://x", "http://", "http://u:p@x", "http://x/?q=1", "http://x/#f", "http://[::1"} {
		if _, err := discordapi.RewriteTransport(base, nil); err == nil {
			t.Errorf("RewriteTransport(%q) accepted a bad base", base)
		} else if !strings.Contains(err.Error(), "API base") {
			t.Errorf("RewriteTransport(%q): unclear error %v", base, err)
		}
	}
	if _, err := discordapi.NewSession("t", "nope"); err == nil {
		t.Error("NewSession accepted a bad base")
	}
	if _, err := discordapi.NewSession(" ", ""); err == nil {
		t.Error("NewSession accepted an empty token")
	}
}

func TestNewSessionTalksToTheFake(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	s, err := discordapi.NewSession(f.Token(), f.URL())
	if err != nil {
		t.Fatal(err)
	}
	if s.Identify.Intents != 0 || s.Token != "Bot "+f.Token() {
		t.Fatalf("intents %d, token %q", s.Identify.Intents, s.Token)
	}
	u, err := s.User("@me")
	if err != nil || u.ID != f.AppID() {
		t.Fatalf("users/@me = %+v, %v", u, err)
	}
	gw, err := s.Gateway()
	if err != nil || !strings.HasPrefix(gw, f.GatewayURL()) {
		t.Fatalf("gateway = %q, %v; want the fake's %s", gw, err, f.GatewayURL())
	}
	bot, err := s.GatewayBot()
	if err != nil || !strings.HasPrefix(bot.URL, f.GatewayURL()) || bot.Shards != 1 {
		t.Fatalf("gateway/bot = %+v, %v", bot, err)
	}
	if n := len(f.ValidationErrors()); n != 0 {
		t.Fatalf("validation errors: %v", f.ValidationErrors())
	}
}

func TestNewSessionWithoutBaseUsesDefaultClient(t *testing.T) {
	t.Parallel()
	s, err := discordapi.NewSession("Bot abc", "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Token != "Bot abc" {
		t.Fatalf("token %q", s.Token)
	}
	// No request is made: without a base the bot talks to discord.com.
}
