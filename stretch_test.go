package stretchbot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot"
)

func mustCatalog(t *testing.T) *stretchbot.Catalog {
	t.Helper()
	c, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatalf("embedded catalogue: %v", err)
	}
	return c
}

func TestDefaultCatalogHasTheSixStretchesAndVariants(t *testing.T) {
	c := mustCatalog(t)
	bases := map[string]bool{}
	for _, s := range c.Stretches {
		if s.VariantOf == "" {
			bases[s.ID] = true
		}
	}
	for _, id := range []string{"knee-hug", "childs-pose", "ball-drape", "seated-twist", "side-lying-quad", "lying-hamstring"} {
		if !bases[id] {
			t.Errorf("base stretch %q missing", id)
		}
	}
	if len(bases) != 6 {
		t.Errorf("got %d base stretches, want 6", len(bases))
	}
	for _, tc := range []struct{ base, variant string }{
		{"knee-hug", "knee-hug-strap"},
		{"knee-hug", "double-knee-hug"},
		{"ball-drape", "ball-drape-chairs"},
		{"lying-hamstring", "lying-hamstring-strap"},
	} {
		found := false
		for _, v := range c.Variants(tc.base) {
			found = found || v.ID == tc.variant
		}
		if !found {
			t.Errorf("variant %q of %q missing", tc.variant, tc.base)
		}
	}
	child, _ := c.Get("childs-pose")
	if child.SpasmSafe {
		t.Error("child's pose is for after a spasm has eased; it must not be spasm-safe")
	}
	for _, s := range c.Stretches {
		if s.HoldMin != 15 || s.HoldMax != 30 {
			t.Errorf("%s: hold %d–%d, the source gives 15–30 s", s.ID, s.HoldMin, s.HoldMax)
		}
	}
}

func TestLoadCatalogNamesTheBrokenEntryAndField(t *testing.T) {
	valid := `{"id":"a","name":"A","summary":"s","positions":["floor"],"equipment":["none"],"hold_min_seconds":15,"hold_max_seconds":30,"steps":["x"],"breathing":"b","cautions":[],"spasm_safe_why":"w","loaded_flexion_why":"w","twist_why":"w"}`
	about := `"about":{"causes":["c"],"see_doctor":["d"]}`
	tests := []struct {
		name, stretches, want string
	}{
		{"duplicate id", valid + "," + valid, `stretch "a": id: used twice`},
		{"hold reversed", strings.Replace(valid, `"hold_max_seconds":30`, `"hold_max_seconds":10`, 1), `stretch "a": hold_min_seconds`},
		{"hold too long", strings.Replace(valid, `"hold_max_seconds":30`, `"hold_max_seconds":600`, 1), `stretch "a": hold_min_seconds`},
		{"no steps", strings.Replace(valid, `"steps":["x"]`, `"steps":[]`, 1), `stretch "a": steps: must not be empty`},
		{"empty name", strings.Replace(valid, `"name":"A"`, `"name":""`, 1), `stretch "a": name: must not be empty`},
		{"long name", strings.Replace(valid, `"name":"A"`, `"name":"`+strings.Repeat("n", 257)+`"`, 1), `stretch "a": name: 257 characters`},
		{"bad position", strings.Replace(valid, `["floor"]`, `["roof"]`, 1), `positions: unknown position "roof"`},
		{"bad equipment", strings.Replace(valid, `["none"]`, `["rope"]`, 1), `equipment: unknown equipment "rope"`},
		{"bad variant", strings.Replace(valid, `"id":"a"`, `"id":"a","variant_of":"zzz","variant_label":"v"`, 1), `variant_of: "zzz" is not a base stretch`},
		{"bad id", strings.Replace(valid, `"id":"a"`, `"id":"A B"`, 1), `stretch "A B": id:`},
		{"missing safety reason", strings.Replace(valid, `"twist_why":"w"`, `"twist_why":" "`, 1), `stretch "a": twist_why: must not be empty`},
		{"safety reason on two lines", strings.Replace(valid, `"loaded_flexion_why":"w"`, `"loaded_flexion_why":"a\nb"`, 1), `stretch "a": loaded_flexion_why: must be one line`},
		{"unknown field", strings.Replace(valid, `"id":"a"`, `"id":"a","hold":3`, 1), `unknown field "hold"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := stretchbot.LoadCatalog([]byte(`{"version":1,"stretches":[` + tt.stretches + `],` + about + `}`))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := stretchbot.LoadCatalog([]byte(`{"version":1,"stretches":[` + valid + `],` + about + `}`)); err != nil {
		t.Fatalf("valid catalogue rejected: %v", err)
	}
}

func TestRotationCyclesThroughAllMatchingBeforeRepeating(t *testing.T) {
	c := mustCatalog(t)
	tests := []struct {
		name   string
		filter stretchbot.Filter
		want   []string
	}{
		{"everything", stretchbot.Filter{}, []string{"knee-hug", "childs-pose", "ball-drape", "seated-twist", "side-lying-quad", "lying-hamstring"}},
		{"bed", stretchbot.Filter{Position: stretchbot.PositionBed}, []string{"knee-hug", "side-lying-quad", "lying-hamstring"}},
		{"chair", stretchbot.Filter{Position: stretchbot.PositionChair}, []string{"seated-twist"}},
		{"nothing needed", stretchbot.Filter{Equipment: stretchbot.EquipmentNone}, []string{"knee-hug", "childs-pose", "side-lying-quad", "lying-hamstring"}},
		// Only the knee hug family is spasm-safe: its variants join the
		// rotation so that Skip moves on.
		{"spasm", stretchbot.Filter{SpasmSafe: true}, []string{"knee-hug", "knee-hug-strap", "double-knee-hug"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recent []string
			for round := 0; round < 2; round++ {
				for i, want := range tt.want {
					got, ok := c.Next(recent, tt.filter)
					if !ok || got.ID != want {
						t.Fatalf("round %d step %d: got %q (ok=%v), want %q", round, i, got.ID, ok, want)
					}
					recent = append(recent, got.ID)
				}
			}
		})
	}
}

func TestRotationSkipsWhatWasDoneRecentlyAndCountsVariants(t *testing.T) {
	c := mustCatalog(t)
	// Having done the strap variant of the knee hug counts as the knee hug.
	got, _ := c.Next([]string{"knee-hug-strap"}, stretchbot.Filter{Position: stretchbot.PositionBed})
	if got.ID != "side-lying-quad" {
		t.Fatalf("got %q, want side-lying-quad", got.ID)
	}
	// Asking for strap stretches offers the strap variants, whose bases need nothing.
	got, _ = c.Next(nil, stretchbot.Filter{Equipment: stretchbot.EquipmentStrap})
	if got.ID != "knee-hug" {
		t.Fatalf("strap filter: got %q; stretches needing nothing always fit", got.ID)
	}
	// Nothing matches: standing stretches are not in the catalogue yet.
	if s, ok := c.Next(nil, stretchbot.Filter{Position: stretchbot.PositionStanding}); ok {
		t.Fatalf("standing: got %q, want none", s.ID)
	}
	// Unknown ids in history (a stretch removed from the catalogue) are ignored.
	if got, _ := c.Next([]string{"gone"}, stretchbot.Filter{}); got.ID != "knee-hug" {
		t.Fatalf("got %q, want knee-hug", got.ID)
	}
}

func TestRotationOffersVariantWhenItsBaseIsFilteredOut(t *testing.T) {
	c := mustCatalog(t)
	// The ball drape needs only a ball; the chair variant needs a ball and a chair.
	got, ok := c.Next(nil, stretchbot.Filter{Equipment: stretchbot.EquipmentBall})
	if !ok {
		t.Fatal("no stretch for ball")
	}
	if got.ID != "knee-hug" {
		t.Fatalf("got %q", got.ID)
	}
}

func TestHoldText(t *testing.T) {
	c := mustCatalog(t)
	s, _ := c.Get("knee-hug")
	if got := s.HoldText(en); got != "at least 15–30 seconds on each side, longer if it feels good" {
		t.Errorf("knee-hug: %q", got)
	}
	s, _ = c.Get("childs-pose")
	if got := s.HoldText(en); got != "at least 15–30 seconds, longer if it feels good" {
		t.Errorf("childs-pose: %q", got)
	}
}

// TestStretchTextsSayWhatTheBodyDoes pins the review points of the
// catalogue texts: knee hugs hold behind the thigh, never on the knee; the
// double knee hug's breathing cue works in bed too; holds are a minimum.
func TestStretchTextsSayWhatTheBodyDoes(t *testing.T) {
	c := mustCatalog(t)
	for _, id := range []string{"knee-hug", "knee-hug-strap", "double-knee-hug"} {
		s, _ := c.Get(id)
		steps := strings.Join(s.Steps, " ")
		if !strings.Contains(steps, "behind") || !strings.Contains(steps, "thigh") {
			t.Errorf("%s: the hold is not behind the thigh: %q", id, steps)
		}
		for _, bad := range []string{"around that knee", "around the shin", "your shins"} {
			if strings.Contains(steps, bad) {
				t.Errorf("%s: holds at the knee or shin (%q)", id, bad)
			}
		}
	}
	double, _ := c.Get("double-knee-hug")
	if !strings.Contains(double.Breathing, "mattress") {
		t.Errorf("double knee hug breathing cue only works on the floor: %q", double.Breathing)
	}
	for _, s := range c.Stretches {
		if h := s.HoldText(en); !strings.HasPrefix(h, "at least ") || !strings.HasSuffix(h, "longer if it feels good") {
			t.Errorf("%s: hold %q is not a minimum", s.ID, h)
		}
	}
}
