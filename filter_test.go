package stretchbot_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

func TestFilterTokenRoundTrips(t *testing.T) {
	positions := []stretchbot.Position{"", stretchbot.PositionFloor, stretchbot.PositionBed, stretchbot.PositionChair, stretchbot.PositionStanding}
	equipment := []stretchbot.Equipment{"", stretchbot.EquipmentNone, stretchbot.EquipmentStrap, stretchbot.EquipmentBall, stretchbot.EquipmentChair, stretchbot.EquipmentAll}
	seen := map[string]bool{}
	for _, p := range positions {
		for _, e := range equipment {
			for _, spasm := range []bool{false, true} {
				f := stretchbot.Filter{Position: p, Equipment: e, SpasmSafe: spasm}
				tok := f.Token()
				if len(tok) != 3 || seen[tok] {
					t.Fatalf("%+v → %q: not 3 characters, or not unique", f, tok)
				}
				seen[tok] = true
				if got, ok := stretchbot.ParseToken(tok); !ok || got != f {
					t.Fatalf("%+v → %q → %+v, %v", f, tok, got, ok)
				}
			}
		}
	}
	if (stretchbot.Filter{}).Token() != "xx0" {
		t.Fatalf("the default filter's token is %q", stretchbot.Filter{}.Token())
	}
	for _, bad := range []string{"", "xx", "xx2", "zx0", "xz0", "xx00", "ax0"} {
		if _, ok := stretchbot.ParseToken(bad); ok {
			t.Errorf("%q read as a filter", bad)
		}
	}
}

// Equipment is offered only when the person said they have it or asked
// for all of it.
func TestOfferKeepsToTheEquipmentAPersonHas(t *testing.T) {
	c := mustCatalog(t)
	nothing := stretchbot.User{ID: "1"}
	withBall := stretchbot.User{ID: "1", Equipment: []stretchbot.Equipment{stretchbot.EquipmentBall}}
	tests := []struct {
		name string
		u    stretchbot.User
		f    stretchbot.Filter
		want []string
	}{
		{"nothing said: stretches that need nothing", nothing, stretchbot.Filter{}, []string{"knee-hug", "childs-pose", "side-lying-quad", "lying-hamstring"}},
		{"a ball: the ball drape too", withBall, stretchbot.Filter{}, []string{"knee-hug", "childs-pose", "ball-drape", "side-lying-quad", "lying-hamstring"}},
		{"all: everything", nothing, stretchbot.Filter{Equipment: stretchbot.EquipmentAll}, []string{"knee-hug", "childs-pose", "ball-drape", "seated-twist", "side-lying-quad", "lying-hamstring"}},
		{"sitting on a chair has a chair", nothing, stretchbot.Filter{Position: stretchbot.PositionChair}, []string{"seated-twist"}},
		{"a strap chosen: its variants", nothing, stretchbot.Filter{Equipment: stretchbot.EquipmentStrap}, []string{"knee-hug", "childs-pose", "side-lying-quad", "lying-hamstring"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allOffered(t, c.Offer(tt.u, nil, tt.f, t0)); !slices.Equal(got, tt.want) {
				t.Errorf("offered %v, want %v", got, tt.want)
			}
		})
	}
	if s, _ := c.Get("ball-drape"); c.Offer(nothing, nil, stretchbot.Filter{}, t0).Allows(s) {
		t.Error("the ball drape is allowed to someone who never said they have a ball")
	}
	var u stretchbot.User
	for _, e := range []stretchbot.Equipment{stretchbot.EquipmentBall, "", stretchbot.EquipmentNone, stretchbot.EquipmentAll, stretchbot.EquipmentStrap, stretchbot.EquipmentBall} {
		u.SaidTheyHave(e)
	}
	if !slices.Equal(u.Equipment, []stretchbot.Equipment{stretchbot.EquipmentBall, stretchbot.EquipmentStrap}) {
		t.Errorf("remembered %v", u.Equipment)
	}
}

func TestQuietHours(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, berlin) }
	night := stretchbot.QuietHours{From: 22 * 60, To: 7 * 60}
	afternoon := stretchbot.QuietHours{From: 13 * 60, To: 14*60 + 30}
	tests := []struct {
		q     stretchbot.QuietHours
		t     time.Time
		quiet bool
		end   time.Time
	}{
		{night, at(10, 21, 59), false, at(11, 7, 0)},
		{night, at(10, 22, 0), true, at(11, 7, 0)},
		{night, at(11, 3, 0), true, at(11, 7, 0)},
		{night, at(11, 6, 59), true, at(11, 7, 0)},
		{night, at(11, 7, 0), false, at(12, 7, 0)},
		{afternoon, at(10, 13, 0), true, at(10, 14, 30)},
		{afternoon, at(10, 14, 30), false, at(11, 14, 30)},
		{afternoon, at(10, 12, 59), false, at(10, 14, 30)},
		// The night clocks go forward: 7:00 still ends it, an hour sooner.
		{night, at(28, 23, 0), true, at(29, 7, 0)},
	}
	for _, tt := range tests {
		if got := tt.q.Contains(tt.t, berlin); got != tt.quiet {
			t.Errorf("%v in %s–%s: quiet %v, want %v", tt.t, stretchbot.Clock(tt.q.From), stretchbot.Clock(tt.q.To), got, tt.quiet)
		}
		if got := tt.q.End(tt.t, berlin); !got.Equal(tt.end) {
			t.Errorf("%v in %s–%s: ends %v, want %v", tt.t, stretchbot.Clock(tt.q.From), stretchbot.Clock(tt.q.To), got, tt.end)
		}
	}
	if (stretchbot.QuietHours{From: 60, To: 60}).Valid() || (stretchbot.QuietHours{From: -1, To: 60}).Valid() || (stretchbot.QuietHours{From: 0, To: 1440}).Valid() {
		t.Error("an empty or off-the-clock span is valid")
	}
	if got := stretchbot.Clock(7*60 + 5); got != "07:05" {
		t.Errorf("Clock = %q", got)
	}
}
