package bot

import (
	"strings"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/lang"
)

// cardState is what a stretch card's buttons carry from click to click:
// whose card it is, the filters in force, and whether it came from a
// stretch break (then the break's "I did it" logs it, not a Done button).
type cardState struct {
	owner     string
	filter    stretchbot.Filter
	fromBreak bool
	// reminder adds the snooze choices (a card a reminder brought).
	reminder bool
}

// token is the card state as a custom_id argument.
func (c cardState) token() string { return customid.MakeCard(c.filter, c.fromBreak) }

// cardOf reads the card state of a click on a stretch card; a button from
// before cards carried one has the default filters.
func cardOf(in Interaction, id customid.ID) cardState {
	c := cardState{owner: in.UserID}
	if f, fromBreak, ok := customid.ParseCard(id.Card()); ok {
		c.filter, c.fromBreak = f, fromBreak
	}
	return c
}

// filterLine says which filters choose the card's stretches: the person
// sees why a stretch was picked, and that "Clear filters" widens it.
func filterLine(p *lang.Printer, f stretchbot.Filter, kit []stretchbot.Equipment) string {
	if f.IsDefault() {
		if len(kit) == 0 {
			return p.T("filter.none_no_kit")
		}
		names := make([]string, len(kit))
		for i, e := range kit {
			names[i] = string(e)
		}
		return p.T("filter.none_kit", "Kit", strings.Join(names, ", "))
	}
	line := []rune(filterWords(p, f))
	return strings.ToUpper(string(line[:1])) + string(line[1:])
}

// filterWords lists the filters of f in words ("in a chair · with an
// exercise ball"); "" for the default.
func filterWords(p *lang.Printer, f stretchbot.Filter) string {
	var parts []string
	if f.Position != "" {
		parts = append(parts, p.T("filter.position."+string(f.Position)))
	}
	if f.Equipment != "" {
		parts = append(parts, p.T("filter.equipment."+string(f.Equipment)))
	}
	if f.SpasmSafe {
		parts = append(parts, p.T("filter.spasm"))
	}
	return strings.Join(parts, " · ")
}

// clearButton resets a card's filters in one press.
func clearButton(p *lang.Printer, c cardState) Button {
	return Button{Label: p.T("filter.clear"), ID: customid.Make(customid.Clear, c.owner, customid.MakeCard(stretchbot.Filter{}, c.fromBreak)), Style: Secondary}
}

// filterOptions reads the position, equipment and spasm options of
// /stretch now, /stretch remind set and /stretch routine.
func filterOptions(in Interaction) (stretchbot.Filter, error) {
	var f stretchbot.Filter
	var err error
	if f.Position, err = stretchbot.ParsePosition(in.Option("position")); err != nil {
		return f, err
	}
	if f.Equipment, err = stretchbot.ParseEquipment(in.Option("equipment")); err != nil {
		return f, err
	}
	f.SpasmSafe = boolOption(in, "spasm")
	return f, nil
}
