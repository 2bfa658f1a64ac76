package store_test

import (
	"fmt"
	"os"
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
