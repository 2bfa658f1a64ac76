package stretchbot

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/lang"
)

// TestEveryLanguageFitsDiscord: in every language with a message file,
// the stretch texts pass the catalogue's checks (lengths of Discord's
// embeds, one-line safety reasons, the same number of steps as English),
// check-in buttons fit a button and headings a title.
func TestEveryLanguageFitsDiscord(t *testing.T) {
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, locale := range lang.Supported() {
		p := lang.For(locale)
		if p.Locale() != locale {
			t.Fatalf("For(%q) chose %q", locale, p.Locale())
		}
		lc := c.In(p)
		for i, s := range lc.Stretches {
			if err := lc.validate(s); err != nil {
				t.Errorf("%s: stretch %q: %v", locale, s.ID, err)
			}
			if len(s.Steps) != len(c.Stretches[i].Steps) || len(s.Cautions) != len(c.Stretches[i].Cautions) {
				t.Errorf("%s: stretch %q has %d steps and %d cautions, English %d and %d",
					locale, s.ID, len(s.Steps), len(s.Cautions), len(c.Stretches[i].Steps), len(c.Stretches[i].Cautions))
			}
		}
		if len(lc.About.Causes) != len(c.About.Causes) || len(lc.About.SeeDoctor) != len(c.About.SeeDoctor) || len(lc.About.Habits) != len(c.About.Habits) {
			t.Errorf("%s: the about lists differ in length from English", locale)
		}
		for q := range numSteps {
			for _, ch := range checkInQuestion(p, q).Choices {
				if n := utf8.RuneCountInString(ch.Label); n == 0 || n > maxButtonLabel {
					t.Errorf("%s: check-in button %q is %d characters", locale, ch.Label, n)
				}
			}
		}
		for _, a := range []CheckInAction{ActionStretchNow, ActionRecheck, ActionCleared} {
			if n := utf8.RuneCountInString(a.Label(p)); n == 0 || n > maxButtonLabel {
				t.Errorf("%s: result button %q is %d characters", locale, a.Label(p), n)
			}
		}
		for _, tier := range []Tier{TierSelfCare, TierSeeDoctorSoon, TierSeeDoctorToday, TierEmergency} {
			if n := utf8.RuneCountInString(Assessment{Tier: tier}.Heading(p)); n > maxHeadingLen {
				t.Errorf("%s: heading of %v is %d characters", locale, tier, n)
			}
		}
	}
}

// TestEnglishTextsComeFromTheCatalog: the embedded catalogue's English
// texts are en.json's (stretches.json holds none), and In with English
// changes nothing.
func TestEnglishTextsComeFromTheCatalog(t *testing.T) {
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := c.Get("knee-hug")
	if !ok || s.Name != "Knee hug, one leg at a time" || len(s.Steps) != 4 || s.Steps[0] != "Lie on your back with both knees bent and your feet resting flat." {
		t.Fatalf("knee-hug = %+v", s)
	}
	if got := c.In(lang.English()); got.Stretches[0].Summary != c.Stretches[0].Summary || got.About.Intro != c.About.Intro {
		t.Error("In(English) changed the English texts")
	}
	if got := s.HoldText(lang.English()); got != "at least 15–30 seconds on each side, longer if it feels good" {
		t.Errorf("HoldText = %q", got)
	}
}
