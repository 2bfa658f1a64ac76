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
