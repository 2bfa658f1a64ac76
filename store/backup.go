package store

import (
	"context"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to w from one
// read transaction, so the bot keeps serving (and writing) meanwhile. The
// copy is itself a database file Open accepts. It returns the bytes
// written.
func (db *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up %s: %w", db.path, err)
	}
	return n, nil
}

// maxCheckProblems bounds the problems Check reports; a badly damaged
// file would otherwise list every page.
const maxCheckProblems = 20

// Check opens the file at path read-only and verifies it (a running bot
// holds the file, so Check then reports ErrLocked; check a Backup copy
// instead): bbolt's page-level consistency check, then that every
// schedule, user, completion and check-in value decodes. It returns nil
// for a healthy file and otherwise an error wrapping ErrCorrupt (or
// ErrLocked, ErrSchemaTooNew) that lists the problems found.
//
// bbolt runs its check on a goroutine of its own, and some damaged pages
// make it panic there, which ends the process: run CheckPages first, and
// Check only when it finds nothing fatal, best in a process of its own.
func Check(path string) error {
	problems, err := CheckProblems(path)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = errors.New(p)
		}
		return fmt.Errorf("check %s: %w: %w", path, ErrCorrupt, errors.Join(errs...))
	}
	return nil
}

// CheckProblems is Check with the problems found as a list of sentences
// (at most 20). err is for what is not damage: the file is locked, missing
// or from a newer stretchbot.
func CheckProblems(path string) (problems []string, err error) {
	db, err := Open(path, Options{ReadOnly: true})
	switch {
	case errors.Is(err, ErrCorrupt):
		return []string{err.Error()}, nil
	case err != nil:
		return nil, err
	}
	defer db.Close()
	report := func(e error) {
		if len(problems) < maxCheckProblems {
			problems = append(problems, e.Error())
		}
	}
	err = guardCall(func() error {
		return db.bolt.View(func(tx *bolt.Tx) error {
			for e := range tx.Check() {
				report(e)
			}
			if len(problems) > 0 {
				return nil // decoding values of a damaged tree may fault
			}
			for _, e := range checkValues(tx) {
				report(e)
			}
			return nil
		})
	})
	if err != nil {
		report(err)
	}
	return problems, nil
}

// checkValues decodes every record value, reporting those that do not.
func checkValues(tx *bolt.Tx) []error {
	var problems []error
	report := func(err error) {
		if err != nil && len(problems) < maxCheckProblems {
			problems = append(problems, err)
		}
	}
	for _, name := range [][]byte{bucketMeta, bucketUsers, bucketSchedules, bucketByOwner, bucketByGuild,
		bucketFiredLast, bucketFiredUnsent, bucketCompletions, bucketCheckIns,
		bucketBreakClicks, bucketClicksByUser, bucketBreakCounts} {
		if tx.Bucket(name) == nil {
			report(fmt.Errorf("bucket %s is missing", name))
		}
	}
	if len(problems) > 0 {
		return problems
	}
	_ = tx.Bucket(bucketSchedules).ForEach(func(k, v []byte) error {
		_, err := decodeSchedule(k, v)
		report(err)
		return nil
	})
	_ = tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		if _, err := decodeUser(v); err != nil {
			report(fmt.Errorf("user %q: %w", k, err))
		}
		return nil
	})
	for _, b := range []struct {
		name   []byte
		fields func(d *dec)
	}{
		{bucketCompletions, func(d *dec) { d.str(); d.str() }},
		{bucketCheckIns, func(d *dec) { d.varint(); d.varint(); d.varint(); d.str() }},
	} {
		_ = tx.Bucket(b.name).ForEach(func(k, v []byte) error {
			if len(k) < 1 || len(k) != 1+int(k[0])+16 {
				report(fmt.Errorf("%s: bad key %x", b.name, k))
				return nil
			}
			d := newDec(string(b.name), v)
			b.fields(d)
			report(d.err)
			return nil
		})
	}
	return problems
}

// OpenReads returns how many read transactions are open now. A backup
// that streams at a client's pace would show here as one that never ends
// (and, once the file must grow, as writes that wait).
func (db *DB) OpenReads() int {
	return db.bolt.Stats().OpenTxN
}
