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
	// Locale is the language of the person's Discord client at their
	// latest command (a Discord locale code, "de", "es-419"), so reminders
	// and direct messages, which no command starts, are in it too.
	Locale string `json:",omitempty"`
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
