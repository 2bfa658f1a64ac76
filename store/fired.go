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

// MarkFired records the occurrences as fired, all in one transaction,
// before they are delivered: this is the exactly-once guard. result[i] is
// true when occ[i] was recorded now and false when it had been recorded
// before, or when its schedule no longer exists (deleted while due):
// deliver only the true ones. Each schedule's latest marker is kept in
// fired_last, so LastFired and ForEachSchedule read it without a scan.
func (db *DB) MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error) {
	for _, o := range occ {
		if err := checkTime("occurrence", o.At); err != nil {
			return nil, err
		}
	}
	result := make([]bool, len(occ))
	// Through Batch: workers record their occurrence right before sending,
	// and concurrent records then share one commit. The function may run
	// twice, so it starts from a clean result.
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		clear(result)
		schedules := tx.Bucket(bucketSchedules)
		fired := tx.Bucket(bucketFired)
		last := tx.Bucket(bucketFiredLast)
		for i, o := range occ {
			id := u64(o.ScheduleID)
			if schedules.Get(id) == nil {
				continue
			}
			k := appendTime(id, o.At)
			if exists(fired, k) {
				continue
			}
			if err := fired.Put(k, nil); err != nil {
				return err
			}
			// Keys compare in time order, so the later marker wins.
			if prev := last.Get(id); prev == nil || bytes.Compare(k[8:], prev) > 0 {
				if err := last.Put(id, bytes.Clone(k[8:])); err != nil {
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

// PruneFired deletes fired markers of occurrences before `before` and
// returns how many it deleted. Each schedule's latest marker is kept
// however old, so the exactly-once guard and the "last fired" time the
// scheduler arms from survive. Markers only need to outlive the grace
// period in which a missed occurrence is still sent late.
func (db *DB) PruneFired(ctx context.Context, before time.Time) (int, error) {
	n := 0
	err := db.update(ctx, func(tx *bolt.Tx) error {
		n = 0
		fired := tx.Bucket(bucketFired)
		last := tx.Bucket(bucketFiredLast)
		limit := tk(before)
		var doomed [][]byte
		c := fired.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) != 16 {
				continue
			}
			if binary.BigEndian.Uint64(k[8:]) >= limit {
				continue
			}
			if bytes.Equal(last.Get(k[:8]), k[8:]) {
				continue
			}
			doomed = append(doomed, bytes.Clone(k))
			if len(doomed)%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
		n = len(doomed)
		return deleteKeys(fired, doomed)
	})
	if err != nil {
		return 0, fmt.Errorf("prune fired markers: %w", err)
	}
	return n, nil
}

// deleteKeys deletes keys from b. Deleting while a cursor walks a bucket
// skips keys, so prunes collect first and delete after.
func deleteKeys(b *bolt.Bucket, keys [][]byte) error {
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// exists reports whether b holds key k. Get cannot tell: it returns nil
// for an empty value written earlier in the same transaction.
func exists(b *bolt.Bucket, k []byte) bool {
	found, _ := b.Cursor().Seek(k)
	return bytes.Equal(found, k)
}
