package discordtest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// manualClock is a test's own clock: it moves only when told.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestInteractionDeadlines proves the 3 s answer deadline and the 15 min
// token lifetime on the clock a test controls, never on wall time: with an
// injected clock, and with the default standing clock moved by Advance.
func TestInteractionDeadlines(t *testing.T) {
	t.Parallel()
	clock := &manualClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	injected := discordtest.New(t, discordtest.Options{Clock: clock.Now})
	standing := discordtest.New(t, discordtest.Options{})

	type fake struct {
		name    string
		f       *discordtest.Fake
		advance func(time.Duration)
	}
	for _, fk := range []fake{
		{"injected clock", injected, clock.Add},
		{"standing clock and Advance", standing, standing.Advance},
	} {
		f := fk.f
		answer := func(wait time.Duration) (int, map[string]any, string) {
			id := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InDM(alice), Command: "stretch"})
			fk.advance(wait)
			status, body := do(t, f, "POST", "/interactions/"+id+"/"+f.InteractionToken(id)+"/callback", obj{"type": 5}, "")
			return status, body, id
		}
		t.Run(fk.name, func(t *testing.T) {
			if status, body, _ := answer(3 * time.Second); status != 204 {
				t.Fatalf("answer at exactly 3 s: %d %v", status, body)
			}
			status, body, _ := answer(3*time.Second + time.Millisecond)
			if status != 404 || fmt.Sprint(body["code"]) != "10062" {
				t.Fatalf("answer 1 ms after 3 s: %d %v, want 404/10062", status, body)
			}
			status, body, id := answer(0)
			if status != 204 {
				t.Fatalf("answer at once: %d %v", status, body)
			}
			webhook := "/webhooks/" + f.AppID() + "/" + f.InteractionToken(id)
			fk.advance(15 * time.Minute)
			if status, body := do(t, f, "POST", webhook, obj{"content": "still here"}, ""); status != 204 {
				t.Fatalf("followup at 15 min: %d %v", status, body)
			}
			fk.advance(time.Millisecond)
			if status, body := do(t, f, "POST", webhook, obj{"content": "too late"}, ""); status != 401 || fmt.Sprint(body["code"]) != "50027" {
				t.Fatalf("followup after 15 min: %d %v, want 401/50027", status, body)
			}
		})
	}
}
