package stretchbot

import (
	"strconv"
	"strings"

	"github.com/stretchbot/stretchbot/lang"
)

// Every text the check-in shows is a message of lang/messages (keys
// checkin.*, offer.*), and this file is where the check-in picks and joins
// them: the questions, the reasons, the result screens, what is kept, and
// why stretches are left out. The wording is ours (CHECKIN.md gives
// meanings, not sentences). Each reason repeats the words of the question
// it comes from, so a person can see which answer decided the result.

// EmergencyAction is the first line of the emergency answer: what to do,
// with the numbers of the language's main regions.
func EmergencyAction(p *lang.Printer) string { return p.T("checkin.emergency.action") }

// EmergencyList points to the emergency numbers of every country; it
// follows EmergencyAction and EmergencyHelp.
func EmergencyList(p *lang.Printer) string { return p.T("checkin.emergency.list") }

// EmergencyHelp opens /stretch help: the action first, then the symptoms
// of Q1–Q3 that call for it. Nothing beside it offers another way.
func EmergencyHelp(p *lang.Printer) string { return p.T("help.emergency") }

// SafetyNet ends every answer but the emergency one, and /stretch help: the
// symptoms of Q1–Q3 that make anything an emergency, in their words.
func SafetyNet(p *lang.Printer) string { return p.T("checkin.safety_net") }

// The line every answer carries: the bot sorts answers by fixed rules and
// cannot examine anyone. The emergency answer has only the first sentence,
// so that nothing on it reads as an alternative to calling.
const (
	disclaimerID        = "checkin.disclaimer"
	disclaimerInDoubtID = "checkin.disclaimer_in_doubt"
)

// Questions. checkInQuestion builds a fresh value on every call so callers
// may keep or change it without touching shared state.
func checkInQuestion(p *lang.Printer, q checkInStep) CheckInQuestion {
	yes, no := p.T("checkin.answer.yes"), p.T("checkin.answer.no")
	yesNo := []CheckInChoice{{1, yes}, {0, no}}
	yesNoNotSure := []CheckInChoice{
		{int(AnswerYes), yes}, {int(AnswerNo), no}, {int(AnswerNotSure), p.T("checkin.answer.not_sure")},
	}
	notKept := p.T("checkin.kept.not_kept")
	question := func(id string, choices []CheckInChoice, kept string) CheckInQuestion {
		return CheckInQuestion{id, p.T("checkin." + strings.ToLower(id) + ".question"), choices, kept}
	}
	switch q {
	case stepQ1:
		return question("Q1", yesNoNotSure, notKept)
	case stepQ2:
		return question("Q2", yesNoNotSure, notKept)
	case stepQ3:
		return question("Q3", yesNoNotSure, notKept)
	case stepQ4:
		return question("Q4", yesNo, notKept)
	case stepQ5:
		return question("Q5", yesNo, notKept)
	case stepP1:
		return question("P1", []CheckInChoice{
			{int(AgeUnder16), p.T("checkin.p1.under16")},
			{int(Age16To49), p.T("checkin.p1.16to49")},
			{int(Age50To64), p.T("checkin.p1.50to64")},
			{int(Age65Plus), p.T("checkin.p1.65plus")},
		}, p.T("checkin.kept.age"))
	case stepP2:
		return question("P2", yesNo, p.T("checkin.kept.bone_risk"))
	case stepQ6:
		return question("Q6", yesNo, notKept)
	case stepQ7:
		return question("Q7", yesNo, notKept)
	case stepQ8:
		return question("Q8", []CheckInChoice{
			{int(OnsetFall), p.T("checkin.q8.fall")},
			{int(OnsetLifting), p.T("checkin.q8.lifting")},
			{int(OnsetEveryday), p.T("checkin.q8.everyday")},
			{int(OnsetUsual), p.T("checkin.q8.usual")},
			{int(OnsetNewMedicine), p.T("checkin.q8.new_medicine")},
			{int(OnsetUnknown), p.T("checkin.q8.unknown")},
		}, notKept)
	case stepQ9:
		return question("Q9", yesNo, notKept)
	case stepQ10:
		return question("Q10", yesNo, notKept)
	case stepQ11:
		return question("Q11", yesNo, notKept)
	case stepQ12:
		pain := make([]CheckInChoice, 11)
		for i := range pain {
			pain[i] = CheckInChoice{i, strconv.Itoa(i)}
		}
		return question("Q12", pain, p.T("checkin.kept.pain"))
	}
	return CheckInQuestion{}
}

// CheckInIntro opens the first screen of every check-in: who sees it and
// exactly what is kept.
func CheckInIntro(p *lang.Printer) string { return p.T("checkin.intro") }

// Reasons shown to the user, one per rule that fired, in the words of the
// question behind it. They say which answer decided the result, not what
// it might mean. Assessment.Reasons holds these message ids, so that the
// pure rules need no language; the result renders them.
const (
	reasonSaddle        = "checkin.reason.saddle"
	reasonSaddleDoubt   = "checkin.reason.saddle_doubt"
	reasonBladder       = "checkin.reason.bladder"
	reasonBladderDoubt  = "checkin.reason.bladder_doubt"
	reasonLegs          = "checkin.reason.legs"
	reasonLegsDoubt     = "checkin.reason.legs_doubt"
	reasonInjury        = "checkin.reason.injury"
	reasonUnwell        = "checkin.reason.unwell"
	reasonFever         = "checkin.reason.fever"
	reasonCancer        = "checkin.reason.cancer"
	reasonCancerUsual   = "checkin.reason.cancer_usual"
	reasonNightPain     = "checkin.reason.night_pain"
	reasonFractureAge   = "checkin.reason.fracture_age"
	reasonFractureBones = "checkin.reason.fracture_bones"
	reasonFractureBoth  = "checkin.reason.fracture_both"
	reasonUnder16       = "checkin.reason.under16"
	reasonOlderSevere   = "checkin.reason.older_severe"
	reasonFall          = "checkin.reason.fall"
	reasonNewMedicine   = "checkin.reason.new_medicine"
	reasonNoCause       = "checkin.reason.no_cause"
	reasonNotImproving  = "checkin.reason.not_improving"
	reasonInflammatory  = "checkin.reason.inflammatory"
	reasonTrendSevere   = "checkin.reason.trend_severe"
	reasonTrendRising   = "checkin.reason.trend_rising"
	reasonIncomplete    = "checkin.reason.incomplete"
)

// Heading is the result's title, short and unmistakable; at most 256
// characters, Discord's limit for an embed title.
func (a Assessment) Heading(p *lang.Printer) string {
	switch a.tier() {
	case TierEmergency:
		return p.T("checkin.heading.emergency")
	case TierSeeDoctorToday:
		return p.T("checkin.heading.today")
	case TierSeeDoctorSoon:
		return p.T("checkin.heading.soon")
	}
	return p.T("checkin.heading.self_care")
}

// recheckLine says when to check in again and how to get a reminder then.
func recheckLine(p *lang.Printer, when string) string {
	return p.T("checkin.recheck", "When", when, "Button", ActionRecheck.Label(p))
}

// recallTier names an earlier urgent result in the keys of recallAsk and
// recallBrief: "unknown" when its record is gone (kept 90 days), though
// the hold is not.
func recallTier(when string, t Tier) string {
	switch {
	case when == "":
		return "unknown"
	case t == TierEmergency:
		return "emergency"
	}
	return "today"
}

// recallAsk opens a "soon" or self-care answer while an earlier urgent
// result still holds stretches: it recalls that result and asks whether the
// person has been seen. when is the earlier check-in's date; "" when its
// record is gone.
func recallAsk(p *lang.Printer, when string, t Tier) string {
	return p.T("checkin.recall.ask."+recallTier(when, t), "Date", when, "Button", ClearedLabel(p))
}

// recallBrief mentions the earlier urgent result on an answer that holds
// stretches again (today or emergency), where there is nothing to ask.
func recallBrief(p *lang.Printer, when string, t Tier) string {
	return p.T("checkin.recall.brief."+recallTier(when, t), "Date", when)
}

// keptLine says exactly what this check-in kept: the record's fields that
// hold an answer, the profile in the settings, and that nothing else is.
func keptLine(p *lang.Printer, rec CheckInRecord, profileKept bool) string {
	var s string
	switch pain, age := painValid(rec.Pain), rec.Age.valid(); {
	case pain && age:
		s = p.T("checkin.kept_line.pain_age")
	case pain:
		s = p.T("checkin.kept_line.pain")
	case age:
		s = p.T("checkin.kept_line.age")
	default:
		s = p.T("checkin.kept_line.basic")
	}
	if profileKept {
		s += " " + p.T("checkin.kept_line.profile")
	}
	return s + " " + p.T("checkin.kept_line.nothing_else")
}

// CheckInAction is a button a result may offer.
type CheckInAction int

// Buttons of a result.
const (
	ActionStretchNow CheckInAction = iota + 1 // a stretch now
	ActionRecheck                             // a one-time reminder to check in again
	ActionCleared                             // a clinician has seen me: stretches and reminders back on
)

// Label is the button's text, at most 80 characters.
func (a CheckInAction) Label(p *lang.Printer) string {
	switch a {
	case ActionStretchNow:
		return p.T("checkin.button.stretch_now")
	case ActionRecheck:
		return p.T("checkin.button.recheck")
	case ActionCleared:
		return ClearedLabel(p)
	}
	return ""
}

// ClearedLabel is the button that tells the bot a clinician has seen the
// person after an urgent result; it turns stretches and reminders back on.
func ClearedLabel(p *lang.Printer) string { return p.T("checkin.button.cleared") }

// ClearedText answers that button.
func ClearedText(p *lang.Printer) string { return p.T("checkin.cleared") }

// Texts about which stretches a person is offered (StretchOffer). They name
// the check-in answer that set each limit in the question's own words.

// HeldText explains, wherever a stretch would be shown, why none is while
// an urgent result is unresolved. The bot shows ClearedLabel's button with it.
func HeldText(p *lang.Printer) string { return p.T("offer.held", "Button", ClearedLabel(p)) }

// LeftOutText answers a button for a stretch that the person's limits now
// leave out (a card from before their last check-in); the offer's Note
// follows it.
func LeftOutText(p *lang.Printer) string { return p.T("offer.left_out") }

// OnlyOneText answers Skip when the stretch shown is the only one that
// fits the person's choices and limits.
func OnlyOneText(p *lang.Printer) string { return p.T("offer.only_one") }

// PrivateOfferText ends a reminder posted in a channel when no stretch can
// be offered: why is health information, so it is told only in private.
func PrivateOfferText(p *lang.Printer) string { return p.T("offer.private") }

// boneRiskNote lists the stretches the bone-risk limit leaves out, each
// with the catalogue's reason, in p's language.
func boneRiskNote(p *lang.Printer, out []Stretch) string {
	var b strings.Builder
	b.WriteString(p.T("offer.bone_risk.intro"))
	for _, s := range out {
		s = s.In(p)
		why := s.LoadedFlexionWhy
		if !s.LoadedFlexion {
			why = s.TwistWhy
		}
		b.WriteString("\n• " + p.T("offer.bone_risk.item", "Name", s.Name, "Why", why))
	}
	b.WriteString("\n" + p.T("offer.bone_risk.advice"))
	return b.String()
}

// nothingSuitsText says that the person's choices fit none of the
// stretches their limits leave, and where those can be done.
func nothingSuitsText(p *lang.Printer, where []Position) string {
	s := p.T("offer.nothing_suits")
	if len(where) > 0 {
		opts := make([]string, len(where))
		for i, pos := range where {
			opts[i] = "position:" + string(pos)
		}
		return s + " " + p.T("offer.nothing_suits.try", "Options", strings.Join(opts, " "+p.T("words.or")+" "))
	}
	return s + " " + p.T("offer.nothing_suits.leave_out")
}

// joinParagraphs joins the non-empty parts with a blank line between.
func joinParagraphs(parts []string) string {
	return joinNonEmpty(parts, "\n\n")
}

// joinSentences joins the non-empty parts with a space between.
func joinSentences(parts []string) string {
	return joinNonEmpty(parts, " ")
}

func joinNonEmpty(parts []string, sep string) string {
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
