package discordtest_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/internal/discordapi"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

func TestGatewayDropResumesAndDeliversOnce(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{HeartbeatInterval: time.Second})
	s := open(t, f, 0, 1)
	inv := discordtest.Invocation{Origin: discordtest.InGuild(guildOn0, channel, alice), Command: "stretch"}

	before := f.SlashCommand(inv)
	if got := s.next(t); got.ID != before {
		t.Fatalf("got %s, want %s", got.ID, before)
	}
	f.DropGateway()
	// The fake detached the session synchronously, so this one is sent
	// while the bot is disconnected and must come by RESUME replay.
	missed := f.SlashCommand(inv)
	if got := s.next(t); got.ID != missed {
		t.Fatalf("after resume got %s, want the missed %s", got.ID, missed)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := f.WaitFor(ctx, func() bool { return f.Resumes() == 1 && f.HeartbeatsOn(0) > 0 }); err != nil {
		t.Fatalf("resumes = %d: %v", f.Resumes(), err)
	}
	// Events arrive in order, so a duplicate of missed would come before
	// this one.
	after := f.SlashCommand(inv)
	if got := s.next(t); got.ID != after {
		t.Fatalf("got %s, want %s (a duplicate?)", got.ID, after)
	}
	if n := len(f.Identifies()); n != 1 {
		t.Fatalf("identifies = %d, want 1 (resumed, not re-identified)", n)
	}
}

func TestTwoShards(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{Shards: 2, Guilds: []string{guildOn0, guildOn1}})
	s0 := open(t, f, 0, 2)
	s1 := open(t, f, 1, 2)
	if f.ShardFor(guildOn0) != 0 || f.ShardFor(guildOn1) != 1 {
		t.Fatal("test guild ids do not route to shards 0 and 1")
	}
	if len(s0.State.Guilds) != 1 || s0.State.Guilds[0].ID != guildOn0 || len(s1.State.Guilds) != 1 || s1.State.Guilds[0].ID != guildOn1 {
		t.Fatalf("READY guilds: shard 0 %v, shard 1 %v", s0.State.Guilds, s1.State.Guilds)
	}
	id1 := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InGuild(guildOn1, channel, alice), Command: "stretch"})
	id0 := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InGuild(guildOn0, channel, alice), Command: "stretch"})
	dm := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InDM(alice), Command: "stretch"})
	if got := s1.next(t); got.ID != id1 {
		t.Fatalf("shard 1 got %s, want %s", got.ID, id1)
	}
	if got := s0.next(t); got.ID != id0 {
		t.Fatalf("shard 0 got %s, want %s", got.ID, id0)
	}
	if got := s0.next(t); got.ID != dm {
		t.Fatalf("shard 0 got %s, want the DM %s", got.ID, dm)
	}
	select {
	case ic := <-s1.interactions:
		t.Fatalf("shard 1 got an extra interaction %s", ic.ID)
	default:
	}
}

func TestWrongShardCountIsRefused(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{Shards: 2})
	s, err := discordapi.NewSession(f.Token(), f.URL())
	if err != nil {
		t.Fatal(err)
	}
	s.ShouldReconnectOnError = false
	// ShardCount 1 sends no shard: Discord closes with 4011. discordgo's
	// Open still returns nil (it only warns about the missing READY) but
	// never becomes ready, and the fake records no IDENTIFY.
	if err := s.Open(); err == nil {
		defer s.Close()
	}
	if n := len(f.Identifies()); n != 0 {
		t.Fatalf("identifies = %d, want 0", n)
	}
}

func TestGlobalRateLimitRetriedByDiscordgo(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{
		RateLimits: &discordtest.RateLimits{Global: 2, GlobalWindow: 200 * time.Millisecond},
	})
	s, err := discordapi.NewSession(f.Token(), f.URL())
	if err != nil {
		t.Fatal(err)
	}
	// Different channels: discordgo's per-route buckets don't hold back
	// requests, so only the fake's global limit stops the third.
	for _, ch := range []string{"11", "12", "13", "14"} {
		if _, err := s.ChannelMessageSend(ch, "hello"); err != nil {
			t.Fatalf("send to %s: %v", ch, err)
		}
	}
	if f.RateLimited() == 0 {
		t.Fatal("no 429 was sent")
	}
	var saw bool
	for _, r := range f.Requests() {
		if r.Status == http.StatusTooManyRequests {
			saw = true
			if r.Error == nil || r.Error.Global == nil || !*r.Error.Global {
				t.Fatalf("429 not global: %+v", r.Error)
			}
		}
	}
	if !saw || len(f.ValidationErrors()) != 0 {
		t.Fatalf("429 recorded %v, validation errors %v", saw, f.ValidationErrors())
	}
}

func TestRouteRateLimitHeaders(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	f.SetRateLimits(discordtest.RateLimits{Routes: []discordtest.RouteLimit{
		{Method: "POST", Route: "/channels/{channel_id}/messages", Limit: 2, Window: time.Minute},
	}})
	post := func(ch string) *http.Response {
		req, _ := http.NewRequest("POST", f.URL()+"/api/v10/channels/"+ch+"/messages", bytes.NewReader([]byte(`{"content":"x"}`)))
		req.Header.Set("Authorization", "Bot "+f.Token())
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	r1 := post("21")
	if r1.StatusCode != 200 || r1.Header.Get("X-RateLimit-Limit") != "2" || r1.Header.Get("X-RateLimit-Remaining") != "1" || r1.Header.Get("X-RateLimit-Bucket") == "" {
		t.Fatalf("first: %d %v", r1.StatusCode, r1.Header)
	}
	post("21")
	r3 := post("21")
	if r3.StatusCode != 429 || r3.Header.Get("Retry-After") == "" || r3.Header.Get("X-RateLimit-Scope") != "user" || r3.Header.Get("X-RateLimit-Global") != "" {
		t.Fatalf("third: %d %v", r3.StatusCode, r3.Header)
	}
	if other := post("22"); other.StatusCode != 200 {
		t.Fatalf("another channel has its own bucket: %d", other.StatusCode)
	}
	if f.RateLimited() != 1 {
		t.Fatalf("RateLimited = %d", f.RateLimited())
	}
	f.DisableRateLimits()
	if r := post("21"); r.StatusCode != 200 {
		t.Fatalf("disabled: %d", r.StatusCode)
	}
}

func TestFaultsAndFiles(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	s, err := discordapi.NewSession(f.Token(), f.URL())
	if err != nil {
		t.Fatal(err)
	}
	// discordgo retries 502 by itself...
	f.FailNext("POST", "/channels/*/messages", http.StatusBadGateway, 2)
	if _, err := s.ChannelMessageSend("31", "hi"); err != nil {
		t.Fatalf("502s should be retried: %v", err)
	}
	// ...but not 500.
	f.FailNext("", "/channels/31/messages", http.StatusInternalServerError, 1)
	_, err = s.ChannelMessageSend("31", "hi")
	if re := restErr(t, err); re.Response.StatusCode != 500 {
		t.Fatalf("500: %v", err)
	}
	// An injected 429 is a real one: discordgo waits out its retry_after
	// and sends again, and RateLimited counts it.
	f.FailNext("POST", "/channels/*/messages", http.StatusTooManyRequests, 2)
	if _, err := s.ChannelMessageSend("31", "hi"); err != nil {
		t.Fatalf("429s should be waited out and retried: %v", err)
	}
	if f.RateLimited() != 2 {
		t.Fatalf("RateLimited = %d after 2 injected 429s", f.RateLimited())
	}
	if len(f.ValidationErrors()) != 0 {
		t.Fatalf("injected faults are not validation errors: %v", f.ValidationErrors())
	}

	f.Delay("GET", "/users/@me", 50*time.Millisecond)
	start := time.Now()
	if _, err := s.User("@me"); err != nil || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("delayed request: %v after %v", err, time.Since(start))
	}

	msg, err := s.ChannelMessageSendComplex("31", &discordgo.MessageSend{
		Content: "your chart",
		Files:   []*discordgo.File{{Name: "chart.png", ContentType: "image/png", Reader: bytes.NewReader([]byte("PNG..."))}},
	})
	if err != nil || len(msg.Attachments) != 1 || msg.Attachments[0].Filename != "chart.png" {
		t.Fatalf("send with file: %+v, %v", msg, err)
	}
	msgs := f.Messages("31")
	last := msgs[len(msgs)-1]
	if len(last.Files) != 1 || last.Files[0].Field != "files[0]" || string(last.Files[0].Data) != "PNG..." {
		t.Fatalf("recorded files = %+v", last.Files)
	}
	// A file alone is not an empty message.
	if _, err := s.ChannelMessageSendComplex("31", &discordgo.MessageSend{
		Files: []*discordgo.File{{Name: "a.txt", Reader: bytes.NewReader([]byte("a"))}},
	}); err != nil {
		t.Fatalf("file-only message: %v", err)
	}
	ed, err := s.ChannelMessageEdit("31", msg.ID, "edited")
	if err != nil || ed.Content != "edited" {
		t.Fatalf("edit: %+v %v", ed, err)
	}
}

func TestInteractionRespondWithFiles(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	s, err := discordapi.NewSession(f.Token(), f.URL())
	if err != nil {
		t.Fatal(err)
	}
	// REST-only: build the Interaction from the id and token, as the
	// gateway would have delivered them.
	id := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InDM(alice), Command: "stretch"})
	ia := &discordgo.Interaction{ID: id, AppID: f.AppID(), Token: f.InteractionToken(id)}
	err = s.InteractionRespond(ia, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Files: []*discordgo.File{{Name: "plan.txt", ContentType: "text/plain", Reader: bytes.NewReader([]byte("plan"))}},
		},
	})
	if err != nil {
		t.Fatalf("respond with file: %v", err)
	}
	r, ok := f.Response(id)
	if !ok || len(r.Message.Files) != 1 || r.Message.Files[0].Name != "plan.txt" {
		t.Fatalf("response = %+v", r)
	}
}
