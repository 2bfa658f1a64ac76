package pictures

import (
	"image"
	"image/color"

	"github.com/stretchbot/stretchbot"
)

// Scene is one picture: props, a figure in its pose, the stretched area
// and the movement.
type Scene struct {
	// Name is the file name without size and extension, e.g. "knee-hug".
	Name string
	// Stretch is the id of the catalogue entry the scene shows.
	Stretch string
	// Position is the place the scene shows, for a stretch drawn once per
	// place (in bed, on the floor); "" when one scene fits every place.
	Position stretchbot.Position
	// Alt describes the picture for people who cannot see it.
	Alt string
	// Frame is the part of the canvas shown, so that every figure fills
	// its picture.
	Frame  Frame
	Behind []Prop // drawn before the figure
	Figure Pose
	Front  []Prop // drawn over the figure
	Strap  *Strap
	Glow   []Highlight
	Arrows []Arrow
}

// Prop is a piece of furniture or equipment: shapes of one colour.
type Prop struct {
	Color  color.NRGBA
	Shapes []shape
}

// Draw renders the scene width pixels wide (the height follows the
// canvas's 8:5 shape).
func (sc Scene) Draw(width int) *image.RGBA {
	c := newCanvas(width, sc.Frame, background)
	for _, p := range sc.Behind {
		c.fill(p.Color, p.Shapes...)
	}
	s := sc.Figure.skeleton()
	// A glow is drawn just before the layer its part belongs to, so it
	// shows as a warm halo around the part (pushed to one side by
	// Highlight.Side) and the figure itself stays crisp.
	glow := func(layer int) {
		var outer, inner []shape
		for _, h := range sc.Glow {
			if o, i, ok := s.glow(h); ok && h.On.layer() == layer {
				outer, inner = append(outer, o), append(inner, i)
			}
		}
		if len(outer) > 0 {
			c.fill(glowOuter, outer...)
			c.fill(glowInner, inner...)
		}
	}
	glow(layerFar)
	c.fill(farColor, append(s.limbShapes(0, 0), s.armShapes(0, 0)...)...)
	glow(layerTrunk)
	c.fill(bodyColor, s.trunkShapes()...)
	// Near limbs get a thin rim of background colour where they may cross
	// the body, so a hand on a knee or an arm across the chest stays
	// readable. The rim leaves out the parts next to the hip and shoulder,
	// which would otherwise cut rings into the trunk.
	c.fill(background, s.rim(1)...)
	glow(layerNear)
	c.fill(bodyColor, s.limbShapes(1, 0)...)
	c.fill(background, s.armRim(1)...)
	c.fill(bodyColor, s.armShapes(1, 0)...)
	for _, p := range sc.Front {
		c.fill(p.Color, p.Shapes...)
	}
	if sc.Strap != nil {
		c.fill(strapColor, s.strapShapes(*sc.Strap)...)
	}
	for _, a := range sc.Arrows {
		c.fill(background, arrowShapes(a, 5)...)
		c.fill(arrowColor, arrowShapes(a, 0)...)
	}
	return c.img
}

// rim returns the outline shapes of leg i, from the knee down.
func (s skeleton) rim(i int) []shape {
	return []shape{
		line(s.knee[i], s.ankle[i], shinW+2*outlineGap),
		line(s.ankle[i], s.toe[i], footW+2*outlineGap),
	}
}

// armRim returns the outline shapes of arm i, from mid upper arm down.
func (s skeleton) armRim(i int) []shape {
	return []shape{
		line(s.shoulderRoot[i].lerp(s.elbow[i], 0.6), s.elbow[i], upperArmW+2*outlineGap),
		line(s.elbow[i], s.hand[i], forearmW+2*outlineGap),
	}
}

// Props. Each returns what is needed in the order it is drawn.

// floor is the ground line with a faint band below it.
func floor() []Prop {
	return []Prop{
		{color.NRGBA{0xEC, 0xE7, 0xDE, 0xFF}, []shape{rect(Pt{0, 0}, Pt{canvasW, floorY}, 0)}},
		{floorColor, []shape{rect(Pt{0, floorY - 1.5}, Pt{canvasW, floorY + 0.5}, 0)}},
	}
}

// mat is an exercise mat on the floor from x0 to x1.
func mat(x0, x1 float64) Prop {
	return Prop{matColor, []shape{rect(Pt{x0, floorY}, Pt{x1, floorY + 5}, 2.5)}}
}

// bed is a bed from x0 to x1 whose mattress top is at height top, with the
// headboard at x0.
func bed(x0, x1, top float64) []Prop {
	return []Prop{
		{woodColor, []shape{
			rect(Pt{x0 - 9, floorY}, Pt{x0 + 1, top + 38}, 3),    // headboard
			rect(Pt{x1 - 5, floorY}, Pt{x1 + 5, top + 6}, 3),     // footboard
			rect(Pt{x0, top - 30}, Pt{x1, top - 19}, 2),          // frame
			rect(Pt{x0 + 6, floorY}, Pt{x0 + 14, top - 25}, 1.5), // legs
			rect(Pt{x1 - 14, floorY}, Pt{x1 - 6, top - 25}, 1.5), //
		}},
		{sheetColor, []shape{rect(Pt{x0 + 1, top - 20}, Pt{x1 - 5, top}, 6)}},
	}
}

// pillow is a pillow centred at c, w by h.
func pillow(c Pt, w, h float64) []Prop {
	a, b := Pt{c.X - w/2, c.Y - h/2}, Pt{c.X + w/2, c.Y + h/2}
	return []Prop{
		{pillowEdge, []shape{rect(a, b, h/2)}},
		{pillowColor, []shape{rect(a.add(Pt{1.5, 1.5}), b.sub(Pt{1.5, 1.5}), h/2-1.5)}},
	}
}

// ball is an exercise ball of radius r resting on the floor at x.
func ball(x, r float64) []Prop {
	c := Pt{x, floorY + r}
	return []Prop{
		{ballColor, []shape{circle(c, r)}},
		{ballShine, []shape{bend(c.add(polar(10, r*0.72)), c.add(polar(35, r*0.95)), c.add(polar(60, r*0.72)), r*0.12)}},
	}
}

// chair is a chair seen from the side with its seat top at height seat,
// centred at x; facing is +1 when it faces right, -1 left. A far chair is
// drawn in a paler wood.
func chair(x, seat, facing float64, far bool) Prop {
	col := woodColor
	if far {
		col = farWoodColor
	}
	back := x - facing*19
	return Prop{col, []shape{
		rect(Pt{x - 22, seat - 6}, Pt{x + 22, seat}, 2),                      // seat
		rect(Pt{x - 20, floorY}, Pt{x - 14, seat - 4}, 1.5),                  // legs
		rect(Pt{x + 14, floorY}, Pt{x + 20, seat - 4}, 1.5),                  //
		rect(Pt{back - 3, seat - 4}, Pt{back + 3, seat + 58}, 2),             // back post
		rect(Pt{back - 3, seat + 34}, Pt{back + 3 + facing*0, seat + 58}, 2), //
	}}
}

func join(groups ...[]Prop) []Prop {
	var out []Prop
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
