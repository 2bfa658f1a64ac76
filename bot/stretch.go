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
	"github.com/stretchbot/stretchbot/pictures"
)

// stretchCard renders a stretch as a card, in p's language.
func stretchCard(p *lang.Printer, s stretchbot.Stretch) Card {
	s = s.In(p)
	var steps strings.Builder
	for i, step := range s.Steps {
		fmt.Fprintf(&steps, "%d. %s\n", i+1, step)
	}
	fields := []Field{
		{Name: p.T("card.steps"), Value: strings.TrimSpace(steps.String())},
		{Name: p.T("card.hold"), Value: s.HoldText(p)},
		{Name: p.T("card.breathe"), Value: s.Breathing},
	}
	if len(s.Cautions) > 0 {
		fields = append(fields, Field{Name: p.T("card.take_care"), Value: "• " + strings.Join(s.Cautions, "\n• ")})
	}
	return Card{
		Title:       s.Name,
		Description: s.Summary,
		Color:       colorStretch,
		Fields:      fields,
		Footer:      p.T("card.footer"),
	}
}

// stretchButtons are the buttons under a stretch: Start, Done (not on a
// break's card: the break's "I did it" logs it), Skip, Clear filters when
// any are in force; the snooze choices on a reminder; then the variants
// the offer allows (so no variant button leads to a stretch that would
// then be refused).
func (b *Bot) stretchButtons(p *lang.Printer, s stretchbot.Stretch, c cardState, offer stretchbot.StretchOffer) [][]Button {
	tok := c.token()
	row := []Button{{Label: p.T("card.start"), ID: customid.Make(customid.Start, s.ID, c.owner, tok), Style: Primary}}
	if !c.fromBreak {
		row = append(row, Button{Label: p.T("card.done"), ID: customid.Make(customid.Done, s.ID, c.owner, tok), Style: Success})
	}
	row = append(row, Button{Label: p.T("card.skip"), ID: customid.Make(customid.Skip, s.ID, c.owner, tok), Style: Secondary})
	if !c.filter.IsDefault() {
		row = append(row, clearButton(p, c))
	}
	rows := [][]Button{row}
	if c.reminder {
		rows = append(rows, b.snoozeButtons(p, c))
	}
	var variants []Button
	base := b.cfg.Catalog.Base(s)
	if base.ID != s.ID && offer.Allows(base) {
		variants = append(variants, Button{Label: p.T("card.basic_version"), ID: customid.Make(customid.Show, base.ID, c.owner, tok), Style: Secondary})
	}
	for _, v := range b.cfg.Catalog.Variants(base.ID) {
		if v.ID != s.ID && offer.Allows(v) {
			variants = append(variants, Button{Label: v.In(p).VariantLabel, ID: customid.Make(customid.Show, v.ID, c.owner, tok), Style: Secondary})
		}
	}
	if len(variants) > 5 {
		variants = variants[:5]
	}
	if len(variants) > 0 {
		rows = append(rows, variants)
	}
	return rows
}

// stretchReply is a stretch card: the stretch, the filters that chose it,
// its buttons, and its picture (the one drawn for where the person is,
// when the stretch has one per place).
func (b *Bot) stretchReply(p *lang.Printer, s stretchbot.Stretch, c cardState, offer stretchbot.StretchOffer) Reply {
	card := stretchCard(p, s)
	card.Fields = append(card.Fields, Field{Name: p.T("card.filters"), Value: filterLine(p, c.filter, offer.Kit())})
	r := Reply{Cards: []Card{card}, Rows: b.stretchButtons(p, s, c, offer)}
	b.addPictures(&r, s, c.filter.Position, false)
	return r
}

// rememberKit records equipment the person chose as equipment they have,
// and returns them as stored.
func (b *Bot) rememberKit(ctx context.Context, u stretchbot.User, f stretchbot.Filter) (stretchbot.User, error) {
	switch f.Equipment {
	case "", stretchbot.EquipmentNone, stretchbot.EquipmentAll:
		return u, nil
	}
	if slices.Contains(u.Equipment, f.Equipment) {
		return u, nil
	}
	u, err := b.cfg.Store.UpdateUser(ctx, u.ID, func(u *stretchbot.User) error {
		u.SaidTheyHave(f.Equipment)
		return nil
	})
	if err != nil {
		return u, fmt.Errorf("remember equipment of %s: %w", u.ID, err)
	}
	return u, nil
}

// addPictures attaches the pictures of s to r and shows them in its first
// card: large inside the card, or, for a thumbnail, the first one small
// beside the card's text.
func (b *Bot) addPictures(r *Reply, s stretchbot.Stretch, pos stretchbot.Position, thumbnail bool) {
	if b.cfg.NoPictures || len(r.Cards) == 0 {
		return
	}
	width := pictures.Large
	if thumbnail {
		width = pictures.Small
	}
	ps := pictures.For(s.ID, pos, width)
	if thumbnail && len(ps) > 1 {
		ps = ps[:1]
	}
	for _, p := range ps {
		r.Files = append(r.Files, File{Name: p.Name, ContentType: "image/png", Data: p.PNG, Description: p.Alt, Picture: true})
		if thumbnail {
			r.Cards[0].Thumbnail = p.Name
		} else {
			r.Cards[0].Images = append(r.Cards[0].Images, p.Name)
		}
	}
}

// offerError is the refusal when an offer has no stretch: why, in words.
func offerError(p *lang.Printer, offer stretchbot.StretchOffer) error {
	return &stretchbot.Error{Code: stretchbot.ENOTFOUND, Message: offer.Empty(p)}
}

func (b *Bot) stretchNow(ctx context.Context, in Interaction) (Reply, error) {
	c := cardState{owner: in.UserID}
	if in.Kind == KindButton {
		// "Another stretch" and the check-in's "Stretch now": the filters
		// of the card it is on, if any.
		id, err := customid.Parse(in.CustomID)
		if err != nil {
			return Reply{}, err
		}
		c = cardOf(in, id)
	} else {
		f, err := filterOptions(in)
		if err != nil {
			return Reply{}, err
		}
		c.filter = f
	}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	if u, err = b.rememberKit(ctx, u, c.filter); err != nil {
		return Reply{}, err
	}
	offer, err := b.offer(ctx, u, c.filter)
	if err != nil {
		return Reply{}, err
	}
	if offer.Held() {
		// A check-in said to get checked before stretching on: stretches
		// wait until the person says a clinician has seen them.
		return heldReply(in.Lang(), in.UserID), nil
	}
	s, ok := offer.Next(u.Recent)
	if !ok {
		return Reply{}, offerError(in.Lang(), offer)
	}
	p := in.Lang()
	r := b.stretchReply(p, s, c, offer)
	share := boolOption(in, "share") && in.Kind == KindCommand
	var notes []string
	if share && in.UserInstallContext() {
		share = false
		notes = append(notes, in.Lang().T("bot.reach.share_private"))
	}
	r.Ephemeral = !share
	switch {
	case share:
		// Why stretches are left out names health answers: only for the
		// person, never on a card shared with the channel.
	case in.Kind == KindCommand:
		notes = append(notes, offer.Note(p))
	default:
		// "Stretch now" and "Another stretch" buttons: the full note was
		// on the command already; one line is enough here.
		notes = append(notes, offer.ShortNote(p))
	}
	if c.filter.SpasmSafe {
		notes = append(notes, b.cfg.Catalog.About.In(p).DuringSpasm)
	}
	r.Content = strings.Join(slices.DeleteFunc(notes, func(n string) bool { return n == "" }), "\n\n")
	return r, nil
}

// clickSide starts the hold for one side: the message shows a live
// countdown with Discord's relative timestamp, so no per-second edits.
func (b *Bot) clickSide(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	s, err := b.stretchFromID(id.Args[0])
	if err != nil {
		return Reply{}, err
	}
	c := cardOf(in, id)
	// A card from before a check-in may show a stretch that is now held
	// back or left out: its Start no longer starts it.
	_, refusal, err := b.mayShow(ctx, in.Lang(), in.UserID, s, c.filter)
	if err != nil || refusal != nil {
		return deref(refusal), err
	}
	side := 1
	if id.Action == customid.Side {
		n, err := strconv.Atoi(id.Args[2])
		if err != nil || n < 1 || n > s.Sides() {
			return Reply{}, customid.ErrExpired
		}
		side = n
	}
	p := in.Lang()
	card, countdown := b.holdCard(ctx, p, in.UserID, s, side)
	tok := c.token()
	var row []Button
	switch {
	case side < s.Sides():
		card.Footer = p.T("hold.switch")
		countdown.Done = p.T("hold.up.switch")
		row = append(row, Button{Label: p.T("hold.other_side"), ID: customid.Make(customid.Side, s.ID, in.UserID, strconv.Itoa(side+1), tok), Style: Primary})
	case c.fromBreak:
		hint := p.T("hold.break_hint", "Button", p.T("break.did_it"))
		card.Footer = hint
		countdown.Done = p.T("hold.up.break", "Hint", hint)
	default:
		card.Footer = p.T("hold.done_hint", "Button", p.T("card.done"))
		countdown.Done = p.T("hold.up.done", "Button", p.T("card.done"))
		row = append(row, Button{Label: p.T("card.done"), ID: customid.Make(customid.Done, s.ID, in.UserID, tok), Style: Success})
	}
	row = append(row, Button{Label: p.T("card.skip"), ID: customid.Make(customid.Skip, s.ID, in.UserID, tok), Style: Secondary})
	r := Reply{Update: true, Cards: []Card{card}, Rows: [][]Button{row}, Countdown: countdown}
	b.addPictures(&r, s, c.filter.Position, true)
	return r, nil
}

// holdCard is the screen of one side's hold: the time left as a live
// countdown (Discord's relative timestamp, so no per-second edits) and how
// to breathe. The caller adds the footer and the countdown's end line.
func (b *Bot) holdCard(ctx context.Context, p *lang.Printer, userID string, s stretchbot.Stretch, side int) (Card, *Countdown) {
	end := b.now().Add(time.Duration(s.HoldMax) * time.Second)
	s = s.In(p)
	card := Card{Title: s.Name, Color: colorStretch}
	if s.PerSide {
		card.Title += " — " + p.T("hold.side", "Side", side)
	}
	card.Description = p.T("hold.text", "Hold", s.HoldText(p), "Seconds", stretchbot.Count(p, s.HoldMax, stretchbot.NounSecond),
		"When", b.relative(p, end, b.userLocation(ctx, userID))) + "\n\n" + s.Breathing
	return card, &Countdown{End: end}
}

func (b *Bot) clickDone(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	s, err := b.stretchFromID(id.Args[0])
	if err != nil {
		return Reply{}, err
	}
	p := in.Lang()
	text, err := b.logCompletion(ctx, p, in.UserID, s.ID, stretchbot.SourceButton)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Update: true, Content: "✅ " + p.T("done.logged", "Name", s.In(p).Name) + " " + text,
		Rows: [][]Button{{{Label: p.T("done.another"), ID: customid.Make(customid.Now, in.UserID, cardOf(in, id).token()), Style: Secondary}}}}, nil
}

// logCompletion stores a completion (which moves the rotation on) and
// returns a short progress line.
func (b *Bot) logCompletion(ctx context.Context, lp *lang.Printer, userID, stretchID string, src stretchbot.CompletionSource) (string, error) {
	now := b.now()
	if err := b.cfg.Store.AddCompletion(ctx, stretchbot.Completion{UserID: userID, At: now, StretchID: stretchID, Source: src}); err != nil {
		return "", fmt.Errorf("log completion for %s: %w", userID, err)
	}
	// The store moved the rotation on and counted the completion in the
	// user's progress, in the same transaction.
	u, err := b.cfg.Store.User(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("load user %s: %w", userID, err)
	}
	p, err := b.progressOf(ctx, u)
	if err != nil {
		return "", err
	}
	today := stretchbot.DayOf(now, locationOf(u))
	return lp.T("done.progress", "Streak", days(lp, p.Streak(today, u.Away)), "Today", p.Today(today)), nil
}

func days(p *lang.Printer, n int) string { return stretchbot.Count(p, n, stretchbot.NounDay) }

func (b *Bot) clickSkip(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	skipped, err := b.stretchFromID(id.Args[0])
	if err != nil {
		return Reply{}, err
	}
	c := cardOf(in, id)
	u, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		u.Remember(skipped.ID)
		return nil
	})
	if err != nil {
		return Reply{}, fmt.Errorf("skip for %s: %w", in.UserID, err)
	}
	offer, err := b.offer(ctx, u, c.filter)
	if err != nil {
		return Reply{}, err
	}
	if offer.Held() {
		return heldReply(in.Lang(), in.UserID), nil
	}
	p := in.Lang()
	next, ok := offer.Next(u.Recent)
	if !ok {
		return Reply{}, offerError(p, offer)
	}
	if next.ID == skipped.ID {
		// Skip never shows the same stretch again: it was the only one.
		r := message(stretchbot.OnlyOneText(p))
		if !c.filter.IsDefault() {
			r.Rows = [][]Button{{clearButton(p, c)}}
		}
		return r, nil
	}
	r := b.stretchReply(p, next, c, offer)
	r.Update = true
	return r, nil
}

// clickClear shows the next stretch with the filters cleared, in place of
// the card.
func (b *Bot) clickClear(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	c := cardOf(in, id)
	c.filter = stretchbot.Filter{}
	u, err := b.cfg.Store.User(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
	}
	offer, err := b.offer(ctx, u, c.filter)
	if err != nil {
		return Reply{}, err
	}
	if offer.Held() {
		return heldReply(in.Lang(), in.UserID), nil
	}
	next, ok := offer.Next(u.Recent)
	if !ok {
		return Reply{}, offerError(in.Lang(), offer)
	}
	r := b.stretchReply(in.Lang(), next, c, offer)
	r.Update = true
	return r, nil
}

// mayShow decides whether s may be shown or started for the user now. It
// returns the user's offer (with the card's filters f), or the reply that
// refuses s: held by an urgent check-in, or left out by a safety limit.
// The person's own choices do not refuse a stretch they picked by button.
func (b *Bot) mayShow(ctx context.Context, p *lang.Printer, userID string, s stretchbot.Stretch, f stretchbot.Filter) (stretchbot.StretchOffer, *Reply, error) {
	u, err := b.cfg.Store.User(ctx, userID)
	if err != nil {
		return stretchbot.StretchOffer{}, nil, fmt.Errorf("load user %s: %w", userID, err)
	}
	offer, err := b.offer(ctx, u, f)
	if err != nil {
		return stretchbot.StretchOffer{}, nil, err
	}
	switch {
	case offer.Held():
		r := heldReply(p, userID)
		return offer, &r, nil
	case !offer.Safe(s):
		r := message(stretchbot.LeftOutText(p) + "\n\n" + offer.Note(p))
		return offer, &r, nil
	}
	return offer, nil, nil
}

// deref returns *r, or the zero Reply for nil.
func deref(r *Reply) Reply {
	if r == nil {
		return Reply{}
	}
	return *r
}

func (b *Bot) clickShow(ctx context.Context, in Interaction, id customid.ID) (Reply, error) {
	s, err := b.stretchFromID(id.Args[0])
	if err != nil {
		return Reply{}, err
	}
	c := cardOf(in, id)
	offer, refusal, err := b.mayShow(ctx, in.Lang(), in.UserID, s, c.filter)
	if err != nil || refusal != nil {
		return deref(refusal), err
	}
	r := b.stretchReply(in.Lang(), s, c, offer)
	r.Update = true
	return r, nil
}

func (b *Bot) stretchDone(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	name := in.Option("stretch")
	var s stretchbot.Stretch
	if name != "" {
		var ok bool
		if s, ok = b.findStretch(p, name); !ok {
			return Reply{}, b.unknownStretch(p, name)
		}
	}
	text, err := b.logCompletion(ctx, p, in.UserID, s.ID, stretchbot.SourceManual)
	if err != nil {
		return Reply{}, err
	}
	what := p.T("done.a_stretch")
	if s.ID != "" {
		what = s.In(p).Name
	}
	return Reply{Ephemeral: true, Content: "✅ " + p.T("done.logged", "Name", what) + " " + text}, nil
}

// findStretch finds a stretch by id or by name (in p's language or in
// English) in any letter case, with curly quotes read as straight ones
// (Child’s pose is Child's pose).
func (b *Bot) findStretch(p *lang.Printer, q string) (stretchbot.Stretch, bool) {
	q = straightQuotes(strings.TrimSpace(q))
	if s, ok := b.cfg.Catalog.Get(strings.ToLower(q)); ok {
		return s, true
	}
	for _, s := range b.cfg.Catalog.Stretches {
		if strings.EqualFold(straightQuotes(s.Name), q) || strings.EqualFold(straightQuotes(s.In(p).Name), q) {
			return s, true
		}
	}
	return stretchbot.Stretch{}, false
}

var quoteReplacer = strings.NewReplacer("’", "'", "‘", "'", "ʼ", "'", "`", "'", "“", "\"", "”", "\"")

func straightQuotes(s string) string { return quoteReplacer.Replace(s) }

// unknownStretch refuses a stretch name: on Discord the autocomplete list
// helps; in the console the names are listed.
func (b *Bot) unknownStretch(p *lang.Printer, name string) error {
	quoted := strconv.Quote(truncateText(name, 40))
	if !b.cfg.Console {
		return stretchbot.Fail(stretchbot.ENOTFOUND, "stretch.unknown.discord", "Input", quoted)
	}
	var names []string
	for _, s := range b.cfg.Catalog.In(p).Stretches {
		names = append(names, s.Name)
	}
	return stretchbot.Fail(stretchbot.ENOTFOUND, "stretch.unknown.console", "Input", quoted, "Names", strings.Join(names, "; "))
}

// searchHint tells people to type into the autocomplete list, where there
// is one: on Discord, not in the console.
func (b *Bot) searchHint(p *lang.Printer) string {
	if b.cfg.Console {
		return ""
	}
	return " " + p.T("stretch.search_hint")
}

func (b *Bot) stretchFromID(id string) (stretchbot.Stretch, error) {
	s, ok := b.cfg.Catalog.Get(id)
	if !ok {
		return stretchbot.Stretch{}, customid.ErrExpired
	}
	return s, nil
}

func (b *Bot) stretchHelp(_ context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	a := b.cfg.Catalog.About.In(p)
	card := Card{
		Title:       p.T("help.title"),
		Description: "🚨 " + stretchbot.EmergencyHelp(p) + "\n" + stretchbot.EmergencyList(p) + "\n\n" + a.Intro + "\n\n" + a.DuringSpasm,
		Color:       colorInfo,
		Fields: []Field{
			{Name: p.T("help.start.title"), Value: p.T("help.start")},
			{Name: p.T("help.causes"), Value: "• " + strings.Join(a.Causes, "\n• ")},
			{Name: p.T("help.see_doctor"), Value: "• " + strings.Join(a.SeeDoctor, "\n• ")},
			{Name: p.T("help.habits"), Value: "• " + strings.Join(a.Habits, "\n• ")},
			{Name: p.T("help.data.title"), Value: p.T("help.data")},
		},
		Footer: p.T("help.footer"),
	}
	return Reply{Ephemeral: true, Cards: []Card{card, commandsCard(p)}}, nil
}

func (b *Bot) stretchTimezone(ctx context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	name := in.Option("name")
	if name == "" {
		u, err := b.cfg.Store.User(ctx, in.UserID)
		if err != nil {
			return Reply{}, fmt.Errorf("load user %s: %w", in.UserID, err)
		}
		if u.TimeZone == "" {
			return message(p.T("zone.none", "Hint", b.searchHint(p))), nil
		}
		return message(p.T("zone.yours", "Zone", u.TimeZone)), nil
	}
	loc, err := b.loadZone(p, name)
	if err != nil {
		return Reply{}, err
	}
	if _, err := b.cfg.Store.UpdateUser(ctx, in.UserID, func(u *stretchbot.User) error {
		u.TimeZone = loc.String()
		return nil
	}); err != nil {
		return Reply{}, fmt.Errorf("set time zone for %s: %w", in.UserID, err)
	}
	there := b.now().In(loc)
	text := p.T("zone.set", "Zone", loc.String(), "Time", there.Format("15:04"), "Day", stretchbot.Weekday(p, there.Weekday()))
	if w := b.zoneWarning(p, loc); w != "" {
		text += "\n" + w
	}
	return message(text), nil
}

func (b *Bot) autocomplete(_ context.Context, in Interaction) Reply {
	q := strings.ToLower(strings.TrimSpace(in.Option(in.Focused)))
	var out []Choice
	add := func(name, value string) bool {
		out = append(out, Choice{Name: name, Value: value})
		return len(out) < 25 // Discord shows at most 25 choices
	}
	switch in.Focused {
	case "timezone", "name":
		for _, z := range zoneNames {
			if q == "" || strings.Contains(strings.ToLower(z), q) {
				if !add(z, z) {
					break
				}
			}
		}
	case "stretch":
		for _, s := range b.cfg.Catalog.In(in.Lang()).Stretches {
			if q == "" || strings.Contains(strings.ToLower(straightQuotes(s.Name)), straightQuotes(q)) || strings.Contains(s.ID, q) {
				if !add(s.Name, s.ID) {
					break
				}
			}
		}
	}
	return Reply{Choices: out}
}

// userLocation returns the user's time zone, UTC when unset or unreadable.
func (b *Bot) userLocation(ctx context.Context, userID string) *time.Location {
	u, err := b.cfg.Store.User(ctx, userID)
	if err != nil {
		return time.UTC
	}
	return locationOf(u)
}

// locationOf returns u's time zone, UTC when unset or unreadable.
func locationOf(u stretchbot.User) *time.Location {
	loc, err := stretchbot.LoadLocation(u.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// relative renders an instant as Discord's live relative timestamp, or as
// plain text in the console.
// Discord shows its timestamps in each reader's own language; the
// console writes them in p's.
func (b *Bot) relative(p *lang.Printer, t time.Time, loc *time.Location) string {
	if b.cfg.Console {
		return stretchbot.FromNow(p, t.Sub(b.now()))
	}
	return fmt.Sprintf("<t:%d:R>", t.Unix())
}

// date renders an instant's calendar date ("Tue 3 Mar 2026").
func (b *Bot) date(p *lang.Printer, t time.Time, loc *time.Location) string {
	if b.cfg.Console {
		return stretchbot.FormatDate(p, t.In(loc))
	}
	return fmt.Sprintf("<t:%d:D>", t.Unix())
}

// full renders an instant as a full date and time.
func (b *Bot) full(p *lang.Printer, t time.Time, loc *time.Location) string {
	if b.cfg.Console {
		t = t.In(loc)
		return stretchbot.FormatDate(p, t) + " " + t.Format("15:04 MST")
	}
	return fmt.Sprintf("<t:%d:F>", t.Unix())
}
