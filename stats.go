package stretchbot

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Day is a local calendar date.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// DayOf returns the local date of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day{y, m, d}
}

// Time returns the local midnight starting d (or the first instant of d where
// midnight does not exist).
func (d Day) Time(loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	// Where midnight falls in a daylight-saving gap, time.Date answers with
	// an instant of the previous day; step forward to the day's first instant.
	for DayOf(t, loc) != d {
		t = t.Add(15 * time.Minute)
	}
	return t
}

// AddDays returns the date n days later. Calendar arithmetic, so it is not
// fooled by 23- or 25-hour days.
func (d Day) AddDays(n int) Day {
	t := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC)
	return Day{t.Year(), t.Month(), t.Day()}
}

// Compare orders dates: -1 if d is before e, 0 if equal, +1 if after.
func (d Day) Compare(e Day) int {
	return cmp.Or(cmp.Compare(d.Year, e.Year), cmp.Compare(d.Month, e.Month), cmp.Compare(d.Day, e.Day))
}

// MarshalText writes the date as 2006-01-02.
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written as 2006-01-02.
func (d *Day) UnmarshalText(b []byte) error {
	t, err := time.Parse("2006-01-02", string(b))
	if err != nil {
		return fmt.Errorf("date %q: %w", b, err)
	}
	*d = Day{t.Year(), t.Month(), t.Day()}
	return nil
}

// String returns the date as 2006-01-02.
func (d Day) String() string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// DayCount is the number of completions on one local day.
type DayCount struct {
	Day   Day
	Count int
}

// Stats summarises a user's completions.
type Stats struct {
	// CurrentStreak counts consecutive local days with at least one
	// completion, ending today, or yesterday when today has none yet (the
	// streak is not broken until a whole day passes).
	CurrentStreak int
	BestStreak    int
	Total         int
	Today         int
	PerStretch    map[string]int // stretch ID → completions ("" for unnamed)
	// Days holds the last n local days, oldest first, with their counts.
	Days []DayCount
}

// Summarize computes stats of completions in the user's time zone loc as of
// now, with a per-day series of the last n days (n ≥ 1).
func Summarize(completions []Completion, loc *time.Location, now time.Time, n int) Stats {
	if loc == nil {
		loc = time.UTC
	}
	n = max(n, 1)
	st := Stats{PerStretch: map[string]int{}}
	perDay := map[Day]int{}
	for _, c := range completions {
		perDay[DayOf(c.At, loc)]++
		st.PerStretch[c.StretchID]++
		st.Total++
	}
	today := DayOf(now, loc)
	st.Today = perDay[today]

	days := make([]Day, 0, len(perDay))
	for d := range perDay {
		days = append(days, d)
	}
	slices.SortFunc(days, Day.Compare)
	run := 0
	for i, d := range days {
		if i > 0 && days[i-1].AddDays(1) == d {
			run++
		} else {
			run = 1
		}
		st.BestStreak = max(st.BestStreak, run)
	}

	d := today
	if perDay[d] == 0 {
		d = d.AddDays(-1)
	}
	for perDay[d] > 0 {
		st.CurrentStreak++
		d = d.AddDays(-1)
	}

	st.Days = make([]DayCount, n)
	for i := range n {
		day := today.AddDays(i - n + 1)
		st.Days[i] = DayCount{Day: day, Count: perDay[day]}
	}
	return st
}
