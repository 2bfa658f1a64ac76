package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
)

func (b *Bot) guildBreaks(ctx context.Context, guildID string) ([]stretchbot.Schedule, error) {
	all, err := b.cfg.Store.SchedulesByGuild(ctx, guildID)
	if err != nil {
		return nil, fmt.Errorf("list breaks of guild %s: %w", guildID, err)
	}
	return ofKind(all, stretchbot.KindBreak), nil
}

func (b *Bot) breakSet(ctx context.Context, in Interaction) (Reply, error) {
	w, spec, loc, err := b.whenOptions(ctx, in)
	if err != nil {
		return Reply{}, err
	}
	if w.OneTime() {
		return Reply{}, stretchbot.Errorf(stretchbot.EINVALID, "A stretch break repeats. Give a time of day such as 15:00, and days: if not every day.")
	}
	s := stretchbot.Schedule{Owner: in.UserID, GuildID: in.GuildID, ChannelID: in.ChannelID, Kind: stretchbot.KindBreak, Spec: spec, TimeZone: loc.String(), Created: b.now()}
	if err := b.addSchedule(ctx, &s); err != nil {
		if dup, ok := stretchbot.AsDuplicate(err); ok {
			return Reply{}, stretchbot.Errorf(stretchbot.ECONFLICT, "This channel already has that stretch break: #%d %s. /stretchbreak list shows them all.", dup.Existing.ID, dup.Existing.Describe())
		}
		return Reply{}, err
	}
	text := fmt.Sprintf("🧘 Stretch break #%d set for this channel: %s.", s.ID, s.Describe())
	if next, ok := b.cfg.Scheduler.NextFire(s.ID); ok {
		text += fmt.Sprintf("\nFirst one: %s (%s).", b.full(next, loc), b.relative(next, loc))
	}
	if w := b.zoneWarning(loc); w != "" {
		text += "\n" + w
	}
	return message(text), nil
}

func (b *Bot) breakList(ctx context.Context, in Interaction) (Reply, error) {
	list, err := b.guildBreaks(ctx, in.GuildID)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return message("No stretch breaks on this server yet. Add one with `/stretchbreak set time:15:00`."), nil
	}
	var lines []string
	for _, s := range list {
		line := fmt.Sprintf("**#%d** %s in <#%s>", s.ID, s.Describe(), s.ChannelID)
		if b.cfg.Console {
			line = fmt.Sprintf("#%d %s", s.ID, s.Describe())
		}
		lines = append(lines, line)
	}
	return Reply{Ephemeral: true, Cards: []Card{{Title: "Stretch breaks", Description: strings.Join(lines, "\n"), Color: colorInfo}}}, nil
}

func (b *Bot) breakRemove(ctx context.Context, in Interaction) (Reply, error) {
	id, err := strconv.ParseUint(in.Option("id"), 10, 64)
	if err != nil {
		return Reply{}, stretchbot.Errorf(stretchbot.EINVALID, "Give the break's number from /stretchbreak list.")
	}
	err = b.removeSchedule(ctx, id,
		func(s stretchbot.Schedule) bool { return s.GuildID == in.GuildID && s.Kind == stretchbot.KindBreak },
		stretchbot.Errorf(stretchbot.ENOTFOUND, "This server has no stretch break #%d. See /stretchbreak list.", id))
	if err != nil {
		return Reply{}, err
	}
	return message(fmt.Sprintf("🗑 Stretch break #%d removed.", id)), nil
}

// Texts of stretch breaks, in one place.
const (
	textBreakTitle    = "🧘 Stretch break!"
	textBreakCard     = "Stretch break"
	textBreakInvite   = "Time for a short break, everyone. Press a button below for a stretch that suits you: where you are, what you have and how your back is. Only you will see it."
	textBreakSpasm    = "In a spasm right now? Rest in the position that eases it most instead; `/stretch now spasm:true` shows the gentle ones when you are ready."
	textBreakMine     = "My stretch: %s"
	textBreakDidIt    = "I did it"
	textBreakYours    = "Your stretch for this break."
	textBreakDoneHint = "When you're done, press I did it on the break post so you're counted."
	textBreakEnded    = "This stretch break has ended. Catch the next one!"
	textBreakCounted  = "You are already counted for this break. 🙌"
)

// breakPositions are the places a break offers a stretch for, in the
// order of its buttons: at a desk first.
var breakPositions = []struct {
	position stretchbot.Position
	label    string
}{
	{stretchbot.PositionChair, "in my chair"},
	{stretchbot.PositionFloor, "on the floor"},
}

// breakMessage is what a channel sees when a break starts: an invitation,
// not a stretch, since one stretch cannot suit everyone; each person
// presses for their own, and "I did it" keeps the tally.
func (b *Bot) breakMessage(s stretchbot.Schedule, at time.Time, count int) Reply {
	sid, occ := strconv.FormatUint(s.ID, 10), strconv.FormatInt(at.Unix(), 10)
	var row []Button
	for _, p := range breakPositions {
		row = append(row, Button{Label: fmt.Sprintf(textBreakMine, p.label), ID: customid.Make(customid.Mine, sid, occ, stretchbot.Filter{Position: p.position}.Token()), Style: Primary})
	}
	label := textBreakDidIt
	if count > 0 {
		label = fmt.Sprintf("%s (%d)", textBreakDidIt, count)
	}
	row = append(row, Button{Label: label, ID: customid.Make(customid.Break, sid, occ), Style: Success})
	return Reply{
		Content: textBreakTitle,
		Cards:   []Card{{Title: textBreakCard, Description: textBreakInvite + "\n\n" + textBreakSpasm, Color: colorStretch}},
		Rows:    [][]Button{row},
	}
}

// breakOccurrence reads and checks the break and occurrence a break
// button names: a break that exists, in the server of the click, posted
// within the last day.
func (b *Bot) breakOccurrence(ctx context.Context, in Interaction, id customid.ID) (stretchbot.Schedule, time.Time, error) {
	expired := stretchbot.Errorf(stretchbot.EINVALID, textBreakEnded)
	sid, ok1 := id.Uint(0)
	unix, ok2 := id.Uint(1)
	if !ok1 || !ok2 {
		return stretchbot.Schedule{}, time.Time{}, expired
	}
	occ := time.Unix(int64(unix), 0).UTC()
	if b.now().Sub(occ) > 24*time.Hour || occ.After(b.now().Add(time.Minute)) {
		return stretchbot.Schedule{}, time.Time{}, expired
	}
	s, err := b.cfg.Store.Schedule(ctx, sid)
	if stretchbot.ErrorCode(err) == stretchbot.ENOTFOUND || (err == nil && s.Kind != stretchbot.KindBreak) {
		return stretchbot.Schedule{}, time.Time{}, expired
	}
	if err != nil {
		return stretchbot.Schedule{}, time.Time{}, fmt.Errorf("load break %d: %w", sid, err)
	}
	// The button is on the break's message in its server, for an
	// occurrence that was posted: a click from anywhere else (a DM, another
	// server) or for an occurrence still to come is not this break's.
	if in.GuildID == "" || in.GuildID != s.GuildID {
		return stretchbot.Schedule{}, time.Time{}, expired
	}
	last, err := b.cfg.Store.LastFired(ctx, sid)
	if err != nil {
		return stretchbot.Schedule{}, time.Time{}, fmt.Errorf("last occurrence of break %d: %w", sid, err)
	}
	if last.IsZero() || occ.After(last) {
		return stretchbot.Schedule{}, time.Time{}, expired
	}
	return s, occ, nil
}

func (b *Bot) clickBreak(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	s, occ, err := b.breakOccurrence(ctx, in, id)
	if err != nil {
		return Reply{}, err
	}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	if u.Paused == stretchbot.PauseCheckIn {
		// Held by an urgent check-in: no stretch, so none is logged either.
		return heldReply(in.Lang(), in.UserID), nil
	}
	counted, total, err := b.cfg.Store.RecordBreakClick(ctx, s.ID, occ, in.UserID, b.now())
	if err != nil {
		return Reply{}, fmt.Errorf("record break click: %w", err)
	}
	if !counted {
		// Counted once per person: tell only this person, leave the message.
		return Reply{Ephemeral: true, Content: textBreakCounted}, nil
	}
	r := b.breakMessage(s, occ, total)
	r.Update = true
	return r, nil
}

// clickMine answers "My stretch" on a break post with a stretch for the
// person who pressed, seen only by them: where they said they are, the
// equipment they have, within their safety limits (none while an urgent
// check-in holds stretches back). Its card has no Done: the break's
// "I did it" logs it, once.
func (b *Bot) clickMine(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	if _, _, err := b.breakOccurrence(ctx, in, id); err != nil {
		return Reply{}, err
	}
	f, ok := stretchbot.ParseToken(id.Args[2])
	if !ok {
		return Reply{}, customid.ErrExpired
	}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	c := cardState{owner: in.UserID, filter: f, fromBreak: true}
	offer, err := b.offer(ctx, u, c.filter)
	if err != nil {
		return Reply{}, err
	}
	if offer.Held() {
		return heldReply(in.Lang(), in.UserID), nil
	}
	st, ok := offer.Next(u.Recent)
	if !ok {
		return Reply{}, offerError(offer)
	}
	r := b.stretchReply(st, c, offer)
	r.Ephemeral = true
	r.Content = strings.TrimSpace(textBreakYours + " " + textBreakDoneHint + "\n\n" + offer.Note(in.Lang()))
	return r, nil
}

func (b *Bot) breakStats(ctx context.Context, in Interaction) (Reply, error) {
	list, err := b.guildBreaks(ctx, in.GuildID)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return message("No stretch breaks on this server yet."), nil
	}
	stats, err := b.cfg.Store.BreakStats(ctx, in.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("break stats of %s: %w", in.GuildID, err)
	}
	var lines []string
	for _, s := range list {
		st := stats[s.ID]
		lines = append(lines, fmt.Sprintf("#%d %s: %s joined, %s in all", s.ID, s.Describe(), stretchbot.Count(in.Lang(), st.Occurrences, stretchbot.NounBreak), stretchbot.Count(in.Lang(), st.Clicks, stretchbot.NounCheckMark)))
	}
	return Reply{Ephemeral: true, Cards: []Card{{Title: "Stretch break participation", Description: strings.Join(lines, "\n"), Color: colorInfo, Footer: "Counts only: no names are kept for this view."}}}, nil
}
