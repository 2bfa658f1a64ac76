package stretchbot

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// ErrInvalidCheckIn is wrapped by every error that reports a check-in answer
// outside its allowed values: by CheckIn.Validate and by CheckInFlow.Answer.
// Callers test for it with errors.Is and show the user a friendly message.
var ErrInvalidCheckIn = errors.New("invalid check-in")

// String returns a short stable id for the answer ("no", "yes", "notsure"),
// suitable for logs and exports; unknown values print as "Answer(n)".
func (a Answer) String() string {
	switch a {
	case AnswerNo:
		return "no"
	case AnswerYes:
		return "yes"
	case AnswerNotSure:
		return "notsure"
	}
	return "Answer(" + strconv.Itoa(int(a)) + ")"
}

// String returns a short stable id for the age band ("under16", "16-49",
// "50-64", "65plus"); unknown values print as "AgeBand(n)".
func (b AgeBand) String() string {
	switch b {
	case AgeUnder16:
		return "under16"
	case Age16To49:
		return "16-49"
	case Age50To64:
		return "50-64"
	case Age65Plus:
		return "65plus"
	}
	return "AgeBand(" + strconv.Itoa(int(b)) + ")"
}

// String returns a short stable id for the onset ("fall", "lifting",
// "everyday", "usual", "newmedicine", "unknown"); values outside the enum
// print as "Onset(n)".
func (o Onset) String() string {
	switch o {
	case OnsetFall:
		return "fall"
	case OnsetLifting:
		return "lifting"
	case OnsetEveryday:
		return "everyday"
	case OnsetUsual:
		return "usual"
	case OnsetNewMedicine:
		return "newmedicine"
	case OnsetUnknown:
		return "unknown"
	}
	return "Onset(" + strconv.Itoa(int(o)) + ")"
}

// String returns a short stable id for the tier ("selfcare", "soon",
// "today", "emergency"); unknown values print as "Tier(n)". The ids are
// stable because stores and exports may keep them.
func (t Tier) String() string {
	switch t {
	case TierSelfCare:
		return "selfcare"
	case TierSeeDoctorSoon:
		return "soon"
	case TierSeeDoctorToday:
		return "today"
	case TierEmergency:
		return "emergency"
	}
	return "Tier(" + strconv.Itoa(int(t)) + ")"
}

func (a Answer) valid() bool  { return a >= AnswerNo && a <= AnswerNotSure }
func (b AgeBand) valid() bool { return b >= AgeUnder16 && b <= Age65Plus }
func (o Onset) valid() bool   { return o >= OnsetFall && o <= OnsetUnknown }
func (t Tier) valid() bool    { return t >= TierSelfCare && t <= TierEmergency }

// doubtful reports whether an answer to an emergency question (Q1–Q3) counts
// as yes. Only a definite "no" rules the symptom out: "not sure" counts as
// yes (any doubt about these symptoms is treated as yes), and so does a value
// outside the enum, because a garbled answer has not ruled anything out.
func (a Answer) doubtful() bool { return a != AnswerNo }

// painValid reports whether p is a pain score on the 0–10 scale.
func painValid(p int) bool { return p >= 0 && p <= 10 }

// Validate reports whether every answer holds one of its allowed values:
// the pain score within 0–10 and each enum one of its named constants.
// The error wraps ErrInvalidCheckIn and names every problem found.
func (c CheckIn) Validate() error {
	var probs []error
	if !c.Age.valid() {
		probs = append(probs, fmt.Errorf("unknown age band %d", int(c.Age)))
	}
	for _, q := range []struct {
		id string
		a  Answer
	}{{"Q1", c.SaddleNumbness}, {"Q2", c.BladderBowel}, {"Q3", c.LegWeakness}} {
		if !q.a.valid() {
			probs = append(probs, fmt.Errorf("unknown answer %d to %s", int(q.a), q.id))
		}
	}
	if !c.Onset.valid() {
		probs = append(probs, fmt.Errorf("unknown onset %d", int(c.Onset)))
	}
	if !painValid(c.Pain) {
		probs = append(probs, fmt.Errorf("pain %d is outside 0-10", c.Pain))
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalidCheckIn, errors.Join(probs...))
}

// Pain-trend window and thresholds (unchanged since rule version 1).
const (
	trendWindow     = 7 // the last 7 scores of the series count
	trendSevere     = 7 // a score this high is a severe episode
	trendSevereMin  = 3 // this many severe scores in the window fire the rule
	trendRisingMin  = 6 // the window needs this many scores to judge a rise
	trendRisingLast = 3 // this many latest scores must each be well above...
	trendRisingGap  = 2 // ...the median of the earlier ones, by at least this
)

// Thresholds of rule version 2 that depend on the pain score.
const (
	olderSeverePain = 7 // at 65 or over, new pain this high is "soon"
)

// Assess applies the rules of CHECKIN.md (rule version 2) to one check-in.
// history holds the earlier pain scores, oldest first, not including in.Pain;
// values outside 0–10 in it are ignored, as is in.Pain if it is outside 0–10,
// so one bad stored record cannot skew the trend.
//
// The highest tier that any rule reaches wins. Reasons has one line for every
// rule that fired, most urgent first, so the user sees everything that
// mattered, not only what decided the tier. Recheck is set for self-care
// only. An invalid check-in (see Validate) is still assessed: red flags give
// the emergency tier as usual, any other rule still counts, and the tier is at
// least "see a doctor soon" with a reason saying the answers were incomplete —
// never self-care, because unknown answers cannot rule anything out.
//
// Assess is pure (no clock, no I/O) and never panics.
func Assess(in CheckIn, history []int) Assessment {
	a := Assessment{Tier: TierSelfCare, RuleVersion: RuleVersion}
	fire := func(t Tier, reason string) {
		a.Tier = max(a.Tier, t)
		a.Reasons = append(a.Reasons, reason)
	}
	redFlag := func(ans Answer, yes, doubt string) {
		switch {
		case ans == AnswerYes:
			fire(TierEmergency, yes)
		case ans.doubtful():
			fire(TierEmergency, doubt)
		}
	}

	// Emergency: possible cauda equina (Q1–Q3), major trauma, or a sign
	// that the person is seriously ill.
	redFlag(in.SaddleNumbness, reasonSaddle, reasonSaddleDoubt)
	redFlag(in.BladderBowel, reasonBladder, reasonBladderDoubt)
	redFlag(in.LegWeakness, reasonLegs, reasonLegsDoubt)
	if in.SeriousInjury {
		fire(TierEmergency, reasonInjury)
	}
	if in.Unwell {
		fire(TierEmergency, reasonUnwell)
	}

	// Today: signs of infection, cancer, or a fracture in fragile bones.
	if in.Fever {
		fire(TierSeeDoctorToday, reasonFever)
	}
	// Cancer with new pain needs checking within a day; with the person's
	// usual pain, which a clinician has already checked, within days.
	usual := in.Onset == OnsetUsual
	if in.Cancer && !usual {
		fire(TierSeeDoctorToday, reasonCancer)
	}
	if in.NightPain {
		fire(TierSeeDoctorToday, reasonNightPain)
	}
	if in.Onset == OnsetFall || in.Onset == OnsetLifting {
		switch older := in.Age == Age65Plus; {
		case older && in.BoneRisk:
			fire(TierSeeDoctorToday, reasonFractureBoth)
		case older:
			fire(TierSeeDoctorToday, reasonFractureAge)
		case in.BoneRisk:
			fire(TierSeeDoctorToday, reasonFractureBones)
		}
	}

	// Soon: outside the bot's scope, no common cause, not responding to
	// stretching, possibly inflammatory, or a worrying pain trend.
	if in.Age == AgeUnder16 {
		fire(TierSeeDoctorSoon, reasonUnder16)
	}
	if in.Cancer && usual {
		fire(TierSeeDoctorSoon, reasonCancerUsual)
	}
	if in.Age == Age65Plus && painValid(in.Pain) && in.Pain >= olderSeverePain && !usual {
		fire(TierSeeDoctorSoon, reasonOlderSevere)
	}
	switch in.Onset {
	case OnsetFall:
		fire(TierSeeDoctorSoon, reasonFall)
	case OnsetNewMedicine:
		fire(TierSeeDoctorSoon, reasonNewMedicine)
	case OnsetUnknown:
		fire(TierSeeDoctorSoon, reasonNoCause)
	}
	if in.NotImproving {
		fire(TierSeeDoctorSoon, reasonNotImproving)
	}
	if in.Inflammatory {
		fire(TierSeeDoctorSoon, reasonInflammatory)
	}
	severe, rising := painTrend(in.Pain, history)
	if severe {
		fire(TierSeeDoctorSoon, reasonTrendSevere)
	}
	if rising {
		fire(TierSeeDoctorSoon, reasonTrendRising)
	}
	if in.Validate() != nil {
		fire(TierSeeDoctorSoon, reasonIncomplete)
	}

	if a.Tier == TierSelfCare {
		a.Recheck = recheckAfter(in.Pain)
	}
	return a
}

// recheckAfter is when a self-care user should check in again: sooner when
// the pain is worse, so a bad day is followed up quickly.
func recheckAfter(pain int) time.Duration {
	switch {
	case pain >= 8:
		return 24 * time.Hour
	case pain >= 4:
		return 72 * time.Hour
	}
	return 168 * time.Hour
}

// painTrend evaluates the pain-trend rule on the series history + today,
// keeping only scores within 0–10. severe: the last 7 scores hold at least 3
// of 7 or more. rising: the window holds at least 6 scores and each of its
// last 3 is at least 2 above the median of the window's earlier scores.
func painTrend(today int, history []int) (severe, rising bool) {
	// Walk back from today, so a long history costs only the window.
	w := make([]int, 0, trendWindow)
	if painValid(today) {
		w = append(w, today)
	}
	for i := len(history) - 1; i >= 0 && len(w) < trendWindow; i-- {
		if painValid(history[i]) {
			w = append(w, history[i])
		}
	}
	slices.Reverse(w) // oldest first

	n := 0
	for _, p := range w {
		if p >= trendSevere {
			n++
		}
	}
	severe = n >= trendSevereMin

	if len(w) >= trendRisingMin {
		earlier, last := w[:len(w)-trendRisingLast], w[len(w)-trendRisingLast:]
		// Work in halves so the median of an even count (the mean of the
		// two middle values) stays an exact integer.
		med2 := twiceMedian(earlier)
		rising = true
		for _, p := range last {
			if 2*p < med2+2*trendRisingGap {
				rising = false
			}
		}
	}
	return severe, rising
}

// twiceMedian returns twice the median of xs (which must not be empty),
// without changing xs. Twice, so that an even count needs no fractions.
func twiceMedian(xs []int) int {
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return 2 * s[m]
	}
	return s[m-1] + s[m]
}
