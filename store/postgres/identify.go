package postgres

import (
	"context"
	"fmt"
	"time"
)

// WaitIdentify blocks until this process may identify one gateway shard
// in the max_concurrency bucket (shard_id % max_concurrency), and claims
// the bucket for `every` (Discord allows one identify per bucket per 5
// seconds, across every process of the bot). The claim is one conditional
// UPDATE, so processes never need to agree on the time.
func (db *DB) WaitIdentify(ctx context.Context, bucket int, every time.Duration) error {
	if _, err := db.pool.Exec(ctx, `INSERT INTO identify_buckets (bucket, next_at)
		VALUES ($1, TIMESTAMPTZ '1970-01-01 00:00:00+00') ON CONFLICT (bucket) DO NOTHING`, bucket); err != nil {
		return fmt.Errorf("identify bucket %d: %w", bucket, err)
	}
	for {
		tag, err := db.pool.Exec(ctx, `UPDATE identify_buckets SET next_at = CURRENT_TIMESTAMP + CAST($2 AS INTERVAL)
			WHERE bucket = $1 AND next_at <= CURRENT_TIMESTAMP`, bucket, interval(every))
		if err != nil {
			return fmt.Errorf("identify bucket %d: %w", bucket, err)
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		var wait float64
		if err := db.pool.QueryRow(ctx, `SELECT EXTRACT(EPOCH FROM (next_at - CURRENT_TIMESTAMP)) FROM identify_buckets WHERE bucket = $1`, bucket).Scan(&wait); err != nil {
			return fmt.Errorf("identify bucket %d: %w", bucket, err)
		}
		d := min(max(time.Duration(wait*float64(time.Second)), 50*time.Millisecond), every)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
