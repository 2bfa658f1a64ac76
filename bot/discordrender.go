package bot

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/lang"
)

// Discord's limits (Message, Embed, Component and Application Command
// resources). Handlers try to stay inside them; the renderer enforces them
// again so one overlong text never turns into a rejected message.
const (
	maxContent        = 2000
	maxEmbeds         = 10
	maxEmbedTitle     = 256
	maxEmbedDesc      = 4096
	maxEmbedFields    = 25
	maxFieldName      = 256
	maxFieldValue     = 1024
	maxFooter         = 2048
	maxEmbedTotal     = 6000
	maxRows           = 5
	maxRowButtons     = 5
	maxButtonLabel    = 80
	maxChoices        = 25
	maxChoiceText     = 100
	maxCommandDesc    = 100
	maxCommandOptions = 25
	maxAltText        = 1024 // attachment and media descriptions
)

// flagEphemeral is Discord's EPHEMERAL message flag.
const flagEphemeral = discordgo.MessageFlagsEphemeral

// clip shortens s to at most n characters (code points, as Discord counts),
// ending with an ellipsis when something was cut.
func clip(s string, n int) string {
	switch {
	case utf8.RuneCountInString(s) <= n:
		return s
	case n <= 0:
		return ""
	}
	return truncateText(s, n)
}

// nonEmpty returns s, or a zero-width space when s is blank: Discord requires
// field names and values to be non-empty.
func nonEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return "\u200b"
	}
	return s
}

// rendered is a Reply in Discord's parts.
type rendered struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	files      []*discordgo.File
	// attachments describe files (alt text), in the order of files.
	attachments []attachment
	mentions    *discordgo.MessageAllowedMentions
	// v2 says the parts are a Components V2 message: no content and no
	// embeds, everything in components.
	v2 bool
}

// attachment is a message's attachment entry. discordgo v0.29's
// MessageAttachment has no description (alt text), so requests with files
// are encoded by hand with this type.
type attachment struct {
	ID          int    `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description,omitempty"`
}

// render turns a Reply into Discord message parts within Discord's limits:
// a Components V2 message when a card shows a picture, or when the reply
// edits a message that already is one (onV2), since that flag can never be
// taken off a message again.
func render(r Reply, onV2 bool) rendered {
	if onV2 || needsV2(r) {
		return renderV2(r)
	}
	// Empty lists, not null, so that an update clears what it replaces.
	out := rendered{content: clip(r.Content, maxContent), embeds: []*discordgo.MessageEmbed{}}
	// The 6000-character total is per message: later cards get what the
	// earlier ones left, and a card with no room left is dropped.
	budget := maxEmbedTotal
	for i, c := range r.Cards {
		if i == maxEmbeds || budget <= 0 {
			break
		}
		e := renderCard(c, budget)
		budget -= embedSize(e)
		out.embeds = append(out.embeds, e)
	}
	out.components = renderRows(r.Rows)
	out.files, out.attachments = renderFiles(r.Files)
	out.mentions = allowedMentions(r)
	return out
}

// renderFiles turns files into uploads and their attachment entries.
func renderFiles(fs []File) ([]*discordgo.File, []attachment) {
	var files []*discordgo.File
	var atts []attachment
	for i, f := range fs {
		files = append(files, &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: bytes.NewReader(f.Data)})
		atts = append(atts, attachment{ID: i, Filename: f.Name, Description: clip(f.Description, maxAltText)})
	}
	return files, atts
}

// allowedMentions pings nobody unless the Reply names its one user: text
// people typed (names of things, time zones) can never ping @everyone or a
// role.
func allowedMentions(r Reply) *discordgo.MessageAllowedMentions {
	m := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
	if r.Mention != "" {
		m.Users = []string{r.Mention}
	}
	return m
}

// renderCard renders a Card as an embed, clipped to the per-field limits and
// then to budget characters in all (fields are dropped from the end first,
// then the description is shortened, then the title and footer).
func renderCard(c Card, budget int) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       clip(c.Title, maxEmbedTitle),
		Description: clip(c.Description, maxEmbedDesc),
		Color:       c.Color,
	}
	for i, f := range c.Fields {
		if i == maxEmbedFields {
			break
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: clip(nonEmpty(f.Name), maxFieldName), Value: clip(nonEmpty(f.Value), maxFieldValue)})
	}
	if c.Footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: clip(c.Footer, maxFooter)}
	}
	if len(c.Images) > 0 {
		e.Image = &discordgo.MessageEmbedImage{URL: "attachment://" + c.Images[0]}
	}
	if c.Thumbnail != "" {
		e.Thumbnail = &discordgo.MessageEmbedThumbnail{URL: "attachment://" + c.Thumbnail}
	}
	for embedSize(e) > budget && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	for _, s := range []*string{&e.Description, &e.Title} {
		if over := embedSize(e) - budget; over > 0 {
			*s = clip(*s, max(0, utf8.RuneCountInString(*s)-over))
		}
	}
	if over := embedSize(e) - budget; over > 0 && e.Footer != nil {
		e.Footer.Text = clip(e.Footer.Text, max(0, utf8.RuneCountInString(e.Footer.Text)-over))
	}
	return e
}

// embedSize counts an embed's characters as Discord does for its total.
func embedSize(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	return n
}

// buttonStyles maps our styles to Discord's; anything unknown is Secondary.
var buttonStyles = map[ButtonStyle]discordgo.ButtonStyle{
	Primary:   discordgo.PrimaryButton,
	Secondary: discordgo.SecondaryButton,
	Success:   discordgo.SuccessButton,
	Danger:    discordgo.DangerButton,
}

// renderRows renders button rows: at most 5 rows of 5 buttons, custom_ids
// unique and at most 100 characters (a button breaking that is left out:
// a click on it could not be understood anyway).
func renderRows(rows [][]Button) []discordgo.MessageComponent {
	out := []discordgo.MessageComponent{}
	seen := map[string]bool{}
	for _, row := range rows {
		if len(out) == maxRows {
			break
		}
		var btns []discordgo.MessageComponent
		for _, b := range row {
			if len(btns) == maxRowButtons {
				break
			}
			if b.ID == "" || len(b.ID) > customid.MaxLen || seen[b.ID] {
				continue
			}
			seen[b.ID] = true
			style, ok := buttonStyles[b.Style]
			if !ok {
				style = discordgo.SecondaryButton
			}
			btns = append(btns, discordgo.Button{Label: clip(nonEmpty(b.Label), maxButtonLabel), CustomID: b.ID, Style: style, Disabled: b.Disabled})
		}
		if len(btns) > 0 {
			out = append(out, discordgo.ActionsRow{Components: btns})
		}
	}
	return out
}

// renderChoices renders autocomplete choices: at most 25, names 1-100 and
// values at most 100 characters. A value longer than that is left out
// rather than cut, since a cut value would mean something else.
func renderChoices(cs []Choice) []*discordgo.ApplicationCommandOptionChoice {
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, c := range cs {
		if len(out) == maxChoices {
			break
		}
		if c.Value == "" || utf8.RuneCountInString(c.Value) > maxChoiceText {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: clip(nonEmpty(c.Name), maxChoiceText), Value: c.Value})
	}
	return out
}

// localized is the text of message id in every language with a message
// file of its own that has it, by Discord locale: Discord's
// name_localizations and description_localizations. A text equal to the
// English one is left out (Discord shows the English one then anyway);
// limit clips descriptions. nil when no language differs.
func localized(id, english string, limit int) map[discordgo.Locale]string {
	var out map[discordgo.Locale]string
	for _, locale := range lang.Supported() {
		p := lang.For(locale)
		if _, discord := discordgo.Locales[discordgo.Locale(locale)]; !discord || locale == lang.Default || !p.HasOwn(id) {
			continue
		}
		text := p.T(id)
		if limit > 0 {
			text = clip(text, limit)
		}
		if text == english || text == "" {
			continue
		}
		if out == nil {
			out = map[discordgo.Locale]string{}
		}
		out[discordgo.Locale(locale)] = text
	}
	return out
}

// localizedPtr is localized for the fields discordgo keeps as pointers.
func localizedPtr(id, english string, limit int) *map[discordgo.Locale]string {
	if m := localized(id, english, limit); m != nil {
		return &m
	}
	return nil
}

// applicationCommands converts the command tree to Discord's definitions,
// with the names and descriptions of every language that has them.
func applicationCommands(specs []CommandSpec) []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(specs))
	for _, c := range specs {
		key := commandKey(c.Name)
		ac := &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     c.Name,
			NameLocalizations:        localizedPtr(key+".name", c.Name, 0),
			Description:              clip(c.Description, maxCommandDesc),
			DescriptionLocalizations: localizedPtr(key+".description", c.Description, maxCommandDesc),
			Options:                  commandOptions(c.Name, c),
		}
		if c.AdminOnly {
			perm := PermManageGuild
			ac.DefaultMemberPermissions = &perm
		}
		// Personal commands work wherever the person is: through a
		// server's install or their own, in a server, in the bot's DM and
		// in conversations between people. Server-only ones come with a
		// server's install and work in its channels only.
		installs := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall, discordgo.ApplicationIntegrationUserInstall}
		contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel}
		if c.GuildOnly {
			installs, contexts = installs[:1], contexts[:1]
		}
		ac.IntegrationTypes, ac.Contexts = &installs, &contexts
		out = append(out, ac)
	}
	return out
}

// commandOptions renders a command's subcommands, groups or options.
// Discord wants required options before optional ones.
func commandOptions(path string, c CommandSpec) []*discordgo.ApplicationCommandOption {
	var out []*discordgo.ApplicationCommandOption
	for _, s := range c.Subs {
		t := discordgo.ApplicationCommandOptionSubCommand
		if len(s.Subs) > 0 {
			t = discordgo.ApplicationCommandOptionSubCommandGroup
		}
		sub := path + " " + s.Name
		key := commandKey(sub)
		out = append(out, &discordgo.ApplicationCommandOption{
			Type: t, Name: s.Name, NameLocalizations: localized(key+".name", s.Name, 0),
			Description: clip(s.Description, maxCommandDesc), DescriptionLocalizations: localized(key+".description", s.Description, maxCommandDesc),
			Options: commandOptions(sub, s),
		})
	}
	opts := slices.Clone(c.Options)
	slices.SortStableFunc(opts, func(a, b OptionSpec) int {
		return cmp.Compare(boolRank(!a.Required), boolRank(!b.Required))
	})
	for _, o := range opts {
		key := optionKey(path, o.Name)
		ao := &discordgo.ApplicationCommandOption{
			Name: o.Name, NameLocalizations: localized(key+".name", o.Name, 0),
			Description: clip(o.Description, maxCommandDesc), DescriptionLocalizations: localized(key+".description", o.Description, maxCommandDesc),
			Required: o.Required, Autocomplete: o.Autocomplete,
		}
		switch o.Type {
		case OptInteger:
			ao.Type = discordgo.ApplicationCommandOptionInteger
		case OptBoolean:
			ao.Type = discordgo.ApplicationCommandOptionBoolean
		default:
			ao.Type = discordgo.ApplicationCommandOptionString
		}
		for _, ch := range o.Choices {
			ao.Choices = append(ao.Choices, &discordgo.ApplicationCommandOptionChoice{Name: textOr(lang.English(), key+".choice."+ch, ch), NameLocalizations: localized(key+".choice."+ch, ch, maxChoiceText), Value: ch})
		}
		out = append(out, ao)
	}
	if len(out) > maxCommandOptions {
		out = out[:maxCommandOptions]
	}
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
