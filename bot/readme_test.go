package bot_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
)

// TestREADMECommandTableMatchesTheBot: the README's command table shows
// exactly the forms the bot answers to and lists in /stretch help.
func TestREADMECommandTableMatchesTheBot(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## Commands\n")
	if !ok {
		t.Fatal("README has no Commands section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var table []string
	row := regexp.MustCompile("^\\| `(/[^`]+)` \\|")
	for _, line := range strings.Split(section, "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			table = append(table, m[1])
		}
	}
	forms := bot.CommandForms()
	if !slices.Equal(table, forms) {
		t.Fatalf("README's command table:\n%s\n\nthe bot's commands:\n%s", strings.Join(table, "\n"), strings.Join(forms, "\n"))
	}
}
