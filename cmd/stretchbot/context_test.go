package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleContextFlag: --context=private makes the console a
// conversation between people reached through the user's own install, so
// a reminder "here" is refused with the reason and a shared card stays
// private; the default acts as a server's channel.
func TestConsoleContextFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	input := "/stretch remind set time:7:30 timezone:UTC where:here\n/stretch now share:true\n"
	code, out, errOut := run(t, nil, input, "console", "--db", db, "--context=private", "--images=false")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "I'm not a member of it") || strings.Contains(out, "Reminder #") {
		t.Fatalf("where:here in a private conversation was not refused:\n%s", out)
	}
	if !strings.Contains(out, "only you see this one") {
		t.Fatalf("share:true in a private conversation did not stay private:\n%s", out)
	}

	code, out, errOut = run(t, nil, input, "console", "--db", filepath.Join(t.TempDir(), "y.db"), "--images=false")
	if code != exitOK || !strings.Contains(out, "Reminder #1 set") || strings.Contains(out, "only you see") {
		t.Fatalf("default context: exit %d, %s\n%s", code, errOut, out)
	}

	if code, _, errOut := run(t, nil, "", "console", "--db", db, "--context=moon"); code != exitUsage || !strings.Contains(errOut, "server or private") {
		t.Fatalf("--context=moon: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run(t, map[string]string{"DISCORD_TOKEN": "x"}, "", "run", "--db", db, "--context=private"); code != exitUsage || !strings.Contains(errOut, "context") {
		t.Fatalf("run --context: exit %d, %s", code, errOut)
	}
}
