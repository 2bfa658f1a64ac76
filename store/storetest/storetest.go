// Package storetest is the contract of store.Backend: one suite of
// assertions that every storage backend must pass unchanged. The bbolt
// store runs it in store's tests and the PostgreSQL store in
// store/postgres's. When you add a method to store.Backend, add its test
// here, and both backends are held to it.
package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// Harness tells the suite how to get databases of one backend.
type Harness struct {
	// Open returns a new, empty database for one test; the harness closes
	// it when the test ends.
	Open func(t *testing.T) store.Backend
	// Reopen closes db and opens the same database again, as a restart
	// does, so the suite can check that writes are durable.
	Reopen func(t *testing.T, db store.Backend) store.Backend
	// Contents returns every key and value (bbolt) or every row (SQL) the
	// database holds, as text, so the suite can check that Forget leaves
	// no trace of a user. db may be closed and reopened on the way; the
	// returned Backend is the one to go on with.
	Contents func(t *testing.T, db store.Backend) (store.Backend, []string)
}

// Run runs the whole contract against h.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"UserRoundTrip", testUserRoundTrip},
		{"EveryFieldRoundTrips", testEveryFieldRoundTrips},
		{"ScheduleCRUD", testScheduleCRUD},
		{"CreateScheduleValidation", testCreateScheduleValidation},
		{"CreateScheduleLimit", testCreateScheduleLimit},
		{"ReminderLimitUnderConcurrency", testReminderLimitUnderConcurrency},
		{"LimitsUnderConcurrency", testLimitsUnderConcurrency},
		{"DuplicateNamesTheExisting", testDuplicateNamesTheExisting},
		{"CreateSchedules", testCreateSchedules},
		{"MarkFired", testMarkFired},
		{"MarkFiredConcurrent", testMarkFiredConcurrent},
		{"Undelivered", testUndelivered},
		{"Completions", testCompletions},
		{"Progress", testProgress},
		{"CheckInsAndPrune", testCheckInsAndPrune},
		{"BreakClicks", testBreakClicks},
		{"ExportRoundTrip", testExportRoundTrip},
		{"ExportFiredMarkers", testExportFiredMarkers},
		{"Forget", testForget},
		{"UpdateKnownUser", testUpdateKnownUser},
		{"SigningKeys", testSigningKeys},
		{"ConcurrentWriters", testConcurrentWriters},
		{"CancelledContext", testCancelledContext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, h) })
	}
}

// db is a database under test that can be reopened.
type db struct {
	store.Backend
	t *testing.T
	h Harness
}

func open(t *testing.T, h Harness) *db {
	t.Helper()
	return &db{Backend: h.Open(t), t: t, h: h}
}

func (d *db) reopen() {
	d.t.Helper()
	d.Backend = d.h.Reopen(d.t, d.Backend)
}

// ctx is the context of the tests: no deadline, never cancelled.
var ctx = context.Background()

// T0 is a fixed instant the tests count from.
var T0 = time.Date(2025, 3, 10, 7, 30, 0, 0, time.UTC)

// IDs of the people and places in the tests.
const (
	Alice = "111111111111111111"
	Bob   = "222222222222222222"
	Guild = "900000000000000001"
)

// minutes gives each schedule Reminder and Break make its own time of
// day, so that none is refused as a duplicate of another.
var minutes atomic.Int64

// nextSpec returns "M H * * 1-5" for a time of day no earlier call got.
func nextSpec(hour int) string {
	n := minutes.Add(1)
	return fmt.Sprintf("%d %d * * 1-5", n%60, hour+int(n/60)%12)
}

// Reminder returns a weekday reminder of owner, ready to create, at a
// time of day no other call of Reminder gave.
func Reminder(owner string) *stretchbot.Schedule {
	return &stretchbot.Schedule{
		Owner: owner, Kind: stretchbot.KindReminder, Spec: nextSpec(7),
		TimeZone: "Europe/Berlin", Created: T0,
	}
}

// Break returns a channel break in Guild set by owner, ready to create, at
// a time of day no other call of Break gave.
func Break(owner string) *stretchbot.Schedule {
	return &stretchbot.Schedule{
		Owner: owner, GuildID: Guild, ChannelID: "800000000000000001", Kind: stretchbot.KindBreak,
		Spec: nextSpec(9), TimeZone: "America/New_York", Created: T0,
	}
}

func mustCreate(t *testing.T, d store.Backend, s *stretchbot.Schedule) uint64 {
	t.Helper()
	if err := d.CreateSchedule(ctx, s); err != nil {
		t.Fatalf("create schedule: %v", err)
	}
	return s.ID
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// SeedUser stores one of every record kind about user: settings, a
// reminder, a snooze, a break they set, completions, a check-in, fired
// markers, and clicks on a break of their own and on one of someone else.
func SeedUser(t *testing.T, d store.Backend, user string) {
	t.Helper()
	must[stretchbot.User](t)(d.UpdateUser(ctx, user, func(u *stretchbot.User) error {
		u.TimeZone, u.DMChannelID, u.Recent = "Europe/Berlin", "dm-"+user, []string{"cat-cow"}
		u.Profile = &stretchbot.Profile{Age: stretchbot.Age16To49}
		return nil
	}))
	r := mustCreate(t, d, Reminder(user))
	mustCreate(t, d, &stretchbot.Schedule{Owner: user, Kind: stretchbot.KindSnooze, At: T0.Add(time.Hour), TimeZone: "UTC", ChannelID: "dm-" + user})
	br := mustCreate(t, d, Break(user))
	shared := mustCreate(t, d, Break("444444444444444444"))
	must[[]bool](t)(d.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: r, At: T0}, {ScheduleID: br, At: T0}}))
	if err := d.AddCompletion(ctx, stretchbot.Completion{UserID: user, At: T0, StretchID: "cat-cow", Source: stretchbot.SourceButton}); err != nil {
		t.Fatal(err)
	}
	if err := d.AddCheckIn(ctx, stretchbot.CheckInRecord{UserID: user, At: T0, Pain: 4, RuleVersion: "1"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint64{br, shared} {
		if _, _, err := d.RecordBreakClick(ctx, id, T0, user, T0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
}
