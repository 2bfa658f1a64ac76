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
)

// Texts of /stretch remind, in one place.
const (
	textWhichZone         = "Which time zone? Add timezone:%s, for example timezone:Europe/Berlin, or set it once with /stretch timezone."
	textOnceHasNoDays     = "A one-time reminder has no days. Leave out days:, or give a time of day such as 7:30 for one that repeats."
	textDuplicateReminder = "You already have that reminder: #%d, %s, %s. `/stretch remind list` shows them all."
	textReminderSet       = "⏰ Reminder #%d set: %s, %s."
	textOnceSet           = "⏰ One-time reminder #%d set: %s, %s."
	textNextOne           = "\nNext one: %s (%s)."
	textPausedNow         = "\nYour reminders are paused right now; `/stretch remind resume` turns them back on."
	textItsStretches      = "\nFilters: %s"
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
		if loc, err = b.loadZone(tz); err != nil {
			return w, "", nil, err
		}
	}
	if w, err = stretchbot.ParseWhen(in.Option("time"), b.now(), loc); err != nil {
		return w, "", nil, err
	}
	if tz == "" && !w.Relative {
		return w, "", nil, stretchbot.Errorf(stretchbot.EINVALID, textWhichZone, b.searchHint())
	}
	if w.OneTime() {
		if in.Option("days") != "" {
			return w, "", nil, stretchbot.Errorf(stretchbot.EINVALID, textOnceHasNoDays)
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
			return Reply{}, stretchbot.Errorf(stretchbot.ECONFLICT, textDuplicateReminder, dup.Existing.ID, dup.Existing.Describe(), b.destination(dup.Existing, in.ChannelID))
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
	text := fmt.Sprintf(textReminderSet, s.ID, s.Describe(), b.destination(s, in.ChannelID))
	if w.OneTime() {
		text = fmt.Sprintf(textOnceSet, s.ID, s.Describe(), b.destination(s, in.ChannelID))
	}
	if next, ok := b.cfg.Scheduler.NextFire(s.ID); ok {
		text += fmt.Sprintf(textNextOne, b.full(next, loc), b.relative(next, loc))
	}
	text += fmt.Sprintf(textItsStretches, filterLine(f, u.Equipment))
	if u.RemindersPaused(b.now()) {
		text += textPausedNow
	}
	if w := b.zoneWarning(loc); w != "" {
		text += "\n" + w
	}
	return message(text), nil
}

// destination says where a reminder is delivered, seen from channel here.
func (b *Bot) destination(s stretchbot.Schedule, here string) string {
	switch {
	case s.ChannelID == "":
		return "by direct message"
	case s.ChannelID == here || b.cfg.Console:
		return "in this channel"
	}
	return "in <#" + s.ChannelID + ">"
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
	list, err := b.ownReminders(ctx, in.UserID)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return message("You have no reminders yet. Add one with `/stretch remind set time:7:30`."), nil
	}
	var lines []string
	var buttons []Button
	for _, s := range list {
		loc, _ := s.Location()
		line := fmt.Sprintf("**#%d** %s", s.ID, s.Describe())
		if !s.Filter.IsDefault() {
			line += " (" + filterWords(s.Filter) + ")"
		}
		if s.ChannelID != "" {
			line += " in <#" + s.ChannelID + ">"
			if b.cfg.Console {
				line = fmt.Sprintf("#%d %s in a channel", s.ID, s.Describe())
			}
		}
		if s.Paused {
			line += " — paused"
		} else if next, ok := b.cfg.Scheduler.NextFire(s.ID); ok && loc != nil {
			line += " — next " + b.relative(next, loc)
		}
		lines = append(lines, line)
		buttons = append(buttons, Button{Label: fmt.Sprintf("Remove #%d", s.ID), ID: customid.Make(customid.Remove, strconv.FormatUint(s.ID, 10), in.UserID), Style: Danger})
	}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	desc := strings.Join(lines, "\n")
	if u.RemindersPaused(b.now()) {
		desc += "\n\n⏸ All reminders are paused" + pausedUntil(b, u) + ". `/stretch remind resume` turns them back on."
	}
	if line := b.awayLine(in, u); line != "" {
		desc += "\n\n" + line
	}
	return Reply{Ephemeral: true, Cards: []Card{{Title: "Your reminders", Description: desc, Color: colorInfo}}, Rows: chunkButtons(buttons)}, nil
}

func pausedUntil(b *Bot, u stretchbot.User) string {
	if u.PausedUntil.IsZero() {
		return ""
	}
	return " until " + b.full(u.PausedUntil, locationOf(u))
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
		return Reply{}, stretchbot.Errorf(stretchbot.EINVALID, "Give the reminder's number from /stretch remind list.")
	}
	if err := b.removeOwn(ctx, in.UserID, id); err != nil {
		return Reply{}, err
	}
	return message(fmt.Sprintf("🗑 Reminder #%d removed.", id)), nil
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
	r.Content = fmt.Sprintf("🗑 Reminder #%d removed.", sid)
	return r, nil
}

// removeOwn deletes a reminder owned by userID. Someone else's schedule
// looks exactly like a missing one, so ids leak nothing.
func (b *Bot) removeOwn(ctx context.Context, userID string, id uint64) error {
	return b.removeSchedule(ctx, id,
		func(s stretchbot.Schedule) bool { return s.Owner == userID && isReminder(s) },
		stretchbot.Errorf(stretchbot.ENOTFOUND, "You have no reminder #%d. See /stretch remind list.", id))
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
	bad := stretchbot.Errorf(stretchbot.EINVALID, "I could not read %q as a length of time. Try 2h, 3d or 1w.", truncateText(s, 20))
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
			return 0, stretchbot.Errorf(stretchbot.EINVALID, "A pause can last at most a year. Leave out \"for\" to pause until you resume.")
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
		if u.Paused == stretchbot.PauseCheckIn && u.RemindersPaused(b.now()) {
			return nil // a safety pause stays until the user resumes on purpose
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
	return message("⏸ Your reminders are paused" + pausedUntil(b, u) + ". `/stretch remind resume` turns them back on."), nil
}

func (b *Bot) remindResume(ctx context.Context, in Interaction) (Reply, error) {
	var was stretchbot.PauseReason
	if _, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		was = u.Paused
		u.Paused, u.PausedUntil = stretchbot.PauseNone, time.Time{}
		return nil
	}); err != nil {
		return Reply{}, fmt.Errorf("resume reminders of %s: %w", in.UserID, err)
	}
	// Schedules paused one by one (DMs were closed) come back too.
	list, err := b.cfg.Store.SchedulesByOwner(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("list schedules of %s: %w", in.UserID, err)
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
	text := "▶️ Your reminders are on again."
	if was == stretchbot.PauseCheckIn {
		text += " Go gently, and run /checkin again if anything changes."
	}
	if len(list) == 0 {
		text += " You have none yet: `/stretch remind set time:7:30`."
	}
	return message(text), nil
}
