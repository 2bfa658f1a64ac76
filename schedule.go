package stretchbot

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/lang"
)

// ScheduleKind says what a schedule delivers and to whom.
type ScheduleKind int

// Schedule kinds. The numbers are stored; only append.
const (
	// KindReminder is a personal, recurring stretch reminder.
	KindReminder ScheduleKind = iota
	// KindBreak is a channel-wide stretch break set by a server admin.
	KindBreak
	// KindSnooze is a one-shot stretch reminder made by the Snooze button.
	KindSnooze
	// KindCheckIn is a one-shot "time to check in again" reminder.
	KindCheckIn
	// KindOnce is a personal stretch reminder that fires once, at At
	// ("in 20 minutes", "friday 18:00").
	KindOnce
)

// String returns a short stable name of the kind.
func (k ScheduleKind) String() string {
	switch k {
	case KindReminder:
		return "reminder"
	case KindBreak:
		return "break"
	case KindSnooze:
		return "snooze"
	case KindCheckIn:
		return "checkin"
	case KindOnce:
		return "once"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Schedule is a reminder: either recurring (Spec, a 5-field cron spec read in
// TimeZone) or one-shot (At). ChannelID empty means "by DM to Owner".
type Schedule struct {
	ID        uint64
	Owner     string // user ID; the admin who set it for breaks
	GuildID   string // empty for DMs
	ChannelID string // empty: deliver by DM to Owner
	Kind      ScheduleKind
	Spec      string    // recurring schedules only, e.g. "30 7 * * 1-5"
	At        time.Time // one-shot schedules only
	TimeZone  string    // IANA name, e.g. "Europe/Berlin"
	Paused    bool
	Created   time.Time
	// Filter is what the stretches a reminder brings are chosen from
	// (set with the reminder; the default is everything the person can
	// do). Breaks and check-in reminders have none.
	Filter Filter
	// Locale is the language a stretch break posts in: the server's
	// (Discord's guild locale) when the break was set. "" for other kinds,
	// which use their owner's language.
	Locale string
}

// OneShot reports whether the schedule fires once at At instead of by Spec.
func (s Schedule) OneShot() bool {
	return s.Kind == KindSnooze || s.Kind == KindCheckIn || s.Kind == KindOnce
}

// Location loads the schedule's time zone.
func (s Schedule) Location() (*time.Location, error) {
	return LoadLocation(s.TimeZone)
}

// Validate checks the fields a schedule needs before it is stored.
func (s Schedule) Validate() error {
	if s.Owner == "" {
		return Fail(EINVALID, "schedule.no_owner")
	}
	if _, err := s.Location(); err != nil {
		return err
	}
	if s.OneShot() {
		if s.At.IsZero() {
			return Fail(EINVALID, "schedule.once_no_time")
		}
		return nil
	}
	if s.Kind == KindBreak && s.ChannelID == "" {
		return Fail(EINVALID, "schedule.break_no_channel")
	}
	if strings.TrimSpace(s.Spec) == "" {
		return Fail(EINVALID, "schedule.no_spec")
	}
	return nil
}

// Describe returns the schedule in words, e.g. "07:30 on weekdays
// (Europe/Berlin)" or "once on Fri 13 Mar 2026 at 18:00 (Europe/Berlin)".
// Specs that are not of the simple "M H * * DOW" form the bot writes are
// shown as they are.
func (s Schedule) Describe(p *lang.Printer) string {
	if s.OneShot() {
		loc, err := s.Location()
		if err != nil || s.At.IsZero() {
			return p.T("schedule.once")
		}
		at := s.At.In(loc)
		return p.T("schedule.once_on", "Date", FormatDate(p, at), "Time", at.Format("15:04"), "Zone", s.TimeZone)
	}
	f := strings.Fields(s.Spec)
	if len(f) != 5 || f[2] != "*" || f[3] != "*" {
		return fmt.Sprintf("%s (%s)", s.Spec, s.TimeZone)
	}
	h, errH := strconv.Atoi(f[1])
	m, errM := strconv.Atoi(f[0])
	days, errD := ParseDays(f[4])
	if errH != nil || errM != nil || errD != nil {
		return fmt.Sprintf("%s (%s)", s.Spec, s.TimeZone)
	}
	return p.T("schedule.repeating", "Time", fmt.Sprintf("%02d:%02d", h, m), "Days", days.Describe(p), "Zone", s.TimeZone)
}

// FiresNear reports whether the repeating schedule s has an occurrence
// within d of t, and when. It reads the simple "M H * * DOW" specs the bot
// writes; for any other spec, and for one-shots, it says no.
func (s Schedule) FiresNear(t time.Time, d time.Duration) (time.Time, bool) {
	if s.OneShot() {
		return time.Time{}, false
	}
	f := strings.Fields(s.Spec)
	if len(f) != 5 || f[2] != "*" || f[3] != "*" {
		return time.Time{}, false
	}
	h, errH := strconv.Atoi(f[1])
	m, errM := strconv.Atoi(f[0])
	days, errD := ParseDays(f[4])
	loc, errL := s.Location()
	if errH != nil || errM != nil || errD != nil || errL != nil {
		return time.Time{}, false
	}
	y, mo, day := t.In(loc).Date()
	for _, offset := range []int{-1, 0, 1} {
		at := WallTime(y, mo, day+offset, h, m, loc)
		if diff := at.Sub(t); days.Has(at.Weekday()) && diff <= d && diff >= -d {
			return at, true
		}
	}
	return time.Time{}, false
}

// LoadLocation loads an IANA time zone with an error a user can act on.
// The empty name and "Local" are refused: a reminder must not depend on the
// server's own zone.
func LoadLocation(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, Fail(EINVALID, "zone.missing")
	}
	if name == "Local" || len(name) > 64 {
		return nil, Fail(EINVALID, "zone.unknown", "Input", strconv.Quote(truncate(name, 64)))
	}
	if strings.EqualFold(name, "utc") {
		return time.UTC, nil
	}
	if loc, ok := loadedZones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Fail(EINVALID, "zone.unknown", "Input", strconv.Quote(name))
	}
	loadedZones.Store(name, loc)
	return loc, nil
}

// loadedZones keeps each zone LoadLocation loaded: time.LoadLocation reads
// and parses a file on every call (validating a million schedules spent
// two thirds of its time there), and a Location never changes. Only names
// that loaded are kept, so it holds at most the tz database's few hundred.
var loadedZones sync.Map // string → *time.Location

// ParseTimeOfDay reads a time of day such as "7:30", "19:30", "7:30pm",
// "7pm", "07.30", "0730", "noon" or "midnight" and returns hour (0–23)
// and minute.
func ParseTimeOfDay(s string) (hour, minute int, err error) {
	bad := func() (int, int, error) {
		return 0, 0, Fail(EINVALID, "time.unreadable", "Input", strconv.Quote(truncate(s, 32)))
	}
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.ReplaceAll(t, " ", "")
	switch t {
	case "noon", "midday":
		return 12, 0, nil
	case "midnight":
		return 0, 0, nil
	}
	t = strings.ReplaceAll(t, ".", ":")
	suffix := ""
	for _, x := range []string{"am", "pm", "a", "p"} {
		if strings.HasSuffix(t, x) {
			suffix, t = x[:1], strings.TrimSuffix(t, x)
			break
		}
	}
	hs, ms, found := strings.Cut(t, ":")
	if !found {
		ms = "0"
		if suffix == "" && len(hs) == 4 { // "0730"
			hs, ms = t[:2], t[2:]
		}
	}
	if hs == "" || len(hs) > 2 || len(ms) == 0 || len(ms) > 2 || (found && len(ms) != 2) {
		return bad()
	}
	hour, err1 := strconv.Atoi(hs)
	minute, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || hour < 0 || minute < 0 || minute > 59 {
		return bad()
	}
	switch suffix {
	case "":
		if hour > 23 {
			return bad()
		}
	case "a", "p":
		if hour < 1 || hour > 12 {
			return bad()
		}
		hour %= 12
		if suffix == "p" {
			hour += 12
		}
	}
	return hour, minute, nil
}

// Days is a set of weekdays; bit i is time.Weekday(i).
type Days uint8

// Common day sets.
const (
	Weekdays Days = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday
	Weekends Days = 1<<time.Saturday | 1<<time.Sunday
	EveryDay      = Weekdays | Weekends
)

var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Has reports whether d contains day.
func (d Days) Has(day time.Weekday) bool { return d&(1<<day) != 0 }

// ParseDays reads "daily", "weekdays", "weekends", a list such as
// "mon,wed,fri", or a cron day-of-week field such as "1-5" or "*".
func ParseDays(s string) (Days, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "", "daily", "every day", "everyday", "*", "all":
		return EveryDay, nil
	case "weekdays", "weekday", "workdays":
		return Weekdays, nil
	case "weekends", "weekend":
		return Weekends, nil
	}
	var d Days
	for _, part := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == ' ' }) {
		lo, hi, isRange := strings.Cut(part, "-")
		a, errA := parseDay(lo)
		b := a
		var errB error
		if isRange {
			b, errB = parseDay(hi)
		}
		if errA != nil || errB != nil {
			return 0, Fail(EINVALID, "days.unreadable", "Input", strconv.Quote(truncate(s, 40)))
		}
		for i := a; ; i = (i + 1) % 7 {
			d |= 1 << i
			if i == b {
				break
			}
		}
	}
	if d == 0 {
		return 0, Fail(EINVALID, "days.none")
	}
	return d, nil
}

func parseDay(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 7 {
		return n % 7, nil // cron allows 7 for Sunday
	}
	if len(s) >= 3 {
		for i, name := range dayNames {
			if strings.HasPrefix(s, name) && strings.HasPrefix(name+weekdaySuffix[i], s) {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("unknown day %q", s)
}

var weekdaySuffix = []string{"day", "day", "sday", "nesday", "rsday", "day", "urday"}

// CronField returns d as a cron day-of-week field ("*", "1-5" or "1,3,5").
func (d Days) CronField() string {
	switch d {
	case EveryDay:
		return "*"
	case Weekdays:
		return "1-5"
	}
	var parts []string
	for i := 0; i < 7; i++ {
		if d.Has(time.Weekday(i)) {
			parts = append(parts, strconv.Itoa(i))
		}
	}
	return strings.Join(parts, ",")
}

// Describe returns the days in words: "every day", "on weekdays", "on Mon, Wed, Fri".
func (d Days) Describe(p *lang.Printer) string {
	switch d {
	case EveryDay:
		return p.T("days.every_day")
	case Weekdays:
		return p.T("days.weekdays")
	case Weekends:
		return p.T("days.weekends")
	}
	var parts []string
	for _, i := range []int{1, 2, 3, 4, 5, 6, 0} {
		if d.Has(time.Weekday(i)) {
			parts = append(parts, WeekdayShort(p, time.Weekday(i)))
		}
	}
	return p.T("days.list", "Days", strings.Join(parts, ", "))
}

// WeekdayShort is the short name of a day in p's language ("Mon").
func WeekdayShort(p *lang.Printer, d time.Weekday) string {
	return p.T("date.weekday_short." + dayNames[d])
}

// Weekday is the full name of a day in p's language ("Monday").
func Weekday(p *lang.Printer, d time.Weekday) string {
	return p.T("date.weekday." + dayNames[d])
}

// FormatDate writes t's date in p's language, with the day of the week:
// "Fri 13 Mar 2026". Discord shows its own <t:…:D> timestamps in the
// reader's language; this is for places that write the date themselves.
func FormatDate(p *lang.Printer, t time.Time) string {
	return p.T("date.short", "Weekday", WeekdayShort(p, t.Weekday()), "Day", t.Day(),
		"Month", p.T("date.month_short."+strconv.Itoa(int(t.Month()))), "Year", t.Year())
}

// DailySpec returns the cron spec for hour:minute on days.
func DailySpec(hour, minute int, days Days) string {
	return fmt.Sprintf("%d %d * * %s", minute, hour, days.CronField())
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r) + "…"
}

// Fired identifies one occurrence of a schedule: the schedule and the
// instant it was due. It is recorded before delivery so that no occurrence is
// delivered twice, also across restarts.
type Fired struct {
	ScheduleID uint64
	At         time.Time
	// Sent is when its first send started, right after it was recorded;
	// zero for an occurrence recorded only so that it is never sent (a
	// skipped one). A sent occurrence stays undelivered in the journal
	// until delivery settles: after a crash it is sent again with the same
	// Discord nonce, which works only within a few minutes of Sent.
	Sent time.Time
}
