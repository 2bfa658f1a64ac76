package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// bbolt never overwrites a page it frees: deleted records stay readable in
// the file (and in every later backup, which copies whole pages) until the
// page happens to be reused. After a Forget that would leave the person's
// records recoverable with a hex editor. ScrubFreePages closes that gap.

// ScrubFreePages overwrites with zeros every page of the file that holds
// nothing live, so that deleted records cannot be read back from the file
// or from backups taken afterwards. It returns how many pages it cleared
// (pages already zero are left alone). Forget calls it right away, and the
// bot's sweeper every few hours, for the cases where it could not run.
//
// Only pages no transaction can still read are touched: each write
// transaction starts while no read transaction is open (new ones wait a
// moment for that; bbolt then releases every page freed so far), and
// writes its zeros before it ends, so nothing reuses those pages
// meanwhile. It looks at scrubChunk pages per write transaction, so that
// sends and clicks never wait long behind it (bbolt has one writer); a
// page freed in a part already looked at waits for the next scrub.
func (db *DB) ScrubFreePages(ctx context.Context) (int, error) {
	if db.bolt.IsReadOnly() {
		return 0, ctx.Err()
	}
	f, err := os.OpenFile(db.path, os.O_RDWR, 0)
	if err != nil {
		return 0, fmt.Errorf("scrub free pages of %s: %w", db.path, err)
	}
	defer f.Close()
	pageSize := db.bolt.Info().PageSize
	n := 0
	// Pages 0 and 1 are the meta pages, never free.
	for from, more := 2, true; more; from += scrubChunk {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		var k int
		k, more, err = db.scrubPages(f, pageSize, from, from+scrubChunk)
		n += k
		if err != nil {
			return n, fmt.Errorf("scrub free pages of %s: %w", db.path, err)
		}
	}
	// The zeros are in the page cache already, so a commit that reuses
	// one of those pages later overwrites them, in that order: the fsync
	// needs no write lock.
	if n > 0 {
		if err := f.Sync(); err != nil {
			return n, fmt.Errorf("scrub free pages of %s: %w", db.path, err)
		}
	}
	return n, nil
}

// scrubChunk is how many pages one write transaction of ScrubFreePages
// looks at (16 MB of file with 4 KB pages; a variable for tests).
var scrubChunk = 4096

// scrubPages zeroes the free pages with ids in [from, to) in one write
// transaction, and reports whether the file goes on past to.
func (db *DB) scrubPages(f *os.File, pageSize, from, to int) (n int, more bool, err error) {
	db.readers.Lock()
	tx, err := db.bolt.Begin(true)
	db.readers.Unlock()
	if err != nil {
		return 0, false, err
	}
	defer db.timed("scrub", time.Now())
	// Nothing is changed: rolling back writes nothing to the file.
	defer tx.Rollback()
	pages := int(tx.Size() / int64(pageSize))
	err = guardCall(func() error {
		var err error
		n, err = zeroFreePages(f, from, min(to, pages), pageSize, func(id int) (bool, error) {
			info, err := tx.Page(id)
			return info != nil && info.Type == "free", err
		})
		return err
	})
	return n, to < pages, err
}

// zeroFreePages writes zeros into f over the pages with ids in [from, to)
// that free reports as free and that are not zero yet. The caller syncs f.
func zeroFreePages(f *os.File, from, to, pageSize int, free func(id int) (bool, error)) (int, error) {
	if pageSize <= 0 {
		return 0, errors.New("unknown page size")
	}
	zero := make([]byte, pageSize)
	buf := make([]byte, pageSize)
	n := 0
	for id := max(from, 2); id < to; id++ {
		isFree, err := free(id)
		if err != nil {
			return n, err
		}
		if !isFree {
			continue
		}
		off := int64(id) * int64(pageSize)
		if _, err := f.ReadAt(buf, off); err != nil {
			return n, err
		}
		if bytes.Equal(buf, zero) {
			continue
		}
		if _, err := f.WriteAt(zero, off); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
