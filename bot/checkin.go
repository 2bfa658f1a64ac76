package bot

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/lang"
)

// inflammatoryEvery is how often check-in question Q11 is asked.
const inflammatoryEvery = 7 * 24 * time.Hour

// checkInRetention is how long check-in records are kept.
const checkInRetention = 90 * 24 * time.Hour

var errCheckInExpired = stretchbot.Fail(stretchbot.EINVALID, "checkin.expired")

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
	p := in.Lang()
	r := b.checkInQuestion(p, flow, in.UserID)
	r.Content = stretchbot.CheckInIntro(p)
	return r, nil
}

// checkInQuestion renders the flow's next question with one button per
// answer. The buttons carry the whole state of the flow, so nothing is kept
// on the server between clicks and a restart loses nothing.
func (b *Bot) checkInQuestion(p *lang.Printer, flow stretchbot.CheckInFlow, owner string) Reply {
	q, _ := flow.Question(p)
	state := flow.Encode()
	var buttons []Button
	for _, c := range q.Choices {
		style := Secondary
		buttons = append(buttons, Button{Label: c.Label, ID: customid.Make(customid.CheckIn, owner, state, strconv.Itoa(c.Value)), Style: style})
	}
	return Reply{
		Ephemeral: true,
		Cards:     []Card{{Title: p.T("checkin.title"), Description: q.Prompt, Color: colorInfo, Footer: q.Kept}},
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
		r := b.checkInQuestion(in.Lang(), flow, in.UserID)
		r.Update = true
		return r, nil
	}
	return b.checkInResult(ctx, in, flow)
}

// checkInResult assesses a finished flow, keeps the minimum (time, age band,
// pain, tier, rule version; never the other answers) and renders the result.
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
	a := stretchbot.Assess(flow.CheckIn(), history)
	var held bool
	u, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		held = u.Paused == stretchbot.PauseCheckIn
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
	rec := flow.Record(in.UserID, now, a)
	if err := b.cfg.Store.AddCheckIn(ctx, rec); err != nil {
		return Reply{}, fmt.Errorf("save check-in of %s: %w", in.UserID, err)
	}
	res := stretchbot.CheckInResult{
		Assessment:  a,
		Record:      rec,
		ProfileKept: u.Profile != nil,
		Held:        held,
		Offer:       b.cfg.Catalog.Offer(u, &rec, stretchbot.Filter{}, now),
	}
	if held {
		if e := earlierUrgent(past); e != nil {
			res.Earlier, res.EarlierWhen = e, b.date(in.Lang(), e.At, locationOf(u))
		}
	}
	color := map[stretchbot.Tier]int{
		stretchbot.TierEmergency:      colorEmergency,
		stretchbot.TierSeeDoctorToday: colorUrgent,
		stretchbot.TierSeeDoctorSoon:  colorWarning,
		stretchbot.TierSelfCare:       colorStretch,
	}[a.Tier]
	p := in.Lang()
	heading := res.Heading(p)
	if a.Tier == stretchbot.TierEmergency {
		heading = "🚨 " + heading
	}
	r := Reply{Update: true, Ephemeral: true, Cards: []Card{{Title: heading, Description: res.Body(p), Color: color}}}
	var row []Button
	for _, act := range res.Actions() {
		row = append(row, b.checkInActionButton(p, act, in.UserID, a))
	}
	if len(row) > 0 {
		r.Rows = [][]Button{row}
	}
	return r, nil
}

// earlierUrgent returns the newest emergency or "today" result among recs
// (oldest first): the one holding stretches back, while its record is kept.
func earlierUrgent(recs []stretchbot.CheckInRecord) *stretchbot.CheckInRecord {
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Tier >= stretchbot.TierSeeDoctorToday {
			return &recs[i]
		}
	}
	return nil
}

// checkInActionButton is the button for one action of a result.
func (b *Bot) checkInActionButton(p *lang.Printer, act stretchbot.CheckInAction, owner string, a stretchbot.Assessment) Button {
	switch act {
	case stretchbot.ActionStretchNow:
		return Button{Label: act.Label(p), ID: customid.Make(customid.Now, owner), Style: Success}
	case stretchbot.ActionRecheck:
		return Button{Label: act.Label(p), ID: customid.Make(customid.Recheck, owner, strconv.Itoa(int(a.Recheck.Hours()))), Style: Secondary}
	}
	return clearedButton(p, owner)
}

// clearedButton is "I've been checked by a clinician".
func clearedButton(p *lang.Printer, owner string) Button {
	return Button{Label: stretchbot.ClearedLabel(p), ID: customid.Make(customid.Cleared, owner), Style: Success}
}

// heldReply answers anything that would show a stretch while an urgent
// check-in result holds stretches back, with the button that lifts it.
func heldReply(p *lang.Printer, owner string) Reply {
	return Reply{Ephemeral: true, Content: stretchbot.HeldText(p), Rows: [][]Button{{clearedButton(p, owner)}}}
}

// clickCleared lifts the hold of an urgent check-in result: the person says
// a clinician has checked them. Pressing it twice is harmless.
func (b *Bot) clickCleared(ctx context.Context, in Interaction) (Reply, error) {
	u, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		if u.Paused == stretchbot.PauseCheckIn {
			u.Paused, u.PausedUntil = stretchbot.PauseNone, time.Time{}
		}
		return nil
	})
	if err != nil {
		return Reply{}, fmt.Errorf("lift check-in hold of %s: %w", in.UserID, err)
	}
	offer, err := b.offer(ctx, u, stretchbot.Filter{})
	if err != nil {
		return Reply{}, err
	}
	p := in.Lang()
	r := Reply{Ephemeral: true, Content: "▶️ " + stretchbot.ClearedText(p)}
	if offer.Any() {
		r.Rows = [][]Button{{{Label: stretchbot.ActionStretchNow.Label(p), ID: customid.Make(customid.Now, in.UserID), Style: Success}}}
	} else if !offer.Held() {
		r.Content += "\n\n" + offer.Empty(p)
	}
	return r, nil
}

// offer is which stretches u may be offered now with the choices f: the
// one place the bot asks (stretchbot.Catalog.Offer), with u's last check-in.
func (b *Bot) offer(ctx context.Context, u stretchbot.User, f stretchbot.Filter) (stretchbot.StretchOffer, error) {
	recs, err := b.cfg.Store.CheckIns(ctx, u.ID)
	if err != nil {
		return stretchbot.StretchOffer{}, fmt.Errorf("load check-ins of %s: %w", u.ID, err)
	}
	return b.cfg.Catalog.Offer(u, stretchbot.LastCheckIn(recs), f, b.now()), nil
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
	p := in.Lang()
	at := b.now().Add(time.Duration(hours) * time.Hour)
	s := stretchbot.Schedule{Owner: in.UserID, Kind: stretchbot.KindCheckIn, At: at, TimeZone: "UTC", Created: b.now()}
	if err := b.addSchedule(ctx, &s); err != nil {
		if dup, ok := stretchbot.AsDuplicate(err); ok {
			return Reply{Ephemeral: true, Content: "🩺 " + p.T("checkin.recheck.duplicate", "When", b.relative(p, dup.Existing.At, b.userLocation(ctx, in.UserID)))}, nil
		}
		return Reply{}, err
	}
	return Reply{Ephemeral: true, Content: "🩺 " + p.T("checkin.recheck.set", "When", b.relative(p, at, b.userLocation(ctx, in.UserID)))}, nil
}
