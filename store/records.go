package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
	bolt "go.etcd.io/bbolt"
)

// AddCompletion stores one stretch a user did, counts it in their
// Progress and moves their rotation past it (User.Remember), all in one
// transaction. Calls from many
// interactions at once share commits (bbolt Batch), which is what keeps
// thousands of "Done" clicks a second cheap. It returns EINVALID for a
// completion without a user or time.
func (db *DB) AddCompletion(ctx context.Context, c stretchbot.Completion) error {
	if err := checkID("user", c.UserID); err != nil {
		return err
	}
	if err := checkTime("completion", c.At); err != nil {
		return err
	}
	err := db.batch(ctx, func(tx *bolt.Tx) error { return addCompletion(tx, c) })
	if err != nil {
		return fmt.Errorf("add completion for %s: %w", c.UserID, err)
	}
	return nil
}

// AddCompletions stores many completions in one transaction: an import,
// or the history a benchmark starts from. Each is checked as
// AddCompletion checks it, and none is stored if one is refused.
func (db *DB) AddCompletions(ctx context.Context, cs []stretchbot.Completion) error {
	for _, c := range cs {
		if err := checkID("user", c.UserID); err != nil {
			return err
		}
		if err := checkTime("completion", c.At); err != nil {
			return err
		}
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		users := map[string]bool{}
		for _, c := range cs {
			if err := putCompletion(tx, c); err != nil {
				return err
			}
			users[c.UserID] = true
		}
		// Once per person, from the whole history: cheaper than one
		// update per completion, and right in any order.
		for id := range users {
			if err := rebuildProgress(tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add %d completions: %w", len(cs), err)
	}
	return nil
}

// addCompletion stores c, counts it in its user's Progress and moves
// their rotation past its stretch, in the same transaction.
func addCompletion(tx *bolt.Tx, c stretchbot.Completion) error {
	if err := putCompletion(tx, c); err != nil {
		return err
	}
	u, err := getUser(tx, c.UserID)
	if err != nil {
		return err
	}
	if c.StretchID != "" {
		u.Remember(c.StretchID)
	}
	// A user without a summary has completions from before summaries
	// existed (or none): build it from the history, this once.
	if u.Progress == nil || !u.Progress.Add(c, stretchbot.DayOf(c.At, u.Location()), u.Away) {
		if err := putUser(tx, u); err != nil {
			return err
		}
		return rebuildProgress(tx, c.UserID)
	}
	return putUser(tx, u)
}

// rebuildProgress sums up the user's whole history into their Progress.
func rebuildProgress(tx *bolt.Tx, userID string) error {
	u, err := getUser(tx, userID)
	if err != nil {
		return err
	}
	history, err := completionsIn(tx, userID, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	p := stretchbot.BuildProgress(history, u.Location(), u.Away)
	u.Progress = &p
	return putUser(tx, u)
}

func putCompletion(tx *bolt.Tx, c stretchbot.Completion) error {
	b := tx.Bucket(bucketCompletions)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	k := binary.BigEndian.AppendUint64(appendTime(lp(c.UserID), c.At), seq)
	e := newEnc()
	e.str(c.StretchID)
	e.str(string(c.Source))
	return b.Put(k, e.b)
}

// Completions returns the user's completions with from <= At < to, oldest
// first. A zero from or to leaves that side unbounded.
func (db *DB) Completions(ctx context.Context, userID string, from, to time.Time) ([]stretchbot.Completion, error) {
	if err := checkID("user", userID); err != nil {
		return nil, err
	}
	var out []stretchbot.Completion
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = completionsIn(tx, userID, from, to)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list completions of %s: %w", userID, err)
	}
	return out, nil
}

func completionsIn(tx *bolt.Tx, userID string, from, to time.Time) ([]stretchbot.Completion, error) {
	var out []stretchbot.Completion
	err := scanUserTimes(tx.Bucket(bucketCompletions), userID, from, to, func(at time.Time, v []byte) error {
		d := newDec("completion", v)
		c := stretchbot.Completion{UserID: userID, At: at, StretchID: d.str(), Source: stretchbot.CompletionSource(d.str())}
		if d.err != nil {
			return d.err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// AddCheckIn stores the minimum a check-in may keep (CHECKIN.md,
// Privacy): time, age band, pain, tier and rule version.
func (db *DB) AddCheckIn(ctx context.Context, r stretchbot.CheckInRecord) error {
	if err := checkID("user", r.UserID); err != nil {
		return err
	}
	if err := checkTime("check-in", r.At); err != nil {
		return err
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCheckIns)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		k := binary.BigEndian.AppendUint64(appendTime(lp(r.UserID), r.At), seq)
		e := newEnc()
		e.varint(int64(r.Age))
		e.varint(int64(r.Pain))
		e.varint(int64(r.Tier))
		e.str(r.RuleVersion)
		return b.Put(k, e.b)
	})
	if err != nil {
		return fmt.Errorf("add check-in for %s: %w", r.UserID, err)
	}
	return nil
}

// CheckIns returns every stored check-in of the user, oldest first.
func (db *DB) CheckIns(ctx context.Context, userID string) ([]stretchbot.CheckInRecord, error) {
	if err := checkID("user", userID); err != nil {
		return nil, err
	}
	var out []stretchbot.CheckInRecord
	err := db.view(ctx, func(tx *bolt.Tx) error {
		out = nil
		return scanUserTimes(tx.Bucket(bucketCheckIns), userID, time.Time{}, time.Time{}, func(at time.Time, v []byte) error {
			d := newDec("check-in", v)
			r := stretchbot.CheckInRecord{
				UserID: userID, At: at,
				Age: stretchbot.AgeBand(d.varint()), Pain: int(d.varint()), Tier: stretchbot.Tier(d.varint()),
				RuleVersion: d.str(),
			}
			if d.err != nil {
				return d.err
			}
			out = append(out, r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list check-ins of %s: %w", userID, err)
	}
	return out, nil
}

// PruneCheckIns deletes every check-in with At strictly before `before`
// (the 90-day sweeper passes now minus 90 days) and returns how many. It
// runs in chunks (see prune), so other writes go on meanwhile.
func (db *DB) PruneCheckIns(ctx context.Context, before time.Time) (int, error) {
	limit := tk(before)
	n, err := db.prune(ctx, bucketCheckIns, func(k []byte) (bool, error) {
		// lp(user) at(8) seq(8)
		if len(k) < 1 || len(k) != 1+int(k[0])+16 {
			return false, fmt.Errorf("%w: bad check-in key", ErrCorrupt)
		}
		return binary.BigEndian.Uint64(k[1+int(k[0]):]) < limit, nil
	})
	if err != nil {
		return n, fmt.Errorf("prune check-ins: %w", err)
	}
	return n, nil
}

// pruneChunk is how many keys one write transaction of a background prune
// deletes: a few milliseconds of holding bbolt's single write lock, so
// sends and clicks never wait long behind a sweep (a variable for tests).
var pruneChunk = 1000

// prune deletes the keys of bucket name for which doomed says so, and
// returns how many. Keys are found in read transactions and deleted in
// write transactions of at most pruneChunk keys each, resuming after the
// last key looked at, so a sweep over a large bucket never holds the write
// lock for long. Keys written meanwhile are judged by the next sweep.
func (db *DB) prune(ctx context.Context, name []byte, doomed func(k []byte) (bool, error)) (int, error) {
	var from []byte
	n := 0
	for {
		var keys [][]byte
		var next []byte
		err := db.view(ctx, func(tx *bolt.Tx) error {
			keys, next = keys[:0], nil
			c := tx.Bucket(name).Cursor()
			k, _ := c.First()
			if from != nil {
				k, _ = c.Seek(from)
			}
			for ; k != nil; k, _ = c.Next() {
				if len(keys) == pruneChunk {
					next = bytes.Clone(k)
					return nil
				}
				ok, err := doomed(k)
				if err != nil {
					return err
				}
				if ok {
					keys = append(keys, bytes.Clone(k))
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		if len(keys) > 0 {
			err := db.update(ctx, func(tx *bolt.Tx) error {
				b := tx.Bucket(name)
				for _, k := range keys {
					if err := b.Delete(k); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return n, err
			}
			n += len(keys)
		}
		if next == nil {
			return n, nil
		}
		from = next
	}
}

// scanUserTimes calls fn for each record of b keyed lp(user) at(8) seq(8)
// with from <= at < to, in order; zero bounds are open.
func scanUserTimes(b *bolt.Bucket, userID string, from, to time.Time, fn func(at time.Time, v []byte) error) error {
	prefix := lp(userID)
	start := prefix
	if !from.IsZero() {
		start = appendTime(bytes.Clone(prefix), from)
	}
	c := b.Cursor()
	for k, v := c.Seek(start); hasPrefixKey(k, prefix); k, v = c.Next() {
		if len(k) != len(prefix)+16 {
			return fmt.Errorf("%w: bad record key", ErrCorrupt)
		}
		tb := k[len(prefix) : len(prefix)+8]
		if !to.IsZero() && binary.BigEndian.Uint64(tb) >= tk(to) {
			break
		}
		if err := fn(timeFromKey(tb), v); err != nil {
			return err
		}
	}
	return nil
}
