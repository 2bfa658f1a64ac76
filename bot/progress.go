package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot"
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
	loc := b.userLocation(ctx, in.UserID)
	// All completions are needed for the best streak; ten years of daily
	// stretching is a few thousand records, cheap to scan.
	comps, err := b.cfg.Store.Completions(ctx, in.UserID, time.Time{}, now.Add(time.Second))
	if err != nil {
		return Reply{}, fmt.Errorf("load completions of %s: %w", in.UserID, err)
	}
	st := stretchbot.Summarize(comps, loc, now, n)
	if st.Total == 0 {
		return message("Nothing logged yet. Press Done after a stretch, or use `/stretch done`, and your streak starts today."), nil
	}
	card := Card{
		Title: "Your stretching",
		Color: colorStretch,
		Fields: []Field{
			{Name: "Streak", Value: fmt.Sprintf("%s now, best %s", days(st.CurrentStreak), days(st.BestStreak))},
			{Name: "Total", Value: fmt.Sprintf("%s, %d today", stretchbot.Count(st.Total, stretchbot.NounStretch), st.Today)},
			{Name: "Last 7 days", Value: lastWeek(st)},
			{Name: "By stretch", Value: b.perStretch(st)},
		},
		Footer: "Days are counted in " + loc.String() + ". Change it with /stretch timezone.",
	}
	r := Reply{Ephemeral: true, Cards: []Card{card}}
	if b.cfg.Chart != nil {
		title := "Stretches per day, last " + period
		if period == "year" {
			title = "Stretches per week, last year" // a year is drawn as weekly bars
		}
		png, err := b.cfg.Chart.RenderChart(st, title)
		if err != nil {
			b.log.WarnContext(ctx, "render chart", "user", in.UserID, "err", err)
		} else {
			active := 0
			for _, d := range st.Days {
				if d.Count > 0 {
					active++
				}
			}
			r.Files = []File{{Name: "stretches.png", ContentType: "image/png", Data: png,
				Description: fmt.Sprintf("Bar chart of stretches per day over the last %s: %s, %d today.", stretchbot.Count(n, stretchbot.NounDay), stretchbot.Count(active, stretchbot.NounActiveDay), st.Today)}}
			r.Cards[0].Image = "stretches.png"
		}
	}
	return r, nil
}

// lastWeek renders the last seven days as "Mon 2 · Tue 0 · …".
func lastWeek(st stretchbot.Stats) string {
	days := st.Days
	if len(days) > 7 {
		days = days[len(days)-7:]
	}
	parts := make([]string, len(days))
	for i, d := range days {
		wd := time.Date(d.Day.Year, d.Day.Month, d.Day.Day, 0, 0, 0, 0, time.UTC).Weekday().String()[:3]
		mark := "·"
		if d.Count > 0 {
			mark = "✓"
		}
		parts[i] = fmt.Sprintf("%s %s%d", wd, mark, d.Count)
	}
	return strings.Join(parts, "  ")
}

func (b *Bot) perStretch(st stretchbot.Stats) string {
	type row struct {
		name string
		n    int
	}
	var rows []row
	for id, n := range st.PerStretch {
		name := "Other"
		if s, ok := b.cfg.Catalog.Get(id); ok {
			name = s.Name
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
