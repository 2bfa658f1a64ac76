package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/lang"
)

// addSchedule stores a new schedule and arms it. If arming fails the stored
// schedule is removed again, so nothing half-made stays behind.
func (b *Bot) addSchedule(ctx context.Context, s *stretchbot.Schedule) error {
	if err := b.cfg.Store.CreateSchedule(ctx, s); err != nil {
		return err
	}
	if err := b.cfg.Scheduler.Arm(*s, time.Time{}); err != nil {
		if derr := b.cfg.Store.DeleteSchedule(ctx, s.ID); derr != nil {
			b.log.ErrorContext(ctx, "undo schedule", "schedule", s.ID, "err", derr)
		}
		return err
	}
	return nil
}

// whenOptions reads the time, days and time zone options shared by
// reminders and breaks. The zone falls back to the user's saved one; "in
// 20 minutes" needs none. spec is the cron spec of a repeating time, ""
// for a one-time one (w.Once).
func (b *Bot) whenOptions(ctx context.Context, in Interaction) (w stretchbot.When, spec string, loc *time.Location, err error) {
	p := in.Lang()
	tz := in.Option("timezone")
	if tz == "" {
		u, err := b.cfg.Store.User(ctx, in.UserID)
		if err != nil {
			return w, "", nil, fmt.Errorf("load user %s: %w", in.UserID, err)
		}
		tz = u.TimeZone
	}
	loc = time.UTC
	if tz != "" {
		if loc, err = b.loadZone(p, tz); err != nil {
			return w, "", nil, err
		}
	}
	if w, err = stretchbot.ParseWhen(in.Option("time"), b.now(), loc); err != nil {
		return w, "", nil, err
	}
	if tz == "" && !w.Relative {
		return w, "", nil, stretchbot.Fail(stretchbot.EINVALID, "remind.which_zone", "Hint", b.searchHint(p))
	}
	if w.OneTime() {
		if in.Option("days") != "" {
			return w, "", nil, stretchbot.Fail(stretchbot.EINVALID, "remind.once_no_days")
		}
		return w, "", loc, nil
	}
	days, err := stretchbot.ParseDays(in.Option("days"))
	if err != nil {
		return w, "", nil, err
	}
	return w, stretchbot.DailySpec(w.Hour, w.Minute, days), loc, nil
}

func (b *Bot) remindSet(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	here := strings.EqualFold(in.Option("where"), "here")
	if here {
		// Refused first, before anything is read or stored: the bot knows
		// from the interaction alone whether it can post here.
		if err := in.hereRefusal(); err != nil {
			return Reply{}, err
		}
	}
	w, spec, loc, err := b.whenOptions(ctx, in)
	if err != nil {
		return Reply{}, err
	}
	f, err := filterOptions(in)
	if err != nil {
		return Reply{}, err
	}
	s := stretchbot.Schedule{Owner: in.UserID, Kind: stretchbot.KindReminder, Spec: spec, TimeZone: loc.String(), Created: b.now(), Filter: f}
	if w.OneTime() {
		s.Kind, s.Spec, s.At = stretchbot.KindOnce, "", w.Once
	}
	if here {
		s.GuildID, s.ChannelID = in.postableChannel()
	}
	if err := b.addSchedule(ctx, &s); err != nil {
		if dup, ok := stretchbot.AsDuplicate(err); ok {
			return Reply{}, stretchbot.Fail(stretchbot.ECONFLICT, "remind.set.duplicate", "ID", dup.Existing.ID, "Reminder", dup.Existing.Describe(p), "Where", b.destination(p, dup.Existing, in.ChannelID))
		}
		return Reply{}, err
	}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	if u, err = b.rememberKit(ctx, u, f); err != nil {
		return Reply{}, err
	}
	// Remember the zone so the next reminder needs no timezone option.
	if in.Option("timezone") != "" {
		if _, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
			if u.TimeZone == "" {
				u.TimeZone = loc.String()
			}
			return nil
		}); err != nil {
			b.log.WarnContext(ctx, "remember time zone", "user", in.UserID, "err", err)
		}
	}
	setID := "remind.set.done"
	if w.OneTime() {
		setID = "remind.set.once"
	}
	text := "⏰ " + p.T(setID, "ID", s.ID, "Reminder", s.Describe(p), "Where", b.destination(p, s, in.ChannelID))
	if next, ok := b.cfg.Scheduler.NextFire(s.ID); ok {
		if w.OneTime() {
			// The line above has its date and time already.
			text += "\n" + p.T("remind.set.once_when", "Relative", b.relative(p, next, loc))
		} else {
			text += "\n" + p.T("remind.set.next", "When", b.full(p, next, loc), "Relative", b.relative(p, next, loc))
		}
	}
	text += "\n" + p.T("remind.set.filters", "Filters", filterLine(p, f, u.Equipment))
	held := u.Paused == stretchbot.PauseCheckIn
	switch {
	case held:
		text += "\n" + stretchbot.HeldText(p)
	case u.RemindersPaused(b.now()):
		text += "\n" + p.T("remind.set.paused")
	}
	if w := b.zoneWarning(p, loc); w != "" {
		text += "\n" + w
	}
	r := message(text)
	if held {
		r.Rows = [][]Button{{clearedButton(p, in.UserID)}}
	}
	return r, nil
}

// destination says where a reminder is delivered, seen from channel here.
func (b *Bot) destination(p *lang.Printer, s stretchbot.Schedule, here string) string {
	switch {
	case s.ChannelID == "":
		return p.T("remind.where.dm")
	case s.ChannelID == here || b.cfg.Console:
		return p.T("remind.where.here")
	}
	return p.T("remind.where.channel", "Channel", "<#"+s.ChannelID+">")
}

// ownReminders lists the user's reminders, repeating and one-time, in
// the order they were set.
func (b *Bot) ownReminders(ctx context.Context, userID string) ([]stretchbot.Schedule, error) {
	all, err := b.cfg.Store.SchedulesByOwner(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("list schedules of %s: %w", userID, err)
	}
	return slices.DeleteFunc(all, func(s stretchbot.Schedule) bool { return !isReminder(s) }), nil
}

// isReminder reports whether s is one of the reminders a person lists and
// removes with /stretch remind.
func isReminder(s stretchbot.Schedule) bool {
	return s.Kind == stretchbot.KindReminder || s.Kind == stretchbot.KindOnce
}

// ofKind keeps the schedules of one kind, in order.
func ofKind(all []stretchbot.Schedule, kind stretchbot.ScheduleKind) []stretchbot.Schedule {
	var out []stretchbot.Schedule
	for _, s := range all {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

func (b *Bot) remindList(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	list, err := b.ownReminders(ctx, in.UserID)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return message(p.T("remind.list.none")), nil
	}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	// While every reminder is paused, a "next" time is not what happens.
	allPaused := u.RemindersPaused(b.now())
	var lines []string
	var buttons []Button
	for _, s := range list {
		loc, _ := s.Location()
		line := fmt.Sprintf("**#%d** %s", s.ID, s.Describe(p))
		if !s.Filter.IsDefault() {
			line += " (" + filterWords(p, s.Filter) + ")"
		}
		if s.ChannelID != "" {
			line += " " + p.T("remind.where.channel", "Channel", "<#"+s.ChannelID+">")
			if b.cfg.Console {
				line = fmt.Sprintf("#%d %s %s", s.ID, s.Describe(p), p.T("remind.where.a_channel"))
			}
		}
		if s.Paused {
			line += " — " + p.T("remind.list.paused_one")
		} else if next, ok := b.cfg.Scheduler.NextFire(s.ID); ok && loc != nil && !allPaused {
			line += " — " + p.T("remind.list.next", "When", b.relative(p, next, loc))
		}
		lines = append(lines, line)
		buttons = append(buttons, Button{Label: p.T("remind.list.remove", "ID", s.ID), ID: customid.Make(customid.Remove, strconv.FormatUint(s.ID, 10), in.UserID), Style: Danger})
	}
	desc := strings.Join(lines, "\n")
	rows := chunkButtons(buttons)
	switch {
	case u.Paused == stretchbot.PauseCheckIn:
		// Only the person saying a clinician has checked them lifts it.
		desc += "\n\n⏸ " + stretchbot.HeldText(p)
		rows = append(rows, []Button{clearedButton(p, in.UserID)})
	case allPaused:
		desc += "\n\n⏸ " + b.pausedText(p, "remind.list.paused", u)
	}
	if line := b.awayLine(in, u); line != "" {
		desc += "\n\n" + line
	}
	return Reply{Ephemeral: true, Cards: []Card{{Title: p.T("remind.list.title"), Description: desc, Color: colorInfo}}, Rows: rows}, nil
}

// pausedText is message id (paused until resumed) or id+"_until" (paused
// until a time), for u's pause.
func (b *Bot) pausedText(p *lang.Printer, id string, u stretchbot.User) string {
	if u.PausedUntil.IsZero() {
		return p.T(id)
	}
	return p.T(id+"_until", "When", b.full(p, u.PausedUntil, locationOf(u)))
}

// chunkButtons lays buttons out in rows of five, at most five rows.
func chunkButtons(bs []Button) [][]Button {
	var rows [][]Button
	for len(bs) > 0 && len(rows) < 5 {
		n := min(5, len(bs))
		rows = append(rows, bs[:n])
		bs = bs[n:]
	}
	return rows
}

func (b *Bot) remindRemove(ctx context.Context, in Interaction) (Reply, error) {
	id, err := strconv.ParseUint(in.Option("id"), 10, 64)
	if err != nil {
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "remind.remove.which")
	}
	if err := b.removeOwn(ctx, in.UserID, id); err != nil {
		return Reply{}, err
	}
	return message("🗑 " + in.Lang().T("remind.removed", "ID", id)), nil
}

func (b *Bot) clickRemove(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	sid, ok := id.Uint(0)
	if !ok {
		return Reply{}, customid.ErrExpired
	}
	if err := b.removeOwn(ctx, in.UserID, sid); err != nil {
		return Reply{}, err
	}
	r, err := b.remindList(ctx, in)
	if err != nil {
		return Reply{}, err
	}
	r.Update = true
	r.Content = "🗑 " + in.Lang().T("remind.removed", "ID", sid)
	return r, nil
}

// removeOwn deletes a reminder owned by userID. Someone else's schedule
// looks exactly like a missing one, so ids leak nothing.
func (b *Bot) removeOwn(ctx context.Context, userID string, id uint64) error {
	return b.removeSchedule(ctx, id,
		func(s stretchbot.Schedule) bool { return s.Owner == userID && isReminder(s) },
		stretchbot.Fail(stretchbot.ENOTFOUND, "remind.remove.none", "ID", id))
}

// removeSchedule disarms and deletes schedule id if mine says the asker may
// remove it; a schedule they may not remove gets notFound, the same answer
// as a missing one.
func (b *Bot) removeSchedule(ctx context.Context, id uint64, mine func(stretchbot.Schedule) bool, notFound error) error {
	s, err := b.cfg.Store.Schedule(ctx, id)
	if stretchbot.ErrorCode(err) == stretchbot.ENOTFOUND || (err == nil && !mine(s)) {
		return notFound
	}
	if err != nil {
		return fmt.Errorf("load schedule %d: %w", id, err)
	}
	b.cfg.Scheduler.Remove(id)
	if err := b.cfg.Store.DeleteSchedule(ctx, id); err != nil {
		if stretchbot.ErrorCode(err) == stretchbot.ENOTFOUND {
			return notFound
		}
		return fmt.Errorf("delete schedule %d: %w", id, err)
	}
	return nil
}

// parsePauseFor reads "2h", "3d", "1w", "90m" or a Go duration.
func parsePauseFor(s string) (time.Duration, error) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	bad := stretchbot.Fail(stretchbot.EINVALID, "remind.pause.unreadable", "Input", strconv.Quote(truncateText(s, 20)))
	if s == "" {
		return 0, nil
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if u, ok := unit[s[len(s)-1]]; ok {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || n <= 0 || n > 10000 {
			return 0, bad
		}
		d := time.Duration(n) * u
		if d > 366*24*time.Hour {
			return 0, stretchbot.Fail(stretchbot.EINVALID, "remind.pause.too_long")
		}
		return d, nil
	}
	return 0, bad
}

func (b *Bot) remindPause(ctx context.Context, in Interaction) (Reply, error) {
	d, err := parsePauseFor(in.Option("for"))
	if err != nil {
		return Reply{}, err
	}
	u, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		if u.Paused == stretchbot.PauseCheckIn {
			return nil // held by a check-in: only the clinician button lifts it
		}
		u.Paused = stretchbot.PauseByUser
		u.PausedUntil = time.Time{}
		if d > 0 {
			u.PausedUntil = b.now().Add(d)
		}
		return nil
	})
	if err != nil {
		return Reply{}, fmt.Errorf("pause reminders of %s: %w", in.UserID, err)
	}
	if u.Paused == stretchbot.PauseCheckIn {
		return heldReply(in.Lang(), in.UserID), nil
	}
	return message("⏸ " + b.pausedText(in.Lang(), "remind.paused", u)), nil
}

// remindResume turns reminders back on, unless an urgent check-in result
// holds them: that hold ends only when the person says a clinician has
// checked them (clickCleared), so resume answers with that button.
func (b *Bot) remindResume(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	// Schedules paused one by one (DMs were closed) come back too.
	list, err := b.cfg.Store.SchedulesByOwner(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("list schedules of %s: %w", in.UserID, err)
	}
	if u.Paused != stretchbot.PauseCheckIn && !u.RemindersPaused(b.now()) &&
		!slices.ContainsFunc(list, func(s stretchbot.Schedule) bool { return s.Paused }) {
		// Nothing was off: say so, and store nothing.
		text := p.T("remind.not_paused")
		if len(list) == 0 {
			text += " " + p.T("remind.resumed.none")
		}
		return message(text), nil
	}
	var held bool
	if _, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		if held = u.Paused == stretchbot.PauseCheckIn; held {
			return nil
		}
		u.Paused, u.PausedUntil = stretchbot.PauseNone, time.Time{}
		return nil
	}); err != nil {
		return Reply{}, fmt.Errorf("resume reminders of %s: %w", in.UserID, err)
	}
	if held {
		return heldReply(p, in.UserID), nil
	}
	for _, s := range list {
		if !s.Paused {
			continue
		}
		s, err := b.cfg.Store.UpdateSchedule(ctx, s.ID, func(s *stretchbot.Schedule) error {
			s.Paused = false
			return nil
		})
		if err != nil {
			return Reply{}, fmt.Errorf("resume schedule %d: %w", s.ID, err)
		}
		// Arm from now: what was missed while paused is not sent late.
		if err := b.cfg.Scheduler.Arm(s, b.now()); err != nil {
			return Reply{}, fmt.Errorf("arm schedule %d: %w", s.ID, err)
		}
	}
	text := "▶️ " + p.T("remind.resumed")
	if len(list) == 0 {
		text += " " + p.T("remind.resumed.none")
	}
	return message(text), nil
}
