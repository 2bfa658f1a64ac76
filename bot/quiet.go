package bot

import (
	"context"
	"fmt"

	"github.com/stretchbot/stretchbot"
)

// Texts of quiet hours, in one place.
const (
	textQuietNone     = "You have no quiet hours. Set them with `/stretch remind quiet from:22:00 to:7:00`."
	textQuietIs       = "🌙 Your quiet hours: %s to %s (%s). %s"
	textQuietSet      = "🌙 Quiet hours set: %s to %s (%s). %s"
	textQuietLater    = "A reminder that falls inside waits until %s."
	textQuietSilent   = "A reminder that falls inside arrives on time, without a notification."
	textQuietOff      = "🔔 Quiet hours are off: reminders come at their times again."
	textQuietBoth     = "Give both from: and to:, for example from:22:00 to:7:00."
	textQuietSame     = "Quiet hours need two different times, for example from:22:00 to:7:00."
	textQuietNeedZone = "Quiet hours follow your time zone: set it first with `/stretch timezone`, for example name:Europe/Berlin."
)

// remindQuiet shows, sets or turns off the person's quiet hours.
func (b *Bot) remindQuiet(ctx context.Context, in Interaction) (Reply, error) {
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	if boolOption(in, "off") {
		if _, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
			u.Quiet = nil
			return nil
		}); err != nil {
			return Reply{}, fmt.Errorf("clear quiet hours of %s: %w", in.UserID, err)
		}
		return message(textQuietOff), nil
	}
	from, to, mode := in.Option("from"), in.Option("to"), in.Option("mode")
	if from == "" && to == "" && mode == "" {
		if u.Quiet == nil {
			return message(textQuietNone), nil
		}
		return message(quietText(textQuietIs, *u.Quiet, u.TimeZone)), nil
	}
	if u.TimeZone == "" {
		return Reply{}, stretchbot.Errorf(stretchbot.EINVALID, textQuietNeedZone)
	}
	var q stretchbot.QuietHours
	switch {
	case from == "" && to == "" && u.Quiet != nil:
		q = *u.Quiet // only the mode changes
	case from == "" || to == "":
		return Reply{}, stretchbot.Errorf(stretchbot.EINVALID, textQuietBoth)
	default:
		fh, fm, err := stretchbot.ParseTimeOfDay(from)
		if err != nil {
			return Reply{}, err
		}
		th, tm, err := stretchbot.ParseTimeOfDay(to)
		if err != nil {
			return Reply{}, err
		}
		q.From, q.To = fh*60+fm, th*60+tm
		if u.Quiet != nil && mode == "" {
			q.Silent = u.Quiet.Silent
		}
	}
	if mode != "" {
		q.Silent = mode == "silent"
	}
	if !q.Valid() {
		return Reply{}, stretchbot.Errorf(stretchbot.EINVALID, textQuietSame)
	}
	if _, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		u.Quiet = &q
		return nil
	}); err != nil {
		return Reply{}, fmt.Errorf("set quiet hours of %s: %w", in.UserID, err)
	}
	return message(quietText(textQuietSet, q, u.TimeZone)), nil
}

// quietText fills a quiet-hours line: span, zone and what happens inside.
func quietText(format string, q stretchbot.QuietHours, zone string) string {
	what := fmt.Sprintf(textQuietLater, stretchbot.Clock(q.To))
	if q.Silent {
		what = textQuietSilent
	}
	return fmt.Sprintf(format, stretchbot.Clock(q.From), stretchbot.Clock(q.To), zone, what)
}
