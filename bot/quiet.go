package bot

import (
	"context"
	"fmt"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
)

// remindQuiet shows, sets or turns off the person's quiet hours.
func (b *Bot) remindQuiet(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	if boolOption(in, "off") {
		if u.Quiet == nil {
			return message(p.T("quiet.none")), nil
		}
		if _, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
			u.Quiet = nil
			return nil
		}); err != nil {
			return Reply{}, fmt.Errorf("clear quiet hours of %s: %w", in.UserID, err)
		}
		return message("🔔 " + p.T("quiet.off")), nil
	}
	from, to, mode := in.Option("from"), in.Option("to"), in.Option("mode")
	if from == "" && to == "" && mode == "" {
		if u.Quiet == nil {
			return message(p.T("quiet.none")), nil
		}
		return message("🌙 " + quietText(p, "quiet.is", *u.Quiet, u.TimeZone)), nil
	}
	if u.TimeZone == "" {
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "quiet.need_zone")
	}
	var q stretchbot.QuietHours
	switch {
	case from == "" && to == "" && u.Quiet != nil:
		q = *u.Quiet // only the mode changes
	case from == "" || to == "":
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "quiet.both")
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
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "quiet.same")
	}
	if _, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		u.Quiet = &q
		return nil
	}); err != nil {
		return Reply{}, fmt.Errorf("set quiet hours of %s: %w", in.UserID, err)
	}
	return message("🌙 " + quietText(p, "quiet.set", q, u.TimeZone)), nil
}

// quietText fills a quiet-hours line: span, zone and what happens inside.
func quietText(p *lang.Printer, id string, q stretchbot.QuietHours, zone string) string {
	what := p.T("quiet.later", "Time", stretchbot.Clock(q.To))
	if q.Silent {
		what = p.T("quiet.silent")
	}
	return p.T(id, "From", stretchbot.Clock(q.From), "To", stretchbot.Clock(q.To), "Zone", zone, "What", what)
}
