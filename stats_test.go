package stretchbot_test

import (
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

func TestSummarizeStreaksInTheUsersTimeZone(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	ny, _ := time.LoadLocation("America/New_York")
	at := func(loc *time.Location, y int, m time.Month, d, h, min int) stretchbot.Completion {
		return stretchbot.Completion{UserID: "u", At: time.Date(y, m, d, h, min, 0, 0, loc), StretchID: "knee-hug"}
	}
	tests := []struct {
		name          string
		loc           *time.Location
		now           time.Time
		comps         []stretchbot.Completion
		current, best int
		today         int
	}{
		{name: "empty", loc: berlin, now: time.Date(2026, 3, 1, 12, 0, 0, 0, berlin)},
		{
			name: "23:30 local counts for that local day",
			loc:  ny,
			now:  time.Date(2026, 3, 3, 9, 0, 0, 0, ny),
			// 23:30 in New York is already the next day in UTC.
			comps:   []stretchbot.Completion{at(ny, 2026, 3, 1, 23, 30), at(ny, 2026, 3, 2, 23, 30), at(ny, 2026, 3, 3, 8, 0)},
			current: 3, best: 3, today: 1,
		},
		{
			name:    "streak alive until a whole day is missed",
			loc:     berlin,
			now:     time.Date(2026, 3, 3, 9, 0, 0, 0, berlin),
			comps:   []stretchbot.Completion{at(berlin, 2026, 3, 1, 8, 0), at(berlin, 2026, 3, 2, 8, 0)},
			current: 2, best: 2,
		},
		{
			name:    "broken streak",
			loc:     berlin,
			now:     time.Date(2026, 3, 5, 9, 0, 0, 0, berlin),
			comps:   []stretchbot.Completion{at(berlin, 2026, 3, 1, 8, 0), at(berlin, 2026, 3, 2, 8, 0), at(berlin, 2026, 3, 3, 8, 0), at(berlin, 2026, 3, 5, 8, 0)},
			current: 1, best: 3, today: 1,
		},
		{
			name: "across spring forward (23-hour day) and fall back",
			loc:  berlin,
			now:  time.Date(2026, 3, 30, 0, 30, 0, 0, berlin),
			comps: []stretchbot.Completion{
				at(berlin, 2026, 3, 28, 23, 30), at(berlin, 2026, 3, 29, 23, 30), at(berlin, 2026, 3, 30, 0, 15),
			},
			current: 3, best: 3, today: 1,
		},
		{
			name:    "two on one day count once for the streak",
			loc:     time.UTC,
			now:     time.Date(2026, 10, 25, 20, 0, 0, 0, time.UTC),
			comps:   []stretchbot.Completion{at(time.UTC, 2026, 10, 25, 8, 0), at(time.UTC, 2026, 10, 25, 9, 0)},
			current: 1, best: 1, today: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := stretchbot.Summarize(tt.comps, tt.loc, tt.now, 7)
			if st.CurrentStreak != tt.current || st.BestStreak != tt.best || st.Today != tt.today || st.Total != len(tt.comps) {
				t.Fatalf("got current=%d best=%d today=%d total=%d, want %d %d %d %d",
					st.CurrentStreak, st.BestStreak, st.Today, st.Total, tt.current, tt.best, tt.today, len(tt.comps))
			}
			if len(st.Days) != 7 || st.Days[6].Day != stretchbot.DayOf(tt.now, tt.loc) {
				t.Fatalf("series ends %v, want today", st.Days[len(st.Days)-1].Day)
			}
			sum := 0
			for _, d := range st.Days {
				sum += d.Count
			}
			if sum > st.Total {
				t.Fatalf("series sums to %d > total %d", sum, st.Total)
			}
		})
	}
}

func TestDayArithmeticAcrossDST(t *testing.T) {
	d := stretchbot.Day{Year: 2026, Month: time.March, Day: 8}
	if got := d.AddDays(1).String(); got != "2026-03-09" {
		t.Fatal(got)
	}
	if got := (stretchbot.Day{Year: 2026, Month: time.December, Day: 31}).AddDays(1).String(); got != "2027-01-01" {
		t.Fatal(got)
	}
	santiago, _ := time.LoadLocation("America/Santiago")
	// Midnight does not exist in Santiago on 2026-09-06; the day still starts.
	start := stretchbot.Day{Year: 2026, Month: time.September, Day: 6}.Time(santiago)
	if stretchbot.DayOf(start, santiago).String() != "2026-09-06" {
		t.Fatalf("start of day %v is not on that day", start)
	}
}
