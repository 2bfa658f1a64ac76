package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// BenchmarkAddCompletion measures "Done" clicks arriving from many
// interactions at once. Batch merges concurrent calls into one commit, so
// the throughput depends on how many calls are in flight: 64 goroutines
// per CPU stand for a busy bot, not for CPU-bound work.
func BenchmarkAddCompletion(b *testing.B) {
	db := mustOpenB(b)
	var n atomic.Int64
	b.SetParallelism(64)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			c := stretchbot.Completion{UserID: fmt.Sprint(100000000000000000 + i%5000), At: t0.Add(time.Duration(i)), Source: stretchbot.SourceButton}
			if err := db.AddCompletion(ctx, c); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
}

// BenchmarkSchedules1M writes a million reminders in transactions of 10k
// and then arms from them with ForEachSchedule, as the bot does at start.
// It reports the time of each phase and the file size per schedule
// (schedule, owner index and guild index together). Skipped with -short.
func BenchmarkSchedules1M(b *testing.B) {
	if testing.Short() {
		b.Skip("a million schedules take a while")
	}
	const total, perTx = 1_000_000, 10_000
	for range b.N {
		b.StopTimer()
		db := mustOpenB(b)
		b.StartTimer()
		start := time.Now()
		batch := make([]*stretchbot.Schedule, perTx)
		for done := 0; done < total; done += perTx {
			for i := range batch {
				n := done + i
				batch[i] = &stretchbot.Schedule{
					Owner: fmt.Sprint(100000000000000000 + n), GuildID: fmt.Sprint(900000000000000000 + n%1000),
					ChannelID: fmt.Sprint(800000000000000000 + n%5000), Kind: stretchbot.KindReminder,
					Spec: fmt.Sprintf("%d %d * * 1-5", n%60, n%24), TimeZone: "Europe/Berlin", Created: t0,
				}
			}
			if err := db.CreateSchedules(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		write := time.Since(start)
		// Mark one occurrence of every tenth schedule so the scan also
		// joins fired_last.
		var occ []stretchbot.Fired
		for id := uint64(1); id <= total; id += 10 {
			occ = append(occ, stretchbot.Fired{ScheduleID: id, At: t0})
		}
		if _, err := db.MarkFired(ctx, occ); err != nil {
			b.Fatal(err)
		}
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
		if count != total || fired != total/10 {
			b.Fatalf("scanned %d schedules (%d fired), want %d (%d)", count, fired, total, total/10)
		}
		fi, err := os.Stat(db.Path())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(write.Seconds(), "write-s")
		b.ReportMetric(scan.Seconds(), "scan-s")
		b.ReportMetric(float64(fi.Size())/total, "file-bytes/schedule")
		b.ReportMetric(float64(len(store.EncodedScheduleSize(batch[0]))), "value-bytes/schedule")
	}
}

// seedUsers writes n reminders for n/3 people, three each at different
// times of day, in transactions of a few thousand, and returns their ids.
func seedUsers(b *testing.B, db *store.DB, n int) []uint64 {
	b.Helper()
	ids := make([]uint64, 0, n)
	const perTx = 5000
	for done := 0; done < n; done += perTx {
		batch := make([]*stretchbot.Schedule, min(perTx, n-done))
		for i := range batch {
			k := done + i
			user := k / 3
			batch[i] = &stretchbot.Schedule{
				Owner: fmt.Sprint(100000000000000000 + user), Kind: stretchbot.KindReminder,
				Spec: fmt.Sprintf("%d %d * * *", user%60, 7+5*(k%3)), TimeZone: []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo"}[user%3], Created: t0,
			}
			if k%10 == 0 { // some post in a server channel
				batch[i].GuildID, batch[i].ChannelID = fmt.Sprint(900000000000000000+user%1000), fmt.Sprint(800000000000000000+user%5000)
			}
		}
		if err := db.CreateSchedules(ctx, batch); err != nil {
			b.Fatal(err)
		}
		for _, s := range batch {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// BenchmarkJournal30Days fires every one of 100k daily reminders (33k
// people with three each) once a day for 30 simulated days, the way the
// scheduler records them: MarkFired with a send time in batches, then
// MarkDelivered. It reports the file size per schedule after day 1 and
// after day 30 (goal: at most 400 B, and no growth). Skipped with -short.
func BenchmarkJournal30Days(b *testing.B) {
	if testing.Short() {
		b.Skip("30 simulated days of 100k reminders")
	}
	const n, days, batch = 100_000, 30, 2000
	for range b.N {
		b.StopTimer()
		db, err := store.Open(filepath.Join(b.TempDir(), "journal.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ids := seedUsers(b, db, n)
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
		b.ReportMetric(day1, "B/schedule-day1")
		b.ReportMetric(size(), "B/schedule-day30")
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
		var longest atomic.Int64
		var measuring atomic.Bool
		db, err := store.Open(filepath.Join(b.TempDir(), "prune.db"), store.Options{ObserveTx: func(kind string, d time.Duration) {
			if measuring.Load() && kind == "update" && int64(d) > longest.Load() {
				longest.Store(int64(d))
			}
		}})
		if err != nil {
			b.Fatal(err)
		}
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
		b.ReportMetric(float64(time.Duration(longest.Load()).Microseconds())/1000, "longest-write-ms")
		b.ReportMetric(took.Seconds(), "total-s")
		db.Close()
	}
}
