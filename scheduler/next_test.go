package scheduler

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/stretchbot/stretchbot"
)

// testZones are the zones of the DST tables: both hemispheres, a 30-minute
// shift (Lord Howe), odd offsets (St John's, Kolkata), a change at midnight
// (Santiago), no DST any more (Apia) and UTC.
var testZones = []string{
	"America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney",
	"Australia/Lord_Howe", "America/St_Johns", "Asia/Kolkata",
	"America/Santiago", "Pacific/Apia", "UTC",
}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func TestNextExamples(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	santiago := mustLoc(t, "America/Santiago")
	lordHowe := mustLoc(t, "Australia/Lord_Howe")
	tests := []struct {
		name  string
		spec  string
		loc   *time.Location
		after time.Time
		want  time.Time
	}{
		{"spring gap reads the offset from before the gap", "30 2 * * *", ny,
			time.Date(2026, 3, 7, 12, 0, 0, 0, ny), time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)},
		{"midnight gap", "0 0 * * *", santiago,
			time.Date(2026, 9, 5, 12, 0, 0, 0, santiago), time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC)},
		{"fall back fires at the first instant", "30 1 * * *", ny,
			time.Date(2026, 10, 31, 12, 0, 0, 0, ny), time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)},
		{"fall back does not fire again at the second instant", "30 1 * * *", ny,
			time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), time.Date(2026, 11, 2, 6, 30, 0, 0, time.UTC)},
		{"after inside the repeated hour", "0 * * * *", ny,
			time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC), time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC)},
		{"gap time colliding with a real occurrence fires once", "30 * * * *", ny,
			time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC), time.Date(2026, 3, 8, 8, 30, 0, 0, time.UTC)},
		{"30-minute gap", "15 2 * * *", lordHowe,
			time.Date(2026, 10, 3, 12, 0, 0, 0, lordHowe), time.Date(2026, 10, 3, 15, 45, 0, 0, time.UTC)},
		{"strictly after", "30 7 * * *", time.UTC,
			time.Date(2026, 5, 1, 7, 30, 0, 0, time.UTC), time.Date(2026, 5, 2, 7, 30, 0, 0, time.UTC)},
		{"sub-second after", "30 7 * * *", time.UTC,
			time.Date(2026, 5, 1, 7, 29, 59, 999, time.UTC), time.Date(2026, 5, 1, 7, 30, 0, 0, time.UTC)},
		{"descriptor", "@weekly", time.UTC,
			time.Date(2026, 5, 1, 7, 30, 0, 0, time.UTC), time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC)},
		{"leap day", "0 9 29 2 *", time.UTC,
			time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC)},
		{"day of month or day of week", "0 9 13 * 5", time.UTC,
			time.Date(2026, 2, 6, 10, 0, 0, 0, time.UTC), time.Date(2026, 2, 13, 9, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Next(tt.spec, tt.loc, tt.after)
			if err != nil {
				t.Fatalf("Next(%q, %s, %s): %v", tt.spec, tt.loc, tt.after, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Next(%q, %s, %s) = %s, want %s", tt.spec, tt.loc, tt.after, got, tt.want.In(tt.loc))
			}
			if got.Location() != tt.loc {
				t.Errorf("location = %s, want %s", got.Location(), tt.loc)
			}
		})
	}
}

func TestNextErrors(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		spec string
		loc  *time.Location
	}{
		{"empty", " ", time.UTC},
		{"garbage", "every morning", time.UTC},
		{"too many fields", "0 30 7 * * *", time.UTC},
		{"out of range", "61 7 * * *", time.UTC},
		{"never fires", "0 0 30 2 *", time.UTC},
		{"never fires on the 31st", "0 0 31 4,6,9,11 *", time.UTC},
		{"interval", "@every 1h", time.UTC},
		{"zone inside the spec", "TZ=Europe/Berlin", time.UTC},
		{"nil location", "30 7 * * *", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Next(tt.spec, tt.loc, now)
			if err == nil {
				t.Fatalf("Next(%q) succeeded, want an error", tt.spec)
			}
			if code := stretchbot.ErrorCode(err); code != stretchbot.EINVALID {
				t.Errorf("code = %q, want %q (err %v)", code, stretchbot.EINVALID, err)
			}
			if msg := stretchbot.ErrorMessage(err); msg == "" || msg == stretchbot.ErrorMessage(fmt.Errorf("x")) {
				t.Errorf("message %q is not for users", msg)
			}
		})
	}
}

// wallInstant is the test's own reading of RFC 5545, built on time.Date
// rather than zone bounds: the earliest instant showing the wall time, or,
// for a wall time in a gap, the wall time read with the offset of three hours
// earlier (gaps are shorter than that in the years tested).
func wallInstant(loc *time.Location, y int, m time.Month, d, h, mi int) time.Time {
	shows := func(t time.Time) bool {
		ty, tm, td := t.Date()
		th, tmi, _ := t.Clock()
		return ty == y && tm == m && td == d && th == h && tmi == mi
	}
	t0 := time.Date(y, m, d, h, mi, 0, 0, loc)
	if shows(t0) {
		best := t0
		for k := 1; k <= 12; k++ {
			if c := t0.Add(-time.Duration(k) * 15 * time.Minute); shows(c) {
				best = c
			}
		}
		return best
	}
	civil := time.Date(y, m, d, h, mi, 0, 0, time.UTC)
	b := civil.Add(-3 * time.Hour)
	_, off := time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), 0, 0, loc).Zone()
	return civil.Add(-time.Duration(off) * time.Second).In(loc)
}

// rangeSpec is a spec of the tables with a plain matcher for it.
type rangeSpec struct {
	spec   string
	daily  bool // one occurrence on each matching day
	day    func(time.Weekday) bool
	hours  []int
	minute int
}

var (
	everyDay   = func(time.Weekday) bool { return true }
	weekdays   = func(w time.Weekday) bool { return w >= time.Monday && w <= time.Friday }
	sundays    = func(w time.Weekday) bool { return w == time.Sunday }
	allHours   = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}
	rangeSpecs = []rangeSpec{
		{"30 2 * * *", true, everyDay, []int{2}, 30},
		{"0 2 * * *", true, everyDay, []int{2}, 0},
		{"30 1 * * *", true, everyDay, []int{1}, 30},
		{"0 0 * * *", true, everyDay, []int{0}, 0},
		{"45 23 * * *", true, everyDay, []int{23}, 45},
		{"30 7 * * 1-5", true, weekdays, []int{7}, 30},
		{"0 9 * * 0", true, sundays, []int{9}, 0},
		{"30 * * * *", false, everyDay, allHours, 30},
		{"0 * * * *", false, everyDay, allHours, 0},
	}
)

// TestNextDSTTables walks every occurrence of 2026 and 2027 in each test zone
// and compares it with the occurrences derived from wallInstant.
func TestNextDSTTables(t *testing.T) {
	if testing.Short() {
		t.Skip("long range: runs without -short")
	}
	for _, zone := range testZones {
		loc := mustLoc(t, zone)
		for _, rs := range rangeSpecs {
			t.Run(zone+"/"+rs.spec, func(t *testing.T) {
				checkRange(t, loc, rs, 2026, 2027)
			})
		}
	}
}

// TestNextDSTTablesShort covers the DST days of 2026 in a few zones, so
// -short still exercises the rule.
func TestNextDSTTablesShort(t *testing.T) {
	for _, zone := range []string{"America/New_York", "America/Santiago", "Australia/Lord_Howe"} {
		loc := mustLoc(t, zone)
		for _, rs := range rangeSpecs {
			t.Run(zone+"/"+rs.spec, func(t *testing.T) {
				checkRange(t, loc, rs, 2026, 2026)
			})
		}
	}
}

func checkRange(t *testing.T, loc *time.Location, rs rangeSpec, fromYear, toYear int) {
	t.Helper()
	var want []time.Time
	perDay := map[string]int{}
	for d := time.Date(fromYear, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() <= toYear; d = d.AddDate(0, 0, 1) {
		if !rs.day(d.Weekday()) {
			continue
		}
		for _, h := range rs.hours {
			w := wallInstant(loc, d.Year(), d.Month(), d.Day(), h, rs.minute)
			if len(want) > 0 && !w.After(want[len(want)-1]) {
				continue // a gap time on an instant that is already an occurrence
			}
			want = append(want, w)
		}
		if rs.daily {
			perDay[d.Format(time.DateOnly)] = 0
		}
	}
	start := wallInstant(loc, fromYear, 1, 1, 0, 0).Add(-time.Second)
	end := wallInstant(loc, toYear+1, 1, 1, 0, 0)
	var got []time.Time
	for at := start; ; {
		next, err := Next(rs.spec, loc, at)
		if err != nil {
			t.Fatalf("Next(%q, %s): %v", rs.spec, at, err)
		}
		if !next.After(at) {
			t.Fatalf("Next(%q, %s) = %s, not strictly later", rs.spec, at, next)
		}
		if !next.Before(end) {
			break
		}
		got = append(got, next)
		at = next
	}
	for i := 0; i < len(want) || i < len(got); i++ {
		switch {
		case i >= len(got):
			t.Fatalf("missing occurrence %s (and %d more)", want[i], len(want)-i-1)
		case i >= len(want):
			t.Fatalf("extra occurrence %s", got[i])
		case !got[i].Equal(want[i]):
			t.Fatalf("occurrence %d = %s, want %s", i, got[i], want[i])
		}
	}
	if rs.daily {
		for _, g := range got {
			perDay[g.In(loc).Format(time.DateOnly)]++
		}
		for day, n := range perDay {
			if n != 1 {
				t.Errorf("%s: %d occurrences on local day %s, want 1", rs.spec, n, day)
			}
		}
	}
}

// propertyZones adds zones with other shapes of change to the test zones:
// negative DST (Dublin), changes at midnight (Havana, Beirut, Cairo),
// 45-minute offsets (Chatham), southern zones (Auckland, Asuncion).
var propertyZones = append([]string{
	"America/Havana", "Asia/Beirut", "Africa/Cairo", "Pacific/Chatham",
	"Pacific/Auckland", "America/Asuncion", "Europe/Dublin", "Asia/Jerusalem",
	"America/Los_Angeles", "Asia/Tehran", "Europe/Moscow", "America/Sao_Paulo",
}, testZones...)

// TestNextProperty checks, for daily specs across random zones and dates,
// that occurrences strictly increase and that every local day has exactly
// one, at the wall time when it exists.
func TestNextProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		zone := rapid.SampledFrom(propertyZones).Draw(rt, "zone")
		loc, err := time.LoadLocation(zone)
		if err != nil {
			rt.Fatalf("load %s: %v", zone, err)
		}
		hour := rapid.IntRange(0, 23).Draw(rt, "hour")
		minute := rapid.IntRange(0, 59).Draw(rt, "minute")
		start := time.Unix(rapid.Int64Range(
			time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC).Unix(),
			time.Date(2037, 1, 1, 0, 0, 0, 0, time.UTC).Unix()).Draw(rt, "start"), 0).In(loc)
		spec := fmt.Sprintf("%d %d * * *", minute, hour)

		at := start
		var prevDay time.Time
		for i := 0; i < 120; i++ {
			next, err := Next(spec, loc, at)
			if err != nil {
				rt.Fatalf("Next(%q, %s): %v", spec, at, err)
			}
			if !next.After(at) {
				rt.Fatalf("Next(%q, %s) = %s, not strictly later", spec, at, next)
			}
			y, m, d := next.Date()
			day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			if i > 0 && !day.Equal(prevDay.AddDate(0, 0, 1)) {
				rt.Fatalf("%s in %s: occurrence on %s follows one on %s", spec, zone, day.Format(time.DateOnly), prevDay.Format(time.DateOnly))
			}
			if want := wallInstant(loc, y, m, d, hour, minute); !next.Equal(want) {
				rt.Fatalf("%s in %s: occurrence %s, want %s", spec, zone, next, want)
			}
			prevDay, at = day, next
		}
	})
}

func BenchmarkNext(b *testing.B) {
	loc := mustLoc(b, "America/New_York")
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, loc)
	b.ReportAllocs()
	for b.Loop() {
		next, err := Next("30 7 * * 1-5", loc, at)
		if err != nil {
			b.Fatal(err)
		}
		at = next
	}
}

// FuzzNext feeds arbitrary cron specs (what a user or a corrupt record could
// hand the scheduler): never a panic; either an error a person can read, or
// an occurrence strictly after the given instant.
func FuzzNext(f *testing.F) {
	for _, s := range []string{"30 7 * * 1-5", "@daily", "0 0 30 2 *", "*/15 * * * *", "61 25 * * *", "", "@every 1h", "0 0 * * 8", "0 0 ? * *"} {
		f.Add(s, int64(1780000000), "Europe/Berlin")
	}
	f.Fuzz(func(t *testing.T, spec string, unix int64, zone string) {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			loc = time.UTC
		}
		after := time.Unix(unix%(4e9), 0) // keep within the years the store accepts
		next, err := Next(spec, loc, after)
		if err != nil {
			if stretchbot.ErrorMessage(err) == "" {
				t.Fatalf("%q: empty error message", spec)
			}
			return
		}
		if !next.After(after) {
			t.Fatalf("%q: Next(%v) = %v, not after", spec, after, next)
		}
	})
}
