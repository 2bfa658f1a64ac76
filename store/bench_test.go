package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/internal/benchdata"
	"github.com/stretchbot/stretchbot/store"
)

// BenchmarkAddCompletion measures "Done" clicks arriving from many
// interactions at once: throughput, and the latency each caller sees.
// Batch merges concurrent calls into one commit, so the throughput depends
// on how many calls are in flight: 64 goroutines per CPU stand for a busy
// bot, not for CPU-bound work, and each waits for its commit's fsync.
func BenchmarkAddCompletion(b *testing.B) {
	db := mustOpenB(b)
	var n atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(64)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := n.Add(1)
			c := stretchbot.Completion{UserID: fmt.Sprint(100000000000000000 + i%5000), At: t0.Add(time.Duration(i)), Source: stretchbot.SourceButton}
			t := time.Now()
			if err := db.AddCompletion(ctx, c); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkSchedules1M writes a million reminders (benchdata: three per
// person, ten zones) in transactions of 10k, each with its journal marker,
// and then reads them back with ForEachSchedule, as the bot does at start.
// It reports the time of each phase and the file size per schedule
// (schedule, indexes and journal together). Skipped with -short.
func BenchmarkSchedules1M(b *testing.B) {
	if testing.Short() {
		b.Skip("a million schedules take a while")
	}
	const total = 1_000_000
	for range b.N {
		b.StopTimer()
		db := mustOpenB(b)
		b.StartTimer()
		start := time.Now()
		if _, err := benchdata.Write(ctx, db, total, t0); err != nil {
			b.Fatal(err)
		}
		write := time.Since(start)
		start = time.Now()
		count, fired := 0, 0
		err := db.ForEachSchedule(ctx, func(s stretchbot.Schedule, lf time.Time) error {
			count++
			if !lf.IsZero() {
				fired++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		scan := time.Since(start)
		if count != total || fired != total {
			b.Fatalf("scanned %d schedules (%d fired), want %d", count, fired, total)
		}
		fi, err := os.Stat(db.Path())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(write.Seconds(), "write-s")
		b.ReportMetric(scan.Seconds(), "scan-s")
		b.ReportMetric(float64(fi.Size())/total, "file-bytes/schedule")
		b.ReportMetric(float64(len(store.EncodedScheduleSize(benchdata.Schedule(1, t0)))), "value-bytes/schedule")
	}
}

// BenchmarkJournal30Days fires every one of 100k daily reminders
// (benchdata: 33k people with three each) once a day for 30 simulated days, the way the
// scheduler records them: MarkFired with a send time in batches, then
// MarkDelivered. It reports the file size per schedule after day 1 and
// after day 30 (goal: at most 400 B, and no growth), and how long the
// sweeper's scrub of the freed pages then holds the write lock (goal: at
// most 50 ms). Skipped with -short.
func BenchmarkJournal30Days(b *testing.B) {
	if testing.Short() {
		b.Skip("30 simulated days of 100k reminders")
	}
	const n, days, batch = 100_000, 30, 2000
	for range b.N {
		b.StopTimer()
		var scrubHeld atomic.Int64
		db, err := store.Open(filepath.Join(b.TempDir(), "journal.db"), store.Options{ObserveTx: func(kind string, d time.Duration) {
			if kind == "scrub" && int64(d) > scrubHeld.Load() {
				scrubHeld.Store(int64(d))
			}
		}})
		if err != nil {
			b.Fatal(err)
		}
		ids, err := benchdata.Write(ctx, db, n, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		size := func() float64 {
			fi, err := os.Stat(db.Path())
			if err != nil {
				b.Fatal(err)
			}
			return float64(fi.Size()) / n
		}
		b.StartTimer()
		var day1 float64
		for d := range days {
			at := t0.Add(time.Duration(d) * 24 * time.Hour)
			for lo := 0; lo < n; lo += batch {
				occ := make([]stretchbot.Fired, 0, batch)
				for _, id := range ids[lo:min(lo+batch, n)] {
					occ = append(occ, stretchbot.Fired{ScheduleID: id, At: at, Sent: at})
				}
				fresh, err := db.MarkFired(ctx, occ)
				if err != nil {
					b.Fatal(err)
				}
				for _, ok := range fresh {
					if !ok {
						b.Fatal("an occurrence of a new day was not new")
					}
				}
				if err := db.MarkDelivered(ctx, occ); err != nil {
					b.Fatal(err)
				}
			}
			if d == 0 {
				day1 = size()
			}
		}
		b.StopTimer()
		un, err := db.Undelivered(ctx)
		if err != nil || len(un) != 0 {
			b.Fatalf("undelivered after 30 days: %d, %v", len(un), err)
		}
		// The sweeper's other job: ScrubFreePages holds bbolt's one write
		// lock while it zeroes the pages 30 days of commits freed, one part
		// of the file per write transaction; the longest one counts.
		zeroed, err := db.ScrubFreePages(ctx)
		if err != nil {
			b.Fatal(err)
		}
		scrub := time.Duration(scrubHeld.Load())
		b.ReportMetric(day1, "B/schedule-day1")
		b.ReportMetric(size(), "B/schedule-day30")
		b.ReportMetric(float64(scrub.Microseconds())/1000, "scrub-write-ms")
		b.ReportMetric(float64(zeroed), "scrub-pages")
		db.Close()
	}
}

// BenchmarkPruneCheckIns deletes 200k expired check-ins (2,000 people,
// 100 each) while reporting the longest write transaction: the sweeper
// runs beside deliveries and clicks, and bbolt has one writer, so no
// transaction of it may hold the lock long (goal: at most 50 ms).
func BenchmarkPruneCheckIns(b *testing.B) {
	if testing.Short() {
		b.Skip("writes 200k check-ins")
	}
	const people, each = 2000, 100
	for range b.N {
		b.StopTimer()
		var writes []time.Duration // only the prune writes while measuring
		var measuring atomic.Bool
		db, err := store.Open(filepath.Join(b.TempDir(), "prune.db"), store.Options{ObserveTx: func(kind string, d time.Duration) {
			if measuring.Load() && kind == "update" {
				writes = append(writes, d)
			}
		}})
		if err != nil {
			b.Fatal(err)
		}
		store.SetNoSync(db, true) // the starting data is not what is timed
		var wg sync.WaitGroup
		for p := range people {
			wg.Go(func() {
				for i := range each {
					r := stretchbot.CheckInRecord{UserID: fmt.Sprint(100000000000000000 + p), At: t0.Add(time.Duration(i) * time.Hour), Pain: 2}
					if err := db.AddCheckIn(ctx, r); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		store.SetNoSync(db, false)
		measuring.Store(true)
		b.StartTimer()
		start := time.Now()
		got, err := db.PruneCheckIns(ctx, t0.Add(365*24*time.Hour))
		took := time.Since(start)
		b.StopTimer()
		measuring.Store(false)
		if err != nil || got != people*each {
			b.Fatalf("pruned %d, %v; want %d", got, err, people*each)
		}
		slices.Sort(writes)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(writes[len(writes)/2]), "p50-write-ms")
		b.ReportMetric(ms(writes[len(writes)-1]), "longest-write-ms")
		b.ReportMetric(took.Seconds(), "total-s")
		db.Close()
	}
}
