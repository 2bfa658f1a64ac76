package discordtest_test

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/internal/discordapi"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// TestEnforceNonce follows Discord's documented enforce_nonce: the same
// nonce in the same channel within the window returns the first message and
// creates none; without enforce_nonce, in another channel, or after the
// window, a message is created as usual.
func TestEnforceNonce(t *testing.T) {
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := discordtest.New(t, discordtest.Options{Clock: clock, NonceWindow: 2 * time.Minute})
	f.DisableRateLimits() // eight messages in one channel; not what this tests
	s, err := discordapi.NewSession(f.Token(), f.URL())
	if err != nil {
		t.Fatal(err)
	}
	const other = "4000000000000000002"
	post := func(ch string, body map[string]any) string {
		t.Helper()
		raw, err := s.RequestWithBucketID(http.MethodPost, discordgo.EndpointChannelMessages(ch), body, ch)
		if err != nil {
			t.Fatalf("create message: %v", err)
		}
		var m struct{ ID, Content string }
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	first := post(channel, map[string]any{"content": "one", "nonce": "s1-abc", "enforce_nonce": true})
	if again := post(channel, map[string]any{"content": "one, again", "nonce": "s1-abc", "enforce_nonce": true}); again != first {
		t.Errorf("repeat with enforce_nonce made message %s, want the first, %s", again, first)
	}
	if got := f.Messages(channel); len(got) != 1 || got[0].Content != "one" {
		t.Fatalf("channel holds %+v, want only the first message", got)
	}
	if f.NonceRepeats() != 1 {
		t.Errorf("NonceRepeats = %d, want 1", f.NonceRepeats())
	}
	// An integer nonce is a nonce too.
	n1 := post(channel, map[string]any{"content": "int", "nonce": 42, "enforce_nonce": true})
	if n2 := post(channel, map[string]any{"content": "int", "nonce": 42, "enforce_nonce": true}); n2 != n1 {
		t.Errorf("integer nonce repeated: %s then %s", n1, n2)
	}
	// Each of these creates a message.
	for _, tc := range []struct {
		name, ch string
		body     map[string]any
	}{
		{"without enforce_nonce", channel, map[string]any{"content": "x", "nonce": "s1-abc"}},
		{"in another channel", other, map[string]any{"content": "x", "nonce": "s1-abc", "enforce_nonce": true}},
		{"another nonce", channel, map[string]any{"content": "x", "nonce": "s1-abd", "enforce_nonce": true}},
	} {
		if id := post(tc.ch, tc.body); id == first {
			t.Errorf("%s: got the first message back", tc.name)
		}
	}
	// Past the window the nonce is forgotten.
	mu.Lock()
	now = now.Add(2*time.Minute + time.Second)
	mu.Unlock()
	if id := post(channel, map[string]any{"content": "later", "nonce": "s1-abc", "enforce_nonce": true}); id == first {
		t.Error("a nonce older than the window still returned the first message")
	}
	if got := len(f.Messages(channel)); got != 5 {
		t.Errorf("channel holds %d messages, want 5", got)
	}
	if errs := f.ValidationErrors(); len(errs) > 0 {
		t.Errorf("validation errors: %v", errs)
	}
}
