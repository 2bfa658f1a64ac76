// Package console is stretchbot's terminal transport: the same command
// handlers, store and scheduler as on Discord, with text in and text out.
// It reads one command per line, so it works interactively and with piped
// input.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/bot"
)

// The console plays one user, in one server channel where they are a
// manager, so every command (stretch breaks included) can be tried.
const (
	UserID    = "100000000000000001"
	GuildID   = "200000000000000002"
	ChannelID = "300000000000000003"
)

// Console runs commands typed in a terminal.
type Console struct {
	bot *bot.Bot
	out io.Writer
	// FileDir is where attachments (chart, export) are written.
	fileDir string

	mu      sync.Mutex // serialises output and the last buttons
	buttons []bot.Button
}

// New returns a console that writes to out and saves files in fileDir.
func New(b *bot.Bot, out io.Writer, fileDir string) *Console {
	return &Console{bot: b, out: out, fileDir: fileDir}
}

// Run reads commands from in until it ends or ctx is done.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	c.printf("stretchbot console. Type /stretch help, /stretch now or /checkin; a number presses a button; quit leaves.\n")
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 64*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				return <-errc
			}
			if quit := c.line(ctx, line); quit {
				return nil
			}
		}
	}
}

// line handles one input line and reports whether the user asked to quit.
func (c *Console) line(ctx context.Context, line string) (quit bool) {
	line = strings.TrimSpace(line)
	switch strings.ToLower(line) {
	case "":
		return false
	case "quit", "exit", "/quit", "/exit":
		return true
	case "help", "/help", "?":
		line = "/stretch help"
		c.printf("Commands:\n%s\n", bot.CommandHelp())
	}
	c.printf("> %s\n", line)
	if n, err := strconv.Atoi(line); err == nil {
		c.mu.Lock()
		if n < 1 || n > len(c.buttons) {
			c.mu.Unlock()
			c.printf("There is no button %d. Press one of the numbers shown in [brackets].\n", n)
			return false
		}
		btn := c.buttons[n-1]
		c.mu.Unlock()
		c.reply(c.bot.Handle(ctx, bot.Interaction{Kind: bot.KindButton, CustomID: btn.ID, UserID: UserID, GuildID: GuildID, ChannelID: ChannelID, Permissions: bot.PermManageGuild}))
		return false
	}
	in, err := ParseLine(line)
	if err != nil {
		c.printf("%s\n", err)
		return false
	}
	in.UserID, in.UserName, in.GuildID, in.ChannelID, in.Permissions = UserID, "you", GuildID, ChannelID, bot.PermManageGuild
	c.reply(c.bot.Handle(ctx, in))
	return false
}

// ParseLine reads a slash command such as
// `/stretch remind set time:7:30pm days:"mon, wed"`. Words without a colon
// are the command path; name:value words are options (values may contain
// colons and may be quoted).
func ParseLine(line string) (bot.Interaction, error) {
	line = strings.TrimSpace(line)
	if !utf8.ValidString(line) {
		return bot.Interaction{}, fmt.Errorf("that line is not valid text")
	}
	if !strings.HasPrefix(line, "/") {
		return bot.Interaction{}, fmt.Errorf("commands start with /, for example /stretch now. Type help for the list")
	}
	words, err := splitWords(line[1:])
	if err != nil {
		return bot.Interaction{}, err
	}
	in := bot.Interaction{Kind: bot.KindCommand, Options: map[string]string{}}
	var path []string
	for _, w := range words {
		name, value, isOpt := strings.Cut(w, ":")
		if !isOpt {
			if strings.TrimSpace(w) == "" {
				return bot.Interaction{}, fmt.Errorf("a command name cannot be empty")
			}
			if len(in.Options) > 0 {
				return bot.Interaction{}, fmt.Errorf("put options after the command: %q comes after an option", w)
			}
			path = append(path, strings.ToLower(w))
			continue
		}
		if name == "" {
			return bot.Interaction{}, fmt.Errorf("%q needs an option name before the colon", w)
		}
		if _, dup := in.Options[name]; dup {
			return bot.Interaction{}, fmt.Errorf("option %s is given twice", name)
		}
		in.Options[strings.ToLower(name)] = value
	}
	if len(path) == 0 {
		return bot.Interaction{}, fmt.Errorf("which command? Try /stretch help")
	}
	in.Command = strings.Join(path, " ")
	return in, nil
}

// splitWords splits on spaces, keeping "double quoted" parts together.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inQuote, has := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote, has = !inQuote, true
		case (r == ' ' || r == '\t') && !inQuote:
			if has {
				words = append(words, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("a quote is not closed")
	}
	if has {
		words = append(words, cur.String())
	}
	return words, nil
}

// Send implements bot.Sender: reminders are printed as they arrive.
func (c *Console) Send(_ context.Context, to bot.Destination, r bot.Reply) error {
	where := "direct message"
	if to.ChannelID != "" {
		where = "channel"
	}
	c.printf("\n🔔 [%s]\n", where)
	c.reply(r)
	return nil
}

var (
	boldRe    = regexp.MustCompile(`\*\*(.+?)\*\*`)
	mentionRe = regexp.MustCompile(`<@!?\d+>\s*`)
	channelRe = regexp.MustCompile(`<#\d+>`)
)

func plain(s string) string {
	s = boldRe.ReplaceAllString(s, "$1")
	s = mentionRe.ReplaceAllString(s, "")
	s = channelRe.ReplaceAllString(s, "this channel")
	return strings.ReplaceAll(s, "`", "")
}

func (c *Console) reply(r bot.Reply) {
	var b strings.Builder
	if r.Content != "" {
		b.WriteString(plain(r.Content) + "\n")
	}
	for _, card := range r.Cards {
		fmt.Fprintf(&b, "\n== %s ==\n", plain(card.Title))
		if card.Description != "" {
			b.WriteString(plain(card.Description) + "\n")
		}
		for _, f := range card.Fields {
			fmt.Fprintf(&b, "\n%s:\n%s\n", plain(f.Name), plain(f.Value))
		}
		if card.Footer != "" {
			fmt.Fprintf(&b, "\n(%s)\n", plain(card.Footer))
		}
	}
	for _, f := range r.Files {
		path, err := c.saveFile(f)
		if err != nil {
			fmt.Fprintf(&b, "Could not save %s: %v\n", f.Name, err)
			continue
		}
		fmt.Fprintf(&b, "📎 %s saved to %s\n", f.Name, path)
	}
	for _, ch := range r.Choices {
		fmt.Fprintf(&b, "  %s\n", ch.Value)
	}
	var buttons []bot.Button
	var labels []string
	for _, row := range r.Rows {
		for _, btn := range row {
			buttons = append(buttons, btn)
			labels = append(labels, fmt.Sprintf("[%d] %s", len(buttons), btn.Label))
		}
	}
	if len(labels) > 0 {
		b.WriteString("\n" + strings.Join(labels, "  ") + "\n")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A message without buttons (an error, say) keeps the previous buttons
	// usable; one with buttons replaces them.
	if len(buttons) > 0 || r.Update {
		c.buttons = buttons
	}
	fmt.Fprint(c.out, b.String())
}

func (c *Console) saveFile(f bot.File) (string, error) {
	dir := c.fileDir
	if dir == "" {
		dir = os.TempDir()
	}
	file, err := os.CreateTemp(dir, "stretchbot-*-"+filepath.Base(f.Name))
	if err != nil {
		return "", fmt.Errorf("create %s: %w", f.Name, err)
	}
	if _, err := file.Write(f.Data); err != nil {
		file.Close()
		return "", fmt.Errorf("write %s: %w", f.Name, err)
	}
	return file.Name(), file.Close()
}

func (c *Console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, format, args...)
}
