package stretchbot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// calm is a valid check-in that fires no rule: the self-care baseline every
// table case changes in one or two places.
func calm() CheckIn {
	return CheckIn{Age: Age16To49, Onset: OnsetEveryday, Pain: 2}
}

func with(f func(*CheckIn)) CheckIn {
	c := calm()
	f(&c)
	return c
}

func TestAssessRules(t *testing.T) {
	tests := []struct {
		name    string
		in      CheckIn
		history []int
		tier    Tier
		reasons []string // exact, in order
	}{
		{"nothing fires", calm(), nil, TierSelfCare, nil},

		// Each emergency question alone.
		{"Q1 saddle yes", with(func(c *CheckIn) { c.SaddleNumbness = AnswerYes }), nil, TierEmergency, []string{reasonSaddle}},
		{"Q1 saddle not sure counts as yes", with(func(c *CheckIn) { c.SaddleNumbness = AnswerNotSure }), nil, TierEmergency, []string{reasonSaddleDoubt}},
		{"Q2 bladder yes", with(func(c *CheckIn) { c.BladderBowel = AnswerYes }), nil, TierEmergency, []string{reasonBladder}},
		{"Q2 bladder not sure counts as yes", with(func(c *CheckIn) { c.BladderBowel = AnswerNotSure }), nil, TierEmergency, []string{reasonBladderDoubt}},
		{"Q3 legs yes", with(func(c *CheckIn) { c.LegWeakness = AnswerYes }), nil, TierEmergency, []string{reasonLegs}},
		{"Q3 legs not sure counts as yes", with(func(c *CheckIn) { c.LegWeakness = AnswerNotSure }), nil, TierEmergency, []string{reasonLegsDoubt}},
		{"Q4 serious injury", with(func(c *CheckIn) { c.SeriousInjury = true }), nil, TierEmergency, []string{reasonInjury}},
		{"Q5 unwell", with(func(c *CheckIn) { c.Unwell = true }), nil, TierEmergency, []string{reasonUnwell}},

		// Today.
		{"Q6 fever", with(func(c *CheckIn) { c.Fever = true }), nil, TierSeeDoctorToday, []string{reasonFever}},
		{"Q9 night pain", with(func(c *CheckIn) { c.NightPain = true }), nil, TierSeeDoctorToday, []string{reasonNightPain}},

		// Q7 cancer (or weight loss): today unless it is the person's usual,
		// already-checked pain (rule version 2), for every other onset.
		{"Q7 cancer, everyday cause", with(func(c *CheckIn) { c.Cancer = true }), nil, TierSeeDoctorToday, []string{reasonCancer}},
		{"Q7 cancer, lifting", with(func(c *CheckIn) { c.Cancer = true; c.Onset = OnsetLifting }), nil, TierSeeDoctorToday, []string{reasonCancer}},
		{"Q7 cancer, no clear reason", with(func(c *CheckIn) { c.Cancer = true; c.Onset = OnsetUnknown }), nil, TierSeeDoctorToday, []string{reasonCancer, reasonNoCause}},
		{"Q7 cancer, usual pain is soon", with(func(c *CheckIn) { c.Cancer = true; c.Onset = OnsetUsual }), nil, TierSeeDoctorSoon, []string{reasonCancerUsual}},
		{"Q7 cancer, usual pain, 65+ and pain 10 is still soon", with(func(c *CheckIn) { c.Cancer = true; c.Onset = OnsetUsual; c.Age = Age65Plus; c.Pain = 10 }), nil, TierSeeDoctorSoon, []string{reasonCancerUsual}},
		{"Q7 cancer, usual pain with fever is today", with(func(c *CheckIn) { c.Cancer = true; c.Onset = OnsetUsual; c.Fever = true }), nil, TierSeeDoctorToday, []string{reasonFever, reasonCancerUsual}},
		{"usual pain without cancer", with(func(c *CheckIn) { c.Onset = OnsetUsual }), nil, TierSelfCare, nil},

		// Age bands 64/65 and bone risk with and without lifting/fall.
		{"age 50-64 lifting", with(func(c *CheckIn) { c.Age = Age50To64; c.Onset = OnsetLifting }), nil, TierSelfCare, nil},
		{"age 65+ lifting", with(func(c *CheckIn) { c.Age = Age65Plus; c.Onset = OnsetLifting }), nil, TierSeeDoctorToday, []string{reasonFractureAge}},
		{"age 50-64 fall", with(func(c *CheckIn) { c.Age = Age50To64; c.Onset = OnsetFall }), nil, TierSeeDoctorSoon, []string{reasonFall}},
		{"age 65+ fall", with(func(c *CheckIn) { c.Age = Age65Plus; c.Onset = OnsetFall }), nil, TierSeeDoctorToday, []string{reasonFractureAge, reasonFall}},
		{"age 65+ everyday cause", with(func(c *CheckIn) { c.Age = Age65Plus }), nil, TierSelfCare, nil},
		{"bone risk lifting", with(func(c *CheckIn) { c.BoneRisk = true; c.Onset = OnsetLifting }), nil, TierSeeDoctorToday, []string{reasonFractureBones}},
		{"bone risk fall", with(func(c *CheckIn) { c.BoneRisk = true; c.Onset = OnsetFall }), nil, TierSeeDoctorToday, []string{reasonFractureBones, reasonFall}},
		{"65+ with bone risk lifting", with(func(c *CheckIn) { c.Age = Age65Plus; c.BoneRisk = true; c.Onset = OnsetLifting }), nil, TierSeeDoctorToday, []string{reasonFractureBoth}},
		{"bone risk everyday cause", with(func(c *CheckIn) { c.BoneRisk = true }), nil, TierSelfCare, nil},
		{"bone risk usual pain", with(func(c *CheckIn) { c.BoneRisk = true; c.Onset = OnsetUsual }), nil, TierSelfCare, nil},
		{"lifting without risk", with(func(c *CheckIn) { c.Onset = OnsetLifting }), nil, TierSelfCare, nil},

		// New pain of 7 or more at 65 or over is soon (rule version 2):
		// boundaries on age band, pain score and onset.
		{"65+ pain 6", with(func(c *CheckIn) { c.Age = Age65Plus; c.Pain = 6 }), nil, TierSelfCare, nil},
		{"65+ pain 7", with(func(c *CheckIn) { c.Age = Age65Plus; c.Pain = 7 }), nil, TierSeeDoctorSoon, []string{reasonOlderSevere}},
		{"65+ pain 10", with(func(c *CheckIn) { c.Age = Age65Plus; c.Pain = 10 }), nil, TierSeeDoctorSoon, []string{reasonOlderSevere}},
		{"50-64 pain 10", with(func(c *CheckIn) { c.Age = Age50To64; c.Pain = 10 }), nil, TierSelfCare, nil},
		{"65+ pain 9 usual pain", with(func(c *CheckIn) { c.Age = Age65Plus; c.Pain = 9; c.Onset = OnsetUsual }), nil, TierSelfCare, nil},
		{"65+ pain 7 no clear reason", with(func(c *CheckIn) { c.Age = Age65Plus; c.Pain = 7; c.Onset = OnsetUnknown }), nil, TierSeeDoctorSoon, []string{reasonOlderSevere, reasonNoCause}},
		{"65+ pain 8 lifting is today", with(func(c *CheckIn) { c.Age = Age65Plus; c.Pain = 8; c.Onset = OnsetLifting }), nil, TierSeeDoctorToday, []string{reasonFractureAge, reasonOlderSevere}},

		// Soon.
		{"under 16", with(func(c *CheckIn) { c.Age = AgeUnder16 }), nil, TierSeeDoctorSoon, []string{reasonUnder16}},
		{"new medicine", with(func(c *CheckIn) { c.Onset = OnsetNewMedicine }), nil, TierSeeDoctorSoon, []string{reasonNewMedicine}},
		{"no clear reason", with(func(c *CheckIn) { c.Onset = OnsetUnknown }), nil, TierSeeDoctorSoon, []string{reasonNoCause}},
		{"Q10 not improving", with(func(c *CheckIn) { c.NotImproving = true }), nil, TierSeeDoctorSoon, []string{reasonNotImproving}},
		{"Q11 inflammatory", with(func(c *CheckIn) { c.Inflammatory = true }), nil, TierSeeDoctorSoon, []string{reasonInflammatory}},

		// All rules that fired are listed, most urgent first.
		{"all tiers at once", with(func(c *CheckIn) {
			c.Unwell = true
			c.Fever = true
			c.Age = AgeUnder16
			c.Onset = OnsetUnknown
		}), nil, TierEmergency, []string{reasonUnwell, reasonFever, reasonUnder16, reasonNoCause}},
		{"today beats soon", with(func(c *CheckIn) { c.Cancer = true; c.NotImproving = true }), nil, TierSeeDoctorToday, []string{reasonCancer, reasonNotImproving}},
		{"pain 10 everyday cause is self-care", with(func(c *CheckIn) { c.Pain = 10 }), nil, TierSelfCare, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Assess(tt.in, tt.history)
			if got.Tier != tt.tier {
				t.Errorf("tier = %v, want %v (reasons %q)", got.Tier, tt.tier, got.Reasons)
			}
			if !slices.Equal(got.Reasons, tt.reasons) {
				t.Errorf("reasons = %q, want %q", got.Reasons, tt.reasons)
			}
			if got.RuleVersion != "2" {
				t.Errorf("rule version = %q, want 2", got.RuleVersion)
			}
			if got.Tier != TierSelfCare && got.Recheck != 0 {
				t.Errorf("recheck = %v for tier %v, want 0", got.Recheck, got.Tier)
			}
		})
	}
}

func TestAssessPainTrend(t *testing.T) {
	tests := []struct {
		name    string
		history []int
		today   int
		reasons []string
	}{
		{"no history", nil, 9, nil},
		// Severe episodes: 3 scores of 7+ in the window, not 2.
		{"two severe", []int{7, 1, 8}, 2, nil},
		{"three severe counting today", []int{7, 1, 8}, 7, []string{reasonTrendSevere}},
		{"three severe in history", []int{10, 7, 7}, 0, []string{reasonTrendSevere}},
		{"severe 6 is not severe", []int{6, 6, 6}, 6, nil},
		// 8 scores: the oldest 9 falls out of the window of 7.
		{"severe 8th score back does not count", []int{9, 1, 1, 1, 1, 1, 9}, 9, nil},
		{"severe only outside window", []int{9, 9, 1, 1, 1, 1, 1, 9}, 1, nil},
		{"severe first of window still counts", []int{9, 9, 9, 1, 1, 1}, 1, []string{reasonTrendSevere}},
		{"severe scores out of range ignored", []int{11, 70, 8, 8}, 2, nil},
		{"out of range never severe", []int{11, 12, 13}, 2, nil},

		// Rising: needs at least 6 scores.
		{"rising with 5 scores", []int{1, 1, 3, 3}, 3, nil},
		{"rising with 6 scores", []int{1, 1, 1, 3, 3}, 3, []string{reasonTrendRising}},
		{"rising with 6, one last below", []int{1, 1, 1, 3, 2}, 3, nil},
		// Odd median: earlier {1,2,4} has median 2; exactly 2 above fires.
		{"rising 6 scores median 2 exact", []int{4, 1, 2, 4, 4}, 4, []string{reasonTrendRising}},
		{"rising 6 scores median 2 one short", []int{4, 1, 2, 4, 4}, 3, nil},
		// Even median with 7 scores: earlier {1,2,3,4} has median 2.5.
		{"rising 7 scores 4.5 needed, 5 fires", []int{1, 2, 3, 4, 5, 5}, 5, []string{reasonTrendRising}},
		{"rising 7 scores 1.5 above does not fire", []int{1, 2, 3, 4, 5, 5}, 4, nil},
		// Even median that is a whole number: earlier {2,2,4,4} median 3;
		// 5 is exactly 2 above.
		{"rising 7 scores exactly 2 above", []int{2, 4, 2, 4, 5, 5}, 5, []string{reasonTrendRising}},
		// Longer history: only the last 7 count. Over the whole series the
		// median of the earlier scores would be 0 (fires); in the window it
		// is 3 (does not).
		{"long history low scores outside window", []int{0, 0, 0, 0, 0, 3, 3, 3, 3, 4, 4}, 4, nil},
		// 8 scores: in the window the earlier {0,0,5,5} have median 2.5 and
		// 5 fires; with the oldest 5 counted the median would be 5.
		{"rising 8 scores oldest outside window", []int{5, 0, 0, 5, 5, 5, 5}, 5, []string{reasonTrendRising}},
		// Over the whole series the earlier median would be 9 (no rise).
		{"long history high scores outside window", []int{9, 9, 9, 9, 9, 0, 0, 0, 0, 2, 2}, 2, []string{reasonTrendRising}},
		// Counted, the 50s would make the median 50 and hide the rise.
		{"history values out of range ignored", []int{1, 1, 1, 50, 50, 50, 50, 3, 3}, 3, []string{reasonTrendRising}},
		{"negative history ignored", []int{-1, 1, -7, 1, 1, 3, 3}, 3, []string{reasonTrendRising}},
		{"both trend rules", []int{0, 0, 0, 0, 7, 8}, 9, []string{reasonTrendSevere, reasonTrendRising}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := calm()
			in.Pain = tt.today
			got := Assess(in, tt.history)
			if !slices.Equal(got.Reasons, tt.reasons) {
				t.Errorf("reasons = %q, want %q", got.Reasons, tt.reasons)
			}
			want := TierSelfCare
			if len(tt.reasons) > 0 {
				want = TierSeeDoctorSoon
			}
			if got.Tier != want {
				t.Errorf("tier = %v, want %v", got.Tier, want)
			}
		})
	}
}

func TestAssessRecheck(t *testing.T) {
	tests := []struct {
		pain int
		want time.Duration
	}{
		{0, 168 * time.Hour},
		{3, 168 * time.Hour},
		{4, 72 * time.Hour},
		{7, 72 * time.Hour},
		{8, 24 * time.Hour},
		{10, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("pain %d", tt.pain), func(t *testing.T) {
			in := calm()
			in.Pain = tt.pain
			got := Assess(in, nil)
			if got.Tier != TierSelfCare || got.Recheck != tt.want {
				t.Errorf("pain %d: tier %v recheck %v, want selfcare %v", tt.pain, got.Tier, got.Recheck, tt.want)
			}
		})
	}
}

func TestAssessInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   CheckIn
		tier Tier
		// first reason expected; the incomplete reason must always be there.
		first string
	}{
		{"pain -1", with(func(c *CheckIn) { c.Pain = -1 }), TierSeeDoctorSoon, reasonIncomplete},
		{"pain 11", with(func(c *CheckIn) { c.Pain = 11 }), TierSeeDoctorSoon, reasonIncomplete},
		{"unknown age", with(func(c *CheckIn) { c.Age = 4 }), TierSeeDoctorSoon, reasonIncomplete},
		{"negative age", with(func(c *CheckIn) { c.Age = -1 }), TierSeeDoctorSoon, reasonIncomplete},
		{"unknown onset", with(func(c *CheckIn) { c.Onset = 6 }), TierSeeDoctorSoon, reasonIncomplete},
		{"unknown Q1 answer counts as doubt", with(func(c *CheckIn) { c.SaddleNumbness = 3 }), TierEmergency, reasonSaddleDoubt},
		{"unknown Q3 answer counts as doubt", with(func(c *CheckIn) { c.LegWeakness = -2 }), TierEmergency, reasonLegsDoubt},
		{"invalid pain with red flag", with(func(c *CheckIn) { c.Pain = 42; c.Unwell = true }), TierEmergency, reasonUnwell},
		{"invalid pain with today rule", with(func(c *CheckIn) { c.Pain = 42; c.Fever = true }), TierSeeDoctorToday, reasonFever},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.in.Validate(); !errors.Is(err, ErrInvalidCheckIn) {
				t.Fatalf("Validate = %v, want ErrInvalidCheckIn", err)
			}
			got := Assess(tt.in, nil)
			if got.Tier != tt.tier {
				t.Errorf("tier = %v, want %v", got.Tier, tt.tier)
			}
			if len(got.Reasons) == 0 || got.Reasons[0] != tt.first {
				t.Errorf("reasons = %q, want first %q", got.Reasons, tt.first)
			}
			if !slices.Contains(got.Reasons, reasonIncomplete) {
				t.Errorf("reasons = %q, want the incomplete reason", got.Reasons)
			}
			if got.Recheck != 0 {
				t.Errorf("recheck = %v, want 0", got.Recheck)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	if err := calm().Validate(); err != nil {
		t.Fatalf("calm check-in: %v", err)
	}
	for _, p := range []int{0, 10} {
		if err := with(func(c *CheckIn) { c.Pain = p }).Validate(); err != nil {
			t.Errorf("pain %d: %v", p, err)
		}
	}
	bad := CheckIn{Age: 9, SaddleNumbness: 5, BladderBowel: -1, LegWeakness: 3, Onset: -1, Pain: 11}
	err := bad.Validate()
	if !errors.Is(err, ErrInvalidCheckIn) {
		t.Fatalf("Validate = %v, want ErrInvalidCheckIn", err)
	}
	for _, want := range []string{"age band 9", "Q1", "Q2", "Q3", "onset -1", "pain 11"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{TierEmergency.String(), "emergency"},
		{TierSeeDoctorToday.String(), "today"},
		{TierSeeDoctorSoon.String(), "soon"},
		{TierSelfCare.String(), "selfcare"},
		{Tier(9).String(), "Tier(9)"},
		{AgeUnder16.String(), "under16"},
		{Age16To49.String(), "16-49"},
		{Age50To64.String(), "50-64"},
		{Age65Plus.String(), "65plus"},
		{AgeBand(-1).String(), "AgeBand(-1)"},
		{OnsetFall.String(), "fall"},
		{OnsetLifting.String(), "lifting"},
		{OnsetEveryday.String(), "everyday"},
		{OnsetUsual.String(), "usual"},
		{OnsetNewMedicine.String(), "newmedicine"},
		{OnsetUnknown.String(), "unknown"},
		{Onset(6).String(), "Onset(6)"},
		{AnswerNo.String(), "no"},
		{AnswerYes.String(), "yes"},
		{AnswerNotSure.String(), "notsure"},
		{Answer(3).String(), "Answer(3)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
