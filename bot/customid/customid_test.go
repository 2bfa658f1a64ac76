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
		Make(Start, "knee-hug", "123456789012345678", "cb1"),
		Make(Skip, "knee-hug", "123456789012345678", "xx0b"),
		Make(Later, "123456789012345678", "1h", "xx0"),
		Make(Routine, "123456789012345678", "0a3", "1", "2", "0", "done"),
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
		"v1:nope:a:b", "v1:start::1", "v1:skip:a:1:zz0", "v1:skip:a:1:xx0:b", strings.Repeat("x", 101), "start:knee-hug:1", "v1:done:a:b:c",
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

func TestCardState(t *testing.T) {
	f := stretchbot.Filter{Position: stretchbot.PositionChair, Equipment: stretchbot.EquipmentBall, SpasmSafe: true}
	for _, fromBreak := range []bool{false, true} {
		id, err := Parse(Make(Skip, "knee-hug", "1", MakeCard(f, fromBreak)))
		if err != nil {
			t.Fatal(err)
		}
		got, gotBreak, ok := ParseCard(id.Card())
		if !ok || got != f || gotBreak != fromBreak || id.Owner() != "1" {
			t.Fatalf("card %q → %+v %v %v, owner %q", id.Card(), got, gotBreak, ok, id.Owner())
		}
	}
	// A button from before cards carried their state has none.
	id, err := Parse(Make(Skip, "knee-hug", "1"))
	if err != nil || id.Card() != "" {
		t.Fatalf("old button: %+v, %v", id, err)
	}
	// The longest card button fits Discord, with room to spare.
	if n := len(Make(Side, strings.Repeat("s", 32), strings.Repeat("9", 20), "2", MakeCard(f, true))); n > 75 {
		t.Fatalf("side custom_id with a card is %d characters", n)
	}
}
