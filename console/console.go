// Package console is stretchbot's terminal transport: the same command
// handlers, store and scheduler as on Discord, with text in and text out.
// It reads one command per line, so it works interactively and with piped
// input.
//
// Every message that has buttons gets a letter, and each of its buttons a
// key made of that letter and a number ("[b2] Done"). A key presses a button
// of the message it was printed with, whatever arrived since: a reminder
// printed in the middle of a check-in gets its own letter and cannot take
// the check-in's answers.
package console

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/lang"
	"github.com/stretchbot/stretchbot/scheduler"
)

// The console plays one user, in one server channel where they are a
// manager, so every command (stretch breaks included) can be tried.
const (
	UserID    = "100000000000000001"
	GuildID   = "200000000000000002"
	ChannelID = "300000000000000003"
	// DMChannelID is the user's direct messages with the bot, where
	// reminders by DM arrive and their buttons are pressed.
	DMChannelID = "400000000000000004"
)

// MaxLine is the longest input line read; a longer one is refused.
const MaxLine = 64 * 1024

// letters are the message letters, reused in turn: a letter comes back to
// a new message only after 25 others, and the oldest message then loses
// its buttons.
const letters = "abcdefghijklmnopqrstuvwxyz"

// Options configure a Console.
type Options struct {
	// Lang is the language the console answers in: a locale such as
	// "de", "es-419" or "de_DE.UTF-8"; English when it has no message file.
	Lang string
	// FileDir is where attachments (chart, export) are written; "" is the
	// current directory.
	FileDir string
	// Terminal says the output is a terminal: a hold counts down second by
	// second and rings at the end. Otherwise only the end line is printed.
	Terminal bool
	// Echo repeats each input line after "> ", for transcripts of piped
	// input. A terminal echoes typed lines itself, so leave it off there.
	Echo bool
	// Clock times countdowns; default the system clock.
	Clock scheduler.Clock
	// Private makes every command come from a conversation between people
	// (a DM or group DM), through the user's own install of the app: the
	// bot is not a member there, as on Discord. By default the console
	// acts as a server's install, in a channel where the bot may post.
	Private bool
}

// Console runs commands typed in a terminal.
type Console struct {
	bot  *bot.Bot
	out  io.Writer
	opts Options
	p    *lang.Printer // the console's language

	mu       sync.Mutex // serialises output and the messages below
	messages map[byte]*message
	next     int             // index in letters of the next letter to give
	runCtx   context.Context // of the running Run; countdowns live in it
	timers   sync.WaitGroup  // running countdowns
}

// message is a printed message that has (or had) buttons.
type message struct {
	letter  byte
	keys    []int // key numbers, in the order printed
	buttons map[int]bot.Button
	stop    context.CancelFunc // ends its countdown; nil when none runs
	dm      bool               // shown in the direct messages, not the channel
}

// New returns a console that writes to out.
func New(b *bot.Bot, out io.Writer, opts Options) *Console {
	if opts.Clock == nil {
		opts.Clock = scheduler.RealClock()
	}
	return &Console{bot: b, out: out, opts: opts, p: lang.For(opts.Lang), messages: map[byte]*message{}}
}

// Run reads commands from in until it ends, the user quits or ctx is done.
// When the input ends, Run first waits for running countdowns, so piped
// input still sees a hold to its end.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		c.timers.Wait()
	}()
	c.mu.Lock()
	c.runCtx = ctx
	c.mu.Unlock()
	c.printf("%s\n", c.p.T("console.welcome"))
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer close(lines)
		errc <- readLines(ctx, in, lines, func() {
			c.printf("%s\n", c.p.T("console.line_too_long", "KiB", MaxLine/1024))
		})
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					return err
				}
				c.timers.Wait()
				return nil
			}
			if quit := c.line(ctx, line); quit {
				return nil
			}
		}
	}
}

// readLines sends each line of in to lines. A line longer than MaxLine is
// skipped with a call to tooLong, not taken as the end of the input.
func readLines(ctx context.Context, in io.Reader, lines chan<- string, tooLong func()) error {
	r := bufio.NewReaderSize(in, 4096)
	var buf []byte
	skipping := false
	for {
		part, isPrefix, err := r.ReadLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read input: %w", err)
		}
		if !skipping {
			buf = append(buf, part...)
			if len(buf) > MaxLine {
				buf, skipping = nil, true
				tooLong()
			}
		}
		if isPrefix {
			continue
		}
		if skipping {
			skipping = false
			continue
		}
		select {
		case lines <- string(buf):
		case <-ctx.Done():
			return nil
		}
		buf = nil
	}
}

var keyRe = regexp.MustCompile(`^([a-zA-Z])([0-9]+)$`)

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
	}
	if c.opts.Echo {
		c.printf("> %s\n", line)
	}
	if m := keyRe.FindStringSubmatch(line); m != nil {
		n, _ := strconv.Atoi(m[2])
		c.press(ctx, strings.ToLower(m[1])[0], n)
		return false
	}
	if _, err := strconv.Atoi(line); err == nil {
		c.printf("%s\n", c.keyHint(c.p.T("console.key.how")))
		return false
	}
	in, err := ParseLine(line)
	if err != nil {
		c.printf("%s\n", stretchbot.ErrorText(c.p, err))
		return false
	}
	c.show(c.bot.Handle(ctx, c.interaction(in)), nil, false)
	return false
}

// interaction fills in who the console's user is and where they are.
func (c *Console) interaction(in bot.Interaction) bot.Interaction {
	in.UserID, in.UserName, in.GuildID, in.ChannelID, in.Permissions = UserID, "you", GuildID, ChannelID, bot.PermManageGuild
	in.Locale, in.GuildLocale = c.p.Locale(), c.p.Locale()
	if c.opts.Private {
		in.GuildID, in.Permissions = "", 0
		in.Context, in.Reach = bot.ContextPrivate, bot.ReachUserInstall
	}
	return in
}

// press clicks button n of the message with letter l.
func (c *Console) press(ctx context.Context, l byte, n int) {
	key := fmt.Sprintf("%c%d", l, n)
	c.mu.Lock()
	m := c.messages[l]
	var (
		btn      bot.Button
		ok       bool
		keys     []string
		nButtons int
	)
	if m != nil {
		btn, ok = m.buttons[n]
		keys, nButtons = m.keyNames(), len(m.buttons)
	}
	c.mu.Unlock()
	switch {
	case m == nil:
		c.printf("%s\n", c.keyHint(c.p.T("console.key.no_letter", "Letter", string(l))))
		return
	case nButtons == 0:
		c.printf("%s\n", c.keyHint(c.p.T("console.key.no_buttons", "Letter", string(l))))
		return
	case !ok:
		c.printf("%s\n", c.p.T("console.key.no_button", "Key", key, "Letter", string(l), "Keys", strings.Join(keys, ", ")))
		return
	case btn.Disabled:
		c.printf("%s\n", c.p.T("console.key.disabled", "Key", key, "Label", btn.Label))
		return
	}
	in := c.interaction(bot.Interaction{Kind: bot.KindButton, CustomID: btn.ID})
	if m.dm {
		// Pressed in the direct messages, as on Discord: what it leaves
		// for later (a snooze) comes by direct message too.
		in.GuildID, in.ChannelID, in.Permissions = "", DMChannelID, 0
		in.Context, in.Reach = bot.ContextBotDM, bot.ReachChannel
	}
	c.show(c.bot.Handle(ctx, in), m, m.dm)
}

// keyHint completes why a key pressed nothing with the keys that work.
func (c *Console) keyHint(why string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var live []string
	for i := range len(letters) {
		// Oldest first, in the order letters were given.
		l := letters[(c.next+i)%len(letters)]
		if m := c.messages[l]; m != nil && len(m.buttons) > 0 {
			live = append(live, fmt.Sprintf("%c1", l))
		}
	}
	if len(live) == 0 {
		return c.p.T("console.key.hint_none", "Why", why)
	}
	return c.p.T("console.key.hint", "Why", why, "Key", live[len(live)-1])
}

func (m *message) keyNames() []string {
	out := make([]string, len(m.keys))
	for i, k := range m.keys {
		out[i] = fmt.Sprintf("%c%d", m.letter, k)
	}
	return out
}

// ParseLine reads a slash command such as
// `/stretch remind set time:7:30pm days:"mon, wed"`. Words without a colon
// are the command path; name:value words are options (values may contain
// colons and may be quoted).
func ParseLine(line string) (bot.Interaction, error) {
	line = strings.TrimSpace(line)
	if !utf8.ValidString(line) {
		return bot.Interaction{}, stretchbot.Fail(stretchbot.EINVALID, "console.parse.not_text")
	}
	if !strings.HasPrefix(line, "/") {
		return bot.Interaction{}, stretchbot.Fail(stretchbot.EINVALID, "console.parse.no_slash")
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
				return bot.Interaction{}, stretchbot.Fail(stretchbot.EINVALID, "console.parse.empty_name")
			}
			if len(in.Options) > 0 {
				return bot.Interaction{}, stretchbot.Fail(stretchbot.EINVALID, "console.parse.after_option", "Word", strconv.Quote(w))
			}
			path = append(path, strings.ToLower(w))
			continue
		}
		if name == "" {
			return bot.Interaction{}, stretchbot.Fail(stretchbot.EINVALID, "console.parse.no_option_name", "Word", strconv.Quote(w))
		}
		if _, dup := in.Options[name]; dup {
			return bot.Interaction{}, stretchbot.Fail(stretchbot.EINVALID, "console.parse.twice", "Option", name)
		}
		in.Options[strings.ToLower(name)] = value
	}
	if len(path) == 0 {
		return bot.Interaction{}, stretchbot.Fail(stretchbot.EINVALID, "console.parse.which")
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
		return nil, stretchbot.Fail(stretchbot.EINVALID, "console.parse.quote")
	}
	if has {
		words = append(words, cur.String())
	}
	return words, nil
}

// Send implements bot.Sender: reminders are printed as they arrive, each
// with its own letter.
func (c *Console) Send(_ context.Context, to bot.Destination, r bot.Reply) error {
	where := c.p.T("console.sent.dm")
	if to.ChannelID != "" {
		where = c.p.T("console.sent.channel")
	}
	bell := "🔔"
	if r.Silent {
		bell, where = "🔕", c.p.T("console.sent.silent", "Where", where)
	}
	c.printf("\n%s [%s]\n", bell, where)
	c.show(r, nil, to.ChannelID == "")
	return nil
}

// plain is the text of Discord markdown for the terminal, in c's language.
func (c *Console) plain(s string) string { return plain(c.p, s) }

var (
	boldRe    = regexp.MustCompile(`\*\*(.+?)\*\*`)
	mentionRe = regexp.MustCompile(`<@!?\d+>\s*`)
	channelRe = regexp.MustCompile(`<#\d+>`)
	linkRe    = regexp.MustCompile(`\[([^\]]+)\]\((https?://[^)\s]+)\)`)
)

func plain(p *lang.Printer, s string) string {
	s = boldRe.ReplaceAllString(s, "$1")
	s = mentionRe.ReplaceAllString(s, "")
	s = channelRe.ReplaceAllString(s, p.T("console.this_channel"))
	// A masked link shows only its text on Discord; a terminal needs the
	// address too.
	s = linkRe.ReplaceAllString(s, "$1 ($2)")
	return strings.ReplaceAll(s, "`", "")
}

// writeCard prints one card. Every card goes through here.
func (c *Console) writeCard(b *strings.Builder, card bot.Card) {
	fmt.Fprintf(b, "\n== %s ==\n", c.plain(card.Title))
	if card.Description != "" {
		b.WriteString(c.plain(card.Description) + "\n")
	}
	for _, f := range card.Fields {
		fmt.Fprintf(b, "\n%s:\n%s\n", c.plain(f.Name), c.plain(f.Value))
	}
	if card.Footer != "" {
		fmt.Fprintf(b, "\n(%s)\n", c.plain(card.Footer))
	}
}

// show prints a reply. An update (Update) replaces the message it was
// pressed on, which keeps its letter; any other reply with buttons is a new
// message with the next letter. dm says the reply is in the direct
// messages: its buttons are pressed there.
func (c *Console) show(r bot.Reply, pressed *message, dm bool) {
	var b strings.Builder
	if r.Content != "" {
		b.WriteString(c.plain(r.Content) + "\n")
	}
	for _, card := range r.Cards {
		c.writeCard(&b, card)
	}
	for _, f := range r.Files {
		if f.Picture {
			// A stretch picture: the same file every time, so it is kept
			// once under its own name rather than saved again.
			path, err := c.savePicture(f)
			if err != nil {
				fmt.Fprintf(&b, "%s\n", c.p.T("console.picture.failed", "Name", f.Name, "Err", err.Error()))
				continue
			}
			fmt.Fprintf(&b, "🖼  %s\n", c.p.T("console.picture", "Path", path))
			continue
		}
		path, err := c.saveFile(f)
		if err != nil {
			fmt.Fprintf(&b, "%s\n", c.p.T("console.file.failed", "Name", f.Name, "Err", err.Error()))
			continue
		}
		fmt.Fprintf(&b, "📎 %s\n", c.p.T("console.file.saved", "Name", f.Name, "Path", path))
	}
	for _, ch := range r.Choices {
		fmt.Fprintf(&b, "  %s\n", ch.Value)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	var m *message
	switch {
	case r.Update && pressed != nil && c.messages[pressed.letter] == pressed:
		m = pressed
		if m.stop != nil {
			m.stop()
			m.stop = nil
		}
		m.keys, m.buttons = nil, nil
	case len(r.Rows) > 0:
		m = c.newMessageLocked()
		m.dm = dm
	}
	if m != nil {
		var labels []string
		for _, k := range m.assign(r.Rows) {
			labels = append(labels, fmt.Sprintf("[%c%d] %s", m.letter, k, m.buttons[k].Label))
		}
		if len(labels) > 0 {
			b.WriteString("\n" + strings.Join(labels, "  ") + "\n")
		}
	}
	fmt.Fprint(c.out, b.String())
	if r.Countdown != nil && m != nil {
		c.startCountdownLocked(m, *r.Countdown)
	}
}

// newMessageLocked gives the next letter to a new message. The message that
// had the letter before is forgotten, and its countdown stopped.
func (c *Console) newMessageLocked() *message {
	l := letters[c.next]
	c.next = (c.next + 1) % len(letters)
	if old := c.messages[l]; old != nil && old.stop != nil {
		old.stop()
	}
	m := &message{letter: l}
	c.messages[l] = m
	return m
}

var hashNumberRe = regexp.MustCompile(`#(\d+)$`)

// assign gives the buttons of rows their key numbers and returns them in
// order. A key matches what it presses: buttons labelled with numbers (a
// pain scale from 0 to 10) keep those numbers, and buttons naming a
// numbered thing ("Remove #4") take its number, and a button beside those
// that names none takes the next number after them; others count from 1.
func (m *message) assign(rows [][]bot.Button) []int {
	var all []bot.Button
	for _, row := range rows {
		all = append(all, row...)
	}
	m.buttons = map[int]bot.Button{}
	m.keys = nil
	numbers := func(of func(string) (int, bool), others bool) bool {
		seen := map[int]bool{}
		last := -1
		for _, btn := range all {
			n, ok := of(btn.Label)
			switch {
			case !ok && others:
				continue
			case !ok || seen[n]:
				return false
			}
			seen[n] = true
			last = max(last, n)
		}
		if last < 0 {
			return false
		}
		for _, btn := range all {
			n, ok := of(btn.Label)
			if !ok {
				last++
				n = last
			}
			m.buttons[n] = btn
			m.keys = append(m.keys, n)
		}
		return true
	}
	whole := func(s string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		return n, err == nil && n >= 0
	}
	hashed := func(s string) (int, bool) {
		sm := hashNumberRe.FindStringSubmatch(s)
		if sm == nil {
			return 0, false
		}
		n, err := strconv.Atoi(sm[1])
		return n, err == nil
	}
	if len(all) > 0 && (numbers(whole, false) || numbers(hashed, true)) {
		return m.keys
	}
	for i, btn := range all {
		m.buttons[i+1] = btn
		m.keys = append(m.keys, i+1)
	}
	return m.keys
}

// startCountdownLocked counts down to cd.End for message m. On a terminal
// it rewrites one line every second and rings at the end; otherwise it
// prints only the end line. Pressing another button of m stops it.
func (c *Console) startCountdownLocked(m *message, cd bot.Countdown) {
	if c.runCtx == nil || c.runCtx.Err() != nil {
		return // not reading input: nobody to count down for
	}
	ctx, stop := context.WithCancel(c.runCtx)
	m.stop = stop
	c.timers.Add(1)
	go func() {
		defer c.timers.Done()
		defer stop()
		c.countdown(ctx, cd)
	}()
}

func (c *Console) countdown(ctx context.Context, cd bot.Countdown) {
	clock := c.opts.Clock
	for {
		left := cd.End.Sub(clock.Now())
		if left <= 0 {
			break
		}
		wait := left
		if c.opts.Terminal {
			if !c.printLive(ctx, "\r⏳ %s   ", c.p.T("console.left", "Duration", stretchbot.HumanDuration(c.p, left))) {
				return
			}
			// Wake at the next whole second of what is left.
			if wait = left % time.Second; wait == 0 {
				wait = time.Second
			}
		}
		t := clock.NewTimer(wait)
		select {
		case <-t.C():
		case <-ctx.Done():
			t.Stop()
			if c.opts.Terminal {
				c.printf("\r%s\r", strings.Repeat(" ", 40))
			}
			return
		}
	}
	if c.opts.Terminal {
		c.printLive(ctx, "\r⏰ %s   \a\n", cd.Done)
		return
	}
	c.printLive(ctx, "⏰ %s\n", cd.Done)
}

// printLive prints for a countdown unless it was stopped: the message may
// have moved on while its timer fired. show stops countdowns under c.mu, so
// the check cannot race with it.
func (c *Console) printLive(ctx context.Context, format string, args ...any) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ctx.Err() != nil {
		return false
	}
	fmt.Fprintf(c.out, format, args...)
	return true
}

// PictureDir is the folder, inside the file folder, that stretch pictures
// are kept in.
const PictureDir = "stretchbot-pictures"

// savePicture writes a card's picture to the pictures folder under its
// own name, unless the same file is already there, and returns its
// absolute path.
func (c *Console) savePicture(f bot.File) (string, error) {
	dir := filepath.Join(cmp.Or(c.opts.FileDir, "."), PictureDir)
	path, err := filepath.Abs(filepath.Join(dir, filepath.Base(f.Name)))
	if err != nil {
		return "", fmt.Errorf("picture path: %w", err)
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, f.Data) {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.WriteFile(path, f.Data, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// saveFile writes an attachment into the file folder under its own name,
// adding -2, -3… rather than replacing a file that is already there. It
// returns the absolute path.
func (c *Console) saveFile(f bot.File) (string, error) {
	dir := c.opts.FileDir
	if dir == "" {
		dir = "."
	}
	name := filepath.Base(f.Name)
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i <= 1000; i++ {
		candidate := name
		if i > 1 {
			candidate = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		path := filepath.Join(dir, candidate)
		file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("create %s: %w", path, err)
		}
		if _, err := file.Write(f.Data); err != nil {
			file.Close()
			os.Remove(path)
			return "", fmt.Errorf("write %s: %w", path, err)
		}
		if err := file.Close(); err != nil {
			os.Remove(path)
			return "", fmt.Errorf("write %s: %w", path, err)
		}
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		return path, nil
	}
	return "", fmt.Errorf("%s and 999 numbered copies already exist in %s", name, dir)
}

func (c *Console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, format, args...)
}
