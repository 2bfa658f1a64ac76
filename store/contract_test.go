package store_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/storetest"
	bolt "go.etcd.io/bbolt"
)

// TestContract runs the backend contract against bbolt.
func TestContract(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) store.Backend {
			db, err := store.Open(filepath.Join(t.TempDir(), "stretchbot.db"), store.Options{Timeout: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			return (&closeOnCleanup{DB: db, t: t}).init()
		},
		Reopen: func(t *testing.T, b store.Backend) store.Backend {
			c := b.(*closeOnCleanup)
			path := c.Path()
			if err := c.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
			db, err := store.Open(path, store.Options{Timeout: 100 * time.Millisecond})
			if err != nil {
				t.Fatalf("reopen %s: %v", path, err)
			}
			c.DB = db
			return c
		},
		Contents: func(t *testing.T, b store.Backend) (store.Backend, []string) {
			c := b.(*closeOnCleanup)
			path := c.Path()
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			out := boltContents(t, path)
			db, err := store.Open(path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			c.DB = db
			return c, out
		},
	})
}

// closeOnCleanup closes whichever handle it holds when the test ends.
type closeOnCleanup struct {
	*store.DB
	t *testing.T
}

func (c *closeOnCleanup) init() *closeOnCleanup {
	c.t.Cleanup(func() {
		if err := c.DB.Close(); err != nil {
			c.t.Errorf("close: %v", err)
		}
	})
	return c
}

// boltContents returns every bucket name, key and value of the file,
// nested buckets too, as "bucket: key = value".
func boltContents(t *testing.T, path string) []string {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out []string
	var walk func(where string, bk *bolt.Bucket) error
	walk = func(where string, bk *bolt.Bucket) error {
		return bk.ForEach(func(k, v []byte) error {
			out = append(out, fmt.Sprintf("%s: %q = %q", where, k, v))
			if v == nil {
				if nb := bk.Bucket(k); nb != nil {
					return walk(where+"/"+string(k), nb)
				}
			}
			return nil
		})
	}
	err = b.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			out = append(out, string(name))
			return walk(string(name), bk)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
