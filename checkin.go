package stretchbot

import "time"

// Answer is the reply to a yes/no/not-sure check-in question.
type Answer int

// Answers to a check-in question. AnswerNotSure counts as yes for the
// emergency questions: any doubt about those is treated as yes.
const (
	AnswerNo Answer = iota
	AnswerYes
	AnswerNotSure
)

// AgeBand is the profile's age group (question P1).
type AgeBand int

// Age bands of question P1.
const (
	AgeUnder16 AgeBand = iota
	Age16To49
	Age50To64
	Age65Plus
)

// Onset is how the current episode started (question Q8).
type Onset int

// Onsets of question Q8.
const (
	OnsetFall Onset = iota
	OnsetLifting
	OnsetEveryday
	OnsetUsual
	OnsetNewMedicine
	OnsetUnknown
)

// Tier is the outcome of a check-in; a higher tier is more urgent.
type Tier int

// Tiers, least urgent first, so tiers compare with < and >.
const (
	TierSelfCare Tier = iota
	TierSeeDoctorSoon
	TierSeeDoctorToday
	TierEmergency
)

// RuleVersion identifies the rule set Assess applies (CHECKIN.md, rule
// version 2); it is stored with every check-in record so old records stay
// interpretable when the rules change.
const RuleVersion = "2"

// CheckIn holds one set of answers: the remembered profile (Age, BoneRisk)
// and the questions asked at every check-in.
type CheckIn struct {
	Age                                       AgeBand
	BoneRisk                                  bool
	SaddleNumbness, BladderBowel, LegWeakness Answer
	SeriousInjury, Unwell, Fever, Cancer      bool
	Onset                                     Onset
	NightPain, NotImproving, Inflammatory     bool
	Pain                                      int // 0..10
}

// Assessment is the result of Assess.
type Assessment struct {
	Tier        Tier
	Recheck     time.Duration // self-care only: 24h, 72h or 168h; zero otherwise
	Reasons     []string      // human-readable, one per rule that fired
	RuleVersion string        // "2"
}

// CheckInRecord is everything stored about one check-in. Raw answers to the
// questions are deliberately absent: only what the privacy rules allow.
// Build it with CheckInFlow.Record.
type CheckInRecord struct {
	UserID      string
	At          time.Time
	Age         AgeBand // AgeNotAsked when the check-in stopped before the age question
	Pain        int     // 0–10, or PainNotAsked when it stopped before the pain question
	Tier        Tier
	RuleVersion string // RuleVersion of the Assess that gave Tier ("1" or "2")
}

// Values a CheckInRecord holds for a question the check-in never reached
// (an answer to Q1–Q5 already made it an emergency). They are outside the
// valid ranges, so nothing mistakes them for answers: the pain trend skips
// them, and an export shows -1.
const (
	AgeNotAsked  AgeBand = -1
	PainNotAsked int     = -1
)

// Profile is the part of the check-in asked once and remembered.
type Profile struct {
	Age      AgeBand
	BoneRisk bool
}
