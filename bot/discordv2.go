package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Components V2 (Discord's component reference). A V2 message has no
// content and no embeds: text goes in Text Displays, a card is a Container
// and a picture a Media Gallery item or a Thumbnail, each with its alt text.
const (
	flagComponentsV2 = discordgo.MessageFlagsIsComponentsV2
	// maxComponents counts every component of a message, nested ones
	// included.
	maxComponents = 40
	// maxText is the total of all Text Displays of a message.
	maxText       = 4000
	maxMediaItems = 10
)

// needsV2 reports whether a reply shows a picture inside a card, which
// only a Components V2 message can do with alt text.
func needsV2(r Reply) bool {
	for _, c := range r.Cards {
		if len(c.Images) > 0 || c.Thumbnail != "" {
			return true
		}
	}
	return false
}

// isV2 reports whether a message carries the IS_COMPONENTS_V2 flag.
func isV2(m *discordgo.Message) bool {
	return m != nil && m.Flags&flagComponentsV2 != 0
}

// textBudget hands out the characters of a message's Text Displays.
type textBudget int

// take returns s clipped to what is left, and counts it.
func (b *textBudget) take(s string) string {
	s = clip(strings.TrimSpace(s), int(*b))
	*b -= textBudget(utf8.RuneCountInString(s))
	return s
}

func textDisplay(s string) discordgo.MessageComponent {
	return discordgo.TextDisplay{Content: s}
}

// renderV2 renders a Reply as a Components V2 message: the content as text,
// each card as a Container (title and description, its pictures, its fields,
// its footer in small print), then the button rows. Texts are clipped to
// Discord's 4000-character total, and rows then cards are left out from the
// end while the message has more than 40 components.
func renderV2(r Reply) rendered {
	out := rendered{v2: true, components: []discordgo.MessageComponent{}, mentions: allowedMentions(r)}
	out.files, out.attachments = renderFiles(r.Files)
	alt := map[string]string{}
	for _, f := range r.Files {
		alt[f.Name] = clip(strings.TrimSpace(f.Description), maxAltText)
	}
	budget := textBudget(maxText)
	var top []discordgo.MessageComponent
	if s := budget.take(r.Content); s != "" {
		top = append(top, textDisplay(s))
	}
	for _, c := range r.Cards {
		if cont, ok := renderContainer(c, alt, &budget); ok {
			top = append(top, cont)
		}
	}
	rows := renderRows(r.Rows)
	for componentCount(append(top, rows...)) > maxComponents {
		if len(rows) > 0 {
			rows = rows[:len(rows)-1]
		} else {
			top = top[:len(top)-1]
		}
	}
	out.components = append(append(out.components, top...), rows...)
	return out
}

// renderContainer renders one card; ok is false when nothing of it fits.
func renderContainer(c Card, alt map[string]string, budget *textBudget) (discordgo.Container, bool) {
	color := c.Color
	cont := discordgo.Container{AccentColor: &color}
	head := strings.TrimSpace(c.Description)
	if t := strings.TrimSpace(c.Title); t != "" {
		head = strings.TrimSpace("### " + t + "\n" + head)
	}
	head = budget.take(head)
	thumb, hasThumb := media(c.Thumbnail, alt)
	switch {
	case hasThumb && head != "":
		cont.Components = append(cont.Components, discordgo.Section{
			Components: []discordgo.MessageComponent{textDisplay(head)},
			Accessory:  discordgo.Thumbnail{Media: thumb.Media, Description: thumb.Description},
		})
	case head != "":
		cont.Components = append(cont.Components, textDisplay(head))
	}
	var gallery []discordgo.MediaGalleryItem
	for _, name := range c.Images {
		if item, ok := media(name, alt); ok && len(gallery) < maxMediaItems {
			gallery = append(gallery, item)
		}
	}
	if hasThumb && head == "" && len(gallery) < maxMediaItems {
		gallery = append(gallery, thumb) // no text to sit beside
	}
	if len(gallery) > 0 {
		cont.Components = append(cont.Components, discordgo.MediaGallery{Items: gallery})
	}
	var fields []string
	for _, f := range c.Fields {
		fields = append(fields, strings.TrimSpace("**"+strings.TrimSpace(f.Name)+"**\n"+f.Value))
	}
	if s := budget.take(strings.Join(fields, "\n\n")); s != "" {
		cont.Components = append(cont.Components, textDisplay(s))
	}
	if f := strings.TrimSpace(c.Footer); f != "" {
		// "-# " is Discord's small print.
		if s := budget.take("-# " + f); len(s) > len("-# ") {
			cont.Components = append(cont.Components, textDisplay(s))
		}
	}
	return cont, len(cont.Components) > 0
}

// media returns the gallery item of an attached file; ok is false when the
// reply has no file of that name (a reference Discord would refuse).
func media(name string, alt map[string]string) (discordgo.MediaGalleryItem, bool) {
	a, ok := alt[name]
	if name == "" || !ok {
		return discordgo.MediaGalleryItem{}, false
	}
	item := discordgo.MediaGalleryItem{Media: discordgo.UnfurledMediaItem{URL: "attachment://" + name}}
	if a != "" {
		item.Description = &a
	}
	return item, true
}

// componentCount counts components as Discord does towards its limit of
// 40: every component, nested ones and accessories included.
func componentCount(cs []discordgo.MessageComponent) int {
	n := 0
	for _, c := range cs {
		n++
		switch c := c.(type) {
		case discordgo.Container:
			n += componentCount(c.Components)
		case discordgo.Section:
			n += componentCount(c.Components)
			if c.Accessory != nil {
				n++
			}
		case discordgo.ActionsRow:
			n += len(c.Components)
		}
	}
	return n
}
