package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/storetest"
	bolt "go.etcd.io/bbolt"
)

func TestBackup(t *testing.T) {
	db := mustOpen(t)
	storetest.SeedUser(t, db, alice)
	var buf bytes.Buffer
	n := must[int64](t)(db.Backup(ctx, &buf))
	if n != int64(buf.Len()) {
		t.Fatalf("Backup returned %d, wrote %d", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := store.Check(path); err != nil {
		t.Fatalf("Check of backup: %v", err)
	}
	cp, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if got, want := must[store.Export](t)(cp.Export(ctx, alice)), must[store.Export](t)(db.Export(ctx, alice)); !reflect.DeepEqual(got, want) {
		t.Fatal("backup differs from the original")
	}
}

func TestDamagedValues(t *testing.T) {
	db := mustOpen(t)
	id := mustCreate(t, db, reminder(alice))
	db.Close()
	db.DB = nil
	editBolt(t, db.path, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("schedules")).Put(binaryID(id), []byte{1, 0xff})
	})
	if err := store.Check(db.path); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("Check: err = %v, want ErrCorrupt", err)
	}
	db.open()
	if _, err := db.Schedule(ctx, id); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("Schedule: err = %v, want ErrCorrupt", err)
	}
	if err := db.ForEachSchedule(ctx, func(stretchbot.Schedule, time.Time) error { return nil }); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("ForEachSchedule: err = %v, want ErrCorrupt", err)
	}
}

func binaryID(id uint64) []byte {
	return []byte{byte(id >> 56), byte(id >> 48), byte(id >> 40), byte(id >> 32), byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
}

// TestCheckInRecordsOfBothRuleVersions: records written under rule version 1
// and 2 read back side by side, each with its version, and a check-in that
// ended before the age and pain questions keeps them as "not asked".
func TestCheckInRecordsOfBothRuleVersions(t *testing.T) {
	db := mustOpen(t)
	recs := []stretchbot.CheckInRecord{
		{UserID: alice, At: t0, Age: stretchbot.Age50To64, Pain: 4, Tier: stretchbot.TierSeeDoctorToday, RuleVersion: "1"},
		{UserID: alice, At: t0.Add(time.Hour), Age: stretchbot.AgeNotAsked, Pain: stretchbot.PainNotAsked, Tier: stretchbot.TierEmergency, RuleVersion: "2"},
	}
	for _, r := range recs {
		if err := db.AddCheckIn(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	db.mustReopen()
	got := must[[]stretchbot.CheckInRecord](t)(db.CheckIns(ctx, alice))
	for i := range recs {
		if i >= len(got) || !got[i].At.Equal(recs[i].At) {
			t.Fatalf("CheckIns = %+v", got)
		}
		got[i].At = recs[i].At
		if got[i] != recs[i] {
			t.Errorf("record %d = %+v, want %+v", i, got[i], recs[i])
		}
	}
	ex := must[store.Export](t)(db.Export(ctx, alice))
	if len(ex.CheckIns) != 2 || ex.CheckIns[1].AgeBand != -1 || ex.CheckIns[1].Pain != -1 || ex.CheckIns[1].RuleVersion != "2" || ex.CheckIns[0].RuleVersion != "1" {
		t.Errorf("export = %+v", ex.CheckIns)
	}
}
