// Command gen writes the stretch pictures (png/*.png beside this package)
// and docs/stretches.md. Run it with `go generate ./pictures`.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/pictures"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// run expects to be started in the pictures folder, as go generate does.
func run() error {
	if err := os.MkdirAll("png", 0o755); err != nil {
		return err
	}
	for _, sc := range pictures.Scenes {
		for _, w := range pictures.Widths {
			data, err := pictures.Encode(sc, w)
			if err != nil {
				return err
			}
			if err := writeIfChanged(filepath.Join("png", pictures.FileName(sc.Name, w)), data); err != nil {
				return err
			}
		}
	}
	cat, err := stretchbot.DefaultCatalog()
	if err != nil {
		return fmt.Errorf("load catalogue: %w", err)
	}
	return writeIfChanged(filepath.Join("..", pictures.DocPath), pictures.Doc(cat))
}

// writeIfChanged leaves a file that already holds data untouched, so a
// generate run without changes changes nothing.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Println("wrote", path)
	return nil
}
