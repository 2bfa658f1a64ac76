package postgres

import (
	"context"
	"io/fs"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store/postgres/pgtest"
)

// TestMigrateFiredToLast brings a database to schema 1, writes one fired
// row per occurrence as schema 1 did, and opens it: schema 2 keeps each
// schedule's last occurrence and nothing undelivered.
func TestMigrateFiredToLast(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Schema(t)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithTableName("stretchbot_schema"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	day := func(n int) time.Time { return time.Date(2025, 3, 10+n, 7, 30, 0, 0, time.UTC) }
	for _, id := range []int64{1, 2, 3} {
		if _, err := pool.Exec(ctx, `INSERT INTO schedules (id, owner, guild_id, kind, body) VALUES ($1, 'o', '', 0, '\x00')`, id); err != nil {
			t.Fatal(err)
		}
	}
	for n := range 30 {
		if _, err := pool.Exec(ctx, `INSERT INTO fired (schedule_id, at_ns) VALUES (1, $1)`, ns(day(n))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `INSERT INTO fired (schedule_id, at_ns) VALUES (2, $1), (2, $2)`, ns(day(5)), ns(day(3))); err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	pool.Close()

	db, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatalf("open a schema-1 database: %v", err)
	}
	defer db.Close()
	for _, tc := range []struct {
		id   uint64
		want time.Time
	}{{1, day(29)}, {2, day(5)}, {3, time.Time{}}} {
		got, err := db.LastFired(ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(tc.want) {
			t.Errorf("LastFired(%d) = %v, want %v", tc.id, got, tc.want)
		}
	}
	var rows int
	if err := db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM fired_last`).Scan(&rows); err != nil || rows != 2 {
		t.Errorf("fired_last holds %d rows (%v), want 2", rows, err)
	}
	if u, err := db.Undelivered(ctx); err != nil || len(u) != 0 {
		t.Errorf("Undelivered after migration = %v, %v", u, err)
	}
	got, err := db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: 1, At: day(29)}, {ScheduleID: 2, At: day(4)}, {ScheduleID: 2, At: day(6)}, {ScheduleID: 3, At: day(0)}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, false, true, true}; !slices.Equal(got, want) {
		t.Errorf("MarkFired after migration = %v, want %v", got, want)
	}
}
