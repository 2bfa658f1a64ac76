package stretchbot

import (
	"strconv"
	"strings"
	"time"
)

// When is what a person typed as the time of a reminder: a time of day
// that repeats ("7:30", "7pm", "noon"), or one moment ("in 20 minutes",
// "tomorrow 9:00", "friday 18:00").
type When struct {
	Hour, Minute int
	// Once is the moment of a one-time reminder; zero for a time of day.
	Once time.Time
	// Relative is true for "in 20 minutes": the same moment in every
	// time zone.
	Relative bool
}

// OneTime reports whether w is one moment rather than a time of day.
func (w When) OneTime() bool { return !w.Once.IsZero() }

// Bounds of one-time reminders.
const (
	minOnceAhead = time.Minute
	maxOnceAhead = 366 * 24 * time.Hour
)

var weekdayWords = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

var monthWords = map[string]time.Month{
	"jan": time.January, "january": time.January, "feb": time.February, "february": time.February,
	"mar": time.March, "march": time.March, "apr": time.April, "april": time.April, "may": time.May,
	"jun": time.June, "june": time.June, "jul": time.July, "july": time.July,
	"aug": time.August, "august": time.August, "sep": time.September, "sept": time.September,
	"september": time.September, "oct": time.October, "october": time.October,
	"nov": time.November, "november": time.November, "dec": time.December, "december": time.December,
}

var durationUnits = map[string]time.Duration{
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"w": 7 * 24 * time.Hour, "week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
}

// ParseWhen reads the time of a reminder, seen from now in the person's
// zone loc:
//
//   - a time of day, repeating: 7:30, 07:30, 7.30, 0730, 19:30, 7pm,
//     7:30 pm, noon, midnight;
//   - in a while, once: in 20 minutes, in 1 hour 30 minutes, in 2h, in an
//     hour, in half an hour, in 3 days;
//   - a day and a time, once, in either order and with an optional "at" or
//     "on": today 18:00, tomorrow 9:00, friday 18:00 (the next Friday, or
//     today if it is Friday and 18:00 is still ahead), 14 march 9:00,
//     march 14 9am, 2026-03-14 9:00.
//
// A one-time reminder must be at least a minute and at most a year away.
// Errors are EINVALID with a message that shows the forms that work.
func ParseWhen(s string, now time.Time, loc *time.Location) (When, error) {
	words := whenWords(s)
	bad := func() (When, error) {
		return When{}, Fail(EINVALID, "when.unreadable", "Input", strconv.Quote(truncate(strings.TrimSpace(s), 40)))
	}
	if len(words) == 0 || len(words) > 8 {
		return bad()
	}
	if words[0] == "in" {
		d, ok := parseIn(words[1:])
		if !ok {
			return bad()
		}
		w, err := onceAt(now.Add(d).Truncate(time.Second), now)
		w.Relative = true
		return w, err
	}
	var (
		dayWord   string
		day       func(h, m int) (time.Time, error)
		timeWords []string
	)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "at" || w == "on" {
			continue
		}
		if day == nil {
			if f, n, ok := parseWhenDay(words[i:], now, loc); ok {
				day, dayWord = f, strings.Join(words[i:i+n], " ")
				i += n - 1
				continue
			}
		}
		timeWords = append(timeWords, w)
	}
	if len(timeWords) == 0 {
		if day == nil {
			return bad()
		}
		return When{}, Fail(EINVALID, "when.no_time", "Day", dayWord)
	}
	h, m, err := ParseTimeOfDay(strings.Join(timeWords, ""))
	if err != nil {
		return bad()
	}
	if day == nil {
		return When{Hour: h, Minute: m}, nil
	}
	at, err := day(h, m)
	if err != nil {
		return When{}, err
	}
	if !at.After(now) {
		return When{}, Fail(EINVALID, "when.past", "Input", truncate(strings.TrimSpace(s), 40), "Time", strings.Join(timeWords, " "))
	}
	w, err := onceAt(at, now)
	w.Hour, w.Minute = h, m
	return w, err
}

func onceAt(at, now time.Time) (When, error) {
	switch d := at.Sub(now); {
	case d < minOnceAhead-time.Second:
		return When{}, Fail(EINVALID, "when.too_soon")
	case d > maxOnceAhead:
		return When{}, Fail(EINVALID, "when.too_far")
	}
	return When{Once: at, Hour: at.Hour(), Minute: at.Minute()}, nil
}

// whenWords lowercases s and splits it into words, also where a number
// meets a unit or a word ("20min", "1h30m" → "20 min", "1 h 30 m"), but
// never inside a time of day ("7:30pm", "0730").
func whenWords(s string) []string {
	s = strings.ToLower(strings.NewReplacer(",", " ", "'", "", "’", "").Replace(s))
	var out []string
	for _, f := range strings.Fields(s) {
		if f == "in" || !isDurationLike(f) {
			out = append(out, f)
			continue
		}
		out = append(out, splitDigits(f)...)
	}
	return out
}

// isDurationLike reports whether f is something like "20min" or "1h30m":
// digits and letters alternating, ending in a duration unit.
func isDurationLike(f string) bool {
	parts := splitDigits(f)
	if len(parts) < 2 || len(parts)%2 != 0 {
		return false
	}
	for i, p := range parts {
		_, isUnit := durationUnits[p]
		if _, err := strconv.Atoi(p); (i%2 == 0) != (err == nil) || (i%2 == 1 && !isUnit) {
			return false
		}
	}
	return true
}

// splitDigits splits f where digits meet other characters.
func splitDigits(f string) []string {
	var out []string
	start := 0
	for i := 1; i <= len(f); i++ {
		if i == len(f) || isDigit(f[i]) != isDigit(f[i-1]) {
			out = append(out, f[start:i])
			start = i
		}
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseIn reads what follows "in": pairs of a count and a unit ("1 hour
// 30 minutes"), "a"/"an" for one, or "half an hour".
func parseIn(words []string) (time.Duration, bool) {
	if strings.Join(words, " ") == "half an hour" {
		return 30 * time.Minute, true
	}
	if len(words) == 0 || len(words)%2 != 0 {
		return 0, false
	}
	var total time.Duration
	for i := 0; i < len(words); i += 2 {
		n, err := strconv.Atoi(words[i])
		if words[i] == "a" || words[i] == "an" {
			n, err = 1, nil
		}
		unit, ok := durationUnits[words[i+1]]
		if err != nil || !ok || n < 0 || n > 100000 {
			return 0, false
		}
		total += time.Duration(n) * unit
	}
	return total, total > 0
}

// parseWhenDay reads a day at the start of words: today, tomorrow, a weekday,
// "14 march", "march 14" or "2026-03-14". It returns a function that
// places a time of day on that day, and how many words it used.
func parseWhenDay(words []string, now time.Time, loc *time.Location) (func(h, m int) (time.Time, error), int, bool) {
	local := now.In(loc)
	y, mo, d := local.Date()
	on := func(y int, mo time.Month, d int) func(h, m int) (time.Time, error) {
		return func(h, m int) (time.Time, error) { return WallTime(y, mo, d, h, m, loc), nil }
	}
	w := words[0]
	switch w {
	case "today":
		return on(y, mo, d), 1, true
	case "tomorrow", "tmrw", "tmr":
		return on(y, mo, d+1), 1, true
	}
	if wd, ok := weekdayWords[w]; ok {
		ahead := (int(wd) - int(local.Weekday()) + 7) % 7
		return func(h, m int) (time.Time, error) {
			t := WallTime(y, mo, d+ahead, h, m, loc)
			if !t.After(now) { // that weekday is today and the time has passed
				t = WallTime(y, mo, d+ahead+7, h, m, loc)
			}
			return t, nil
		}, 1, true
	}
	if t, err := time.Parse("2006-01-02", w); err == nil {
		return on(t.Year(), t.Month(), t.Day()), 1, true
	}
	if len(words) < 2 {
		return nil, 0, false
	}
	dayNum, month := words[0], words[1]
	if _, ok := monthWords[dayNum]; ok {
		dayNum, month = words[1], words[0]
	}
	mon, ok := monthWords[month]
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(dayNum, "st"), "nd"), "rd"), "th"))
	if !ok || err != nil {
		return nil, 0, false
	}
	return func(h, m int) (time.Time, error) {
		if n < 1 || n > 31 || time.Date(y, mon, n, 0, 0, 0, 0, time.UTC).Day() != n {
			return time.Time{}, Fail(EINVALID, "when.bad_date", "Date", truncate(dayNum+" "+mon.String(), 20))
		}
		t := WallTime(y, mon, n, h, m, loc)
		if !t.After(now) { // that date has passed this year: next year's
			t = WallTime(y+1, mon, n, h, m, loc)
		}
		return t, nil
	}, 2, true
}

// WallTime is the instant the clocks in loc show hour:minute on the given
// day (out-of-range days roll over, as with time.Date), by the rule of
// RFC 5545 that the scheduler also follows: a time that happens twice (the
// hour clocks go back) is its first instant, and a time that does not
// happen (the hour clocks skip) is read with the UTC offset from before the
// gap.
func WallTime(year int, month time.Month, day, hour, minute int, loc *time.Location) time.Time {
	naive := time.Date(year, month, day, hour, minute, 0, 0, time.UTC) // normalised wall time
	// Every offset in force within a day of it: zones are at most 14 hours
	// from UTC, and clocks change at most once a day.
	var offsets []int
	for _, probe := range []time.Duration{-24 * time.Hour, -12 * time.Hour, 0, 12 * time.Hour, 24 * time.Hour} {
		_, off := naive.Add(probe).In(loc).Zone()
		offsets = append(offsets, off)
	}
	var best time.Time
	for _, off := range offsets {
		t := naive.Add(-time.Duration(off) * time.Second).In(loc)
		shown := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
		if shown.Equal(naive) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if best.IsZero() { // in a gap: the offset from before it
		best = naive.Add(-time.Duration(offsets[0]) * time.Second).In(loc)
	}
	return best
}
