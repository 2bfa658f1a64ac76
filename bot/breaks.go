package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/lang"
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
	p := in.Lang()
	if w.OneTime() {
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "break.repeats")
	}
	// The break posts in the server's language, whoever set it.
	s := stretchbot.Schedule{Owner: in.UserID, GuildID: in.GuildID, ChannelID: in.ChannelID, Kind: stretchbot.KindBreak, Spec: spec, TimeZone: loc.String(), Created: b.now(), Locale: in.GuildLocale}
	if err := b.addSchedule(ctx, &s); err != nil {
		if dup, ok := stretchbot.AsDuplicate(err); ok {
			return Reply{}, stretchbot.Fail(stretchbot.ECONFLICT, "break.duplicate", "ID", dup.Existing.ID, "Break", dup.Existing.Describe(p))
		}
		return Reply{}, err
	}
	text := "🧘 " + p.T("break.set", "ID", s.ID, "Break", s.Describe(p))
	if next, ok := b.cfg.Scheduler.NextFire(s.ID); ok {
		text += "\n" + p.T("break.first", "When", b.full(p, next, loc), "Relative", b.relative(p, next, loc))
	}
	if w := b.zoneWarning(p, loc); w != "" {
		text += "\n" + w
	}
	return message(text), nil
}

func (b *Bot) breakList(ctx context.Context, in Interaction) (Reply, error) {
	list, err := b.guildBreaks(ctx, in.GuildID)
	if err != nil {
		return Reply{}, err
	}
	p := in.Lang()
	if len(list) == 0 {
		return message(p.T("break.list.none")), nil
	}
	var lines []string
	for _, s := range list {
		line := "**#" + strconv.FormatUint(s.ID, 10) + "** " + p.T("break.list.in_channel", "Break", s.Describe(p), "Channel", "<#"+s.ChannelID+">")
		if b.cfg.Console {
			line = fmt.Sprintf("#%d %s", s.ID, s.Describe(p))
		}
		lines = append(lines, line)
	}
	return Reply{Ephemeral: true, Cards: []Card{{Title: p.T("break.list.title"), Description: strings.Join(lines, "\n"), Color: colorInfo}}}, nil
}

func (b *Bot) breakRemove(ctx context.Context, in Interaction) (Reply, error) {
	id, err := strconv.ParseUint(in.Option("id"), 10, 64)
	if err != nil {
		return Reply{}, stretchbot.Fail(stretchbot.EINVALID, "break.remove.which")
	}
	err = b.removeSchedule(ctx, id,
		func(s stretchbot.Schedule) bool { return s.GuildID == in.GuildID && s.Kind == stretchbot.KindBreak },
		stretchbot.Fail(stretchbot.ENOTFOUND, "break.remove.none", "ID", id))
	if err != nil {
		return Reply{}, err
	}
	return message("🗑 " + in.Lang().T("break.removed", "ID", id)), nil
}

// breakPositions are the places a break offers a stretch for, in the
// order of its buttons (at a desk first), with their message ids.
var breakPositions = []struct {
	position stretchbot.Position
	label    string
}{
	{stretchbot.PositionChair, "break.mine.chair"},
	{stretchbot.PositionFloor, "break.mine.floor"},
}

// breakMessage is what a channel sees when a break starts: an invitation,
// not a stretch, since one stretch cannot suit everyone; each person
// presses for their own, and "I did it" keeps the tally.
//
// It is in the language of the break's server (s.Locale), whoever clicks.
func (b *Bot) breakMessage(s stretchbot.Schedule, at time.Time, count int) Reply {
	p := lang.For(s.Locale)
	sid, occ := strconv.FormatUint(s.ID, 10), strconv.FormatInt(at.Unix(), 10)
	var row []Button
	for _, pos := range breakPositions {
		row = append(row, Button{Label: p.T(pos.label), ID: customid.Make(customid.Mine, sid, occ, stretchbot.Filter{Position: pos.position}.Token()), Style: Primary})
	}
	label := p.T("break.did_it")
	if count > 0 {
		label = fmt.Sprintf("%s (%d)", label, count)
	}
	row = append(row, Button{Label: label, ID: customid.Make(customid.Break, sid, occ), Style: Success})
	return Reply{
		Content: "🧘 " + p.T("break.post.title"),
		Cards:   []Card{{Title: p.T("break.post.card"), Description: p.T("break.post.invite") + "\n\n" + p.T("break.post.spasm"), Color: colorStretch}},
		Rows:    [][]Button{row},
	}
}

// breakOccurrence reads and checks the break and occurrence a break
// button names: a break that exists, in the server of the click, posted
// within the last day.
func (b *Bot) breakOccurrence(ctx context.Context, in Interaction, id customid.ID) (stretchbot.Schedule, time.Time, error) {
	expired := stretchbot.Fail(stretchbot.EINVALID, "break.ended")
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
		return Reply{Ephemeral: true, Content: in.Lang().T("break.counted") + " 🙌"}, nil
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
	s, _, err := b.breakOccurrence(ctx, in, id)
	if err != nil {
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
	p := in.Lang()
	st, ok := offer.Next(u.Recent)
	if !ok {
		return Reply{}, offerError(p, offer)
	}
	r := b.stretchReply(p, st, c, offer)
	r.Ephemeral = true
	r.Content = strings.TrimSpace(p.T("break.yours", "Button", lang.For(s.Locale).T("break.did_it")) + "\n\n" + offer.Note(p))
	return r, nil
}

func (b *Bot) breakStats(ctx context.Context, in Interaction) (Reply, error) {
	list, err := b.guildBreaks(ctx, in.GuildID)
	if err != nil {
		return Reply{}, err
	}
	p := in.Lang()
	if len(list) == 0 {
		return message(p.T("break.stats.none")), nil
	}
	stats, err := b.cfg.Store.BreakStats(ctx, in.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("break stats of %s: %w", in.GuildID, err)
	}
	var lines []string
	for _, s := range list {
		st := stats[s.ID]
		lines = append(lines, "#"+strconv.FormatUint(s.ID, 10)+" "+p.T("break.stats.line", "Break", s.Describe(p), "Breaks", stretchbot.Count(p, st.Occurrences, stretchbot.NounBreak), "Marks", stretchbot.Count(p, st.Clicks, stretchbot.NounCheckMark)))
	}
	return Reply{Ephemeral: true, Cards: []Card{{Title: p.T("break.stats.title"), Description: strings.Join(lines, "\n"), Color: colorInfo, Footer: p.T("break.stats.footer")}}}, nil
}
