package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/store"
	bolt "go.etcd.io/bbolt"
)

func TestOpenLocked(t *testing.T) {
	db := mustOpen(t)
	// bbolt locks with flock(2), which is per open file: a second Open in
	// the same process waits just like another process would.
	for _, readOnly := range []bool{false, true} {
		start := time.Now()
		_, err := store.Open(db.path, store.Options{Timeout: 50 * time.Millisecond, ReadOnly: readOnly})
		if !errors.Is(err, store.ErrLocked) {
			t.Fatalf("second Open (read-only %v): err = %v, want ErrLocked", readOnly, err)
		}
		if !strings.Contains(err.Error(), "database is in use by another process") {
			t.Errorf("message %q does not say the file is in use", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("second Open took %v, want about the timeout", d)
		}
	}
	if err := store.Check(db.path); !errors.Is(err, store.ErrLocked) {
		t.Errorf("Check while open: err = %v, want ErrLocked", err)
	}
}

// highWater returns the file size the meta page of a database claims:
// bbolt may grow the file ahead, so cutting its last page may cut nothing
// in use.
func highWater(t *testing.T, data []byte) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hw.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var n int64
	b.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return int(n)
}

// validDB returns the bytes of a small valid database with some records.
func validDB(t *testing.T) []byte {
	t.Helper()
	db := mustOpen(t)
	for i := 0; i < 200; i++ {
		b := breakFor(alice)
		b.GuildID = fmt.Sprintf("9%017d", i) // 25 breaks at most per server
		mustCreate(t, db, b)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db.DB = nil
	b, err := os.ReadFile(db.path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenCorrupt(t *testing.T) {
	valid := validDB(t)
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rnd.Uint32())
	}
	// A valid file whose data pages are overwritten: meta pages intact.
	scribbled := bytes.Clone(valid)
	for i := 4 * 4096; i < len(scribbled); i++ {
		scribbled[i] = byte(rnd.Uint32())
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"random bytes", random},
		{"text file", []byte("# my notes\nthis is not a database\n")},
		{"one byte", []byte{0}},
		{"truncated to one page", valid[:4096]},
		{"truncated to half", valid[:len(valid)/2]},
		{"truncated by one used page", valid[:highWater(t, valid)-4096]},
		{"data pages scribbled", scribbled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "stretchbot.db")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-time.Hour).Truncate(time.Second)
			if err := os.Chtimes(path, old, old); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(tt.data)

			db, err := store.Open(path, store.Options{Timeout: 50 * time.Millisecond})
			if err == nil {
				db.Close()
				t.Fatalf("Open succeeded on %s", tt.name)
			}
			if !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), "not a stretchbot database or is damaged") {
				t.Errorf("message %q does not explain", err)
			}
			after, _ := os.ReadFile(path)
			fi, _ := os.Stat(path)
			if sha256.Sum256(after) != sum || !fi.ModTime().Equal(old) {
				t.Fatalf("file changed by a failed Open (size %d→%d, mtime %v→%v)", len(tt.data), len(after), old, fi.ModTime())
			}
			if err := store.Check(path); !errors.Is(err, store.ErrCorrupt) {
				t.Errorf("Check: err = %v, want ErrCorrupt", err)
			}
		})
	}
}

// editBolt changes a closed database file with bbolt directly, as another
// program or a newer stretchbot would.
func editBolt(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefuses(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, path string)
		want    error  // errors.Is target, or nil to check the message only
		msg     string // part of the message
	}{
		{"schema too new", func(t *testing.T, path string) {
			db := mustOpen(t)
			db.Close()
			db.DB = nil
			data, _ := os.ReadFile(db.path)
			os.WriteFile(path, data, 0o600)
			editBolt(t, path, func(tx *bolt.Tx) error {
				return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, store.SchemaVersion+1))
			})
		}, store.ErrSchemaTooNew, "upgrade stretchbot"},
		{"another program's bbolt file", func(t *testing.T, path string) {
			editBolt(t, path, func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket([]byte("widgets"))
				if err != nil {
					return err
				}
				return b.Put([]byte("a"), []byte("b"))
			})
		}, store.ErrCorrupt, "another program"},
		{"bad schema record", func(t *testing.T, path string) {
			editBolt(t, path, func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket([]byte("meta"))
				if err != nil {
					return err
				}
				return b.Put([]byte("schema"), []byte("x"))
			})
		}, store.ErrCorrupt, "schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			tt.prepare(t, path)
			before, _ := os.ReadFile(path)
			for _, ro := range []bool{false, true} {
				db, err := store.Open(path, store.Options{ReadOnly: ro})
				if err == nil {
					db.Close()
					t.Fatalf("Open (read-only %v) succeeded", ro)
				}
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
					t.Fatalf("Open (read-only %v): err = %v, want %v mentioning %q", ro, err, tt.want, tt.msg)
				}
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Fatal("a refused Open changed the file")
			}
		})
	}
}

func TestOpenPaths(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		opts store.Options
		msg  string
	}{
		{"missing directory", filepath.Join(dir, "nope", "stretchbot.db"), store.Options{}, "directory " + filepath.Join(dir, "nope") + " does not exist"},
		{"a directory", dir, store.Options{}, "is a directory"},
		{"read-only, missing file", filepath.Join(dir, "absent.db"), store.Options{ReadOnly: true}, "does not exist"},
		{"no path", "", store.Options{}, "no path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(tt.path, tt.opts)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.msg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "absent.db")); !os.IsNotExist(err) {
		t.Error("a read-only Open created the file")
	}
}

func TestOpenEmptyFileIsNew(t *testing.T) {
	// An empty file holds nothing to lose: it becomes a new database, as
	// bbolt and SQLite do (and `touch stretchbot.db` is a natural first step).
	path := filepath.Join(t.TempDir(), "stretchbot.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(path, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("read-only Open of an empty file: err = %v, want ErrCorrupt", err)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	if _, err := db.User(ctx, alice); err != nil {
		t.Fatal(err)
	}
}

func TestReadOnly(t *testing.T) {
	db := mustOpen(t)
	id := mustCreate(t, db, reminder(alice))
	db.Close()
	db.DB = nil
	ro, err := store.Open(db.path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.Schedule(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := ro.CreateSchedule(ctx, reminder(alice)); err == nil {
		t.Fatal("write on a read-only database succeeded")
	}
	if err := store.Check(db.path); err != nil {
		t.Fatalf("Check of a healthy file: %v", err)
	}
}
