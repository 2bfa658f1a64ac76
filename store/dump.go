package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/stretchbot/stretchbot"
)

// Sink receives every record of a database, one call each, for moving it
// to another backend (stretchbot migrate). Schedules come with their IDs,
// which the other records refer to.
type Sink interface {
	// ScheduleSequence is the highest schedule ID ever given (deleted ones
	// included), so the other backend never gives one out again.
	ScheduleSequence(last uint64) error
	User(u stretchbot.User) error
	Schedule(s stretchbot.Schedule, lastFired time.Time) error
	// Unsettled is an occurrence sent and not yet known to be delivered
	// (store.Undelivered); the next leader resends it with the same nonce.
	Unsettled(f stretchbot.Fired) error
	Completion(c stretchbot.Completion) error
	CheckIn(r stretchbot.CheckInRecord) error
	BreakClick(c BreakClick) error
}

// BreakClick is one "I did it" on one occurrence of a channel break.
type BreakClick struct {
	ScheduleID uint64
	Occurrence time.Time
	UserID     string
	At         time.Time
}

// Dump hands every record to sink from one read transaction: users,
// schedules with their last fired occurrence, completions, check-ins and
// break clicks, each kind in key order. sink's error stops it and is
// returned unchanged.
func (db *DB) Dump(ctx context.Context, sink Sink) error {
	var sinkErr error
	call := func(err error) error {
		if err != nil {
			sinkErr = err
		}
		return err
	}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if err := call(sink.ScheduleSequence(tx.Bucket(bucketSchedules).Sequence())); err != nil {
			return err
		}
		if err := tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			u, err := decodeUser(v)
			if err != nil {
				return fmt.Errorf("user %q: %w", k, err)
			}
			u.ID = string(k)
			return call(sink.User(u))
		}); err != nil {
			return err
		}
		last := tx.Bucket(bucketFiredLast)
		if err := tx.Bucket(bucketSchedules).ForEach(func(k, v []byte) error {
			s, err := decodeSchedule(k, v)
			if err != nil {
				return err
			}
			var lf time.Time
			if at := last.Get(k); len(at) == 8 {
				lf = timeFromKey(at)
			}
			return call(sink.Schedule(s, lf))
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketFiredUnsent).ForEach(func(k, v []byte) error {
			if len(k) != 16 || len(v) != 8 {
				return fmt.Errorf("%w: bad undelivered occurrence %x", ErrCorrupt, k)
			}
			return call(sink.Unsettled(stretchbot.Fired{ScheduleID: binary.BigEndian.Uint64(k), At: timeFromKey(k[8:]), Sent: timeFromKey(v)}))
		}); err != nil {
			return err
		}
		if err := forEachUserRecord(tx.Bucket(bucketCompletions), func(user string, at time.Time, v []byte) error {
			d := newDec("completion", v)
			c := stretchbot.Completion{UserID: user, At: at, StretchID: d.str(), Source: stretchbot.CompletionSource(d.str())}
			if d.err != nil {
				return d.err
			}
			return call(sink.Completion(c))
		}); err != nil {
			return err
		}
		if err := forEachUserRecord(tx.Bucket(bucketCheckIns), func(user string, at time.Time, v []byte) error {
			d := newDec("check-in", v)
			r := stretchbot.CheckInRecord{UserID: user, At: at, Age: stretchbot.AgeBand(d.varint()), Pain: int(d.varint()), Tier: stretchbot.Tier(d.varint()), RuleVersion: d.str()}
			if d.err != nil {
				return d.err
			}
			return call(sink.CheckIn(r))
		}); err != nil {
			return err
		}
		// break_clicks: id(8) occurrence(8) lp(user) → at(8)
		return tx.Bucket(bucketBreakClicks).ForEach(func(k, v []byte) error {
			if len(k) < 17 || int(k[16]) != len(k)-17 || len(v) != 8 {
				return fmt.Errorf("%w: bad break click %x", ErrCorrupt, k)
			}
			return call(sink.BreakClick(BreakClick{
				ScheduleID: binary.BigEndian.Uint64(k), Occurrence: timeFromKey(k[8:16]),
				UserID: string(k[17:]), At: timeFromKey(v),
			}))
		})
	})
	if sinkErr != nil {
		return sinkErr
	}
	if err != nil {
		return fmt.Errorf("dump %s: %w", db.path, err)
	}
	return nil
}

// forEachUserRecord walks a bucket keyed lp(user) at(8) seq(8).
func forEachUserRecord(b *bolt.Bucket, fn func(user string, at time.Time, v []byte) error) error {
	return b.ForEach(func(k, v []byte) error {
		if len(k) < 1 || len(k) != 1+int(k[0])+16 {
			return fmt.Errorf("%w: bad record key %x", ErrCorrupt, k)
		}
		n := 1 + int(k[0])
		return fn(string(k[1:n]), timeFromKey(k[n:n+8]), v)
	})
}
