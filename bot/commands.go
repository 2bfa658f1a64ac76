package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/lang"
)

// OptionType is the type of a command option.
type OptionType int

// Option types.
const (
	OptString OptionType = iota
	OptInteger
	OptBoolean
)

// OptionSpec describes one option of a command.
type OptionSpec struct {
	Name         string
	Description  string
	Type         OptionType
	Required     bool
	Choices      []string
	Autocomplete bool
}

// CommandSpec describes a command, a subcommand group or a subcommand. It is
// the one definition both transports use: the Discord transport registers it,
// the console parses and explains it.
type CommandSpec struct {
	Name        string
	Description string
	Options     []OptionSpec
	Subs        []CommandSpec
	// AdminOnly commands need the Manage Server permission; GuildOnly ones
	// come only with a server's install and exist only in its channels
	// (not in DMs, not through a person's own install).
	AdminOnly bool
	GuildOnly bool
}

// Permission bits we check, as Discord defines them.
const (
	PermManageGuild   int64 = 1 << 5
	PermAdministrator int64 = 1 << 3
)

var (
	optTimezone = OptionSpec{Name: "timezone", Autocomplete: true}
	optDays     = OptionSpec{Name: "days"}
	optTime     = OptionSpec{Name: "time", Required: true}
	optWhen     = OptionSpec{Name: "time", Required: true}
	optID       = OptionSpec{Name: "id", Type: OptInteger, Required: true}
	// The filters of a stretch card, a reminder and a routine.
	optPosition  = OptionSpec{Name: "position", Choices: []string{"floor", "bed", "chair"}}
	optEquipment = OptionSpec{Name: "equipment", Choices: []string{"none", "strap", "ball", "chair", "all"}}
	optSpasm     = OptionSpec{Name: "spasm", Type: OptBoolean}
)

// Commands returns the command tree of stretchbot, with its English
// descriptions from lang/messages (see commandKey).
func Commands() []CommandSpec {
	return describeTree(lang.English(), "", commandTree())
}

// commandTree is the command tree without its words: names, options,
// choices and who may use what.
func commandTree() []CommandSpec {
	return []CommandSpec{
		{
			Name: "stretch",

			Subs: []CommandSpec{
				{Name: "now", Options: []OptionSpec{
					optPosition, optEquipment, optSpasm,
					{Name: "share", Type: OptBoolean}}},
				{Name: "routine", Options: []OptionSpec{
					{Name: "minutes", Type: OptInteger},
					optPosition, optEquipment, optSpasm}},
				{Name: "done", Options: []OptionSpec{
					{Name: "stretch", Autocomplete: true}}},
				{Name: "stats", Options: []OptionSpec{
					{Name: "period", Choices: []string{"week", "month", "year"}}}},
				{Name: "timezone", Options: []OptionSpec{
					{Name: "name", Autocomplete: true}}},
				{Name: "help"},
				{Name: "away", Options: []OptionSpec{
					{Name: "days", Type: OptInteger, Required: true}}},
				{Name: "back"},
				{Name: "remind", Subs: []CommandSpec{
					{Name: "set", Options: []OptionSpec{
						optWhen, optDays, optTimezone,
						{Name: "where", Choices: []string{"dm", "here"}},
						optPosition, optEquipment, optSpasm}},
					{Name: "list"},
					{Name: "remove", Options: []OptionSpec{optID}},
					{Name: "pause", Options: []OptionSpec{
						{Name: "for"}}},
					{Name: "resume"},
					{Name: "quiet", Options: []OptionSpec{
						{Name: "from"},
						{Name: "to"},
						{Name: "mode", Choices: []string{"later", "silent"}},
						{Name: "off", Type: OptBoolean}}}}},
				{Name: "privacy", Subs: []CommandSpec{
					{Name: "export"},
					{Name: "forget"}}}}},
		{
			Name: "checkin",

			Options: []OptionSpec{
				{Name: "profile", Type: OptBoolean}}},
		{
			Name: "stretchbreak",

			AdminOnly: true,
			GuildOnly: true,
			Subs: []CommandSpec{
				{Name: "set", Options: []OptionSpec{optTime, optDays, optTimezone}},
				{Name: "list"},
				{Name: "remove", Options: []OptionSpec{optID}},
				{Name: "stats"}}}}
}

// leaf is a runnable command path with its options.
type leaf struct {
	path string
	spec CommandSpec
	root CommandSpec
}

// group is a command with subcommands, such as "stretch remind".
type group struct {
	path string
	spec CommandSpec
}

// walkCommands visits every command and group of the tree in order, with
// its full path and its top-level command.
func walkCommands(visit func(path string, root, c CommandSpec)) {
	var walk func(prefix string, root, c CommandSpec)
	walk = func(prefix string, root, c CommandSpec) {
		path := strings.TrimSpace(prefix + " " + c.Name)
		visit(path, root, c)
		for _, s := range c.Subs {
			walk(path, root, s)
		}
	}
	for _, c := range Commands() {
		walk("", c, c)
	}
}

// leaves flattens the command tree into runnable paths.
func leaves() map[string]leaf {
	out := map[string]leaf{}
	walkCommands(func(path string, root, c CommandSpec) {
		if len(c.Subs) == 0 {
			out[path] = leaf{path: path, spec: c, root: root}
		}
	})
	return out
}

// groups maps each path that has subcommands to its spec.
func groups() map[string]group {
	out := map[string]group{}
	walkCommands(func(path string, _, c CommandSpec) {
		if len(c.Subs) > 0 {
			out[path] = group{path: path, spec: c}
		}
	})
	return out
}

// commandForm writes how a command is typed: required options as
// name:…, optional ones in brackets, yes/no options with their value, as
// in "/checkin [profile:true]".
func commandForm(path string, spec CommandSpec) string {
	var b strings.Builder
	b.WriteString("/" + path)
	for _, o := range spec.Options {
		word := o.Name
		switch {
		case o.Type == OptBoolean:
			word += ":true"
		case o.Required:
			word += ":…"
		}
		if !o.Required {
			word = "[" + word + "]"
		}
		b.WriteString(" " + word)
	}
	return b.String()
}

// CommandForms lists how every command is typed, in the order of the
// tree: the forms the help card and the README show.
func CommandForms() []string {
	var out []string
	walkCommands(func(path string, _, c CommandSpec) {
		if len(c.Subs) == 0 {
			out = append(out, commandForm(path, c))
		}
	})
	return out
}

// subcommandLines lists the runnable commands under path, one per line
// with its description.
func subcommandLines(p *lang.Printer, path string) string {
	var lines []string
	walkCommands(func(sub string, _, c CommandSpec) {
		if len(c.Subs) == 0 && (sub == path || strings.HasPrefix(sub, path+" ")) {
			lines = append(lines, fmt.Sprintf("`%s` — %s", commandForm(sub, c), describe(p, sub, c)))
		}
	})
	return strings.Join(lines, "\n")
}

// commandsCard lists every command, one field per group, for /stretch help.
func commandsCard(p *lang.Printer) Card {
	card := Card{Title: p.T("help.commands"), Color: colorInfo}
	for _, c := range Commands() {
		if len(c.Subs) == 0 {
			card.Fields = append(card.Fields, Field{Name: "/" + c.Name, Value: subcommandLines(p, c.Name)})
			continue
		}
		// Subgroups get fields of their own: one field holds 1024
		// characters.
		var direct []string
		for _, s := range c.Subs {
			if len(s.Subs) == 0 {
				direct = append(direct, fmt.Sprintf("`%s` — %s", commandForm(c.Name+" "+s.Name, s), describe(p, c.Name+" "+s.Name, s)))
			}
		}
		if len(direct) > 0 {
			card.Fields = append(card.Fields, Field{Name: "/" + c.Name, Value: strings.Join(direct, "\n")})
		}
		for _, s := range c.Subs {
			if len(s.Subs) > 0 {
				card.Fields = append(card.Fields, Field{Name: "/" + c.Name + " " + s.Name, Value: subcommandLines(p, c.Name+" "+s.Name)})
			}
		}
	}
	return card
}

// Message ids of the command tree. A command's words live in
// lang/messages: its description, each option's description and each
// choice's name; names too, for a language that translates them (Discord
// shows a name localization only where it differs from the English name).
//
//	command.<path>.name                        "remind"
//	command.<path>.description
//	command.<path>.option.<option>.name
//	command.<path>.option.<option>.description
//	command.<path>.option.<option>.choice.<value>
//
// <path> is the command path with dots: command.stretch.remind.set.
func commandKey(path string) string { return "command." + strings.ReplaceAll(path, " ", ".") }

func optionKey(path, option string) string { return commandKey(path) + ".option." + option }

// describeTree fills the descriptions of cs (under path prefix) from p's
// messages, keeping a description the tree already has when no message
// exists.
func describeTree(p *lang.Printer, prefix string, cs []CommandSpec) []CommandSpec {
	out := make([]CommandSpec, len(cs))
	for i, c := range cs {
		path := strings.TrimSpace(prefix + " " + c.Name)
		c.Description = describe(p, path, c)
		c.Options = slices.Clone(c.Options)
		for j, o := range c.Options {
			c.Options[j].Description = textOr(p, optionKey(path, o.Name)+".description", o.Description)
		}
		c.Subs = describeTree(p, path, c.Subs)
		out[i] = c
	}
	return out
}

// describe is the description of command path in p's language.
func describe(p *lang.Printer, path string, c CommandSpec) string {
	return textOr(p, commandKey(path)+".description", c.Description)
}

// textOr is message id in p's language, or fallback when no language has
// it (a command added without its messages: TestEveryCommandHasItsMessages
// catches that).
func textOr(p *lang.Printer, id, fallback string) string {
	if !p.Has(id) {
		return fallback
	}
	return p.T(id)
}
