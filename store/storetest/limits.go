package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// createAtOnce runs newSchedule(i) for i in [0, n) from n goroutines that start
// together, creates each schedule, and returns how many were created and
// the error codes of the others.
func createAtOnce(t *testing.T, d store.Backend, n int, newSchedule func(i int) *stretchbot.Schedule) (created int, codes map[string]int) {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		start = make(chan struct{})
	)
	codes = map[string]int{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSchedule(i)
			<-start
			err := d.CreateSchedule(ctx, s)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				created++
			} else {
				codes[stretchbot.ErrorCode(err)]++
			}
		}()
	}
	close(start)
	wg.Wait()
	return created, codes
}

// count returns how many schedules of kind the index holds for owner (or,
// with guild set, for that server).
func count(t *testing.T, d store.Backend, owner, guild string, kind stretchbot.ScheduleKind) int {
	t.Helper()
	var list []stretchbot.Schedule
	var err error
	if guild != "" {
		list, err = d.SchedulesByGuild(ctx, guild)
	} else {
		list, err = d.SchedulesByOwner(ctx, owner)
	}
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range list {
		if s.Kind == kind {
			n++
		}
	}
	return n
}

// testLimitsUnderConcurrency: every limit holds when many requests arrive
// at once, because the check runs in the transaction that writes
// (stretchbot.Admit), not before it.
func testLimitsUnderConcurrency(t *testing.T, h Harness) {
	t.Run("check-in reminder: one", func(t *testing.T) {
		d := open(t, h)
		created, codes := createAtOnce(t, d, 20, func(i int) *stretchbot.Schedule {
			return &stretchbot.Schedule{Owner: Alice, Kind: stretchbot.KindCheckIn, At: T0.Add(72 * time.Hour), TimeZone: "UTC", Created: T0}
		})
		if created != 1 || codes[stretchbot.ECONFLICT] != 19 || count(t, d, Alice, "", stretchbot.KindCheckIn) != 1 {
			t.Fatalf("20 presses at once: %d created, refusals %v", created, codes)
		}
	})
	t.Run("breaks: 25 per server", func(t *testing.T) {
		d := open(t, h)
		for range stretchbot.MaxBreaksPerGuild - 1 {
			mustCreate(t, d, Break(Alice))
		}
		created, codes := createAtOnce(t, d, 20, func(int) *stretchbot.Schedule { return Break(Bob) })
		if created != 1 || codes[stretchbot.ELIMIT] != 19 {
			t.Fatalf("20 sets on top of 24: %d created, refusals %v", created, codes)
		}
		if n := count(t, d, "", Guild, stretchbot.KindBreak); n != stretchbot.MaxBreaksPerGuild {
			t.Fatalf("%d breaks, limit %d", n, stretchbot.MaxBreaksPerGuild)
		}
	})
	t.Run("reminders: 10 per person", func(t *testing.T) {
		d := open(t, h)
		created, codes := createAtOnce(t, d, 20, func(int) *stretchbot.Schedule { return Reminder(Alice) })
		if created != stretchbot.MaxSchedulesPerUser || codes[stretchbot.ELIMIT] != 20-stretchbot.MaxSchedulesPerUser {
			t.Fatalf("20 different reminders at once: %d created, refusals %v", created, codes)
		}
	})
	t.Run("the same reminder: one", func(t *testing.T) {
		d := open(t, h)
		created, codes := createAtOnce(t, d, 20, func(int) *stretchbot.Schedule {
			return &stretchbot.Schedule{Owner: Alice, Kind: stretchbot.KindReminder, Spec: "30 7 * * *", TimeZone: "Europe/Berlin", Created: T0}
		})
		if created != 1 || codes[stretchbot.ECONFLICT] != 19 {
			t.Fatalf("20 identical reminders at once: %d created, refusals %v", created, codes)
		}
	})
	t.Run("snoozes: bounded", func(t *testing.T) {
		d := open(t, h)
		created, codes := createAtOnce(t, d, 20, func(i int) *stretchbot.Schedule {
			return &stretchbot.Schedule{Owner: Alice, Kind: stretchbot.KindSnooze, At: T0.Add(time.Duration(i+1) * time.Minute), TimeZone: "UTC", Created: T0}
		})
		if created != stretchbot.MaxSnoozesPerUser || count(t, d, Alice, "", stretchbot.KindSnooze) != stretchbot.MaxSnoozesPerUser {
			t.Fatalf("20 snoozes at once: %d created, refusals %v", created, codes)
		}
	})
}

func testDuplicateNamesTheExisting(t *testing.T, h Harness) {
	d := open(t, h)
	first := &stretchbot.Schedule{Owner: Alice, Kind: stretchbot.KindReminder, Spec: "30 7 * * *", TimeZone: "Europe/Berlin", Created: T0}
	mustCreate(t, d, first)
	err := d.CreateSchedule(ctx, &stretchbot.Schedule{Owner: Alice, Kind: stretchbot.KindReminder, Spec: "30 7 * * *", TimeZone: "Europe/Berlin", Created: T0})
	dup, ok := stretchbot.AsDuplicate(err)
	if !ok || dup.Existing.ID != first.ID {
		t.Fatalf("err = %v, want a duplicate of #%d", err, first.ID)
	}
	// Changing another reminder into the same one is refused too; pausing
	// one changes nothing Admit looks at.
	other := Reminder(Alice)
	mustCreate(t, d, other)
	if _, err := d.UpdateSchedule(ctx, other.ID, func(s *stretchbot.Schedule) error { s.Spec = "30 7 * * *"; return nil }); !isDup(err) {
		t.Fatalf("edit into a duplicate: err = %v", err)
	}
	if _, err := d.UpdateSchedule(ctx, first.ID, func(s *stretchbot.Schedule) error { s.Paused = true; return nil }); err != nil {
		t.Fatalf("pause: %v", err)
	}
}

func isDup(err error) bool {
	_, ok := stretchbot.AsDuplicate(err)
	return ok
}
