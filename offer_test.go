package stretchbot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/stretchbot/stretchbot"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func boneRisk() stretchbot.User {
	return stretchbot.User{ID: "1", Profile: &stretchbot.Profile{Age: stretchbot.Age50To64, BoneRisk: true}}
}

func painAt(pain int, at time.Time) *stretchbot.CheckInRecord {
	return &stretchbot.CheckInRecord{UserID: "1", At: at, Pain: pain, Tier: stretchbot.TierSelfCare, RuleVersion: stretchbot.RuleVersion}
}

// allOffered walks the rotation until it repeats and returns every stretch
// the offer gave.
func allOffered(t *testing.T, o stretchbot.StretchOffer) []string {
	t.Helper()
	var recent, got []string
	for range 30 {
		s, ok := o.Next(recent)
		if !ok {
			break
		}
		if !slices.Contains(got, s.ID) {
			got = append(got, s.ID)
		}
		recent = append(recent, s.ID)
	}
	return got
}

func TestOfferBoneRiskLeavesOutLoadedFlexionAndTwist(t *testing.T) {
	c := mustCatalog(t)
	filters := []stretchbot.Filter{{}, {Position: stretchbot.PositionFloor}, {Position: stretchbot.PositionBed},
		{Equipment: stretchbot.EquipmentBall}, {Equipment: stretchbot.EquipmentStrap}, {Equipment: stretchbot.EquipmentChair}}
	for _, f := range filters {
		o := c.Offer(boneRisk(), nil, f, t0)
		for _, s := range c.Stretches {
			if (s.LoadedFlexion || s.Twist) && o.Allows(s) {
				t.Errorf("filter %+v: bone risk allows %s", f, s.ID)
			}
		}
		for _, id := range allOffered(t, o) {
			s, _ := c.Get(id)
			if s.LoadedFlexion || s.Twist {
				t.Errorf("filter %+v: bone risk offered %s", f, id)
			}
		}
	}
	got := allOffered(t, c.Offer(boneRisk(), nil, stretchbot.Filter{}, t0))
	if want := []string{"side-lying-quad", "lying-hamstring"}; !slices.Equal(got, want) {
		t.Errorf("bone risk offered %v, want %v", got, want)
	}
	// The note says why, naming each left-out stretch with its reason, and
	// suggests a physiotherapist.
	note := c.Offer(boneRisk(), nil, stretchbot.Filter{}, t0).Note(en)
	for _, id := range []string{"knee-hug", "childs-pose", "ball-drape", "seated-twist"} {
		s, _ := c.Get(id)
		if !strings.Contains(note, s.Name) {
			t.Errorf("note does not name %s:\n%s", s.Name, note)
		}
	}
	for _, want := range []string{"osteoporosis", "steroid tablets for 3 months or longer", "physiotherapist"} {
		if !strings.Contains(note, want) {
			t.Errorf("note lacks %q:\n%s", want, note)
		}
	}
	// The catalogue marks exactly what CHECKIN.md lists.
	for _, s := range c.Stretches {
		base := c.Base(s).ID
		want := slices.Contains([]string{"knee-hug", "childs-pose", "ball-drape", "seated-twist"}, base)
		if (s.LoadedFlexion || s.Twist) != want {
			t.Errorf("%s: loaded flexion %v, twist %v; CHECKIN.md says %v", s.ID, s.LoadedFlexion, s.Twist, want)
		}
	}
	// Without bone risk nothing is left out and there is no note.
	if n := c.Offer(stretchbot.User{ID: "1"}, nil, stretchbot.Filter{}, t0).Note(en); n != "" {
		t.Errorf("note without any limit: %q", n)
	}
}

func TestOfferSeverePainKeepsToSpasmSafeFor24Hours(t *testing.T) {
	c := mustCatalog(t)
	spasmSafe := []string{"knee-hug", "knee-hug-strap", "double-knee-hug"}
	all := []string{"knee-hug", "childs-pose", "ball-drape", "seated-twist", "side-lying-quad", "lying-hamstring"}
	// Someone with every piece of equipment, so only the pain limits what
	// is offered.
	u := stretchbot.User{ID: "1", Equipment: []stretchbot.Equipment{stretchbot.EquipmentBall, stretchbot.EquipmentChair, stretchbot.EquipmentStrap}}
	tests := []struct {
		name string
		last *stretchbot.CheckInRecord
		now  time.Time
		want []string
	}{
		{"no check-in", nil, t0, all},
		{"pain 7", painAt(7, t0), t0.Add(time.Hour), all},
		{"pain 8 just now", painAt(8, t0), t0, spasmSafe},
		{"pain 10 a day minus a second ago", painAt(10, t0), t0.Add(stretchbot.SevereFor - time.Second), spasmSafe},
		{"pain 8 exactly a day ago", painAt(8, t0), t0.Add(stretchbot.SevereFor), all},
		{"pain 8 from a clock set back", painAt(8, t0.Add(time.Hour)), t0, spasmSafe},
		{"pain unknown (stopped early)", painAt(-1, t0), t0, all},
		{"pain out of range", painAt(42, t0), t0, all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := c.Offer(u, tt.last, stretchbot.Filter{}, tt.now)
			if got := allOffered(t, o); !slices.Equal(got, tt.want) {
				t.Errorf("offered %v, want %v", got, tt.want)
			}
			note := o.Note(en)
			if limited := len(tt.want) == len(spasmSafe); limited != strings.Contains(note, "safe during a spasm") {
				t.Errorf("note %q (limited %v)", note, limited)
			}
		})
	}
	// A later check-in with less pain lifts the limit at once.
	recs := []stretchbot.CheckInRecord{*painAt(9, t0), *painAt(3, t0.Add(time.Hour))}
	if got := allOffered(t, c.Offer(u, stretchbot.LastCheckIn(recs), stretchbot.Filter{}, t0.Add(2*time.Hour))); !slices.Equal(got, all) {
		t.Errorf("after a calmer check-in: %v", got)
	}
	if stretchbot.LastCheckIn(nil) != nil {
		t.Error("LastCheckIn(nil) is not nil")
	}
}

func TestOfferSpasmChoiceAndSkipMovesOn(t *testing.T) {
	c := mustCatalog(t)
	o := c.Offer(stretchbot.User{ID: "1"}, nil, stretchbot.Filter{SpasmSafe: true}, t0)
	var recent []string
	prev := ""
	for i := range 6 {
		s, ok := o.Next(recent)
		if !ok || !s.SpasmSafe {
			t.Fatalf("step %d: %q ok=%v", i, s.ID, ok)
		}
		if s.ID == prev {
			t.Fatalf("step %d: skip showed %s again", i, s.ID)
		}
		prev = s.ID
		recent = append(recent, s.ID)
	}
}

func TestOfferHeldOffersNothing(t *testing.T) {
	c := mustCatalog(t)
	u := stretchbot.User{ID: "1", Paused: stretchbot.PauseCheckIn}
	o := c.Offer(u, nil, stretchbot.Filter{}, t0)
	if s, ok := o.Next(nil); ok || o.Any() || !o.Held() {
		t.Fatalf("held offer gave %q", s.ID)
	}
	for _, s := range c.Stretches {
		if o.Allows(s) {
			t.Errorf("held offer allows %s", s.ID)
		}
	}
	if o.Empty(en) != stretchbot.HeldText(en) || !strings.Contains(o.Empty(en), stretchbot.ClearedLabel(en)) {
		t.Errorf("held text: %q", o.Empty(en))
	}
	// A pause the person chose is not a hold.
	u.Paused = stretchbot.PauseByUser
	if !c.Offer(u, nil, stretchbot.Filter{}, t0).Any() {
		t.Error("a user's own pause holds stretches back")
	}
	// The zero value offers nothing and does not panic.
	var zero stretchbot.StretchOffer
	if zero.Any() || zero.Note(en) != "" || zero.Empty(en) == "" {
		t.Error("zero offer")
	}
}

func TestOfferNothingLeftSaysSoClearly(t *testing.T) {
	c := mustCatalog(t)
	// Bone risk and severe pain together: every spasm-safe stretch bends
	// the spine forward, so nothing is left.
	o := c.Offer(boneRisk(), painAt(9, t0), stretchbot.Filter{}, t0.Add(time.Hour))
	if s, ok := o.Next(nil); ok {
		t.Fatalf("offered %s with bone risk and severe pain", s.ID)
	}
	msg := o.Empty(en)
	for _, want := range []string{"None of my stretches is safe for you right now", "osteoporosis", "safe during a spasm", "physiotherapist"} {
		if !strings.Contains(msg, want) {
			t.Errorf("empty message lacks %q:\n%s", want, msg)
		}
	}
	// Choices that fit nothing safe: say where stretches that suit the
	// person can be done.
	o = c.Offer(boneRisk(), nil, stretchbot.Filter{Position: stretchbot.PositionChair}, t0)
	if s, ok := o.Next(nil); ok {
		t.Fatalf("bone risk on a chair offered %s (the seated twist twists)", s.ID)
	}
	msg = o.Empty(en)
	if !strings.Contains(msg, "position:floor or position:bed") || !strings.Contains(msg, "Seated twist") {
		t.Errorf("empty message:\n%s", msg)
	}
	// Without choices, the safe ones come back.
	if !o.WithoutChoices().Any() || o.WithoutChoices().Filter() != (stretchbot.Filter{}) {
		t.Error("WithoutChoices")
	}
}

// TestOfferProperties: whatever the person, their last check-in, choices and
// history, an offered stretch passes every limit that applies, and when none
// is offered the person is told why.
func TestOfferProperties(t *testing.T) {
	c := mustCatalog(t)
	ids := make([]string, len(c.Stretches))
	for i, s := range c.Stretches {
		ids[i] = s.ID
	}
	rapid.Check(t, func(t *rapid.T) {
		u := stretchbot.User{ID: "1"}
		if rapid.Bool().Draw(t, "profile") {
			u.Profile = &stretchbot.Profile{BoneRisk: rapid.Bool().Draw(t, "bone")}
		}
		u.Paused = rapid.SampledFrom([]stretchbot.PauseReason{stretchbot.PauseNone, stretchbot.PauseByUser, stretchbot.PauseCheckIn, stretchbot.PauseDMClosed}).Draw(t, "paused")
		var last *stretchbot.CheckInRecord
		if rapid.Bool().Draw(t, "checked in") {
			last = painAt(rapid.IntRange(-1, 11).Draw(t, "pain"), t0.Add(-time.Duration(rapid.IntRange(-2, 72).Draw(t, "hours ago"))*time.Hour))
		}
		f := stretchbot.Filter{
			Position:  rapid.SampledFrom([]stretchbot.Position{"", stretchbot.PositionFloor, stretchbot.PositionBed, stretchbot.PositionChair, stretchbot.PositionStanding}).Draw(t, "position"),
			Equipment: rapid.SampledFrom([]stretchbot.Equipment{"", stretchbot.EquipmentNone, stretchbot.EquipmentStrap, stretchbot.EquipmentBall, stretchbot.EquipmentChair}).Draw(t, "equipment"),
			SpasmSafe: rapid.Bool().Draw(t, "spasm"),
		}
		recent := rapid.SliceOfN(rapid.SampledFrom(ids), 0, 12).Draw(t, "recent")
		o := c.Offer(u, last, f, t0)
		s, ok := o.Next(recent)
		if !ok {
			if o.Empty(en) == "" {
				t.Fatal("nothing offered and nothing said")
			}
			return
		}
		severe := last != nil && last.Pain >= 8 && last.Pain <= 10 && t0.Sub(last.At) < 24*time.Hour
		switch {
		case u.Paused == stretchbot.PauseCheckIn:
			t.Fatalf("held, offered %s", s.ID)
		case u.Profile != nil && u.Profile.BoneRisk && (s.LoadedFlexion || s.Twist):
			t.Fatalf("bone risk, offered %s", s.ID)
		case (severe || f.SpasmSafe) && !s.SpasmSafe:
			t.Fatalf("severe %v spasm %v, offered %s", severe, f.SpasmSafe, s.ID)
		case !f.Matches(s):
			t.Fatalf("offered %s against the choices %+v", s.ID, f)
		}
	})
}
