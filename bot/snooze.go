package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/lang"
)

// The snooze choices a reminder offers, as custom_id arguments.
const (
	snoozeShort    = "10m" // Config.SnoozeFor, 10 minutes by default
	snoozeHour     = "1h"
	snoozeTomorrow = "tm"
)

// tomorrowCovers is how close to tomorrow's snooze a repeating reminder
// must fire for the snooze to be left out as a second ping.
const tomorrowCovers = time.Hour

// snoozeButtons are a reminder's snooze choices.
func (b *Bot) snoozeButtons(p *lang.Printer, c cardState) []Button {
	tok := c.token()
	return []Button{
		{Label: p.T("snooze.for", "Duration", stretchbot.HumanDuration(p, b.cfg.SnoozeFor)), ID: customid.Make(customid.Later, c.owner, snoozeShort, tok), Style: Secondary},
		{Label: p.T("snooze.for", "Duration", stretchbot.HumanDuration(p, time.Hour)), ID: customid.Make(customid.Later, c.owner, snoozeHour, tok), Style: Secondary},
		{Label: p.T("snooze.tomorrow"), ID: customid.Make(customid.Later, c.owner, snoozeTomorrow, tok), Style: Secondary},
	}
}

// clickSnooze is the Snooze button of reminders sent before there were
// choices: the short snooze.
func (b *Bot) clickSnooze(ctx context.Context, in Interaction, _ customid.ID) (Reply, error) {
	return b.snooze(ctx, in, snoozeShort, cardState{owner: in.UserID})
}

// clickLater snoozes a reminder for the chosen while.
func (b *Bot) clickLater(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	f, fromBreak, ok := customid.ParseCard(id.Args[2])
	if !ok {
		return Reply{}, customid.ErrExpired
	}
	return b.snooze(ctx, in, id.Args[1], cardState{owner: in.UserID, filter: f, fromBreak: fromBreak})
}

// snooze makes a one-time reminder a while from now, with the card's
// filters, where the reminder was: the repeating schedules stay as they
// are. "Tomorrow" is this time tomorrow, unless a repeating reminder comes
// within an hour of it anyway.
func (b *Bot) snooze(ctx context.Context, in Interaction, choice string, c cardState) (Reply, error) {
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	p := in.Lang()
	loc := locationOf(u)
	now := b.now()
	var at time.Time
	switch choice {
	case snoozeShort:
		at = now.Add(b.cfg.SnoozeFor)
	case snoozeHour:
		at = now.Add(time.Hour)
	case snoozeTomorrow:
		l := now.In(loc)
		at = stretchbot.WallTime(l.Year(), l.Month(), l.Day()+1, l.Hour(), l.Minute(), loc)
		list, err := b.ownReminders(ctx, in.UserID)
		if err != nil {
			return Reply{}, err
		}
		for _, s := range list {
			if t, ok := s.FiresNear(at, tomorrowCovers); ok && !s.Paused {
				sloc, _ := s.Location()
				return Reply{Update: true, Content: "😴 " + p.T("snooze.tomorrow_covers", "ID", s.ID, "Time", t.In(sloc).Format("15:04"))}, nil
			}
		}
	default:
		return Reply{}, customid.ErrExpired
	}
	s := stretchbot.Schedule{Owner: in.UserID, Kind: stretchbot.KindSnooze, At: at, TimeZone: loc.String(), Created: now, Filter: c.filter}
	// The next reminder comes where this one was clicked, or by DM where
	// the bot cannot post.
	s.GuildID, s.ChannelID = in.postableChannel()
	if err := b.addSchedule(ctx, &s); err != nil {
		if dup, ok := stretchbot.AsDuplicate(err); ok {
			return Reply{Ephemeral: true, Content: "😴 " + p.T("snooze.already", "When", b.relative(p, dup.Existing.At, loc))}, nil
		}
		return Reply{}, err
	}
	return Reply{Update: true, Content: "😴 " + p.T("snooze.done", "When", b.relative(p, at, loc))}, nil
}
