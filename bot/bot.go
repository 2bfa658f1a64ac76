package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/lang"
)

// Store is what the handlers need from storage. *store.DB implements it.
type Store interface {
	User(ctx context.Context, id string) (stretchbot.User, error)
	UpdateUser(ctx context.Context, id string, fn func(*stretchbot.User) error) (stretchbot.User, error)
	// UpdateKnownUser changes only a user with settings or a schedule
	// (ENOTFOUND otherwise): deliveries write through it, so they never
	// store again someone who ran Forget meanwhile.
	UpdateKnownUser(ctx context.Context, id string, fn func(*stretchbot.User) error) (stretchbot.User, error)
	CreateSchedule(ctx context.Context, s *stretchbot.Schedule) error
	Schedule(ctx context.Context, id uint64) (stretchbot.Schedule, error)
	UpdateSchedule(ctx context.Context, id uint64, fn func(*stretchbot.Schedule) error) (stretchbot.Schedule, error)
	DeleteSchedule(ctx context.Context, id uint64) error
	SchedulesByOwner(ctx context.Context, owner string) ([]stretchbot.Schedule, error)
	SchedulesByGuild(ctx context.Context, guildID string) ([]stretchbot.Schedule, error)
	AddCompletion(ctx context.Context, c stretchbot.Completion) error
	Completions(ctx context.Context, userID string, from, to time.Time) ([]stretchbot.Completion, error)
	AddCheckIn(ctx context.Context, r stretchbot.CheckInRecord) error
	CheckIns(ctx context.Context, userID string) ([]stretchbot.CheckInRecord, error)
	// LastFired is the latest occurrence of a schedule that was posted.
	LastFired(ctx context.Context, scheduleID uint64) (time.Time, error)
	RecordBreakClick(ctx context.Context, scheduleID uint64, occurrence time.Time, userID string, at time.Time) (counted bool, total int, err error)
	BreakStats(ctx context.Context, guildID string) (map[uint64]stretchbot.BreakCount, error)
	ExportJSON(ctx context.Context, userID string) ([]byte, error)
	Forget(ctx context.Context, userID string) ([]uint64, error)
}

// Scheduler is what the handlers need from the scheduler.
// *scheduler.Scheduler implements it.
type Scheduler interface {
	Arm(s stretchbot.Schedule, lastFired time.Time) error
	Remove(id uint64)
	NextFire(id uint64) (time.Time, bool)
}

// Config holds the dependencies of a Bot.
type Config struct {
	Store     Store
	Scheduler Scheduler
	Catalog   *stretchbot.Catalog
	Now       func() time.Time // defaults to time.Now
	Logger    *slog.Logger     // defaults to slog.Default()
	// SnoozeFor is how long the Snooze button waits (default 10 minutes).
	SnoozeFor time.Duration
	// Chart draws the stats chart; nil leaves the chart out.
	Chart ChartRenderer
	// Console makes texts fit a terminal: no Discord-only markup such as
	// <t:...> timestamps.
	Console bool
	// NoPictures leaves the stretch pictures off the cards (the console's
	// --images=false).
	NoPictures bool
	// Keys sign the custom_ids of buttons (see signing.go); nil makes a
	// random key, so buttons expire when the bot stops.
	Keys *customid.Keyring
	// InteractionBurst is how many interactions one person may send at
	// once before the limit of one a second applies (default LimitBurst).
	InteractionBurst int
}

// Bot answers interactions. It is safe for concurrent use.
type Bot struct {
	cfg    Config
	log    *slog.Logger
	leaves map[string]leaf
	groups map[string]group
	routes map[string]handlerFunc
	keys   atomic.Pointer[customid.Keyring]
	limits *rateLimiter
}

type handlerFunc func(ctx context.Context, in Interaction) (Reply, error)

// New returns a Bot.
func New(cfg Config) (*Bot, error) {
	if cfg.Store == nil || cfg.Scheduler == nil || cfg.Catalog == nil {
		return nil, fmt.Errorf("bot: store, scheduler and catalogue are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SnoozeFor <= 0 {
		cfg.SnoozeFor = 10 * time.Minute
	}
	b := &Bot{cfg: cfg, log: cfg.Logger, leaves: leaves(), groups: groups(), limits: newRateLimiter(cfg.InteractionBurst)}
	if cfg.Keys == nil {
		cfg.Keys = customid.EphemeralKeyring()
	}
	b.keys.Store(cfg.Keys)
	b.routes = map[string]handlerFunc{
		"stretch now":            b.stretchNow,
		"stretch done":           b.stretchDone,
		"stretch stats":          b.stretchStats,
		"stretch timezone":       b.stretchTimezone,
		"stretch help":           b.stretchHelp,
		"stretch away":           b.stretchAway,
		"stretch back":           b.stretchBack,
		"stretch remind set":     b.remindSet,
		"stretch remind list":    b.remindList,
		"stretch remind remove":  b.remindRemove,
		"stretch remind pause":   b.remindPause,
		"stretch remind resume":  b.remindResume,
		"stretch remind quiet":   b.remindQuiet,
		"stretch routine":        b.stretchRoutine,
		"stretch privacy export": b.privacyExport,
		"stretch privacy forget": b.privacyForget,
		"checkin":                b.checkinStart,
		"stretchbreak set":       b.breakSet,
		"stretchbreak list":      b.breakList,
		"stretchbreak remove":    b.breakRemove,
		"stretchbreak stats":     b.breakStats,
	}
	for path := range b.leaves {
		if b.routes[path] == nil {
			return nil, fmt.Errorf("bot: command %q has no handler", path)
		}
	}
	return b, nil
}

func (b *Bot) now() time.Time { return b.cfg.Now() }

// Handle answers one interaction. It never returns an error: failures become
// a friendly ephemeral reply, and internal errors are logged. The buttons
// of the answer are signed; a click is answered only when its button was.
func (b *Bot) Handle(ctx context.Context, in Interaction) Reply {
	return b.signButtons(b.handle(ctx, in))
}

func (b *Bot) handle(ctx context.Context, in Interaction) Reply {
	start := b.now()
	// Suggestions while typing are cheap and come with every keystroke:
	// only what someone sends counts against their limit.
	if in.Kind != KindAutocomplete && in.UserID != "" {
		if ok, wait := b.limits.allow(in.UserID, start); !ok {
			b.log.DebugContext(ctx, "interaction refused: over the rate limit", "user", in.UserID, "wait", wait)
			return slowDown(in.Lang(), wait)
		}
	}
	var (
		r     Reply
		err   error
		route string
	)
	switch in.Kind {
	case KindCommand:
		route = in.Command
		r, err = b.command(ctx, in)
	case KindButton:
		route = "button"
		if err = b.verifyClick(&in); err == nil {
			r, err = b.button(ctx, in)
		}
	case KindAutocomplete:
		route = "autocomplete " + in.Command
		r = b.autocomplete(ctx, in)
	default:
		err = stretchbot.Fail(stretchbot.EINVALID, "error.unknown_interaction")
	}
	if err != nil {
		code := stretchbot.ErrorCode(err)
		if code == stretchbot.EINTERNAL {
			b.log.ErrorContext(ctx, "interaction failed", "route", route, "user", in.UserID, "err", err)
		} else {
			b.log.DebugContext(ctx, "interaction refused", "route", route, "user", in.UserID, "code", code)
		}
		return Reply{Ephemeral: true, Content: stretchbot.ErrorText(in.Lang(), err)}
	}
	if in.UserInstallContext() && in.Kind != KindAutocomplete {
		// The bot may not be in this channel: whatever it says stays with
		// the person who asked.
		r.Ephemeral = true
	}
	// Autocomplete suggestions have no place for a notice: taking it there
	// would lose it, so it waits for the command itself.
	if in.Kind != KindAutocomplete {
		if notice := b.takeNotice(ctx, in); notice != "" {
			r.Content = strings.TrimSpace(notice + "\n\n" + r.Content)
		}
	}
	b.log.DebugContext(ctx, "interaction", "route", route, "user", in.UserID, "took", b.now().Sub(start))
	return r
}

// Slow reports whether answering in may take longer than Discord's 3 s
// window, so the transport should defer the response first.
func (b *Bot) Slow(in Interaction) bool {
	return in.Kind == KindCommand && (in.Command == "stretch stats" || in.Command == "stretch privacy export" || in.Command == "stretchbreak stats")
}

// takeNotice returns and clears a message waiting for the user, such as
// "your DMs are closed, so your reminders are paused". It also keeps the
// language of the person's Discord client when it changed, for the
// reminders and direct messages no command starts: only for someone the
// bot already keeps settings or a schedule for.
func (b *Bot) takeNotice(ctx context.Context, in Interaction) string {
	if in.UserID == "" {
		return ""
	}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return ""
	}
	newLocale := in.Locale != "" && in.Locale != u.Locale && len(in.Locale) <= maxLocaleLen
	if u.Notice == "" && !newLocale {
		return ""
	}
	var notice string
	_, err = b.cfg.Store.UpdateKnownUser(ctx, in.UserID, func(u *stretchbot.User) error {
		notice, u.Notice = u.Notice, ""
		if newLocale {
			u.Locale = in.Locale
		}
		return nil
	})
	if err != nil {
		if stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
			b.log.WarnContext(ctx, "clear notice", "user", in.UserID, "err", err)
		}
		return ""
	}
	return notice
}

// maxLocaleLen bounds a kept locale code: Discord's longest is 6 ("es-419").
const maxLocaleLen = 16

func (b *Bot) command(ctx context.Context, in Interaction) (Reply, error) {
	l, ok := b.leaves[in.Command]
	if !ok {
		return b.notACommand(in)
	}
	if l.root.GuildOnly && in.GuildID == "" {
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "command.server_only", "Command", l.root.Name)
	}
	if l.root.GuildOnly && in.UserInstallContext() {
		// Discord offers these only through a server's install, but a
		// hand-made request or a changed permission could still get here.
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "break.needs_server_install")
	}
	if l.root.AdminOnly && in.Permissions&(PermManageGuild|PermAdministrator) == 0 {
		return Reply{}, stretchbot.Fail(stretchbot.EUNAUTHORIZED, "command.managers_only")
	}
	if err := checkOptions(in.Lang(), l.path, l.spec, in.Options); err != nil {
		return Reply{}, err
	}
	return b.routes[in.Command](ctx, in)
}

// checkOptions validates options against the spec. Discord does this too,
// but the console and hand-made requests do not.
func checkOptions(p *lang.Printer, path string, spec CommandSpec, opts map[string]string) error {
	for name, v := range opts {
		i := slices.IndexFunc(spec.Options, func(o OptionSpec) bool { return o.Name == name })
		if i < 0 {
			return stretchbot.Fail(stretchbot.EINVALID, "command.no_option", "Command", path, "Option", strconv.Quote(truncateText(name, 32)), "Form", commandForm(path, spec))
		}
		o := spec.Options[i]
		switch {
		case o.Type == OptBoolean:
			if _, err := strconv.ParseBool(v); err != nil {
				return stretchbot.Fail(stretchbot.EINVALID, "command.want_bool", "Option", o.Name)
			}
		case o.Type == OptInteger:
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return stretchbot.Fail(stretchbot.EINVALID, "command.want_number", "Option", o.Name)
			}
		case len(o.Choices) > 0 && !slices.Contains(o.Choices, strings.ToLower(v)):
			return stretchbot.Fail(stretchbot.EINVALID, "command.want_choice", "Option", o.Name, "Choices", strings.Join(o.Choices, ", "))
		}
	}
	for _, o := range spec.Options {
		if o.Required && strings.TrimSpace(opts[o.Name]) == "" {
			return &stretchbot.Error{Code: stretchbot.EINVALID, Message: p.T("command.missing", "Option", o.Name, "Description", textOr(p, optionKey(path, o.Name)+".description", o.Description))}
		}
	}
	return nil
}

// notACommand answers a path that is not a runnable command: a group
// alone (/stretch remind) lists what it holds; a word too many or a wrong
// one says what the command before it takes.
func (b *Bot) notACommand(in Interaction) (Reply, error) {
	if g, ok := b.groups[in.Command]; ok {
		return message(in.Lang().T("command.group", "Command", g.path) + "\n" + subcommandLines(in.Lang(), g.path)), nil
	}
	words := strings.Fields(in.Command)
	for n := len(words) - 1; n > 0; n-- {
		known, extra := strings.Join(words[:n], " "), words[n]
		if l, ok := b.leaves[known]; ok {
			if slices.ContainsFunc(l.spec.Options, func(o OptionSpec) bool { return o.Name == extra }) {
				return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "command.colon", "Form", commandForm(known, l.spec))
			}
			return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "command.no_subcommand", "Command", known, "Word", strconv.Quote(truncateText(extra, 32)), "Form", commandForm(known, l.spec))
		}
		if g, ok := b.groups[known]; ok {
			p := in.Lang()
			return Reply{}, &stretchbot.Error{Code: stretchbot.EINVALID, Message: p.T("command.no_command", "Command", g.path, "Word", strconv.Quote(truncateText(extra, 32))) + "\n" + subcommandLines(p, g.path)}
		}
	}
	return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "command.unknown", "Command", truncateText(in.Command, 40))
}

func boolOption(in Interaction, name string) bool {
	v, _ := strconv.ParseBool(in.Option(name))
	return v
}

func (b *Bot) button(ctx context.Context, in Interaction) (Reply, error) {
	id, err := customid.Parse(in.CustomID)
	if err != nil {
		return Reply{}, err
	}
	// Every personal button names its owner; only the owner may press it.
	if owner := id.Owner(); owner != "" && owner != in.UserID {
		return Reply{}, stretchbot.Fail(stretchbot.EUNAUTHORIZED, "button.not_yours")
	}
	switch id.Action {
	case customid.Start, customid.Side:
		return b.clickSide(ctx, in, id)
	case customid.Done:
		return b.clickDone(ctx, in, id)
	case customid.Skip:
		return b.clickSkip(ctx, in, id)
	case customid.Show:
		return b.clickShow(ctx, in, id)
	case customid.Snooze:
		return b.clickSnooze(ctx, in, id)
	case customid.Remove:
		return b.clickRemove(ctx, in, id)
	case customid.Break:
		return b.clickBreak(ctx, in, id)
	case customid.Forget:
		return b.clickForget(ctx, in)
	case customid.Keep:
		return Reply{Update: true, Ephemeral: true, Content: in.Lang().T("privacy.kept")}, nil
	case customid.CheckIn:
		return b.clickCheckIn(ctx, in, id)
	case customid.Recheck:
		return b.clickRecheck(ctx, in, id)
	case customid.Later:
		return b.clickLater(ctx, in, id)
	case customid.Clear:
		return b.clickClear(ctx, in, id)
	case customid.Mine:
		return b.clickMine(ctx, in, id)
	case customid.Routine:
		return b.clickRoutine(ctx, in, id)
	case customid.Cleared:
		return b.clickCleared(ctx, in)
	case customid.Now:
		r, err := b.stretchNow(ctx, in)
		return r, err
	}
	return Reply{}, customid.ErrExpired
}

func truncateText(s string, n int) string {
	if n <= 1 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
