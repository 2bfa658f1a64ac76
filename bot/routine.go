package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/lang"
)

// Bounds of a routine.
const (
	defaultRoutine = 10 * time.Minute
	minRoutine     = time.Minute
	maxRoutine     = 30 * time.Minute
	// maxRounds is how often one stretch may come up in a routine: when
	// few stretches fit, the routine goes round them again, at most this
	// often, rather than fill the minutes with one stretch.
	maxRounds = 3
	// settleTime is the time to get into and out of a stretch, added to
	// its holds when a routine is planned.
	settleTime = 15 * time.Second
	// planDigits are the characters a plan writes catalogue positions
	// with, one each.
	planDigits = "0123456789abcdefghijklmnopqrstuvwxyz"
	// maxSteps keeps a routine's custom_ids within Discord's 100
	// characters (the plan is one of their arguments).
	maxSteps = 40
)

// Moves of a routine's buttons.
const (
	moveHold = "hold" // start the hold of a side
	moveDone = "done" // log the step's stretch and go on
	moveNext = "next" // go on without logging
	moveStop = "stop"
)

// routineState is what a routine's buttons carry: whose it is, the
// planned stretches (catalogue positions), the step, the side being held
// and how many were logged.
type routineState struct {
	owner  string
	plan   string
	step   int
	side   int
	logged int
}

func (r routineState) button(label, move string, style ButtonStyle) Button {
	return Button{Label: label, Style: style, ID: customid.Make(customid.Routine, r.owner, r.plan,
		strconv.Itoa(r.step), strconv.Itoa(r.side), strconv.Itoa(r.logged), move)}
}

// title is the card title of the state's step: "2 of 5: Knee hug".
func (r routineState) title(p *lang.Printer, name string) string {
	return p.T("routine.title", "Step", r.step+1, "Steps", len(r.plan), "Name", name)
}

// stretchAt returns the stretch of step i of the plan.
func (b *Bot) stretchAt(plan string, i int) (stretchbot.Stretch, bool) {
	if i < 0 || i >= len(plan) {
		return stretchbot.Stretch{}, false
	}
	n := strings.IndexByte(planDigits, plan[i])
	if n < 0 || n >= len(b.cfg.Catalog.Stretches) {
		return stretchbot.Stretch{}, false
	}
	return b.cfg.Catalog.Stretches[n], true
}

// takes is how long a stretch takes in a routine: each side's longest
// hold, and time to settle in.
func takes(s stretchbot.Stretch) time.Duration {
	return time.Duration(s.Sides()*s.HoldMax)*time.Second + settleTime
}

// stretchRoutine plans stretches that fit the person, in the order of
// their rotation, until the minutes are used (at least one), and shows
// the first.
func (b *Bot) stretchRoutine(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	length := defaultRoutine
	if m := in.Option("minutes"); m != "" {
		n, err := strconv.Atoi(m)
		if d := time.Duration(n) * time.Minute; err != nil || d < minRoutine || d > maxRoutine {
			return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "routine.minutes",
				"Min", int(minRoutine/time.Minute), "Max", int(maxRoutine/time.Minute), "Default", int(defaultRoutine/time.Minute))
		}
		length = time.Duration(n) * time.Minute
	}
	f, err := filterOptions(in)
	if err != nil {
		return Reply{}, err
	}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	if u, err = b.rememberKit(ctx, u, f); err != nil {
		return Reply{}, err
	}
	offer, err := b.offer(ctx, u, f)
	if err != nil {
		return Reply{}, err
	}
	if offer.Held() {
		return heldReply(p, in.UserID), nil
	}
	plan, total, distinct := b.planRoutine(offer, u.Recent, length)
	if len(plan) == 0 {
		return Reply{}, offerError(p, offer)
	}
	r := b.routineStep(p, routineState{owner: in.UserID, plan: plan})
	r.Ephemeral = true
	r.Content = p.T("routine.intro", "Stretches", stretchbot.Count(p, len(plan), stretchbot.NounStretch),
		"Duration", stretchbot.HumanDuration(p, max(total.Round(time.Minute), time.Minute)),
		"Next", p.T("routine.button.next"), "Stop", p.T("routine.button.stop"))
	if distinct < len(plan) {
		r.Content += " " + p.T("routine.rounds", "Stretches", stretchbot.Count(p, distinct, stretchbot.NounStretch))
	}
	if note := offer.Note(p); note != "" {
		r.Content += "\n\n" + note
	}
	return r, nil
}

// planRoutine picks the stretches of a routine of about length: those
// the offer allows, in the order of the person's rotation (recent, oldest
// first), round after round (at most maxRounds) while the minutes last,
// and always at least one. It returns the plan (catalogue positions in
// planDigits), how long it takes, and how many different stretches it has.
func (b *Bot) planRoutine(offer stretchbot.StretchOffer, recent []string, length time.Duration) (plan string, total time.Duration, distinct int) {
	index := map[string]int{}
	for i, s := range b.cfg.Catalog.Stretches {
		index[s.ID] = i
	}
	recent = slices.Clone(recent)
	times := map[string]int{}
	var steps []byte
	for len(steps) < maxSteps {
		s, ok := offer.Next(recent)
		if !ok || index[s.ID] >= len(planDigits) || times[s.ID] == maxRounds {
			break // nothing (more) fits
		}
		if len(steps) > 0 && total+takes(s) > length {
			break
		}
		steps = append(steps, planDigits[index[s.ID]])
		total += takes(s)
		times[s.ID]++
		recent = append(recent, s.ID)
	}
	return string(steps), total, len(times)
}

// routineStep shows the stretch of the state's step with the routine's
// buttons.
func (b *Bot) routineStep(p *lang.Printer, st routineState) Reply {
	s, _ := b.stretchAt(st.plan, st.step)
	card := stretchCard(p, s)
	card.Title = st.title(p, s.In(p).Name)
	st.side = 1
	r := Reply{Cards: []Card{card}, Rows: [][]Button{{
		st.button(p.T("routine.button.start"), moveHold, Primary),
		st.button(p.T("routine.button.done"), moveDone, Success),
		st.button(p.T("routine.button.next"), moveNext, Secondary),
		st.button(p.T("routine.button.stop"), moveStop, Danger),
	}}}
	b.addPictures(&r, s, "", false)
	return r
}

// clickRoutine moves a routine on: a hold, a logged stretch, the next
// step, or the end.
func (b *Bot) clickRoutine(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	p := in.Lang()
	st := routineState{owner: in.UserID, plan: id.Args[1]}
	var err1, err2, err3 error
	st.step, err1 = strconv.Atoi(id.Args[2])
	st.side, err2 = strconv.Atoi(id.Args[3])
	st.logged, err3 = strconv.Atoi(id.Args[4])
	s, ok := b.stretchAt(st.plan, st.step)
	if err1 != nil || err2 != nil || err3 != nil || !ok || st.side < 1 || st.side > s.Sides() || st.logged < 0 || st.logged > st.step {
		return Reply{}, customid.ErrExpired
	}
	move := id.Args[5]
	if move == moveStop {
		return Reply{Update: true, Content: p.T("routine.stopped", "Step", st.step, "Steps", len(st.plan),
			"Stretches", stretchbot.Count(p, st.logged, stretchbot.NounStretch))}, nil
	}
	// Held back since the routine began, or left out by a check-in
	// since: it stops showing stretches.
	if _, refusal, err := b.mayShow(ctx, p, in.UserID, s, stretchbot.Filter{}); err != nil || refusal != nil {
		return deref(refusal), err
	}
	var progress string
	switch move {
	case moveHold:
		return b.routineHold(ctx, p, st, s), nil
	case moveDone:
		text, err := b.logCompletion(ctx, p, in.UserID, s.ID, stretchbot.SourceButton)
		if err != nil {
			return Reply{}, err
		}
		st.logged++
		progress = text
	case moveNext:
	default:
		return Reply{}, customid.ErrExpired
	}
	st.step, st.side = st.step+1, 1
	if st.step == len(st.plan) {
		if st.logged == 0 {
			return Reply{Update: true, Content: p.T("routine.finished_nothing")}, nil
		}
		return Reply{Update: true, Content: p.T("routine.finished",
			"Stretches", stretchbot.Count(p, st.logged, stretchbot.NounStretch), "Progress", progress)}, nil
	}
	r := b.routineStep(p, st)
	r.Update = true
	if progress != "" {
		r.Content = p.T("routine.logged", "Name", s.In(p).Name, "Progress", progress)
	}
	return r, nil
}

// routineHold is the countdown of one side of a routine's stretch.
func (b *Bot) routineHold(ctx context.Context, p *lang.Printer, st routineState, s stretchbot.Stretch) Reply {
	card, countdown := b.holdCard(ctx, p, st.owner, s, st.side)
	card.Title = st.title(p, card.Title)
	var first Button
	if st.side < s.Sides() {
		card.Footer = p.T("routine.switch", "Button", p.T("routine.button.other_side"))
		next := st
		next.side++
		first = next.button(p.T("routine.button.other_side"), moveHold, Primary)
	} else {
		card.Footer = p.T("routine.done_hint", "Button", p.T("routine.button.done"))
		first = st.button(p.T("routine.button.done"), moveDone, Success)
	}
	countdown.Done = p.T("routine.time_up", "Next", card.Footer)
	r := Reply{Update: true, Cards: []Card{card}, Countdown: countdown, Rows: [][]Button{{
		first, st.button(p.T("routine.button.next"), moveNext, Secondary), st.button(p.T("routine.button.stop"), moveStop, Danger),
	}}}
	b.addPictures(&r, s, "", true)
	return r
}
