// Package chart draws a user's stretches per day as a PNG bar chart, the
// picture attached to /stretch stats.
//
// It uses gonum.org/v1/plot, which embeds its fonts (Liberation), so it needs
// no system fonts, no cgo and no network: it works in a static binary and in
// tests alike.
//
// The picture is a white card with dark text and green (#3BA55C) bars. Discord
// shows attachments over its own background, which is near-black in the dark
// theme and near-white in the light one; a transparent picture could only use
// mid-grey text, which is low-contrast on both. An opaque card looks the same
// everywhere, including when the file is saved or opened outside Discord.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/stretchbot/stretchbot"
)

// Size of every chart in pixels. Fixed, so the Discord embed does not jump
// in size between periods.
const (
	Width  = 800
	Height = 400
)

// dpi is twice the 72 points per inch that plot lengths are measured in, so
// a point is two pixels. Discord shrinks embedded images to roughly half
// this width, so the picture is drawn at "retina" scale: text sizes below
// are what a reader sees after that shrinking.
const dpi = 144

// margin is the blank border inside the card.
const margin = vg.Length(8)

// sans selects Liberation Sans, embedded by gonum/plot. Its default is the
// serif face, which looks out of place next to Discord's sans-serif text.
const sans = "Sans"

// Colours. Text is Discord's dark-theme background colour, which is near
// black but softer than pure black on a white card.
var (
	barColor   = color.NRGBA{R: 0x3B, G: 0xA5, B: 0x5C, A: 0xFF}
	background = color.White
	textColor  = color.NRGBA{R: 0x31, G: 0x33, B: 0x38, A: 0xFF}
	axisColor  = color.NRGBA{R: 0x5C, G: 0x5E, B: 0x66, A: 0xFF}
	gridColor  = color.NRGBA{R: 0xE3, G: 0xE5, B: 0xE8, A: 0xFF}
)

// Periods longer than dailyMax days are drawn one bar per week: 365 daily
// bars would be under two pixels wide, and most days count 0–3, which reads
// as noise. Weekly sums show the trend.
const (
	dailyMax   = 92 // a quarter: daily bars still at least ~8 px wide
	weekdayMax = 14 // up to two weeks, every bar gets its weekday name
	// yearsOnly: past this many weekly bars (about 2.3 years) month labels
	// would overlap, so only years are labelled.
	yearsOnly = 120
)

// Renderer draws stats charts. The zero value is ready to use and it is safe
// for concurrent use: it holds no state.
type Renderer struct{}

// New returns a Renderer.
func New() *Renderer { return &Renderer{} }

// bar is one bar of the chart: the sum of one or more consecutive days.
type bar struct {
	first, last stretchbot.Day
	count       int
}

// RenderChart draws st.Days as a Width×Height PNG with title on top. Up to
// dailyMax days are drawn one bar per day, longer series one bar per
// 7 days, counted back from the newest day so the last bar is the last
// seven days (the oldest bar may hold fewer days), and the y axis then reads
// "per week". An empty or all-zero series gives axes and a short note
// instead of bars.
func (*Renderer) RenderChart(st stretchbot.Stats, title string) ([]byte, error) {
	weekly := len(st.Days) > dailyMax
	bars := group(st.Days, weekly)

	p := plot.New()
	p.BackgroundColor = background
	p.Title.Text = title
	p.Title.TextStyle.Color = textColor
	p.Title.TextStyle.Font.Variant = sans
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Title.Padding = vg.Points(8)

	styleAxis(&p.X)
	styleAxis(&p.Y)
	// Bars stand on the x axis; the y axis is left to the grid lines, which
	// carry the values without a second heavy line.
	p.X.Padding = 0
	p.Y.Padding = 0
	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Label.Text = "per day"
	if weekly {
		p.Y.Label.Text = "per week"
	}

	// Bars sit at x = 0, 1, …, n-1; the half-slot margins keep the outer
	// bars off the plot edges.
	p.X.Min, p.X.Max = -0.5, float64(max(len(bars), 1))-0.5
	p.X.Tick.Marker = xTicks(bars, weekly)

	peak := 0
	for _, b := range bars {
		peak = max(peak, b.count)
	}
	top, step := yScale(peak)
	p.Y.Min, p.Y.Max = 0, float64(top)
	p.Y.Tick.Marker = plot.TickerFunc(func(_, _ float64) []plot.Tick {
		ticks := make([]plot.Tick, 0, top/step+1)
		for v := 0; v <= top; v += step {
			ticks = append(ticks, plot.Tick{Value: float64(v), Label: fmt.Sprint(v)})
		}
		return ticks
	})

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = gridColor
	grid.Horizontal.Width = vg.Points(0.5)
	grid.Horizontal.Dashes = nil
	p.Add(grid)

	if peak > 0 {
		// Histogram bins are placed in data coordinates, so bar widths
		// follow the number of bars without measuring the plot area.
		// Narrower bars for a handful of days, so a week does not look
		// like a block of wall.
		half := 0.4
		if len(bars) <= weekdayMax {
			half = 0.3
		}
		h := &plotter.Histogram{FillColor: barColor}
		h.LineStyle.Width = 0
		h.Bins = make([]plotter.HistogramBin, len(bars))
		for i, b := range bars {
			x := float64(i)
			h.Bins[i] = plotter.HistogramBin{Min: x - half, Max: x + half, Weight: float64(b.count)}
		}
		p.Add(h)
	}

	c := vgimg.NewWith(
		vgimg.UseWH(vg.Length(Width)*vg.Inch/dpi, vg.Length(Height)*vg.Inch/dpi),
		vgimg.UseDPI(dpi),
		vgimg.UseBackgroundColor(background),
	)
	// A margin all round, so the title and the outer labels do not touch
	// the card's edge (Discord rounds the corners, too).
	dc := draw.Crop(draw.New(c), margin, -margin, margin, -margin)
	p.Draw(dc)
	if peak == 0 {
		// An empty frame alone looks like a failed render; say why it is empty.
		da := p.DataCanvas(dc)
		note := p.Title.TextStyle
		note.Font.Size = vg.Points(10)
		note.Color = axisColor
		note.XAlign, note.YAlign = draw.XCenter, draw.YCenter
		da.FillText(note, da.Center(), "No stretches logged in this period")
	}

	var buf bytes.Buffer
	// Encoding is over half the work at the default level; a chart of flat
	// colours compresses nearly as well at BestSpeed, in much less time.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// styleAxis gives an axis the card's colours and text sizes readable once
// Discord has shrunk the picture.
func styleAxis(a *plot.Axis) {
	a.Color = axisColor
	a.LineStyle.Color = axisColor
	a.LineStyle.Width = vg.Points(0.75)
	a.Label.TextStyle.Color = textColor
	a.Label.TextStyle.Font.Variant = sans
	a.Label.TextStyle.Font.Size = vg.Points(9)
	a.Tick.Color = axisColor
	a.Tick.LineStyle.Color = axisColor
	a.Tick.Label.Color = textColor
	a.Tick.Label.Font.Variant = sans
	a.Tick.Label.Font.Size = vg.Points(9)
}

// group turns days into bars: one per day, or one per 7 days counted back
// from the newest day when weekly.
func group(days []stretchbot.DayCount, weekly bool) []bar {
	if !weekly {
		bars := make([]bar, len(days))
		for i, d := range days {
			bars[i] = bar{first: d.Day, last: d.Day, count: d.Count}
		}
		return bars
	}
	bars := make([]bar, 0, (len(days)+6)/7)
	// Counting back from the newest day keeps the last bar a whole week;
	// only the oldest bar is partial (1 day for 365).
	start := len(days) % 7
	if start > 0 {
		bars = append(bars, sum(days[:start]))
	}
	for i := start; i < len(days); i += 7 {
		bars = append(bars, sum(days[i:i+7]))
	}
	return bars
}

func sum(days []stretchbot.DayCount) bar {
	b := bar{first: days[0].Day, last: days[len(days)-1].Day}
	for _, d := range days {
		b.count += d.Count
	}
	return b
}

// xTicks labels the x axis for the period's length: weekday names for a
// week, every seventh date (ending today) for a month, month starts for a
// year. Unlabelled bars still get a short tick so single days can be counted.
func xTicks(bars []bar, weekly bool) plot.Ticker {
	ticks := make([]plot.Tick, len(bars))
	n := len(bars)
	for i, b := range bars {
		t := ticks[i]
		t.Value = float64(i)
		switch {
		case !weekly && n <= weekdayMax:
			t.Label = date(b.last).Format("Mon")
		case !weekly:
			if (n-1-i)%7 == 0 {
				t.Label = date(b.last).Format("Jan 2")
			}
		default:
			t.Label = monthStart(b, n > yearsOnly)
		}
		ticks[i] = t
	}
	if weekly {
		// Weekly bars are narrow; a minor tick under each would be a comb.
		labelled := ticks[:0]
		for _, t := range ticks {
			if t.Label != "" {
				labelled = append(labelled, t)
			}
		}
		ticks = labelled
	}
	return plot.ConstantTicks(ticks)
}

// monthStart labels a weekly bar holding the 1st of a month with the month
// name, or the year for January (so a year-long chart says which year), and
// returns "" for other bars. With yearsOnly, only January is labelled.
func monthStart(b bar, yearsOnly bool) string {
	for d := date(b.first); !d.After(date(b.last)); d = d.AddDate(0, 0, 1) {
		if d.Day() != 1 {
			continue
		}
		if d.Month() == time.January {
			return d.Format("2006")
		}
		if yearsOnly {
			return ""
		}
		return d.Format("Jan")
	}
	return ""
}

func date(d stretchbot.Day) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// yScale picks the y axis top and an integer tick step: 1, 2 or 5 times a
// power of ten, so that there are at most five steps. Counts are whole
// stretches, so fractional ticks would be nonsense; an all-zero series still
// gets a 0–1 axis.
func yScale(peak int) (top, step int) {
	peak = max(peak, 1)
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			step = m * mag
			top = (peak + step - 1) / step * step
			if top/step <= 5 {
				return top, step
			}
		}
	}
}
