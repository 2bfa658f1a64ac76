package store

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	bolt "go.etcd.io/bbolt"
)

// TestMigrateFiredToLast writes a schema-1 file by hand (one marker per
// occurrence in "fired", fired_last sometimes behind it, markers of a
// deleted schedule) and opens it: the migration keeps each schedule's last
// occurrence, drops the per-occurrence markers and starts with nothing
// undelivered.
func TestMigrateFiredToLast(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, owner := range []string{"111111111111111111", "222222222222222222", "333333333333333333"} {
		s := &stretchbot.Schedule{Owner: owner, Kind: stretchbot.KindReminder, Spec: "30 7 * * *", TimeZone: "UTC", Created: time.Unix(1e9, 0)}
		if err := db.CreateSchedule(ctx, s); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	a, b, c := ids[0], ids[1], ids[2]
	const gone = 999
	day := func(n int) time.Time { return time.Date(2025, 3, 10+n, 7, 30, 0, 0, time.UTC) }

	// Back to schema 1.
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketFiredUnsent); err != nil {
			return err
		}
		fired, err := tx.CreateBucket(bucketFiredV1)
		if err != nil {
			return err
		}
		last := tx.Bucket(bucketFiredLast)
		mark := func(id uint64, at time.Time) {
			if err == nil {
				err = fired.Put(appendTime(u64(id), at), nil)
			}
		}
		for n := range 30 {
			mark(a, day(n)) // a month of daily markers
		}
		mark(b, day(3))
		mark(b, day(5))
		mark(gone, day(9))
		if err != nil {
			return err
		}
		// fired_last: a's is current, b's lags behind its markers, c has
		// none (never fired).
		if err := last.Put(u64(a), appendTime(nil, day(29))); err != nil {
			return err
		}
		if err := last.Put(u64(b), appendTime(nil, day(3))); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint64(nil, 1))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("open a schema-1 file: %v", err)
	}
	defer db.Close()
	for _, tc := range []struct {
		id   uint64
		want time.Time
	}{{a, day(29)}, {b, day(5)}, {c, time.Time{}}, {gone, time.Time{}}} {
		got, err := db.LastFired(ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(tc.want) {
			t.Errorf("LastFired(%d) = %v, want %v", tc.id, got, tc.want)
		}
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if v, _ := schemaOf(tx.Bucket(bucketMeta)); v != SchemaVersion {
			t.Errorf("schema %d after migration, want %d", v, SchemaVersion)
		}
		if tx.Bucket(bucketFiredV1) != nil {
			t.Error("the per-occurrence markers are still there")
		}
		if n := tx.Bucket(bucketFiredLast).Stats().KeyN; n != 2 {
			t.Errorf("fired_last holds %d schedules, want 2 (a and b)", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := db.Undelivered(ctx); err != nil || len(u) != 0 {
		t.Errorf("Undelivered after migration = %v, %v; want none", u, err)
	}
	got, err := db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a, At: day(29)}, {ScheduleID: b, At: day(4)}, {ScheduleID: b, At: day(6)}, {ScheduleID: c, At: day(0)}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, false, true, true}; !slices.Equal(got, want) {
		t.Errorf("MarkFired after migration = %v, want %v", got, want)
	}
}

// TestPruneRunsInChunks prunes with tiny chunks: every old check-in goes,
// the recent ones stay, and no write transaction deletes more than a
// chunk.
func TestPruneRunsInChunks(t *testing.T) {
	defer func(n int) { pruneChunk = n }(pruneChunk)
	pruneChunk = 3
	ctx := context.Background()
	updates := 0
	db, err := Open(filepath.Join(t.TempDir(), "prune.db"), Options{ObserveTx: func(kind string, _ time.Duration) {
		if kind == "update" {
			updates++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10 {
		user := []string{"111111111111111111", "222222222222222222"}[i%2]
		if err := db.AddCheckIn(ctx, stretchbot.CheckInRecord{UserID: user, At: t0.Add(time.Duration(i) * 24 * time.Hour), Pain: 3}); err != nil {
			t.Fatal(err)
		}
	}
	updates = 0
	n, err := db.PruneCheckIns(ctx, t0.Add(7*24*time.Hour))
	if err != nil || n != 7 {
		t.Fatalf("PruneCheckIns = %d, %v; want 7", n, err)
	}
	if updates < 3 {
		t.Errorf("7 deletions in %d write transactions; want chunks of at most 3", updates)
	}
	var left int
	for _, u := range []string{"111111111111111111", "222222222222222222"} {
		rs, err := db.CheckIns(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.At.Before(t0.Add(7 * 24 * time.Hour)) {
				t.Errorf("check-in of %s at %v survived", u, r.At)
			}
		}
		left += len(rs)
	}
	if left != 3 {
		t.Errorf("%d check-ins left, want 3", left)
	}
}
