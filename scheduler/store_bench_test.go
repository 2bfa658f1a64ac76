package scheduler

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/internal/benchdata"
	"github.com/stretchbot/stretchbot/store"
)

// millionFile is a bbolt file with a million reminders (benchdata: three
// per person, ten zones, one in ten in a server channel), each fired
// yesterday, written once per test binary (about 20 s).
var millionFile struct {
	once      sync.Once
	dir, path string // TestMain removes dir
	err       error
}

const million = 1_000_000

func millionDB(b *testing.B) string {
	b.Helper()
	millionFile.once.Do(func() {
		dir, err := os.MkdirTemp("", "stretchbot-bench-")
		if err != nil {
			millionFile.err = err
			return
		}
		millionFile.dir = dir
		millionFile.path = filepath.Join(dir, "million.db")
		db, err := store.Open(millionFile.path, store.Options{})
		if err != nil {
			millionFile.err = err
			return
		}
		defer db.Close()
		_, millionFile.err = benchdata.Write(context.Background(), db, million, time.Now().Add(-24*time.Hour).Truncate(time.Hour))
	})
	if millionFile.err != nil {
		b.Fatal(millionFile.err)
	}
	return millionFile.path
}

// BenchmarkArm1MFromStore loads a million schedules from a bbolt file and
// arms them, as the bot does at start, and reports the time and the heap
// that stays per schedule (goal: at most 160 B). Skipped with -short.
func BenchmarkArm1MFromStore(b *testing.B) {
	if testing.Short() {
		b.Skip("writes a million schedules first")
	}
	path := millionDB(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		before := heapInUse()
		b.StartTimer()
		s := New(Options{Deliver: nopDeliver})
		err = db.ForEachSchedule(ctx, func(sc stretchbot.Schedule, last time.Time) error {
			return s.Arm(sc, last)
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if s.Len() != million {
			b.Fatalf("%d armed, want %d", s.Len(), million)
		}
		b.ReportMetric(float64(heapInUse()-before)/million, "B/schedule")
		runtime.KeepAlive(s)
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/1M")
}
