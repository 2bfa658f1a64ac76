package bot

import (
	"fmt"
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
	optTimezone = OptionSpec{Name: "timezone", Description: "Your time zone, e.g. Europe/Berlin (start typing to search)", Autocomplete: true}
	optDays     = OptionSpec{Name: "days", Description: "daily, weekdays, weekends or a list like mon,wed,fri (default daily)"}
	optTime     = OptionSpec{Name: "time", Description: "Time of day, e.g. 7:30, 19:30 or 7:30pm", Required: true}
	optWhen     = OptionSpec{Name: "time", Description: "7:30, 7pm or noon to repeat; once: in 20 minutes, tomorrow 9:00, friday 18:00", Required: true}
	optID       = OptionSpec{Name: "id", Description: "The number shown by list", Type: OptInteger, Required: true}
	// The filters of a stretch card, a reminder and a routine.
	optPosition  = OptionSpec{Name: "position", Description: "Where you are (default anywhere)", Choices: []string{"floor", "bed", "chair"}}
	optEquipment = OptionSpec{Name: "equipment", Description: "What you have at hand (default what you told me; all shows everything)", Choices: []string{"none", "strap", "ball", "chair", "all"}}
	optSpasm     = OptionSpec{Name: "spasm", Description: "Only stretches gentle enough during a spasm", Type: OptBoolean}
)

// Commands returns the command tree of stretchbot.
func Commands() []CommandSpec {
	return []CommandSpec{
		{
			Name:        "stretch",
			Description: "Gentle stretches for a sore lower back, reminders and your progress",
			Subs: []CommandSpec{
				{Name: "now", Description: "Show the next stretch of your routine", Options: []OptionSpec{
					optPosition, optEquipment, optSpasm,
					{Name: "share", Description: "Post it for the whole channel instead of just you", Type: OptBoolean},
				}},
				{Name: "routine", Description: "A guided routine: stretches that fit you, one after another", Options: []OptionSpec{
					{Name: "minutes", Description: "About how many minutes, 1 to 30 (default 10)", Type: OptInteger},
					optPosition, optEquipment, optSpasm,
				}},
				{Name: "done", Description: "Log a stretch you did", Options: []OptionSpec{
					{Name: "stretch", Description: "Which stretch (start typing)", Autocomplete: true},
				}},
				{Name: "stats", Description: "Your streak, totals and a chart", Options: []OptionSpec{
					{Name: "period", Description: "How far back the chart goes", Choices: []string{"week", "month", "year"}},
				}},
				{Name: "timezone", Description: "Show or set your time zone", Options: []OptionSpec{
					{Name: "name", Description: "An IANA time zone such as Europe/Berlin (start typing)", Autocomplete: true},
				}},
				{Name: "help", Description: "How stretchbot works, and when to see a doctor"},
				{Name: "away", Description: "Away for a few days: reminders wait and your streak is kept", Options: []OptionSpec{
					{Name: "days", Description: "How many days, today included (1 to 30)", Type: OptInteger, Required: true},
				}},
				{Name: "back", Description: "Back sooner than you said: reminders start again today"},
				{Name: "remind", Description: "Your stretch reminders", Subs: []CommandSpec{
					{Name: "set", Description: "Add a reminder", Options: []OptionSpec{
						optWhen, optDays, optTimezone,
						{Name: "where", Description: "By direct message or in this channel (default dm)", Choices: []string{"dm", "here"}},
						optPosition, optEquipment, optSpasm,
					}},
					{Name: "list", Description: "Your reminders"},
					{Name: "remove", Description: "Remove a reminder", Options: []OptionSpec{optID}},
					{Name: "pause", Description: "Pause all your reminders", Options: []OptionSpec{
						{Name: "for", Description: "How long, e.g. 2h, 3d or 1w (default until you resume)"},
					}},
					{Name: "resume", Description: "Resume your reminders"},
					{Name: "quiet", Description: "Quiet hours: no reminder between two times", Options: []OptionSpec{
						{Name: "from", Description: "When quiet hours start, e.g. 22:00"},
						{Name: "to", Description: "When they end, e.g. 7:00"},
						{Name: "mode", Description: "later: reminders wait until the end (default); silent: on time, no notification", Choices: []string{"later", "silent"}},
						{Name: "off", Description: "Turn quiet hours off", Type: OptBoolean},
					}},
				}},
				{Name: "privacy", Description: "Your data", Subs: []CommandSpec{
					{Name: "export", Description: "Get everything stored about you as a file"},
					{Name: "forget", Description: "Delete everything stored about you"},
				}},
			},
		},
		{
			Name:        "checkin",
			Description: "A short symptom check: is stretching enough, or should you see a doctor?",
			Options: []OptionSpec{
				{Name: "profile", Description: "Change your age band and bone-health answers first", Type: OptBoolean},
			},
		},
		{
			Name:        "stretchbreak",
			Description: "Stretch breaks for the whole channel (server managers)",
			AdminOnly:   true,
			GuildOnly:   true,
			Subs: []CommandSpec{
				{Name: "set", Description: "Add a stretch break in this channel", Options: []OptionSpec{optTime, optDays, optTimezone}},
				{Name: "list", Description: "Stretch breaks on this server"},
				{Name: "remove", Description: "Remove a stretch break", Options: []OptionSpec{optID}},
				{Name: "stats", Description: "How many joined each break"},
			},
		},
	}
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
