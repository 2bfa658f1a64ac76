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

// The fired journal is the scheduler's exactly-once guard (the
// scheduler.Journal interface). Its size follows the number of schedules,
// never the time the bot has run:
//
//   - fired_last holds, per schedule, the last occurrence recorded as fired
//     (key id(8), value time(8)). Occurrences of one schedule are recorded in
//     time order, so "recorded before" is "not after the last one".
//   - fired_unsent holds the occurrences recorded for sending and not yet
//     settled (key id(8)+at(8), value the time of the first send(8)): sent or
//     being sent, with no word yet that Discord has them. Entries leave when
//     delivery settles, so it holds about as many as are in flight. After a
//     crash the scheduler sends these again with the same Discord nonce.
//
// What every backend must guarantee, and store/storetest checks:
//
//   - MarkFired is atomic and durable when it returns: all of one call's
//     occurrences are recorded, or none.
//   - Exactly one caller learns that an occurrence is new: concurrent calls
//     with the same occurrence get true once between them.
//   - An occurrence not after its schedule's last recorded one is never new,
//     and the last recorded one never moves back.
//   - An occurrence of a schedule that does not exist is never new (the
//     schedule was deleted while it was due).
//   - Occurrences recorded with a Sent time stay in Undelivered until
//     MarkDelivered names them or their schedule is deleted; those recorded
//     without one (skipped) never appear there.
//   - Deleting a schedule deletes its entries in both.

// MarkFired records the occurrences as fired, all in one transaction,
// before they are sent: this is the exactly-once guard. result[i] is true
// when occ[i] is new: after its schedule's last recorded occurrence
// (including earlier ones in occ). It is false when it is not, or when the
// schedule no longer exists; only the true ones may be sent. An occurrence
// with a Sent time is also kept as undelivered until MarkDelivered.
func (db *DB) MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error) {
	for _, o := range occ {
		if err := checkTime("occurrence", o.At); err != nil {
			return nil, err
		}
		if !o.Sent.IsZero() {
			if err := checkTime("send", o.Sent); err != nil {
				return nil, err
			}
		}
	}
	result := make([]bool, len(occ))
	// Through Batch: concurrent records share one commit. The function may
	// run twice, so it starts from a clean result.
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		clear(result)
		schedules := tx.Bucket(bucketSchedules)
		last := tx.Bucket(bucketFiredLast)
		unsent := tx.Bucket(bucketFiredUnsent)
		for i, o := range occ {
			id := u64(o.ScheduleID)
			if schedules.Get(id) == nil {
				continue
			}
			at := appendTime(nil, o.At)
			if prev := last.Get(id); prev != nil && bytes.Compare(at, prev) <= 0 {
				continue
			}
			if err := last.Put(id, at); err != nil {
				return err
			}
			if !o.Sent.IsZero() {
				if err := unsent.Put(appendTime(id, o.At), appendTime(nil, o.Sent)); err != nil {
					return err
				}
			}
			result[i] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mark %d occurrences fired: %w", len(occ), err)
	}
	return result, nil
}

// MarkDelivered settles occurrences recorded by MarkFired: Discord has them
// (or they failed for good), so they are not sent again after a restart.
// Unknown or already settled ones are ignored. Losing a call (a crash
// first) costs only a resend that Discord's nonce turns into the same
// message, so callers may batch these.
func (db *DB) MarkDelivered(ctx context.Context, occ []stretchbot.Fired) error {
	if len(occ) == 0 {
		return nil
	}
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		unsent := tx.Bucket(bucketFiredUnsent)
		for _, o := range occ {
			if err := unsent.Delete(appendTime(u64(o.ScheduleID), o.At)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark %d occurrences delivered: %w", len(occ), err)
	}
	return nil
}

// Undelivered returns the occurrences recorded for sending and not settled
// since, by schedule and time: what a crash may have left unsent. It reads
// only those, not one record per schedule.
func (db *DB) Undelivered(ctx context.Context) ([]stretchbot.Fired, error) {
	var out []stretchbot.Fired
	err := db.view(ctx, func(tx *bolt.Tx) error {
		out = out[:0]
		return tx.Bucket(bucketFiredUnsent).ForEach(func(k, v []byte) error {
			if len(k) != 16 || len(v) != 8 {
				return fmt.Errorf("%w: bad undelivered occurrence %x", ErrCorrupt, k)
			}
			out = append(out, stretchbot.Fired{ScheduleID: binary.BigEndian.Uint64(k), At: timeFromKey(k[8:]), Sent: timeFromKey(v)})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list undelivered occurrences: %w", err)
	}
	return out, nil
}

// LastFired returns the latest occurrence of the schedule recorded by
// MarkFired, or the zero time if none was (also for unknown schedules).
func (db *DB) LastFired(ctx context.Context, scheduleID uint64) (time.Time, error) {
	var t time.Time
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketFiredLast).Get(u64(scheduleID)); len(v) == 8 {
			t = timeFromKey(v)
		}
		return nil
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("last fired of schedule %d: %w", scheduleID, err)
	}
	return t, nil
}

// migrateFiredToLast is schema 2: the journal keeps only each schedule's
// last fired occurrence. Schema 1 also kept one marker per occurrence
// (bucket "fired", key id(8)+time(8)), pruned after 30 days, so it grew
// with time. fired_last already held each schedule's latest marker (both
// were written in the same transaction); any later marker is folded in,
// for safety, before the old bucket goes. The walk visits one key per
// schedule (a seek to each schedule's last marker), not every marker.
// Old occurrences were sent at most once and without a nonce: none is
// undelivered in the new sense, so fired_unsent starts empty.
func migrateFiredToLast(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketFiredUnsent); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketFiredUnsent, err)
	}
	fired := tx.Bucket(bucketFiredV1)
	if fired == nil {
		return nil
	}
	schedules := tx.Bucket(bucketSchedules)
	last := tx.Bucket(bucketFiredLast)
	c := fired.Cursor()
	k, _ := c.Last()
	for k != nil {
		if len(k) < 8 {
			return fmt.Errorf("%w: bad fired marker %x", ErrCorrupt, k)
		}
		id := bytes.Clone(k[:8])
		if len(k) == 16 && schedules.Get(id) != nil {
			if prev := last.Get(id); prev == nil || bytes.Compare(k[8:], prev) > 0 {
				if err := last.Put(id, bytes.Clone(k[8:])); err != nil {
					return err
				}
			}
		}
		// The previous schedule's last marker is the key just before this
		// schedule's first.
		c.Seek(id)
		k, _ = c.Prev()
	}
	if err := tx.DeleteBucket(bucketFiredV1); err != nil {
		return fmt.Errorf("delete bucket %s: %w", bucketFiredV1, err)
	}
	return nil
}
