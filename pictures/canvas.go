package pictures

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/vector"
)

// The canvas is 400 × 250 units, whatever the pixel size, with y pointing
// up: poses are written in these units and scaled to 256 or 640 pixels.
const (
	canvasW = 400
	canvasH = 250
	// floorY is the height of the floor line every scene stands on.
	floorY = 40
)

// Pt is a point on the canvas, in units.
type Pt struct{ X, Y float64 }

func (p Pt) add(q Pt) Pt             { return Pt{p.X + q.X, p.Y + q.Y} }
func (p Pt) sub(q Pt) Pt             { return Pt{p.X - q.X, p.Y - q.Y} }
func (p Pt) mul(k float64) Pt        { return Pt{p.X * k, p.Y * k} }
func (p Pt) len() float64            { return math.Hypot(p.X, p.Y) }
func (p Pt) lerp(q Pt, t float64) Pt { return p.add(q.sub(p).mul(t)) }

// polar is the vector of the given length pointing deg degrees
// counter-clockwise from the right.
func polar(deg, length float64) Pt {
	r := deg * math.Pi / 180
	return Pt{length * math.Cos(r), length * math.Sin(r)}
}

func angleOf(v Pt) float64 { return math.Atan2(v.Y, v.X) * 180 / math.Pi }

// kind is the geometry of a shape.
type kind int

const (
	capsule kind = iota // a line from P[0] to P[1], W wide, with round ends
	disc                // a circle around P[0], W in radius
	polygon             // a filled polygon through P
	rounded             // a rectangle from corner P[0] to corner P[1], corners of radius W
	curve               // a quadratic curve P[0] → P[2] pulled towards P[1], W wide
)

// shape is one filled outline on the canvas.
type shape struct {
	kind kind
	P    []Pt
	W    float64
}

func line(a, b Pt, w float64) shape       { return shape{capsule, []Pt{a, b}, w} }
func circle(c Pt, r float64) shape        { return shape{disc, []Pt{c}, r} }
func poly(p ...Pt) shape                  { return shape{polygon, p, 0} }
func rect(a, b Pt, radius float64) shape  { return shape{rounded, []Pt{a, b}, radius} }
func bend(a, ctrl, b Pt, w float64) shape { return shape{curve, []Pt{a, ctrl, b}, w} }

// Frame is the part of the canvas a picture shows: Width units wide from
// its bottom-left corner Min, and 5/8 of that high. The zero Frame is the
// whole canvas.
type Frame struct {
	Min   Pt
	Width float64
}

// canvas rasterises shapes onto an opaque picture with anti-aliased edges.
type canvas struct {
	img   *image.RGBA
	frame Frame
	scale float64 // pixels per unit
	r     *vector.Rasterizer
	// off is the pixel position of the rasteriser's top-left corner: each
	// fill rasterises only the box around its shapes, which is most of the
	// time saved.
	off image.Point
}

func newCanvas(width int, f Frame, bg color.NRGBA) *canvas {
	if f.Width == 0 {
		f = Frame{Width: canvasW}
	}
	h := width * canvasH / canvasW
	c := &canvas{
		img:   image.NewRGBA(image.Rect(0, 0, width, h)),
		frame: f,
		scale: float64(width) / f.Width,
		r:     vector.NewRasterizer(width, h),
	}
	for i := 0; i < len(c.img.Pix); i += 4 {
		c.img.Pix[i], c.img.Pix[i+1], c.img.Pix[i+2], c.img.Pix[i+3] = bg.R, bg.G, bg.B, 0xff
	}
	return c
}

// xy converts a canvas point to pixel coordinates (y down).
func (c *canvas) xy(p Pt) (float32, float32) {
	x, y := c.pixel(p)
	return float32(x - float64(c.off.X)), float32(y - float64(c.off.Y))
}

// pixel converts a canvas point to image coordinates.
func (c *canvas) pixel(p Pt) (x, y float64) {
	top := c.frame.Min.Y + c.frame.Width*canvasH/canvasW
	return (p.X - c.frame.Min.X) * c.scale, (top - p.Y) * c.scale
}

// fill paints the union of shapes in one colour. Every outline is traced
// counter-clockwise, so overlapping shapes add up instead of cancelling.
func (c *canvas) fill(col color.NRGBA, shapes ...shape) {
	var box image.Rectangle
	for _, s := range shapes {
		box = box.Union(c.bounds(s))
	}
	box = box.Intersect(c.img.Bounds())
	if box.Empty() {
		return
	}
	c.off = box.Min
	c.r.Reset(box.Dx(), box.Dy())
	for _, s := range shapes {
		c.trace(s)
	}
	c.r.Draw(c.img, box, image.NewUniform(col), image.Point{})
}

// bounds returns the pixels a shape may touch, with a pixel to spare for
// anti-aliasing.
func (c *canvas) bounds(s shape) image.Rectangle {
	pad := 0.0
	switch s.kind {
	case capsule, curve:
		pad = s.W / 2
	case disc:
		pad = s.W
	}
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range s.P {
		x, y := c.pixel(p)
		x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
	}
	pad = pad*c.scale + 2
	return image.Rect(int(math.Floor(x0-pad)), int(math.Floor(y0-pad)), int(math.Ceil(x1+pad)), int(math.Ceil(y1+pad)))
}

func (c *canvas) trace(s shape) {
	switch s.kind {
	case capsule:
		c.capsule(s.P[0], s.P[1], s.W/2)
	case disc:
		c.moveTo(s.P[0].add(Pt{s.W, 0}))
		c.arc(s.P[0], s.W, 0, 360)
		c.r.ClosePath()
	case polygon:
		p := s.P
		if area(p) < 0 {
			p = reversed(p)
		}
		c.moveTo(p[0])
		for _, q := range p[1:] {
			c.lineTo(q)
		}
		c.r.ClosePath()
	case rounded:
		x0, y0 := math.Min(s.P[0].X, s.P[1].X), math.Min(s.P[0].Y, s.P[1].Y)
		x1, y1 := math.Max(s.P[0].X, s.P[1].X), math.Max(s.P[0].Y, s.P[1].Y)
		r := math.Min(s.W, math.Min(x1-x0, y1-y0)/2)
		c.moveTo(Pt{x0 + r, y0})
		c.lineTo(Pt{x1 - r, y0})
		c.arc(Pt{x1 - r, y0 + r}, r, -90, 0)
		c.lineTo(Pt{x1, y1 - r})
		c.arc(Pt{x1 - r, y1 - r}, r, 0, 90)
		c.lineTo(Pt{x0 + r, y1})
		c.arc(Pt{x0 + r, y1 - r}, r, 90, 180)
		c.lineTo(Pt{x0, y0 + r})
		c.arc(Pt{x0 + r, y0 + r}, r, 180, 270)
		c.r.ClosePath()
	case curve:
		pts := quadPoints(s.P[0], s.P[1], s.P[2], 32)
		for i := 1; i < len(pts); i++ {
			c.capsule(pts[i-1], pts[i], s.W/2)
		}
	}
}

// capsule traces a stroke from a to b of radius r with round ends.
func (c *canvas) capsule(a, b Pt, r float64) {
	d := b.sub(a)
	if d.len() < 1e-9 {
		c.trace(circle(a, r))
		return
	}
	t := angleOf(d)
	c.moveTo(a.add(polar(t-90, r)))
	c.lineTo(b.add(polar(t-90, r)))
	c.arc(b, r, t-90, t+90)
	c.lineTo(a.add(polar(t+90, r)))
	c.arc(a, r, t+90, t+270)
	c.r.ClosePath()
}

// arc continues the path along a circle from angle a0 to a1 (a1 > a0),
// with one cubic Bézier per quarter turn or less.
func (c *canvas) arc(centre Pt, r, a0, a1 float64) {
	n := int(math.Ceil((a1 - a0) / 90))
	step := (a1 - a0) / float64(n)
	k := 4.0 / 3 * math.Tan(step*math.Pi/180/4) * r
	for i := range n {
		s, e := a0+float64(i)*step, a0+float64(i+1)*step
		p0, p3 := centre.add(polar(s, r)), centre.add(polar(e, r))
		p1, p2 := p0.add(polar(s+90, k)), p3.add(polar(e-90, k))
		x1, y1 := c.xy(p1)
		x2, y2 := c.xy(p2)
		x3, y3 := c.xy(p3)
		c.r.CubeTo(x1, y1, x2, y2, x3, y3)
	}
}

func (c *canvas) moveTo(p Pt) { c.r.MoveTo(c.xy(p)) }
func (c *canvas) lineTo(p Pt) { c.r.LineTo(c.xy(p)) }

// quadPoints samples a quadratic Bézier curve at n+1 points.
func quadPoints(a, ctrl, b Pt, n int) []Pt {
	out := make([]Pt, n+1)
	for i := range out {
		t := float64(i) / float64(n)
		out[i] = a.lerp(ctrl, t).lerp(ctrl.lerp(b, t), t)
	}
	return out
}

// area is the signed area of a polygon: positive when counter-clockwise.
func area(p []Pt) float64 {
	var s float64
	for i := range p {
		q := p[(i+1)%len(p)]
		s += p[i].X*q.Y - q.X*p[i].Y
	}
	return s / 2
}

func reversed(p []Pt) []Pt {
	out := make([]Pt, len(p))
	for i := range p {
		out[len(p)-1-i] = p[i]
	}
	return out
}
