package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
)

// BenchmarkStretchDone measures /stretch done for a person with no
// history and with 100,000 completions (25 a day for 4,000 days in a row,
// up to yesterday): the handler on a real bbolt file, as the console and
// Discord call it, each call a committed (fsynced) write. Reports p50 and
// p99 of the calls.
func BenchmarkStretchDone(b *testing.B) {
	b.Run("history=0", func(b *testing.B) { benchmarkStretchDone(b, 0) })
	b.Run("history=100k", func(b *testing.B) { benchmarkStretchDone(b, 4000) })
}

func benchmarkStretchDone(b *testing.B, days int) {
	const perDay = 25
	e := newHandlerEnv(b, bot.Config{})
	ctx := context.Background()
	history := make([]stretchbot.Completion, 0, perDay*days)
	first := e.now.AddDate(0, 0, -days)
	for d := range days {
		for i := range perDay {
			at := first.AddDate(0, 0, d).Add(time.Duration(i) * 30 * time.Minute)
			history = append(history, stretchbot.Completion{UserID: aliceID, At: at, StretchID: "knee-hug", Source: stretchbot.SourceManual})
		}
	}
	if err := e.db.AddCompletions(ctx, history); err != nil {
		b.Fatal(err)
	}
	in := bot.Interaction{Kind: bot.KindCommand, UserID: aliceID, Command: "stretch done", Options: map[string]string{"stretch": "knee-hug"}}
	want := "Streak: " + stretchbot.Count(nil, days+1, stretchbot.NounDay) + "."
	if r := e.bot.Handle(ctx, in); !strings.Contains(r.Content, want) {
		b.Fatalf("first Done: %q, want %q", r.Content, want)
	}
	var took []time.Duration
	for b.Loop() {
		e.now = e.now.Add(2 * time.Second) // stays under the rate limit
		start := time.Now()
		r := e.bot.Handle(ctx, in)
		took = append(took, time.Since(start))
		if !strings.Contains(r.Content, want) {
			b.Fatalf("Done: %q, want %q", r.Content, want)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
