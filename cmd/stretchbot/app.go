package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/postgres"
)

// app is everything both transports share: the store, the scheduler and the
// command handlers.
type app struct {
	log *slog.Logger
	db  store.Backend
	// pg is the same database when it is PostgreSQL: many processes share
	// it, and the one holding the scheduler lease delivers (cluster.go).
	pg *postgres.DB
	// sched is the bot's scheduler: with bbolt always the live one, with
	// PostgreSQL the live one only while this process leads.
	sched    *schedulers
	bot      *bot.Bot
	cfg      Config
	clock    scheduler.Clock
	shutdown time.Duration
	leading  sync.WaitGroup
	stopLead context.CancelFunc
	// sender is set by the transport before the scheduler starts.
	sender bot.Sender
	// sweeping is the sweeper goroutine; close waits for it, so it never
	// touches a closed database.
	sweeping  sync.WaitGroup
	stopSweep context.CancelFunc
}

// How long check-ins are kept, and how often the sweeper looks.
const (
	checkInRetention = 90 * 24 * time.Hour
	sweepEvery       = 6 * time.Hour
)

// openApp opens the database and builds the scheduler and handlers. The
// caller sets a.sender, then calls start.
func openApp(cfg Config, log *slog.Logger, clock scheduler.Clock, console bool, chart bot.ChartRenderer, m *metrics) (*app, error) {
	a := &app{log: log, cfg: cfg, clock: clock, shutdown: cfg.Shutdown}
	var observe func(string, time.Duration)
	if m != nil {
		observe = m.observeTx
	}
	if postgres.IsURL(cfg.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		pg, err := postgres.Open(ctx, cfg.DB, postgres.Options{Logger: log.With("component", "store"), ObserveTx: observe})
		cancel()
		if err != nil {
			return nil, dbError(postgres.Redact(cfg.DB), err)
		}
		a.db, a.pg = pg, pg
	} else {
		db, err := store.Open(cfg.DB, store.Options{ObserveTx: observe})
		if err != nil {
			return nil, dbError(cfg.DB, err)
		}
		a.db = db
	}
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		a.db.Close()
		return nil, fmt.Errorf("load the stretch catalogue: %w", err)
	}
	a.sched = &schedulers{clock: clock, db: a.db}
	if a.pg == nil {
		// One process owns the file: it always leads.
		a.sched.set(a.newScheduler(a.db))
	}
	keys, err := a.signingKeys(context.Background(), true)
	if err != nil {
		a.db.Close()
		return nil, err
	}
	a.bot, err = bot.New(bot.Config{
		Store: a.db, Scheduler: a.sched, Catalog: catalog, Now: clock.Now,
		Logger: log.With("component", "bot"), Console: console, Chart: chart,
		NoPictures: cfg.NoImages, Keys: keys,
	})
	if err != nil {
		a.db.Close()
		return nil, err
	}
	return a, nil
}

// signingKeys loads the keys button custom_ids are signed with. At a start
// (rotate) it first creates the first key, or a new one when the newest is
// due for rotation; otherwise it only reads them, to learn a key another
// process made.
func (a *app) signingKeys(ctx context.Context, rotate bool) (*customid.Keyring, error) {
	now := a.clock.Now()
	keys, err := a.db.UpdateSigningKeys(ctx, func(k []stretchbot.SigningKey) []stretchbot.SigningKey {
		if rotate {
			return customid.NextKeys(k, now, nil)
		}
		return k
	})
	if err != nil {
		return nil, fmt.Errorf("load the button signing keys: %w", err)
	}
	k, err := customid.NewKeyring(keys, now)
	if err != nil {
		return nil, fmt.Errorf("load the button signing keys: %w", err)
	}
	return k, nil
}

// newScheduler builds a scheduler that records into journal and delivers
// through the transport.
func (a *app) newScheduler(journal scheduler.Journal) *scheduler.Scheduler {
	return scheduler.New(scheduler.Options{
		Clock:   a.clock,
		Journal: journal,
		Deliver: a.deliver,
		Rate:    a.cfg.Rate,
		Grace:   a.cfg.Grace,
		Logger:  a.log.With("component", "scheduler"),
		OnPermanentFailure: func(o scheduler.Occurrence, err error) {
			a.log.Warn("reminder cannot be delivered; schedule paused", "schedule", o.Schedule.ID, "err", err)
		},
	})
}

// dbError turns store errors into messages that say what to do.
func dbError(path string, err error) error {
	switch {
	case errors.Is(err, store.ErrLocked):
		return fmt.Errorf("%s: the database is in use by another process (is another stretchbot running?)", path)
	case errors.Is(err, store.ErrCorrupt):
		return fmt.Errorf("%s: this file is not a stretchbot database or it is damaged; it was not changed. Restore a backup (see README) or choose another file with --db", path)
	case errors.Is(err, store.ErrReadOnlyFS):
		return fmt.Errorf("%s: the file system it is on is read-only, so the bot cannot write to the database (this is not damage). Mount it read-write (in Docker: a volume without :ro) or choose a file elsewhere with --db; `stretchbot check` and `stretchbot backup` only read and work on it as it is", path)
	case errors.Is(err, store.ErrSchemaTooNew):
		return fmt.Errorf("%s: the database was written by a newer stretchbot; upgrade this one", path)
	}
	if strings.Contains(err.Error(), path) {
		return err // the store's message already names the file
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

func (a *app) deliver(ctx context.Context, o scheduler.Occurrence) error {
	err := a.bot.Deliver(ctx, a.sender, o.Schedule.ID, o.At, o.Late)
	if errors.Is(err, bot.ErrUnreachable) {
		return scheduler.Permanent(err)
	}
	return err
}

// start starts delivering and the sweeper. With bbolt it arms every stored
// schedule and starts the scheduler; with PostgreSQL it starts waiting for
// the scheduler lease, and the process that gets it does the same.
func (a *app) start(ctx context.Context) error {
	if a.pg == nil {
		live := a.sched.current()
		if err := a.armAll(ctx, live); err != nil {
			return err
		}
		live.Start(ctx)
	} else {
		leadCtx, stop := context.WithCancel(ctx)
		a.stopLead = stop
		a.leading.Go(func() { a.lead(leadCtx, a.pg) })
	}
	// Sweep once before serving, so data past its retention never lingers
	// after a long downtime.
	a.sweepOnce(ctx)
	// The sweeper has its own cancel so that close also ends it on the
	// error paths where start's context is still live.
	sweepCtx, stop := context.WithCancel(ctx)
	a.stopSweep = stop
	a.sweeping.Go(func() { a.sweep(sweepCtx) })
	return nil
}

// armAll arms every stored schedule in sched and queues the sends a crash
// (or a lost lease) may have cut short: recorded, never settled, and
// recent enough to resend with the same nonce. A one-shot whose occurrence
// is recorded is done and deleted, unless it is such a send (the resend
// deletes it once delivered).
func (a *app) armAll(ctx context.Context, sched *scheduler.Scheduler) error {
	undelivered, err := a.db.Undelivered(ctx)
	if err != nil {
		return fmt.Errorf("arm schedules: %w", err)
	}
	unsent := make(map[uint64][]stretchbot.Fired, len(undelivered))
	for _, f := range undelivered {
		unsent[f.ScheduleID] = append(unsent[f.ScheduleID], f)
	}
	n, resent := 0, 0
	var done []uint64
	arm := func(s stretchbot.Schedule, lastFired time.Time) {
		resend := func() bool {
			queued := false
			for _, f := range unsent[s.ID] {
				if sched.Resend(s, f) {
					queued = true
					resent++
				}
			}
			delete(unsent, s.ID)
			return queued
		}
		if s.OneShot() && !lastFired.IsZero() && !lastFired.Before(s.At) {
			if !resend() {
				done = append(done, s.ID)
			}
			return
		}
		if err := sched.Arm(s, lastFired); err != nil {
			// One bad schedule must not keep everyone else's from running.
			a.log.Warn("schedule not armed", "schedule", s.ID, "err", err)
			return
		}
		n++
		resend()
	}
	// Reading the store and arming take about half of the start-up each
	// (a million schedules: 1.5 s in a row); on two cores they overlap.
	type stored struct {
		s    stretchbot.Schedule
		last time.Time
	}
	const batchSize = 1024
	batches := make(chan []stored, 4)
	armed := make(chan struct{})
	go func() {
		defer close(armed)
		for batch := range batches {
			for _, st := range batch {
				arm(st.s, st.last)
			}
		}
	}()
	batch := make([]stored, 0, batchSize)
	err = a.db.ForEachSchedule(ctx, func(s stretchbot.Schedule, lastFired time.Time) error {
		batch = append(batch, stored{s, lastFired})
		if len(batch) == batchSize {
			batches <- batch
			batch = make([]stored, 0, batchSize)
		}
		return nil
	})
	batches <- batch
	close(batches)
	<-armed
	if err != nil {
		return fmt.Errorf("arm schedules: %w", err)
	}
	if len(undelivered) > 0 {
		a.log.Info("unconfirmed sends from the last run", "count", len(undelivered), "resent", resent)
	}
	a.log.Info("schedules armed", "count", n)
	for _, id := range done {
		if err := a.db.DeleteSchedule(ctx, id); err != nil && stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
			a.log.Warn("delete finished one-shot", "schedule", id, "err", err)
		}
	}
	if len(done) > 0 {
		a.log.Info("finished one-shots deleted", "count", len(done))
	}
	return nil
}

// sweep deletes check-ins past their retention every
// sweepEvery until ctx is done. start has already swept once.
func (a *app) sweep(ctx context.Context) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.sweepOnce(ctx)
		}
	}
}

func (a *app) sweepOnce(ctx context.Context) {
	now := time.Now()
	if n, err := a.db.PruneCheckIns(ctx, now.Add(-checkInRetention)); err != nil {
		a.log.Warn("prune check-ins", "err", err)
	} else if n > 0 {
		a.log.Info("old check-ins deleted", "count", n)
	}
	// Another process sharing the database may have made a new signing
	// key: learn it long before it starts to sign (customid.ActivateAfter).
	if keys, err := a.signingKeys(ctx, false); err != nil {
		a.log.Warn("reload signing keys", "err", err)
	} else {
		a.bot.SetSigningKeys(keys)
	}
	// Forget overwrites the pages it freed at once; this repeats it for a
	// Forget whose scrub failed, so within hours nothing deleted stays
	// readable in the file.
	if bdb := a.bolt(); bdb != nil {
		if n, err := bdb.ScrubFreePages(ctx); err != nil {
			a.log.Warn("scrub free pages", "err", err)
		} else if n > 0 {
			a.log.Info("free pages overwritten", "count", n)
		}
	}
}

// close stops the scheduler (letting in-flight deliveries finish within
// ctx) and the sweeper, and closes the database.
func (a *app) close(ctx context.Context) error {
	var serr error
	if a.pg == nil {
		serr = a.sched.current().Stop(ctx)
	} else if a.stopLead != nil {
		// The leader stops its scheduler and gives the lease up.
		a.shutdown = time.Until(deadlineOr(ctx, time.Now().Add(a.cfg.Shutdown)))
		a.stopLead()
		a.leading.Wait()
	}
	if a.stopSweep != nil {
		a.stopSweep()
	}
	a.sweeping.Wait()
	derr := a.db.Close()
	return errors.Join(serr, derr)
}

// deadlineOr is ctx's deadline, or def when it has none.
func deadlineOr(ctx context.Context, def time.Time) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return def
}
