package chart

import (
	"bytes"
	"image"
	"image/png"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
)

// The bot must accept the renderer as its chart dependency.
var _ bot.ChartRenderer = (*Renderer)(nil)

var today = stretchbot.Day{Year: 2026, Month: time.November, Day: 25}

// series returns n days ending today with counts from count(i).
func series(n int, count func(i int) int) stretchbot.Stats {
	st := stretchbot.Stats{Days: make([]stretchbot.DayCount, n)}
	for i := range n {
		st.Days[i] = stretchbot.DayCount{Day: today.AddDays(i - n + 1), Count: count(i)}
	}
	return st
}

func render(t testing.TB, st stretchbot.Stats) image.Image {
	t.Helper()
	b, err := New().RenderChart(st, "Stretches per day")
	if err != nil {
		t.Fatalf("RenderChart: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, Width, Height) {
		t.Fatalf("size %v, want %dx%d", got, Width, Height)
	}
	return img
}

// barPixels counts pixels of exactly the bar colour. Bars are wide enough
// to have solid interiors, and no other element (text, grid, axes) uses
// green, so anti-aliased edges need no tolerance.
func barPixels(img image.Image) int {
	n := 0
	want := color64(barColor)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if [4]uint32{r, g, bl, a} == want {
				n++
			}
		}
	}
	return n
}

func color64(c interface{ RGBA() (r, g, b, a uint32) }) [4]uint32 {
	r, g, b, a := c.RGBA()
	return [4]uint32{r, g, b, a}
}

func TestRenderSizes(t *testing.T) {
	cases := []struct {
		name  string
		st    stretchbot.Stats
		green bool
	}{
		{"week", series(7, func(i int) int { return i % 3 }), true},
		{"month", series(30, func(i int) int { return i % 4 }), true},
		{"year", series(365, func(i int) int { return i % 2 }), true},
		{"empty", stretchbot.Stats{}, false},
		{"week zeros", series(7, func(int) int { return 0 }), false},
		{"month zeros", series(30, func(int) int { return 0 }), false},
		{"year zeros", series(365, func(int) int { return 0 }), false},
		{"one day", series(1, func(int) int { return 5 }), true},
		{"ten years", series(3650, func(i int) int { return i % 3 }), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := render(t, c.st)
			n := barPixels(img)
			switch {
			case c.green && n < 500:
				t.Errorf("%d pixels of the bar colour, want a visible bar (≥ 500)", n)
			case !c.green && n != 0:
				t.Errorf("%d pixels of the bar colour with no stretches, want 0", n)
			}
		})
	}
}

// A single stretch in a year must still show: weekly sums keep it at a
// visible height rather than a sub-pixel sliver.
func TestSingleStretchVisible(t *testing.T) {
	st := series(365, func(i int) int {
		if i == 200 {
			return 1
		}
		return 0
	})
	if n := barPixels(render(t, st)); n < 500 {
		t.Errorf("%d pixels of the bar colour, want a visible bar", n)
	}
}

func TestGroupWeekly(t *testing.T) {
	st := series(365, func(int) int { return 1 })
	bars := group(st.Days, true)
	if len(bars) != 53 {
		t.Fatalf("%d bars, want 53", len(bars))
	}
	if bars[0].count != 1 || bars[0].first != bars[0].last {
		t.Errorf("oldest bar %+v, want the 1 leftover day", bars[0])
	}
	last := bars[len(bars)-1]
	if last.count != 7 || last.last != today || last.first != today.AddDays(-6) {
		t.Errorf("newest bar %+v, want the 7 days ending today", last)
	}
	total := 0
	for _, b := range bars {
		total += b.count
	}
	if total != 365 {
		t.Errorf("bars sum to %d, want 365", total)
	}
}

func TestXLabels(t *testing.T) {
	labels := func(st stretchbot.Stats) []string {
		weekly := len(st.Days) > dailyMax
		var out []string
		for _, tk := range xTicks(group(st.Days, weekly), weekly).Ticks(0, 0) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	zero := func(int) int { return 0 }
	check := func(name string, got, want []string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: labels %q, want %q", name, got, want)
			return
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: labels %q, want %q", name, got, want)
				return
			}
		}
	}
	// 2026-11-25 is a Wednesday.
	check("week", labels(series(7, zero)), []string{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"})
	check("month", labels(series(30, zero)), []string{"Oct 28", "Nov 4", "Nov 11", "Nov 18", "Nov 25"})
	check("year", labels(series(365, zero)),
		[]string{"Dec", "2026", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"})
	ten := labels(series(3650, zero))
	for _, l := range ten {
		if len(l) != 4 {
			t.Errorf("ten years: label %q, want only years", l)
		}
	}
}

func TestYScaleIntegers(t *testing.T) {
	for peak := 0; peak <= 1000; peak++ {
		top, step := yScale(peak)
		if step < 1 || top < peak || top%step != 0 || top/step > 5 {
			t.Fatalf("yScale(%d) = %d, %d", peak, top, step)
		}
	}
}

// The bot renders for several users at once.
func TestConcurrentRenders(t *testing.T) {
	var r Renderer // the zero value works
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			st := series(30, func(j int) int { return (i + j) % 3 })
			if _, err := r.RenderChart(st, "concurrent"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func BenchmarkRenderYear(b *testing.B) {
	st := series(365, func(i int) int { return i % 4 })
	r := New()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.RenderChart(st, "Stretches per day, last year"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatsAndChartTenYears is the whole /stretch stats year path for a
// heavy user: ten years of daily stretches (3,650 completions) summarised
// and drawn. The goal is ≤ 50 ms.
func BenchmarkStatsAndChartTenYears(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.UTC // no tzdata on the machine; UTC costs the same here
	}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, loc)
	comps := make([]stretchbot.Completion, 3650)
	for i := range comps {
		comps[i] = stretchbot.Completion{
			UserID:    "u1",
			At:        now.AddDate(0, 0, -i).Add(-time.Duration(i%600) * time.Minute),
			StretchID: []string{"cat-cow", "child-pose", "knee-to-chest"}[i%3],
			Source:    stretchbot.SourceButton,
		}
	}
	r := New()
	b.ReportAllocs()
	for b.Loop() {
		st := stretchbot.Summarize(comps, loc, now, 365)
		if _, err := r.RenderChart(st, "Stretches per day, last year"); err != nil {
			b.Fatal(err)
		}
	}
}
