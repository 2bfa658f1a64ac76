package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/lang"
	"github.com/stretchbot/stretchbot/store"
)

// packageDir is where go test starts, inside the repository.
var packageDir, _ = os.Getwd()

// run runs the program in-process with the given stdin and environment,
// in a temporary folder unless the test chose one: the console saves
// charts and pictures where it runs, never into the repository.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if wd, _ := os.Getwd(); wd == packageDir {
		t.Chdir(t.TempDir())
	}
	var out, errOut bytes.Buffer
	m := &Main{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
		Now:    time.Now,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code = m.Run(ctx, args)
	return code, out.String(), errOut.String()
}

func TestConsolePipedPrintsAStretchAndExitsZero(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	code, out, errOut := run(t, nil, "/stretch now\n", "console", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	for _, want := range []string{"Steps:", "1. ", "Hold:", "at least 15–30 seconds on each side", "[a1] Start", "[a2] Done", "[a3] Skip"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestConsoleKeepsRunningAfterBadInputAndSavesData(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	input := strings.Join([]string{
		"/stretch now position:roof",
		"/nope",
		"hello",
		"/stretch remind set time:25:99 timezone:Europe/Berlin",
		"/stretch remind set time:7:30 timezone:Mars/Olympus",
		"/stretch remind set time:7:30pm days:weekdays timezone:Europe/Berlin",
		"/stretch done stretch:knee-hug",
		"",
	}, "\n")
	code, out, errOut := run(t, nil, input, "console", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	for _, want := range []string{
		"position takes one of: floor, bed, chair.",
		"I don't know the command /nope",
		"commands start with /",
		`I could not read "25:99" as a time`,
		`"Mars/Olympus" is not a time zone I know`,
		"Reminder #1 set: 19:30 on weekdays (Europe/Berlin)",
		"Knee hug, one leg at a time logged. Streak: 1 day.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The bad commands changed nothing: exactly one reminder was stored.
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.SchedulesByOwner(context.Background(), "100000000000000001")
	if err != nil || len(list) != 1 || list[0].Spec != "30 19 * * 1-5" {
		t.Fatalf("schedules = %+v, %v; want the one valid reminder", list, err)
	}
}

func TestRunWithoutTokenExitsTwo(t *testing.T) {
	code, _, errOut := run(t, map[string]string{"STRETCHBOT_DB": filepath.Join(t.TempDir(), "x.db")}, "")
	if code != exitUsage || !strings.Contains(errOut, "DISCORD_TOKEN is not set") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestRejectedTokenExitsOne(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{Token: "the-right-token"})
	env := map[string]string{
		"DISCORD_TOKEN":    "a-wrong-token",
		"DISCORD_API_BASE": fake.URL(),
		"STRETCHBOT_DB":    filepath.Join(t.TempDir(), "x.db"),
	}
	code, _, errOut := run(t, env, "")
	if code != exitError || !strings.Contains(errOut, "Discord rejected the token") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(errOut, "a-wrong-token") {
		t.Fatal("the token was printed")
	}
}

func TestBadSettingsExitTwoNamingTheSetting(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{env: map[string]string{"STRETCHBOT_GRACE": "soon"}, want: "STRETCHBOT_GRACE"},
		{env: map[string]string{"STRETCHBOT_GRACE": "-1m"}, want: "STRETCHBOT_GRACE"},
		{env: map[string]string{"STRETCHBOT_HTTP": "nine thousand"}, want: "STRETCHBOT_HTTP"},
		{env: map[string]string{"DISCORD_API_BASE": "ftp://x"}, want: "DISCORD_API_BASE"},
		{env: map[string]string{"DISCORD_GUILD_ID": "my server"}, want: "DISCORD_GUILD_ID"},
		{env: map[string]string{"STRETCHBOT_LOG_LEVEL": "loud"}, want: "STRETCHBOT_LOG_LEVEL"},
		{env: map[string]string{"STRETCHBOT_LOG_FORMAT": "xml"}, want: "STRETCHBOT_LOG_FORMAT"},
		{env: map[string]string{"STRETCHBOT_RATE": "500"}, want: "STRETCHBOT_RATE"},
		{env: map[string]string{"STRETCHBOT_SHARDS": "-2"}, want: "STRETCHBOT_SHARDS"},
		{env: map[string]string{"STRETCHBOT_INTERACTIONS_ADDR": ":8080"}, want: "needs DISCORD_PUBLIC_KEY"},
		{env: map[string]string{"STRETCHBOT_INTERACTIONS_ADDR": "eighty", "DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32)}, want: "STRETCHBOT_INTERACTIONS_ADDR"},
		{env: map[string]string{"STRETCHBOT_INTERACTIONS_ADDR": ":8080", "DISCORD_PUBLIC_KEY": "abcd"}, want: "DISCORD_PUBLIC_KEY"},
		{env: map[string]string{"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32)}, want: "STRETCHBOT_INTERACTIONS_ADDR"},
		{args: []string{"--grace", "1y"}, want: "--grace"},
		{args: []string{"--no-such-flag"}, want: "no-such-flag"},
	}
	for _, tt := range tests {
		t.Run(tt.want+strings.Join(tt.args, " "), func(t *testing.T) {
			env := map[string]string{"DISCORD_TOKEN": "secret-token-value"}
			for k, v := range tt.env {
				env[k] = v
			}
			code, _, errOut := run(t, env, "", append([]string{"run"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and a message naming %s", code, errOut, tt.want)
			}
			if strings.Contains(errOut, "secret-token-value") {
				t.Fatal("the token was printed")
			}
		})
	}
	code, _, errOut := run(t, nil, "", "frobnicate")
	if code != exitUsage || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: exit %d, %q", code, errOut)
	}
}

func TestTokenIsNeverPrinted(t *testing.T) {
	const token = "MTIz.secret.token"
	cfg, _, err := parseConfig("run", nil, func(k string) string {
		if k == "DISCORD_TOKEN" {
			return token
		}
		return ""
	}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if string(cfg.Token) != token {
		t.Fatal("token not read")
	}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "cfg", cfg, "token", cfg.Token)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "cfg", cfg, "token", cfg.Token)
	js, _ := json.Marshal(cfg)
	dumps := []string{
		fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%s %q %v", cfg.Token, cfg.Token, cfg.Token),
		logs.String(), string(js), fmt.Errorf("wrapped: %v", cfg).Error(),
	}
	for _, d := range dumps {
		if strings.Contains(d, "secret") {
			t.Errorf("token leaked in %q", d)
		}
	}
	if !strings.Contains(fmt.Sprint(cfg.Token), "redacted") {
		t.Error("a set token should print as [redacted]")
	}
}

func TestCorruptDatabaseIsReportedAndLeftUntouched(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bad.db")
	garbage := bytes.Repeat([]byte("not a database "), 1000)
	if err := os.WriteFile(db, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(db)
	for _, args := range [][]string{{"console", "--db", db}, {"check", "--db", db}} {
		code, _, errOut := run(t, nil, "/stretch now\n", args...)
		if code != exitError || !strings.Contains(errOut, "not a stretchbot database or it is damaged") {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	after, _ := os.Stat(db)
	got, _ := os.ReadFile(db)
	if !bytes.Equal(got, garbage) || !after.ModTime().Equal(before.ModTime()) {
		t.Fatal("the corrupt file was modified")
	}
}

func TestLockedDatabaseIsReportedWithinTheTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	holder, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	start := time.Now()
	code, _, errOut := run(t, nil, "/stretch now\n", "console", "--db", path)
	if code != exitError || !strings.Contains(errOut, "in use by another process") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Fatalf("waited %v for a locked file", waited)
	}
}

func TestBackupAndCheck(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	if code, _, errOut := run(t, nil, "/stretch done\n", "console", "--db", db); code != exitOK {
		t.Fatalf("console: %s", errOut)
	}
	out := filepath.Join(dir, "copy.db")
	code, stdout, errOut := run(t, nil, "", "backup", "--db", db, "--out", out)
	if code != exitOK || !strings.Contains(stdout, "written to") {
		t.Fatalf("backup: exit %d %s %s", code, stdout, errOut)
	}
	code, stdout, _ = run(t, nil, "", "check", "--db", out)
	if code != exitOK || !strings.Contains(stdout, "ok") {
		t.Fatalf("check of the backup: exit %d %s", code, stdout)
	}
	s, err := store.Open(out, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	comps, err := s.Completions(context.Background(), "100000000000000001", time.Time{}, time.Time{})
	if err != nil || len(comps) != 1 {
		t.Fatalf("the backup holds %d completions (%v), want 1", len(comps), err)
	}
	if code, _, errOut := run(t, nil, "", "backup", "--db", db); code != exitUsage || !strings.Contains(errOut, "--out") {
		t.Fatalf("backup without --out: exit %d %q", code, errOut)
	}
}

func TestConsoleAdoptsTheComputersTimeZoneOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	env := map[string]string{"TZ": "Asia/Kolkata"}
	code, out, errOut := run(t, env, "/stretch remind set time:7:30\n", "console", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Using this computer's time zone, Asia/Kolkata") || !strings.Contains(out, "07:30 every day (Asia/Kolkata)") {
		t.Fatalf("output:\n%s", out)
	}
	// Next time the saved zone stands, even if the computer's changed.
	_, out, _ = run(t, map[string]string{"TZ": "Europe/Berlin"}, "/stretch timezone\n", "console", "--db", db)
	if strings.Contains(out, "Using this computer's time zone") || !strings.Contains(out, "Your time zone is Asia/Kolkata") {
		t.Fatalf("second run:\n%s", out)
	}
}

func TestConsoleStatsSavesTheChartAndPrintsItsPath(t *testing.T) {
	// The chart goes where the user is.
	cwd := t.TempDir()
	t.Chdir(cwd)
	db := filepath.Join(t.TempDir(), "x.db")
	code, out, errOut := run(t, nil, "/stretch done stretch:knee-hug\n/stretch stats period:month\n", "console", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "1 day now, best 1 day") {
		t.Fatalf("stats:\n%s", out)
	}
	_, rest, ok := strings.Cut(out, "stretches.png saved to ")
	if !ok {
		t.Fatalf("no chart path printed:\n%s", out)
	}
	path := strings.TrimSpace(strings.SplitN(rest, "\n", 2)[0])
	if want := filepath.Join(cwd, "stretches.png"); path != want {
		t.Fatalf("chart saved to %s, want %s", path, want)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the printed path %q: %v", path, err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 400 {
		t.Fatalf("chart is %v, want 800×400", b)
	}
}

func TestParseShardIDs(t *testing.T) {
	for _, tt := range []struct {
		in     string
		shards int
		want   []int
		err    string
	}{
		{"", 0, nil, ""},
		{"0-3", 8, []int{0, 1, 2, 3}, ""},
		{"4,5", 8, []int{4, 5}, ""},
		{" 0-1, 6 ,1", 8, []int{0, 1, 6}, ""},
		{"0-3", 0, nil, "needs STRETCHBOT_SHARDS"},
		{"7-9", 8, nil, "outside 0 to 7"},
		{"3-1", 8, nil, "not a list"},
		{"a", 8, nil, "not a list"},
	} {
		got, err := parseShardIDs(tt.in, tt.shards)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseShardIDs(%q, %d) err = %v, want one saying %q", tt.in, tt.shards, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("parseShardIDs(%q, %d) = %v, %v; want %v", tt.in, tt.shards, got, err, tt.want)
		}
	}
}

// TestConsoleSpeaksTheChosenLanguage: --lang chooses the console's
// language, the terminal's locale is the default, and a language without a
// message file is English.
func TestConsoleSpeaksTheChosenLanguage(t *testing.T) {
	help := "/stretch help\n"
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string // the locale whose help title must appear
	}{
		{"flag", nil, []string{"--lang", "de"}, "de"},
		{"LANG", map[string]string{"LANG": "pt_BR.UTF-8"}, nil, "pt-BR"},
		{"LC_ALL before LANG", map[string]string{"LANG": "de_DE.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, nil, "fr"},
		{"flag before LANG", map[string]string{"LANG": "de_DE.UTF-8"}, []string{"--lang", "es-419"}, "es-419"},
		{"regional Spanish", nil, []string{"--lang", "es_MX"}, "es-419"},
		{"no such file", map[string]string{"LANG": "ja_JP.UTF-8"}, nil, "en"},
		{"none", nil, nil, "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "x.db")
			args := append([]string{"console", "--db", db, "--images=false"}, tc.args...)
			code, out, errOut := run(t, tc.env, help, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			p := lang.For(tc.want)
			if p.Locale() != tc.want {
				t.Skipf("no message file for %s yet", tc.want)
			}
			for _, id := range []string{"console.welcome", "help.title"} {
				if want := p.T(id); !strings.Contains(out, want) {
					t.Errorf("output lacks %s in %s (%q):\n%s", id, tc.want, want, out)
				}
			}
		})
	}
}
