package stretchbot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// ownWordsRun is the longest run of consecutive words we may share with the
// source article: facts are ours to use, its sentences are not.
const ownWordsRun = 8

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}

func shingles(ws []string, n int) map[string]bool {
	out := map[string]bool{}
	for i := 0; i+n <= len(ws); i++ {
		out[strings.Join(ws[i:i+n], " ")] = true
	}
	return out
}

// userFacingTexts returns every text a user can see: the catalogue, the docs
// and every string literal in non-test Go code of the repository.
func userFacingTexts(t *testing.T) map[string]string {
	t.Helper()
	texts := map[string]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(path, ".json"), strings.HasSuffix(path, ".md"):
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			texts[path] = string(b)
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go"):
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			var b strings.Builder
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						b.WriteString(s)
						b.WriteString("\n")
					}
				}
				return true
			})
			texts[path] = b.String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

func TestProductTextIsInOurOwnWords(t *testing.T) {
	// The article sits beside the checkout (../shared), or beside the
	// folder of git worktrees (../../shared).
	seed, err := os.ReadFile("../shared/seed/stretches-for-lower-back-spasms.txt")
	if err != nil {
		seed, err = os.ReadFile("../../shared/seed/stretches-for-lower-back-spasms.txt")
	}
	if err != nil {
		t.Skipf("seed article not present (%v); run from a checkout beside ../shared to check wording", err)
	}
	banned := shingles(words(string(seed)), ownWordsRun)
	texts := userFacingTexts(t)
	if len(texts) < 3 {
		t.Fatalf("found only %d texts to check; the walk is broken", len(texts))
	}
	// Every language's messages (the stretch texts among them) and the
	// catalogue's facts are checked like the rest.
	for _, want := range []string{"stretches.json", filepath.Join("lang", "messages", "en.json")} {
		if _, ok := texts[want]; !ok {
			t.Errorf("the walk missed %s", want)
		}
	}
	for path, text := range texts {
		ws := words(text)
		for i := 0; i+ownWordsRun <= len(ws); i++ {
			if run := strings.Join(ws[i:i+ownWordsRun], " "); banned[run] {
				t.Errorf("%s repeats the source article word for word: %q", path, run)
			}
		}
	}
}

func TestOwnWordsCheckCatchesACopiedSentence(t *testing.T) {
	seed := "Lie flat on your back, knees bent and feet flat on the floor."
	banned := shingles(words(seed), ownWordsRun)
	copied := "Step one: lie flat on your back, knees bent and feet flat."
	hit := false
	ws := words(copied)
	for i := 0; i+ownWordsRun <= len(ws); i++ {
		hit = hit || banned[strings.Join(ws[i:i+ownWordsRun], " ")]
	}
	if !hit {
		t.Fatal("a copied run of 8 words was not detected")
	}
}
