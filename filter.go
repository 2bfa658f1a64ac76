package stretchbot

import (
	"slices"
	"strings"
)

// The one-character codes of Filter.Token, in a fixed order: the index of
// a value is its code's position.
var (
	positionCodes  = []Position{"", PositionFloor, PositionBed, PositionChair, PositionStanding}
	equipmentCodes = []Equipment{"", EquipmentNone, EquipmentStrap, EquipmentBall, EquipmentChair, EquipmentAll}
)

const tokenCodes = "xnsbca" // wide enough for both tables

// Token writes f in three characters (position, equipment, spasm), short
// enough to ride in a button's custom_id; ParseToken reads it back.
func (f Filter) Token() string {
	p := slices.Index(positionCodes, f.Position)
	e := slices.Index(equipmentCodes, f.Equipment)
	if p < 0 {
		p = 0
	}
	if e < 0 {
		e = 0
	}
	spasm := byte('0')
	if f.SpasmSafe {
		spasm = '1'
	}
	return string([]byte{tokenCodes[p], tokenCodes[e], spasm})
}

// ParseToken reads a Filter written by Token.
func ParseToken(s string) (Filter, bool) {
	if len(s) != 3 || (s[2] != '0' && s[2] != '1') {
		return Filter{}, false
	}
	p, e := strings.IndexByte(tokenCodes, s[0]), strings.IndexByte(tokenCodes, s[1])
	if p < 0 || p >= len(positionCodes) || e < 0 || e >= len(equipmentCodes) {
		return Filter{}, false
	}
	return Filter{Position: positionCodes[p], Equipment: equipmentCodes[e], SpasmSafe: s[2] == '1'}, true
}

// IsDefault reports whether f is the default: everything the person can
// do, with the equipment they have.
func (f Filter) IsDefault() bool { return f == Filter{} }

// has reports whether the person can use e for a stretch under f: they
// said they have it, or it is the chair they said they are sitting on.
func (f Filter) has(e Equipment, kit []Equipment) bool {
	return e == EquipmentNone || slices.Contains(kit, e) || (e == EquipmentChair && f.Position == PositionChair)
}

// fitsKit reports whether s needs only equipment the person has, when f
// keeps to it (the default equipment choice).
func (f Filter) fitsKit(s Stretch, kit []Equipment) bool {
	if f.Equipment != "" {
		return true
	}
	for _, e := range s.Equipment {
		if !f.has(e, kit) {
			return false
		}
	}
	return true
}
