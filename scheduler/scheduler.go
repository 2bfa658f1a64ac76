package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
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
	// ResendWindow is how old an unsettled send may be and still be sent
	// again by Resend. Default DefaultResendWindow.
	ResendWindow time.Duration
}

// Stats are counters for metrics. Counters only grow; Armed and QueueDepth
// are current values.
type Stats struct {
	Fired       uint64 // delivered successfully
	Late        uint64 // of Fired, sent late within the grace period
	Skipped     uint64 // not delivered on purpose: owner paused, too old, skipped, edited or removed while firing, already recorded
	Failed      uint64 // retries exhausted, or not recorded because the journal failed
	Permanent   uint64 // failed with a Permanent error
	Dropped     uint64 // not sent because Stop's context ended first; the next start finds them again (unrecorded ones from the schedule, recorded ones through Resend)
	Resent      uint64 // queued by Resend: recorded by an earlier run, never settled
	Unconfirmed uint64 // given to Resend too old to send again (or paused): they may or may not have arrived
	Armed       int    // schedules in the heap
	QueueDepth  int    // due occurrences waiting for the rate limiter (not yet recorded, or resends)
}

// Scheduler keeps every armed schedule in one min-heap ordered by next fire
// time, with a single timer set to the head: arming, removing and firing
// cost O(log n), however many schedules there are.
//
// Firing is exactly once: an occurrence is recorded in the Journal right
// before it is handed to delivery (a few at a time), and one that the
// Journal already knows is dropped; it is settled in the Journal once
// delivered. If the process dies in between, the next start resends it
// (Resend) and the DeliverFunc's idempotent send keeps it to one message;
// occurrences still queued unrecorded are found again from the schedule
// (see the package doc).
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
	settler *settler
	// resendWindow bounds how old a send Resend repeats.
	resendWindow time.Duration
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

	zoneMu sync.Mutex
	zones  map[string]*tz // loaded once each, shared by their entries

	mu         sync.Mutex // guards the fields below
	heap       entryHeap
	byID       idIndex
	paused     map[owner]struct{}
	ownerIDs   map[string]owner // owners that are not decimal ids, numbered
	ownerNames []string
	gen        uint32
	timer      Timer
	timerAt    int64 // deadline the timer is set to, Unix ns; MaxInt64 when idle

	fired, late, skipped, failed, permanent, dropped, resent, unconfirmed atomic.Uint64
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
	if opts.ResendWindow <= 0 {
		opts.ResendWindow = DefaultResendWindow
	}
	s := &Scheduler{
		clock:        opts.Clock,
		journal:      opts.Journal,
		deliver:      opts.Deliver,
		grace:        opts.Grace,
		retries:      opts.MaxRetries,
		workers:      opts.Workers,
		log:          opts.Logger,
		onPerm:       opts.OnPermanentFailure,
		limiter:      newLimiter(opts.Clock, opts.Rate),
		settler:      newSettler(),
		resendWindow: opts.ResendWindow,
		queue:        newQueue(),
		recordAhead:  RecordBatch(opts.Rate),
		work:         make(chan job),
		stopLoop:     make(chan struct{}),
		loopDone:     make(chan struct{}),
		allDone:      make(chan struct{}),
		zones:        map[string]*tz{},
		byID:         newIDIndex(),
		paused:       map[owner]struct{}{},
		ownerIDs:     map[string]owner{},
		timerAt:      math.MaxInt64,
	}
	s.timer = s.clock.NewTimer(time.Hour)
	s.timer.Stop()
	return s
}

// Start runs the scheduler's goroutines: one that fires due schedules, one
// that paces deliveries, Options.Workers that deliver and one that settles
// delivered occurrences in the Journal. They run until
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
		settled := make(chan struct{})
		go func() {
			defer close(settled)
			// Settling is a quick local write that must outlive Stop's
			// deadline: an occurrence delivered and not settled is sent
			// again after a restart.
			s.runSettler(context.WithoutCancel(s.ctx))
		}()
		go func() {
			wg.Wait()
			s.settler.close()
			<-settled
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

// zoneOf returns the zone by name, loaded once per scheduler: loading
// reads a file and makes a new *time.Location each time, and the name is
// kept once, not per schedule.
func (s *Scheduler) zoneOf(name string) (*tz, error) {
	s.zoneMu.Lock()
	defer s.zoneMu.Unlock()
	if z, ok := s.zones[name]; ok {
		return z, nil
	}
	loc, err := stretchbot.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	z := &tz{name: strings.Clone(name), loc: loc}
	s.zones[name] = z
	return z, nil
}

// Stats returns the current counters.
func (s *Scheduler) Stats() Stats {
	s.mu.Lock()
	armed := len(s.heap)
	s.mu.Unlock()
	return Stats{
		Fired:       s.fired.Load(),
		Late:        s.late.Load(),
		Skipped:     s.skipped.Load(),
		Failed:      s.failed.Load(),
		Permanent:   s.permanent.Load(),
		Dropped:     s.dropped.Load(),
		Resent:      s.resent.Load(),
		Unconfirmed: s.unconfirmed.Load(),
		Armed:       armed,
		QueueDepth:  s.queue.len(),
	}
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
