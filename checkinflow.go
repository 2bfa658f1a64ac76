package stretchbot

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CheckInQuestion is one screen of the check-in: a prompt and the buttons
// the user may press. The Discord bot and the console both render it; neither
// decides what comes next (CheckInFlow does).
type CheckInQuestion struct {
	ID      string // "P1", "P2", "Q1".."Q12", as in CHECKIN.md
	Prompt  string
	Choices []CheckInChoice
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

// checkInStep identifies a question. Steps are in asking order, so the
// profile comes first and the emergency questions right after it.
type checkInStep uint8

const (
	stepP1 checkInStep = iota
	stepP2
	stepQ1
	stepQ2
	stepQ3
	stepQ4
	stepQ5
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
// unknown age band), P1 and P2 are asked first; otherwise the remembered
// profile is used. askInflammatory says whether to ask Q11, which is asked at
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
func (f CheckInFlow) Question() (CheckInQuestion, bool) {
	if f.Done() {
		return CheckInQuestion{}, false
	}
	return checkInQuestion(f.steps()[f.n]), true
}

// Answer records value as the answer to the current question and returns
// the advanced flow. The error wraps ErrInvalidCheckIn when value is not one
// of the question's choices or the flow is already finished; f itself is
// never changed.
func (f CheckInFlow) Answer(value int) (CheckInFlow, error) {
	q, ok := f.Question()
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
// stop left unasked read as "no", an everyday onset and pain 0: the answer
// that stopped the flow already makes Assess give the emergency tier. A flow
// that is not Done gives pain -1, an invalid check-in, so that Assess can
// never answer self-care to partial answers.
func (f CheckInFlow) CheckIn() CheckIn {
	c := CheckIn{
		Age:      AgeBand(f.vals[stepP1]),
		BoneRisk: f.vals[stepP2] == 1,
		Onset:    OnsetEveryday,
		Pain:     -1,
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

// Profile returns the profile answered in this flow (P1 and P2) for the
// caller to remember. ok is false when there is nothing new to remember:
// the flow was started with a known profile, or P2 is not answered yet.
func (f CheckInFlow) Profile() (p Profile, ok bool) {
	if !f.askProfile || f.n < 2 {
		return Profile{}, false
	}
	return Profile{Age: AgeBand(f.vals[stepP1]), BoneRisk: f.vals[stepP2] == 1}, true
}

// Encoding of a flow, all in the alphabet below so it is safe in a Discord
// custom_id:
//
//	version '1' | flags | answer count | [age, bone risk] | answers... | check
//
// flags is '0'+(1 if the profile is asked)+(2 if Q11 is asked); the profile
// pair is present only when the profile was given, not asked; each answer
// is one character ('0'..'9', 'a' for 10). The count makes truncation
// detectable and the Luhn mod 36 check character catches any single changed
// character, so a garbled button is rejected instead of silently changing
// an answer. At most 18 characters.
const (
	flowVersion  = '1'
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

// checkInQuestion builds the question for step q. It builds a fresh value on
// every call so callers may keep or change it without touching shared state.
func checkInQuestion(q checkInStep) CheckInQuestion {
	yesNo := []CheckInChoice{{1, "Yes"}, {0, "No"}}
	yesNoNotSure := []CheckInChoice{
		{int(AnswerYes), "Yes"}, {int(AnswerNo), "No"}, {int(AnswerNotSure), "Not sure"},
	}
	switch q {
	case stepP1:
		return CheckInQuestion{"P1", "How old are you?", []CheckInChoice{
			{int(AgeUnder16), "Under 16"},
			{int(Age16To49), "16 to 49"},
			{int(Age50To64), "50 to 64"},
			{int(Age65Plus), "65 or over"},
		}}
	case stepP2:
		return CheckInQuestion{"P2", "Has a doctor told you that you have osteoporosis (thin, fragile bones), or have you taken steroid tablets for 3 months or longer?", yesNo}
	case stepQ1:
		return CheckInQuestion{"Q1", "Do you have numbness or pins and needles between your legs, around your genitals or around your bottom?", yesNoNotSure}
	case stepQ2:
		return CheckInQuestion{"Q2", "Is anything new with your bladder, bowels or sexual feeling? For example trouble peeing or holding it in, bowel accidents, or less feeling during sex.", yesNoNotSure}
	case stepQ3:
		return CheckInQuestion{"Q3", "Do both of your legs feel weak, or is weakness in a leg getting worse?", yesNoNotSure}
	case stepQ4:
		return CheckInQuestion{"Q4", "Did this pain start with a serious accident, such as a road crash or a fall from a height?", yesNo}
	case stepQ5:
		return CheckInQuestion{"Q5", "Do you have chest pain or trouble breathing, or do you feel seriously unwell?", yesNo}
	case stepQ6:
		return CheckInQuestion{"Q6", "Do you have a fever, or are you shivering, as well as the back pain?", yesNo}
	case stepQ7:
		return CheckInQuestion{"Q7", "Have you ever had cancer, or are you losing weight without trying to?", yesNo}
	case stepQ8:
		return CheckInQuestion{"Q8", "How did this bout of back pain start?", []CheckInChoice{
			{int(OnsetFall), "A fall"},
			{int(OnsetLifting), "Lifting or twisting"},
			{int(OnsetEveryday), "Everyday strain: tiredness, long sitting, heat, no warm-up, too little water"},
			{int(OnsetUsual), "My usual back pain, already checked by a clinician"},
			{int(OnsetNewMedicine), "After I started a new medicine"},
			{int(OnsetUnknown), "No clear reason"},
		}}
	case stepQ9:
		return CheckInQuestion{"Q9", "Is the pain there all night long, without easing when you rest?", yesNo}
	case stepQ10:
		return CheckInQuestion{"Q10", "Has this lasted 4 weeks or more without getting better, or is it getting worse, even though you stretch?", yesNo}
	case stepQ11:
		return CheckInQuestion{"Q11", "Do you wake up stiff for more than half an hour, with the stiffness easing once you move? Or does pain wake you in the second half of the night?", yesNo}
	case stepQ12:
		pain := make([]CheckInChoice, 11)
		for i := range pain {
			pain[i] = CheckInChoice{i, strconv.Itoa(i)}
		}
		return CheckInQuestion{"Q12", "How bad is your pain right now, from 0 (no pain) to 10 (the worst you can imagine)?", pain}
	}
	return CheckInQuestion{}
}

// AskedInflammatory reports whether this flow asked Q11 (it is asked at
// most weekly, so the caller remembers when it last was).
func (f CheckInFlow) AskedInflammatory() bool {
	return f.askInflammatory && slices.Contains(f.steps()[:f.n], stepQ11)
}

// PainAnswered reports whether Q12 (pain now) was answered; a flow stopped
// early by a red flag never asks it, and its pain must not enter the trend.
func (f CheckInFlow) PainAnswered() bool {
	return slices.Contains(f.steps()[:f.n], stepQ12)
}
