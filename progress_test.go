package stretchbot_test

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/stretchbot/stretchbot"
)

// TestProgressAgreesWithTheHistory: a Progress built one completion at a
// time, in any order, gives the totals and streaks Summarize finds in the
// whole history, in the user's zone.
func TestProgressAgreesWithTheHistory(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, berlin) // DST starts on the 29th
	rapid.Check(t, func(t *rapid.T) {
		hours := rapid.SliceOfN(rapid.IntRange(0, 60*24), 0, 80).Draw(t, "hours")
		history := make([]stretchbot.Completion, len(hours))
		for i, h := range hours {
			history[i] = stretchbot.Completion{At: start.Add(time.Duration(h) * time.Hour), StretchID: []string{"a", "b", ""}[h%3]}
		}
		now := start.Add(time.Duration(rapid.IntRange(0, 62*24).Draw(t, "now")) * time.Hour)
		var past []stretchbot.Completion
		for _, c := range history {
			if !c.At.After(now) {
				past = append(past, c)
			}
		}
		want := stretchbot.Summarize(past, berlin, now, 1)
		// One at a time, as the store adds them, rebuilding when one
		// comes out of order.
		var p stretchbot.Progress
		for i, c := range past {
			if !p.Add(c, stretchbot.DayOf(c.At, berlin), nil) {
				p = stretchbot.BuildProgress(past[:i+1], berlin, nil)
			}
		}
		today := stretchbot.DayOf(now, berlin)
		if p.Total != want.Total || p.Best != want.BestStreak || p.Streak(today, nil) != want.CurrentStreak || p.Today(today) != want.Today {
			t.Fatalf("progress %+v: total %d best %d streak %d today %d; history says %d, %d, %d, %d",
				p, p.Total, p.Best, p.Streak(today, nil), p.Today(today), want.Total, want.BestStreak, want.CurrentStreak, want.Today)
		}
		for id, n := range want.PerStretch {
			if p.PerStretch[id] != n {
				t.Fatalf("per stretch %v, history says %v", p.PerStretch, want.PerStretch)
			}
		}
		if built := stretchbot.BuildProgress(past, berlin, nil); built.Total != p.Total || built.Best != p.Best || built.Run != p.Run || built.Last != p.Last {
			t.Fatalf("built %+v, added %+v", built, p)
		}
	})
}

func day(s string) stretchbot.Day {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return stretchbot.DayOf(t, time.UTC)
}

// TestAwayDaysKeepTheStreak: days away neither break a streak nor add to
// it, and a streak is broken by a missed day that was not away.
func TestAwayDaysKeepTheStreak(t *testing.T) {
	at := func(s string) stretchbot.Completion {
		return stretchbot.Completion{At: day(s).Time(time.UTC).Add(9 * time.Hour)}
	}
	away := []stretchbot.Away{{From: day("2026-03-03"), Until: day("2026-03-06")}}
	p := stretchbot.BuildProgress([]stretchbot.Completion{at("2026-03-01"), at("2026-03-02")}, time.UTC, away)
	for _, tt := range []struct {
		today string
		want  int
	}{
		{"2026-03-02", 2}, {"2026-03-03", 2}, {"2026-03-06", 2},
		{"2026-03-07", 2}, // the first day back may still come
		{"2026-03-08", 0}, // the first day back was missed
	} {
		if got := p.Streak(day(tt.today), away); got != tt.want {
			t.Errorf("streak on %s = %d, want %d", tt.today, got, tt.want)
		}
		if got := p.Streak(day(tt.today), nil); tt.today > "2026-03-03" && got != 0 {
			t.Errorf("without the away days, streak on %s = %d, want 0", tt.today, got)
		}
	}
	if !p.Add(at("2026-03-07"), day("2026-03-07"), away) || p.Run != 3 || p.Best != 3 {
		t.Fatalf("back after the away days: %+v, want a run of 3", p)
	}
	if p.Add(at("2026-03-05"), day("2026-03-05"), away) {
		t.Fatal("a completion before the last one was added in place")
	}
	p = stretchbot.BuildProgress([]stretchbot.Completion{at("2026-03-01"), at("2026-03-02"), at("2026-03-07")}, time.UTC, nil)
	if p.Run != 1 || p.Best != 2 {
		t.Fatalf("without away days: %+v, want the run broken", p)
	}
}

func TestGoAwayKeepsTheLatestPeriods(t *testing.T) {
	var u stretchbot.User
	first := day("2026-01-01")
	for i := range stretchbot.MaxAway + 3 {
		u.GoAway(first.AddDays(10*i), first.AddDays(10*i+2))
	}
	if len(u.Away) != stretchbot.MaxAway || u.Away[0].From != first.AddDays(30) {
		t.Fatalf("kept %d periods from %v, want %d from %v", len(u.Away), u.Away[0].From, stretchbot.MaxAway, first.AddDays(30))
	}
	// Going away again before the last period ended replaces it.
	u.GoAway(first.AddDays(10*(stretchbot.MaxAway+2)+1), first.AddDays(200))
	if n := len(u.Away); n != stretchbot.MaxAway || u.Away[n-1].Until != first.AddDays(200) || u.Away[n-2].Until != first.AddDays(10*(stretchbot.MaxAway+1)+2) {
		t.Fatalf("after changing the current period: %+v", u.Away[len(u.Away)-2:])
	}
	if _, ok := u.AwayOn(first.AddDays(199)); !ok {
		t.Fatal("not away on a day of the period")
	}
	if !slices.IsSortedFunc(u.Away, func(a, b stretchbot.Away) int { return a.From.Compare(b.From) }) {
		t.Fatalf("periods out of order: %+v", u.Away)
	}
}
