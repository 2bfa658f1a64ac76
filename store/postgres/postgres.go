// Package postgres keeps stretchbot's records in a SQL database that many
// processes share: PostgreSQL, in portable SQL that CockroachDB and
// YugabyteDB also run (no advisory locks, no LISTEN/NOTIFY, no
// PostgreSQL-only types). It meets the same contract as the bbolt store
// (store.Backend, tested by store/storetest) and adds what many processes
// need: a scheduler lease with a fencing token (lease.go) and a table of
// schedule changes for the leader to re-arm from (changes.go).
//
// The schema lives in migrations/ as SQL files, embedded in the binary and
// applied at Open by pressly/goose, under goose's table lock (a lease row,
// not an advisory lock), so processes starting together migrate once.
//
// Writes run at READ COMMITTED with row locks taken first: SELECT ... FOR
// UPDATE on the record, or on a counter row for checks that span records
// (the reminder limit). Functions passed to UpdateUser and UpdateSchedule
// therefore run exactly once, as the contract says; no transaction is
// retried behind the caller's back.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/stretchbot/stretchbot/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// IsURL reports whether a database setting names a PostgreSQL server
// rather than a bbolt file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact returns the URL without its password, for logs and errors.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Options configures Open.
type Options struct {
	// Logger receives migration progress. Default: discard.
	Logger *slog.Logger
	// ObserveTx, when set, is told how long each transaction took, by kind
	// ("view", "update"), for metrics.
	ObserveTx func(kind string, d time.Duration)
}

// DB is an open stretchbot database on a PostgreSQL-compatible server. It
// is safe for concurrent use.
type DB struct {
	pool    *pgxpool.Pool
	name    string // the URL without password
	observe func(kind string, d time.Duration)
	log     *slog.Logger
}

var _ store.Backend = (*DB)(nil)

// Open connects to the database at url (postgres://user:pass@host/db?...)
// and applies the missing migrations. It returns an error wrapping
// store.ErrSchemaTooNew when a newer stretchbot has migrated the database.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	name := Redact(url)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgx's default (4 on a small machine) caps concurrent commits,
		// and commits wait on the disk, not the CPU: allow more in flight
		// so PostgreSQL can group their flushes.
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	db := &DB{pool: pool, name: name, observe: opts.ObserveTx, log: opts.Logger}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	return db, nil
}

// SchemaVersion is the newest migration this code knows.
const SchemaVersion = 3

// migrate applies the embedded migrations under goose's table lock.
func (db *DB) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	defer sqlDB.Close()
	locker, err := lock.NewPostgresTableLocker(
		lock.WithTableName("stretchbot_migration_lock"),
		// Processes starting together wait for the first one's migration:
		// poll often, for up to two minutes.
		lock.WithTableLockTimeout(200*time.Millisecond, 600),
		lock.WithTableLogger(db.log),
	)
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithTableName("stretchbot_schema"),
		goose.WithDisableGlobalRegistry(true),
		goose.WithLocker(locker),
		goose.WithSlog(db.log),
	)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if v, err := dbVersion(ctx, p, sqlDB); err != nil {
		return err
	} else if v > SchemaVersion {
		return fmt.Errorf("%w: its schema version is %d, this stretchbot knows up to %d; upgrade stretchbot", store.ErrSchemaTooNew, v, SchemaVersion)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		db.log.Info("database migrated", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	return nil
}

// dbVersion is the schema version of the database, 0 for a new one.
func dbVersion(ctx context.Context, p *goose.Provider, sqlDB *sql.DB) (int64, error) {
	var exists bool
	err := sqlDB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'stretchbot_schema')`).Scan(&exists)
	if err != nil || !exists {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Name returns the database URL without its password.
func (db *DB) Name() string { return db.name }

// Ready reports whether the database answers.
func (db *DB) Ready() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return db.pool.Ping(ctx) == nil
}

// defaultMaxConns is the pool size when the URL sets no pool_max_conns.
const defaultMaxConns = 16

// exec runs one statement, which is its own transaction.
func (db *DB) exec(ctx context.Context, sql string, args ...any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer db.timed("update", time.Now())
	_, err := db.pool.Exec(ctx, sql, args...)
	return err
}

// update runs fn in a READ COMMITTED transaction after checking ctx.
func (db *DB) update(ctx context.Context, fn func(pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer db.timed("update", time.Now())
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, fn)
}

// view runs fn in a read-only REPEATABLE READ transaction, so that reads
// of several tables see one snapshot.
func (db *DB) view(ctx context.Context, fn func(pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer db.timed("view", time.Now())
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

func (db *DB) timed(kind string, start time.Time) {
	if db.observe != nil {
		db.observe(kind, time.Since(start))
	}
}

// ns is how times are kept in columns: Unix nanoseconds, as in bbolt's
// keys. Stored times are checked to fit (store.CheckTime); a bound beyond
// the range is clamped.
func ns(t time.Time) int64 {
	switch {
	case t.Before(minNS):
		return math.MinInt64
	case t.After(maxNS):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var minNS, maxNS = time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)

func fromNS(v int64) time.Time { return time.Unix(0, v).UTC() }

// bounds turns [from, to) with zero meaning open into column bounds.
func bounds(from, to time.Time) (lo, hi int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	if !from.IsZero() {
		lo = ns(from)
	}
	if !to.IsZero() {
		hi = ns(to)
	}
	return lo, hi
}

// errNoRows reports whether err is "no row".
func errNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
