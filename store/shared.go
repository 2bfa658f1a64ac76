package store

import (
	"time"

	"github.com/stretchbot/stretchbot"
)

// What every backend shares with this one, so that all of them store the
// same bytes, refuse the same input with the same words and export the
// same file. store/postgres uses these; a change here reaches both.

// EncodeSchedule returns the stored form of a schedule (its ID is kept
// beside it, not inside).
func EncodeSchedule(s stretchbot.Schedule) []byte { return encodeSchedule(s) }

// DecodeSchedule reads what EncodeSchedule wrote; errors wrap ErrCorrupt.
func DecodeSchedule(id uint64, v []byte) (stretchbot.Schedule, error) {
	return decodeSchedule(u64(id), v)
}

// EncodeUser returns the stored form of a user's settings (the ID is kept
// beside it, not inside).
func EncodeUser(u stretchbot.User) ([]byte, error) { return encodeUser(u) }

// DecodeUser reads what EncodeUser wrote; errors wrap ErrCorrupt.
func DecodeUser(id string, v []byte) (stretchbot.User, error) {
	u, err := decodeUser(v)
	u.ID = id
	return u, err
}

// ValidateSchedule is what a schedule must pass to be stored.
func ValidateSchedule(s stretchbot.Schedule) error { return validateSchedule(s) }

// CheckID validates an ID of a user ("user") or server ("server").
func CheckID(what, id string) error { return checkID(what, id) }

// CheckTime validates a time that is stored.
func CheckTime(what string, t time.Time) error { return checkTime(what, t) }

// ScheduleNotFound is the error for a schedule that does not exist.
func ScheduleNotFound(id uint64) error { return notFound(id) }

// NotABreak is the error for a break click on a schedule of another kind.
func NotABreak() error { return notABreak() }

// ExportSettingsOf is the export form of stored settings.
func ExportSettingsOf(u stretchbot.User) *ExportSettings { return exportSettings(u) }

// ExportScheduleOf is the export form of a schedule.
func ExportScheduleOf(s stretchbot.Schedule) ExportSchedule { return exportSchedule(s) }

// SameIdentity reports whether an edit from a to b leaves everything
// stretchbot.Admit looks at unchanged, so it need not be admitted again.
func SameIdentity(a, b stretchbot.Schedule) bool { return sameIdentity(a, b) }
