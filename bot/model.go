package bot

import (
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/lang"
)

// Kind is the kind of an interaction.
type Kind int

// Interaction kinds.
const (
	KindCommand Kind = iota
	KindButton
	KindAutocomplete
)

// Interaction is one user action, whatever the transport.
type Interaction struct {
	Kind      Kind
	UserID    string
	UserName  string
	GuildID   string // empty in DMs
	ChannelID string
	// Permissions are the member's permissions in the channel (Discord's
	// bit set); zero in DMs.
	Permissions int64
	// Command is the full command path, e.g. "stretch remind set".
	Command string
	// Options are the leaf options by name, as typed.
	Options map[string]string
	// Focused is the option being typed, for autocomplete.
	Focused string
	// CustomID is the button's custom_id, for button clicks.
	CustomID string
	// Context is where the interaction happened: a server, the bot's DM or
	// a conversation between people.
	Context InteractionContext
	// Reach says whether the bot can post in the channel; see
	// UserInstallContext.
	Reach Reach
	// Locale is the language of the person's client, a Discord locale
	// code ("de", "es-419", "en-US"); GuildLocale is the server's, "" in
	// DMs. Replies are in Locale (see Lang).
	Locale      string
	GuildLocale string
}

// Lang is the printer of the person's language: their client's locale,
// English when there is no message file for it.
func (in Interaction) Lang() *lang.Printer { return lang.For(in.Locale) }

// Option returns the trimmed value of an option, "" when absent.
func (in Interaction) Option(name string) string {
	return strings.TrimSpace(in.Options[name])
}

// Reply is the answer to an interaction, or a message the bot posts.
type Reply struct {
	// Ephemeral replies are seen only by the person who asked.
	Ephemeral bool
	// Update edits the message the clicked button is on, instead of
	// sending a new one.
	Update  bool
	Content string
	Cards   []Card
	Rows    [][]Button
	Files   []File
	// Choices answers an autocomplete request.
	Choices []Choice
	// Mention is the user a channel message is for; the transport makes the
	// mention ping only that user.
	Mention string
	// Silent messages arrive without a notification (a reminder in the
	// person's quiet hours, when they chose that).
	Silent bool
	// Countdown is a hold the message counts down to. Discord shows it
	// through the relative timestamp in the text; the console ticks it.
	Countdown *Countdown
}

// Countdown is a timed hold shown on a message.
type Countdown struct {
	End time.Time
	// Done is the line shown when the time is up.
	Done string
}

// Card is a block of formatted text with, optionally, pictures: files of
// the same Reply, named here and described by their alt text.
type Card struct {
	Title       string
	Description string
	Color       int
	Fields      []Field
	Footer      string
	// Images are names of Files shown large inside the card.
	Images []string
	// Thumbnail is the name of a File shown small beside the title and
	// description.
	Thumbnail string
}

// Field is a titled paragraph of a Card.
type Field struct {
	Name  string
	Value string
}

// ButtonStyle is how a button looks.
type ButtonStyle int

// Button styles, matching Discord's.
const (
	Primary ButtonStyle = iota + 1
	Secondary
	Success
	Danger
)

// Button is a clickable action. ID is the custom_id the click comes back with.
type Button struct {
	Label    string
	ID       string
	Style    ButtonStyle
	Disabled bool
}

// File is an attachment.
type File struct {
	Name        string
	ContentType string
	Data        []byte
	Description string // alt text
	// Picture marks a stretch picture: the same bytes every time it is
	// sent under this name, so a transport may keep a single copy.
	Picture bool
}

// Choice is one autocomplete suggestion.
type Choice struct {
	Name  string
	Value string
}

// Colours of cards, readable on Discord's dark and light themes.
const (
	colorStretch   = 0x3BA55C // calm green
	colorInfo      = 0x5865F2 // Discord blurple
	colorWarning   = 0xFAA61A // amber
	colorUrgent    = 0xED4245 // red
	colorEmergency = 0xB00020 // deep red
)

// message is a small helper for a plain ephemeral text reply.
func message(format string) Reply {
	return Reply{Ephemeral: true, Content: format}
}
