package stretchbot

import (
	"slices"
	"time"
)

// Progress is the running summary of a person's completions: totals and
// streaks, kept up to date by the store in the transaction that adds each
// completion, so that answering Done never reads the whole history.
//
// Days are the person's local dates in their time zone at the time of
// each completion. A day inside an away period (see Away) keeps a streak
// going without adding to it.
type Progress struct {
	Total      int
	PerStretch map[string]int `json:",omitempty"` // stretch ID → completions ("" for unnamed)
	Best       int            // longest streak ever, in days
	Run        int            // days of the streak that ends on Last
	Last       Day            // local date of the latest completion; zero: none yet
	LastCount  int            // completions on Last
}

// Add counts one more completion done on local date day. It reports false,
// changing nothing, when day is before Last: the summary is built in date
// order, so such a completion (an import, a change of time zone) needs
// BuildProgress from the whole history instead.
func (p *Progress) Add(c Completion, day Day, away []Away) bool {
	switch {
	case p.Total > 0 && day.Compare(p.Last) < 0:
		return false
	case p.Total > 0 && day == p.Last:
		p.LastCount++
	case p.Total > 0 && kept(p.Last, day, away):
		p.Run++
		p.Last, p.LastCount = day, 1
	default:
		p.Run = 1
		p.Last, p.LastCount = day, 1
	}
	p.Total++
	if p.PerStretch == nil {
		p.PerStretch = map[string]int{}
	}
	p.PerStretch[c.StretchID]++
	p.Best = max(p.Best, p.Run)
	return true
}

// BuildProgress summarises a whole history (in any order) in loc.
func BuildProgress(history []Completion, loc *time.Location, away []Away) Progress {
	if loc == nil {
		loc = time.UTC
	}
	sorted := slices.SortedFunc(slices.Values(history), func(a, b Completion) int { return a.At.Compare(b.At) })
	var p Progress
	for _, c := range sorted {
		p.Add(c, DayOf(c.At, loc), away)
	}
	return p
}

// Streak is the current streak on local date today: the run that ends on
// Last, as long as no day between Last and today was missed (today itself
// may still come; away days are not missed).
func (p Progress) Streak(today Day, away []Away) int {
	if p.Total == 0 || today.Compare(p.Last) < 0 {
		return p.Run
	}
	if today == p.Last || kept(p.Last, today, away) {
		return p.Run
	}
	return 0
}

// Today is the number of completions on local date today.
func (p Progress) Today(today Day) int {
	if p.Total > 0 && p.Last == today {
		return p.LastCount
	}
	return 0
}

// kept reports whether a streak that reached day from carries on to day
// to: every day strictly between them is an away day (or there is none).
func kept(from, to Day, away []Away) bool {
	for d := from.AddDays(1); d.Compare(to) < 0; d = d.AddDays(1) {
		if !awayOn(d, away) {
			return false
		}
	}
	return true
}

func awayOn(d Day, away []Away) bool {
	return slices.ContainsFunc(away, func(a Away) bool { return a.Covers(d) })
}
