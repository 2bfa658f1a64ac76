package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/postgres/pgtest"
)

var t0 = time.Date(2025, 3, 10, 7, 30, 0, 0, time.UTC)

func openB(b *testing.B) *postgres.DB {
	b.Helper()
	db, err := postgres.Open(context.Background(), pgtest.Schema(b), postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkAddCompletion is store's benchmark of the same name on
// PostgreSQL: "Done" clicks from many interactions at once, each its own
// transaction (the pool holds a few connections; commits do not merge).
func BenchmarkAddCompletion(b *testing.B) {
	db := openB(b)
	ctx := context.Background()
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

// BenchmarkArm1M writes a million reminders in transactions of 10k, marks
// one occurrence of every tenth as fired, and arms a scheduler from the
// database as a new leader does: the scan (ForEachSchedule, joining the
// fired journal) and the arming are timed apart. Skipped with -short.
func BenchmarkArm1M(b *testing.B) {
	if testing.Short() {
		b.Skip("a million schedules take a while")
	}
	const total, perTx = 1_000_000, 10_000
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		db := openB(b)
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
		var occ []stretchbot.Fired
		for id := uint64(1); id <= total; id += 10 {
			occ = append(occ, stretchbot.Fired{ScheduleID: id, At: t0})
			if len(occ) == perTx {
				if _, err := db.MarkFired(ctx, occ); err != nil {
					b.Fatal(err)
				}
				occ = occ[:0]
			}
		}
		if _, err := db.MarkFired(ctx, occ); err != nil {
			b.Fatal(err)
		}
		sched := scheduler.New(scheduler.Options{Deliver: func(context.Context, scheduler.Occurrence) error { return nil }})
		b.StartTimer()
		start = time.Now()
		var scanned []stretchbot.Schedule
		var last []time.Time
		if err := db.ForEachSchedule(ctx, func(s stretchbot.Schedule, lf time.Time) error {
			scanned, last = append(scanned, s), append(last, lf)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		scan := time.Since(start)
		start = time.Now()
		for i, s := range scanned {
			if err := sched.Arm(s, last[i]); err != nil {
				b.Fatal(err)
			}
		}
		arm := time.Since(start)
		b.StopTimer()
		if sched.Len() != total {
			b.Fatalf("armed %d, want %d", sched.Len(), total)
		}
		b.ReportMetric(write.Seconds(), "write-s")
		b.ReportMetric(scan.Seconds(), "scan-s")
		b.ReportMetric(arm.Seconds(), "arm-s")
	}
}
