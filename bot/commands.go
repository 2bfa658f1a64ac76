package bot

import (
	"fmt"
	"sort"
	"strings"
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
	// do not exist in DMs.
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

// leaves flattens the command tree into runnable paths.
func leaves() map[string]leaf {
	out := map[string]leaf{}
	var walk func(prefix string, root, c CommandSpec)
	walk = func(prefix string, root, c CommandSpec) {
		path := strings.TrimSpace(prefix + " " + c.Name)
		if len(c.Subs) == 0 {
			out[path] = leaf{path: path, spec: c, root: root}
			return
		}
		for _, s := range c.Subs {
			walk(path, root, s)
		}
	}
	for _, c := range Commands() {
		walk("", c, c)
	}
	return out
}

// CommandHelp lists every command path with its description, for help text
// and the console.
func CommandHelp() string {
	ls := leaves()
	paths := make([]string, 0, len(ls))
	for p := range ls {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		l := ls[p]
		args := ""
		for _, o := range l.spec.Options {
			if o.Required {
				args += fmt.Sprintf(" %s:…", o.Name)
			} else {
				args += fmt.Sprintf(" [%s:…]", o.Name)
			}
		}
		fmt.Fprintf(&b, "/%s%s — %s\n", p, args, l.spec.Description)
	}
	return b.String()
}
