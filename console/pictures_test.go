package console_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/console"
	"github.com/stretchbot/stretchbot/pictures"
)

var pictureLine = regexp.MustCompile(`🖼  Picture: (\S+)\n`)

// TestCardPrintsItsPicturePath: a stretch card prints where its picture
// is, the picture is kept once in the pictures folder beside the user, and
// showing the card again neither copies nor rewrites it.
func TestCardPrintsItsPicturePath(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	out := e.type_(t, "/stretch now position:bed spasm:true")
	m := pictureLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no picture path printed:\n%s", out)
	}
	path := m[1]
	dir := filepath.Join(e.dir, console.PictureDir)
	if filepath.Dir(path) != dir {
		t.Fatalf("picture saved to %s, want it in %s", path, dir)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := pictures.For("knee-hug", "bed", pictures.Large)
	if filepath.Base(path) != want[0].Name || !bytes.Equal(data, want[0].PNG) {
		t.Fatalf("%s is not the knee hug's picture", path)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	e.type_(t, "/stretch now position:bed spasm:true", "/stretch now position:bed spasm:true")
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Errorf("pictures folder holds %d files, want the one picture: %v", len(files), files)
	}
	if st, _ := os.Stat(path); !st.ModTime().Equal(old) {
		t.Errorf("an unchanged picture was written again")
	}
}

func TestNoPicturesPrintsNoPath(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	// The same store and scheduler, with pictures off (--images=false).
	b, err := bot.New(bot.Config{Store: e.db, Scheduler: e.sched, Catalog: catalog, Now: e.clock.Now, Console: true, NoPictures: true})
	if err != nil {
		t.Fatal(err)
	}
	e.con = console.New(b, e.out, console.Options{FileDir: e.dir, Echo: true, Clock: e.clock})
	out := e.type_(t, "/stretch now", "a3")
	if pictureLine.MatchString(out) || !bytes.Contains([]byte(out), []byte("Steps:")) {
		t.Fatalf("with pictures off the card still shows one, or no card:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(e.dir, console.PictureDir)); !os.IsNotExist(err) {
		t.Fatalf("pictures folder made with pictures off: %v", err)
	}
}
