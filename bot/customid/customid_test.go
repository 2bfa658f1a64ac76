package customid

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot"
)

func TestParseCustomID(t *testing.T) {
	valid := []string{
		Make(Start, "knee-hug", "123456789012345678"),
		Make(Side, "knee-hug", "123456789012345678", "2"),
		Make(Break, "7", "1790000000"),
		Make(CheckIn, "123456789012345678", "1300x", "1"),
		Make(Forget, "123456789012345678"),
	}
	for _, s := range valid {
		c, err := Parse(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if got := Make(c.Action, c.Args...); got != s {
			t.Errorf("round trip %q → %q", s, got)
		}
	}
	invalid := []string{
		"", "v1", "v1:", "v2:start:knee-hug:1", "v1:start:knee-hug", "v1:start:knee-hug:1:extra",
		"v1:nope:a:b", "v1:start::1", strings.Repeat("x", 101), "start:knee-hug:1", "v1:done:a:b:c",
	}
	for _, s := range invalid {
		_, err := Parse(s)
		if stretchbot.ErrorCode(err) != stretchbot.EINVALID || !strings.Contains(stretchbot.ErrorMessage(err), "expired") {
			t.Errorf("%q: err = %v, want an 'expired' error", s, err)
		}
	}
}

func TestCustomIDsFitDiscord(t *testing.T) {
	// The longest custom_id we make: a check-in answer with an
	// unusually long user id and the longest flow state.
	id := Make(CheckIn, strings.Repeat("9", 20), strings.Repeat("z", stretchbot.MaxCheckInFlowLen), "10")
	if len(id) > MaxLen {
		t.Fatalf("check-in custom_id is %d characters, Discord allows %d", len(id), MaxLen)
	}
	id = Make(Side, strings.Repeat("s", 32), strings.Repeat("9", 20), "2")
	if len(id) > MaxLen {
		t.Fatalf("side custom_id is %d characters", len(id))
	}
}

func FuzzParseCustomID(f *testing.F) {
	for _, s := range []string{"v1:start:knee-hug:1", "v1:ci:1:1300x:1", "v1:brk:7:1790000000", "v1::", ":::", "v1:rm:18446744073709551616:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			if stretchbot.ErrorMessage(err) == "" {
				t.Fatal("error without a message")
			}
			return
		}
		if _, ok := argCount[c.Action]; !ok {
			t.Fatalf("%q: accepted unknown action %q", s, c.Action)
		}
		for i := range c.Args {
			c.Uint(i) // must not panic
		}
		c.Owner()
	})
}
