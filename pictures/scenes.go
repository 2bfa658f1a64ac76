package pictures

import "github.com/stretchbot/stretchbot"

// Scenes are every picture, in catalogue order. To change one, edit its
// numbers here, run `go generate ./pictures` and look at the PNGs (or
// docs/stretches.md); the golden test then holds the new drawing.
//
// Angles are degrees counter-clockwise from pointing right: 0 right, 90
// up, 180 left, -90 down. The canvas is 400 × 250 with the floor at y 40.
var Scenes = []Scene{
	onBack("knee-hug", "knee-hug", "A person lies on their back on a mat with one foot flat on the floor. Both hands hold behind the other thigh, just below the knee, drawing that knee in toward the chest. The lower back is highlighted in orange; a green arrow shows the knee coming in.",
		[2]Limb{footFlat, {Upper: 115, Lower: -5, Foot: 60}},
		[2]Limb{{Upper: 76, Lower: 2}, {Upper: 80, Lower: -2}},
		nil, kneeIn),
	onBack("knee-hug-strap", "knee-hug-strap", "A person lies on their back on a mat with one foot flat. A strap passes behind the other thigh, one end in each hand, and bent elbows draw that knee in toward the chest. The lower back is highlighted in orange; a green arrow shows the knee coming in.",
		[2]Limb{footFlat, {Upper: 108, Lower: -8, Foot: 60}},
		[2]Limb{{Upper: 66, Lower: 64}, {Upper: 70, Lower: 60}},
		&Strap{Around: PartThigh1, At: 0.75}, Arrow{From: Pt{265, 112}, Via: Pt{255, 150}, To: Pt{212, 140}}),
	onBack("double-knee-hug", "double-knee-hug", "A person lies on their back on a mat with both knees drawn in together toward the chest, the hands holding behind the thighs. The lower back is highlighted in orange; a green arrow shows both knees coming in.",
		[2]Limb{{Upper: 100, Lower: 8, Foot: 70}, {Upper: 120, Lower: -10, Foot: 55}},
		[2]Limb{{Upper: 76, Lower: 4}, {Upper: 82, Lower: -6}},
		nil, kneeIn),
	childsPose("childs-pose-arms-forward", "A person kneels on a mat, sitting back on their heels with the chest folded down onto the thighs, forehead near the mat and both arms stretched out ahead, palms down. The whole back is highlighted in orange; a green arrow shows the fold forward from the hips.",
		-34, -60, [2]Limb{{Upper: -12, Lower: -6}, {Upper: -10, Lower: -6}}),
	childsPose("childs-pose-arms-back", "A person kneels on a mat, sitting back on their heels with the chest folded down onto the thighs and forehead near the mat. The arms lie back along the body with the hands beside the feet, palms up. The whole back is highlighted in orange; a green arrow shows the fold forward from the hips.",
		-30, -45, [2]Limb{{Upper: 195, Lower: 185}, {Upper: 197, Lower: 185}}),
	ballDrape("ball-drape", "A person kneels behind a large exercise ball and lies face down over it, belly and chest on the ball, with the head and arms hanging loosely toward the floor. The back is highlighted in orange; a green arrow follows the back as it curves over the ball."),
	ballDrape("ball-drape-chairs", "The same drape over an exercise ball, with the ball wedged between two chairs, one on each side, so it cannot roll. The person kneels behind the ball with head and arms hanging toward the floor. The back is highlighted in orange; a green arrow follows the curve of the back.",
		chair(155, 78, 1, true), chair(265, 78, -1, true)),
	seatedTwist(),
	sideLyingQuad(stretchbot.PositionBed),
	sideLyingQuad(stretchbot.PositionFloor),
	hamstring(onBack("lying-hamstring", "lying-hamstring", "A person lies on their back on a mat with one knee bent and that foot flat. Both hands hold behind the other thigh, and that knee straightens so the heel pushes up toward the ceiling. The back of the raised thigh is highlighted in orange; a green arrow shows the heel going up.",
		[2]Limb{footFlat, {Upper: 100, Lower: 100, Foot: 190}},
		[2]Limb{{Upper: 76, Lower: 4}, {Upper: 80, Lower: 0}},
		nil, Arrow{From: Pt{228, 118}, Via: Pt{232, 150}, To: Pt{222, 180}})),
	hamstring(onBack("lying-hamstring-strap", "lying-hamstring-strap", "A person lies on their back on a mat with one knee bent and that foot flat. The other leg is raised straight with a strap around the ball of the foot, one end in each hand, as the heel pushes up toward the ceiling. The back of the raised thigh is highlighted in orange; a green arrow shows the heel going up.",
		[2]Limb{footFlat, {Upper: 95, Lower: 95, Foot: 185}},
		[2]Limb{{Upper: 72, Lower: 88}, {Upper: 75, Lower: 85}},
		&Strap{Around: PartFoot1, At: 0.6}, Arrow{From: Pt{236, 122}, Via: Pt{240, 156}, To: Pt{232, 188}})),
}

// Parts several scenes share.
var (
	// footFlat is a bent leg with its foot flat on the mat.
	footFlat = Limb{Upper: 55, Lower: -75, Foot: -3}
	// kneeIn is the arrow of a knee drawn in toward the chest.
	kneeIn = Arrow{From: Pt{262, 112}, Via: Pt{250, 150}, To: Pt{208, 134}}
)

// onBack is a scene of someone lying on their back on a mat, head to the
// left, with the lower back glowing: the knee hugs, and (moved over by
// hamstring) the hamstring stretches.
func onBack(name, stretch, alt string, legs, arms [2]Limb, strap *Strap, arrow Arrow) Scene {
	return Scene{
		Name: name, Stretch: stretch, Alt: alt, Frame: Frame{Pt{85, 20}, 240},
		Behind: join(floor(), []Prop{mat(95, 305)}),
		Figure: Pose{Hip: Pt{205, 58}, Back: 180, Chest: 180, Head: 176, Legs: legs, Arms: arms},
		Strap:  strap,
		Glow:   []Highlight{{On: PartBack, From: 0, To: 1, Side: 2}},
		Arrows: []Arrow{arrow},
	}
}

// hamstring turns an onBack scene into a hamstring stretch: the figure
// sits further right, under a taller frame for the raised leg, and the
// back of that thigh glows.
func hamstring(sc Scene) Scene {
	sc.Frame = Frame{Pt{85, 22}, 270}
	sc.Behind = join(floor(), []Prop{mat(95, 320)})
	sc.Figure.Hip = Pt{215, 58}
	sc.Glow = []Highlight{{On: PartThigh1, From: 0.1, To: 1, Side: 4}}
	return sc
}

// childsPose is child's pose with the chest and head at the given angles
// and the arms ahead or back along the body.
func childsPose(name, alt string, chest, head float64, arms [2]Limb) Scene {
	return Scene{
		Name: name, Stretch: "childs-pose", Alt: alt, Frame: Frame{Pt{125, 22}, 230},
		Behind: join(floor(), []Prop{mat(130, 345)}),
		Figure: Pose{
			Hip: Pt{194, 76}, Back: 12, Chest: chest, Head: head,
			Legs: [2]Limb{{Upper: -38, Lower: 180, Foot: 180}, {Upper: -38, Lower: 180, Foot: 180}},
			Arms: arms,
		},
		Glow:   []Highlight{{On: PartBack, From: 0, To: 1, Side: 5}, {On: PartChest, From: 0, To: 0.8, Side: 5}},
		Arrows: []Arrow{{From: Pt{196, 132}, Via: Pt{248, 140}, To: Pt{266, 102}}},
	}
}

// ballDrape is the drape over an exercise ball, with chairs (drawn behind
// the ball) to steady it.
func ballDrape(name, alt string, chairs ...Prop) Scene {
	return Scene{
		Name: name, Stretch: name, Alt: alt, Frame: Frame{Pt{75, 22}, 255},
		Behind: join(floor(), append([]Prop{mat(80, 320)}, chairs...), ball(210, 33)),
		Figure: Pose{
			Hip: Pt{170, 94}, Back: 28, Chest: -8, Head: -28,
			Legs: [2]Limb{{Upper: 258, Lower: 180, Foot: 180}, {Upper: 260, Lower: 180, Foot: 180}},
			Arms: [2]Limb{{Upper: -66, Lower: -44}, {Upper: -70, Lower: -40}},
		},
		Glow:   []Highlight{{On: PartBack, From: 0, To: 1, Side: 5}, {On: PartChest, From: 0, To: 0.6, Side: 5}},
		Arrows: []Arrow{{From: Pt{160, 132}, Via: Pt{210, 152}, To: Pt{250, 122}}},
	}
}

func seatedTwist() Scene {
	return Scene{
		Name: "seated-twist", Stretch: "seated-twist", Frame: Frame{Pt{66, 25}, 262},
		Alt:    "A person sits tall on a chair with one leg crossed over the other, the top foot pointing down to the floor. The chest is turned toward the top leg: one arm reaches across the body to rest against the outside of that knee and the other hand holds the back of the chair. The sides of the back are highlighted in orange; a curved green arrow shows the turn of the chest.",
		Behind: join(floor(), []Prop{chair(166, 82, 1, false)}),
		// The legs are seen from the side and the chest from the front,
		// which is how a flat drawing shows a turn at the waist. The near
		// arm starts on the far shoulder (a negative width) so that it
		// crosses in front of the body to the knee.
		Figure: Pose{
			Hip: Pt{178, 93}, Back: 90, Chest: 90, Head: 90,
			ShoulderWidth: -16,
			Legs:          [2]Limb{{Upper: 0, Lower: -86, Foot: 0}, {Upper: 12, Lower: -106, Foot: -78}},
			Arms:          [2]Limb{{Upper: -150, Lower: -118}, {Upper: -22, Lower: -44}},
		},
		Glow: []Highlight{
			{On: PartBack, From: 0.1, To: 1, Side: 11, Width: 8},
			{On: PartBack, From: 0.1, To: 1, Side: -11, Width: 8},
			{On: PartChest, From: 0, To: 0.6, Side: 11, Width: 8},
			{On: PartChest, From: 0, To: 0.6, Side: -11, Width: 8},
		},
		Arrows: []Arrow{{From: Pt{144, 132}, Via: Pt{178, 108}, To: Pt{216, 130}}},
	}
}

// sideLyingQuad is the side-lying thigh stretch in bed (head on a pillow)
// or on the floor (head on the lower arm).
func sideLyingQuad(pos stretchbot.Position) Scene {
	sc := Scene{
		Name: "side-lying-quad-" + string(pos), Stretch: "side-lying-quad", Position: pos,
		Frame:  Frame{Pt{68, 25}, 270},
		Glow:   []Highlight{{On: PartThigh1, From: 0, To: 1, Side: -4}},
		Arrows: []Arrow{{From: Pt{292, 88}, Via: Pt{304, 106}, To: Pt{290, 124}}},
	}
	top := floorY + 5.0 // mat
	if pos == stretchbot.PositionBed {
		top = 80
		sc.Alt = "A person lies on their side in bed with the head on a pillow. The bottom leg is long; the top knee is bent with the heel near the bottom and the top hand holding that ankle. The front of the top thigh and hip is highlighted in orange; a green arrow shows the top knee easing back behind the line of the body."
		sc.Behind = join(floor(), bed(70, 335, top), pillow(Pt{150, top + 7}, 46, 14))
		sc.Frame = Frame{Pt{60, 32}, 285}
		sc.Figure.Arms[0] = Limb{Upper: 168, Lower: 182}
		sc.Figure.Head = 152
	} else {
		sc.Alt = "A person lies on their side on a mat with the head resting on the lower arm. The bottom leg is long; the top knee is bent with the heel near the bottom and the top hand holding that ankle. The front of the top thigh and hip is highlighted in orange; a green arrow shows the top knee easing back behind the line of the body."
		sc.Behind = join(floor(), []Prop{mat(70, 330)})
		sc.Figure.Arms[0] = Limb{Upper: 172, Lower: 180}
		sc.Figure.Head = 140
	}
	y := top + 13
	sc.Figure.Hip = Pt{225, y}
	sc.Figure.Back, sc.Figure.Chest = 180, 180
	sc.Figure.Legs = [2]Limb{{Upper: 0, Lower: 0, Foot: -12}, {Upper: 6, Lower: 138, Foot: 50}}
	sc.Figure.Arms[1] = Limb{Upper: 30, Lower: 26}
	// Arrows and everything above the body move with it.
	for i := range sc.Arrows {
		d := Pt{0, y - 93}
		sc.Arrows[i] = Arrow{sc.Arrows[i].From.add(d), sc.Arrows[i].Via.add(d), sc.Arrows[i].To.add(d)}
	}
	return sc
}
