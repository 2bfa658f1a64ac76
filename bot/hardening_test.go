package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
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
