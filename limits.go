package stretchbot

import "errors"

// Limits on schedules that exist at the same time. They keep one person or
// one server from flooding the scheduler, their DMs or a channel.
const (
	// MaxSchedulesPerUser bounds a person's reminders, repeating and
	// one-time together.
	MaxSchedulesPerUser = 10
	// MaxBreaksPerGuild bounds the channel-wide stretch breaks of a server.
	MaxBreaksPerGuild = 25
	// MaxSnoozesPerUser bounds the snoozed reminders a person has waiting
	// (Snooze presses and reminders held over quiet hours).
	MaxSnoozesPerUser = 5
)

// errDuplicate is the words of a DuplicateError.
func errDuplicate() *Error { return Fail(ECONFLICT, "remind.duplicate") }

// DuplicateError says a new schedule would repeat one that exists: the
// same time, days, time zone and destination (for a check-in reminder: any
// other check-in reminder, since one is enough). Existing is that schedule,
// so the answer can point to it. Its code is ECONFLICT.
type DuplicateError struct {
	Existing Schedule
}

func (e *DuplicateError) Error() string {
	return errDuplicate().Error()
}

// Unwrap lets ErrorCode and ErrorMessage see the ECONFLICT *Error.
func (e *DuplicateError) Unwrap() error {
	return errDuplicate()
}

// AsDuplicate returns the DuplicateError in err's chain, if there is one.
func AsDuplicate(err error) (*DuplicateError, bool) {
	var d *DuplicateError
	ok := errors.As(err, &d)
	return d, ok
}

// LimitedPerGuild reports whether s's limits count the schedules of its
// server (a stretch break) rather than those of its owner.
func (s Schedule) LimitedPerGuild() bool { return s.Kind == KindBreak }

// Admit decides whether s may be stored beside siblings: the schedules
// that share its owner, or its server when s.LimitedPerGuild(). A sibling
// with s's ID (s itself, when it is being changed) is not counted.
//
// Admit is the one rule every store applies inside the transaction that
// writes s, so that concurrent requests cannot all pass a check made
// before any of them wrote. It returns a *DuplicateError or an ELIMIT
// *Error.
func Admit(s Schedule, siblings []Schedule) error {
	n := 0
	for _, o := range siblings {
		if o.ID == s.ID && s.ID != 0 {
			continue
		}
		if same(s, o) {
			return &DuplicateError{Existing: o}
		}
		if limitGroup(o.Kind) == limitGroup(s.Kind) {
			n++
		}
	}
	switch limitGroup(s.Kind) {
	case KindReminder:
		if n >= MaxSchedulesPerUser {
			return Fail(ELIMIT, "limit.reminders", "Max", MaxSchedulesPerUser)
		}
	case KindBreak:
		if n >= MaxBreaksPerGuild {
			return Fail(ELIMIT, "limit.breaks", "Max", MaxBreaksPerGuild)
		}
	case KindSnooze:
		if n >= MaxSnoozesPerUser {
			return Fail(ELIMIT, "limit.snoozes", "Max", MaxSnoozesPerUser)
		}
	}
	return nil
}

// limitGroup maps a kind to the kind whose limit it shares: one-time
// reminders count with the repeating ones.
func limitGroup(k ScheduleKind) ScheduleKind {
	if k == KindOnce {
		return KindReminder
	}
	return k
}

// same reports whether a and b would deliver the same thing at the same
// moments to the same place.
func same(a, b Schedule) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case KindCheckIn:
		return a.Owner == b.Owner
	case KindBreak:
		return a.ChannelID == b.ChannelID && a.Spec == b.Spec && a.TimeZone == b.TimeZone
	}
	if a.Owner != b.Owner || a.ChannelID != b.ChannelID {
		return false
	}
	if a.OneShot() {
		return a.At.Equal(b.At)
	}
	return a.Spec == b.Spec && a.TimeZone == b.TimeZone
}
