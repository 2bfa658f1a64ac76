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
// Only pages no transaction can still read are touched: it starts its
// write transaction while no read transaction is open (new ones wait a
// moment for that; bbolt then releases every page freed so far), and
// writes the zeros before that transaction ends, so nothing reuses those
// pages meanwhile.
func (db *DB) ScrubFreePages(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if db.bolt.IsReadOnly() {
		return 0, nil
	}
	db.readers.Lock()
	tx, err := db.bolt.Begin(true)
	db.readers.Unlock()
	if err != nil {
		return 0, fmt.Errorf("scrub free pages of %s: %w", db.path, err)
	}
	held := time.Now()
	f, err := os.OpenFile(db.path, os.O_RDWR, 0)
	if err != nil {
		_ = tx.Rollback()
		return 0, fmt.Errorf("scrub free pages of %s: %w", db.path, err)
	}
	defer f.Close()
	n := 0
	err = guardCall(func() error {
		var err error
		n, err = zeroFreePages(f, tx.Size(), db.bolt.Info().PageSize, func(id int) (bool, error) {
			info, err := tx.Page(id)
			return info != nil && info.Type == "free", err
		})
		return err
	})
	// Nothing is changed: rolling back writes nothing to the file. The
	// zeros are in the page cache by now, so a commit that reuses one of
	// those pages after this overwrites them, in that order; the fsync can
	// therefore wait until the write lock is free again (under load it
	// took most of the scrub's time).
	_ = tx.Rollback()
	db.timed("scrub", held)
	if err == nil && n > 0 {
		err = f.Sync()
	}
	if err != nil {
		return n, fmt.Errorf("scrub free pages of %s: %w", db.path, err)
	}
	return n, nil
}

// zeroFreePages writes zeros into f over the pages below size that free
// reports as free and that are not zero yet. The caller syncs f.
func zeroFreePages(f *os.File, size int64, pageSize int, free func(id int) (bool, error)) (int, error) {
	if pageSize <= 0 {
		return 0, errors.New("unknown page size")
	}
	zero := make([]byte, pageSize)
	buf := make([]byte, pageSize)
	n := 0
	// Pages 0 and 1 are the meta pages, never free.
	for id := 2; int64(id+1)*int64(pageSize) <= size; id++ {
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
