package bot_test

import (
	"strings"
	"testing"
)

// TestTimeZoneSuggestions: names people type for a zone get the closest
// IANA names; a zone in any letter case is that zone; EST is taken with a
// warning that it never changes for summer time.
func TestTimeZoneSuggestions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	o := inGuild(alice)
	tests := []struct {
		zone string
		want []string
	}{
		{"berlin", []string{`"berlin" is not a time zone I know. Did you mean Europe/Berlin?`}},
		{"new york", []string{"Did you mean America/New_York?"}},
		{"Europe/Berlim", []string{"Did you mean Europe/Berlin?"}},
		// 10 March 2026: these are at UTC+2 that day.
		{"UTC+2", []string{"Did you mean Africa/Johannesburg, Africa/Cairo or Europe/Athens?"}},
		{"GMT-5", []string{"Did you mean America/Chicago or America/Bogota?"}}, // US summer time began on 8 March
		{"PST", []string{"Did you mean America/Los_Angeles or America/Vancouver?"}},
		{"CEST", []string{"Europe/Berlin"}},
		{"europe/berlin", []string{"Time zone set to Europe/Berlin."}},
		{"america/new_york", []string{"Time zone set to America/New_York."}},
		{"EST", []string{"Time zone set to EST.", "EST stays at UTC−5 all year: it never changes for summer time. If you follow the clocks of New York, use America/New_York instead."}},
	}
	for _, tt := range tests {
		_, r := e.run(inv(o, "stretch timezone", opt("name", tt.zone)))
		wantText(t, r.Message, tt.want...)
	}
	u, _ := e.db.User(testCtx(t), aliceID)
	if u.TimeZone != "EST" {
		t.Fatalf("zone stored as %q after the refused names and EST", u.TimeZone)
	}
	// A time zone with summer time gets no warning.
	_, r := e.run(inv(o, "stretch remind set", opt("time", "7:30"), opt("timezone", "CET")))
	wantText(t, r.Message, "(CET)")
	if strings.Contains(text(r.Message), "summer time") {
		t.Fatalf("CET changes for summer time, yet:\n%s", text(r.Message))
	}
	_, r = e.run(inv(o, "stretch remind set", opt("time", "7:30"), opt("timezone", "MST")))
	wantText(t, r.Message, "MST stays at UTC−7 all year", "America/Denver")
	_, r = e.run(inv(o, "stretch remind set", opt("time", "8:30"), opt("timezone", "berlin")))
	wantText(t, r.Message, "Did you mean Europe/Berlin?")
}

func TestCurlyApostropheAndSearchHint(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	o := inGuild(alice)
	_, r := e.run(inv(o, "stretch done", opt("stretch", "Child’s pose")))
	wantText(t, r.Message, "Child's pose logged.")
	_, r = e.run(inv(o, "stretch done", opt("stretch", "child’s POSE")))
	wantText(t, r.Message, "Child's pose logged.")
	// On Discord the autocomplete list is there to search.
	_, r = e.run(inv(o, "stretch done", opt("stretch", "cobra")))
	wantText(t, r.Message, "Start typing and pick one from the list.")
	_, r = e.run(inv(o, "stretch timezone"))
	wantText(t, r.Message, "(start typing to search)")
}
