package pictures_test

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/pictures"
)

var update = flag.Bool("update", false, "rewrite the committed PNGs and docs/stretches.md from the code (what go generate ./pictures does)")

// maxFileSize is the most a picture may weigh, so a card stays light on a
// phone's data.
const maxFileSize = 60 << 10

func catalog(t *testing.T) *stretchbot.Catalog {
	t.Helper()
	cat, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestEveryStretchHasPicturesWithAltText(t *testing.T) {
	cat := catalog(t)
	for _, s := range cat.Stretches {
		for _, pos := range append([]stretchbot.Position{""}, s.Positions...) {
			for _, w := range pictures.Widths {
				ps := pictures.For(s.ID, pos, w)
				if len(ps) == 0 {
					t.Errorf("%s (%q, %d px): no picture", s.ID, pos, w)
				}
				for _, p := range ps {
					if len(p.Alt) < 40 || len(p.Alt) > 1024 {
						t.Errorf("%s: alt text of %s is %d bytes, want 40 to 1024: %q", s.ID, p.Name, len(p.Alt), p.Alt)
					}
					if len(p.PNG) == 0 {
						t.Errorf("%s: %s is empty", s.ID, p.Name)
					}
				}
			}
		}
	}
	names := map[string]bool{}
	for _, sc := range pictures.Scenes {
		if _, ok := cat.Get(sc.Stretch); !ok {
			t.Errorf("scene %s shows %q, which is not in stretches.json", sc.Name, sc.Stretch)
		}
		if names[sc.Name] {
			t.Errorf("two scenes are called %s", sc.Name)
		}
		names[sc.Name] = true
	}
}

// TestForPicksThePlace checks which scenes a card shows: both arm
// positions of child's pose, and the side-lying stretch drawn for where
// the person is.
func TestForPicksThePlace(t *testing.T) {
	names := func(ps []pictures.Picture) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	for _, c := range []struct {
		id   string
		pos  stretchbot.Position
		want []string
	}{
		{"childs-pose", "", []string{"childs-pose-arms-forward-640.png", "childs-pose-arms-back-640.png"}},
		{"side-lying-quad", stretchbot.PositionBed, []string{"side-lying-quad-bed-640.png"}},
		{"side-lying-quad", stretchbot.PositionFloor, []string{"side-lying-quad-floor-640.png"}},
		{"side-lying-quad", "", []string{"side-lying-quad-bed-640.png"}},
		{"side-lying-quad", stretchbot.PositionChair, []string{"side-lying-quad-bed-640.png"}},
		{"knee-hug", stretchbot.PositionBed, []string{"knee-hug-640.png"}},
		{"no-such-stretch", "", nil},
	} {
		got := names(pictures.For(c.id, c.pos, pictures.Large))
		if !equal(got, c.want) {
			t.Errorf("For(%s, %q) = %v, want %v", c.id, c.pos, got, c.want)
		}
	}
	if got := pictures.For("knee-hug", "", 300); got != nil {
		t.Errorf("a width with no files gave %v", names(got))
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// decodeFile reads a committed picture.
func decodeFile(t *testing.T, name string) (image.Image, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("png", name))
	if err != nil {
		t.Fatalf("%v (run go generate ./pictures)", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return img, data
}

func TestSizesWithinLimits(t *testing.T) {
	for _, sc := range pictures.Scenes {
		for _, w := range pictures.Widths {
			name := pictures.FileName(sc.Name, w)
			img, data := decodeFile(t, name)
			if b := img.Bounds(); b.Dx() != w || b.Dy() != w*5/8 {
				t.Errorf("%s is %d×%d, want %d×%d", name, b.Dx(), b.Dy(), w, w*5/8)
			}
			if len(data) > maxFileSize {
				t.Errorf("%s is %d bytes, over the %d limit", name, len(data), maxFileSize)
			}
		}
	}
}

// TestPicturesDiffer checks that no two scenes look alike: each pair
// differs in at least 2 % of its pixels, far more than anti-aliasing noise.
func TestPicturesDiffer(t *testing.T) {
	imgs := map[string]image.Image{}
	for _, sc := range pictures.Scenes {
		imgs[sc.Name], _ = decodeFile(t, pictures.FileName(sc.Name, pictures.Small))
	}
	for i, a := range pictures.Scenes {
		for _, b := range pictures.Scenes[i+1:] {
			n, total := differing(imgs[a.Name], imgs[b.Name], 24)
			if n*50 < total {
				t.Errorf("%s and %s differ in only %d of %d pixels", a.Name, b.Name, n, total)
			}
		}
	}
}

// differing counts the pixels where any channel of a and b differs by
// more than tol.
func differing(a, b image.Image, tol int) (n, total int) {
	pa, pb := rgba(a).Pix, rgba(b).Pix
	for i := 0; i+3 < len(pa); i += 4 {
		total++
		for c := range 3 {
			if d := int(pa[i+c]) - int(pb[i+c]); d > tol || -d > tol {
				n++
				break
			}
		}
	}
	return n, total
}

// rgba returns img as an *image.RGBA, converting it when needed.
func rgba(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	out := image.NewRGBA(image.Rectangle{Max: img.Bounds().Size()})
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

// TestGolden draws every scene again and compares it with the committed
// PNG, so a change to the drawing code or a pose that was not meant shows
// up as a failure. Pixels are compared rather than bytes: a new Go release
// may compress PNGs differently, and a processor that fuses multiply-adds
// may move an anti-aliased edge by a shade. Any pixel off by more than a
// few shades fails. -update rewrites the files.
func TestGolden(t *testing.T) {
	for _, sc := range pictures.Scenes {
		for _, w := range pictures.Widths {
			name := pictures.FileName(sc.Name, w)
			if *update {
				data, err := pictures.Encode(sc, w)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join("png", name), data, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, _ := decodeFile(t, name)
			got := sc.Draw(w)
			if !got.Bounds().Eq(want.Bounds()) {
				t.Errorf("%s: drawn %v, committed %v", name, got.Bounds(), want.Bounds())
				continue
			}
			if n, _ := differing(got, want, 12); n > 0 {
				t.Errorf("%s: %d pixels differ from the committed file (pixel hash %x); if the change is meant, run go generate ./pictures and look at the pictures", name, n, pixelHash(got))
			}
		}
	}
}

func pixelHash(img *image.RGBA) []byte {
	h := sha256.Sum256(img.Pix)
	return h[:6]
}

// TestDocIsCurrent checks that docs/stretches.md matches stretches.json
// and the scenes.
func TestDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", pictures.DocPath)
	want := pictures.Doc(catalog(t))
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with stretches.json or the scenes: run go generate ./pictures", pictures.DocPath)
	}
	for _, sc := range pictures.Scenes {
		if !bytes.Contains(got, []byte("png/"+pictures.FileName(sc.Name, pictures.Large))) {
			t.Errorf("%s does not show %s", pictures.DocPath, sc.Name)
		}
	}
}
