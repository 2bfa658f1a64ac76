package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/postgres"
)

// Many processes on one SQL database: every process serves interactions,
// and the one holding the "scheduler" lease fires reminders. The others
// stand by and take the lease over when its holder stops renewing it.
const (
	// leaseTTL is how long a leader's lease lasts without renewal: a
	// killed leader is replaced within leaseTTL plus acquireEvery.
	leaseTTL = 5 * time.Second
	// renewEvery leaves the leader four more tries before its lease ends.
	renewEvery = leaseTTL / 5
	// acquireEvery is how often a standby tries to take the lease.
	acquireEvery = time.Second
	// changesEvery is how often the leader reads the change table: a
	// schedule set in another process is armed within about this long.
	changesEvery = 250 * time.Millisecond
	// changesWindow is how far back each read of the change table looks,
	// so that a write committed late is still seen (see postgres.RecentChanges).
	changesWindow = 30 * time.Second
	// changesKept is how long change rows stay before the leader prunes them.
	changesKept = time.Hour
)

// schedulers is the bot's scheduler when processes share a database: the
// live scheduler while this process leads, and otherwise a standby that
// checks schedules the way the scheduler would and reads next times from
// the stored schedule. The leader arms what the standby accepted when it
// reads the change table.
type schedulers struct {
	clock scheduler.Clock
	db    interface {
		Schedule(ctx context.Context, id uint64) (stretchbot.Schedule, error)
	}
	mu   sync.RWMutex
	live *scheduler.Scheduler
}

func (s *schedulers) current() *scheduler.Scheduler {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.live
}

func (s *schedulers) set(live *scheduler.Scheduler) {
	s.mu.Lock()
	s.live = live
	s.mu.Unlock()
}

// Arm arms sch on the leader; on a standby it only checks it, with the
// scheduler's own errors.
func (s *schedulers) Arm(sch stretchbot.Schedule, lastFired time.Time) error {
	if live := s.current(); live != nil {
		return live.Arm(sch, lastFired)
	}
	if sch.Paused {
		return nil
	}
	loc, err := stretchbot.LoadLocation(sch.TimeZone)
	if err != nil {
		return fmt.Errorf("arm schedule %d: %w", sch.ID, err)
	}
	if sch.OneShot() {
		if sch.At.IsZero() {
			return fmt.Errorf("arm schedule %d: %w", sch.ID, stretchbot.Errorf(stretchbot.EINVALID, "A one-time reminder needs a time."))
		}
		return nil
	}
	if _, err := scheduler.Next(sch.Spec, loc, s.clock.Now()); err != nil {
		return fmt.Errorf("arm schedule %d: %w", sch.ID, err)
	}
	return nil
}

// Remove disarms the schedule on the leader; a standby has nothing armed.
func (s *schedulers) Remove(id uint64) {
	if live := s.current(); live != nil {
		live.Remove(id)
	}
}

// NextFire asks the leader's scheduler, or on a standby computes the next
// occurrence after now from the stored schedule.
func (s *schedulers) NextFire(id uint64) (time.Time, bool) {
	if live := s.current(); live != nil {
		return live.NextFire(id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	sch, err := s.db.Schedule(ctx, id)
	if err != nil || sch.Paused {
		return time.Time{}, false
	}
	loc, err := stretchbot.LoadLocation(sch.TimeZone)
	if err != nil {
		return time.Time{}, false
	}
	now := s.clock.Now()
	if sch.OneShot() {
		return sch.At.In(loc), sch.At.After(now)
	}
	next, err := scheduler.Next(sch.Spec, loc, now)
	return next, err == nil
}

// Stats are the live scheduler's, zero on a standby.
func (s *schedulers) Stats() scheduler.Stats {
	if live := s.current(); live != nil {
		return live.Stats()
	}
	return scheduler.Stats{}
}

// Lag is the live scheduler's, zero on a standby.
func (s *schedulers) Lag() time.Duration {
	if live := s.current(); live != nil {
		return live.Lag()
	}
	return 0
}

// holderName names this process in the lease row: host, pid and a random
// part, so a restarted process never passes for its predecessor.
func holderName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:8])
}

// lead runs until ctx ends: it waits for the scheduler lease, leads while it
// holds it, and waits again when it loses it. On the way out it gives the
// lease up, so a standby takes over at once.
func (a *app) lead(ctx context.Context, pg *postgres.DB) {
	lease := pg.Lease("scheduler", holderName(), leaseTTL)
	t := time.NewTicker(acquireEvery)
	defer t.Stop()
	for {
		ok, err := lease.Acquire(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("scheduler lease", "err", err)
		}
		if ok {
			token, _ := lease.Token()
			a.log.Info("scheduler lease taken: this process delivers reminders", "token", token)
			a.leadTerm(ctx, pg, lease)
			rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			if err := lease.Release(rctx); err != nil {
				a.log.Warn("release scheduler lease", "err", err)
			}
			cancel()
			if ctx.Err() == nil {
				a.log.Warn("scheduler lease lost: standing by", "token", token)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// leadTerm is one term as leader: a fresh scheduler armed from the
// database (so everything due while no one led is caught up within the
// grace period, as after a restart), fed by the change table, until the
// lease is lost or ctx ends.
func (a *app) leadTerm(ctx context.Context, pg *postgres.DB, lease *postgres.Lease) {
	term, lost := context.WithCancel(ctx)
	defer lost()
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { a.keepLease(term, lost, lease) })

	sched := a.newScheduler(lease.Journal())
	// Changes read before the scan are applied again after it: arming an
	// unchanged schedule changes nothing, and this way none is missed.
	seen := map[int64]time.Time{}
	if err := a.armAll(term, sched); err != nil {
		if term.Err() == nil {
			a.log.Error("arm schedules", "err", err)
		}
		return
	}
	sched.Start(term)
	a.sched.set(sched)
	defer func() {
		a.sched.set(nil)
		stopCtx, cancel := context.WithTimeout(context.Background(), a.shutdown)
		defer cancel()
		if err := sched.Stop(stopCtx); err != nil {
			a.log.Warn("stop scheduler", "err", err)
		}
	}()
	t := time.NewTicker(changesEvery)
	defer t.Stop()
	lastPrune := time.Now()
	for {
		a.applyChanges(term, pg, sched, seen)
		if time.Since(lastPrune) > changesKept/4 {
			lastPrune = time.Now()
			if _, err := pg.PruneChanges(term, changesKept); err != nil && term.Err() == nil {
				a.log.Warn("prune schedule changes", "err", err)
			}
		}
		select {
		case <-term.Done():
			return
		case <-t.C:
		}
	}
}

// keepLease renews the lease every renewEvery and ends the term when it is
// lost: refused by the database, or not renewed before its time ran out.
func (a *app) keepLease(term context.Context, lost context.CancelFunc, lease *postgres.Lease) {
	t := time.NewTicker(renewEvery)
	defer t.Stop()
	for {
		select {
		case <-term.Done():
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(term, renewEvery)
		ok, err := lease.Renew(rctx)
		cancel()
		if err != nil && term.Err() == nil {
			a.log.Warn("renew scheduler lease", "err", err)
		}
		if !ok {
			lost()
			return
		}
	}
}

// applyChanges re-arms every schedule written since the last call.
func (a *app) applyChanges(ctx context.Context, pg *postgres.DB, sched *scheduler.Scheduler, seen map[int64]time.Time) {
	changes, err := pg.RecentChanges(ctx, changesWindow)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("read schedule changes", "err", err)
		}
		return
	}
	now := time.Now()
	done := map[uint64]bool{}
	for _, c := range changes {
		if _, ok := seen[c.Seq]; ok {
			continue
		}
		if !done[c.ScheduleID] {
			s, lastFired, ok, err := pg.ScheduleToArm(ctx, c.ScheduleID)
			if err != nil {
				if ctx.Err() == nil {
					a.log.Warn("read changed schedule", "schedule", c.ScheduleID, "err", err)
				}
				return // not marked seen: tried again next time
			}
			switch {
			case !ok:
				sched.Remove(c.ScheduleID)
			default:
				if err := sched.Arm(s, lastFired); err != nil {
					a.log.Warn("schedule not armed", "schedule", s.ID, "err", err)
				}
			}
			done[c.ScheduleID] = true
		}
		seen[c.Seq] = now
	}
	for seq, at := range seen {
		if now.Sub(at) > 2*changesWindow {
			delete(seen, seq)
		}
	}
}

// identifyEvery is Discord's spacing of identifies in one max_concurrency
// bucket, plus a margin for the time between the claim and the identify.
const identifyEvery = 5*time.Second + 500*time.Millisecond

// beforeIdentify paces gateway identifies through the shared database, so
// that processes connecting their shards together keep Discord's
// max_concurrency buckets; nil with bbolt (one process, and discordgo
// connects its shards one after the other).
func (a *app) beforeIdentify() func(ctx context.Context, shardID, maxConcurrency int) error {
	if a.pg == nil {
		return nil
	}
	return func(ctx context.Context, shardID, maxConcurrency int) error {
		return a.pg.WaitIdentify(ctx, shardID%maxConcurrency, identifyEvery)
	}
}

// bolt is the database when it is a bbolt file, for what only a file
// has (a backup socket, read-transaction metrics); nil with PostgreSQL.
func (a *app) bolt() *store.DB {
	db, _ := a.db.(*store.DB)
	return db
}
