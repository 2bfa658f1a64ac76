// Command importgroups fails when a Go file's imports are not grouped the way
// goimports groups them: standard-library imports first, in one group of
// their own, then a blank line, then everything else (third-party and this
// module's packages, in one or more groups). gofmt sorts within a group but
// never moves an import between groups, so a project import pasted into the
// standard-library group survives gofmt; this check catches it.
//
// CI runs it as `go run ./internal/importgroups .`: it needs only the
// standard library, so it builds in a second and works offline, where
// goimports or gci would first have to be downloaded and compiled.
//
// Usage: importgroups [dir ...] (default "."). Directories named vendor or
// testdata, and hidden ones, are skipped. Exit status 1 lists each problem
// as file:line: message.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	dirs := os.Args[1:]
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	var problems []string
	for _, dir := range dirs {
		p, err := checkTree(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "importgroups:", err)
			os.Exit(2)
		}
		problems = append(problems, p...)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		fmt.Printf("importgroups: %d import group(s) out of place (standard library first, alone, then a blank line, then the rest)\n", len(problems))
		os.Exit(1)
	}
}

// checkTree checks every .go file under root.
func checkTree(root string) ([]string, error) {
	var problems []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		p, err := checkFile(path, src)
		if err != nil {
			return err
		}
		problems = append(problems, p...)
		return nil
	})
	return problems, err
}

// checkFile returns one problem per misplaced group in src.
func checkFile(name string, src []byte) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	var problems []string
	sawOther := false // a non-standard group came earlier in the file
	sawStd := false   // a standard-library group came earlier in the file
	for _, g := range groups(fset, f) {
		std, other := 0, 0
		for _, s := range g {
			if isStd(s) {
				std++
			} else {
				other++
			}
		}
		line := fset.Position(g[0].Pos()).Line
		switch {
		case std > 0 && other > 0:
			problems = append(problems, fmt.Sprintf("%s:%d: group mixes standard-library and other imports", name, line))
		case std > 0 && sawOther:
			problems = append(problems, fmt.Sprintf("%s:%d: standard-library group comes after other imports", name, line))
		case std > 0 && sawStd:
			problems = append(problems, fmt.Sprintf("%s:%d: standard-library imports split into more than one group", name, line))
		}
		if std > 0 {
			sawStd = true
		}
		if other > 0 {
			sawOther = true
		}
	}
	return problems, nil
}

// groups splits the file's imports into runs without a blank line between
// them, as gofmt sees them. A comment above an import belongs to it.
func groups(fset *token.FileSet, f *ast.File) [][]*ast.ImportSpec {
	var out [][]*ast.ImportSpec
	lastLine := -1
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		lastLine = -1 // a new import declaration starts a new group
		for _, spec := range gd.Specs {
			s := spec.(*ast.ImportSpec)
			start := s.Pos()
			if s.Doc != nil {
				start = s.Doc.Pos()
			}
			if lastLine < 0 || fset.Position(start).Line > lastLine+1 {
				out = append(out, nil)
			}
			out[len(out)-1] = append(out[len(out)-1], s)
			lastLine = fset.Position(s.End()).Line
		}
	}
	return out
}

// isStd reports whether the import is of the standard library, by the rule
// goimports uses: the first path element has no dot.
func isStd(s *ast.ImportSpec) bool {
	path, err := strconv.Unquote(s.Path.Value)
	if err != nil {
		return false
	}
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
