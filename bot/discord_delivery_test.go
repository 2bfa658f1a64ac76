package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// countRequests counts the fake's requests on a route.
func countRequests(f *discordtest.Fake, method, route string) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Method == method && r.Route == route {
			n++
		}
	}
	return n
}

func TestDeliverByDM(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	e.run(inv(inGuild(alice), "stretch remind set", opt("time", "7:30"), opt("timezone", "Europe/Berlin")))
	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	id := list[0].ID

	// The scheduler fires it on two days in a row; a third, late one is
	// sent by hand.
	for day := 1; day <= 2; day++ {
		next, ok := e.sched.NextFire(id)
		if !ok {
			t.Fatal("reminder not armed")
		}
		if want := 6*time.Hour + 30*time.Minute; next.UTC().Sub(next.UTC().Truncate(24*time.Hour)) != want {
			t.Fatalf("next fire %v, want 7:30 in Berlin (6:30 UTC in March)", next)
		}
		e.clock.Set(next)
		if err := e.fake.WaitFor(ctx, func() bool { return len(e.fake.DMs(aliceID)) == day }); err != nil {
			t.Fatalf("reminder of day %d never arrived: %v", day, err)
		}
	}
	// (Another occurrence: day 2's is already out, and the same one again
	// would carry the same nonce.)
	late := e.clock.Now().Add(time.Minute)
	if err := e.bot.Deliver(ctx, e.d, id, late, true); err != nil {
		t.Fatal(err)
	}
	dms := e.fake.DMs(aliceID)
	if len(dms) != 3 {
		t.Fatalf("%d DMs, want 3", len(dms))
	}
	// Sending an occurrence again (a retry whose answer was lost, or a
	// resend after a crash) carries the same nonce: Discord returns the
	// first message and no second one appears.
	if err := e.bot.Deliver(ctx, e.d, id, late, true); err != nil {
		t.Fatal(err)
	}
	if n := len(e.fake.DMs(aliceID)); n != 3 || e.fake.NonceRepeats() != 1 {
		t.Fatalf("after a repeated send: %d DMs and %d nonce repeats, want 3 and 1", n, e.fake.NonceRepeats())
	}
	wantText(t, dms[0], "Time to stretch")
	wantPicture(t, dms[0], "-640.png")
	wantText(t, dms[2], "late")
	buttonID(t, dms[0], "Snooze")
	if n := countRequests(e.fake, "POST", "/users/@me/channels"); n != 1 {
		t.Fatalf("DM channel opened %d times, want once", n)
	}
	u, _ := e.db.User(ctx, aliceID)
	if u.DMChannelID != e.fake.DMChannel(aliceID) {
		t.Fatalf("DM channel cached as %q, want %q", u.DMChannelID, e.fake.DMChannel(aliceID))
	}

	// The reminder's buttons work in the DM: Done logs, Snooze re-arms.
	_, r := e.click(discordtest.InDM(alice), dms[0], "Done")
	wantType(t, r, discordtest.CallbackUpdateMessage, false)
	wantText(t, r.Message, "logged")
	_, r = e.click(discordtest.InDM(alice), dms[1], "Snooze")
	wantText(t, r.Message, "Snoozed")
	all, _ := e.db.SchedulesByOwner(ctx, aliceID)
	if len(all) != 2 || all[1].Kind != stretchbot.KindSnooze || !e.isArmed(all[1].ID) {
		t.Fatalf("snooze schedule: %+v", all)
	}
}

func TestDeliverToChannelMentionsOnlyOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	e.run(inv(inGuild(alice), "stretch remind set", opt("time", "7:30"), opt("timezone", "UTC"), opt("where", "here")))
	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	if err := e.bot.Deliver(ctx, e.d, list[0].ID, e.clock.Now(), false); err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(channelID)
	if len(msgs) != 1 || !strings.HasPrefix(strings.TrimSpace(text(msgs[0])), "<@"+aliceID+">") {
		t.Fatalf("channel messages: %+v", msgs)
	}
	wantPicture(t, msgs[0], "-640.png")
	var am map[string]any
	for _, r := range e.fake.Requests() {
		if r.Method == "POST" && r.Path == "/channels/"+channelID+"/messages" {
			body, _ := r.Body.(map[string]any)
			am, _ = body["allowed_mentions"].(map[string]any)
		}
	}
	if am == nil {
		t.Fatal("no allowed_mentions: the message could ping anyone it names")
	}
	if fmt.Sprint(am["users"]) != "["+aliceID+"]" || fmt.Sprint(am["parse"]) != "[]" {
		t.Fatalf("allowed_mentions = %v, want only the owner", am)
	}
	if countRequests(e.fake, "POST", "/users/@me/channels") != 0 {
		t.Fatal("a channel reminder opened a DM")
	}
}

func TestDMsClosedPausesAndTellsUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	e.run(inv(inGuild(alice), "stretch remind set", opt("time", "7:30"), opt("timezone", "UTC")))
	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	id := list[0].ID
	e.fake.CloseDMs(aliceID)
	e.expectRejections(50007)

	err := e.bot.Deliver(ctx, e.d, id, e.clock.Now(), false)
	if !errors.Is(err, bot.ErrUnreachable) {
		t.Fatalf("Deliver to closed DMs: %v, want ErrUnreachable", err)
	}
	s, _ := e.db.Schedule(ctx, id)
	if !s.Paused || e.isArmed(id) {
		t.Fatalf("schedule after closed DMs: paused=%v armed=%v", s.Paused, e.isArmed(id))
	}
	// Paused: the next occurrence sends nothing.
	if err := e.bot.Deliver(ctx, e.d, id, e.clock.Now(), false); err != nil {
		t.Fatal(err)
	}
	if n := countRequests(e.fake, "POST", "/channels/{channel_id}/messages"); n != 1 {
		t.Fatalf("%d message attempts, want 1", n)
	}
	// The next command tells the user, once.
	_, r := e.run(inv(inGuild(alice), "stretch help"))
	wantText(t, r.Message, "could not send you a reminder")
	_, r = e.run(inv(inGuild(alice), "stretch help"))
	if strings.Contains(text(r.Message), "could not send") {
		t.Fatal("the notice was shown twice")
	}
	_, r = e.run(inv(inGuild(alice), "stretch remind resume"))
	if s, _ := e.db.Schedule(ctx, id); s.Paused || !e.isArmed(id) {
		t.Fatal("resume did not bring the schedule back")
	}
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	// A server error is not "unreachable": the scheduler should retry.
	e.fake.FailNext("POST", "/channels/*/messages", 500, 1)
	err := e.d.Send(ctx, bot.Destination{ChannelID: channelID}, bot.Reply{Content: "hi"})
	if err == nil || errors.Is(err, bot.ErrUnreachable) {
		t.Fatalf("Send on a 500: %v, want a retryable error", err)
	}
	// 502s are retried by discordgo itself.
	e.fake.FailNext("POST", "/channels/*/messages", 502, 1)
	if err := e.d.Send(ctx, bot.Destination{ChannelID: channelID}, bot.Reply{Content: "hi"}); err != nil {
		t.Fatalf("Send after one 502: %v", err)
	}
	// Over-long text is cut to Discord's limits rather than refused.
	long := strings.Repeat("x", 5000)
	card := bot.Card{Title: long, Description: long, Footer: long}
	for range 30 {
		card.Fields = append(card.Fields, bot.Field{Name: long, Value: long})
	}
	var rows [][]bot.Button
	for r := range 7 {
		var row []bot.Button
		for b := range 7 {
			row = append(row, bot.Button{Label: long, ID: fmt.Sprintf("v1:x:%d:%d", r, b)})
		}
		rows = append(rows, row)
	}
	if err := e.d.Send(ctx, bot.Destination{ChannelID: channelID}, bot.Reply{Content: long, Cards: []bot.Card{card, card}, Rows: rows}); err != nil {
		t.Fatalf("Send of an overlong reply: %v", err)
	}
}

func TestGatewayDropAndResume(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	_, r := e.run(inv(inGuild(alice), "stretch help"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)

	e.fake.DropGateway()
	// Dispatched while the connection is down: replayed on RESUME.
	var ids []string
	for range 5 {
		ids = append(ids, e.fake.SlashCommand(inv(inGuild(alice), "stretch done")))
	}
	if err := e.fake.WaitFor(ctx, func() bool { return e.fake.Resumes() > 0 && e.d.Connected() }); err != nil {
		t.Fatalf("no resume: %v", err)
	}
	for range 5 {
		ids = append(ids, e.fake.SlashCommand(inv(inGuild(alice), "stretch done")))
	}
	for _, id := range ids {
		e.wait(id)
	}
	for _, id := range ids {
		if n := len(e.fake.Responses(id)); n != 1 {
			t.Fatalf("interaction %s answered %d times", id, n)
		}
	}
	comps, _ := e.db.Completions(ctx, aliceID, time.Time{}, e.clock.Now().Add(time.Hour))
	if len(comps) != len(ids) {
		t.Fatalf("%d completions for %d commands: something was handled twice or not at all", len(comps), len(ids))
	}
}

func TestRateLimitStormLosesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	// Tight limits: 3 messages per 300 ms per channel and 5 requests per
	// 200 ms overall, so 30 reminders to 10 channels at once must queue,
	// and the first burst runs into the global limit.
	e.fake.SetRateLimits(discordtest.RateLimits{
		Global: 5, GlobalWindow: 200 * time.Millisecond,
		Routes: []discordtest.RouteLimit{{Method: "POST", Route: "/channels/{channel_id}/messages", Limit: 3, Window: 300 * time.Millisecond}},
	})
	const n, channels = 30, 10
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			ch := fmt.Sprint(800000000000000000 + i%channels)
			errs <- e.d.Send(ctx, bot.Destination{ChannelID: ch}, bot.Reply{Content: fmt.Sprintf("reminder %d", i)})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Send under rate limits: %v", err)
		}
	}
	took := time.Since(start)
	seen := map[string]bool{}
	for c := range channels {
		for _, m := range e.fake.Messages(fmt.Sprint(800000000000000000 + c)) {
			if seen[m.Content] {
				t.Fatalf("%q arrived twice", m.Content)
			}
			seen[m.Content] = true
		}
	}
	if len(seen) != n {
		t.Fatalf("%d of %d messages arrived", len(seen), n)
	}
	if e.fake.RateLimited() == 0 {
		t.Fatal("no 429 at all: the test did not provoke a storm")
	}
	// 30 requests at 5 per 200 ms need at least 5 more global windows.
	if took < time.Second {
		t.Fatalf("took %v: the limit was not respected", took)
	}
	t.Logf("%d messages in %v, %d 429s", n, took, e.fake.RateLimited())
}

func TestShards(t *testing.T) {
	t.Parallel()
	// Two guilds, one on each of two shards.
	g0, g1 := "", ""
	probe := discordtest.New(t, discordtest.Options{Shards: 2})
	for i := uint64(1); g0 == "" || g1 == ""; i++ {
		g := fmt.Sprint(i << 22)
		if probe.ShardFor(g) == 0 && g0 == "" {
			g0 = g
		} else if probe.ShardFor(g) == 1 && g1 == "" {
			g1 = g
		}
	}
	e := newEnv(t, envOptions{fake: discordtest.Options{Shards: 2, Guilds: []string{g0, g1}}})
	ids := e.fake.Identifies()
	if len(ids) != 2 || ids[0].Shard == ids[1].Shard {
		t.Fatalf("identifies: %+v", ids)
	}
	for _, g := range []string{g0, g1} {
		_, r := e.run(inv(discordtest.InGuild(g, channelID, alice), "stretch help"))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
	}
}

func TestCloseWaitsForInFlight(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	// Hold the export's edit: Close must wait for it.
	e.fake.Delay("PATCH", "/webhooks/*/*/messages/@original", 500*time.Millisecond)
	id := e.fake.SlashCommand(inv(inGuild(alice), "stretch privacy export"))
	e.wait(id) // deferred
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.d.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.fake.Responses(id)); n != 2 {
		t.Fatalf("Close returned before the in-flight export finished (%d replies)", n)
	}
	if e.d.Connected() {
		t.Fatal("Connected after Close")
	}
	// After Close, nothing new is answered.
	late := e.fake.SlashCommand(inv(inGuild(alice), "stretch help"))
	time.Sleep(100 * time.Millisecond) // a negative: give a wrong answer a moment to show
	if _, ok := e.fake.Response(late); ok {
		t.Fatal("answered an interaction after Close")
	}
}

// TestDeliveryNonce: Discord takes nonces of at most 25 characters; each
// occurrence has its own, and the same occurrence always the same.
func TestDeliveryNonce(t *testing.T) {
	at := time.Date(2026, 3, 29, 7, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		id uint64
		at time.Time
	}{{1, at}, {^uint64(0), at}, {^uint64(0), time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC)}, {^uint64(0), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}} {
		if n := bot.DeliveryNonce(tc.id, tc.at); len(n) > 25 {
			t.Errorf("DeliveryNonce(%d, %s) = %q: %d characters", tc.id, tc.at, n, len(n))
		}
	}
	seen := map[string]bool{}
	for id := uint64(1); id <= 3; id++ {
		for m := range 3 {
			n := bot.DeliveryNonce(id, at.Add(time.Duration(m)*time.Minute))
			if seen[n] {
				t.Errorf("nonce %q used twice", n)
			}
			seen[n] = true
		}
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if bot.DeliveryNonce(7, at) != bot.DeliveryNonce(7, at.In(berlin)) {
		t.Error("the same instant in another zone has another nonce")
	}
}
