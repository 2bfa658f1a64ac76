package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// ErrFenced means a journal write came from a process that no longer
// holds the scheduler lease (it expired, or another process took it): the
// write was refused, and the occurrences must not be sent.
var ErrFenced = errors.New("the scheduler lease is no longer held by this process")

// MarkFired records the occurrences as fired, in one transaction, before
// they are delivered. result[i] is false when occ[i] was recorded before
// or its schedule no longer exists. Without a lease it is the journal of a
// process that is alone on the database (tests, migrate); the scheduler
// leader uses Lease.Journal.
func (db *DB) MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error) {
	return db.markFired(ctx, nil, occ)
}

func (db *DB) markFired(ctx context.Context, fence *Lease, occ []stretchbot.Fired) ([]bool, error) {
	for _, o := range occ {
		if err := store.CheckTime("occurrence", o.At); err != nil {
			return nil, err
		}
	}
	result := make([]bool, len(occ))
	err := db.update(ctx, func(tx pgx.Tx) error {
		clear(result)
		if fence != nil {
			if err := fence.check(ctx, tx); err != nil {
				return err
			}
		}
		b := &pgx.Batch{}
		for _, o := range occ {
			b.Queue(`INSERT INTO fired (schedule_id, at_ns)
				SELECT id, $2 FROM schedules WHERE id = $1
				ON CONFLICT (schedule_id, at_ns) DO NOTHING`, int64(o.ScheduleID), ns(o.At))
		}
		br := tx.SendBatch(ctx, b)
		for i := range occ {
			tag, err := br.Exec()
			if err != nil {
				br.Close()
				return err
			}
			result[i] = tag.RowsAffected() == 1
		}
		return br.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("mark %d occurrences fired: %w", len(occ), err)
	}
	return result, nil
}

// LastFired returns the latest occurrence of the schedule recorded by
// MarkFired, or the zero time if none was.
func (db *DB) LastFired(ctx context.Context, scheduleID uint64) (time.Time, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, err
	}
	var last *int64
	if err := db.pool.QueryRow(ctx, `SELECT MAX(at_ns) FROM fired WHERE schedule_id = $1`, int64(scheduleID)).Scan(&last); err != nil {
		return time.Time{}, fmt.Errorf("last fired of schedule %d: %w", scheduleID, err)
	}
	if last == nil {
		return time.Time{}, nil
	}
	return fromNS(*last), nil
}

// PruneFired deletes fired markers of occurrences before `before`, except
// each schedule's latest, and returns how many it deleted. It works in
// chunks, so it never holds many rows locked.
func (db *DB) PruneFired(ctx context.Context, before time.Time) (int, error) {
	n, err := db.deleteChunked(ctx, `DELETE FROM fired WHERE (schedule_id, at_ns) IN (
		SELECT f.schedule_id, f.at_ns FROM fired f
		WHERE f.at_ns < $1 AND f.at_ns < (SELECT MAX(g.at_ns) FROM fired g WHERE g.schedule_id = f.schedule_id)
		LIMIT 10000)`, ns(before))
	if err != nil {
		return n, fmt.Errorf("prune fired markers: %w", err)
	}
	return n, nil
}
