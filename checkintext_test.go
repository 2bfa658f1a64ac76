package stretchbot

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// result builds the screen for a on a check-in that answered every
// question (pain from the check-in), for a person without limits.
func result(t *testing.T, in CheckIn, history []int) CheckInResult {
	t.Helper()
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	a := Assess(in, history)
	rec := CheckInRecord{UserID: "1", At: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), Age: in.Age, Pain: in.Pain, Tier: a.Tier, RuleVersion: a.RuleVersion}
	u := User{ID: "1", Profile: &Profile{Age: in.Age, BoneRisk: in.BoneRisk}}
	if a.PausesReminders() {
		u.Paused = PauseCheckIn
	}
	return CheckInResult{Assessment: a, Record: rec, ProfileKept: true, Offer: c.Offer(u, &rec, Filter{}, rec.At)}
}

// held turns r into the result of a check-in made while an earlier
// emergency answer of 3 March still held stretches.
func held(r CheckInResult) CheckInResult {
	r.Held = true
	r.Earlier = &CheckInRecord{Tier: TierEmergency}
	r.EarlierWhen = "3 March"
	r.Offer.held = true
	return r
}

func TestCheckInResultScreens(t *testing.T) {
	tests := []struct {
		name    string
		r       CheckInResult
		heading string
		first   string   // the body starts with this
		has     []string // in this order
		hasNot  []string
		actions []CheckInAction
		pauses  bool
	}{
		{
			name:    "emergency",
			r:       result(t, with(func(c *CheckIn) { c.SaddleNumbness = AnswerNotSure }), nil),
			heading: "Get medical help now",
			first:   EmergencyAction(en),
			has:     []string{"911 in the US and Canada", "999 in the UK", "112 in the EU", "000 in Australia", "emergency department", emergencyWhy, "paused", en.T(reasonSaddleDoubt), "For 90 days I keep", disclaimer},
			hasNot:  []string{"If in doubt", "/checkin", SafetyNet(en), "Stretch now"},
			pauses:  true,
		},
		{
			name:    "emergency after an earlier emergency still starts with the action",
			r:       held(result(t, with(func(c *CheckIn) { c.Unwell = true }), nil)),
			heading: "Get medical help now",
			first:   EmergencyAction(en),
			has:     []string{"Your check-in on 3 March also advised you to get medical help straight away.", en.T(reasonUnwell)},
			hasNot:  []string{"If in doubt", ClearedLabel(en)},
			pauses:  true,
		},
		{
			name:    "today",
			r:       result(t, with(func(c *CheckIn) { c.Fever = true }), nil),
			heading: "See a doctor today",
			first:   todayAction,
			has:     []string{"urgent care", "telephone health advice line", "paused", en.T(reasonFever), SafetyNet(en), "kept", disclaimerInDoubt},
			pauses:  true,
		},
		{
			name:    "today after an earlier emergency recalls it first",
			r:       held(result(t, with(func(c *CheckIn) { c.Fever = true }), nil)),
			heading: "See a doctor today",
			first:   "Your check-in on 3 March also advised you to get medical help straight away.",
			has:     []string{todayAction, en.T(reasonFever), SafetyNet(en)},
			hasNot:  []string{ClearedLabel(en)},
			pauses:  true,
		},
		{
			name:    "soon",
			r:       result(t, with(func(c *CheckIn) { c.NotImproving = true }), nil),
			heading: "See a doctor in the next few days",
			first:   soonAction,
			has:     []string{soonStretching, en.T(reasonNotImproving), SafetyNet(en), disclaimerInDoubt},
			hasNot:  []string{"safe during a spasm"},
		},
		{
			name:    "soon with pain 8 keeps to spasm-safe stretches",
			r:       result(t, with(func(c *CheckIn) { c.Onset = OnsetUnknown; c.Pain = 8 }), nil),
			heading: "See a doctor in the next few days",
			first:   soonAction,
			has:     []string{soonStretching, severePainNote, en.T(reasonNoCause), SafetyNet(en)},
		},
		{
			name:    "soon while held asks whether they have been seen",
			r:       held(result(t, with(func(c *CheckIn) { c.NotImproving = true }), nil)),
			heading: "See a doctor in the next few days",
			first:   "Your check-in on 3 March advised you to get medical help straight away",
			has:     []string{"Have you been checked by a clinician?", ClearedLabel(en), soonAction, SafetyNet(en)},
			hasNot:  []string{soonStretching},
			actions: []CheckInAction{ActionCleared},
		},
		{
			name:    "self-care pain 2",
			r:       result(t, calm(), nil),
			heading: "Keep stretching",
			first:   keepStretching,
			has:     []string{"Check in again in 7 days", noWarningSigns, SafetyNet(en), "your pain score and your age band", "No other answer is kept", disclaimerInDoubt},
			hasNot:  []string{"nothing", "None of your answers", flareAdvice},
			actions: []CheckInAction{ActionStretchNow, ActionRecheck},
		},
		{
			name:    "self-care pain 5",
			r:       result(t, with(func(c *CheckIn) { c.Pain = 5 }), nil),
			heading: "Keep stretching",
			first:   keepStretching,
			has:     []string{"Check in again in 3 days", noWarningSigns, SafetyNet(en)},
			actions: []CheckInAction{ActionStretchNow, ActionRecheck},
		},
		{
			name:    "self-care pain 10 first says how to get through the flare",
			r:       result(t, with(func(c *CheckIn) { c.Pain = 10 }), nil),
			heading: "Keep stretching",
			first:   flareAdvice,
			has:     []string{"rest", "keep moving gently", "pharmacist", "not easing within a few days", keepStretching, severePainNote, "Check in again in 1 day", noWarningSigns, SafetyNet(en)},
			actions: []CheckInAction{ActionStretchNow, ActionRecheck},
		},
		{
			name:    "self-care pain 9 with bone risk: nothing is safe, no Stretch now",
			r:       result(t, with(func(c *CheckIn) { c.Pain = 9; c.BoneRisk = true }), nil),
			heading: "Keep stretching",
			first:   flareAdvice,
			has:     []string{nothingSafeText, "osteoporosis", severePainNote, noWarningSigns, SafetyNet(en)},
			hasNot:  []string{keepStretching},
			actions: []CheckInAction{ActionRecheck},
		},
		{
			name:    "self-care while held: recall, ask, no Stretch now",
			r:       held(result(t, calm(), nil)),
			heading: heldSelfCareHeading,
			first:   "Your check-in on 3 March advised you to get medical help straight away, and I've held stretches and reminders back since.",
			has:     []string{"Have you been checked by a clinician?", ClearedLabel(en), noWarningSigns, SafetyNet(en)},
			hasNot:  []string{keepStretching},
			actions: []CheckInAction{ActionCleared, ActionRecheck},
		},
		{
			name:    "held with the earlier record gone",
			r:       func() CheckInResult { r := held(result(t, calm(), nil)); r.Earlier, r.EarlierWhen = nil, ""; return r }(),
			heading: heldSelfCareHeading,
			first:   "An earlier check-in advised you to see a clinician",
			actions: []CheckInAction{ActionCleared, ActionRecheck},
		},
		{
			name:    "unknown tier reads as soon",
			r:       CheckInResult{Assessment: Assessment{Tier: 42}},
			heading: "See a doctor in the next few days",
			first:   soonAction,
			has:     []string{SafetyNet(en)},
		},
		{
			name:    "negative tier reads as soon",
			r:       CheckInResult{Assessment: Assessment{Tier: -1, Recheck: time.Hour}},
			heading: "See a doctor in the next few days",
			first:   soonAction,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Heading(en); got != tt.heading {
				t.Errorf("Heading = %q, want %q", got, tt.heading)
			}
			body := tt.r.Body(en)
			if !strings.HasPrefix(body, tt.first) {
				t.Errorf("Body must start with %q:\n%s", tt.first, body)
			}
			rest := body
			for _, s := range tt.has {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Errorf("Body lacks %q (or has it out of order):\n%s", s, body)
					continue
				}
				rest = rest[i+len(s):]
			}
			for _, s := range tt.hasNot {
				if strings.Contains(body, s) {
					t.Errorf("Body has %q:\n%s", s, body)
				}
			}
			// Every answer but the emergency ends with the safety net, then
			// what is kept and the disclaimer.
			if tt.r.Assessment.tier() == TierEmergency {
				if !strings.HasSuffix(body, disclaimer) || strings.Contains(body, SafetyNet(en)) {
					t.Errorf("emergency body ends wrong:\n%s", body)
				}
			} else if want := SafetyNet(en) + "\n\n" + keptLine(en, tt.r.Record, tt.r.ProfileKept) + "\n\n" + disclaimerInDoubt; !strings.HasSuffix(body, want) {
				t.Errorf("body does not end with the safety net, the kept line and the disclaimer:\n%s", body)
			}
			if got := tt.r.Actions(); !slices.Equal(got, tt.actions) {
				t.Errorf("Actions = %v, want %v", got, tt.actions)
			}
			if got := tt.r.Assessment.PausesReminders(); got != tt.pauses {
				t.Errorf("PausesReminders = %v, want %v", got, tt.pauses)
			}
			checkLimits(t, tt.r)
		})
	}
}

func TestKeptLineSaysExactlyWhatIsKept(t *testing.T) {
	tests := []struct {
		name    string
		rec     CheckInRecord
		profile bool
		has     []string
		hasNot  []string
	}{
		{"everything answered", CheckInRecord{Age: Age50To64, Pain: 4}, true,
			[]string{"date, result and rule version", "pain score", "age band", "bone-health answer stay in your settings", "No other answer is kept"}, nil},
		{"stopped early with a known profile", CheckInRecord{Age: Age50To64, Pain: PainNotAsked}, true,
			[]string{"age band", "bone-health answer"}, []string{"pain score"}},
		{"stopped early on a first check-in", CheckInRecord{Age: AgeNotAsked, Pain: PainNotAsked}, false,
			[]string{"date, result and rule version.", "No other answer is kept"}, []string{"pain score", "age band", "bone-health"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := keptLine(en, tt.rec, tt.profile)
			for _, s := range tt.has {
				if !strings.Contains(line, s) {
					t.Errorf("%q lacks %q", line, s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(line, s) {
					t.Errorf("%q has %q", line, s)
				}
			}
		})
	}
}

// TestNoScreenSaysNotStoredAboutWhatIsKept: the questions whose answers are
// kept (P1, P2, Q12) say so, and no other screen claims it keeps nothing.
func TestNoScreenSaysNotStoredAboutWhatIsKept(t *testing.T) {
	for q := range numSteps {
		cq := checkInQuestion(en, q)
		kept := cq.ID == "P1" || cq.ID == "P2" || cq.ID == "Q12"
		saysKept := strings.Contains(cq.Kept, " is kept")
		saysNot := strings.Contains(cq.Kept, "not kept") || strings.Contains(cq.Kept, "not stored")
		if kept != saysKept || kept == saysNot {
			t.Errorf("%s: %q; the answer is kept: %v", cq.ID, cq.Kept, kept)
		}
	}
	if !strings.Contains(CheckInIntro(en), "age band") || !strings.Contains(CheckInIntro(en), "pain score") || !strings.Contains(CheckInIntro(en), "90 days") ||
		strings.Contains(CheckInIntro(en), "not stored") {
		t.Errorf("intro: %q", CheckInIntro(en))
	}
}

// TestReasonsUseTheQuestionsWords: each reason repeats a telling phrase of
// the question behind it, so the person recognises their own answer.
func TestReasonsUseTheQuestionsWords(t *testing.T) {
	tests := []struct {
		question string
		phrase   string
		reasons  []string
	}{
		{"Q1", "numbness or pins and needles between your legs, around your genitals or around your bottom", []string{en.T(reasonSaddle), en.T(reasonSaddleDoubt)}},
		{"Q2", "new with your bladder, bowels or sexual feeling", []string{en.T(reasonBladder), en.T(reasonBladderDoubt)}},
		{"Q3", "weakness in a leg getting worse", nil},
		{"Q3", "legs feel weak", []string{en.T(reasonLegs), en.T(reasonLegsDoubt)}},
		{"Q4", "a serious accident, such as a road crash or a fall from a height", []string{en.T(reasonInjury)}},
		{"Q5", "chest pain or trouble breathing", []string{en.T(reasonUnwell)}},
		{"Q5", "seriously unwell", []string{en.T(reasonUnwell)}},
		{"Q6", "a fever", []string{en.T(reasonFever)}},
		{"Q6", "as well as the back pain", []string{en.T(reasonFever)}},
		{"Q7", "had cancer", []string{en.T(reasonCancer), en.T(reasonCancerUsual)}},
		{"Q7", "losing weight without trying to", []string{en.T(reasonCancer), en.T(reasonCancerUsual)}},
		{"Q8", "episode of back pain", []string{en.T(reasonFall), en.T(reasonNewMedicine), en.T(reasonNoCause), en.T(reasonFractureAge), en.T(reasonFractureBones), en.T(reasonFractureBoth)}},
		{"Q8", "started a new medicine", []string{en.T(reasonNewMedicine)}},
		{"Q8", "already checked by a clinician", []string{en.T(reasonCancer), en.T(reasonCancerUsual), en.T(reasonOlderSevere)}},
		{"Q9", "all night long, without easing when you rest", []string{en.T(reasonNightPain)}},
		{"Q10", "4 weeks or more without getting better", []string{en.T(reasonNotImproving)}},
		{"Q10", "getting worse, even though you stretch", []string{en.T(reasonNotImproving)}},
		{"Q11", "stiff for more than half an hour", []string{en.T(reasonInflammatory)}},
		{"Q11", "the second half of the night", []string{en.T(reasonInflammatory)}},
		{"P1", "65 or over", []string{en.T(reasonFractureAge), en.T(reasonFractureBoth), en.T(reasonOlderSevere)}},
		{"P2", "steroid tablets for 3 months or longer", []string{en.T(reasonFractureBones), en.T(reasonFractureBoth), boneRiskIntro}},
		{"P2", "osteoporosis", []string{en.T(reasonFractureBones), en.T(reasonFractureBoth), boneRiskIntro}},
		{"Q12", "pain right now", []string{en.T(reasonOlderSevere)}},
	}
	prompts := map[string]string{}
	for q := range numSteps {
		cq := checkInQuestion(en, q)
		prompts[cq.ID] = cq.Prompt
		for _, c := range cq.Choices {
			prompts[cq.ID] += " " + c.Label
		}
	}
	for _, tt := range tests {
		norm := func(s string) string { return strings.Join(words(s), " ") }
		if !strings.Contains(norm(prompts[tt.question]), norm(tt.phrase)) {
			t.Errorf("%s does not say %q: %q", tt.question, tt.phrase, prompts[tt.question])
		}
		for _, r := range tt.reasons {
			if !strings.Contains(norm(r), norm(tt.phrase)) {
				t.Errorf("reason %q does not use %s's words %q", r, tt.question, tt.phrase)
			}
		}
	}
}

func checkLimits(t *testing.T, r CheckInResult) {
	t.Helper()
	if n := utf8.RuneCountInString(r.Heading(en)); n > maxHeadingLen {
		t.Errorf("heading is %d chars, over %d", n, maxHeadingLen)
	}
	if n := utf8.RuneCountInString(r.Body(en)); n > maxBodyLen {
		t.Errorf("body is %d chars, over %d", n, maxBodyLen)
	}
	for _, a := range r.Actions() {
		if n := utf8.RuneCountInString(a.Label(en)); n == 0 || n > 80 {
			t.Errorf("button label %q", a.Label(en))
		}
	}
}

func TestCheckInResultBodyLimits(t *testing.T) {
	t.Run("every rule fires", func(t *testing.T) {
		checkLimits(t, CheckInResult{Assessment: Assess(everything(), []int{0, 0, 0, 9, 9})})
	})
	t.Run("hand-built with too many reasons", func(t *testing.T) {
		for _, tier := range []Tier{TierEmergency, TierSeeDoctorSoon} {
			a := Assessment{Tier: tier}
			for range 100 { // each about 200 characters: together far over 4096
				a.Reasons = append(a.Reasons, reasonFractureBoth)
			}
			r := held(CheckInResult{Assessment: a, Record: CheckInRecord{Age: Age65Plus, Pain: 9}, ProfileKept: true})
			checkLimits(t, r)
			body := r.Body(en)
			if !strings.Contains(body, disclaimer) || !strings.Contains(body, "and more") || !strings.Contains(body, "No other answer is kept") {
				t.Errorf("truncated body lost its ending or marker:\n%s", body[len(body)-300:])
			}
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
func productTexts(t *testing.T) []string {
	texts := []string{CheckInIntro(en), EmergencyAction(en), SafetyNet(en), disclaimerInDoubt, HeldText(en), ClearedText(en)}
	for q := range numSteps {
		cq := checkInQuestion(en, q)
		texts = append(texts, cq.Prompt, cq.Kept)
		for _, c := range cq.Choices {
			texts = append(texts, c.Label)
		}
	}
	results := []CheckInResult{
		{Assessment: Assess(everything(), []int{0, 0, 0, 9, 9})},
		result(t, with(func(c *CheckIn) {
			c.SaddleNumbness, c.BladderBowel, c.LegWeakness = AnswerNotSure, AnswerNotSure, AnswerNotSure
			c.Onset = OnsetNewMedicine
		}), nil),
		result(t, with(func(c *CheckIn) { c.Onset = OnsetUnknown; c.Pain = 9 }), nil),
		result(t, with(func(c *CheckIn) { c.Pain = 9; c.BoneRisk = true }), nil),
		held(result(t, calm(), nil)),
		held(result(t, with(func(c *CheckIn) { c.Fever = true }), nil)),
	}
	for tier := TierSelfCare; tier <= TierEmergency; tier++ {
		results = append(results, CheckInResult{Assessment: Assessment{Tier: tier, Recheck: 72 * time.Hour}})
	}
	for _, r := range results {
		texts = append(texts, r.Heading(en), r.Body(en))
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
	for _, text := range productTexts(t) {
		tw := words(text)
		for i := 0; i+n <= len(tw); i++ {
			if run := strings.Join(tw[i:i+n], " "); runs[run] {
				t.Errorf("text copies the seed article (%q):\n%s", run, text)
			}
		}
	}
}
