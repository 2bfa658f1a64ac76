package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
)

// Backend is everything the bot, the scheduler and the command line need
// from storage. Two backends implement it: *DB (bbolt, one file, the
// default) and store/postgres (a shared SQL database for many processes).
// The contract suite in store/storetest runs the same assertions against
// both, so a method added here gets its tests there, once.
type Backend interface {
	User(ctx context.Context, id string) (stretchbot.User, error)
	UpdateUser(ctx context.Context, id string, fn func(*stretchbot.User) error) (stretchbot.User, error)
	UpdateKnownUser(ctx context.Context, id string, fn func(*stretchbot.User) error) (stretchbot.User, error)

	CreateSchedule(ctx context.Context, s *stretchbot.Schedule) error
	CreateSchedules(ctx context.Context, ss []*stretchbot.Schedule) error
	Schedule(ctx context.Context, id uint64) (stretchbot.Schedule, error)
	UpdateSchedule(ctx context.Context, id uint64, fn func(*stretchbot.Schedule) error) (stretchbot.Schedule, error)
	DeleteSchedule(ctx context.Context, id uint64) error
	SchedulesByOwner(ctx context.Context, owner string) ([]stretchbot.Schedule, error)
	SchedulesByGuild(ctx context.Context, guildID string) ([]stretchbot.Schedule, error)
	ForEachSchedule(ctx context.Context, fn func(s stretchbot.Schedule, lastFired time.Time) error) error

	// AddCompletion stores a completion, counts it in the user's
	// Progress and moves their rotation past its stretch (User.Remember),
	// in one transaction.
	AddCompletion(ctx context.Context, c stretchbot.Completion) error
	Completions(ctx context.Context, userID string, from, to time.Time) ([]stretchbot.Completion, error)
	AddCheckIn(ctx context.Context, r stretchbot.CheckInRecord) error
	CheckIns(ctx context.Context, userID string) ([]stretchbot.CheckInRecord, error)
	PruneCheckIns(ctx context.Context, before time.Time) (int, error)

	RecordBreakClick(ctx context.Context, scheduleID uint64, occurrence time.Time, userID string, at time.Time) (counted bool, total int, err error)
	BreakStats(ctx context.Context, guildID string) (map[uint64]stretchbot.BreakCount, error)

	// The fired journal: scheduler.Journal, and what arming reads. Its
	// size follows the number of schedules, not time; store/fired.go says
	// what a backend must guarantee.
	MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error)
	MarkDelivered(ctx context.Context, occ []stretchbot.Fired) error
	Undelivered(ctx context.Context) ([]stretchbot.Fired, error)
	LastFired(ctx context.Context, scheduleID uint64) (time.Time, error)

	Export(ctx context.Context, userID string) (Export, error)
	ExportJSON(ctx context.Context, userID string) ([]byte, error)
	Forget(ctx context.Context, userID string) (deletedScheduleIDs []uint64, err error)

	// UpdateSigningKeys reads the keys button custom_ids are signed with,
	// lets fn replace them and stores the result, in one transaction.
	UpdateSigningKeys(ctx context.Context, fn func([]stretchbot.SigningKey) []stretchbot.SigningKey) ([]stretchbot.SigningKey, error)

	// Ready reports whether the database answers a read.
	Ready() bool
	Close() error
}

var _ Backend = (*DB)(nil)

// exportAbout opens the export file and explains its fields, because the
// person who gets it on Discord cannot see docs/privacy.md (which says the
// same at more length).
var exportAbout = []string{
	"This file holds every record stretchbot keeps about you.",
	"schema: the version of this format. Times are in UTC (RFC 3339). Lists are empty, never null; settings is null if none are stored (you never changed a setting or logged a stretch).",
	"settings.paused: empty (not paused), user (you paused), checkin (a check-in advised seeing a clinician first) or dm (Discord refused a direct message).",
	"age_band: 0 under 16, 1 16 to 49, 2 50 to 64, 3 65 or over; -1 when a check-in ended before that question.",
	"pain: 0 to 10; -1 when a check-in ended before that question.",
	"tier: 0 keep stretching, 1 see a doctor soon, 2 see a doctor today, 3 get help now. rule_version: the version of the check-in rules that gave it.",
	"filter: what a reminder's stretches are chosen from. equipment: empty (only what you said you have), all (everything), none or one item (stretches that need only that).",
	"quiet_hours: when reminders wait or come silently; null when you have none.",
	"away: the days you said you would be away (your local dates, both included); reminders wait on them and they keep your streak.",
	"progress: your totals and streaks as /stretch stats shows them, kept up to date with each completion; days are your local dates.",
	"language: your Discord app's language at your latest command, for reminders and direct messages; empty until known.",
	"kind: reminder, once (a one-time reminder), break (a channel break you set up), snooze (a snoozed reminder, or one held until your quiet hours end) or checkin (a reminder to check in).",
	"source: button (Done), manual (/stretch done) or break.",
	"last_due: when a reminder was last due (sent or skipped); sending: its sends Discord has not yet confirmed. They keep a reminder from being sent twice.",
	"Check-ins are deleted after 90 days. /stretch privacy forget deletes everything in this file.",
}

// MarshalExport is the JSON file a user gets from /stretch privacy export
// (schema in docs/privacy.md), the same for every backend. It starts with
// a few lines that explain it.
func MarshalExport(ex Export) ([]byte, error) {
	b, err := json.MarshalIndent(struct {
		About []string `json:"about"`
		Export
	}{exportAbout, ex}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode export of %s: %w", ex.UserID, err)
	}
	return b, nil
}
