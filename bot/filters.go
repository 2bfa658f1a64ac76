package bot

import (
	"strings"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
)

// Texts of the filter line on stretch cards, in one place.
const (
	textFiltersField   = "Filters"
	textClearFilters   = "Clear filters"
	textNoFiltersNoKit = "None. Only stretches that need no equipment: choose equipment: strap, ball, chair or all to see more."
	textNoFiltersKit   = "None. Equipment you have: %s."
	textSpasmOnly      = "gentle enough for a spasm"
)

var (
	positionWords = map[stretchbot.Position]string{
		stretchbot.PositionFloor: "on the floor", stretchbot.PositionBed: "in bed",
		stretchbot.PositionChair: "in a chair", stretchbot.PositionStanding: "standing",
	}
	equipmentWords = map[stretchbot.Equipment]string{
		stretchbot.EquipmentNone: "no equipment", stretchbot.EquipmentStrap: "with a strap or towel",
		stretchbot.EquipmentBall: "with an exercise ball", stretchbot.EquipmentChair: "with a chair",
		stretchbot.EquipmentAll: "any equipment",
	}
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
func filterLine(f stretchbot.Filter, kit []stretchbot.Equipment) string {
	if f.IsDefault() {
		if len(kit) == 0 {
			return textNoFiltersNoKit
		}
		names := make([]string, len(kit))
		for i, e := range kit {
			names[i] = string(e)
		}
		return strings.Replace(textNoFiltersKit, "%s", strings.Join(names, ", "), 1)
	}
	line := filterWords(f)
	return strings.ToUpper(line[:1]) + line[1:]
}

// filterWords lists the filters of f in words ("in a chair · with an
// exercise ball"); "" for the default.
func filterWords(f stretchbot.Filter) string {
	var parts []string
	if w := positionWords[f.Position]; w != "" {
		parts = append(parts, w)
	}
	if w := equipmentWords[f.Equipment]; w != "" {
		parts = append(parts, w)
	}
	if f.SpasmSafe {
		parts = append(parts, textSpasmOnly)
	}
	return strings.Join(parts, " · ")
}

// clearButton resets a card's filters in one press.
func clearButton(c cardState) Button {
	return Button{Label: textClearFilters, ID: customid.Make(customid.Clear, c.owner, customid.MakeCard(stretchbot.Filter{}, c.fromBreak)), Style: Secondary}
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
