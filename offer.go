package stretchbot

import (
	"slices"
	"time"

	"github.com/stretchbot/stretchbot/lang"
)

// Limits of CHECKIN.md, "Which stretches each person is offered": a check-in
// with pain this high keeps a person to spasm-safe stretches for this long.
const (
	SeverePain = 8
	SevereFor  = 24 * time.Hour
)

// StretchOffer is which stretches one person may be offered right now, and
// why some are left out. Every place that offers a person a stretch (/stretch
// now, Skip, variant buttons, reminders, stretch-break clicks) asks one, so
// the safety limits hold everywhere:
//
//   - held: an emergency or "see a doctor today" result the person has not
//     yet said was seen to. No stretch at all.
//   - bone risk (profile P2): nothing that bends the spine forward under
//     load or twists it.
//   - severe pain (the last check-in scored 8 or more, for 24 hours after
//     it) or the person's own spasm:true: only spasm-safe stretches.
//
// On top of those come the person's own choices (the Filter), and, unless
// they ask for all equipment, the equipment they said they have. The zero
// value offers nothing; build one with Catalog.Offer.
type StretchOffer struct {
	catalog  *Catalog
	filter   Filter
	kit      []Equipment // what the person said they have
	held     bool
	boneRisk bool
	severe   bool
}

// Offer decides which stretches u may be offered at now: u's profile and
// pause state, their last check-in (nil when there is none, or when it is
// unknown), and the choices f (where they are, what they have, spasm-safe).
// It is pure: no clock, no I/O.
func (c *Catalog) Offer(u User, last *CheckInRecord, f Filter, now time.Time) StretchOffer {
	return StretchOffer{
		catalog:  c,
		filter:   f,
		kit:      u.Equipment,
		held:     u.Paused == PauseCheckIn,
		boneRisk: u.Profile != nil && u.Profile.BoneRisk,
		// A record from the future (a clock set back) counts as recent:
		// the limit errs on the careful side.
		severe: last != nil && last.Pain >= SeverePain && last.Pain <= 10 && now.Sub(last.At) < SevereFor,
	}
}

// LastCheckIn returns the newest of recs (which the store lists oldest
// first), or nil when there is none: the "last check-in" Offer takes.
func LastCheckIn(recs []CheckInRecord) *CheckInRecord {
	if len(recs) == 0 {
		return nil
	}
	last := recs[len(recs)-1]
	return &last
}

// Held reports whether an urgent check-in result is holding every stretch
// back until the person says a clinician has seen them.
func (o StretchOffer) Held() bool { return o.held }

// Filter returns the person's own choices the offer applies.
func (o StretchOffer) Filter() Filter { return o.filter }

// safe reports whether s passes the safety limits, whatever the choices.
func (o StretchOffer) safe(s Stretch) bool {
	switch {
	case o.catalog == nil, o.held:
		return false
	case o.boneRisk && (s.LoadedFlexion || s.Twist):
		return false
	case o.severe && !s.SpasmSafe:
		return false
	}
	return true
}

// Safe reports whether s passes this person's safety limits, whatever
// their choices: whether a card shown earlier may still be started.
func (o StretchOffer) Safe(s Stretch) bool { return o.safe(s) }

// Kit returns the equipment the person said they have.
func (o StretchOffer) Kit() []Equipment { return o.kit }

// Allows reports whether s may be offered: safe for this person and
// fitting their choices; with the default equipment choice, needing only
// equipment they said they have.
func (o StretchOffer) Allows(s Stretch) bool {
	return o.safe(s) && o.filter.Matches(s) && o.filter.fitsKit(s, o.kit)
}

// Next returns the next stretch of the rotation (see Catalog.Next) among
// those the offer allows; false when none is allowed.
func (o StretchOffer) Next(recent []string) (Stretch, bool) {
	if o.catalog == nil || o.held {
		return Stretch{}, false
	}
	return o.catalog.next(recent, o.Allows)
}

// Any reports whether at least one stretch is allowed.
func (o StretchOffer) Any() bool {
	_, ok := o.Next(nil)
	return ok
}

// WithoutChoices returns the offer with the person's choices dropped and
// only the safety limits kept: what a reminder falls back to when the last
// choices fit nothing.
func (o StretchOffer) WithoutChoices() StretchOffer {
	o.filter = Filter{}
	return o
}

// leftOutForBones lists the base stretches the bone-risk limit leaves out
// (a variant only when its base is not listed), in catalogue order.
func (o StretchOffer) leftOutForBones() []Stretch {
	var out []Stretch
	listed := map[string]bool{}
	for _, s := range o.catalog.Stretches {
		if !s.LoadedFlexion && !s.Twist {
			continue
		}
		if s.VariantOf != "" && listed[s.VariantOf] {
			continue
		}
		listed[s.ID] = true
		out = append(out, s)
	}
	return out
}

// Note says why stretches are left out for this person's safety, one
// paragraph per limit that leaves something out; "" when none does (the
// person's own choices are not explained back to them). It does not cover
// held: see HeldText.
func (o StretchOffer) Note(p *lang.Printer) string {
	if o.catalog == nil || o.held {
		return ""
	}
	var parts []string
	if o.boneRisk {
		if out := o.leftOutForBones(); len(out) > 0 {
			parts = append(parts, boneRiskNote(p, out))
		}
	}
	if o.severe && slices.ContainsFunc(o.catalog.Stretches, func(s Stretch) bool { return !s.SpasmSafe }) {
		parts = append(parts, p.T("offer.severe.note"))
	}
	return joinParagraphs(parts)
}

// ShortNote is Note in one line, for a reminder; "" when nothing is left
// out for safety.
func (o StretchOffer) ShortNote(p *lang.Printer) string {
	if o.catalog == nil || o.held {
		return ""
	}
	var parts []string
	if o.boneRisk && len(o.leftOutForBones()) > 0 {
		parts = append(parts, p.T("offer.bone_risk.short"))
	}
	if o.severe {
		parts = append(parts, p.T("offer.severe.short"))
	}
	return joinSentences(parts)
}

// Empty explains why Next found nothing, in words for the person: held;
// nothing safe at all right now; or nothing that is safe also fits their
// choices (and where stretches that suit them can be done).
func (o StretchOffer) Empty(p *lang.Printer) string {
	if o.held {
		return HeldText(p)
	}
	if o.catalog == nil {
		return p.T("offer.nothing_safe")
	}
	safe := o.WithoutChoices()
	if !safe.Any() {
		return joinParagraphs([]string{p.T("offer.nothing_safe"), o.Note(p), p.T("offer.nothing_safe.advice")})
	}
	note := o.Note(p)
	if note == "" {
		return p.T("offer.nothing_fits")
	}
	var where []Position
	for _, p := range allPositions {
		if p != o.filter.Position && slices.ContainsFunc(o.catalog.Stretches, func(s Stretch) bool {
			return o.safe(s) && slices.Contains(s.Positions, p)
		}) {
			where = append(where, p)
		}
	}
	return joinParagraphs([]string{nothingSuitsText(p, where), note})
}
