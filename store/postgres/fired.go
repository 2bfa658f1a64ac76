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
// they are sent (store/fired.go has the contract). result[i] is true when
// occ[i] is after its schedule's last recorded occurrence; false when it
// is not, or its schedule no longer exists. Without a lease it is the
// journal of a process that is alone on the database (tests, migrate); the
// scheduler leader uses Lease.Journal.
func (db *DB) MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error) {
	return db.markFired(ctx, nil, occ)
}

func (db *DB) markFired(ctx context.Context, fence *Lease, occ []stretchbot.Fired) ([]bool, error) {
	for _, o := range occ {
		if err := store.CheckTime("occurrence", o.At); err != nil {
			return nil, err
		}
		if !o.Sent.IsZero() {
			if err := store.CheckTime("send", o.Sent); err != nil {
				return nil, err
			}
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
		// In order: a later occurrence of the same schedule in occ sees
		// the earlier one's row. The row lock of ON CONFLICT DO UPDATE
		// makes concurrent callers take turns, so one of them wins.
		b := &pgx.Batch{}
		for _, o := range occ {
			b.Queue(`INSERT INTO fired_last (schedule_id, at_ns)
				SELECT id, $2 FROM schedules WHERE id = $1
				ON CONFLICT (schedule_id) DO UPDATE SET at_ns = excluded.at_ns
				WHERE fired_last.at_ns < excluded.at_ns`, int64(o.ScheduleID), ns(o.At))
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
		if err := br.Close(); err != nil {
			return err
		}
		unsent := &pgx.Batch{}
		for i, o := range occ {
			if result[i] && !o.Sent.IsZero() {
				unsent.Queue(`INSERT INTO fired_unsent (schedule_id, at_ns, sent_ns) VALUES ($1, $2, $3)
					ON CONFLICT (schedule_id, at_ns) DO NOTHING`, int64(o.ScheduleID), ns(o.At), ns(o.Sent))
			}
		}
		if unsent.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, unsent).Close()
	})
	if err != nil {
		return nil, fmt.Errorf("mark %d occurrences fired: %w", len(occ), err)
	}
	return result, nil
}

// MarkDelivered settles occurrences recorded by MarkFired, so they are
// not sent again after a restart or a change of leader. Unknown or settled
// ones are ignored. It needs no lease: settling a send that did happen is
// right whoever holds the lease now.
func (db *DB) MarkDelivered(ctx context.Context, occ []stretchbot.Fired) error {
	if len(occ) == 0 {
		return nil
	}
	err := db.update(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, o := range occ {
			b.Queue(`DELETE FROM fired_unsent WHERE schedule_id = $1 AND at_ns = $2`, int64(o.ScheduleID), ns(o.At))
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("mark %d occurrences delivered: %w", len(occ), err)
	}
	return nil
}

// Undelivered returns the occurrences recorded for sending and not settled
// since, by schedule and time.
func (db *DB) Undelivered(ctx context.Context) ([]stretchbot.Fired, error) {
	var out []stretchbot.Fired
	err := db.view(ctx, func(tx pgx.Tx) error {
		out = out[:0]
		rows, err := tx.Query(ctx, `SELECT schedule_id, at_ns, sent_ns FROM fired_unsent ORDER BY schedule_id, at_ns`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var id, at, sent int64
		for rows.Next() {
			if err := rows.Scan(&id, &at, &sent); err != nil {
				return err
			}
			out = append(out, stretchbot.Fired{ScheduleID: uint64(id), At: fromNS(at), Sent: fromNS(sent)})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list undelivered occurrences: %w", err)
	}
	return out, nil
}

// LastFired returns the latest occurrence of the schedule recorded by
// MarkFired, or the zero time if none was.
func (db *DB) LastFired(ctx context.Context, scheduleID uint64) (time.Time, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, err
	}
	var last int64
	err := db.pool.QueryRow(ctx, `SELECT at_ns FROM fired_last WHERE schedule_id = $1`, int64(scheduleID)).Scan(&last)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, fmt.Errorf("last fired of schedule %d: %w", scheduleID, err)
	}
	return fromNS(last), nil
}
