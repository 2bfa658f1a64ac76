package pictures

import (
	"image/color"
	"math"
	"strings"
)

// Limb gives the direction of each segment of an arm or a leg, in degrees
// counter-clockwise from pointing right (90 is straight up). Directions are
// absolute, not relative to the segment before, so each number can be read
// off a sketch with a protractor.
type Limb struct {
	Upper float64 // thigh or upper arm
	Lower float64 // shin or forearm (the hand is its rounded end)
	Foot  float64 // foot, from the ankle to the toes; unused for arms
	// Short is how much shorter the upper segment looks because it points
	// towards the viewer (0.6 draws it at 40 % of its length); 0 for none.
	Short float64
}

// Pose is a figure: where its hip joint is and which way each part points.
type Pose struct {
	Hip   Pt
	Back  float64 // direction of the lower half of the trunk, hip to waist
	Chest float64 // direction of the upper half, waist to shoulders
	Head  float64 // direction from the shoulders to the centre of the head
	// Arms and Legs: [0] is the far one, drawn behind the body in a lighter
	// shade; [1] is the near one, drawn in front with a thin outline.
	Arms, Legs [2]Limb
	// HipWidth and ShoulderWidth are for figures seen from the front: half
	// the distance between the two hip (shoulder) joints. 0 in side views,
	// where both limbs start at the same joint.
	HipWidth, ShoulderWidth float64
}

// Body proportions in canvas units, after the usual anthropometric ratios
// for an adult about 180 units tall: a leg is 89 to the ankle, an arm 72
// to the fingertips, the trunk 52 from hip joint to shoulder joint.
const (
	backLen    = 26
	chestLen   = 26
	neckLen    = 20 // shoulder joint to the centre of the head
	headR      = 11.5
	upperArm   = 32
	forearm    = 40 // to the fingertips
	thighLen   = 45
	shinLen    = 44
	footLen    = 19
	trunkW     = 25
	chestW     = 27
	neckW      = 9
	upperArmW  = 9.5
	forearmW   = 8
	thighW     = 15
	shinW      = 11
	footW      = 7
	outlineGap = 3.5 // the background-coloured rim around near limbs
)

// skeleton is a Pose worked out into joint positions.
type skeleton struct {
	hip, waist, shoulder, head Pt
	hipRoot, knee, ankle, toe  [2]Pt
	shoulderRoot, elbow, hand  [2]Pt
}

func (p Pose) skeleton() skeleton {
	var s skeleton
	s.hip = p.Hip
	s.waist = s.hip.add(polar(p.Back, backLen))
	s.shoulder = s.waist.add(polar(p.Chest, chestLen))
	s.head = s.shoulder.add(polar(p.Head, neckLen))
	// The far limbs start to the left of the trunk's direction, the near
	// ones to its right (nothing changes in a side view, where widths are 0).
	side := [2]float64{1, -1}
	for i, l := range p.Legs {
		s.hipRoot[i] = s.hip.add(polar(p.Back+90, side[i]*p.HipWidth))
		s.knee[i] = s.hipRoot[i].add(polar(l.Upper, thighLen*(1-l.Short)))
		s.ankle[i] = s.knee[i].add(polar(l.Lower, shinLen))
		s.toe[i] = s.ankle[i].add(polar(l.Foot, footLen))
	}
	for i, a := range p.Arms {
		s.shoulderRoot[i] = s.shoulder.add(polar(p.Chest+90, side[i]*p.ShoulderWidth))
		s.elbow[i] = s.shoulderRoot[i].add(polar(a.Upper, upperArm*(1-a.Short)))
		s.hand[i] = s.elbow[i].add(polar(a.Lower, forearm))
	}
	return s
}

// Part names a segment of the body, for highlights and straps.
type Part string

// Parts of the body. Limbs end in 0 (far) or 1 (near).
const (
	PartBack   Part = "back"  // lower back: hip to waist
	PartChest  Part = "chest" // upper back and chest: waist to shoulders
	PartThigh0 Part = "thigh0"
	PartThigh1 Part = "thigh1"
	PartShin0  Part = "shin0"
	PartShin1  Part = "shin1"
	PartFoot0  Part = "foot0"
	PartFoot1  Part = "foot1"
)

// Drawing layers of parts, back to front.
const (
	layerFar = iota
	layerTrunk
	layerNear
)

func (p Part) layer() int {
	switch {
	case p == PartBack || p == PartChest:
		return layerTrunk
	case strings.HasSuffix(string(p), "0"):
		return layerFar
	}
	return layerNear
}

// segment returns the two ends of a part and its drawn width.
func (s skeleton) segment(p Part) (a, b Pt, w float64, ok bool) {
	switch p {
	case PartBack:
		return s.hip, s.waist, trunkW, true
	case PartChest:
		return s.waist, s.shoulder, chestW, true
	case PartThigh0, PartThigh1:
		i := int(p[len(p)-1] - '0')
		return s.hipRoot[i], s.knee[i], thighW, true
	case PartShin0, PartShin1:
		i := int(p[len(p)-1] - '0')
		return s.knee[i], s.ankle[i], shinW, true
	case PartFoot0, PartFoot1:
		i := int(p[len(p)-1] - '0')
		return s.ankle[i], s.toe[i], footW, true
	}
	return Pt{}, Pt{}, 0, false
}

// Highlight marks the stretched area: a glow over part of a segment, from
// fraction From to To of its length, moved Side units to its left (negative:
// to its right) so that, say, the back of a thigh glows rather than its front.
type Highlight struct {
	On       Part
	From, To float64
	Side     float64
	Width    float64 // 0: as wide as the segment
}

// Arrow is the movement: a curve from From to To, pulled towards Via, with
// its head at To.
type Arrow struct {
	From, Via, To Pt
}

// Strap is a towel or strap from both hands around a segment, At the
// fraction of its length.
type Strap struct {
	Around Part
	At     float64
}

// Colours: a calm dark blue figure on an off-white card, a warm glow for
// the stretched area and a green arrow, readable on Discord's light and
// dark themes alike because the card is opaque.
var (
	background   = color.NRGBA{0xF7, 0xF5, 0xF0, 0xFF}
	bodyColor    = color.NRGBA{0x2F, 0x3E, 0x5C, 0xFF}
	farColor     = color.NRGBA{0x82, 0x90, 0xAE, 0xFF}
	glowOuter    = color.NRGBA{0xFF, 0x8A, 0x4C, 0x50}
	glowInner    = color.NRGBA{0xFF, 0x6A, 0x2B, 0xC0}
	arrowColor   = color.NRGBA{0x12, 0x8A, 0x5E, 0xFF}
	strapColor   = color.NRGBA{0x8E, 0x4F, 0xC9, 0xFF}
	floorColor   = color.NRGBA{0xC9, 0xC1, 0xB3, 0xFF}
	matColor     = color.NRGBA{0x9C, 0xC4, 0xA8, 0xFF}
	woodColor    = color.NRGBA{0xA7, 0x7F, 0x57, 0xFF}
	farWoodColor = color.NRGBA{0xCF, 0xB5, 0x98, 0xFF}
	sheetColor   = color.NRGBA{0xD9, 0xE2, 0xF0, 0xFF}
	pillowColor  = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	pillowEdge   = color.NRGBA{0xB9, 0xC3, 0xD3, 0xFF}
	ballColor    = color.NRGBA{0xF2, 0xB1, 0x3A, 0xFF}
	ballShine    = color.NRGBA{0xFF, 0xD9, 0x8A, 0xFF}
)

// limbShapes returns the shapes of limb i, widened by extra (for the
// outline drawn behind a near limb).
func (s skeleton) limbShapes(i int, extra float64) []shape {
	return []shape{
		line(s.hipRoot[i], s.knee[i], thighW+extra),
		line(s.knee[i], s.ankle[i], shinW+extra),
		line(s.ankle[i], s.toe[i], footW+extra),
	}
}

func (s skeleton) armShapes(i int, extra float64) []shape {
	return []shape{
		line(s.shoulderRoot[i], s.elbow[i], upperArmW+extra),
		line(s.elbow[i], s.hand[i], forearmW+extra),
	}
}

func (s skeleton) trunkShapes() []shape {
	out := []shape{
		line(s.hip, s.waist, trunkW),
		line(s.waist, s.shoulder, chestW),
		line(s.shoulder, s.head, neckW),
		circle(s.head, headR),
	}
	for i := range 2 {
		// Hips and shoulders of a front view.
		out = append(out, line(s.hip, s.hipRoot[i], thighW), line(s.shoulder, s.shoulderRoot[i], upperArmW+2))
	}
	return out
}

// glow returns the two layers of a highlight's glow.
func (s skeleton) glow(h Highlight) (outer, inner shape, ok bool) {
	a, b, w, ok := s.segment(h.On)
	if !ok {
		return shape{}, shape{}, false
	}
	if h.Width > 0 {
		w = h.Width
	}
	off := polar(angleOf(b.sub(a))+90, h.Side)
	from, to := a.lerp(b, h.From).add(off), a.lerp(b, h.To).add(off)
	return line(from, to, w+15), line(from, to, w+6), true
}

// arrowShapes returns the shaft and head of an arrow, widened by extra.
func arrowShapes(a Arrow, extra float64) []shape {
	const headLen, headW, shaftW = 15, 17, 5.5
	pts := quadPoints(a.From, a.Via, a.To, 48)
	// The shaft stops where the head begins.
	end := len(pts) - 1
	for end > 1 && pts[end].sub(a.To).len() < headLen*0.8 {
		end--
	}
	tip := a.To
	dir := angleOf(tip.sub(pts[end]))
	base := tip.sub(polar(dir, headLen))
	shaft := bend(a.From, controlFor(a.From, a.Via, a.To, pts[end]), pts[end], shaftW+extra)
	k := extra * 0.9
	head := poly(
		tip.add(polar(dir, k)),
		base.add(polar(dir+90, headW/2+k)).sub(polar(dir, k*0.5)),
		base.add(polar(dir-90, headW/2+k)).sub(polar(dir, k*0.5)),
	)
	return []shape{shaft, head}
}

// controlFor returns the control point of the part of the curve a→b via c
// that ends at e, so the shortened shaft follows the same path.
func controlFor(a, c, b, e Pt) Pt {
	// Find t of e on the curve, then split the curve there (de Casteljau).
	best, bt := math.Inf(1), 1.0
	for i := 0; i <= 200; i++ {
		t := float64(i) / 200
		p := a.lerp(c, t).lerp(c.lerp(b, t), t)
		if d := p.sub(e).len(); d < best {
			best, bt = d, t
		}
	}
	return a.lerp(c, bt)
}

// strapShapes returns the strap from both hands to its anchor, with a band
// around the limb there.
func (s skeleton) strapShapes(st Strap) []shape {
	a, b, w, ok := s.segment(st.Around)
	if !ok {
		return nil
	}
	at := a.lerp(b, st.At)
	across := polar(angleOf(b.sub(a))+90, w/2+2)
	out := []shape{line(at.add(across), at.sub(across), 5)}
	for i := range 2 {
		// Each end of the loop goes to the hand on its side of the limb.
		end := at.add(across)
		if s.hand[i].sub(at.add(across)).len() > s.hand[i].sub(at.sub(across)).len() {
			end = at.sub(across)
		}
		out = append(out, line(s.hand[i], end, 3.5))
	}
	return out
}
