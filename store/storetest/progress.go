package storetest

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

// testProgress: every completion is counted in its user's Progress in the
// transaction that stores it, in the user's local dates, with away days
// keeping a streak; out-of-order completions and users from before
// summaries get theirs built from the whole history.
func testProgress(t *testing.T, h Harness) {
	d := open(t, h)
	progress := func(user string) stretchbot.Progress {
		t.Helper()
		u := must[stretchbot.User](t)(d.User(ctx, user))
		if u.Progress == nil {
			t.Fatalf("%s has no progress", user)
		}
		return *u.Progress
	}
	add := func(user string, at time.Time, stretch string) {
		t.Helper()
		if err := d.AddCompletion(ctx, stretchbot.Completion{UserID: user, At: at, StretchID: stretch, Source: stretchbot.SourceManual}); err != nil {
			t.Fatal(err)
		}
	}
	day := func(s string) stretchbot.Day {
		var x stretchbot.Day
		if err := x.UnmarshalText([]byte(s)); err != nil {
			t.Fatal(err)
		}
		return x
	}
	must[stretchbot.User](t)(d.UpdateUser(ctx, Alice, func(u *stretchbot.User) error { u.TimeZone = "Europe/Berlin"; return nil }))
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := func(date string, hour, minute int) time.Time {
		x := day(date)
		return time.Date(x.Year, x.Month, x.Day, hour, minute, 0, 0, berlin)
	}
	// 23:30 in Berlin is the next day in UTC: the day is Berlin's.
	add(Alice, at("2025-03-10", 23, 30), "cat-cow")
	add(Alice, at("2025-03-11", 8, 0), "cat-cow")
	add(Alice, at("2025-03-11", 20, 0), "child-pose")
	add(Alice, at("2025-03-12", 7, 0), "")
	want := stretchbot.Progress{Total: 4, PerStretch: map[string]int{"cat-cow": 2, "child-pose": 1, "": 1}, Best: 3, Run: 3, Last: day("2025-03-12"), LastCount: 1}
	if got := progress(Alice); !reflect.DeepEqual(got, want) {
		t.Fatalf("after three days:\n got %+v\nwant %+v", got, want)
	}
	// A missed day starts a new run; the best stays.
	add(Alice, at("2025-03-14", 9, 0), "cat-cow")
	if got := progress(Alice); got.Run != 1 || got.Best != 3 || got.Last != day("2025-03-14") || got.Total != 5 {
		t.Fatalf("after a missed day: %+v", got)
	}
	// Days away keep the run going.
	must[stretchbot.User](t)(d.UpdateUser(ctx, Alice, func(u *stretchbot.User) error {
		u.GoAway(day("2025-03-15"), day("2025-03-18"))
		return nil
	}))
	add(Alice, at("2025-03-19", 9, 0), "cat-cow")
	if got := progress(Alice); got.Run != 2 || got.Best != 3 {
		t.Fatalf("after four days away: %+v, want a run of 2", got)
	}
	d.reopen()
	if got := progress(Alice); got.Total != 6 || got.Run != 2 || got.PerStretch["cat-cow"] != 4 {
		t.Fatalf("after reopen: %+v", got)
	}

	// A completion dated before the last one: the summary is rebuilt and
	// fills the gap of the 13th, so the run from the 10th reaches the 19th.
	add(Alice, at("2025-03-13", 12, 0), "child-pose")
	if got := progress(Alice); got.Total != 7 || got.Run != 6 || got.Best != 6 || got.Last != day("2025-03-19") || got.LastCount != 1 {
		t.Fatalf("after a completion out of order: %+v, want run and best 6", got)
	}

	// Someone whose completions predate summaries (no Progress stored):
	// the next completion builds it from their whole history.
	for i := range 3 {
		add(Bob, T0.AddDate(0, 0, i), "cat-cow")
	}
	must[stretchbot.User](t)(d.UpdateUser(ctx, Bob, func(u *stretchbot.User) error { u.Progress = nil; return nil }))
	add(Bob, T0.AddDate(0, 0, 3), "cat-cow")
	if got := progress(Bob); got.Total != 4 || got.Run != 4 || got.Best != 4 || got.PerStretch["cat-cow"] != 4 {
		t.Fatalf("built from the history: %+v, want 4 in a run of 4", got)
	}

	// Concurrent completions of one person all count.
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if err := d.AddCompletion(ctx, stretchbot.Completion{UserID: Bob, At: T0.AddDate(0, 0, 4), Source: stretchbot.SourceButton}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := progress(Bob); got.Total != 4+n || got.LastCount != n || got.Run != 5 {
		t.Fatalf("after %d at once: %+v", n, got)
	}

	// A stretch-break click is a completion, and counts.
	br := mustCreate(t, d.Backend, Break(Alice))
	before := progress(Bob).Total
	if counted, _, err := d.RecordBreakClick(ctx, br, T0, Bob, T0.AddDate(0, 0, 5)); err != nil || !counted {
		t.Fatalf("break click: counted %v, err %v", counted, err)
	}
	if got := progress(Bob); got.Total != before+1 || got.Run != 6 {
		t.Fatalf("after a break click: %+v", got)
	}
}
