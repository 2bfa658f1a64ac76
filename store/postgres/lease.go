package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot"
)

// Lease is one process's hold on a named lease row (the scheduler's is
// "scheduler"). Acquire takes the row when it is free or expired and adds
// one to its token, the fencing token: every journal write of the holder
// proves in its own transaction that the row still names this holder and
// token and has not expired (see Journal), so a process that lost the
// lease (paused, cut off) cannot record, and so cannot send, anything
// after another took over. Expiry is in the database's clock.
type Lease struct {
	db     *DB
	name   string
	holder string
	ttl    time.Duration

	mu       sync.Mutex
	token    int64
	held     bool
	deadline time.Time // local: when the lease must be taken as lost without a renewal
}

// Lease returns a handle on the lease row name for holder (a name unique
// to this process) with the given time to live.
func (db *DB) Lease(name, holder string, ttl time.Duration) *Lease {
	return &Lease{db: db, name: name, holder: holder, ttl: ttl}
}

// Acquire takes the lease if nobody holds it or the holder's time ran
// out, and reports whether this process holds it now.
func (l *Lease) Acquire(ctx context.Context) (bool, error) {
	sent := time.Now()
	var token int64
	err := l.db.pool.QueryRow(ctx, `UPDATE leases
		SET holder = $2, token = token + 1, expires_at = CURRENT_TIMESTAMP + CAST($3 AS INTERVAL)
		WHERE name = $1 AND (holder = '' OR expires_at <= CURRENT_TIMESTAMP)
		RETURNING token`, l.name, l.holder, interval(l.ttl)).Scan(&token)
	if errNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("acquire lease %s: %w", l.name, err)
	}
	l.mu.Lock()
	l.token, l.held, l.deadline = token, true, sent.Add(l.ttl)
	l.mu.Unlock()
	return true, nil
}

// Renew extends a held lease by its time to live. It reports false when
// the lease was lost (expired and taken, or expired); the holder must then
// stop at once.
func (l *Lease) Renew(ctx context.Context) (bool, error) {
	l.mu.Lock()
	token, held := l.token, l.held
	l.mu.Unlock()
	if !held {
		return false, nil
	}
	sent := time.Now()
	tag, err := l.db.pool.Exec(ctx, `UPDATE leases SET expires_at = CURRENT_TIMESTAMP + CAST($4 AS INTERVAL)
		WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > CURRENT_TIMESTAMP`,
		l.name, l.holder, token, interval(l.ttl))
	if err != nil {
		return l.stillValid(), fmt.Errorf("renew lease %s: %w", l.name, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if tag.RowsAffected() == 0 {
		l.held = false
		return false, nil
	}
	l.deadline = sent.Add(l.ttl)
	return true, nil
}

// stillValid reports whether the lease is held and its local deadline
// (measured from before the last successful renewal was sent, so never
// later than the database's) has not passed.
func (l *Lease) stillValid() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held && time.Now().After(l.deadline) {
		l.held = false
	}
	return l.held
}

// Release gives the lease up, so that another process can take it at once
// instead of waiting for it to expire.
func (l *Lease) Release(ctx context.Context) error {
	l.mu.Lock()
	token, held := l.token, l.held
	l.held = false
	l.mu.Unlock()
	if !held {
		return nil
	}
	_, err := l.db.pool.Exec(ctx, `UPDATE leases SET holder = '', expires_at = CURRENT_TIMESTAMP
		WHERE name = $1 AND holder = $2 AND token = $3`, l.name, l.holder, token)
	if err != nil {
		return fmt.Errorf("release lease %s: %w", l.name, err)
	}
	return nil
}

// Token returns the fencing token and whether the lease is held.
func (l *Lease) Token() (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.token, l.held
}

// check proves inside tx that the lease is still this holder's. The
// UPDATE locks the lease row until tx ends, so a takeover waits for this
// transaction, and the new leader, arming after its takeover, sees what
// this one recorded.
func (l *Lease) check(ctx context.Context, tx pgx.Tx) error {
	l.mu.Lock()
	token, held := l.token, l.held
	l.mu.Unlock()
	if !held {
		return ErrFenced
	}
	tag, err := tx.Exec(ctx, `UPDATE leases SET holder = holder
		WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > CURRENT_TIMESTAMP`, l.name, l.holder, token)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrFenced
	}
	return nil
}

// Journal returns the fired journal of the lease holder: MarkFired that
// refuses with ErrFenced once the lease is lost.
func (l *Lease) Journal() *Journal { return &Journal{l: l} }

// Journal is the fenced fired journal (scheduler.Journal).
type Journal struct{ l *Lease }

// MarkFired records occ like DB.MarkFired, in a transaction that also
// proves the lease is held.
func (j *Journal) MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error) {
	return j.l.db.markFired(ctx, j.l, occ)
}

// MarkDelivered is DB.MarkDelivered: settling needs no lease.
func (j *Journal) MarkDelivered(ctx context.Context, occ []stretchbot.Fired) error {
	return j.l.db.MarkDelivered(ctx, occ)
}
