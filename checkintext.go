package stretchbot

import (
	"strconv"
	"strings"
)

// Every text the check-in shows is in this file: the questions, the
// reasons, the result screens, what is kept, and why stretches are left
// out. The wording is ours (CHECKIN.md gives meanings, not sentences). Each
// reason repeats the words of the question it comes from, so a person can
// see which answer decided the result.

// EmergencyAction is the first line of the emergency answer and of the
// emergency part of /stretch help: what to do, with the numbers.
const EmergencyAction = "Call your local emergency number now (911 in the US and Canada, 999 in the UK, 112 in the EU, 000 in Australia) or go to an emergency department (A&E or ER)."

// EmergencyHelp opens /stretch help: the action first, then the symptoms
// of Q1–Q3 that call for it. Nothing beside it offers another way.
const EmergencyHelp = "Call your local emergency number now (911 in the US and Canada, 999 in the UK, 112 in the EU, 000 in Australia) or go to an emergency department " +
	"if you get numbness or pins and needles between your legs or around your genitals or bottom, something new with your bladder or bowels, or weakness in your legs."

// SafetyNet ends every answer but the emergency one, and /stretch help: the
// symptoms of Q1–Q3 that make anything an emergency, in their words.
const SafetyNet = "If you get numbness or pins and needles between your legs or around your genitals or bottom, " +
	"something new with your bladder or bowels, or weakness in your legs, that is an emergency: " +
	"call your local emergency number or go to an emergency department straight away."

// The line every answer carries: the bot sorts answers by fixed rules and
// cannot examine anyone. The emergency answer has only the first sentence,
// so that nothing on it reads as an alternative to calling.
const (
	disclaimer        = "I'm an automated reminder bot, not a clinician."
	disclaimerInDoubt = disclaimer + " If in doubt, contact a doctor."
)

// Questions. checkInQuestion builds a fresh value on every call so callers
// may keep or change it without touching shared state.
func checkInQuestion(q checkInStep) CheckInQuestion {
	yesNo := []CheckInChoice{{1, "Yes"}, {0, "No"}}
	yesNoNotSure := []CheckInChoice{
		{int(AnswerYes), "Yes"}, {int(AnswerNo), "No"}, {int(AnswerNotSure), "Not sure"},
	}
	const notKept = "Only you see this. This answer is not kept."
	switch q {
	case stepQ1:
		return CheckInQuestion{"Q1", "Do you have numbness or pins and needles between your legs, around your genitals or around your bottom?", yesNoNotSure, notKept}
	case stepQ2:
		return CheckInQuestion{"Q2", "Is anything new with your bladder, bowels or sexual feeling? For example trouble peeing or holding it in, bowel accidents, or less feeling during sex.", yesNoNotSure, notKept}
	case stepQ3:
		return CheckInQuestion{"Q3", "Do both of your legs feel weak, or is weakness in a leg getting worse?", yesNoNotSure, notKept}
	case stepQ4:
		return CheckInQuestion{"Q4", "Did this pain start with a serious accident, such as a road crash or a fall from a height?", yesNo, notKept}
	case stepQ5:
		return CheckInQuestion{"Q5", "Do you have chest pain or trouble breathing, or do you feel seriously unwell?", yesNo, notKept}
	case stepP1:
		return CheckInQuestion{"P1", "How old are you?", []CheckInChoice{
			{int(AgeUnder16), "Under 16"},
			{int(Age16To49), "16 to 49"},
			{int(Age50To64), "50 to 64"},
			{int(Age65Plus), "65 or over"},
		}, "Only you see this. Your age band is kept in your settings until you change it or delete your data, and with each check-in for 90 days."}
	case stepP2:
		return CheckInQuestion{"P2", "Has a doctor told you that you have osteoporosis (thin, fragile bones), or have you taken steroid tablets for 3 months or longer?", yesNo,
			"Only you see this. This answer is kept in your settings until you change it or delete your data."}
	case stepQ6:
		return CheckInQuestion{"Q6", "Do you have a fever, or are you shivering, as well as the back pain?", yesNo, notKept}
	case stepQ7:
		return CheckInQuestion{"Q7", "Have you ever had cancer, or are you losing weight without trying to?", yesNo, notKept}
	case stepQ8:
		return CheckInQuestion{"Q8", "How did this episode of back pain start?", []CheckInChoice{
			{int(OnsetFall), "A fall"},
			{int(OnsetLifting), "Lifting or twisting"},
			{int(OnsetEveryday), "Everyday strain: tiredness, long sitting, heat, no warm-up, too little water"},
			{int(OnsetUsual), "My usual back pain, already checked by a clinician"},
			{int(OnsetNewMedicine), "After I started a new medicine"},
			{int(OnsetUnknown), "No clear reason"},
		}, notKept}
	case stepQ9:
		return CheckInQuestion{"Q9", "Is the pain there all night long, without easing when you rest?", yesNo, notKept}
	case stepQ10:
		return CheckInQuestion{"Q10", "Has this lasted 4 weeks or more without getting better, or is it getting worse, even though you stretch?", yesNo, notKept}
	case stepQ11:
		return CheckInQuestion{"Q11", "Do you wake up stiff for more than half an hour, with the stiffness easing once you move? Or does pain wake you in the second half of the night?", yesNo, notKept}
	case stepQ12:
		pain := make([]CheckInChoice, 11)
		for i := range pain {
			pain[i] = CheckInChoice{i, strconv.Itoa(i)}
		}
		return CheckInQuestion{"Q12", "How bad is your pain right now, from 0 (no pain) to 10 (the worst you can imagine)?", pain,
			"Only you see this. Your pain score is kept with this check-in for 90 days."}
	}
	return CheckInQuestion{}
}

// CheckInIntro opens the first screen of every check-in: who sees it and
// exactly what is kept.
const CheckInIntro = "A few quick questions about your back. Only you can see them. " +
	"I keep your age band and bone-health answer in your settings, and each check-in's date, result, pain score and age band for 90 days. " +
	"Your other answers are not kept."

// Reasons shown to the user, one per rule that fired, in the words of the
// question behind it. They say which answer decided the result, not what
// it might mean.
const (
	reasonSaddle        = "You have numbness or pins and needles between your legs, around your genitals or around your bottom."
	reasonSaddleDoubt   = "You were not sure whether you have numbness or pins and needles between your legs, around your genitals or around your bottom; for this, any doubt counts as yes."
	reasonBladder       = "Something is new with your bladder, bowels or sexual feeling."
	reasonBladderDoubt  = "You were not sure whether anything is new with your bladder, bowels or sexual feeling; for this, any doubt counts as yes."
	reasonLegs          = "Both of your legs feel weak, or weakness in a leg is getting worse."
	reasonLegsDoubt     = "You were not sure whether both of your legs feel weak or weakness in a leg is getting worse; for this, any doubt counts as yes."
	reasonInjury        = "This pain started with a serious accident, such as a road crash or a fall from a height."
	reasonUnwell        = "You have chest pain or trouble breathing, or you feel seriously unwell."
	reasonFever         = "You have a fever, or you are shivering, as well as the back pain."
	reasonCancer        = "You have had cancer, or you are losing weight without trying to, and this is not your usual back pain already checked by a clinician."
	reasonCancerUsual   = "You have had cancer, or you are losing weight without trying to. This is your usual back pain, already checked by a clinician, so the next few days are soon enough."
	reasonNightPain     = "The pain is there all night long, without easing when you rest."
	reasonFractureAge   = "This episode of back pain started with a fall or with lifting or twisting, and you are 65 or over, when a bone breaks more easily."
	reasonFractureBones = "This episode of back pain started with a fall or with lifting or twisting, and a doctor told you that you have osteoporosis or you have taken steroid tablets for 3 months or longer, so a bone breaks more easily."
	reasonFractureBoth  = "This episode of back pain started with a fall or with lifting or twisting, you are 65 or over, and a doctor told you that you have osteoporosis or you have taken steroid tablets for 3 months or longer, so a bone breaks more easily."
	reasonUnder16       = "You are under 16. This bot is made for people aged 16 and over, so a doctor should guide your back care."
	reasonOlderSevere   = "You are 65 or over, your pain right now is 7 or more out of 10, and this is not your usual back pain already checked by a clinician."
	reasonFall          = "This episode of back pain started with a fall."
	reasonNewMedicine   = "This episode of back pain started after you started a new medicine."
	reasonNoCause       = "This episode of back pain started for no clear reason."
	reasonNotImproving  = "This has lasted 4 weeks or more without getting better, or it is getting worse, even though you stretch."
	reasonInflammatory  = "You wake up stiff for more than half an hour with the stiffness easing once you move, or pain wakes you in the second half of the night."
	reasonTrendSevere   = "Your pain score was 7 or more out of 10 in at least 3 of your last 7 check-ins, counting this one."
	reasonTrendRising   = "Your last 3 pain scores, counting this one, are each at least 2 points above your usual score before them."
	reasonIncomplete    = "Some answers were missing or not valid, so the check-in could not rule everything out."
)

// Heading is the result's title, short and unmistakable; at most 256
// characters, Discord's limit for an embed title.
func (a Assessment) Heading() string {
	switch a.tier() {
	case TierEmergency:
		return "Get medical help now"
	case TierSeeDoctorToday:
		return "See a doctor today"
	case TierSeeDoctorSoon:
		return "See a doctor in the next few days"
	}
	return "Keep stretching"
}

// heldSelfCareHeading replaces "Keep stretching" while an earlier urgent
// result still holds stretches: stretching waits for the person's word.
const heldSelfCareHeading = "No new warning signs: have you been checked?"

// What each answer says to do.
const (
	emergencyWhy  = "What you told me can be a sign of a problem that needs treating within hours, so it can't wait for an appointment."
	emergencyHold = "Don't stretch until a clinician has checked you. I've paused your stretches and reminders."

	todayAction = "Contact a doctor today. If you can't get an appointment, call an urgent care centre or a telephone health advice line."
	todayHold   = "Please hold off on stretching until you've been checked. I've paused your stretches and reminders."

	soonAction     = "Book an appointment with a doctor or a physiotherapist in the next few days."
	soonStretching = "Until then, gentle stretching is fine as long as it stays comfortable; stop any stretch that makes the pain worse."

	keepStretching = "Keep up your routine: `/stretch now` gives you the next stretch."
	noWarningSigns = "Your answers show none of the warning signs this check looks for."

	flareAdvice = "Your pain is 8 or more out of 10. To get through the flare:\n" +
		"• rest in whatever position eases it most, and keep moving gently, a little at a time\n" +
		"• a pharmacist can advise you on pain relief\n" +
		"• see a doctor if it is not easing within a few days, or if the pain is too much to manage"

	reasonsHeading = "Why:"
	moreReasons    = "• …and more."
)

// recheckLine says when to check in again and how to get a reminder then.
func recheckLine(when string) string {
	return "Check in again " + when + ". Press \"" + ActionRecheck.Label() + "\" and I'll send you a reminder then."
}

// adviceOf says what an earlier urgent result advised.
func adviceOf(t Tier) string {
	if t == TierEmergency {
		return "get medical help straight away"
	}
	return "see a doctor that day"
}

// recallAsk opens a "soon" or self-care answer while an earlier urgent
// result still holds stretches: it recalls that result and asks whether the
// person has been seen. when is the earlier check-in's date; "" when its
// record is gone (kept 90 days), though the hold is not.
func recallAsk(when string, t Tier) string {
	s := "An earlier check-in advised you to see a clinician"
	if when != "" {
		s = "Your check-in on " + when + " advised you to " + adviceOf(t)
	}
	return s + ", and I've held stretches and reminders back since. Have you been checked by a clinician? " +
		"If you have, press \"" + ClearedLabel + "\". If not, please follow that advice first."
}

// recallBrief mentions the earlier urgent result on an answer that holds
// stretches again (today or emergency), where there is nothing to ask.
func recallBrief(when string, t Tier) string {
	if when == "" {
		return "An earlier check-in also advised you to see a clinician."
	}
	return "Your check-in on " + when + " also advised you to " + adviceOf(t) + "."
}

// keptLine says exactly what this check-in kept: the record's fields that
// hold an answer, the profile in the settings, and that nothing else is.
func keptLine(rec CheckInRecord, profileKept bool) string {
	var s string
	switch pain, age := painValid(rec.Pain), rec.Age.valid(); {
	case pain && age:
		s = "For 90 days I keep this check-in's date, result and rule version, your pain score and your age band."
	case pain:
		s = "For 90 days I keep this check-in's date, result and rule version, and your pain score."
	case age:
		s = "For 90 days I keep this check-in's date, result and rule version, and your age band."
	default:
		s = "For 90 days I keep this check-in's date, result and rule version."
	}
	if profileKept {
		s += " Your age band and bone-health answer stay in your settings until you change them or delete your data."
	}
	return s + " No other answer is kept; `/stretch privacy forget` deletes everything."
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
func (a CheckInAction) Label() string {
	switch a {
	case ActionStretchNow:
		return "Stretch now"
	case ActionRecheck:
		return "Remind me to check in"
	case ActionCleared:
		return ClearedLabel
	}
	return ""
}

// ClearedLabel is the button that tells the bot a clinician has seen the
// person after an urgent result; it turns stretches and reminders back on.
const ClearedLabel = "I've been checked by a clinician"

// ClearedText answers that button.
const ClearedText = "Thank you for letting me know. I have lifted the hold on your stretches and reminders. Go gently, and stop any stretch that makes the pain worse."

// Texts about which stretches a person is offered (StretchOffer). They name
// the check-in answer that set each limit in the question's own words.

// HeldText explains, wherever a stretch would be shown, why none is while
// an urgent result is unresolved. The bot shows ClearedLabel's button with it.
const HeldText = "Your check-in advised seeing a clinician before you stretch again, so I'm holding stretches back for now. " +
	"Once a clinician has checked you, press \"" + ClearedLabel + "\" to turn stretches and reminders back on."

// LeftOutText answers a button for a stretch that the person's limits now
// leave out (a card from before their last check-in); the offer's Note
// follows it.
const LeftOutText = "This stretch is left out for you right now."

// OnlyOneText answers Skip when the stretch shown is the only one that
// fits the person's choices and limits.
const OnlyOneText = "This is the only stretch that fits your choices right now. `/stretch now` with other choices (or none) shows others."

// PrivateOfferText ends a reminder posted in a channel when no stretch can
// be offered: why is health information, so it is told only in private.
const PrivateOfferText = "Run `/stretch now` to see, just for you, what suits you today."

const (
	boneRiskIntro = "A doctor told you that you have osteoporosis, or you have taken steroid tablets for 3 months or longer, " +
		"so I leave out stretches that bend your spine forward under load or twist it:"
	boneRiskAdvice    = "A physiotherapist can plan stretches that suit your bones."
	boneRiskShortNote = "For your bones, I leave out stretches that bend your spine forward under load or twist it."

	severePainNote      = "Because your pain was 8 or more out of 10 at your latest check-in, for 24 hours after it I offer only the stretches that are safe during a spasm."
	severePainShortNote = "For 24 hours after a check-in with pain of 8 or more, I offer only the stretches that are safe during a spasm."

	nothingSafeText   = "None of my stretches is safe for you right now."
	nothingSafeAdvice = "Rest in whatever position eases it most and keep moving gently, a little at a time. A physiotherapist can plan stretches that suit you."
)

// boneRiskNote lists the stretches the bone-risk limit leaves out, each
// with the catalogue's reason.
func boneRiskNote(out []Stretch) string {
	var b strings.Builder
	b.WriteString(boneRiskIntro)
	for _, s := range out {
		why := s.LoadedFlexionWhy
		if !s.LoadedFlexion {
			why = s.TwistWhy
		}
		b.WriteString("\n• " + s.Name + ": " + why)
	}
	b.WriteString("\n" + boneRiskAdvice)
	return b.String()
}

// nothingFitsText says that the person's choices fit no stretch at all.
const nothingFitsText = "No stretch fits those choices. Try fewer choices, for example just position:floor."

// nothingSuitsText says that the person's choices fit none of the
// stretches their limits leave, and where those can be done.
func nothingSuitsText(where []Position) string {
	s := "No stretch that suits you right now fits those choices."
	if len(where) > 0 {
		opts := make([]string, len(where))
		for i, p := range where {
			opts[i] = "position:" + string(p)
		}
		return s + " Try " + strings.Join(opts, " or ") + ", or leave the choices out."
	}
	return s + " Try leaving the choices out."
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
