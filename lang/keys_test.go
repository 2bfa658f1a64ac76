package lang_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// messageID is what a string literal that names a message looks like,
// when its first part starts a key of en.json.
var messageID = regexp.MustCompile(`^([a-z]+)\.[a-z0-9_.-]*[a-z0-9_]$`)

// TestCodeNamesOnlyMessagesThatExist: every string literal in the
// repository's Go code that looks like a message id (checkin.q1.question,
// words.stretch) is a key of en.json, so no text is missing at run time.
// Ids built from parts ("checkin." + id + ".question") are covered by
// the tests that render every screen.
func TestCodeNamesOnlyMessagesThatExist(t *testing.T) {
	en := readMessages(t, "messages/en.json")
	prefixes := map[string]bool{}
	for id := range en {
		prefixes[strings.SplitN(id, ".", 2)[0]] = true
	}
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			m := messageID.FindStringSubmatch(s)
			if err != nil || m == nil || !prefixes[m[1]] {
				return true
			}
			found++
			if _, ok := en[s]; !ok && !isPrefix(en, s) {
				t.Errorf("%s names message %q, which en.json does not have", path, s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("found only %d message ids in the code; the walk is broken", found)
	}
}

// isPrefix reports whether s is the start of ids built at run time
// ("checkin.recall.ask" + "." + tier).
func isPrefix(en map[string]message, s string) bool {
	for id := range en {
		if strings.HasPrefix(id, s+".") {
			return true
		}
	}
	return false
}
