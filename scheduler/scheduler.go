package scheduler

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stretchbot/stretchbot"
)

// Defaults of Options.
const (
	// DefaultRate stays below Discord's global limit of 50 requests a second.
	DefaultRate = 45.0
	// DefaultGrace is how old a missed occurrence may be and still be sent.
	DefaultGrace = 10 * time.Minute
	// DefaultMaxRetries is how often a failed delivery is retried.
	DefaultMaxRetries = 5
	// DefaultWorkers is how many deliveries run at once. At 45/s and a
	// Discord round trip of ~200 ms, about nine are busy.
	DefaultWorkers = 16
)

const (
	// maxSleep caps the timer so that a wall-clock jump forward is noticed
	// within a minute: timers run on the monotonic clock, schedules on the
	// wall clock.
	maxSleep = time.Minute
	// maxBatch bounds how many due entries are popped under one lock hold
	// (and recorded in one Journal call), so Arm is never blocked for long
	// when a million schedules come due together.
	maxBatch = 4096
	// lateAfter marks an occurrence Late when it is popped this much after
	// its time (a stalled process or a clock jump), besides those missed
	// while the bot was down.
	lateAfter = time.Minute
	// maxMissedCount bounds the counting of missed occurrences at Arm; past
	// it the schedule jumps ahead and the count saturates.
	maxMissedCount = 1000
	// maxLag is how far behind schedule the limiter may catch up.
	maxLag = 4 * time.Millisecond
	// firstBackoff doubles per retry up to maxBackoff.
	firstBackoff = time.Second
	maxBackoff   = time.Minute
)

// Journal records occurrences as fired before they are delivered, so that
// no occurrence is delivered twice, also across restarts. (*store.DB)
// implements it.
type Journal interface {
	// MarkFired records occ in one transaction. result[i] is false when
	// occ[i] was already recorded; it must then not be delivered.
	MarkFired(ctx context.Context, occ []stretchbot.Fired) ([]bool, error)
}

// Occurrence is one firing of a schedule, handed to a DeliverFunc.
type Occurrence struct {
	Schedule stretchbot.Schedule
	At       time.Time // when it was due, in the schedule's zone
	// Late is true when the occurrence was missed while the bot was not
	// running (or the process stalled) and is sent after its time, within
	// the grace period.
	Late bool
}

// DeliverFunc sends one occurrence, e.g. as a Discord message. It must return
// promptly when ctx is done. An error is retried with backoff unless it is
// wrapped with Permanent.
type DeliverFunc func(ctx context.Context, o Occurrence) error

// ErrPermanent marks delivery errors that retrying cannot fix (the user
// blocked DMs, the channel is gone). Test with errors.Is.
var ErrPermanent = errors.New("permanent delivery failure")

// Permanent wraps err so that the scheduler does not retry it and reports it
// to Options.OnPermanentFailure.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

type permanentError struct{ err error }

func (e permanentError) Error() string        { return "permanent: " + e.err.Error() }
func (e permanentError) Unwrap() []error      { return []error{e.err, ErrPermanent} }
func (e permanentError) Is(target error) bool { return target == ErrPermanent }

// Options configure a Scheduler. Zero values take the defaults.
type Options struct {
	Clock   Clock       // default RealClock()
	Journal Journal     // nil: nothing is recorded, so restarts may repeat
	Deliver DeliverFunc // required
	// Rate is the most deliveries (attempts, retries included) per second,
	// evenly spaced. Default DefaultRate.
	Rate float64
	// Grace is how old a missed occurrence may be when it is sent late;
	// older ones are skipped. Default DefaultGrace.
	Grace time.Duration
	// MaxRetries is how often a failed delivery is retried. Default
	// DefaultMaxRetries; negative means never.
	MaxRetries int
	// Workers is how many deliveries may run at once. Default DefaultWorkers.
	Workers int
	// Logger receives delivery failures and journal errors. Default: discard.
	Logger *slog.Logger
	// OnPermanentFailure, if set, is called once per occurrence whose
	// delivery failed with a Permanent error, e.g. to pause the schedule.
	OnPermanentFailure func(Occurrence, error)
}

// Stats are counters for metrics. Counters only grow; Armed and QueueDepth
// are current values.
type Stats struct {
	Fired      uint64 // delivered successfully
	Late       uint64 // of Fired, sent late within the grace period
	Skipped    uint64 // not delivered on purpose: owner paused, too old, skipped, edited or removed while firing, already recorded
	Failed     uint64 // retries exhausted, or not recorded because the journal failed
	Permanent  uint64 // failed with a Permanent error
	Dropped    uint64 // not sent because Stop's context ended first; unrecorded ones are found again at the next start
	Armed      int    // schedules in the heap
	QueueDepth int    // due occurrences waiting for the rate limiter (not yet recorded)
}

// Scheduler keeps every armed schedule in one min-heap ordered by next fire
// time, with a single timer set to the head: arming, removing and firing
// cost O(log n), however many schedules there are.
//
// Firing is exactly-once in this sense: an occurrence is recorded in the
// Journal right before it is handed to delivery (a few at a time), and one
// that the Journal already knows is dropped. The send is at most once: if
// the process dies between record and send, that occurrence is lost rather
// than repeated; occurrences still queued unrecorded are found again at the
// next start (see the package doc).
//
// All methods are safe for concurrent use.
type Scheduler struct {
	clock   Clock
	journal Journal
	deliver DeliverFunc
	grace   time.Duration
	retries int
	workers int
	log     *slog.Logger
	onPerm  func(Occurrence, error)
	limiter *limiter
	// recordAhead is how many queued occurrences are recorded in one
	// Journal call before their limiter slots.
	recordAhead int
	queue       *queue
	work        chan job
	startOnce   sync.Once
	stopOnce    sync.Once
	started     atomic.Bool
	ctx         context.Context // Start's, canceled by Stop when its context ends
	cancel      context.CancelFunc
	stopLoop    chan struct{}
	loopDone    chan struct{}
	allDone     chan struct{}

	locMu sync.Mutex
	locs  map[string]*time.Location

	mu      sync.Mutex // guards the fields below
	heap    entryHeap
	byID    map[uint64]*entry
	paused  map[string]struct{}
	gen     uint64
	timer   Timer
	timerAt int64 // deadline the timer is set to, Unix ns; MaxInt64 when idle

	fired, late, skipped, failed, permanent, dropped atomic.Uint64
}

// entry is one armed schedule. It is kept small: a million of them must
// fit in a few hundred megabytes.
type entry struct {
	sched stretchbot.Schedule
	spec  *spec // nil for one-shots
	loc   *time.Location
	next  int64 // Unix ns of the next occurrence
	last  int64 // Unix ns of the last occurrence popped, 0 if none
	gen   uint64
	index int  // position in the heap; -1 once a one-shot was popped
	late  bool // next was already past when armed
}

// job is an occurrence recorded as fired and waiting for delivery.
type job struct {
	occ Occurrence
	gen uint64 // the entry's generation when popped
}

// New returns a Scheduler. It panics without Options.Deliver, a programming
// error.
func New(opts Options) *Scheduler {
	if opts.Deliver == nil {
		panic("scheduler: Options.Deliver is required")
	}
	if opts.Clock == nil {
		opts.Clock = RealClock()
	}
	if opts.Journal == nil {
		opts.Journal = nopJournal{}
	}
	if opts.Rate <= 0 {
		opts.Rate = DefaultRate
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	switch {
	case opts.MaxRetries == 0:
		opts.MaxRetries = DefaultMaxRetries
	case opts.MaxRetries < 0:
		opts.MaxRetries = 0
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Scheduler{
		clock:       opts.Clock,
		journal:     opts.Journal,
		deliver:     opts.Deliver,
		grace:       opts.Grace,
		retries:     opts.MaxRetries,
		workers:     opts.Workers,
		log:         opts.Logger,
		onPerm:      opts.OnPermanentFailure,
		limiter:     &limiter{clock: opts.Clock, interval: time.Duration(float64(time.Second) / opts.Rate)},
		queue:       newQueue(),
		recordAhead: RecordBatch(opts.Rate),
		work:        make(chan job),
		stopLoop:    make(chan struct{}),
		loopDone:    make(chan struct{}),
		allDone:     make(chan struct{}),
		locs:        map[string]*time.Location{},
		byID:        map[uint64]*entry{},
		paused:      map[string]struct{}{},
		timerAt:     math.MaxInt64,
	}
	s.timer = s.clock.NewTimer(time.Hour)
	s.timer.Stop()
	return s
}

type nopJournal struct{}

func (nopJournal) MarkFired(_ context.Context, occ []stretchbot.Fired) ([]bool, error) {
	ok := make([]bool, len(occ))
	for i := range ok {
		ok[i] = true
	}
	return ok, nil
}

// Start runs the scheduler's goroutines: one that fires due schedules, one
// that paces deliveries and Options.Workers that deliver. They run until
// Stop, or until ctx is done (then nothing more is delivered). Start may be
// called once; later calls do nothing.
func (s *Scheduler) Start(ctx context.Context) {
	s.startOnce.Do(func() {
		s.ctx, s.cancel = context.WithCancel(ctx)
		s.started.Store(true)
		var wg sync.WaitGroup
		wg.Add(1 + s.workers)
		go func() {
			defer close(s.loopDone)
			s.run()
		}()
		go func() {
			defer wg.Done()
			s.pace()
		}()
		for range s.workers {
			go func() {
				defer wg.Done()
				for j := range s.work {
					s.deliverJob(j)
				}
			}()
		}
		go func() {
			wg.Wait()
			close(s.allDone)
		}()
	})
}

// Stop stops firing and returns once the occurrences already recorded as
// fired have been delivered (or have failed). When ctx ends first, the
// deliveries in progress are canceled, the queued ones are dropped and
// counted, and the error wraps ctx.Err(). Stop without Start returns nil.
func (s *Scheduler) Stop(ctx context.Context) error {
	if !s.started.Load() {
		return nil
	}
	s.stopOnce.Do(func() { close(s.stopLoop) })
	<-s.loopDone
	s.queue.close()
	select {
	case <-s.allDone:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		<-s.allDone
		return fmt.Errorf("stop scheduler: %d occurrences not delivered: %w", s.dropped.Load(), ctx.Err())
	}
}

// location returns the zone by name, loaded once per scheduler: loading
// reads a file and makes a new *time.Location each time.
func (s *Scheduler) location(name string) (*time.Location, error) {
	s.locMu.Lock()
	defer s.locMu.Unlock()
	if loc, ok := s.locs[name]; ok {
		return loc, nil
	}
	loc, err := stretchbot.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	s.locs[name] = loc
	return loc, nil
}

// Arm schedules s, replacing an earlier version with the same ID. lastFired
// is the last occurrence recorded in the Journal (zero if none).
//
// On first arming (after a start), occurrences after lastFired that are
// already past are caught up: one at most Grace old is delivered with
// Late set, older ones are skipped and counted. A zero lastFired starts from
// now. Re-arming a schedule that is armed already (an edit) never fires in
// the past; an occurrence of the old version that is firing right now is not
// delivered. Arming an identical schedule again changes nothing.
//
// A paused schedule is removed instead. A one-shot fires once at At and is
// not armed when lastFired is not before At. Errors are stretchbot.EINVALID
// (unknown zone, bad spec, spec that never fires).
func (s *Scheduler) Arm(sch stretchbot.Schedule, lastFired time.Time) error {
	if sch.Paused {
		s.Remove(sch.ID)
		return nil
	}
	loc, err := s.location(sch.TimeZone)
	if err != nil {
		return fmt.Errorf("arm schedule %d: %w", sch.ID, err)
	}
	var sp *spec
	if sch.OneShot() {
		if sch.At.IsZero() {
			return fmt.Errorf("arm schedule %d: %w", sch.ID, stretchbot.Errorf(stretchbot.EINVALID, "A one-time reminder needs a time."))
		}
	} else if sp, err = parseSpec(sch.Spec); err != nil {
		return fmt.Errorf("arm schedule %d: %w", sch.ID, err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	nowN := now.UnixNano()
	old, exists := s.byID[sch.ID]
	if exists && sameSchedule(old.sched, sch) {
		return nil
	}
	var next int64
	late := false
	if sch.OneShot() {
		at := sch.At.UnixNano()
		if (!lastFired.IsZero() && !lastFired.Before(sch.At)) || (exists && old.last >= at) {
			s.removeLocked(sch.ID)
			return nil
		}
		if nowN-at > int64(s.grace) {
			s.skipped.Add(1)
			s.removeLocked(sch.ID)
			return nil
		}
		next, late = at, at < nowN
	} else {
		base := lastFired
		if exists {
			// An edit: never deliver the new version's past.
			if now.After(base) {
				base = now
			}
			if l := time.Unix(0, old.last); old.last != 0 && l.After(base) {
				base = l
			}
		} else if base.IsZero() {
			base = now
		}
		var ok bool
		if next, ok = s.nextAfter(sp, loc, base); !ok {
			return fmt.Errorf("arm schedule %d: %w", sch.ID, stretchbot.Errorf(stretchbot.EINVALID, "The schedule %q does not happen in the next five years.", clip(sch.Spec)))
		}
		// Missed while down: skip what is older than the grace period.
		cutoff := nowN - int64(s.grace)
		for n := 0; next < cutoff; n++ {
			s.skipped.Add(1)
			after := time.Unix(0, next)
			if n >= maxMissedCount {
				after = time.Unix(0, cutoff-1)
			}
			if next, ok = s.nextAfter(sp, loc, after); !ok {
				return fmt.Errorf("arm schedule %d: %w", sch.ID, stretchbot.Errorf(stretchbot.EINVALID, "The schedule %q does not happen in the next five years.", clip(sch.Spec)))
			}
		}
		late = next < nowN
	}
	s.gen++
	e := &entry{sched: sch, spec: sp, loc: loc, next: next, gen: s.gen, index: -1, late: late}
	if exists {
		e.last = old.last
		if old.index >= 0 {
			// Reuse the heap slot: O(log n) instead of remove + push.
			e.index = old.index
			s.heap[e.index] = e
			heap.Fix(&s.heap, e.index)
		}
	}
	s.byID[sch.ID] = e
	if e.index < 0 {
		heap.Push(&s.heap, e)
	}
	s.resetTimerLocked()
	return nil
}

func (s *Scheduler) nextAfter(sp *spec, loc *time.Location, after time.Time) (int64, bool) {
	sec, ok := sp.next(loc, after)
	return sec * int64(time.Second), ok
}

// sameSchedule reports whether re-arming b over a changes nothing.
func sameSchedule(a, b stretchbot.Schedule) bool {
	return a.ID == b.ID && a.Owner == b.Owner && a.GuildID == b.GuildID &&
		a.ChannelID == b.ChannelID && a.Kind == b.Kind && a.Spec == b.Spec &&
		a.At.Equal(b.At) && a.TimeZone == b.TimeZone && a.Paused == b.Paused &&
		a.Created.Equal(b.Created)
}

// Remove disarms the schedule. An occurrence of it that is firing right now
// is not delivered.
func (s *Scheduler) Remove(id uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked(id)
	s.resetTimerLocked()
}

func (s *Scheduler) removeLocked(id uint64) {
	e, ok := s.byID[id]
	if !ok {
		return
	}
	if e.index >= 0 {
		heap.Remove(&s.heap, e.index)
	}
	delete(s.byID, id)
}

// NextFire returns when the schedule fires next, in its zone, and false if it
// is not armed.
func (s *Scheduler) NextFire(id uint64) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byID[id]
	if !ok || e.index < 0 {
		return time.Time{}, false
	}
	return time.Unix(0, e.next).In(e.loc), true
}

// Len returns the number of armed schedules.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.heap)
}

// PauseOwner stops delivering the owner's occurrences (all their schedules)
// until ResumeOwner. Occurrences that come due meanwhile are skipped and
// counted, not saved up for later.
func (s *Scheduler) PauseOwner(owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paused[owner] = struct{}{}
}

// ResumeOwner undoes PauseOwner; the next occurrence after now is delivered.
func (s *Scheduler) ResumeOwner(owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.paused, owner)
}

// SkipNext skips the schedule's next occurrence and returns the one after it
// (zero for a one-shot, which is then done). The skipped occurrence is
// recorded in the Journal, so a restart does not bring it back. Errors:
// stretchbot.ENOTFOUND when the schedule is not armed; the Journal's error,
// in which case nothing was skipped.
func (s *Scheduler) SkipNext(id uint64) (time.Time, error) {
	s.mu.Lock()
	e, ok := s.byID[id]
	if !ok || e.index < 0 {
		s.mu.Unlock()
		return time.Time{}, fmt.Errorf("skip next of schedule %d: %w", id, stretchbot.Errorf(stretchbot.ENOTFOUND, "That reminder is not active."))
	}
	// Advance first, so the loop cannot fire the skipped occurrence while
	// it is being recorded; undo if recording fails.
	skipped, prevLate, prevLast := e.next, e.late, e.last
	var after int64
	if e.spec == nil {
		heap.Remove(&s.heap, e.index)
		e.index = -1
	} else {
		next, ok := s.nextAfter(e.spec, e.loc, time.Unix(0, e.next))
		if !ok {
			s.mu.Unlock()
			return time.Time{}, fmt.Errorf("skip next of schedule %d: no later occurrence", id)
		}
		e.next, e.late, after = next, false, next
		heap.Fix(&s.heap, e.index)
	}
	e.last = skipped
	gen := e.gen
	s.resetTimerLocked()
	s.mu.Unlock()

	ctx := context.Background()
	if s.started.Load() {
		ctx = s.ctx
	}
	_, err := s.journal.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: id, At: time.Unix(0, skipped)}})

	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if cur, ok := s.byID[id]; ok && cur.gen == gen {
			cur.next, cur.late, cur.last = skipped, prevLate, prevLast
			if cur.index >= 0 {
				heap.Fix(&s.heap, cur.index)
			} else {
				heap.Push(&s.heap, cur)
			}
			s.resetTimerLocked()
		}
		return time.Time{}, fmt.Errorf("skip next of schedule %d: record: %w", id, err)
	}
	s.skipped.Add(1)
	if e.spec == nil {
		if cur, ok := s.byID[id]; ok && cur.gen == gen {
			delete(s.byID, id)
		}
		return time.Time{}, nil
	}
	return time.Unix(0, after).In(e.loc), nil
}

// Stats returns the current counters.
func (s *Scheduler) Stats() Stats {
	s.mu.Lock()
	armed := len(s.heap)
	s.mu.Unlock()
	return Stats{
		Fired:      s.fired.Load(),
		Late:       s.late.Load(),
		Skipped:    s.skipped.Load(),
		Failed:     s.failed.Load(),
		Permanent:  s.permanent.Load(),
		Dropped:    s.dropped.Load(),
		Armed:      armed,
		QueueDepth: s.queue.len(),
	}
}

// resetTimerLocked points the timer at the head of the heap, at most
// maxSleep ahead. Called whenever the head may have changed.
func (s *Scheduler) resetTimerLocked() {
	nowN := s.clock.Now().UnixNano()
	at := int64(math.MaxInt64)
	if len(s.heap) > 0 {
		at = min(s.heap[0].next, nowN+int64(maxSleep))
	}
	if at == s.timerAt {
		return
	}
	s.timerAt = at
	if at == math.MaxInt64 {
		s.timer.Stop()
		return
	}
	s.timer.Reset(time.Duration(at - nowN))
	// Timers are relative: if the clock moved on between reading it and
	// Reset (a fake clock set by a test, a wall-clock jump), the deadline
	// may now lie past the head. Wake the loop now rather than late.
	if at > nowN && at <= s.clock.Now().UnixNano() {
		s.timer.Reset(0)
	}
}

// run fires due schedules whenever the timer goes off.
func (s *Scheduler) run() {
	defer s.timer.Stop()
	s.fireDue()
	for {
		select {
		case <-s.stopLoop:
			return
		case <-s.ctx.Done():
			return
		case <-s.timer.C():
			s.fireDue()
		}
	}
}

// pending is a popped occurrence before it is recorded.
type pending struct {
	job
	skip bool // record, but do not deliver
}

// fireDue pops everything due by now, in batches. Occurrences that will not
// be delivered (owner paused, older than the grace period) are recorded in
// the Journal with one call per batch; the rest are queued for the limiter
// unrecorded. Each is recorded only right before it is sent (deliverJob), so
// a crash or Stop loses at most the sends in flight: a queued occurrence that
// was never recorded is found again from the Journal's last marker at the
// next start and sent late if still within the grace period.
func (s *Scheduler) fireDue() {
	for {
		batch, full := s.popDue()
		if len(batch) == 0 {
			return
		}
		var skips []stretchbot.Fired
		jobs := make([]job, 0, len(batch))
		for _, p := range batch {
			if p.skip {
				skips = append(skips, stretchbot.Fired{ScheduleID: p.occ.Schedule.ID, At: p.occ.At})
				s.skipped.Add(1)
				s.finish(p.job)
				continue
			}
			jobs = append(jobs, p.job)
		}
		if len(skips) > 0 {
			// Recorded so that a restart does not bring them back.
			if _, err := s.journal.MarkFired(s.ctx, skips); err != nil {
				s.log.Error("record skipped occurrences", "count", len(skips), "err", err)
			}
		}
		s.queue.push(jobs)
		if !full {
			return
		}
		// A long catch-up (a clock jump) must not hold off Stop.
		select {
		case <-s.stopLoop:
			return
		case <-s.ctx.Done():
			return
		default:
		}
	}
}

// popDue pops at most maxBatch due occurrences and moves their schedules on.
func (s *Scheduler) popDue() (batch []pending, full bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	nowN := now.UnixNano()
	s.timerAt = math.MaxInt64 // the timer fired, or is about to be reset
	for len(s.heap) > 0 && s.heap[0].next <= nowN && len(batch) < maxBatch {
		e := s.heap[0]
		at := time.Unix(0, e.next).In(e.loc)
		_, paused := s.paused[e.sched.Owner]
		batch = append(batch, pending{
			job: job{
				occ: Occurrence{Schedule: e.sched, At: at, Late: e.late || nowN-e.next >= int64(lateAfter)},
				gen: e.gen,
			},
			skip: paused || nowN-e.next > int64(s.grace),
		})
		e.last = e.next
		if e.spec == nil {
			// Keep the one-shot in byID until delivered, so the delivery
			// can still tell whether it was removed or edited meanwhile.
			heap.Pop(&s.heap)
			continue
		}
		next, ok := s.nextAfter(e.spec, e.loc, at)
		if !ok {
			s.log.Warn("schedule has no later occurrence", "schedule", e.sched.ID)
			heap.Pop(&s.heap)
			delete(s.byID, e.sched.ID)
			continue
		}
		e.next, e.late = next, false
		heap.Fix(&s.heap, 0)
	}
	s.resetTimerLocked()
	return batch, len(batch) == maxBatch
}

// current reports whether j may still be sent: its schedule was neither
// edited nor removed since it was popped, and its owner is not paused.
func (s *Scheduler) current(j job) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byID[j.occ.Schedule.ID]
	if !ok || e.gen != j.gen {
		return false
	}
	_, paused := s.paused[j.occ.Schedule.Owner]
	return !paused
}

// finish forgets a one-shot once its occurrence is dealt with.
func (s *Scheduler) finish(j job) {
	if !j.occ.Schedule.OneShot() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.byID[j.occ.Schedule.ID]; ok && e.gen == j.gen && e.index < 0 {
		delete(s.byID, j.occ.Schedule.ID)
	}
}

// pace hands queued occurrences to the workers in time order, one per
// limiter slot, so a burst goes out evenly at the configured rate. It records
// them in the Journal a few at a time (RecordBatch, about a tenth of a second of
// sends) just before their slots: a burst costs few Journal writes, and a
// crash loses at most those few recorded-but-unsent occurrences, while every
// unrecorded one is found again at the next start.
func (s *Scheduler) pace() {
	defer close(s.work)
	var ready []job
	for {
		if len(ready) == 0 {
			j, ok := s.queue.pop(s.ctx)
			if !ok {
				break
			}
			ready = s.record(append([]job{j}, s.queue.popUpTo(s.recordAhead-1)...))
			continue
		}
		j := ready[0]
		ready = ready[1:]
		if err := s.limiter.wait(s.ctx); err != nil {
			s.dropped.Add(uint64(1 + len(ready)))
			ready = nil
			break
		}
		select {
		case s.work <- j:
		case <-s.ctx.Done():
			s.dropped.Add(1)
		}
		if s.ctx.Err() != nil {
			s.dropped.Add(uint64(len(ready)))
			ready = nil
			break
		}
	}
	s.dropped.Add(uint64(s.queue.drain()))
}

// record marks a few queued jobs fired in the Journal with one call, right
// before the limiter lets them out, and returns those that may be sent: not
// edited or removed meanwhile, and not recorded before (an earlier run sent
// them). When the Journal fails none is sent, since sending could repeat
// them after a restart.
func (s *Scheduler) record(batch []job) []job {
	live := batch[:0]
	for _, j := range batch {
		if s.current(j) {
			live = append(live, j)
			continue
		}
		s.skipped.Add(1)
		s.finish(j)
	}
	if len(live) == 0 {
		return nil
	}
	fired := make([]stretchbot.Fired, len(live))
	for i, j := range live {
		fired[i] = stretchbot.Fired{ScheduleID: j.occ.Schedule.ID, At: j.occ.At}
	}
	fresh, err := s.journal.MarkFired(s.ctx, fired)
	if err == nil && len(fresh) != len(live) {
		err = fmt.Errorf("journal answered %d of %d occurrences", len(fresh), len(live))
	}
	if err != nil {
		s.log.Error("record fired occurrences", "count", len(live), "err", err)
		for _, j := range live {
			s.failed.Add(1)
			s.finish(j)
		}
		return nil
	}
	out := live[:0]
	for i, j := range live {
		if fresh[i] {
			out = append(out, j)
			continue
		}
		s.skipped.Add(1)
		s.finish(j)
	}
	return out
}

// deliverJob delivers one recorded occurrence, retrying with backoff.
func (s *Scheduler) deliverJob(j job) {
	defer s.finish(j)
	ctx := s.ctx
	for attempt := 0; ; attempt++ {
		// Checked right before each send: an edit or removal while the
		// occurrence waited must win.
		if !s.current(j) {
			s.skipped.Add(1)
			return
		}
		err := s.call(ctx, j.occ)
		switch {
		case err == nil:
			s.fired.Add(1)
			if j.occ.Late {
				s.late.Add(1)
			}
			return
		case errors.Is(err, ErrPermanent):
			s.permanent.Add(1)
			s.log.Warn("deliver: permanent failure", "schedule", j.occ.Schedule.ID, "at", j.occ.At, "err", err)
			if s.onPerm != nil {
				s.onPerm(j.occ, err)
			}
			return
		case ctx.Err() != nil:
			s.dropped.Add(1)
			return
		case attempt >= s.retries:
			s.failed.Add(1)
			s.log.Error("deliver: giving up", "schedule", j.occ.Schedule.ID, "at", j.occ.At, "attempts", attempt+1, "err", err)
			return
		}
		backoff := min(firstBackoff<<attempt, maxBackoff)
		s.log.Debug("deliver: retrying", "schedule", j.occ.Schedule.ID, "in", backoff, "err", err)
		if sleep(ctx, s.clock, backoff) != nil || s.limiter.wait(ctx) != nil {
			s.dropped.Add(1)
			return
		}
	}
}

// call runs the DeliverFunc; a panic in it becomes a permanent failure
// instead of taking the bot down.
func (s *Scheduler) call(ctx context.Context, o Occurrence) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Permanent(fmt.Errorf("deliver schedule %d: panic: %v", o.Schedule.ID, r))
		}
	}()
	return s.deliver(ctx, o)
}

// entryHeap is a min-heap of entries by (next, ID); each entry knows its
// index, so removal and update are O(log n).
type entryHeap []*entry

func (h entryHeap) Len() int { return len(h) }
func (h entryHeap) Less(i, j int) bool {
	if h[i].next != h[j].next {
		return h[i].next < h[j].next
	}
	return h[i].sched.ID < h[j].sched.ID
}
func (h entryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *entryHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *entryHeap) Pop() any {
	old := *h
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	e.index = -1
	*h = old[:n-1]
	return e
}

// limiter spaces sends evenly, interval apart, on the injected clock. The
// pacer and retrying workers share it, so retries count against the rate.
type limiter struct {
	clock    Clock
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

// wait reserves the next free slot and waits for it.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := l.clock.Now()
	slot := l.next
	// A slot a little in the past is kept, so timer overshoot (about a
	// millisecond) does not lower the rate; one further back means the
	// limiter was idle, and an idle limiter saves up no burst.
	if slot.Before(now.Add(-max(l.interval, maxLag))) {
		slot = now
	}
	l.next = slot.Add(l.interval)
	l.mu.Unlock()
	return sleep(ctx, l.clock, slot.Sub(now))
}

// queue is the FIFO of recorded occurrences waiting for the limiter.
type queue struct {
	mu     sync.Mutex
	items  []job
	head   int
	closed bool
	notify chan struct{}
}

func newQueue() *queue { return &queue{notify: make(chan struct{}, 1)} }

func (q *queue) push(jobs []job) {
	if len(jobs) == 0 {
		return
	}
	q.mu.Lock()
	if q.head > 0 && q.head >= len(q.items)/2 {
		// Compact, so a long-running queue does not grow without bound.
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, jobs...)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// pop returns the oldest job, waiting for one; false once the queue is
// closed and empty or ctx is done.
func (q *queue) pop(ctx context.Context) (job, bool) {
	for {
		q.mu.Lock()
		if q.head < len(q.items) {
			j := q.items[q.head]
			q.items[q.head] = job{}
			q.head++
			q.mu.Unlock()
			return j, true
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return job{}, false
		}
		select {
		case <-q.notify:
		case <-ctx.Done():
			return job{}, false
		}
	}
}

// popUpTo returns up to n queued jobs without waiting.
func (q *queue) popUpTo(n int) []job {
	q.mu.Lock()
	defer q.mu.Unlock()
	n = min(n, len(q.items)-q.head)
	if n <= 0 {
		return nil
	}
	out := make([]job, n)
	copy(out, q.items[q.head:q.head+n])
	clear(q.items[q.head : q.head+n])
	q.head += n
	return out
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// drain empties the queue and returns how many jobs it held.
func (q *queue) drain() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(q.items) - q.head
	q.items, q.head = nil, 0
	return n
}

func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) - q.head
}

// recordWindow is how much sending time one Journal call records ahead.
const recordWindow = 100 * time.Millisecond

// RecordBatch is how many occurrences are recorded as fired in one Journal
// call, right before their limiter slots, when sending at rate per second:
// about a tenth of a second of sends (4 at the default 45/s). It trades
// Journal writes in a burst against what a crash can lose: at most this many
// recorded-but-unsent occurrences, plus the sends in flight.
func RecordBatch(rate float64) int {
	if rate <= 0 {
		rate = DefaultRate
	}
	return max(1, int(rate*recordWindow.Seconds()))
}

// Lag is how far behind schedule the scheduler is: the age of the oldest
// occurrence that is due but not yet handed to delivery, zero when none is.
// Occurrences missed while the process was down (Late) do not count: they
// are late by nature, not because the scheduler is stuck.
func (s *Scheduler) Lag() time.Duration {
	now := s.clock.Now().UnixNano()
	oldest := int64(math.MaxInt64)
	s.mu.Lock()
	if len(s.heap) > 0 && !s.heap[0].late {
		oldest = s.heap[0].next
	}
	s.mu.Unlock()
	if at, ok := s.queue.oldest(); ok && at < oldest {
		oldest = at
	}
	if oldest >= now {
		return 0
	}
	return time.Duration(now - oldest)
}

// oldest returns the due time of the oldest queued occurrence that was not
// late when armed.
func (q *queue) oldest() (int64, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, j := range q.items[q.head:] {
		if !j.occ.Late {
			return j.occ.At.UnixNano(), true
		}
	}
	return 0, false
}
