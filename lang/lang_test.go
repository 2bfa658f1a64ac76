package lang_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/lang"
)

func testCatalog(t *testing.T) *lang.Catalog {
	t.Helper()
	c, err := lang.Load(os.DirFS("testdata/messages"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestGermanLocaleUsesTheGermanFile: an interaction in "de" (or a region of
// German) gets the German file, plurals by German rules.
func TestGermanLocaleUsesTheGermanFile(t *testing.T) {
	c := testCatalog(t)
	for _, locale := range []string{"de", "de-AT", "de_DE.UTF-8", "DE"} {
		p := c.For(locale)
		if p.Locale() != "de" {
			t.Errorf("For(%q).Locale() = %q, want de", locale, p.Locale())
		}
		if got := p.T("greeting", "Name", "Ana"); got != "Hallo, Ana." {
			t.Errorf("For(%q) greeting = %q", locale, got)
		}
		if got := p.N("words.stretch", 1); got != "1 Dehnung" {
			t.Errorf("For(%q) 1 stretch = %q", locale, got)
		}
		if got := p.N("words.stretch", 3); got != "3 Dehnungen" {
			t.Errorf("For(%q) 3 stretches = %q", locale, got)
		}
	}
}

// TestUnknownLocaleFallsBackToEnglish: a locale without a file, a broken
// one, or none at all gets English.
func TestUnknownLocaleFallsBackToEnglish(t *testing.T) {
	c := testCatalog(t)
	for _, locale := range []string{"", "fr", "ja", "zz-ZZ", "not a locale", "en-US", "en-GB", "C", "POSIX"} {
		p := c.For(locale)
		if p.Locale() != "en" {
			t.Errorf("For(%q).Locale() = %q, want en", locale, p.Locale())
		}
		if got := p.T("greeting", "Name", "Ana"); got != "Hello, Ana." {
			t.Errorf("For(%q) greeting = %q", locale, got)
		}
	}
}

// TestMissingKeyFallsBackToEnglishNeverTheKey: a key a language lacks is
// shown in English; a key nobody has is never shown raw.
func TestMissingKeyFallsBackToEnglishNeverTheKey(t *testing.T) {
	c := testCatalog(t)
	de := c.For("de")
	if got := de.T("only.english"); got != "Only in English." {
		t.Errorf("missing German key = %q, want the English text", got)
	}
	if got := de.T("no.such.key"); strings.Contains(got, "no.such.key") {
		t.Errorf("unknown key shown raw: %q", got)
	}
	if !de.Has("only.english") || de.Has("no.such.key") {
		t.Error("Has does not follow the English fallback")
	}
}

func TestNilPrinterPrintsEnglish(t *testing.T) {
	var p *lang.Printer
	if got := p.N("words.stretch", 2); got != "2 stretches" {
		t.Errorf("nil printer = %q", got)
	}
	if p.Locale() != "en" {
		t.Errorf("nil printer locale = %q", p.Locale())
	}
}

func TestSupportedStartsWithEnglishAndIsDerivedFromTheFiles(t *testing.T) {
	got := testCatalog(t).Supported()
	if strings.Join(got, ",") != "en,de" {
		t.Errorf("Supported() = %q, want en,de", got)
	}
	if lang.Supported()[0] != "en" {
		t.Errorf("built-in Supported() = %q", lang.Supported())
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"de_DE.UTF-8": "de-DE", "pt_BR": "pt-BR", "C": "en", "": "en", "es-419": "es-419", "fr_FR@euro": "fr-FR",
	} {
		if got := lang.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegionalSpanishPicksTheNearestFile(t *testing.T) {
	c, err := lang.Load(os.DirFS("testdata/regions"))
	if err != nil {
		t.Fatal(err)
	}
	for locale, want := range map[string]string{
		"es-419": "es-419", "es-ES": "es-ES", "es-MX": "es-419", "es-AR": "es-419", "es": "es-ES", "pt-BR": "pt-BR", "pt-PT": "pt-BR", "pt": "pt-BR",
	} {
		if got := c.For(locale).Locale(); got != want {
			t.Errorf("For(%q) = %q, want %q", locale, got, want)
		}
	}
}
