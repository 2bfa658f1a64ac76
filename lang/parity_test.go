package lang_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/stretchbot/stretchbot/lang"
)

// pluralForms are go-i18n's names for CLDR's plural categories.
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// message is one entry of a message file as written: its forms and
// whether it was written as a plain string.
type message struct {
	forms map[string]string // form name -> text; a plain string is "other"
	desc  string
}

func (m message) plural() bool { return len(m.forms) > 1 || m.forms["other"] == "" }

func readMessages(t *testing.T, path string) map[string]message {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]message{}
	for id, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[id] = message{forms: map[string]string{"other": s}}
			continue
		}
		var obj map[string]string
		if err := json.Unmarshal(v, &obj); err != nil {
			t.Errorf("%s: %s: neither a string nor an object of strings: %v", path, id, err)
			continue
		}
		m := message{forms: map[string]string{}, desc: obj["description"]}
		for k, text := range obj {
			switch {
			case slices.Contains(pluralForms, k):
				m.forms[k] = text
			case k == "description", k == "hash":
			default:
				t.Errorf("%s: %s: unknown field %q (want description or %s)", path, id, k, strings.Join(pluralForms, ", "))
			}
		}
		out[id] = m
	}
	return out
}

// cldrForms returns the plural categories CLDR gives locale's language for
// whole and decimal numbers, asked of go-i18n's own rules by rendering a
// message that names each form.
func cldrForms(t *testing.T, locale string) []string {
	t.Helper()
	tag := language.MustParse(locale)
	b := i18n.NewBundle(tag)
	b.MustAddMessages(tag, &i18n.Message{ID: "f", Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"})
	loc := i18n.NewLocalizer(b, locale)
	seen := map[string]bool{}
	var counts []any
	for n := range 1001 {
		counts = append(counts, n)
	}
	counts = append(counts, 1000000, 2000000, 1000001, "0.5", "1.5", "2.5", "1.0", "0.0", "3.4", "10.1")
	for _, n := range counts {
		s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: "f", PluralCount: n})
		if err != nil {
			t.Fatalf("%s: plural form of %v: %v", locale, n, err)
		}
		seen[s] = true
	}
	var out []string
	for _, f := range pluralForms {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// placeholders lists the template fields used by any form of m.
func placeholders(m message) []string {
	set := map[string]bool{}
	for _, text := range m.forms {
		for _, match := range placeholder.FindAllStringSubmatch(text, -1) {
			set[match[1]] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func messageFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("messages/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no message files: %v", err)
	}
	return files
}

// parity lists how msgs (the file at path, of a language whose CLDR
// plural forms are forms) differs from en: missing and extra keys, plural
// forms other than forms, empty texts, placeholders other than en's.
func parity(en, msgs map[string]message, path string, forms []string) []string {
	var errs []string
	for _, id := range sortedKeys(en) {
		m, ok := msgs[id]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s lacks %q (English: %q)", path, id, en[id].forms["other"]))
			continue
		}
		if en[id].plural() {
			var got []string
			for _, f := range pluralForms {
				if _, ok := m.forms[f]; ok {
					got = append(got, f)
				}
			}
			if !slices.Equal(got, forms) {
				errs = append(errs, fmt.Sprintf("%s: %q has plural forms %q; CLDR's rules for this language use exactly %q", path, id, got, forms))
			}
		} else if len(m.forms) != 1 || m.forms["other"] == "" {
			errs = append(errs, fmt.Sprintf("%s: %q must be one text (a string, or \"other\" with a description): English has no plural forms here", path, id))
		}
		for _, f := range sortedKeys(m.forms) {
			if strings.TrimSpace(m.forms[f]) == "" {
				errs = append(errs, fmt.Sprintf("%s: %q form %s is empty", path, id, f))
			}
		}
		if got, want := placeholders(m), placeholders(en[id]); !slices.Equal(got, want) {
			errs = append(errs, fmt.Sprintf("%s: %q has placeholders %q, English has %q", path, id, got, want))
		}
	}
	for _, id := range sortedKeys(msgs) {
		if _, ok := en[id]; !ok {
			errs = append(errs, fmt.Sprintf("%s has %q, which en.json does not: remove it or add it to en.json first", path, id))
		}
	}
	return errs
}

// TestEveryLanguageHasExactlyTheEnglishKeys is the parity check: every
// file has en's keys, no other, the plural forms CLDR requires for its
// language (no more), and the same placeholders as en in every message.
func TestEveryLanguageHasExactlyTheEnglishKeys(t *testing.T) {
	en := readMessages(t, "messages/en.json")
	for _, path := range messageFiles(t) {
		locale := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(locale, func(t *testing.T) {
			for _, e := range parity(en, readMessages(t, path), path, cldrForms(t, locale)) {
				t.Error(e)
			}
		})
	}
}

// TestEveryMessageRendersInEveryLanguage: each message renders with the
// placeholders English uses, without a template error or a "<no value>".
func TestEveryMessageRendersInEveryLanguage(t *testing.T) {
	en := readMessages(t, "messages/en.json")
	c, err := lang.Load(os.DirFS("messages"))
	if err != nil {
		t.Fatal(err)
	}
	for _, locale := range c.Supported() {
		p := c.For(locale)
		for _, id := range sortedKeys(en) {
			var kv []any
			for _, name := range placeholders(en[id]) {
				if name != "Count" {
					kv = append(kv, name, "X")
				}
			}
			for _, n := range []int{0, 1, 2, 5, 21, 1000000} {
				var got string
				if en[id].plural() {
					got = p.N(id, n, kv...)
				} else {
					got = p.T(id, kv...)
				}
				if got == "" || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
					t.Errorf("%s: %s renders as %q", locale, id, got)
				}
				if !en[id].plural() {
					break
				}
			}
		}
	}
}

func TestEnglishUsesTheTwoFormsOfCLDR(t *testing.T) {
	if got := cldrForms(t, "en"); !slices.Equal(got, []string{"one", "other"}) {
		t.Fatalf("English forms = %q", got)
	}
	if got := cldrForms(t, "fr"); !slices.Equal(got, []string{"one", "many", "other"}) {
		t.Fatalf("French forms = %q: the probe misses a category", got)
	}
}

// TestParityCheckCatchesDifferences runs the parity rules on
// testdata/broken.json against testdata/messages/en.json: a missing key,
// an extra key, a missing plural form, a renamed placeholder, and nothing
// else.
func TestParityCheckCatchesDifferences(t *testing.T) {
	en := readMessages(t, "testdata/messages/en.json")
	errs := parity(en, readMessages(t, "testdata/broken.json"), "broken.json", []string{"one", "other"})
	for _, want := range []string{`lacks "only.english"`, `has "extra"`, `"words.stretch" has plural forms ["other"]`, `"greeting" has placeholders ["Nom"]`} {
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, want) }) {
			t.Errorf("parity missed %s; it said %q", want, errs)
		}
	}
	if len(errs) != 4 {
		t.Errorf("parity found %d differences, want 4: %q", len(errs), errs)
	}
	if errs := parity(en, readMessages(t, "testdata/messages/en.json"), "en.json", []string{"one", "other"}); len(errs) > 0 {
		t.Errorf("en.json differs from itself: %q", errs)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
