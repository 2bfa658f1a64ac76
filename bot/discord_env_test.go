package bot_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store"
)

// IDs of the end-to-end tests: one server, a channel in it, some people.
const (
	guildID   = "400000000000000001"
	channelID = "500000000000000001"
	aliceID   = "600000000000000001"
	bobID     = "600000000000000002"
)

var (
	alice = discordtest.User{ID: aliceID, Username: "alice"}
	bob   = discordtest.User{ID: bobID, Username: "bob"}
)

// permManage is the Manage Server permission as Discord sends it.
const permManage = "32"

// fakeChart draws no chart; it returns a few bytes that stand for a PNG.
type fakeChart struct{}

func (fakeChart) RenderChart(stretchbot.Stats, string) ([]byte, error) {
	return []byte("\x89PNG\r\n\x1a\nchart"), nil
}

// env is one end-to-end setup: a fake Discord, a real store on a bbolt file,
// the handlers and the Discord transport, connected.
type env struct {
	t       testing.TB
	allowMu sync.Mutex
	allowed map[int]bool // Discord error codes a test expects
	fake    *discordtest.Fake
	db      *store.DB
	sched   *scheduler.Scheduler
	clock   *scheduler.FakeClock
	bot     *bot.Bot
	d       *bot.Discord
}

type envOptions struct {
	fake    discordtest.Options
	guildID string // DiscordConfig.GuildID
	shards  int
	// noPictures leaves the stretch pictures off the cards.
	noPictures bool
	// interactionBurst raises the per-person interaction limit for tests
	// that press faster than their frozen clock refills it (0: default).
	interactionBurst int
}

// testLogger logs to the test output with -v and DEBUG_LOG=1, else nowhere.
func testLogger() *slog.Logger {
	if os.Getenv("DEBUG_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// newEnv starts everything, and registers in t.Cleanup the check that the
// fake rejected nothing the bot sent (but what expectRejections allows).
func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	fake := discordtest.New(t, o.fake)
	db, err := store.Open(filepath.Join(t.TempDir(), "stretchbot.db"), store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatalf("catalogue: %v", err)
	}
	e := &env{t: t, fake: fake, db: db, clock: scheduler.NewFakeClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))}
	// Reminders go through the real scheduler on a fake clock: tests move
	// the clock and wait for the message, nothing sleeps.
	e.sched = scheduler.New(scheduler.Options{
		Clock: e.clock, Journal: db, Logger: testLogger(),
		Deliver: func(ctx context.Context, o scheduler.Occurrence) error {
			err := e.bot.Deliver(ctx, e.d, o.Schedule.ID, o.At, o.Late)
			if errors.Is(err, bot.ErrUnreachable) {
				return scheduler.Permanent(err)
			}
			return err
		},
	})
	e.bot, err = bot.New(bot.Config{Store: db, Scheduler: e.sched, Catalog: catalog, Now: e.clock.Now, Logger: testLogger(), Chart: fakeChart{}, NoPictures: o.noPictures, InteractionBurst: o.interactionBurst})
	if err != nil {
		t.Fatalf("bot: %v", err)
	}
	gid := o.guildID
	e.d, err = bot.NewDiscord(bot.DiscordConfig{Token: fake.Token(), APIBase: fake.URL(), GuildID: gid, Shards: o.shards, Bot: e.bot, Logger: testLogger()})
	if err != nil {
		t.Fatalf("NewDiscord: %v", err)
	}
	ctx := testCtx(t)
	if err := e.d.Open(ctx); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		for _, r := range fake.ValidationErrors() {
			e.allowMu.Lock()
			ok := e.allowed[r.Err.Code]
			e.allowMu.Unlock()
			if !ok {
				t.Errorf("Discord would reject: %s", r)
			}
		}
	})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.d.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	schedCtx, stopSched := context.WithCancel(context.Background())
	e.sched.Start(schedCtx)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := e.sched.Stop(ctx); err != nil {
			t.Errorf("stop scheduler: %v", err)
		}
		stopSched()
	})
	shards := max(1, o.fake.Shards)
	// discordgo's first heartbeat can race with Close; wait for it (see the
	// discordtest docs), which is also when Connected turns true.
	if err := fake.WaitFor(ctx, func() bool {
		for i := range shards {
			if fake.HeartbeatsOn(i) == 0 {
				return false
			}
		}
		return e.d.Connected()
	}); err != nil {
		t.Fatalf("shards never connected: %v", err)
	}
	return e
}

// expectRejections lets the end-of-test check pass rejections with one of
// codes: the ones a test provokes on purpose, such as 50007 for closed DMs.
func (e *env) expectRejections(codes ...int) {
	e.allowMu.Lock()
	defer e.allowMu.Unlock()
	if e.allowed == nil {
		e.allowed = map[int]bool{}
	}
	for _, c := range codes {
		e.allowed[c] = true
	}
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// inv is a slash command: "stretch remind set" and its options.
func inv(o discordtest.Origin, path string, opts ...discordtest.Option) discordtest.Invocation {
	parts := strings.Fields(path)
	in := discordtest.Invocation{Origin: o, Command: parts[0], Options: opts}
	switch len(parts) {
	case 2:
		in.Subcommand = parts[1]
	case 3:
		in.Group, in.Subcommand = parts[1], parts[2]
	}
	return in
}

func opt(name string, v any) discordtest.Option { return discordtest.Option{Name: name, Value: v} }

func inGuild(u discordtest.User) discordtest.Origin {
	return discordtest.InGuild(guildID, channelID, u)
}

func asAdmin(u discordtest.User) discordtest.Origin {
	o := inGuild(u)
	o.Permissions = permManage
	return o
}

// run dispatches a slash command and returns the bot's initial response.
func (e *env) run(in discordtest.Invocation) (string, discordtest.Reply) {
	e.t.Helper()
	id := e.fake.SlashCommand(in)
	return id, e.wait(id)
}

func (e *env) wait(id string) discordtest.Reply {
	e.t.Helper()
	r, err := e.fake.WaitResponse(testCtx(e.t), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// final waits for a deferred interaction's edit and returns the message.
func (e *env) final(id string) discordtest.Message {
	e.t.Helper()
	var last discordtest.Reply
	err := e.fake.WaitFor(testCtx(e.t), func() bool {
		rs := e.fake.Responses(id)
		if len(rs) < 2 {
			return false
		}
		last = rs[len(rs)-1]
		return true
	})
	if err != nil {
		e.t.Fatalf("no edit of deferred interaction %s: %v", id, err)
	}
	if last.Kind != discordtest.KindEditOriginal {
		e.t.Fatalf("deferred interaction answered with %s, want an edit of the original", last.Kind)
	}
	return last.Message
}

// click presses the button labelled label on msg as origin o.
func (e *env) click(o discordtest.Origin, msg discordtest.Message, label string) (string, discordtest.Reply) {
	e.t.Helper()
	cid := buttonID(e.t, msg, label)
	id := e.fake.Click(discordtest.Click{Origin: o, MessageID: msg.ID, CustomID: cid})
	return id, e.wait(id)
}

// buttonID finds the custom_id of the button labelled label (or starting
// with it).
func buttonID(t testing.TB, msg discordtest.Message, label string) string {
	t.Helper()
	for _, exact := range []bool{true, false} {
		for _, row := range rows(msg) {
			for _, b := range row.Components {
				if b.Label == label || !exact && strings.HasPrefix(b.Label, label) {
					return b.CustomID
				}
			}
		}
	}
	t.Fatalf("no button %q in message (buttons: %v)", label, labels(msg))
	return ""
}

// rows returns the action rows of a message, top-level or inside a
// Components V2 container.
func rows(msg discordtest.Message) []discordtest.Component {
	var out []discordtest.Component
	var walk func([]discordtest.Component)
	walk = func(cs []discordtest.Component) {
		for _, c := range cs {
			if c.Type == 1 {
				out = append(out, c)
			} else {
				walk(c.Components)
			}
		}
	}
	walk(msg.Components)
	return out
}

func labels(msg discordtest.Message) []string {
	var out []string
	for _, row := range rows(msg) {
		for _, b := range row.Components {
			out = append(out, b.Label)
		}
	}
	return out
}

// text is everything readable in a message: content, titles, descriptions,
// fields and footers of embeds, and the text displays of a Components V2
// message.
func text(m discordtest.Message) string {
	var b strings.Builder
	b.WriteString(m.Content + "\n")
	for _, e := range m.Embeds {
		b.WriteString(e.Title + "\n" + e.Description + "\n")
		for _, f := range e.Fields {
			b.WriteString(f.Name + "\n" + f.Value + "\n")
		}
		if e.Footer != nil {
			b.WriteString(e.Footer.Text + "\n")
		}
	}
	var walk func([]discordtest.Component)
	walk = func(cs []discordtest.Component) {
		for _, c := range cs {
			if c.Type == 10 {
				b.WriteString(c.Content + "\n")
			}
			walk(c.Components)
		}
	}
	walk(m.Components)
	return b.String()
}

// cardTitle is the title of a message's first card: its embed's title, or
// the "### " heading of a Components V2 container.
func cardTitle(t testing.TB, m discordtest.Message) string {
	t.Helper()
	if len(m.Embeds) > 0 {
		return m.Embeds[0].Title
	}
	for _, c := range m.Components {
		if c.Type != 17 {
			continue
		}
		for _, in := range c.Components {
			for _, td := range append([]discordtest.Component{in}, in.Components...) {
				if td.Type == 10 && strings.HasPrefix(td.Content, "### ") {
					title, _, _ := strings.Cut(strings.TrimPrefix(td.Content, "### "), "\n")
					return title
				}
			}
		}
	}
	t.Fatalf("message has no card: %+v", m)
	return ""
}

// picture is a picture a message shows: in a media gallery or as a
// thumbnail, with its alt text.
type picture struct {
	URL, Alt  string
	Thumbnail bool
}

func picturesOf(m discordtest.Message) []picture {
	var out []picture
	var walk func([]discordtest.Component)
	walk = func(cs []discordtest.Component) {
		for _, c := range cs {
			for _, it := range c.Items {
				out = append(out, picture{URL: it.Media.URL, Alt: it.Description})
			}
			if a := c.Accessory; a != nil && a.Media != nil {
				out = append(out, picture{URL: a.Media.URL, Alt: a.Description, Thumbnail: true})
			}
			walk(c.Components)
		}
	}
	walk(m.Components)
	return out
}

// wantPicture checks that a message is a Components V2 card showing at
// least one picture whose name ends in suffix, with alt text, uploaded with
// the message as a PNG under 60 KB.
func wantPicture(t testing.TB, m discordtest.Message, suffix string) {
	t.Helper()
	if !m.ComponentsV2() || m.Content != "" || len(m.Embeds) != 0 {
		t.Fatalf("not a Components V2 message (flags %d, content %q, %d embeds)", m.Flags, m.Content, len(m.Embeds))
	}
	ps := picturesOf(m)
	if len(ps) == 0 {
		t.Fatalf("message shows no picture: %s", text(m))
	}
	for _, p := range ps {
		name, ok := strings.CutPrefix(p.URL, "attachment://")
		if !ok || !strings.HasSuffix(name, suffix) {
			t.Fatalf("picture %q, want attachment://…%s", p.URL, suffix)
		}
		if len(p.Alt) < 20 {
			t.Fatalf("picture %s has alt text %q", name, p.Alt)
		}
		found := false
		for _, f := range m.Files {
			if f.Name == name {
				found = true
				if !bytes.HasPrefix(f.Data, []byte("\x89PNG")) || len(f.Data) > 60<<10 {
					t.Fatalf("%s: %d bytes, not a PNG under 60 KB", name, len(f.Data))
				}
			}
		}
		if !found {
			t.Fatalf("picture %s is not uploaded with the message (files %v)", name, m.Files)
		}
	}
}

// wantType checks a response's callback type and ephemerality.
func wantType(t testing.TB, r discordtest.Reply, typ int, ephemeral bool) {
	t.Helper()
	if r.Type != typ {
		t.Fatalf("response type %d, want %d (message %q)", r.Type, typ, text(r.Message))
	}
	if r.Ephemeral() != ephemeral {
		t.Fatalf("ephemeral = %v, want %v (message %q)", r.Ephemeral(), ephemeral, text(r.Message))
	}
}

func wantText(t testing.TB, m discordtest.Message, subs ...string) {
	t.Helper()
	got := text(m)
	for _, s := range subs {
		if !strings.Contains(got, s) {
			t.Fatalf("message lacks %q:\n%s", s, got)
		}
	}
}

// isArmed reports whether the scheduler will fire schedule id.
func (e *env) isArmed(id uint64) bool {
	_, ok := e.sched.NextFire(id)
	return ok
}
