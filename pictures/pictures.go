// Package pictures draws the stretch illustrations: a figure in the pose,
// the stretched area glowing orange and a green arrow for the movement.
//
// Every picture is drawn by this package's code from a pose description
// in scenes.go (where the hip is and which way each part of the body
// points, in degrees), so no image is copied from anywhere. The PNGs are
// made at build time by `go generate ./pictures`, committed under png/
// and embedded in the binary; the same step writes docs/stretches.md.
// A golden test fails when the code and the committed files disagree.
package pictures

import (
	"bytes"
	"embed"
	"fmt"
	"image/png"
	"path"

	"github.com/stretchbot/stretchbot"
)

//go:generate go run ./gen

// The two widths every picture is made in, in pixels: small for a
// thumbnail beside text, large for a picture shown on its own.
const (
	Small = 256
	Large = 640
)

// Widths are the widths every scene is rendered in.
var Widths = []int{Small, Large}

// Picture is one scene as a PNG file.
type Picture struct {
	Name string // file name, e.g. "knee-hug-640.png"
	Alt  string // what it shows, for people who cannot see it
	PNG  []byte
}

//go:embed png
var files embed.FS

// FileName is the PNG file of a scene in one width.
func FileName(scene string, width int) string {
	return fmt.Sprintf("%s-%d.png", scene, width)
}

// For returns the pictures of a stretch, width pixels wide (Small or
// Large), to show for place pos ("" when it is not known): every scene of
// the stretch that fits any place (both arm positions of child's pose),
// plus the scene drawn for pos, or the first place-specific one when none
// is drawn for pos. It returns nothing for an unknown stretch or width.
func For(stretchID string, pos stretchbot.Position, width int) []Picture {
	var anyPlace, forPos, firstPlaced []Scene
	for _, sc := range Scenes {
		switch {
		case sc.Stretch != stretchID:
		case sc.Position == "":
			anyPlace = append(anyPlace, sc)
		case sc.Position == pos:
			forPos = append(forPos, sc)
		case firstPlaced == nil:
			firstPlaced = []Scene{sc}
		}
	}
	if len(forPos) == 0 {
		forPos = firstPlaced
	}
	var out []Picture
	for _, sc := range append(anyPlace, forPos...) {
		p, ok := load(sc, width)
		if !ok {
			return nil
		}
		out = append(out, p)
	}
	return out
}

// load reads a scene's embedded PNG.
func load(sc Scene, width int) (Picture, bool) {
	name := FileName(sc.Name, width)
	data, err := files.ReadFile(path.Join("png", name))
	if err != nil {
		return Picture{}, false
	}
	return Picture{Name: name, Alt: sc.Alt, PNG: data}, true
}

// Encode renders a scene as a PNG, width pixels wide.
func Encode(sc Scene, width int) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, sc.Draw(width)); err != nil {
		return nil, fmt.Errorf("encode %s: %w", FileName(sc.Name, width), err)
	}
	return buf.Bytes(), nil
}
