package stretchbot

import (
	"slices"
	"time"
)

// PauseReason says why a user's reminders are paused, so the bot can explain
// it and know who may lift it.
type PauseReason string

// Pause reasons.
const (
	PauseNone     PauseReason = ""
	PauseByUser   PauseReason = "user"    // /stretch remind pause
	PauseCheckIn  PauseReason = "checkin" // a check-in said see a doctor today or get help now
	PauseDMClosed PauseReason = "dm"      // Discord refused to deliver a DM
)

// User holds a person's settings. The zero value (apart from ID) is a new user.
type User struct {
	ID          string
	TimeZone    string      // IANA name; empty until the user sets one
	Paused      PauseReason // all reminders paused while non-empty
	PausedUntil time.Time   // zero: until resumed
	Profile     *Profile    // check-in profile; nil until asked
	// LastInflammatoryAsk is when check-in question Q11 was last asked; it is
	// asked at most once a week.
	LastInflammatoryAsk time.Time
	DMChannelID         string   // cached so a DM channel is created once
	Notice              string   // told to the user the next time they use a command
	Recent              []string // stretch IDs shown or done, newest last (the rotation)
	// Equipment is what the person said they have (by choosing it for a
	// stretch or a reminder): stretches needing anything else are offered
	// only when they ask for all.
	Equipment []Equipment `json:",omitempty"`
	// Quiet holds the person's quiet hours; nil: none.
	Quiet *QuietHours `json:",omitempty"`
	// Away holds the periods the person said they would be away, oldest
	// first, at most MaxAway: reminders wait during one, and its days
	// keep the streak going.
	Away []Away `json:",omitempty"`
	// Progress sums up the person's completions. The store keeps it in
	// step with every completion; nil for someone who has none, or whose
	// completions predate it (the store then builds it from the history
	// at their next completion).
	Progress *Progress `json:",omitempty"`
	// Locale is the language of the person's Discord client at their
	// latest command (a Discord locale code, "de", "es-419"), so reminders
	// and direct messages, which no command starts, are in it too.
	Locale string `json:",omitempty"`
}

// Away is a run of local dates a person is away.
type Away struct {
	From  Day // the first day away
	Until Day // the last day away
}

// Covers reports whether d is one of the days away.
func (a Away) Covers(d Day) bool { return d.Compare(a.From) >= 0 && d.Compare(a.Until) <= 0 }

// MaxAway bounds the away periods kept per person: a streak longer than
// the last few of them is kept by completions, not absences.
const MaxAway = 12

// GoAway records that the person is away from local date from to until,
// replacing an away period that has not ended by from.
func (u *User) GoAway(from, until Day) {
	if n := len(u.Away); n > 0 && u.Away[n-1].Until.Compare(from) >= 0 {
		u.Away = u.Away[:n-1]
	}
	u.Away = append(u.Away, Away{From: from, Until: until})
	if len(u.Away) > MaxAway {
		u.Away = append([]Away(nil), u.Away[len(u.Away)-MaxAway:]...)
	}
}

// AwayOn returns the away period covering local date d, if any.
func (u User) AwayOn(d Day) (Away, bool) {
	for _, a := range slices.Backward(u.Away) {
		if a.Covers(d) {
			return a, true
		}
	}
	return Away{}, false
}

// AwayAt returns the away period the person is in at now, in their time
// zone: their reminders wait meanwhile.
func (u User) AwayAt(now time.Time) (Away, bool) {
	return u.AwayOn(DayOf(now, u.Location()))
}

// ComeBack ends the away period the person is in on local date today: the
// days before today stay away days; one that began today is dropped.
func (u *User) ComeBack(today Day) bool {
	for i, a := range u.Away {
		if !a.Covers(today) {
			continue
		}
		if a.From == today {
			u.Away = slices.Delete(u.Away, i, i+1)
		} else {
			u.Away[i].Until = today.AddDays(-1)
		}
		return true
	}
	return false
}

// Location is the person's time zone, UTC until they set one.
func (u User) Location() *time.Location {
	if u.TimeZone == "" {
		return time.UTC
	}
	loc, err := LoadLocation(u.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// RemindersPaused reports whether the user's reminders are paused at now.
func (u User) RemindersPaused(now time.Time) bool {
	if u.Paused == PauseNone {
		return false
	}
	return u.PausedUntil.IsZero() || now.Before(u.PausedUntil)
}

// MaxRecent bounds the rotation history kept per user: enough to cycle the
// whole catalogue a few times, small enough to stay a tiny record.
const MaxRecent = 32

// Remember appends a stretch to the rotation history, keeping MaxRecent.
func (u *User) Remember(stretchID string) {
	u.Recent = append(u.Recent, stretchID)
	if len(u.Recent) > MaxRecent {
		u.Recent = append([]string(nil), u.Recent[len(u.Recent)-MaxRecent:]...)
	}
}

// SaidTheyHave records that the person has e (nothing for "none" or "all").
func (u *User) SaidTheyHave(e Equipment) {
	if e == "" || e == EquipmentNone || e == EquipmentAll || slices.Contains(u.Equipment, e) {
		return
	}
	u.Equipment = append(u.Equipment, e)
	slices.Sort(u.Equipment)
}
