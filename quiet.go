package stretchbot

import "time"

// QuietHours is a daily stretch of local time in which a person gets no
// reminder: From up to To, in minutes after midnight, in the person's
// time zone. From after To spans midnight (22:00 to 07:00).
type QuietHours struct {
	From, To int
	// Silent: a reminder inside quiet hours is sent on time without a
	// notification. Otherwise it is held until quiet hours end.
	Silent bool
}

// minutesOfDay is how many minutes a day has on the clock.
const minutesOfDay = 24 * 60

// Valid reports whether q is a usable span: both ends on the clock, not
// the same minute.
func (q QuietHours) Valid() bool {
	return q.From >= 0 && q.From < minutesOfDay && q.To >= 0 && q.To < minutesOfDay && q.From != q.To
}

// Contains reports whether t falls inside quiet hours, read in loc.
func (q QuietHours) Contains(t time.Time, loc *time.Location) bool {
	if !q.Valid() {
		return false
	}
	local := t.In(loc)
	m := local.Hour()*60 + local.Minute()
	if q.From < q.To {
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To
}

// End returns when the quiet hours that contain t end: the next moment
// after t that the clocks in loc show To. For t outside quiet hours it is
// simply the next To.
func (q QuietHours) End(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	y, mo, d := local.Date()
	end := WallTime(y, mo, d, q.To/60, q.To%60, loc)
	if !end.After(t) {
		end = WallTime(y, mo, d+1, q.To/60, q.To%60, loc)
	}
	return end
}

// Clock writes a minute of the day as "07:30".
func Clock(minute int) string {
	return time.Date(2000, 1, 1, minute/60, minute%60, 0, 0, time.UTC).Format("15:04")
}
