package bot

import (
	"context"
	"fmt"
	"strconv"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
)

// MaxAwayDays is the longest absence /stretch away takes: long enough for
// a holiday, short enough that reminders are not forgotten for good.
const MaxAwayDays = 30

// stretchAway pauses reminders for the person's next days (today
// included) and keeps their streak over those days.
func (b *Bot) stretchAway(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	n, err := strconv.Atoi(in.Option("days"))
	if err != nil || n < 1 || n > MaxAwayDays {
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "away.days_range")
	}
	now := b.now()
	u, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		today := stretchbot.DayOf(now, u.Location())
		u.GoAway(today, today.AddDays(n-1))
		return nil
	})
	if err != nil {
		return Reply{}, fmt.Errorf("set away for %s: %w", in.UserID, err)
	}
	loc := locationOf(u)
	a, _ := u.AwayAt(now)
	back := a.Until.AddDays(1).Time(loc)
	progress, err := b.progressOf(ctx, u)
	if err != nil {
		return Reply{}, err
	}
	streak := progress.Streak(stretchbot.DayOf(now, loc), u.Away)
	if u.RemindersPaused(now) {
		// Reminders do not start again when the days away end: say what
		// holds them instead.
		return b.stillPaused(p, u, p.T("away.set.paused", "Streak", stretchbot.Count(p, streak, stretchbot.NounDay))), nil
	}
	return message(p.T("away.set", "Back", b.full(p, back, loc), "When", b.relative(p, back, loc),
		"Streak", stretchbot.Count(p, streak, stretchbot.NounDay))), nil
}

// stillPaused is text followed by what keeps u's reminders paused: an
// urgent check-in's hold, with the button that lifts it, or their own
// pause.
func (b *Bot) stillPaused(p *lang.Printer, u stretchbot.User, text string) Reply {
	if u.Paused == stretchbot.PauseCheckIn {
		r := heldReply(p, u.ID)
		r.Content = text + "\n\n⏸ " + r.Content
		return r
	}
	return message(text + "\n\n⏸ " + b.pausedText(p, "remind.paused", u))
}

// stretchBack ends the person's time away today: reminders come again,
// and the days they were away keep their streak.
func (b *Bot) stretchBack(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	now := b.now()
	var wasAway bool
	u, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		wasAway = u.ComeBack(stretchbot.DayOf(now, u.Location()))
		return nil
	})
	if err != nil {
		return Reply{}, fmt.Errorf("end away of %s: %w", in.UserID, err)
	}
	if !wasAway {
		return message(p.T("away.not_away")), nil
	}
	if u.RemindersPaused(now) {
		return b.stillPaused(p, u, p.T("away.back.paused")), nil
	}
	progress, err := b.progressOf(ctx, u)
	if err != nil {
		return Reply{}, err
	}
	if streak := progress.Streak(stretchbot.DayOf(now, locationOf(u)), u.Away); streak > 0 {
		return message(p.T("away.back_streak", "Streak", stretchbot.Count(p, streak, stretchbot.NounDay))), nil
	}
	return message(p.T("away.back")), nil
}

// awayLine is the line under the reminder list while the person is away,
// "" otherwise.
func (b *Bot) awayLine(in Interaction, u stretchbot.User) string {
	a, ok := u.AwayAt(b.now())
	if !ok {
		return ""
	}
	loc := locationOf(u)
	return in.Lang().T("away.list_line", "Back", b.full(in.Lang(), a.Until.AddDays(1).Time(loc), loc))
}
