package stretchbot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestAssessmentTexts(t *testing.T) {
	tests := []struct {
		name    string
		a       Assessment
		heading string
		first   string // prefix of the first line of Action
		has     []string
		pauses  bool
	}{
		{
			name:    "emergency",
			a:       Assess(with(func(c *CheckIn) { c.SaddleNumbness = AnswerNotSure }), nil),
			heading: "Get medical help now",
			first:   "Call your local emergency number now",
			has:     []string{"911 in the US and Canada", "999 in the UK", "112 in the EU", "000 in Australia", "emergency department", reasonSaddleDoubt},
			pauses:  true,
		},
		{
			name:    "today",
			a:       Assess(with(func(c *CheckIn) { c.Fever = true }), nil),
			heading: "See a doctor today",
			first:   "Contact a doctor today",
			has:     []string{"urgent care", "telephone health advice line", "paused", reasonFever},
			pauses:  true,
		},
		{
			name:    "soon",
			a:       Assess(with(func(c *CheckIn) { c.NotImproving = true }), nil),
			heading: "See a doctor in the next few days",
			first:   "Book an appointment with a doctor or a physiotherapist",
			has:     []string{"gentle stretching", reasonNotImproving},
		},
		{
			name:    "self-care pain 3",
			a:       Assess(calm(), nil),
			heading: "Keep stretching",
			first:   "Keep up your routine",
			has:     []string{"/stretch now", "in a week"},
		},
		{
			name:    "self-care pain 5",
			a:       Assess(with(func(c *CheckIn) { c.Pain = 5 }), nil),
			heading: "Keep stretching",
			first:   "Keep up your routine",
			has:     []string{"in 3 days"},
		},
		{
			name:    "self-care pain 9",
			a:       Assess(with(func(c *CheckIn) { c.Pain = 9 }), nil),
			heading: "Keep stretching",
			first:   "Keep up your routine",
			has:     []string{"tomorrow"},
		},
		{
			name:    "unknown tier reads as soon",
			a:       Assessment{Tier: 42},
			heading: "See a doctor in the next few days",
			first:   "Book an appointment",
		},
		{
			name:    "negative tier reads as soon",
			a:       Assessment{Tier: -1, Recheck: time.Hour},
			heading: "See a doctor in the next few days",
			first:   "Book an appointment",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Heading(); got != tt.heading {
				t.Errorf("Heading = %q, want %q", got, tt.heading)
			}
			if got := tt.a.Action(); !strings.HasPrefix(got, tt.first) {
				t.Errorf("Action = %q, want it to start with %q", got, tt.first)
			}
			body := tt.a.Body()
			if !strings.HasPrefix(body, tt.a.Action()) || !strings.HasSuffix(body, CheckInDisclaimer) {
				t.Errorf("Body must start with the action and end with the disclaimer:\n%s", body)
			}
			for _, s := range tt.has {
				if !strings.Contains(body, s) {
					t.Errorf("Body lacks %q:\n%s", s, body)
				}
			}
			if got := tt.a.PausesReminders(); got != tt.pauses {
				t.Errorf("PausesReminders = %v, want %v", got, tt.pauses)
			}
			checkLimits(t, tt.a)
		})
	}
}

func checkLimits(t *testing.T, a Assessment) {
	t.Helper()
	if n := utf8.RuneCountInString(a.Heading()); n > maxHeadingLen {
		t.Errorf("heading is %d chars, over %d", n, maxHeadingLen)
	}
	if n := utf8.RuneCountInString(a.Body()); n > maxBodyLen {
		t.Errorf("body is %d chars, over %d", n, maxBodyLen)
	}
}

func TestAssessmentBodyLimits(t *testing.T) {
	t.Run("every rule fires", func(t *testing.T) {
		a := Assess(everything(), []int{0, 0, 0, 9, 9})
		checkLimits(t, a)
	})
	t.Run("hand-built with too many reasons", func(t *testing.T) {
		a := Assessment{Tier: TierEmergency}
		for range 500 {
			a.Reasons = append(a.Reasons, strings.Repeat("reason ", 20))
		}
		a.Reasons = append(a.Reasons, strings.Repeat("x", 5000))
		checkLimits(t, a)
		body := a.Body()
		if !strings.HasPrefix(body, a.Action()) || !strings.HasSuffix(body, CheckInDisclaimer) || !strings.Contains(body, "and more") {
			t.Errorf("truncated body lost its action, disclaimer or marker")
		}
	})
}

// everything is an invalid check-in on which nearly every rule fires.
func everything() CheckIn {
	return CheckIn{
		Age: AgeUnder16, BoneRisk: true,
		SaddleNumbness: AnswerYes, BladderBowel: AnswerYes, LegWeakness: AnswerYes,
		SeriousInjury: true, Unwell: true, Fever: true, Cancer: true,
		Onset: OnsetFall, NightPain: true, NotImproving: true, Inflammatory: true,
		Pain: 11,
	}
}

// productTexts gathers every text the check-in shows a user.
func productTexts() []string {
	texts := []string{CheckInDisclaimer}
	for q := range numSteps {
		cq := checkInQuestion(q)
		texts = append(texts, cq.Prompt)
		for _, c := range cq.Choices {
			texts = append(texts, c.Label)
		}
	}
	assessments := []Assessment{
		Assess(everything(), []int{0, 0, 0, 9, 9}),
		Assess(with(func(c *CheckIn) {
			c.SaddleNumbness, c.BladderBowel, c.LegWeakness = AnswerNotSure, AnswerNotSure, AnswerNotSure
			c.Onset = OnsetNewMedicine
		}), nil),
		Assess(with(func(c *CheckIn) { c.Onset = OnsetUnknown }), nil),
	}
	for tier := TierSelfCare; tier <= TierEmergency; tier++ {
		assessments = append(assessments, Assessment{Tier: tier, Recheck: 72 * time.Hour})
	}
	for _, a := range assessments {
		texts = append(texts, a.Heading(), a.Body())
	}
	return texts
}

// words splits s into lower-case words, dropping punctuation and joining
// contractions ("don't" -> "dont"), so the comparison ignores formatting.
func words(s string) []string {
	s = strings.NewReplacer("'", "", "’", "").Replace(strings.ToLower(s))
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TestTextsInOwnWords checks that no run of 8 consecutive words of the seed
// article appears in any check-in text: the product speaks in its own words.
func TestTextsInOwnWords(t *testing.T) {
	const n = 8
	path := os.Getenv("STRETCHBOT_SEED")
	if path == "" {
		path = filepath.Join("..", "shared", "seed", "stretches-for-lower-back-spasms.txt")
	}
	seed, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("seed article not found (set STRETCHBOT_SEED): %v", err)
	}
	runs := map[string]bool{}
	sw := words(string(seed))
	for i := 0; i+n <= len(sw); i++ {
		runs[strings.Join(sw[i:i+n], " ")] = true
	}
	for _, text := range productTexts() {
		tw := words(text)
		for i := 0; i+n <= len(tw); i++ {
			if run := strings.Join(tw[i:i+n], " "); runs[run] {
				t.Errorf("text copies the seed article (%q):\n%s", run, text)
			}
		}
	}
}
