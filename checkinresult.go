package stretchbot

import (
	"strings"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/lang"
)

// Discord limits the result's text must fit: an embed title and an embed
// description (a message body is shorter still at 2000, so the bot uses an
// embed).
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

// PausesReminders reports whether the user's stretches and reminders should
// be held until they say a clinician has seen them: for the emergency and
// today tiers, where stretching should wait.
func (a Assessment) PausesReminders() bool {
	return a.tier() >= TierSeeDoctorToday
}

// CheckInResult is a finished check-in as its result screen shows it: the
// assessment, what was kept, an earlier urgent result that is still open,
// and what the person may be offered now. The transports render Heading,
// Body and one button per Action; all wording comes from here.
type CheckInResult struct {
	Assessment Assessment
	// Record is what this check-in kept (CheckInFlow.Record).
	Record CheckInRecord
	// ProfileKept says the person's age band and bone-health answer are in
	// their settings (answered now or before).
	ProfileKept bool
	// Held says an earlier emergency or "today" result was holding
	// stretches and reminders when this check-in began.
	Held bool
	// Earlier is that earlier result while its record is kept, and
	// EarlierWhen its date as the transport writes dates.
	Earlier     *CheckInRecord
	EarlierWhen string
	// Offer is what the person may be offered after this check-in.
	Offer StretchOffer
}

// severe reports whether this check-in's pain score is 8 or more.
func (r CheckInResult) severe() bool {
	return painValid(r.Record.Pain) && r.Record.Pain >= SeverePain
}

// earlierTier is the tier of the earlier urgent result ("today" when its
// record is gone).
func (r CheckInResult) earlierTier() (string, Tier) {
	if r.Earlier == nil {
		return "", TierSeeDoctorToday
	}
	return r.EarlierWhen, r.Earlier.Tier
}

// Heading is the result's title; at most 256 characters.
func (r CheckInResult) Heading(p *lang.Printer) string {
	if r.Held && r.Assessment.tier() == TierSelfCare {
		return p.T("checkin.heading.held_self_care")
	}
	return r.Assessment.Heading(p)
}

// Actions are the buttons the result offers, in order. Each is one the next
// screen accepts: Stretch now only when a stretch is allowed, "I've been
// checked by a clinician" instead of it while an earlier urgent result holds
// stretches, nothing on an answer that holds them itself.
func (r CheckInResult) Actions() []CheckInAction {
	t := r.Assessment.tier()
	if t >= TierSeeDoctorToday {
		return nil
	}
	var out []CheckInAction
	switch {
	case r.Held:
		out = append(out, ActionCleared)
	case t == TierSelfCare && r.Offer.Any():
		out = append(out, ActionStretchNow)
	}
	if t == TierSelfCare && r.Assessment.Recheck > 0 {
		out = append(out, ActionRecheck)
	}
	return out
}

// Body is the whole result below the heading, as plain text with Discord
// markdown. The emergency answer starts with the action itself; any other
// answer starts by recalling an earlier urgent result that is still open.
// Then come what to do, the reasons, the safety net (not on the emergency
// answer, which is already the emergency), what was kept, and the
// disclaimer. It is at most 4096 characters (an embed description): if a
// hand-built Assessment holds more reasons than fit, the last ones are left
// out and the text says so; everything else always stays.
func (r CheckInResult) Body(p *lang.Printer) string {
	a := r.Assessment
	when, earlier := r.earlierTier()
	var head []string
	tail := []string{SafetyNet(p), keptLine(p, r.Record, r.ProfileKept), p.T(disclaimerInDoubtID)}
	switch a.tier() {
	case TierEmergency:
		head = []string{EmergencyAction(p) + "\n" + EmergencyList(p) + "\n" + p.T("checkin.emergency.why") + "\n" + p.T("checkin.emergency.hold")}
		if r.Held {
			head = append(head, recallBrief(p, when, earlier))
		}
		tail = []string{keptLine(p, r.Record, r.ProfileKept), p.T(disclaimerID)}
	case TierSeeDoctorToday:
		if r.Held {
			head = append(head, recallBrief(p, when, earlier))
		}
		head = append(head, p.T("checkin.today.action")+"\n"+p.T("checkin.today.hold"))
	case TierSeeDoctorSoon:
		if r.Held {
			head = append(head, recallAsk(p, when, earlier), p.T("checkin.soon.action"))
		} else {
			head = append(head, p.T("checkin.soon.action")+"\n"+p.T("checkin.soon.stretching"), r.stretchLimits(p))
		}
	default:
		if r.Held {
			head = append(head, recallAsk(p, when, earlier))
		}
		if r.severe() {
			head = append(head, p.T("checkin.flare"))
		}
		if !r.Held {
			if r.Offer.Any() {
				head = append(head, joinParagraphs([]string{p.T("checkin.self_care.keep_stretching"), r.stretchLimits(p)}))
			} else {
				head = append(head, r.Offer.Empty(p))
			}
		}
		if a.Recheck > 0 {
			head = append(head, recheckLine(p, FromNow(p, a.Recheck)))
		}
		if len(a.Reasons) == 0 {
			head = append(head, p.T("checkin.self_care.no_warning_signs"))
		}
	}
	return joinWithReasons(p, joinParagraphs(head), a.Reasons, joinParagraphs(tail))
}

// stretchLimits is the note on which stretches this check-in's pain leaves
// out (severe pain keeps to spasm-safe ones for 24 hours), or why none is
// left; "" when the pain score is below 8.
func (r CheckInResult) stretchLimits(p *lang.Printer) string {
	if !r.severe() {
		return ""
	}
	if !r.Offer.Any() {
		return r.Offer.Empty(p)
	}
	return r.Offer.Note(p)
}

// joinWithReasons puts the reasons between head and tail, leaving out the
// last ones (and saying so) if all would not fit in maxBodyLen.
func joinWithReasons(p *lang.Printer, head string, reasons []string, tail string) string {
	if len(reasons) == 0 {
		return joinParagraphs([]string{head, tail})
	}
	more := p.T("checkin.reasons.more")
	budget := maxBodyLen - utf8.RuneCountInString(head) - utf8.RuneCountInString(tail) - 4 - utf8.RuneCountInString("\n"+more)
	var why strings.Builder
	why.WriteString(p.T("checkin.reasons.heading"))
	for _, reason := range reasons {
		line := "\n• " + p.T(reason)
		if utf8.RuneCountInString(why.String())+utf8.RuneCountInString(line) > budget {
			why.WriteString("\n" + more)
			break
		}
		why.WriteString(line)
	}
	return joinParagraphs([]string{head, why.String(), tail})
}
