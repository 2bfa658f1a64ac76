package stretchbot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/lang"
)

// CheckInQuestion is one screen of the check-in: a prompt and the buttons
// the user may press. The Discord bot and the console both render it; neither
// decides what comes next (CheckInFlow does).
type CheckInQuestion struct {
	ID      string // "P1", "P2", "Q1".."Q12", as in CHECKIN.md
	Prompt  string
	Choices []CheckInChoice
	// Kept says exactly what happens to the answer: kept, where and for
	// how long, or not kept. Every screen shows it.
	Kept string
}

// CheckInChoice is one possible answer to a CheckInQuestion. Value is what
// the caller passes to CheckInFlow.Answer; Label is at most 80 characters so
// it fits on a Discord button.
type CheckInChoice struct {
	Value int
	Label string
}

// ErrCheckInFlowState is wrapped by DecodeCheckInFlow errors: the encoded
// state was garbled, truncated or written by an unknown version. The usual
// cause is an old button; the caller should ask the user to start again.
var ErrCheckInFlowState = errors.New("invalid check-in state")

// checkInStep identifies a question. Steps are in asking order: the
// emergency questions first, so that a first check-in reaches "get help
// now" in one screen, then the profile (when it is asked), then the rest.
type checkInStep uint8

const (
	stepQ1 checkInStep = iota
	stepQ2
	stepQ3
	stepQ4
	stepQ5
	stepP1
	stepP2
	stepQ6
	stepQ7
	stepQ8
	stepQ9
	stepQ10
	stepQ11
	stepQ12
	numSteps
)

// CheckInFlow is the check-in in progress: which questions it asks and the
// answers so far. It is a small value: every method returns a new flow and
// leaves the receiver as it was, so a flow can be decoded from a button,
// advanced and encoded again without shared state. The zero value is not
// useful; start with NewCheckInFlow or DecodeCheckInFlow.
type CheckInFlow struct {
	askProfile      bool
	askInflammatory bool
	n               uint8           // questions answered, in asking order
	vals            [numSteps]uint8 // answers by step; P1, P2 preset from a known profile
}

// NewCheckInFlow starts a check-in. With a nil profile (or one holding an
// unknown age band), P1 and P2 are asked right after Q1–Q5; otherwise the
// remembered profile is used. askInflammatory says whether to ask Q11, which is asked at
// most weekly; the caller tracks when it was last asked.
func NewCheckInFlow(profile *Profile, askInflammatory bool) CheckInFlow {
	f := CheckInFlow{askProfile: profile == nil || !profile.Age.valid(), askInflammatory: askInflammatory}
	if !f.askProfile {
		f.vals[stepP1] = uint8(profile.Age)
		if profile.BoneRisk {
			f.vals[stepP2] = 1
		}
	}
	return f
}

// steps lists the questions this flow asks, in order.
func (f CheckInFlow) steps() []checkInStep {
	s := make([]checkInStep, 0, numSteps)
	for q := range numSteps {
		switch {
		case (q == stepP1 || q == stepP2) && !f.askProfile:
		case q == stepQ11 && !f.askInflammatory:
		default:
			s = append(s, q)
		}
	}
	return s
}

// decidesEmergency reports whether answer v to question q alone makes the
// result an emergency, so that no further question needs asking.
func decidesEmergency(q checkInStep, v uint8) bool {
	switch q {
	case stepQ1, stepQ2, stepQ3:
		return Answer(v).doubtful() // yes or not sure, as in Assess
	case stepQ4, stepQ5:
		return v == 1
	}
	return false
}

// stopped reports whether an answer so far already decides the emergency
// tier, which ends the flow early: nobody with a red flag should have to
// answer more questions before being told to get help.
func (f CheckInFlow) stopped() bool {
	for _, q := range f.steps()[:f.n] {
		if decidesEmergency(q, f.vals[q]) {
			return true
		}
	}
	return false
}

// Done reports whether the flow is finished: every question answered, or an
// answer that already decides the emergency tier.
func (f CheckInFlow) Done() bool {
	return int(f.n) >= len(f.steps()) || f.stopped()
}

// Question returns the next question to ask, and false when the flow is
// finished. The returned question is the caller's to keep.
func (f CheckInFlow) Question(p *lang.Printer) (CheckInQuestion, bool) {
	if f.Done() {
		return CheckInQuestion{}, false
	}
	return checkInQuestion(p, f.steps()[f.n]), true
}

// Answer records value as the answer to the current question and returns
// the advanced flow. The error wraps ErrInvalidCheckIn when value is not one
// of the question's choices or the flow is already finished; f itself is
// never changed.
func (f CheckInFlow) Answer(value int) (CheckInFlow, error) {
	q, ok := f.Question(nil) // the choices' values are the same in every language
	if !ok {
		return f, fmt.Errorf("%w: the check-in is already finished", ErrInvalidCheckIn)
	}
	if !slices.ContainsFunc(q.Choices, func(c CheckInChoice) bool { return c.Value == value }) {
		return f, fmt.Errorf("%w: %d is not an answer to %s", ErrInvalidCheckIn, value, q.ID)
	}
	f.vals[f.steps()[f.n]] = uint8(value)
	f.n++
	return f, nil
}

// CheckIn returns the answers as a CheckIn for Assess. Questions an early
// stop left unasked read as "no", an everyday onset and pain 0, and an
// unasked profile as 16–49 without bone risk: none of them fires a rule, and
// the answer that stopped the flow already makes Assess give the emergency
// tier. A flow that is not Done gives pain -1, an invalid check-in, so that
// Assess can never answer self-care to partial answers.
func (f CheckInFlow) CheckIn() CheckIn {
	c := CheckIn{
		Age:      AgeBand(f.vals[stepP1]),
		BoneRisk: f.vals[stepP2] == 1,
		Onset:    OnsetEveryday,
		Pain:     -1,
	}
	if f.askProfile && !f.answered(stepP1) {
		c.Age, c.BoneRisk = Age16To49, false
	}
	if f.Done() {
		c.Pain = 0
	}
	for _, q := range f.steps()[:f.n] {
		v := f.vals[q]
		switch q {
		case stepQ1:
			c.SaddleNumbness = Answer(v)
		case stepQ2:
			c.BladderBowel = Answer(v)
		case stepQ3:
			c.LegWeakness = Answer(v)
		case stepQ4:
			c.SeriousInjury = v == 1
		case stepQ5:
			c.Unwell = v == 1
		case stepQ6:
			c.Fever = v == 1
		case stepQ7:
			c.Cancer = v == 1
		case stepQ8:
			c.Onset = Onset(v)
		case stepQ9:
			c.NightPain = v == 1
		case stepQ10:
			c.NotImproving = v == 1
		case stepQ11:
			c.Inflammatory = v == 1
		case stepQ12:
			c.Pain = int(v)
		}
	}
	return c
}

// answered reports whether question q has been answered in this flow.
func (f CheckInFlow) answered(q checkInStep) bool {
	return slices.Contains(f.steps()[:f.n], q)
}

// Profile returns the profile answered in this flow (P1 and P2) for the
// caller to remember. ok is false when there is nothing new to remember:
// the flow was started with a known profile, or P2 is not answered (yet, or
// at all because an emergency answer came first).
func (f CheckInFlow) Profile() (p Profile, ok bool) {
	if !f.askProfile || !f.answered(stepP2) {
		return Profile{}, false
	}
	return Profile{Age: AgeBand(f.vals[stepP1]), BoneRisk: f.vals[stepP2] == 1}, true
}

// Record returns the minimum a finished check-in keeps (CHECKIN.md,
// Privacy): the time, the age band, the pain score, the tier a gave and its
// rule version, and nothing of the other answers. Questions the flow never
// reached are recorded as AgeNotAsked and PainNotAsked, never as a guess.
func (f CheckInFlow) Record(userID string, at time.Time, a Assessment) CheckInRecord {
	r := CheckInRecord{UserID: userID, At: at, Age: AgeBand(f.vals[stepP1]), Pain: PainNotAsked, Tier: a.Tier, RuleVersion: a.RuleVersion}
	if f.askProfile && !f.answered(stepP1) {
		r.Age = AgeNotAsked
	}
	if f.answered(stepQ12) {
		r.Pain = int(f.vals[stepQ12])
	}
	return r
}

// Encoding of a flow, all in the alphabet below so it is safe in a Discord
// custom_id:
//
//	version '2' | flags | answer count | [age, bone risk] | answers... | check
//
// flags is '0'+(1 if the profile is asked)+(2 if Q11 is asked); the profile
// pair is present only when the profile was given, not asked; each answer
// is one character ('0'..'9', 'a' for 10). The count makes truncation
// detectable and the Luhn mod 36 check character catches any single changed
// character, so a garbled button is rejected instead of silently changing
// an answer. At most 18 characters. Version 2 asks Q1–Q5 before the
// profile; a version 1 button (answers in the old order) is refused as
// expired rather than read in the wrong order.
const (
	flowVersion  = '2'
	flowAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
)

// MaxCheckInFlowLen bounds the length of CheckInFlow.Encode, so callers can
// budget the rest of a Discord custom_id (100 characters). Today's encoding
// needs at most 18; the bound leaves room for later versions.
const MaxCheckInFlowLen = 40

// Encode returns the flow as a short string (at most MaxCheckInFlowLen
// characters, letters and digits only) for a Discord button custom_id.
// DecodeCheckInFlow reverses it.
func (f CheckInFlow) Encode() string {
	flags := 0
	if f.askProfile {
		flags |= 1
	}
	if f.askInflammatory {
		flags |= 2
	}
	d := make([]int, 0, 3+2+numSteps+1)
	d = append(d, strings.IndexByte(flowAlphabet, flowVersion), flags, int(f.n))
	if !f.askProfile {
		d = append(d, int(f.vals[stepP1]), int(f.vals[stepP2]))
	}
	for _, q := range f.steps()[:f.n] {
		d = append(d, int(f.vals[q]))
	}
	d = append(d, luhn36(d))
	b := make([]byte, len(d))
	for i, v := range d {
		b[i] = flowAlphabet[v]
	}
	return string(b)
}

// DecodeCheckInFlow parses a string made by Encode. It rejects (with an error
// wrapping ErrCheckInFlowState) anything Encode could not have produced:
// another version, a bad check character, a wrong length, or answers that
// are not valid for their questions or come after the flow ended. It never
// panics, whatever the input.
func DecodeCheckInFlow(s string) (CheckInFlow, error) {
	bad := func(format string, args ...any) (CheckInFlow, error) {
		return CheckInFlow{}, fmt.Errorf("%w: %s", ErrCheckInFlowState, fmt.Sprintf(format, args...))
	}
	if s == "" {
		return bad("empty")
	}
	if s[0] != flowVersion {
		return bad("unsupported version %q", s[:1])
	}
	if len(s) < 4 || len(s) > MaxCheckInFlowLen {
		return bad("length %d", len(s))
	}
	digits := make([]int, len(s))
	for i := range len(s) {
		digits[i] = strings.IndexByte(flowAlphabet, s[i])
		if digits[i] < 0 {
			return bad("character %q at %d", s[i], i)
		}
	}
	if luhn36(digits[:len(digits)-1]) != digits[len(digits)-1] {
		return bad("check character mismatch")
	}
	flags, count, rest := digits[1], digits[2], digits[3:len(digits)-1]
	if flags > 3 {
		return bad("flags %d", flags)
	}
	var profile *Profile
	if flags&1 == 0 {
		if len(rest) < 2 || rest[0] > int(Age65Plus) || rest[1] > 1 {
			return bad("profile")
		}
		profile = &Profile{Age: AgeBand(rest[0]), BoneRisk: rest[1] == 1}
		rest = rest[2:]
	}
	if len(rest) != count {
		return bad("%d answers, header says %d", len(rest), count)
	}
	f := NewCheckInFlow(profile, flags&2 != 0)
	for i, v := range rest {
		var err error
		if f, err = f.Answer(v); err != nil {
			return bad("answer %d: %v", i+1, err)
		}
	}
	return f, nil
}

// luhn36 returns the Luhn mod N check digit (N = 36) for digits, each in
// 0..35. Luhn mod N detects every single changed digit and most swaps of
// neighbours.
func luhn36(digits []int) int {
	const n = len(flowAlphabet)
	sum, factor := 0, 2
	for i := len(digits) - 1; i >= 0; i-- {
		a := factor * digits[i]
		sum += a/n + a%n
		factor = 3 - factor
	}
	return (n - sum%n) % n
}

// AskedInflammatory reports whether this flow asked Q11 (it is asked at
// most weekly, so the caller remembers when it last was).
func (f CheckInFlow) AskedInflammatory() bool {
	return f.askInflammatory && f.answered(stepQ11)
}

// PainAnswered reports whether Q12 (pain now) was answered; a flow stopped
// early by a red flag never asks it, and its pain must not enter the trend.
func (f CheckInFlow) PainAnswered() bool {
	return f.answered(stepQ12)
}
