package stretchbot

import (
	"slices"
	"sort"
	"testing"

	"pgregory.net/rapid"
)

// anyCheckIn draws check-ins mostly within the allowed values but sometimes
// outside them, so both valid and invalid input are exercised.
func anyCheckIn() *rapid.Generator[CheckIn] {
	answer := rapid.Custom(func(t *rapid.T) Answer {
		return Answer(rapid.OneOf(rapid.IntRange(0, 2), rapid.Int()).Draw(t, "answer"))
	})
	return rapid.Custom(func(t *rapid.T) CheckIn {
		return CheckIn{
			Age:            AgeBand(rapid.OneOf(rapid.IntRange(0, 3), rapid.Int()).Draw(t, "age")),
			BoneRisk:       rapid.Bool().Draw(t, "bone"),
			SaddleNumbness: answer.Draw(t, "q1"),
			BladderBowel:   answer.Draw(t, "q2"),
			LegWeakness:    answer.Draw(t, "q3"),
			SeriousInjury:  rapid.Bool().Draw(t, "q4"),
			Unwell:         rapid.Bool().Draw(t, "q5"),
			Fever:          rapid.Bool().Draw(t, "q6"),
			Cancer:         rapid.Bool().Draw(t, "q7"),
			Onset:          Onset(rapid.OneOf(rapid.IntRange(0, 5), rapid.Int()).Draw(t, "q8")),
			NightPain:      rapid.Bool().Draw(t, "q9"),
			NotImproving:   rapid.Bool().Draw(t, "q10"),
			Inflammatory:   rapid.Bool().Draw(t, "q11"),
			Pain:           rapid.OneOf(rapid.IntRange(0, 10), rapid.Int()).Draw(t, "pain"),
		}
	})
}

func anyHistory() *rapid.Generator[[]int] {
	// Mostly valid scores, so the trend rule is exercised, with some out of
	// range ones that must be ignored.
	score := rapid.IntRange(0, 10)
	return rapid.SliceOfN(rapid.OneOf(score, score, score, score, rapid.IntRange(-20, 20), rapid.Int()), 0, 20)
}

// refTrend restates the pain-trend rule straight from CHECKIN.md, with
// floats and a sort, as an independent oracle for painTrend.
func refTrend(today int, history []int) bool {
	var series []int
	for _, p := range append(slices.Clone(history), today) {
		if p >= 0 && p <= 10 {
			series = append(series, p)
		}
	}
	w := series[max(0, len(series)-7):]
	severe := 0
	for _, p := range w {
		if p >= 7 {
			severe++
		}
	}
	if severe >= 3 {
		return true
	}
	if len(w) < 6 {
		return false
	}
	before := slices.Clone(w[:len(w)-3])
	sort.Ints(before)
	var med float64
	if n := len(before); n%2 == 1 {
		med = float64(before[n/2])
	} else {
		med = float64(before[n/2-1]+before[n/2]) / 2
	}
	for _, p := range w[len(w)-3:] {
		if float64(p) < med+2 {
			return false
		}
	}
	return true
}

func TestAssessProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := anyCheckIn().Draw(t, "checkin")
		history := anyHistory().Draw(t, "history")
		a := Assess(in, history) // must not panic

		redFlag := in.SaddleNumbness != AnswerNo || in.BladderBowel != AnswerNo ||
			in.LegWeakness != AnswerNo || in.SeriousInjury || in.Unwell
		if redFlag && a.Tier != TierEmergency {
			t.Fatalf("red flag gave %v, want emergency", a.Tier)
		}

		// The tiers restated straight from CHECKIN.md, rule version 2.
		usual := in.Onset == OnsetUsual
		fragile := in.Age == Age65Plus || in.BoneRisk
		injury := in.Onset == OnsetFall || in.Onset == OnsetLifting
		today := in.Fever || in.NightPain || in.Cancer && !usual || injury && fragile
		soon := in.Age == AgeUnder16 || in.Cancer && usual ||
			in.Age == Age65Plus && in.Pain >= 7 && in.Pain <= 10 && !usual ||
			in.Onset == OnsetFall || in.Onset == OnsetNewMedicine || in.Onset == OnsetUnknown ||
			in.NotImproving || in.Inflammatory || refTrend(in.Pain, history) ||
			in.Validate() != nil
		want := TierSelfCare
		switch {
		case redFlag:
			want = TierEmergency
		case today:
			want = TierSeeDoctorToday
		case soon:
			want = TierSeeDoctorSoon
		}
		if a.Tier != want {
			t.Fatalf("tier = %v, want %v (reasons %q)", a.Tier, want, a.Reasons)
		}
		if (a.Tier == TierSelfCare) != (len(a.Reasons) == 0) {
			t.Fatalf("tier %v with reasons %q", a.Tier, a.Reasons)
		}
		if in.Validate() != nil && a.Tier == TierSelfCare {
			t.Fatalf("invalid check-in gave self-care")
		}
		if (a.Tier == TierSelfCare) != (a.Recheck > 0) {
			t.Fatalf("tier %v with recheck %v", a.Tier, a.Recheck)
		}
		if a.RuleVersion != RuleVersion || !a.Tier.valid() {
			t.Fatalf("bad assessment %+v", a)
		}
	})
}

// TestPainTrendProperty checks the trend rule alone against refTrend: on an
// otherwise calm check-in, only the trend can move the tier off self-care.
func TestPainTrendProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := calm()
		in.Pain = rapid.OneOf(rapid.IntRange(0, 10), rapid.IntRange(0, 10), rapid.IntRange(-3, 13)).Draw(t, "pain")
		history := anyHistory().Draw(t, "history")
		got := Assess(in, history)
		want := TierSelfCare
		if refTrend(in.Pain, history) || in.Validate() != nil {
			want = TierSeeDoctorSoon
		}
		if got.Tier != want {
			t.Fatalf("tier = %v, want %v (reasons %q)", got.Tier, want, got.Reasons)
		}
	})
}
