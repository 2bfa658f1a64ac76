package stretchbot

import (
	"time"

	"github.com/stretchbot/stretchbot/lang"
)

// Noun is a counted word: the id of its message in lang/messages, which
// holds the word's CLDR plural forms for each language. Every count shown
// to people goes through Count with one of these.
type Noun string

// The counted words of stretchbot.
const (
	NounStretch   Noun = "words.stretch"
	NounDay       Noun = "duration.day"
	NounActiveDay Noun = "words.active_day"
	NounHour      Noun = "duration.hour"
	NounMinute    Noun = "duration.minute"
	NounSecond    Noun = "duration.second"
	NounBreak     Noun = "words.break"
	NounCheckMark Noun = "words.check_mark"
	NounReminder  Noun = "words.reminder"
	NounTime      Noun = "words.time" // "3 times"
)

// Count writes n with its noun in the form p's language uses for n:
// "1 stretch", "2 stretches", "0 days".
func Count(p *lang.Printer, n int, noun Noun) string {
	return p.N(string(noun), n)
}

// humanUnits are the units of a duration, largest first, by the last
// part of their message ids (duration.day, duration.in.day).
var humanUnits = []struct {
	size time.Duration
	name string
}{
	{24 * time.Hour, "day"},
	{time.Hour, "hour"},
	{time.Minute, "minute"},
	{time.Second, "second"},
}

// HumanDuration writes d for people, in at most two units and as precise as
// its size needs: "45 seconds", "1 minute 30 seconds", "20 minutes",
// "2 hours 5 minutes", "1 day 2 hours", "7 days". Negative durations read as
// their size.
func HumanDuration(p *lang.Printer, d time.Duration) string {
	return humanDuration(p, d, "duration.")
}

// humanDuration is HumanDuration with the units' message ids starting with
// prefix: "duration.in." has the forms a language uses after its "in".
func humanDuration(p *lang.Printer, d time.Duration, prefix string) string {
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
	// The largest unit present, then the next one down if it is not zero:
	// never "1 day 5 minutes", which would hide that hours were rounded.
	var parts []string
	for _, u := range humanUnits {
		n := int(d / u.size)
		d -= time.Duration(n) * u.size
		if len(parts) == 0 {
			if n > 0 {
				parts = append(parts, p.N(prefix+u.name, n))
			}
			continue
		}
		if n > 0 {
			parts = append(parts, p.N(prefix+u.name, n))
		}
		break
	}
	switch len(parts) {
	case 0:
		return p.N(prefix+"second", 0)
	case 1:
		return parts[0]
	}
	return p.T("duration.pair", "Larger", parts[0], "Smaller", parts[1])
}

// FromNow writes an instant d ahead as "in 7 days", "in 1 day 2 hours",
// "in 20 minutes"; "now" when less than a second is left.
func FromNow(p *lang.Printer, d time.Duration) string {
	if d < time.Second/2 {
		return p.T("time.now")
	}
	return p.T("time.in", "Duration", humanDuration(p, d, "duration.in."))
}
