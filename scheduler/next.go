package scheduler

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/stretchbot/stretchbot"
)

// searchDays bounds how far Next looks for an occurrence. Five years always
// contain a 29 February (the Gregorian exception years 2100, 2200 … aside),
// so a spec that can fire at all fires within it.
const searchDays = 5*366 + 1

// specParser reads the specs users write: five fields or a descriptor such
// as @daily. Seconds are not accepted; the bot never needs them.
var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// spec is a parsed cron spec as bit sets over local wall-clock fields.
// It is immutable once built, so it is shared between schedules and
// goroutines without locking.
type spec struct {
	text                          string // as written; shared by every schedule with it
	minute, hour, dom, month, dow uint64
	// domAndDow is cron's rule: when either day field is "*", a day must
	// match both fields; when both are restricted, either one suffices.
	domAndDow bool
}

// specCache interns parsed specs. Many users share a handful of specs
// ("30 7 * * 1-5"), and Next runs on every arm and every fire, so parsing
// each time would dominate its cost. It is package state only because Next is
// a plain function; the values are immutable and the size is bounded so
// user-supplied specs cannot grow it without limit.
var specCache struct {
	m sync.Map // string → *spec
	n atomic.Int64
}

// maxCachedSpecs bounds specCache. Past it, specs are parsed on each call:
// slower, never wrong.
const maxCachedSpecs = 1 << 14

// parseSpec returns the parsed spec, from the cache when possible.
func parseSpec(s string) (*spec, error) {
	if v, ok := specCache.m.Load(s); ok {
		return v.(*spec), nil
	}
	p, err := parseSpecUncached(s)
	if err != nil {
		return nil, err
	}
	p.text = strings.Clone(s)
	if specCache.n.Load() < maxCachedSpecs {
		if v, loaded := specCache.m.LoadOrStore(s, p); loaded {
			return v.(*spec), nil
		}
		specCache.n.Add(1)
	}
	return p, nil
}

const specHelp = `Use five fields: minute hour day-of-month month day-of-week, for example "30 7 * * 1-5" for 07:30 on weekdays, or @daily.`

func parseSpecUncached(s string) (p *spec, err error) {
	trimmed := strings.TrimSpace(s)
	if trimmed == "" {
		return nil, stretchbot.Errorf(stretchbot.EINVALID, "The schedule is empty. %s", specHelp)
	}
	// The zone comes from the schedule's TimeZone. A TZ= prefix would
	// silently disagree with it (and robfig panics on "TZ=x" without a space).
	if strings.HasPrefix(trimmed, "TZ=") || strings.HasPrefix(trimmed, "CRON_TZ=") {
		return nil, stretchbot.Errorf(stretchbot.EINVALID, "Please set the time zone separately, not inside the schedule %q.", clip(s))
	}
	if strings.HasPrefix(trimmed, "@every") {
		return nil, stretchbot.Errorf(stretchbot.EINVALID, "Fixed intervals like %q are not supported: reminders follow the clock on the wall. %s", clip(s), specHelp)
	}
	defer func() {
		// The parser is third-party code fed with user input; a panic in it
		// must become a refusal, not a crash.
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("parse spec %q: panic %v: %w", clip(s), r,
				stretchbot.Errorf(stretchbot.EINVALID, "I could not read the schedule %q. %s", clip(s), specHelp))
		}
	}()
	sched, perr := specParser.Parse(trimmed)
	if perr != nil {
		return nil, fmt.Errorf("parse spec %q: %w: %w", clip(s), perr,
			stretchbot.Errorf(stretchbot.EINVALID, "I could not read the schedule %q. %s", clip(s), specHelp))
	}
	ss, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, stretchbot.Errorf(stretchbot.EINVALID, "I could not read the schedule %q. %s", clip(s), specHelp)
	}
	const star = 1 << 63
	p = &spec{
		minute:    ss.Minute &^ star,
		hour:      ss.Hour &^ star,
		dom:       ss.Dom &^ star,
		month:     ss.Month &^ star,
		dow:       ss.Dow &^ star,
		domAndDow: ss.Dom&star != 0 || ss.Dow&star != 0,
	}
	if !p.canFire() {
		return nil, stretchbot.Errorf(stretchbot.EINVALID, "The schedule %q never happens (that day does not exist). Please pick another day.", clip(s))
	}
	return p, nil
}

// canFire reports whether some calendar day matches. Eight years from a leap
// year cover every (month, day, weekday) combination that can occur.
func (p *spec) canFire() bool {
	start := daysFromCivil(2024, 1, 1)
	for dn := start; dn < start+8*366; dn++ {
		y, m, d := civilFromDays(dn)
		_ = y
		if p.month&(1<<m) != 0 && p.dayMatches(d, weekday(dn)) {
			return true
		}
	}
	return false
}

func (p *spec) dayMatches(day, wd int) bool {
	domMatch := p.dom&(1<<uint(day)) != 0
	dowMatch := p.dow&(1<<uint(wd)) != 0
	if p.domAndDow {
		return domMatch && dowMatch
	}
	return domMatch || dowMatch
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// Next returns the first occurrence of spec in loc strictly after after.
//
// The spec is matched against local wall-clock time, and each matching wall
// time becomes an instant by RFC 5545's rule: a wall time that happens twice
// (clocks fall back) fires only at its first instant; a wall time that does
// not exist (clocks spring forward) is read with the UTC offset in force
// before the gap, so 02:30 on a New York spring-forward day fires at 03:30
// EDT, unless that instant is already an occurrence. So a daily spec fires
// exactly once on every local day, and occurrences strictly increase.
//
// Errors are stretchbot.EINVALID with a message for the user: an unreadable
// spec, a spec that never fires (such as "0 0 30 2 *"), or a nil location.
func Next(spec string, loc *time.Location, after time.Time) (time.Time, error) {
	if loc == nil {
		return time.Time{}, stretchbot.Errorf(stretchbot.EINVALID, "Please choose a time zone, for example Europe/Berlin or America/New_York.")
	}
	p, err := parseSpec(spec)
	if err != nil {
		return time.Time{}, err
	}
	sec, ok := p.next(loc, after)
	if !ok {
		return time.Time{}, stretchbot.Errorf(stretchbot.EINVALID, "The schedule %q does not happen in the next five years.", clip(spec))
	}
	return time.Unix(sec, 0).In(loc), nil
}

// next returns the Unix second of the first occurrence after after.
//
// It walks local calendar days and, on matching days, the matching hours and
// minutes as civil times, mapping each to an instant with civilToUnix. That
// mapping never decreases as civil time increases, so the first candidate
// later than after is the answer, and a gap time that lands on an instant
// which is already an occurrence (02:30 → 03:30 next to a real 03:30) is
// not repeated because it is not later than the previous one.
func (p *spec) next(loc *time.Location, after time.Time) (int64, bool) {
	afterSec := after.Unix() // floor: candidates are whole seconds
	lt := after.In(loc)
	y, mo, d := lt.Date()
	h, mi, _ := lt.Clock()
	dn := daysFromCivil(y, int(mo), d)
	end := dn + searchDays
	first := true
	for dn < end {
		cy, cm, cd := civilFromDays(dn)
		if p.month&(1<<uint(cm)) == 0 {
			// Jump to the first of the next month.
			cm++
			if cm > 12 {
				cm, cy = 1, cy+1
			}
			dn = daysFromCivil(cy, cm, 1)
			first = false
			continue
		}
		if p.dayMatches(cd, weekday(dn)) {
			hours := p.hour
			if first {
				hours &^= (1 << uint(h)) - 1
			}
			for hours != 0 {
				hh := bits.TrailingZeros64(hours)
				hours &^= 1 << uint(hh)
				mins := p.minute
				if first && hh == h {
					mins &^= (1 << uint(mi)) - 1
				}
				for mins != 0 {
					mm := bits.TrailingZeros64(mins)
					mins &^= 1 << uint(mm)
					civil := dn*86400 + int64(hh)*3600 + int64(mm)*60
					if u := civilToUnix(civil, loc); u > afterSec {
						return u, true
					}
				}
			}
		}
		first = false
		dn++
	}
	return 0, false
}

// civilToUnix maps a wall-clock time in loc, given as seconds since
// 1970-01-01 00:00 of the civil calendar, to a Unix second by RFC 5545:
// a repeated wall time maps to its first instant, a skipped one is read with
// the offset in force before the gap.
//
// time.Date does neither reliably (it picks 01:30 EST for New York's missing
// 02:30), so the zone periods around the time are inspected directly: find
// the first period P, in time order, whose end lies after civil-offset(P).
// If civil-offset(P) also lies at or after P's start, the wall time exists in
// P and that is its first instant; otherwise it falls in the gap before P and
// takes the offset of the period before.
func civilToUnix(civil int64, loc *time.Location) int64 {
	if loc == time.UTC {
		return civil
	}
	_, guess := time.Unix(civil, 0).In(loc).Zone()
	z := zoneAt(loc, civil-int64(guess))
	// A few steps suffice: periods last months, and offsets are below a day.
	for i := 0; i < 4 && civil-z.off >= z.end; i++ {
		z = zoneAt(loc, z.end)
	}
	prevOff := z.off
	for i := 0; i < 4 && z.start != math.MinInt64; i++ {
		prev := zoneAt(loc, z.start-1)
		prevOff = prev.off
		if civil-prev.off >= z.start {
			break // the previous period ends before this wall time
		}
		z = prev
		prevOff = z.off
	}
	if civil-z.off >= z.start {
		return civil - z.off
	}
	return civil - prevOff
}

// zone is one period of constant UTC offset: [start, end) in Unix seconds.
type zone struct {
	off, start, end int64
}

func zoneAt(loc *time.Location, sec int64) zone {
	t := time.Unix(sec, 0).In(loc)
	_, off := t.Zone()
	s, e := t.ZoneBounds()
	z := zone{off: int64(off), start: math.MinInt64, end: math.MaxInt64}
	if !s.IsZero() {
		z.start = s.Unix()
	}
	if !e.IsZero() {
		z.end = e.Unix()
	}
	return z
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm): plain arithmetic, no time.Time.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

// weekday returns the day of the week (0 = Sunday) of a day number;
// 1970-01-01 was a Thursday.
func weekday(dn int64) int {
	w := (dn + 4) % 7
	if w < 0 {
		w += 7
	}
	return int(w)
}
