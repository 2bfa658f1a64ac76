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
	spec, loc, err := b.timeAndDays(ctx, in)
	if err != nil {
		return Reply{}, err
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

// breakMessage is what a channel sees when a break starts.
func (b *Bot) breakMessage(s stretchbot.Schedule, at time.Time, count int) Reply {
	st, _ := b.cfg.Catalog.Next(nil, stretchbot.Filter{Position: stretchbot.PositionChair})
	card := stretchCard(st)
	card.Title = "Stretch break: " + st.Name
	card.Description = "Time for a short break, everyone. " + st.Summary
	label := "I did it"
	if count > 0 {
		label = fmt.Sprintf("I did it (%d)", count)
	}
	r := Reply{
		Content: "🧘 Stretch break!",
		Cards:   []Card{card},
		Rows:    [][]Button{{{Label: label, ID: customid.Make(customid.Break, strconv.FormatUint(s.ID, 10), strconv.FormatInt(at.Unix(), 10)), Style: Success}}},
	}
	b.addPictures(&r, st, stretchbot.PositionChair, false)
	return r
}

func (b *Bot) clickBreak(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	expired := stretchbot.Errorf(stretchbot.EINVALID, "This stretch break has ended. Catch the next one!")
	sid, ok1 := id.Uint(0)
	unix, ok2 := id.Uint(1)
	if !ok1 || !ok2 {
		return Reply{}, expired
	}
	occ := time.Unix(int64(unix), 0).UTC()
	if b.now().Sub(occ) > 24*time.Hour || occ.After(b.now().Add(time.Minute)) {
		return Reply{}, expired
	}
	s, err := b.cfg.Store.Schedule(ctx, sid)
	if stretchbot.ErrorCode(err) == stretchbot.ENOTFOUND || (err == nil && s.Kind != stretchbot.KindBreak) {
		return Reply{}, expired
	}
	if err != nil {
		return Reply{}, fmt.Errorf("load break %d: %w", sid, err)
	}
	counted, total, err := b.cfg.Store.RecordBreakClick(ctx, sid, occ, in.UserID, b.now())
	if err != nil {
		return Reply{}, fmt.Errorf("record break click: %w", err)
	}
	if !counted {
		// Counted once per person: tell only this person, leave the message.
		return Reply{Ephemeral: true, Content: "You are already counted for this break. 🙌"}, nil
	}
	r := b.breakMessage(s, occ, total)
	r.Update = true
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
		lines = append(lines, fmt.Sprintf("#%d %s: %s joined, %s in all", s.ID, s.Describe(), stretchbot.Count(st.Occurrences, stretchbot.NounBreak), stretchbot.Count(st.Clicks, stretchbot.NounCheckMark)))
	}
	return Reply{Ephemeral: true, Cards: []Card{{Title: "Stretch break participation", Description: strings.Join(lines, "\n"), Color: colorInfo, Footer: "Counts only: no names are kept for this view."}}}, nil
}
