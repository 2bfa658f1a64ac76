package console_test

import (
	"strings"
	"testing"
	"time"
)

// TestCommandForms: a group alone lists its commands, an error names the
// whole command, and /checkin profile points at profile:true.
func TestCommandForms(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	tests := []struct {
		line string
		want []string
		not  []string
	}{
		{"/stretch", []string{"/stretch is a group of commands; pick one:", "/stretch now [position] [equipment] [spasm:true] [share:true] — Show the next stretch", "/stretch remind set time:… [days] [timezone] [where]", "/stretch privacy forget"}, []string{"don't know"}},
		{"/stretch remind", []string{"/stretch remind is a group of commands; pick one:", "/stretch remind list — Your reminders", "/stretch remind resume"}, []string{"/stretch now [", "don't know"}},
		{"/stretch now foo:bar", []string{`/stretch now has no option "foo". It is typed: /stretch now [position]`}, []string{"/now has"}},
		{"/checkin profile", []string{"An option takes its value after a colon, as in /checkin [profile:true]."}, []string{"How old"}},
		{"/stretch remind sett", []string{`/stretch remind has no command "sett"`, "/stretch remind set time:…"}, nil},
		{"help", []string{"== How stretchbot works ==", "== Commands ==", "/checkin [profile:true] — A short symptom check", "/stretchbreak stats"}, nil},
		{"/checkin profile:true", []string{"== Check-in ==", "[a1] Yes"}, []string{"has no option", "don't know"}},
	}
	for _, tt := range tests {
		out := e.type_(t, tt.line)
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tt.line, w, out)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(out, n) {
				t.Errorf("%s: output has %q:\n%s", tt.line, n, out)
			}
		}
	}
}

// TestConsoleWordsFitTheConsole: no "start typing" where there is no
// autocomplete; zones and stretch names as people type them.
func TestConsoleWordsFitTheConsole(t *testing.T) {
	e := newEnv(t, time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	out := e.type_(t,
		"/stretch timezone",
		"/stretch remind set time:7:30",
		"/stretch done stretch:cobra",
		"/stretch timezone name:berlin",
		"/stretch timezone name:UTC+2",
		"/stretch timezone name:europe/berlin",
		`/stretch done stretch:"Child’s pose"`,
		"/stretch remind set time:7:30 timezone:EST",
	)
	if strings.Contains(strings.ToLower(out), "start typing") {
		t.Fatalf("the console has no autocomplete, yet:\n%s", out)
	}
	for _, want := range []string{
		"You have not set a time zone yet. Set one with /stretch timezone name:Europe/Berlin.",
		"Which time zone? Add timezone:, for example timezone:Europe/Berlin",
		`I don't know a stretch called "cobra". The stretches are: Knee hug, one leg at a time; `,
		`"berlin" is not a time zone I know. Did you mean Europe/Berlin?`,
		// 1 July: Berlin, Paris and Madrid are at UTC+2.
		`"UTC+2" is not a time zone I know. Did you mean Europe/Berlin, Europe/Paris or Europe/Madrid?`,
		"Time zone set to Europe/Berlin.",
		"Child's pose logged.",
		"Reminder #1 set: 07:30 every day (EST)",
		"EST stays at UTC−5 all year: it never changes for summer time. If you follow the clocks of New York, use America/New_York instead.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
