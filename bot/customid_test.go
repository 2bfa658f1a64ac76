package bot

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot"
)

func TestParseCustomID(t *testing.T) {
	valid := []string{
		makeID(actStart, "knee-hug", "123456789012345678"),
		makeID(actSide, "knee-hug", "123456789012345678", "2"),
		makeID(actBreak, "7", "1790000000"),
		makeID(actCheckIn, "123456789012345678", "1300x", "1"),
		makeID(actForget, "123456789012345678"),
	}
	for _, s := range valid {
		c, err := parseCustomID(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if got := makeID(c.action, c.args...); got != s {
			t.Errorf("round trip %q → %q", s, got)
		}
	}
	invalid := []string{
		"", "v1", "v1:", "v2:start:knee-hug:1", "v1:start:knee-hug", "v1:start:knee-hug:1:extra",
		"v1:nope:a:b", "v1:start::1", strings.Repeat("x", 101), "start:knee-hug:1", "v1:done:a:b:c",
	}
	for _, s := range invalid {
		_, err := parseCustomID(s)
		if stretchbot.ErrorCode(err) != stretchbot.EINVALID || !strings.Contains(stretchbot.ErrorMessage(err), "expired") {
			t.Errorf("%q: err = %v, want an 'expired' error", s, err)
		}
	}
}

func TestCustomIDsFitDiscord(t *testing.T) {
	// The longest custom_id we make: a check-in answer with an
	// unusually long user id and the longest flow state.
	id := makeID(actCheckIn, strings.Repeat("9", 20), strings.Repeat("z", stretchbot.MaxCheckInFlowLen), "10")
	if len(id) > maxCustomID {
		t.Fatalf("check-in custom_id is %d characters, Discord allows %d", len(id), maxCustomID)
	}
	id = makeID(actSide, strings.Repeat("s", 32), strings.Repeat("9", 20), "2")
	if len(id) > maxCustomID {
		t.Fatalf("side custom_id is %d characters", len(id))
	}
}

func FuzzParseCustomID(f *testing.F) {
	for _, s := range []string{"v1:start:knee-hug:1", "v1:ci:1:1300x:1", "v1:brk:7:1790000000", "v1::", ":::", "v1:rm:18446744073709551616:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCustomID(s)
		if err != nil {
			if stretchbot.ErrorMessage(err) == "" {
				t.Fatal("error without a message")
			}
			return
		}
		if _, ok := argCount[c.action]; !ok {
			t.Fatalf("%q: accepted unknown action %q", s, c.action)
		}
		for i := range c.args {
			c.uintArg(i) // must not panic
		}
		c.owner()
	})
}
