package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
)

// ErrUnreachable marks a send that can never succeed as things stand: the
// user closed their DMs, or the channel is gone. Retrying will not help.
var ErrUnreachable = errors.New("recipient unreachable")

// Destination is where a message goes: a channel, or a DM to UserID when
// ChannelID is empty.
type Destination struct {
	UserID    string
	ChannelID string
	// Nonce, when set, makes the send idempotent for a few minutes: a
	// repeat with the same nonce (a retry, or a resend after a crash)
	// yields the first message instead of a second (Discord's
	// enforce_nonce). See DeliveryNonce.
	Nonce string
}

// DeliveryNonce is the Discord nonce of one occurrence of a schedule: the
// same for every send of it, different for every other occurrence, and
// within Discord's 25 characters: "s", the schedule id and the Unix second
// it was due, in base 36 (at most 23 characters).
func DeliveryNonce(scheduleID uint64, at time.Time) string {
	return "s" + strconv.FormatUint(scheduleID, 36) + "-" + strconv.FormatInt(at.Unix(), 36)
}

// Sender posts messages for the scheduler; each transport has one.
type Sender interface {
	Send(ctx context.Context, to Destination, r Reply) error
}

// Deliver posts one due occurrence of schedule id. The scheduler has already
// recorded the occurrence as fired; it may call Deliver for it again (a
// retry, or a resend after a crash), and every send carries the
// occurrence's DeliveryNonce, so Discord keeps it to one message. It reads
// the schedule fresh from the store: one removed or paused since it was
// armed is not sent.
//
// A one-shot is deleted once it was sent or can never be (ErrUnreachable).
// After any other error it stays: the scheduler retries the delivery, and
// the retry must still find it here.
func (b *Bot) Deliver(ctx context.Context, send Sender, id uint64, at time.Time, late bool) (err error) {
	s, err := b.cfg.Store.Schedule(ctx, id)
	if stretchbot.ErrorCode(err) == stretchbot.ENOTFOUND {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load schedule %d: %w", id, err)
	}
	if s.Paused {
		return nil
	}
	held := false // a one-shot moved to the end of quiet hours stays
	if s.OneShot() {
		defer func() {
			if held || (err != nil && !errors.Is(err, ErrUnreachable)) {
				return // held over quiet hours, or a transient failure kept for the retry
			}
			if err := b.cfg.Store.DeleteSchedule(context.WithoutCancel(ctx), s.ID); err != nil && stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
				b.log.WarnContext(ctx, "delete one-shot", "schedule", s.ID, "err", err)
			}
		}()
	}
	if s.Kind == stretchbot.KindBreak {
		return b.send(ctx, send, s, Destination{ChannelID: s.ChannelID, Nonce: DeliveryNonce(id, at)}, b.breakMessage(s, at, 0))
	}
	u, err := b.cfg.Store.User(ctx, s.Owner)
	if err != nil {
		return fmt.Errorf("load user %s: %w", s.Owner, err)
	}
	if s.Kind != stretchbot.KindCheckIn && u.RemindersPaused(b.now()) {
		b.log.DebugContext(ctx, "reminder skipped: paused", "schedule", s.ID, "user", s.Owner)
		return nil
	}
	// A reminder due on a day away is not sent, however late it goes out.
	if _, away := u.AwayAt(at); away && s.Kind != stretchbot.KindCheckIn {
		b.log.DebugContext(ctx, "reminder skipped: away", "schedule", s.ID, "user", s.Owner)
		return nil
	}
	silent := false
	if q := u.Quiet; q != nil {
		loc := locationOf(u)
		if u.TimeZone == "" {
			loc, _ = s.Location()
		}
		if q.Contains(b.now(), loc) {
			silent = true
			if !q.Silent {
				switch out, err := b.holdForQuiet(ctx, s, q.End(b.now(), loc)); {
				case err != nil:
					return err
				case out == quietMoved:
					held = true
					return nil
				case out == quietCovered:
					return nil
				}
				// No room to hold it: on time, without a notification.
			}
		}
	}
	var r Reply
	if s.Kind == stretchbot.KindCheckIn {
		r = Reply{Content: "🩺 " + lang.For(u.Locale).T("remind.checkin_due")}
	} else if r, err = b.reminderReply(ctx, s, u, late); err != nil {
		return err
	}
	if s.ChannelID != "" {
		r.Content = "<@" + s.Owner + "> " + r.Content
		r.Mention = s.Owner
	}
	r.Silent = silent
	return b.send(ctx, send, s, Destination{UserID: s.Owner, ChannelID: s.ChannelID, Nonce: DeliveryNonce(id, at)}, r)
}

// reminderReply is the message of a personal reminder: the next stretch of
// the person's rotation among those the reminder's filters choose from,
// within their safety limits.
func (b *Bot) reminderReply(ctx context.Context, s stretchbot.Schedule, u stretchbot.User, late bool) (Reply, error) {
	c := cardState{owner: s.Owner, filter: s.Filter, reminder: true}
	offer, err := b.offer(ctx, u, c.filter)
	if err != nil {
		return Reply{}, err
	}
	st, ok := offer.Next(u.Recent)
	if !ok && !c.filter.IsDefault() {
		// The reminder's filters fit no stretch now: it still brings one
		// rather than nothing, with the filters cleared and the safety
		// limits kept.
		c.filter = stretchbot.Filter{}
		if offer, err = b.offer(ctx, u, c.filter); err != nil {
			return Reply{}, err
		}
		st, ok = offer.Next(u.Recent)
	}
	// In the owner's language, as their client last reported it: no
	// command starts a reminder.
	p := lang.For(u.Locale)
	content := "⏰ " + p.T("remind.due")
	if late {
		content = "⏰ " + p.T("remind.due_late")
	}
	var r Reply
	switch {
	case ok:
		r = b.stretchReply(p, st, c, offer)
		r.Content = content
		if note := offer.ShortNote(p); note != "" && s.ChannelID == "" {
			// Only in a DM: the note names health answers.
			r.Content += "\n" + note
		}
	case s.ChannelID == "":
		r.Content = content + "\n\n" + offer.Empty(p)
	default:
		r.Content = content + " " + stretchbot.PrivateOfferText(p)
	}
	return r, nil
}

// What holdForQuiet did with a reminder.
type quietOutcome int

const (
	quietNoRoom  quietOutcome = iota // the person's snoozes are at their limit: send it silently
	quietMoved                       // the one-shot itself now fires when quiet hours end: keep it
	quietCovered                     // a one-time reminder at the end of quiet hours brings it
)

// holdForQuiet keeps a reminder that came due in quiet hours until they
// end: a one-shot moves to that time; a repeating reminder leaves a
// one-time one there. Reminders that meet at the end of quiet hours arrive
// as one.
func (b *Bot) holdForQuiet(ctx context.Context, s stretchbot.Schedule, end time.Time) (quietOutcome, error) {
	if s.OneShot() {
		moved, err := b.cfg.Store.UpdateSchedule(ctx, s.ID, func(x *stretchbot.Schedule) error {
			x.At = end
			return nil
		})
		switch {
		case isDuplicate(err), stretchbot.ErrorCode(err) == stretchbot.ENOTFOUND:
			return quietCovered, nil // the same one already waits there, or it was removed
		case err != nil:
			return quietNoRoom, fmt.Errorf("hold schedule %d over quiet hours: %w", s.ID, err)
		}
		if err := b.cfg.Scheduler.Arm(moved, time.Time{}); err != nil {
			return quietNoRoom, fmt.Errorf("arm schedule %d after quiet hours: %w", s.ID, err)
		}
		return quietMoved, nil
	}
	later := stretchbot.Schedule{Owner: s.Owner, GuildID: s.GuildID, ChannelID: s.ChannelID, Kind: stretchbot.KindSnooze,
		At: end, TimeZone: s.TimeZone, Created: b.now(), Filter: s.Filter}
	switch err := b.addSchedule(ctx, &later); {
	case err == nil, isDuplicate(err):
		return quietCovered, nil
	case stretchbot.ErrorCode(err) == stretchbot.ELIMIT:
		return quietNoRoom, nil
	default:
		return quietNoRoom, fmt.Errorf("hold schedule %d over quiet hours: %w", s.ID, err)
	}
}

func isDuplicate(err error) bool {
	_, ok := stretchbot.AsDuplicate(err)
	return ok
}

// send posts r; when the recipient is unreachable it pauses the schedule and
// leaves the owner a note for the next time they use a command.
func (b *Bot) send(ctx context.Context, send Sender, s stretchbot.Schedule, to Destination, r Reply) error {
	err := send.Send(ctx, to, b.signButtons(r))
	if err == nil || !errors.Is(err, ErrUnreachable) {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	if _, uerr := b.cfg.Store.UpdateSchedule(ctx, s.ID, func(s *stretchbot.Schedule) error {
		s.Paused = true
		return nil
	}); uerr != nil && stretchbot.ErrorCode(uerr) != stretchbot.ENOTFOUND {
		b.log.ErrorContext(ctx, "pause unreachable schedule", "schedule", s.ID, "err", uerr)
	}
	b.cfg.Scheduler.Remove(s.ID)
	notice := "remind.unreachable.dm"
	if to.ChannelID != "" {
		notice = "remind.unreachable.channel"
	}
	if s.Kind == stretchbot.KindBreak {
		return err
	}
	// Only for a user the store still knows: one who ran Forget while this
	// reminder was on its way is not stored again. The notice is kept in
	// words, in the owner's language.
	if _, uerr := b.cfg.Store.UpdateKnownUser(ctx, s.Owner, func(u *stretchbot.User) error {
		u.Notice = "⚠️ " + lang.For(u.Locale).T(notice)
		return nil
	}); uerr != nil && stretchbot.ErrorCode(uerr) != stretchbot.ENOTFOUND {
		b.log.ErrorContext(ctx, "leave notice", "user", s.Owner, "err", uerr)
	}
	return err
}
