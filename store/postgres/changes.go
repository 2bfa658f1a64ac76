package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot"
)

// Every transaction that writes a schedule also writes a row to the
// changes table, so the scheduler leader, whichever process it is, learns
// of schedules set, edited or removed in any process. Rows carry the
// database's time; the leader reads a trailing window of them (see
// RecentChanges) rather than "everything after the last sequence number",
// because sequence numbers are handed out at insert and committed in any
// order: a reader that only moved forward could step over a row that a
// slower transaction commits later.

func changed(ctx context.Context, tx pgx.Tx, id uint64) error {
	_, err := tx.Exec(ctx, `INSERT INTO changes (schedule_id) VALUES ($1)`, int64(id))
	return err
}

func changedMany(ctx context.Context, tx pgx.Tx, ids []uint64) error {
	if len(ids) == 1 {
		return changed(ctx, tx, ids[0])
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"changes"}, []string{"schedule_id"},
		pgx.CopyFromSlice(len(ids), func(i int) ([]any, error) { return []any{int64(ids[i])}, nil }))
	return err
}

// Change is one schedule write.
type Change struct {
	Seq        int64
	ScheduleID uint64
}

// RecentChanges returns the changes written in the last `window` by the
// database's clock, in sequence order. A reader calls it often with a
// window much longer than its period and skips the sequence numbers it has
// seen: then a transaction that commits late (up to the window) is still
// seen.
func (db *DB) RecentChanges(ctx context.Context, window time.Duration) ([]Change, error) {
	rows, err := db.pool.Query(ctx, `SELECT seq, schedule_id FROM changes
		WHERE created_at > CURRENT_TIMESTAMP - CAST($1 AS INTERVAL) ORDER BY seq`, interval(window))
	if err != nil {
		return nil, fmt.Errorf("read schedule changes: %w", err)
	}
	var (
		out []Change
		c   Change
		id  int64
	)
	_, err = pgx.ForEachRow(rows, []any{&c.Seq, &id}, func() error {
		c.ScheduleID = uint64(id)
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read schedule changes: %w", err)
	}
	return out, nil
}

// PruneChanges deletes changes older than `age` by the database's clock.
func (db *DB) PruneChanges(ctx context.Context, age time.Duration) (int, error) {
	n, err := db.deleteChunked(ctx, `DELETE FROM changes WHERE seq IN
		(SELECT seq FROM changes WHERE created_at < CURRENT_TIMESTAMP - CAST($1 AS INTERVAL) LIMIT 10000)`, interval(age))
	if err != nil {
		return n, fmt.Errorf("prune schedule changes: %w", err)
	}
	return n, nil
}

// ScheduleToArm returns the schedule id with its latest fired occurrence,
// and false when it no longer exists: what the leader needs to re-arm one
// changed schedule.
func (db *DB) ScheduleToArm(ctx context.Context, id uint64) (s stretchbot.Schedule, lastFired time.Time, ok bool, err error) {
	s, err = db.Schedule(ctx, id)
	if err != nil {
		if stretchbot.ErrorCode(err) == stretchbot.ENOTFOUND {
			return stretchbot.Schedule{}, time.Time{}, false, nil
		}
		return stretchbot.Schedule{}, time.Time{}, false, err
	}
	if lastFired, err = db.LastFired(ctx, id); err != nil {
		return stretchbot.Schedule{}, time.Time{}, false, err
	}
	return s, lastFired, true, nil
}

// interval writes a duration as an SQL interval literal every engine
// reads.
func interval(d time.Duration) string { return fmt.Sprintf("%d milliseconds", d.Milliseconds()) }
