package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// testDB is an open database in a temporary directory that tests can
// reopen to check durability.
type testDB struct {
	*store.DB
	t    *testing.T
	path string
}

// mustOpen opens a new database in t.TempDir and closes it in t.Cleanup.
func mustOpen(t *testing.T) *testDB {
	t.Helper()
	tdb := &testDB{t: t, path: filepath.Join(t.TempDir(), "stretchbot.db")}
	tdb.open()
	t.Cleanup(func() {
		if tdb.DB != nil {
			if err := tdb.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		}
	})
	return tdb
}

func (tdb *testDB) open() {
	tdb.t.Helper()
	db, err := store.Open(tdb.path, store.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		tdb.t.Fatalf("open %s: %v", tdb.path, err)
	}
	tdb.DB = db
}

// mustReopen closes and opens the file again.
func (tdb *testDB) mustReopen() {
	tdb.t.Helper()
	if err := tdb.Close(); err != nil {
		tdb.t.Fatalf("close: %v", err)
	}
	tdb.DB = nil
	tdb.open()
}

// ctx is the context of the tests: no deadline, never cancelled.
var ctx = context.Background()

// t0 is a fixed instant the tests count from.
var t0 = time.Date(2025, 3, 10, 7, 30, 0, 0, time.UTC)

const (
	alice = "111111111111111111"
	guild = "900000000000000001"
)

// minutes gives each schedule the tests make its own time of day, so
// that none is refused as a duplicate of another.
var minutes atomic.Int64

// nextSpec returns "M H * * 1-5" for a time of day no earlier call got.
func nextSpec(hour int) string {
	n := minutes.Add(1)
	return fmt.Sprintf("%d %d * * 1-5", n%60, hour+int(n/60)%12)
}

func reminder(owner string) *stretchbot.Schedule {
	return &stretchbot.Schedule{
		Owner: owner, Kind: stretchbot.KindReminder, Spec: nextSpec(7),
		TimeZone: "Europe/Berlin", Created: t0,
	}
}

func breakFor(owner string) *stretchbot.Schedule {
	return &stretchbot.Schedule{
		Owner: owner, GuildID: guild, ChannelID: "800000000000000001", Kind: stretchbot.KindBreak,
		Spec: nextSpec(9), TimeZone: "America/New_York", Created: t0,
	}
}

func mustCreate(t *testing.T, db *testDB, s *stretchbot.Schedule) uint64 {
	t.Helper()
	if err := db.CreateSchedule(ctx, s); err != nil {
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

// mustOpenB is mustOpen for benchmarks.
func mustOpenB(b *testing.B) *store.DB {
	b.Helper()
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}
