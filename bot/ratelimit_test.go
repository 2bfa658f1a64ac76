package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

const slowDownText = "That's a lot of requests in a short time"

// TestRateLimitSaysWhenToTryAgain: a person who sends more than the burst
// at once gets a kind, private answer saying when to try again; typing
// (autocomplete) does not count, other people are not affected, and the
// limit lifts as time passes.
func TestRateLimitSaysWhenToTryAgain(t *testing.T) {
	e := newHandlerEnv(t, bot.Config{})
	ctx := context.Background()
	// Suggestions while typing come with every keystroke: never counted.
	for range 3 * bot.LimitBurst {
		r := e.bot.Handle(ctx, bot.Interaction{Kind: bot.KindAutocomplete, UserID: aliceID, Command: "stretch done", Focused: "stretch", Options: map[string]string{"stretch": "kn"}})
		if len(r.Choices) == 0 {
			t.Fatalf("autocomplete answered without suggestions: %+v", r)
		}
	}
	for i := range bot.LimitBurst {
		if r := e.command(aliceID, "stretch help", nil); strings.Contains(r.Content, slowDownText) {
			t.Fatalf("interaction %d of a burst of %d was refused", i+1, bot.LimitBurst)
		}
	}
	r := e.command(aliceID, "stretch done", nil)
	if !r.Ephemeral || !strings.Contains(r.Content, slowDownText) || !strings.HasSuffix(r.Content, "Please try again in 1 second.") {
		t.Fatalf("interaction over the limit answered %+v", r)
	}
	if n := countCompletions(t, e, aliceID); n != 0 {
		t.Fatalf("a refused /stretch done logged %d completions", n)
	}
	// A refused click is a new private message: the card it was on stays.
	r = e.bot.Handle(ctx, bot.Interaction{Kind: bot.KindButton, UserID: aliceID, CustomID: "anything"})
	if r.Update || !r.Ephemeral || !strings.Contains(r.Content, slowDownText) {
		t.Fatalf("click over the limit answered %+v", r)
	}
	if r := e.command(bobID, "stretch help", nil); strings.Contains(r.Content, slowDownText) {
		t.Fatalf("alice's limit slowed bob down: %q", r.Content)
	}
	// One more interaction for every second that passes.
	e.now = e.now.Add(time.Second)
	if r := e.command(aliceID, "stretch done", nil); strings.Contains(r.Content, slowDownText) {
		t.Fatalf("a second later: %q", r.Content)
	}
	if n := countCompletions(t, e, aliceID); n != 1 {
		t.Fatalf("%d completions after the limit lifted, want 1", n)
	}
	if r := e.command(aliceID, "stretch help", nil); !strings.Contains(r.Content, slowDownText) {
		t.Fatalf("the second after it: %q", r.Content)
	}
	// After a quiet while the whole burst is back.
	e.now = e.now.Add(time.Duration(bot.LimitBurst) * time.Second)
	for i := range bot.LimitBurst {
		if r := e.command(aliceID, "stretch help", nil); strings.Contains(r.Content, slowDownText) {
			t.Fatalf("after a pause, interaction %d was refused", i+1)
		}
	}
}

func countCompletions(t *testing.T, e *handlerEnv, user string) int {
	t.Helper()
	cs, err := e.db.Completions(context.Background(), user, time.Time{}, e.now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

// TestRateLimitOnDiscord: through the real discordgo and the fake Discord,
// the answer over the limit is an ephemeral message, and autocomplete
// keeps working.
func TestRateLimitOnDiscord(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	for range bot.LimitBurst {
		_, r := e.run(inv(inGuild(alice), "stretch help"))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		if strings.Contains(text(r.Message), slowDownText) {
			t.Fatalf("refused within the burst: %s", text(r.Message))
		}
	}
	_, r := e.run(inv(inGuild(alice), "stretch now"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, slowDownText, "try again in 1 second.")
	id := e.fake.Autocomplete(inv(inGuild(alice), "stretch done", discordtest.Option{Name: "stretch", Value: "kn", Focused: true}))
	if r := e.wait(id); r.Type != discordtest.CallbackAutocompleteResult || len(r.Choices) == 0 {
		t.Fatalf("autocomplete over the limit: %+v", r)
	}
	e.clock.Advance(time.Second)
	_, r = e.run(inv(inGuild(alice), "stretch now"))
	if strings.Contains(text(r.Message), slowDownText) {
		t.Fatalf("a second later: %s", text(r.Message))
	}
}
