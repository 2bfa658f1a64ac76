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
