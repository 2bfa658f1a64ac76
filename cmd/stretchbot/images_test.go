package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleImagesFlag: the console prints each card's picture path, in a
// folder where the user is, and --images=false leaves pictures out.
func TestConsoleImagesFlag(t *testing.T) {
	cwd := t.TempDir()
	t.Chdir(cwd)
	db := filepath.Join(t.TempDir(), "x.db")
	code, out, errOut := run(t, nil, "/stretch now\n", "console", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, rest, ok := strings.Cut(out, "Picture: ")
	if !ok {
		t.Fatalf("no picture path printed:\n%s", out)
	}
	path := strings.TrimSpace(strings.SplitN(rest, "\n", 2)[0])
	if filepath.Dir(filepath.Dir(path)) != cwd || !strings.HasSuffix(path, "-640.png") {
		t.Fatalf("picture at %s, want a -640.png in a folder of %s", path, cwd)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the printed path: %v", err)
	}

	cwd = t.TempDir()
	t.Chdir(cwd)
	code, out, errOut = run(t, nil, "/stretch now\n", "console", "--db", db, "--images=false")
	if code != exitOK {
		t.Fatalf("--images=false: exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "Picture") || !strings.Contains(out, "Steps:") {
		t.Fatalf("--images=false still shows a picture, or no card:\n%s", out)
	}
	if left, _ := os.ReadDir(cwd); len(left) != 0 {
		t.Fatalf("--images=false wrote %v", left)
	}

	// The flag is the console's: the bot on Discord always shows pictures.
	if code, _, errOut := run(t, map[string]string{"DISCORD_TOKEN": "x"}, "", "run", "--db", db, "--images=false"); code != exitUsage || !strings.Contains(errOut, "images") {
		t.Fatalf("run --images=false: exit %d, %s", code, errOut)
	}
}
