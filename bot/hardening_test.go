package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/store"
)

// handlerEnv is the transport-neutral setup: the handlers on a real store,
// called directly, with a clock the test moves.
type handlerEnv struct {
	t   testing.TB
	db  *store.DB
	bot *bot.Bot
	now time.Time
}

type armedNowhere struct{}

func (armedNowhere) Arm(stretchbot.Schedule, time.Time) error { return nil }
func (armedNowhere) Remove(uint64)                            {}
func (armedNowhere) NextFire(uint64) (time.Time, bool)        { return time.Time{}, false }

func newHandlerEnv(t testing.TB, cfg bot.Config) *handlerEnv {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "stretchbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	e := &handlerEnv{t: t, db: db, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	cfg.Store, cfg.Catalog, cfg.Logger = db, catalog, testLogger()
	if cfg.Scheduler == nil {
		cfg.Scheduler = armedNowhere{}
	}
	cfg.Now = func() time.Time { return e.now }
	if e.bot, err = bot.New(cfg); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *handlerEnv) command(user, path string, opts map[string]string) bot.Reply {
	e.t.Helper()
	if opts == nil {
		opts = map[string]string{}
	}
	return e.bot.Handle(context.Background(), bot.Interaction{Kind: bot.KindCommand, UserID: user, Command: path, Options: opts})
}

// TestAutocompleteLeavesThePendingNoticeForTheCommand: typing an option
// asks for suggestions, which cannot show a notice; the notice must still
// be there when the command runs.
func TestAutocompleteLeavesThePendingNoticeForTheCommand(t *testing.T) {
	e := newHandlerEnv(t, bot.Config{})
	const notice = "⚠️ Your reminders are paused."
	if _, err := e.db.UpdateUser(context.Background(), aliceID, func(u *stretchbot.User) error {
		u.Notice = notice
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	r := e.bot.Handle(context.Background(), bot.Interaction{Kind: bot.KindAutocomplete, UserID: aliceID, Command: "stretch done", Focused: "stretch", Options: map[string]string{"stretch": "kn"}})
	if len(r.Choices) == 0 {
		t.Fatalf("no suggestions for %q: %+v", "kn", r)
	}
	r = e.command(aliceID, "stretch help", nil)
	if !strings.HasPrefix(r.Content, notice) {
		t.Fatalf("the command after an autocomplete lacks the notice: %q", r.Content)
	}
	if r = e.command(aliceID, "stretch help", nil); strings.Contains(r.Content, notice) {
		t.Fatalf("the notice is shown twice: %q", r.Content)
	}
}

// forgetDuringDelivery is the store as a delivery sees it when its user
// runs Forget just after the delivery loaded the schedule.
type forgetDuringDelivery struct {
	*store.DB
	once sync.Once
}

func (s *forgetDuringDelivery) Schedule(ctx context.Context, id uint64) (stretchbot.Schedule, error) {
	sch, err := s.DB.Schedule(ctx, id)
	s.once.Do(func() {
		if _, ferr := s.DB.Forget(ctx, sch.Owner); ferr != nil {
			panic(ferr)
		}
	})
	return sch, err
}

// TestDeliveryDoesNotBringBackAForgottenUser: a reminder on its way while
// its owner runs Forget writes nothing of them again, neither the DM
// channel it opens nor the "could not reach you" notice.
func TestDeliveryDoesNotBringBackAForgottenUser(t *testing.T) {
	for _, closed := range []bool{false, true} {
		t.Run(fmt.Sprintf("dms closed %v", closed), func(t *testing.T) {
			fake := discordtest.New(t, discordtest.Options{})
			db, err := store.Open(filepath.Join(t.TempDir(), "stretchbot.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			catalog, err := stretchbot.DefaultCatalog()
			if err != nil {
				t.Fatal(err)
			}
			racing := &forgetDuringDelivery{DB: db}
			b, err := bot.New(bot.Config{Store: racing, Scheduler: armedNowhere{}, Catalog: catalog, Logger: testLogger()})
			if err != nil {
				t.Fatal(err)
			}
			d, err := bot.NewDiscord(bot.DiscordConfig{Token: fake.Token(), APIBase: fake.URL(), Bot: b, Logger: testLogger()})
			if err != nil {
				t.Fatal(err)
			}
			ctx := testCtx(t)
			s := stretchbot.Schedule{Owner: aliceID, Kind: stretchbot.KindReminder, Spec: "30 7 * * *", TimeZone: "UTC", Created: time.Now()}
			if err := db.CreateSchedule(ctx, &s); err != nil {
				t.Fatal(err)
			}
			if closed {
				fake.CloseDMs(aliceID)
			}
			_ = b.Deliver(ctx, d, s.ID, time.Now(), false)
			ex, err := db.Export(ctx, aliceID)
			if err != nil {
				t.Fatal(err)
			}
			if ex.Settings != nil || len(ex.Schedules) != 0 {
				t.Fatalf("after Forget the delivery stored %+v", ex)
			}
			for _, r := range fake.ValidationErrors() {
				if r.Err.Code != 50007 {
					t.Errorf("Discord would reject: %s", r)
				}
			}
		})
	}
}

func testKeys(t testing.TB, now time.Time) *customid.Keyring {
	t.Helper()
	k, err := customid.NewKeyring(customid.NextKeys(nil, now, func() []byte { return []byte("a test secret of thirty-two bytes") }), now)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (e *handlerEnv) click(in bot.Interaction) bot.Reply {
	e.t.Helper()
	in.Kind = bot.KindButton
	return e.bot.Handle(context.Background(), in)
}

// TestForgedCheckInStateIsRefused: a check-in state anyone can compute
// (its check character is public arithmetic) that skips every red-flag
// question is an expired button unless the bot signed it.
func TestForgedCheckInStateIsRefused(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	keys := testKeys(t, now)
	e := newHandlerEnv(t, bot.Config{Keys: keys})
	// All answers "no" up to the last question: one click from the result.
	flow := stretchbot.NewCheckInFlow(&stretchbot.Profile{Age: stretchbot.Age16To49}, false)
	for {
		next, err := flow.Answer(0)
		if err != nil {
			t.Fatal(err)
		}
		if next.Done() {
			break
		}
		flow = next
	}
	payload := customid.Make(customid.CheckIn, aliceID, flow.Encode(), "0")
	r := e.click(bot.Interaction{UserID: aliceID, CustomID: payload})
	if !strings.Contains(r.Content, "expired") {
		t.Fatalf("a forged check-in state was answered: %+v", r)
	}
	if past, _ := e.db.CheckIns(context.Background(), aliceID); len(past) != 0 {
		t.Fatalf("a forged check-in was stored: %+v", past)
	}
	// The same state, signed as the bot signs its own buttons, is answered.
	r = e.click(bot.Interaction{UserID: aliceID, CustomID: keys.Sign(payload)})
	if strings.Contains(r.Content, "expired") {
		t.Fatalf("a signed check-in state was refused: %q", r.Content)
	}
	if past, _ := e.db.CheckIns(context.Background(), aliceID); len(past) != 1 {
		t.Fatalf("check-ins after the signed click: %+v", past)
	}
}

// TestForgedAndMisplacedBreakClicksAreRefused: a thousand clicks on
// made-up break buttons from a DM count nothing; a real button counts only
// in its own server and only for an occurrence that was posted.
func TestForgedAndMisplacedBreakClicksAreRefused(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	keys := testKeys(t, now)
	e := newHandlerEnv(t, bot.Config{Keys: keys})
	e.now = now
	ctx := context.Background()
	brk := stretchbot.Schedule{Owner: bobID, GuildID: guildID, ChannelID: channelID, Kind: stretchbot.KindBreak, Spec: "0 15 * * *", TimeZone: "UTC", Created: now.Add(-time.Hour)}
	if err := e.db.CreateSchedule(ctx, &brk); err != nil {
		t.Fatal(err)
	}
	payload := customid.Make(customid.Break, fmt.Sprint(brk.ID), fmt.Sprint(now.Unix()))
	inGuild := bot.Interaction{UserID: aliceID, GuildID: guildID, ChannelID: channelID}
	inDM := bot.Interaction{UserID: aliceID, ChannelID: "510000000000000001"}

	for i := range 1000 {
		in := inDM
		in.UserID = fmt.Sprint(600000000000001000 + i)
		in.CustomID = payload
		e.click(in)
	}
	// Signed, but clicked from a DM or another server.
	for _, in := range []bot.Interaction{inDM, {UserID: aliceID, GuildID: "400000000000000099", ChannelID: channelID}} {
		in.CustomID = keys.Sign(payload)
		if r := e.click(in); !strings.Contains(r.Content, "ended") {
			t.Errorf("a break click outside its server was answered: %+v", r)
		}
	}
	// Signed and in its server, but the occurrence was never posted.
	in := inGuild
	in.CustomID = keys.Sign(payload)
	if r := e.click(in); !strings.Contains(r.Content, "ended") {
		t.Errorf("a click for an occurrence never posted was answered: %+v", r)
	}
	stats, err := e.db.BreakStats(ctx, guildID)
	if err != nil {
		t.Fatal(err)
	}
	if st := stats[brk.ID]; st.Clicks != 0 {
		t.Fatalf("refused clicks were counted: %+v", st)
	}
	// Once posted, the same click counts.
	if _, err := e.db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: brk.ID, At: now, Sent: now}}); err != nil {
		t.Fatal(err)
	}
	r := e.click(in)
	counted := false
	for _, row := range r.Rows {
		for _, b := range row {
			counted = counted || strings.HasSuffix(b.Label, "(1)")
		}
	}
	if !counted {
		t.Fatalf("a real click was not counted: %+v", r)
	}
	if stats, _ := e.db.BreakStats(ctx, guildID); stats[brk.ID].Clicks != 1 {
		t.Fatalf("stats after one real click: %+v", stats[brk.ID])
	}
}

// TestEveryButtonTheBotHandsOutIsSigned: replies and delivered messages
// carry signed custom_ids, and pressing them works.
func TestEveryButtonTheBotHandsOutIsSigned(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	keys := testKeys(t, now)
	e := newHandlerEnv(t, bot.Config{Keys: keys})
	r := e.command(aliceID, "stretch now", nil)
	if len(r.Rows) == 0 {
		t.Fatalf("no buttons: %+v", r)
	}
	for _, row := range r.Rows {
		for _, b := range row {
			if _, err := keys.Verify(b.ID); err != nil {
				t.Errorf("button %q has an unsigned custom_id %q", b.Label, b.ID)
			}
		}
	}
	done := e.click(bot.Interaction{UserID: aliceID, CustomID: r.Rows[0][1].ID})
	if !strings.Contains(done.Content, "logged") {
		t.Fatalf("pressing a signed Done: %+v", done)
	}
}
