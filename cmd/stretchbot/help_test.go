package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpListsTheCommandsAndExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, errOut := run(t, nil, "", args...)
		if code != exitOK || errOut != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
		for _, want := range []string{"stretchbot [run]", "stretchbot console", "stretchbot backup", "stretchbot check", "stretchbot health"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: help lacks %q:\n%s", args, want, out)
			}
		}
	}
}

// TestEachCommandsHelpListsItsOwnFlags: console -h shows the console's
// flags, not the Discord ones.
func TestEachCommandsHelpListsItsOwnFlags(t *testing.T) {
	tests := []struct {
		args      []string
		want, not []string
	}{
		{[]string{"console", "-h"}, []string{"-db", "-out", "-log-level"}, []string{"-shards", "-rate", "-guild", "-http", "-discord-api", "-interactions-addr"}},
		{[]string{"help", "console"}, []string{"-db", "-out"}, []string{"-shards"}},
		{[]string{"run", "--help"}, []string{"-db", "-shards", "-rate", "-guild", "-http"}, []string{"-out"}},
		{[]string{"check", "-h"}, []string{"-db"}, []string{"-rate", "-log-level", "-out"}},
		{[]string{"backup", "-h"}, []string{"-db", "-out", "-from"}, []string{"-rate"}},
		{[]string{"health", "-h"}, []string{"-addr"}, []string{"-db"}},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, nil, "", tt.args...)
		if code != exitOK || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q", tt.args, code, errOut)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(out, "  "+w+" ") {
				t.Errorf("%v: help lacks %s:\n%s", tt.args, w, out)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(out, "  "+n+" ") {
				t.Errorf("%v: help lists %s, a flag of another command:\n%s", tt.args, n, out)
			}
		}
	}
}

// TestBackupUsageNamesASocket: --from takes the path of a Unix socket
// (TCP addresses are refused), and the usage line says so.
func TestBackupUsageNamesASocket(t *testing.T) {
	_, out, _ := run(t, nil, "", "backup", "-h")
	if !strings.Contains(out, "--from SOCKET") || strings.Contains(out, "ADDR") {
		t.Fatalf("backup usage:\n%s", out)
	}
}

func TestAFlagOfAnotherCommandIsRefused(t *testing.T) {
	code, out, errOut := run(t, nil, "/stretch now\n", "console", "--db", filepath.Join(t.TempDir(), "x.db"), "--http", ":9090")
	if code != exitUsage || !strings.Contains(errOut, "--http is a flag of stretchbot run, not of console") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(out, "Steps:") {
		t.Fatal("the console ran although a flag was refused")
	}
}

func TestHealthTakesAddrInBothForms(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok\n"))
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	for _, args := range [][]string{{"health", "--addr=" + addr}, {"health", "--addr", addr}, {"health", "-addr", addr}} {
		code, out, errOut := run(t, nil, "", args...)
		if code != exitOK || out != "ok\n" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if code, _, errOut := run(t, nil, "", "health", "extra"); code != exitUsage {
		t.Errorf("health extra: exit %d, stderr %q", code, errOut)
	}
}

func TestCheckNamesTheFileOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.db")
	code, _, errOut := run(t, nil, "", "check", "--db", path)
	if code != exitError || strings.Count(errOut, path) != 1 || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("exit %d, stderr %q; want the path once", code, errOut)
	}
}

func TestConsoleOutFolder(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	out := filepath.Join(dir, "exports")
	code, _, errOut := run(t, nil, "", "console", "--db", db, "--out", out)
	if code != exitUsage || !strings.Contains(errOut, "is not a folder") {
		t.Fatalf("missing --out folder: exit %d, stderr %q", code, errOut)
	}
	code, stdout, errOut := run(t, nil, "/stretch privacy export\n", "console", "--db", db, "--out", dir)
	if code != exitOK || !strings.Contains(stdout, "saved to "+filepath.Join(dir, "stretchbot-export.json")+"\n") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, stdout)
	}
}
