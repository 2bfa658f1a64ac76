package bot

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/lang"
)

// discordName is Discord's rule for command and option names (and their
// localizations); they must also be lowercase.
var discordName = regexp.MustCompile(`^[-_\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// TestEveryCommandHasItsMessages: every command, option and choice has
// its name and description (choices: name) in en.json, so no language
// lacks them and Discord never gets an empty description.
func TestEveryCommandHasItsMessages(t *testing.T) {
	en := lang.English()
	walkCommands(func(path string, _, c CommandSpec) {
		key := commandKey(path)
		for _, id := range []string{key + ".name", key + ".description"} {
			if !en.HasOwn(id) {
				t.Errorf("en.json lacks %s", id)
			}
		}
		for _, o := range c.Options {
			ok := optionKey(path, o.Name)
			for _, id := range []string{ok + ".name", ok + ".description"} {
				if !en.HasOwn(id) {
					t.Errorf("en.json lacks %s", id)
				}
			}
			for _, ch := range o.Choices {
				if !en.HasOwn(ok + ".choice." + ch) {
					t.Errorf("en.json lacks %s.choice.%s", ok, ch)
				}
			}
		}
		if c.Name != en.T(key+".name") {
			t.Errorf("%s: the English name in en.json is %q, the command is %q", path, en.T(key+".name"), c.Name)
		}
	})
}

// TestCommandLocalizationsFollowDiscordRules checks, in every language
// with a message file, every command, subcommand and option name against
// Discord's rules (the pattern, lowercase, at most 32 characters),
// descriptions at 1-100 characters, choice names at 1-100, and that names
// stay unique among siblings; and that every file is a Discord locale.
func TestCommandLocalizationsFollowDiscordRules(t *testing.T) {
	for _, locale := range lang.Supported() {
		if _, ok := discordgo.Locales[discordgo.Locale(locale)]; !ok && locale != lang.Default {
			t.Errorf("lang/messages/%s.json: %q is not a Discord locale, so Discord never sends it", locale, locale)
		}
		p := lang.For(locale)
		checkName := func(what, name string) {
			if !discordName.MatchString(name) || strings.ToLower(name) != name {
				t.Errorf("%s: %s name %q breaks Discord's rules (lowercase, ^[-_\\p{L}\\p{N}]{1,32}$)", locale, what, name)
			}
		}
		checkLen := func(what, text string, max int) {
			if n := utf8.RuneCountInString(text); n < 1 || n > max {
				t.Errorf("%s: %s is %d characters, want 1 to %d: %q", locale, what, n, max, text)
			}
		}
		var walk func(prefix string, cs []CommandSpec)
		walk = func(prefix string, cs []CommandSpec) {
			siblings := map[string]string{}
			for _, c := range cs {
				path := strings.TrimSpace(prefix + " " + c.Name)
				key := commandKey(path)
				name := p.T(key + ".name")
				checkName("/"+path, name)
				checkLen("/"+path+" description", p.T(key+".description"), maxCommandDesc)
				if other, dup := siblings[name]; dup {
					t.Errorf("%s: /%s and /%s are both named %q", locale, path, other, name)
				}
				siblings[name] = path
				options := map[string]string{}
				for _, o := range c.Options {
					ok := optionKey(path, o.Name)
					oname := p.T(ok + ".name")
					checkName("/"+path+" option "+o.Name, oname)
					checkLen("/"+path+" option "+o.Name+" description", p.T(ok+".description"), maxCommandDesc)
					if other, dup := options[oname]; dup {
						t.Errorf("%s: /%s options %s and %s are both named %q", locale, path, o.Name, other, oname)
					}
					options[oname] = o.Name
					for _, ch := range o.Choices {
						checkLen("/"+path+" option "+o.Name+" choice "+ch, p.T(ok+".choice."+ch), maxChoiceText)
					}
				}
				for _, s := range c.Subs {
					if other, dup := options[p.T(commandKey(path+" "+s.Name)+".name")]; dup {
						t.Errorf("%s: /%s %s has the name of option %s", locale, path, s.Name, other)
					}
				}
				walk(path, c.Subs)
			}
		}
		walk("", commandTree())
	}
}

// TestApplicationCommandsCarryTheTranslations: every command's definition
// has a description in each translated language, and every localization
// map holds Discord locales only (not English, which is the default).
func TestApplicationCommandsCarryTheTranslations(t *testing.T) {
	check := func(where string, m map[discordgo.Locale]string) {
		for l, text := range m {
			if _, ok := discordgo.Locales[l]; !ok || l == discordgo.EnglishUS || l == discordgo.EnglishGB {
				t.Errorf("%s: localization for %q", where, l)
			}
			if text == "" {
				t.Errorf("%s: empty localization for %q", where, l)
			}
		}
	}
	for _, ac := range applicationCommands(Commands()) {
		if ac.NameLocalizations != nil {
			check(ac.Name, *ac.NameLocalizations)
		}
		var descs map[discordgo.Locale]string
		if ac.DescriptionLocalizations != nil {
			descs = *ac.DescriptionLocalizations
		}
		check(ac.Name, descs)
		for _, locale := range lang.Supported() {
			if _, ok := descs[discordgo.Locale(locale)]; !ok && locale != lang.Default {
				t.Errorf("/%s has no %s description", ac.Name, locale)
			}
		}
		var walk func(path string, opts []*discordgo.ApplicationCommandOption)
		walk = func(path string, opts []*discordgo.ApplicationCommandOption) {
			for _, o := range opts {
				check(path+" "+o.Name, o.NameLocalizations)
				check(path+" "+o.Name, o.DescriptionLocalizations)
				for _, ch := range o.Choices {
					check(path+" "+o.Name+" "+ch.Name, ch.NameLocalizations)
				}
				walk(path+" "+o.Name, o.Options)
			}
		}
		walk(ac.Name, ac.Options)
	}
}
