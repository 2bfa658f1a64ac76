package stretchbot

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CheckInDisclaimer is the line every check-in result carries, whatever the
// tier: the bot sorts answers by fixed rules and cannot examine anyone.
const CheckInDisclaimer = "I'm an automated reminder bot, not a clinician. If in doubt, contact a doctor."

// Discord limits the result's text must fit: an embed title and an embed
// description (or a message body, which is shorter still at 2000, so the
// bot should use an embed).
const (
	maxHeadingLen = 256
	maxBodyLen    = 4096
)

// tier returns the tier the texts describe. A tier outside the enum can only
// come from a bug or a corrupt record; it reads as "see a doctor soon", the
// same answer Assess gives to answers it cannot trust, never as self-care.
func (a Assessment) tier() Tier {
	if !a.Tier.valid() {
		return TierSeeDoctorSoon
	}
	return a.Tier
}

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

// Action says what to do, one line or two. For an emergency the first line
// is the action itself (call the local emergency number or go to an
// emergency department), because it must come before anything else.
func (a Assessment) Action() string {
	switch a.tier() {
	case TierEmergency:
		return "Call your local emergency number now (911 in the US and Canada, 999 in the UK, 112 in the EU, 000 in Australia) or go to an emergency department.\n" +
			"Please don't stretch until a clinician has checked you. Your reminders are paused until you resume them."
	case TierSeeDoctorToday:
		return "Contact a doctor today. If you can't get an appointment, call an urgent care centre or a telephone health advice line.\n" +
			"Please hold off on stretching until you've been checked. Your reminders are paused until you resume them."
	case TierSeeDoctorSoon:
		return "Book an appointment with a doctor or a physiotherapist in the next few days.\n" +
			"Until then, gentle stretching is fine as long as it stays comfortable; stop any stretch that makes the pain worse."
	}
	s := "Keep up your routine: `/stretch now` gives you the next stretch."
	if when := recheckPhrase(a.Recheck); when != "" {
		s += "\nI'll suggest another check-in " + when + "."
	}
	return s
}

// recheckPhrase puts a recheck delay in words ("tomorrow", "in 3 days",
// "in a week"); "" when there is none.
func recheckPhrase(d time.Duration) string {
	switch days := int(d / (24 * time.Hour)); {
	case d <= 0:
		return ""
	case d < 24*time.Hour:
		return "later today"
	case days == 1:
		return "tomorrow"
	case days == 7:
		return "in a week"
	default:
		return "in " + strconv.Itoa(days) + " days"
	}
}

// PausesReminders reports whether the user's stretch reminders should pause
// until they resume them: for the emergency and today tiers, where stretching
// should wait until a clinician has seen them.
func (a Assessment) PausesReminders() bool {
	return a.tier() >= TierSeeDoctorToday
}

// Body is the whole result below the heading, as plain text with Discord
// markdown: the action, the reasons that decided it, and the disclaimer. It
// is at most 4096 characters (an embed description); if a hand-built
// Assessment holds more reasons than fit, the last ones are left out and
// the text says so, but the action and the disclaimer always stay.
func (a Assessment) Body() string {
	head := a.Action() + "\n\n"
	tail := "\n\n" + CheckInDisclaimer
	if len(a.Reasons) == 0 {
		return head + "None of your answers calls for a doctor right now." + tail
	}
	const more = "\n• …and more."
	budget := maxBodyLen - utf8.RuneCountInString(head+tail) - utf8.RuneCountInString(more)
	var why strings.Builder
	why.WriteString("Why:")
	for _, r := range a.Reasons {
		line := "\n• " + r
		if utf8.RuneCountInString(why.String())+utf8.RuneCountInString(line) > budget {
			why.WriteString(more)
			break
		}
		why.WriteString(line)
	}
	return head + why.String() + tail
}

// Texts about which stretches a person is offered (StretchOffer). They name
// the check-in answer that set each limit in the question's own words.

// ClearedLabel is the button that tells the bot a clinician has seen the
// person after an urgent result; it turns stretches and reminders back on.
const ClearedLabel = "I've been checked by a clinician"

// HeldText explains, wherever a stretch would be shown, why none is while
// an urgent result is unresolved. The bot shows ClearedLabel's button with it.
const HeldText = "Your check-in advised seeing a clinician before you stretch again, so I'm holding stretches back for now. " +
	"Once a clinician has checked you, press \"" + ClearedLabel + "\" to turn stretches and reminders back on."

const (
	boneRiskIntro = "You told me a doctor found osteoporosis, or that you have taken steroid tablets for 3 months or longer. " +
		"So I leave out stretches that bend your spine forward under load or twist it:"
	boneRiskAdvice    = "A physiotherapist can plan stretches that suit your bones."
	boneRiskShortNote = "Stretches that bend your spine forward under load or twist it are left out, for your bones."

	severePainNote      = "Your pain was 8 or more at your last check-in, so for 24 hours after it I offer only the stretches that are safe during a spasm."
	severePainShortNote = "After your last check-in's pain score of 8 or more, only spasm-safe stretches for 24 hours."

	nothingSafeText   = "None of my stretches is safe for you right now."
	nothingSafeAdvice = "Rest in whatever position is easiest and keep moving gently, a little at a time. A physiotherapist can plan stretches that suit you."
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

// nothingFitsText says that the person's choices fit none of the stretches
// that suit them, and where those can be done.
func nothingFitsText(where []Position) string {
	s := "No stretch that suits you right now fits those choices."
	if len(where) > 0 {
		opts := make([]string, len(where))
		for i, p := range where {
			opts[i] = "position:" + string(p)
		}
		s += " Try " + strings.Join(opts, " or ") + ", or leave the choices out."
	}
	return s
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
