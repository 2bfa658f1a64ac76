package scheduler

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/internal/benchdata"
)

// benchSchedules makes n reminders as benchdata does (three per person,
// ten zones, times of day in five-minute steps), with IDs from firstID.
func benchSchedules(n int, firstID uint64) []stretchbot.Schedule {
	out := make([]stretchbot.Schedule, n)
	for i := range out {
		out[i] = *benchdata.Schedule(i, time.Time{})
		out[i].ID = firstID + uint64(i)
	}
	return out
}

// robfigSpec is sc's spec for robfig's parser, in sc's own zone: robfig
// reads a CRON_TZ= prefix per entry.
func robfigSpec(sc stretchbot.Schedule) string { return "CRON_TZ=" + sc.TimeZone + " " + sc.Spec }

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func nopDeliver(context.Context, Occurrence) error { return nil }

// BenchmarkArm1M arms a million schedules; goal ≤ 3 s and ≤ 300 B each.
func BenchmarkArm1M(b *testing.B) {
	const n = 1_000_000
	scheds := benchSchedules(n, 1)
	for b.Loop() {
		b.StopTimer()
		before := heapInUse()
		b.StartTimer()
		s := New(Options{Deliver: nopDeliver})
		for _, sc := range scheds {
			if err := s.Arm(sc, time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(heapInUse()-before)/n, "bytes/schedule")
		runtime.KeepAlive(s)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/schedule")
}

// BenchmarkArm1MRobfig adds the same million schedules, each in its own
// zone, to a robfig Cron and starts it (its best case otherwise: added
// before Start, sorted once). Stop returns once the run loop has sorted
// them; nothing is copied to find out.
func BenchmarkArm1MRobfig(b *testing.B) {
	const n = 1_000_000
	scheds := benchSchedules(n, 1)
	for b.Loop() {
		b.StopTimer()
		before := heapInUse()
		b.StartTimer()
		c := cron.New()
		for _, sc := range scheds {
			if _, err := c.AddFunc(robfigSpec(sc), func() {}); err != nil {
				b.Fatal(err)
			}
		}
		c.Start()
		<-c.Stop().Done()
		b.StopTimer()
		b.ReportMetric(float64(heapInUse()-before)/n, "bytes/schedule")
		runtime.KeepAlive(c)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/schedule")
}

// BenchmarkAddWhile100kArmed arms one more schedule on a running scheduler
// holding 100,000.
func BenchmarkAddWhile100kArmed(b *testing.B) {
	s := New(Options{Deliver: nopDeliver})
	for _, sc := range benchSchedules(100_000, 1) {
		if err := s.Arm(sc, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	defer s.Stop(ctx)
	extra := benchSchedules(1000, 1_000_000)
	i := 0
	for b.Loop() {
		sc := extra[i%len(extra)]
		sc.ID = uint64(1_000_000 + i)
		if err := s.Arm(sc, time.Time{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAddWhile100kArmedRobfig is the same on a running robfig Cron,
// which re-sorts all entries on each add.
func BenchmarkAddWhile100kArmedRobfig(b *testing.B) {
	c := cron.New()
	for _, sc := range benchSchedules(100_000, 1) {
		if _, err := c.AddFunc(robfigSpec(sc), func() {}); err != nil {
			b.Fatal(err)
		}
	}
	c.Start()
	defer func() { <-c.Stop().Done() }()
	extra := benchSchedules(1000, 1_000_000)
	i := 0
	for b.Loop() {
		if _, err := c.AddFunc(robfigSpec(extra[i%len(extra)]), func() {}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkFireLateness1M measures, on the real clock with a million
// schedules armed, how late 2,000 one-shots due over two seconds are
// delivered; goal p99 ≤ 20 ms. The rate limit is lifted to measure the
// scheduler, not Discord's limit.
func BenchmarkFireLateness1M(b *testing.B) {
	const probes = 2000
	var mu sync.Mutex
	var lateness []time.Duration
	done := make(chan struct{}, 1)
	s := New(Options{Rate: 1e6, Deliver: func(_ context.Context, o Occurrence) error {
		if o.Schedule.Kind != stretchbot.KindSnooze {
			return nil
		}
		mu.Lock()
		lateness = append(lateness, time.Since(o.At))
		if len(lateness)%probes == 0 {
			done <- struct{}{}
		}
		mu.Unlock()
		return nil
	}})
	for _, sc := range benchSchedules(1_000_000, 1) {
		if err := s.Arm(sc, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	defer s.Stop(ctx)
	id := uint64(10_000_000)
	for b.Loop() {
		start := time.Now().Add(100 * time.Millisecond)
		for k := range probes {
			id++
			if err := s.Arm(stretchbot.Schedule{ID: id, Owner: "probe", Kind: stretchbot.KindSnooze,
				At: start.Add(time.Duration(k) * time.Millisecond), TimeZone: "UTC"}, time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
		<-done
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(lateness)
	b.ReportMetric(float64(lateness[len(lateness)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lateness[len(lateness)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lateness[len(lateness)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkLimiter10k sends 10,000 occurrences that come due together
// through the limiter on the real clock; goal ≥ 90 % of the configured rate.
// The rate is raised from 45/s to 2,000/s so a run takes seconds, not
// minutes; the pacing logic is the same.
func BenchmarkLimiter10k(b *testing.B) {
	const n, rate = 10_000, 2000.0
	var sent atomic.Int64
	var first, last atomic.Int64
	done := make(chan struct{}, 1)
	s := New(Options{Rate: rate, Deliver: func(context.Context, Occurrence) error {
		now := time.Now().UnixNano()
		first.CompareAndSwap(0, now)
		last.Store(now)
		if sent.Add(1)%n == 0 {
			done <- struct{}{}
		}
		return nil
	}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	defer s.Stop(ctx)
	id := uint64(0)
	var achieved float64
	for b.Loop() {
		first.Store(0)
		start := time.Now().Add(50 * time.Millisecond)
		for k := range n {
			id++
			if err := s.Arm(stretchbot.Schedule{ID: id, Owner: "u", Kind: stretchbot.KindSnooze,
				At: start.Add(time.Duration(k) * time.Microsecond), TimeZone: "UTC"}, time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
		<-done
		achieved = float64(n-1) / time.Duration(last.Load()-first.Load()).Seconds()
	}
	b.ReportMetric(achieved, "sent/s")
	b.ReportMetric(100*achieved/rate, "%-of-rate")
}
