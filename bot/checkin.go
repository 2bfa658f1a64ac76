package bot

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
)

// inflammatoryEvery is how often check-in question Q11 is asked.
const inflammatoryEvery = 7 * 24 * time.Hour

// checkInRetention is how long check-in records are kept.
const checkInRetention = 90 * 24 * time.Hour

var errCheckInExpired = stretchbot.Errorf(stretchbot.EINVALID, "This check-in expired. Run /checkin again to start a fresh one.")

func (b *Bot) checkinStart(ctx context.Context, in Interaction) (Reply, error) {
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	profile := u.Profile
	if boolOption(in, "profile") {
		profile = nil
	}
	askQ11 := u.LastInflammatoryAsk.IsZero() || b.now().Sub(u.LastInflammatoryAsk) >= inflammatoryEvery
	flow := stretchbot.NewCheckInFlow(profile, askQ11)
	r := b.checkInQuestion(flow, in.UserID)
	r.Content = "A few quick questions about your back. Only you can see them, and your answers are not stored."
	return r, nil
}

// checkInQuestion renders the flow's next question with one button per
// answer. The buttons carry the whole state of the flow, so nothing is kept
// on the server between clicks and a restart loses nothing.
func (b *Bot) checkInQuestion(flow stretchbot.CheckInFlow, owner string) Reply {
	q, _ := flow.Question()
	state := flow.Encode()
	var buttons []Button
	for _, c := range q.Choices {
		style := Secondary
		buttons = append(buttons, Button{Label: c.Label, ID: customid.Make(customid.CheckIn, owner, state, strconv.Itoa(c.Value)), Style: style})
	}
	return Reply{
		Ephemeral: true,
		Cards:     []Card{{Title: "Check-in", Description: q.Prompt, Color: colorInfo, Footer: "Only you see this. Your answers to these questions are not stored."}},
		Rows:      chunkButtons(buttons),
	}
}

func (b *Bot) clickCheckIn(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	flow, err := stretchbot.DecodeCheckInFlow(id.Args[1])
	if err != nil {
		return Reply{}, errCheckInExpired
	}
	v, err := strconv.Atoi(id.Args[2])
	if err != nil {
		return Reply{}, errCheckInExpired
	}
	flow, err = flow.Answer(v)
	if err != nil {
		return Reply{}, errCheckInExpired
	}
	if !flow.Done() {
		r := b.checkInQuestion(flow, in.UserID)
		r.Update = true
		return r, nil
	}
	return b.checkInResult(ctx, in, flow)
}

// checkInResult assesses a finished flow, keeps the minimum (time, age band,
// pain, tier, rule version; never the answers) and renders the result.
func (b *Bot) checkInResult(ctx context.Context, in Interaction, flow stretchbot.CheckInFlow) (Reply, error) {
	now := b.now()
	past, err := b.cfg.Store.CheckIns(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load check-ins of %s: %w", in.UserID, err)
	}
	var history []int
	for _, r := range past {
		if now.Sub(r.At) <= checkInRetention && r.Pain >= 0 {
			history = append(history, r.Pain)
		}
	}
	ci := flow.CheckIn()
	a := stretchbot.Assess(ci, history)
	_, err = b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		if p, ok := flow.Profile(); ok {
			u.Profile = &p
		}
		if flow.AskedInflammatory() {
			u.LastInflammatoryAsk = now
		}
		if a.PausesReminders() {
			u.Paused, u.PausedUntil = stretchbot.PauseCheckIn, time.Time{}
		}
		return nil
	})
	if err != nil {
		return Reply{}, fmt.Errorf("save check-in of %s: %w", in.UserID, err)
	}
	rec := stretchbot.CheckInRecord{UserID: in.UserID, At: now, Age: ci.Age, Pain: ci.Pain, Tier: a.Tier, RuleVersion: a.RuleVersion}
	if !flow.PainAnswered() {
		rec.Pain = -1 // unknown: the flow stopped before the pain question
	}
	if err := b.cfg.Store.AddCheckIn(ctx, rec); err != nil {
		return Reply{}, fmt.Errorf("save check-in of %s: %w", in.UserID, err)
	}
	color := map[stretchbot.Tier]int{
		stretchbot.TierEmergency:      colorEmergency,
		stretchbot.TierSeeDoctorToday: colorUrgent,
		stretchbot.TierSeeDoctorSoon:  colorWarning,
		stretchbot.TierSelfCare:       colorStretch,
	}[a.Tier]
	heading := a.Heading()
	if a.Tier == stretchbot.TierEmergency {
		heading = "🚨 " + heading
	}
	r := Reply{Update: true, Ephemeral: true, Cards: []Card{{Title: heading, Description: a.Body(), Color: color}}}
	if a.Tier == stretchbot.TierSelfCare {
		hours := int(a.Recheck.Hours())
		r.Rows = [][]Button{{
			{Label: "Stretch now", ID: customid.Make(customid.Now, in.UserID), Style: Success},
			{Label: "Remind me to check in", ID: customid.Make(customid.Recheck, in.UserID, strconv.Itoa(hours)), Style: Secondary},
		}}
	}
	return r, nil
}

// clickRecheck makes a one-time reminder to check in again.
func (b *Bot) clickRecheck(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	hours, err := strconv.Atoi(id.Args[1])
	if err != nil || hours < 1 || hours > 24*7 {
		return Reply{}, errCheckInExpired
	}
	// The result keeps its buttons, so a second press must not make a
	// second reminder; the store refuses it inside its write, so twenty
	// presses at once make one.
	at := b.now().Add(time.Duration(hours) * time.Hour)
	s := stretchbot.Schedule{Owner: in.UserID, Kind: stretchbot.KindCheckIn, At: at, TimeZone: "UTC", Created: b.now()}
	if err := b.addSchedule(ctx, &s); err != nil {
		if dup, ok := stretchbot.AsDuplicate(err); ok {
			return Reply{Ephemeral: true, Content: fmt.Sprintf("🩺 You already have a check-in reminder, %s.", b.relative(dup.Existing.At, b.userLocation(ctx, in.UserID)))}, nil
		}
		return Reply{}, err
	}
	return Reply{Ephemeral: true, Content: fmt.Sprintf("🩺 I'll remind you to check in %s, by direct message.", b.relative(at, b.userLocation(ctx, in.UserID)))}, nil
}
