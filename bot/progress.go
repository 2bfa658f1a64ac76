package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
)

// ChartRenderer draws completions per day as a PNG.
type ChartRenderer interface {
	RenderChart(st stretchbot.Stats, title string) ([]byte, error)
}

// periods maps the stats period option to the number of days charted.
var periods = map[string]int{"week": 7, "month": 30, "year": 365}

func (b *Bot) stretchStats(ctx context.Context, in Interaction) (Reply, error) {
	period := strings.ToLower(in.Option("period"))
	if period == "" {
		period = "week"
	}
	n := periods[period]
	now := b.now()
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	prog, err := b.progressOf(ctx, u)
	if err != nil {
		return Reply{}, err
	}
	// Totals and streaks come from the summary; only the charted days are
	// read from the history.
	loc := locationOf(u)
	today := stretchbot.DayOf(now, loc)
	recent, err := b.cfg.Store.Completions(ctx, in.UserID, today.AddDays(1-n).Time(loc), now.Add(time.Second))
	if err != nil {
		return Reply{}, fmt.Errorf("load completions of %s: %w", in.UserID, err)
	}
	st := stretchbot.Summarize(recent, loc, now, n)
	st.Total, st.Today, st.PerStretch = prog.Total, prog.Today(today), prog.PerStretch
	st.CurrentStreak, st.BestStreak = prog.Streak(today, u.Away), prog.Best
	p := in.Lang()
	if st.Total == 0 {
		return message(p.T("stats.none", "Button", p.T("card.done"))), nil
	}
	card := Card{
		Title: p.T("stats.title"),
		Color: colorStretch,
		Fields: []Field{
			{Name: p.T("stats.streak"), Value: p.T("stats.streak.value", "Now", days(p, st.CurrentStreak), "Best", days(p, st.BestStreak))},
			{Name: p.T("stats.total"), Value: p.T("stats.total.value", "Stretches", stretchbot.Count(p, st.Total, stretchbot.NounStretch), "Today", st.Today)},
			{Name: p.T("stats.last_week"), Value: lastWeek(p, st)},
			{Name: p.T("stats.by_stretch"), Value: b.perStretch(p, st)},
		},
		Footer: p.T("stats.footer", "Zone", loc.String()),
	}
	r := Reply{Ephemeral: true, Cards: []Card{card}}
	// The chart's title and its alt text stay in English: the picture is
	// drawn with English labels.
	if b.cfg.Chart != nil {
		title := "Stretches per day, last " + period
		if period == "year" {
			title = "Stretches per week, last year" // a year is drawn as weekly bars
		}
		png, err := b.cfg.Chart.RenderChart(st, title)
		if err != nil {
			b.log.WarnContext(ctx, "render chart", "user", in.UserID, "err", err)
		} else {
			r.Files = []File{{Name: "stretches.png", ContentType: "image/png", Data: png, Description: chartAlt(st)}}
			r.Cards[0].Images = []string{"stretches.png"}
		}
	}
	return r, nil
}

// progressOf returns u's Progress. The store keeps it with every
// completion; for someone whose completions all predate it, it is worked
// out from the history until their next completion stores it.
func (b *Bot) progressOf(ctx context.Context, u stretchbot.User) (stretchbot.Progress, error) {
	if u.Progress != nil {
		return *u.Progress, nil
	}
	history, err := b.cfg.Store.Completions(ctx, u.ID, time.Time{}, time.Time{})
	if err != nil {
		return stretchbot.Progress{}, fmt.Errorf("load completions of %s: %w", u.ID, err)
	}
	return stretchbot.BuildProgress(history, locationOf(u), u.Away), nil
}

// chartAlt describes the chart in numbers for people who cannot see it:
// "Bar chart: 12 stretches in the last 7 days, most on Monday: 4."
func chartAlt(st stretchbot.Stats) string {
	total, most := 0, 0
	for _, d := range st.Days {
		total += d.Count
		most = max(most, d.Count)
	}
	span := "the last " + stretchbot.Count(lang.English(), len(st.Days), stretchbot.NounDay)
	if total == 0 {
		return "Bar chart of " + span + ": no stretches yet."
	}
	var top []string
	for _, d := range st.Days {
		if d.Count == most {
			top = append(top, dayName(d.Day, len(st.Days)))
		}
	}
	var peak string
	switch {
	case len(top) == 1:
		peak = fmt.Sprintf("most on %s: %d", top[0], most)
	case len(top) <= 3:
		peak = fmt.Sprintf("most on %s and %s: %d each", strings.Join(top[:len(top)-1], ", "), top[len(top)-1], most)
	default:
		peak = fmt.Sprintf("at most %d a day, on %s", most, stretchbot.Count(lang.English(), len(top), stretchbot.NounDay))
	}
	return fmt.Sprintf("Bar chart: %s in %s, %s.", stretchbot.Count(lang.English(), total, stretchbot.NounStretch), span, peak)
}

// dayName names a day of a chart: its weekday within a week, which is how
// the chart labels it, or weekday and date over longer spans.
func dayName(d stretchbot.Day, span int) string {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	if span <= 7 {
		return t.Format("Monday")
	}
	return t.Format("Monday 2 January")
}

// lastWeek renders the last seven days as "Mon 2 · Tue 0 · …".
func lastWeek(p *lang.Printer, st stretchbot.Stats) string {
	days := st.Days
	if len(days) > 7 {
		days = days[len(days)-7:]
	}
	parts := make([]string, len(days))
	for i, d := range days {
		wd := stretchbot.WeekdayShort(p, time.Date(d.Day.Year, d.Day.Month, d.Day.Day, 0, 0, 0, 0, time.UTC).Weekday())
		mark := "·"
		if d.Count > 0 {
			mark = "✓"
		}
		parts[i] = fmt.Sprintf("%s %s%d", wd, mark, d.Count)
	}
	return strings.Join(parts, "  ")
}

func (b *Bot) perStretch(p *lang.Printer, st stretchbot.Stats) string {
	type row struct {
		name string
		n    int
	}
	var rows []row
	for id, n := range st.PerStretch {
		name := p.T("stats.other")
		if s, ok := b.cfg.Catalog.Get(id); ok {
			name = s.In(p).Name
		}
		rows = append(rows, row{name, n})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].n != rows[j].n {
			return rows[i].n > rows[j].n
		}
		return rows[i].name < rows[j].name
	})
	var lines []string
	for _, r := range rows {
		lines = append(lines, fmt.Sprintf("%s: %d", r.name, r.n))
	}
	return truncateText(strings.Join(lines, "\n"), 1024)
}
