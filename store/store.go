package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Sentinel errors of Open and Check; test for them with errors.Is.
var (
	// ErrLocked means another process (or another DB in this process) has
	// the file open.
	ErrLocked = errors.New("database is in use by another process")
	// ErrCorrupt means the file is not a stretchbot database or is damaged.
	ErrCorrupt = errors.New("the file is not a stretchbot database or is damaged")
	// ErrSchemaTooNew means the file was written by a newer stretchbot.
	ErrSchemaTooNew = errors.New("the database was written by a newer version of stretchbot")
	// ErrReadOnlyFS means the file cannot be opened for writing because
	// its file system is mounted read-only; the file itself may be fine.
	ErrReadOnlyFS = errors.New("the file system holding the database is read-only")
)

// DefaultTimeout is how long Open waits for a file another process holds.
const DefaultTimeout = time.Second

// Options configures Open.
type Options struct {
	// Timeout bounds the wait for the file lock; zero means DefaultTimeout.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock and allows no writes; the
	// file must exist and be at the current schema version.
	ReadOnly bool
	// ObserveTx, when set, is told how long each transaction took, by kind
	// ("view", "update", "batch", and "scrub" for ScrubFreePages' write
	// transaction), for metrics.
	ObserveTx func(kind string, d time.Duration)
}

// DB is an open stretchbot database. It is safe for concurrent use.
type DB struct {
	bolt    *bolt.DB
	path    string
	observe func(kind string, d time.Duration)
	// readers is held shared by every read transaction, so that
	// ScrubFreePages can start its own at a moment when none is open
	// (see scrub.go).
	readers sync.RWMutex
	// batching counts the batch calls in flight (see batch).
	batching atomic.Int64
}

// Bucket names. They are stored in the file; never rename one.
var (
	bucketMeta        = []byte("meta")
	bucketUsers       = []byte("users")
	bucketSchedules   = []byte("schedules")
	bucketByOwner     = []byte("schedules_by_owner")
	bucketByGuild     = []byte("schedules_by_guild")
	bucketFiredLast   = []byte("fired_last")
	bucketFiredUnsent = []byte("fired_unsent")
	// bucketFiredV1 held one marker per fired occurrence until schema 2.
	bucketFiredV1      = []byte("fired")
	bucketCompletions  = []byte("completions")
	bucketCheckIns     = []byte("checkins")
	bucketBreakClicks  = []byte("break_clicks")
	bucketClicksByUser = []byte("break_clicks_by_user")
	bucketBreakCounts  = []byte("break_counts")

	keySchema = []byte("schema")
)

// migration upgrades the file by one schema version. It runs in the
// transaction that also records the new version.
type migration struct {
	name string
	up   func(tx *bolt.Tx) error
}

// migrations returns every migration in order; schema version N means the
// first N have been applied. Only append.
func migrations() []migration {
	return []migration{
		{"create the buckets of schema 1", func(tx *bolt.Tx) error {
			for _, name := range [][]byte{
				bucketMeta, bucketUsers, bucketSchedules, bucketByOwner, bucketByGuild,
				bucketFiredV1, bucketFiredLast, bucketCompletions, bucketCheckIns,
				bucketBreakClicks, bucketClicksByUser, bucketBreakCounts,
			} {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return fmt.Errorf("create bucket %s: %w", name, err)
				}
			}
			return nil
		}},
		{"keep only the last fired occurrence of each schedule", migrateFiredToLast},
	}
}

// SchemaVersion is the schema version this code reads and writes: the
// number of migrations (a test keeps the two equal).
const SchemaVersion = 2

// Open opens the database at path, creating it (and applying migrations)
// when it does not exist or is an empty file. It returns an error wrapping
// ErrLocked when the file is held by another process for longer than
// opts.Timeout, ErrCorrupt when the file is not a stretchbot database or is
// damaged (the file is then left untouched), and ErrSchemaTooNew when a
// newer stretchbot wrote it.
func Open(path string, opts Options) (*DB, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if path == "" {
		return nil, errors.New("open database: no path given")
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open database %s: the directory %s does not exist", path, dir)
		}
		return nil, fmt.Errorf("open database %s: %w", path, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("open database %s: %s is not a directory", path, dir)
	}

	fi, err := os.Stat(path)
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open database %s: %w", path, err)
	case err != nil && opts.ReadOnly:
		return nil, fmt.Errorf("open database %s read-only: the file does not exist", path)
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("open database %s: it is a directory, not a file", path)
	case err == nil && fi.Size() == 0 && opts.ReadOnly:
		return nil, fmt.Errorf("open database %s: %w (the file is empty)", path, ErrCorrupt)
	case err == nil && fi.Size() > 0 && !opts.ReadOnly:
		// Inspect through a read-only handle first: a read-write Open may
		// write to the file (bbolt syncs its freelist), and a file that is
		// not ours must stay exactly as it is.
		start := time.Now()
		ro, err := openBolt(path, true, opts.Timeout)
		if err != nil {
			return nil, err
		}
		err = inspect(ro, path)
		if cerr := ro.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("open database %s: %w", path, cerr)
		}
		if err != nil {
			return nil, err
		}
		// The two opens share one timeout budget.
		if opts.Timeout -= time.Since(start); opts.Timeout < 10*time.Millisecond {
			opts.Timeout = 10 * time.Millisecond
		}
	}

	bdb, err := openBolt(path, opts.ReadOnly, opts.Timeout)
	if err != nil {
		return nil, err
	}
	db := &DB{bolt: bdb, path: path, observe: opts.ObserveTx}
	if opts.ReadOnly {
		err = inspect(bdb, path)
		if err == nil {
			err = db.requireCurrent()
		}
	} else {
		err = db.migrate()
	}
	if err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// openBolt opens the file with bbolt, turning its errors (and panics on
// damaged files) into ours.
func openBolt(path string, readOnly bool, timeout time.Duration) (bdb *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			bdb, err = nil, fmt.Errorf("open database %s: %w (%v)", path, ErrCorrupt, r)
		}
	}()
	bdb, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout:  timeout,
		ReadOnly: readOnly,
		// The hashmap freelist stays fast on big files with many free pages.
		FreelistType: bolt.FreelistMapType,
	})
	return bdb, openError(path, err, timeout)
}

// openError turns an error of bolt.Open into ours; nil stays nil.
func openError(path string, err error, timeout time.Duration) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("open database %s: %w", path, ErrReadOnlyFS)
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("open database %s: %w (waited %v for its lock)", path, ErrLocked, timeout)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("open database %s: %w", path, err)
	default:
		// ErrInvalid, ErrChecksum, ErrVersionMismatch, "file size too
		// small", mmap failures: all mean the bytes are not a usable
		// bbolt file.
		return fmt.Errorf("open database %s: %w (%v)", path, ErrCorrupt, err)
	}
}

// inspect checks, without writing, that an open bbolt file is a stretchbot
// database this code can use (or an empty bbolt file).
func inspect(bdb *bolt.DB, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("inspect database %s: %w", path, err)
	}
	err = guardCall(func() error {
		return bdb.View(func(tx *bolt.Tx) error {
			// A truncated copy keeps valid meta pages that point past the
			// end of the file; touching those pages would fault.
			if tx.Size() > fi.Size() {
				return fmt.Errorf("%w: the file is %d bytes but should be at least %d (truncated?)", ErrCorrupt, fi.Size(), tx.Size())
			}
			meta := tx.Bucket(bucketMeta)
			if meta == nil {
				foreign := false
				if err := tx.ForEach(func([]byte, *bolt.Bucket) error { foreign = true; return nil }); err != nil {
					return err
				}
				if foreign {
					return fmt.Errorf("%w: it is a bbolt file of another program (no meta bucket)", ErrCorrupt)
				}
				return nil // an empty bbolt file: the migrations will fill it
			}
			v, err := schemaOf(meta)
			if err != nil {
				return err
			}
			if v > SchemaVersion {
				return fmt.Errorf("%w: its schema version is %d, this stretchbot knows up to %d; upgrade stretchbot", ErrSchemaTooNew, v, SchemaVersion)
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	return nil
}

func schemaOf(meta *bolt.Bucket) (uint64, error) {
	raw := meta.Get(keySchema)
	if raw == nil {
		return 0, nil
	}
	if len(raw) != 8 {
		return 0, fmt.Errorf("%w: bad schema version record", ErrCorrupt)
	}
	return binary.BigEndian.Uint64(raw), nil
}

// migrate applies the missing migrations, each in its own transaction.
func (db *DB) migrate() error {
	for {
		var done bool
		err := guardCall(func() error {
			return db.bolt.Update(func(tx *bolt.Tx) error {
				meta, err := tx.CreateBucketIfNotExists(bucketMeta)
				if err != nil {
					return err
				}
				v, err := schemaOf(meta)
				if err != nil {
					return err
				}
				if v > SchemaVersion {
					return fmt.Errorf("%w: its schema version is %d, this stretchbot knows up to %d; upgrade stretchbot", ErrSchemaTooNew, v, SchemaVersion)
				}
				if v == SchemaVersion {
					done = true
					return nil
				}
				m := migrations()[v]
				if err := m.up(tx); err != nil {
					return fmt.Errorf("migration %d (%s): %w", v+1, m.name, err)
				}
				return meta.Put(keySchema, binary.BigEndian.AppendUint64(nil, v+1))
			})
		})
		if err != nil {
			return fmt.Errorf("open database %s: %w", db.path, err)
		}
		if done {
			return nil
		}
	}
}

// requireCurrent refuses a read-only handle on a file that still needs
// migrations: they cannot run without writing.
func (db *DB) requireCurrent() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		var v uint64
		if meta := tx.Bucket(bucketMeta); meta != nil {
			var err error
			if v, err = schemaOf(meta); err != nil {
				return err
			}
		}
		if v < SchemaVersion {
			return fmt.Errorf("open database %s read-only: its schema version is %d, this stretchbot needs %d; open it once read-write to upgrade", db.path, v, SchemaVersion)
		}
		return nil
	})
}

// Close releases the file. It waits for running transactions to finish.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close database %s: %w", db.path, err)
	}
	return nil
}

// Path returns the file the database was opened from.
func (db *DB) Path() string { return db.path }

// guardCall runs fn and turns a panic or a memory fault in it (bbolt's
// reaction to some damaged pages) into an ErrCorrupt error, so no input
// file can crash the bot.
func guardCall(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	return fn()
}

// guardTx wraps a transaction function with guardCall. Batch may run it on
// another goroutine, where the caller's fault setting does not apply.
func guardTx(fn func(*bolt.Tx) error) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error { return guardCall(func() error { return fn(tx) }) }
}

// view runs fn in a read transaction after checking ctx.
func (db *DB) view(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer db.timed("view", time.Now())
	db.readers.RLock()
	defer db.readers.RUnlock()
	return guardCall(func() error { return db.bolt.View(guardTx(fn)) })
}

// update runs fn in a write transaction after checking ctx.
func (db *DB) update(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer db.timed("update", time.Now())
	return guardCall(func() error { return db.bolt.Update(guardTx(fn)) })
}

// timed reports a transaction's duration to the observer, if any.
func (db *DB) timed(kind string, start time.Time) {
	if db.observe != nil {
		db.observe(kind, time.Since(start))
	}
}

// batch runs fn through bbolt's Batch: concurrent calls share one commit
// (one fsync). fn may run more than once, so it must only depend on tx.
// A call with no other in flight commits at once: Batch would wait its
// MaxBatchDelay (10 ms) for company that is not coming, and a lone
// "Done" would take that long.
func (db *DB) batch(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer db.timed("batch", time.Now())
	defer db.batching.Add(-1)
	if db.batching.Add(1) == 1 {
		return guardCall(func() error { return db.bolt.Update(guardTx(fn)) })
	}
	return guardCall(func() error { return db.bolt.Batch(guardTx(fn)) })
}

// Ready reports whether the database is open and answers a read.
func (db *DB) Ready() bool {
	return db.view(context.Background(), func(tx *bolt.Tx) error { return nil }) == nil
}
