package lang

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed messages/*.json
var messageFiles embed.FS

// Default is the language every other one falls back to, key by key.
const Default = "en"

// Catalog is a set of message files, one per language, all checked
// against the Default language's keys (see Check).
type Catalog struct {
	bundle  *i18n.Bundle
	locales []string // file names without ".json", Default first
	tags    []language.Tag
	matcher language.Matcher
	ids     map[string]map[string]bool // locale -> message ids it holds

	mu     sync.Mutex
	warned map[string]bool // locale + id already logged as missing
	cache  map[string]*Printer
}

var (
	builtinOnce sync.Once
	builtin     *Catalog
)

// Builtin is the catalogue embedded in the binary: lang/messages/*.json.
// A broken embedded file is a bug that go test ./lang/ catches, so it
// panics rather than returning an error every caller would have to handle.
func Builtin() *Catalog {
	builtinOnce.Do(func() {
		sub, err := fs.Sub(messageFiles, "messages")
		if err == nil {
			builtin, err = Load(sub)
		}
		if err != nil {
			panic(fmt.Sprintf("lang: embedded messages: %v", err))
		}
	})
	return builtin
}

// Load reads every <locale>.json file at the top of fsys. One of them must
// be Default's.
func Load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("list message files: %w", err)
	}
	c := &Catalog{
		bundle: i18n.NewBundle(language.English),
		ids:    map[string]map[string]bool{},
		warned: map[string]bool{},
		cache:  map[string]*Printer{},
	}
	c.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	slices.SortFunc(names, func(a, b string) int {
		// Default first, the rest by name: Supported's order.
		switch {
		case a == Default+".json":
			return -1
		case b == Default+".json":
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, name := range names {
		locale := strings.TrimSuffix(path.Base(name), ".json")
		tag, err := language.Parse(locale)
		if err != nil {
			return nil, fmt.Errorf("message file %s: %q is not a language tag: %w", name, locale, err)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		msgs, err := i18n.ParseMessageFileBytes(data, name, map[string]i18n.UnmarshalFunc{"json": json.Unmarshal})
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		if err := c.bundle.AddMessages(tag, msgs.Messages...); err != nil {
			return nil, fmt.Errorf("add %s: %w", name, err)
		}
		ids := make(map[string]bool, len(msgs.Messages))
		for _, m := range msgs.Messages {
			ids[m.ID] = true
		}
		c.ids[locale] = ids
		c.locales = append(c.locales, locale)
		c.tags = append(c.tags, tag)
	}
	if len(c.locales) == 0 || c.locales[0] != Default {
		return nil, fmt.Errorf("no %s.json among the message files", Default)
	}
	c.matcher = language.NewMatcher(c.tags)
	return c, nil
}

// Supported lists the locales that have a message file, Default first: a
// language is supported once its file exists.
func Supported() []string { return Builtin().Supported() }

// Supported lists c's locales, Default first.
func (c *Catalog) Supported() []string { return slices.Clone(c.locales) }

// For returns the printer for a Discord locale code ("de", "es-419",
// "en-US") or a POSIX one ("de_DE.UTF-8"), from the built-in catalogue.
func For(locale string) *Printer { return Builtin().For(locale) }

// English is the printer of the Default language.
func English() *Printer { return For(Default) }

// For returns the printer for locale. The language is chosen in this
// order: a file for exactly that locale ("es-419"); the closest file of
// the same language by CLDR's matching ("es-MX" → es-419, "de-AT" → de,
// "en-GB" → en); English. Any key the chosen file lacks falls back to
// English too.
func (c *Catalog) For(locale string) *Printer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.cache[locale]; ok {
		return p
	}
	chosen := c.resolve(locale)
	p, ok := c.cache["\x00"+chosen]
	if !ok {
		p = &Printer{catalog: c, locale: chosen, localizer: i18n.NewLocalizer(c.bundle, chosen)}
		c.cache["\x00"+chosen] = p
	}
	if len(c.cache) < 256 { // locales come from clients: keep the cache small
		c.cache[locale] = p
	}
	return p
}

// resolve picks the file for locale (see For).
func (c *Catalog) resolve(locale string) string {
	norm := Normalize(locale)
	for _, l := range c.locales {
		if strings.EqualFold(l, norm) {
			return l
		}
	}
	tag, err := language.Parse(norm)
	if err != nil {
		return Default
	}
	_, i, conf := c.matcher.Match(tag)
	want, _ := tag.Base()
	got, _ := c.tags[i].Base()
	if conf == language.No || want != got {
		return Default
	}
	return c.locales[i]
}

// Normalize turns a POSIX locale ("de_DE.UTF-8", "pt_BR") into a BCP 47
// one ("de-DE", "pt-BR"); "C" and "POSIX" mean English.
func Normalize(locale string) string {
	l := strings.TrimSpace(locale)
	if i := strings.IndexAny(l, ".@"); i >= 0 {
		l = l[:i]
	}
	l = strings.ReplaceAll(l, "_", "-")
	if l == "" || l == "C" || l == "POSIX" {
		return Default
	}
	return l
}

// Printer renders messages in one language, falling back to English for
// any message its file lacks. A nil *Printer prints English.
type Printer struct {
	catalog   *Catalog
	locale    string
	localizer *i18n.Localizer
}

func (p *Printer) orEnglish() *Printer {
	if p == nil {
		return English()
	}
	return p
}

// Locale is the message file this printer uses ("en", "de", "es-419").
func (p *Printer) Locale() string { return p.orEnglish().locale }

// Has reports whether id is a message of this printer's language or of
// English.
func (p *Printer) Has(id string) bool {
	p = p.orEnglish()
	return p.catalog.ids[p.locale][id] || p.catalog.ids[Default][id]
}

// HasOwn reports whether this printer's own file has id, not counting the
// English fallback: whether a text is really translated.
func (p *Printer) HasOwn(id string) bool {
	p = p.orEnglish()
	return p.catalog.ids[p.locale][id]
}

// T renders message id. kv are the template fields as name, value pairs:
// p.T("checkin.recheck", "When", "in 3 days").
func (p *Printer) T(id string, kv ...any) string {
	return p.orEnglish().localize(id, nil, kv)
}

// N renders the plural message id for the count n, in the form CLDR's
// rules choose for this language; the template gets n as {{.Count}}
// beside kv.
func (p *Printer) N(id string, n int, kv ...any) string {
	return p.orEnglish().localize(id, n, append([]any{"Count", n}, kv...))
}

func (p *Printer) localize(id string, count any, kv []any) string {
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			data[k] = kv[i+1]
		}
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count}
	s, err := p.localizer.Localize(cfg)
	if err == nil {
		return s
	}
	// go-i18n answers a key this language lacks with English and an
	// error; a key English lacks too with "". Either is a bug the tests
	// of ./lang/ catch: log it once, never show the key itself.
	p.catalog.warnOnce(p.locale, id, err)
	if s == "" && p.locale != Default {
		return p.catalog.For(Default).localize(id, count, kv)
	}
	return s
}

func (c *Catalog) warnOnce(locale, id string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := locale + "\x00" + id
	if c.warned[key] {
		return
	}
	c.warned[key] = true
	if len(id) > 80 {
		id = id[:80] + "…"
	}
	slog.Warn("message missing or broken", "locale", locale, "id", id, "err", err)
}
