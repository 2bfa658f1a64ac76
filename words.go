package stretchbot

import (
	"strconv"
	"strings"
	"time"
)

// Noun is a counted word. Every count shown to people goes through Count
// with one of these, so plural forms live in one table; its value is the
// key a translation catalogue can use for the word's CLDR plural forms.
type Noun string

// The counted words of stretchbot.
const (
	NounStretch   Noun = "stretch"
	NounDay       Noun = "day"
	NounActiveDay Noun = "active day"
	NounHour      Noun = "hour"
	NounMinute    Noun = "minute"
	NounSecond    Noun = "second"
	NounBreak     Noun = "break"
	NounCheckMark Noun = "check-mark"
	NounReminder  Noun = "reminder"
	NounTime      Noun = "time" // "3 times"
)

// nounForms holds English's two forms (CLDR "one" and "other").
var nounForms = map[Noun][2]string{
	NounStretch:   {"stretch", "stretches"},
	NounDay:       {"day", "days"},
	NounActiveDay: {"active day", "active days"},
	NounHour:      {"hour", "hours"},
	NounMinute:    {"minute", "minutes"},
	NounSecond:    {"second", "seconds"},
	NounBreak:     {"break", "breaks"},
	NounCheckMark: {"check-mark", "check-marks"},
	NounReminder:  {"reminder", "reminders"},
	NounTime:      {"time", "times"},
}

// Count writes n with its noun in the right form: "1 stretch", "2 stretches",
// "0 days".
func Count(n int, noun Noun) string {
	forms, ok := nounForms[noun]
	if !ok {
		forms = [2]string{string(noun), string(noun) + "s"}
	}
	word := forms[1]
	if n == 1 {
		word = forms[0]
	}
	return strconv.Itoa(n) + " " + word
}

// HumanDuration writes d for people, in at most two units and as precise as
// its size needs: "45 seconds", "1 minute 30 seconds", "20 minutes",
// "2 hours 5 minutes", "1 day 2 hours", "7 days". Negative durations read as
// their size.
func HumanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < 2*time.Minute:
		d = d.Round(time.Second)
	case d < 24*time.Hour:
		d = d.Round(time.Minute)
	default:
		d = d.Round(time.Hour)
	}
	units := []struct {
		size time.Duration
		noun Noun
	}{
		{24 * time.Hour, NounDay},
		{time.Hour, NounHour},
		{time.Minute, NounMinute},
		{time.Second, NounSecond},
	}
	// The largest unit present, then the next one down if it is not zero:
	// never "1 day 5 minutes", which would hide that hours were rounded.
	var parts []string
	for _, u := range units {
		n := int(d / u.size)
		d -= time.Duration(n) * u.size
		if len(parts) == 0 {
			if n > 0 {
				parts = append(parts, Count(n, u.noun))
			}
			continue
		}
		if n > 0 {
			parts = append(parts, Count(n, u.noun))
		}
		break
	}
	if len(parts) == 0 {
		return Count(0, NounSecond)
	}
	return strings.Join(parts, " ")
}

// FromNow writes an instant d ahead as "in 7 days", "in 1 day 2 hours",
// "in 20 minutes"; "now" when less than a second is left.
func FromNow(d time.Duration) string {
	if d < time.Second/2 {
		return "now"
	}
	return "in " + HumanDuration(d)
}
