// Package customid encodes and decodes the custom_ids of stretchbot's
// buttons. They carry compact, versioned state, "v1:<action>:<arg>:...", so
// no server-side session is needed and a restart loses nothing. A custom_id
// that does not parse, or has another version, is an expired button: the
// bot says so and changes nothing.
//
// It is its own small package so that its fuzz target builds without the
// rest of the bot.
package customid

import (
	"strconv"
	"strings"

	"github.com/stretchbot/stretchbot"
)

// Version is the current custom_id version.
const Version = "v1"

// MaxLen is Discord's limit for a custom_id.
const MaxLen = 100

// Actions, with their arguments.
const (
	Start   = "start"  // v1:start:<stretch>:<owner>
	Side    = "side"   // v1:side:<stretch>:<owner>:<side>
	Done    = "done"   // v1:done:<stretch>:<owner>
	Skip    = "skip"   // v1:skip:<stretch>:<owner>
	Show    = "show"   // v1:show:<stretch>:<owner>   (variant button)
	Snooze  = "snooze" // v1:snooze:<stretch>:<owner>
	Remove  = "rm"     // v1:rm:<schedule>:<owner>
	Break   = "brk"    // v1:brk:<schedule>:<occurrence unix>
	Forget  = "forget" // v1:forget:<owner>
	Keep    = "keep"   // v1:keep:<owner>  (cancel forget)
	CheckIn = "ci"     // v1:ci:<owner>:<flow state>:<answer>
	Recheck = "rc"     // v1:rc:<owner>:<hours>  (remind me to check in)
	Now     = "now"    // v1:now:<owner>   (a stretch now)
	Cleared = "ok"     // v1:ok:<owner>    (a clinician has checked me: stretches back on)
	Later   = "later"  // v1:later:<owner>:<10m|1h|tm>:<card>  (snooze for a while)
	Clear   = "clr"    // v1:clr:<owner>   (the next stretch with the filters cleared)
	Mine    = "mine"   // v1:mine:<schedule>:<occurrence unix>:<position>  (my stretch for a break)
	Routine = "rt"     // v1:rt:<owner>:<plan>:<step>:<side>:<logged>:<move>
)

// argCount is how many arguments each action takes.
var argCount = map[string]int{
	Start: 2, Side: 3, Done: 2, Skip: 2, Show: 2, Snooze: 2,
	Remove: 2, Break: 2, Forget: 1, Keep: 1, CheckIn: 3, Recheck: 2, Now: 1, Cleared: 1,
	Later: 3, Clear: 1, Mine: 3, Routine: 6,
}

// withCard are the actions of a stretch card, which may carry one more
// argument: the card's state (the filters in force; see Card). Buttons
// made before there was one lack it.
var withCard = map[string]bool{Start: true, Side: true, Done: true, Skip: true, Show: true, Now: true, Clear: true}

// ID is a decoded custom_id.
type ID struct {
	Action string
	Args   []string
}

// ErrExpired is what Parse returns for any custom_id it cannot read: to the
// person who clicked, an old or garbled button has simply expired.
var ErrExpired = stretchbot.Fail(stretchbot.EINVALID, "button.expired")

// Make encodes an action and its arguments.
func Make(action string, args ...string) string {
	return Version + ":" + action + ":" + strings.Join(args, ":")
}

// Parse decodes a custom_id: the current version, a known action, exactly
// its number of arguments, none empty. Anything else is ErrExpired.
func Parse(s string) (ID, error) {
	if len(s) == 0 || len(s) > MaxLen {
		return ID{}, ErrExpired
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || parts[0] != Version {
		return ID{}, ErrExpired
	}
	n, ok := argCount[parts[1]]
	if !ok || (len(parts)-2 != n && !(withCard[parts[1]] && len(parts)-2 == n+1)) {
		return ID{}, ErrExpired
	}
	for _, a := range parts[2:] {
		if a == "" {
			return ID{}, ErrExpired
		}
	}
	id := ID{Action: parts[1], Args: parts[2:]}
	if c := id.Card(); c != "" {
		if _, _, ok := ParseCard(c); !ok {
			return ID{}, ErrExpired
		}
	}
	return id, nil
}

// MakeCard writes a stretch card's state: the filters in force and whether
// the card came from a stretch break (whose Done is the break's own
// "I did it" button, so the card has none).
func MakeCard(f stretchbot.Filter, fromBreak bool) string {
	if fromBreak {
		return f.Token() + "b"
	}
	return f.Token()
}

// ParseCard reads a card state written by MakeCard.
func ParseCard(s string) (f stretchbot.Filter, fromBreak bool, ok bool) {
	if len(s) == 4 && s[3] == 'b' {
		s, fromBreak = s[:3], true
	}
	f, ok = stretchbot.ParseToken(s)
	return f, fromBreak, ok
}

// Card returns the card state a stretch card's button carries, "" when it
// carries none.
func (c ID) Card() string {
	if withCard[c.Action] && len(c.Args) == argCount[c.Action]+1 {
		return c.Args[len(c.Args)-1]
	}
	return ""
}

// Uint parses argument i as a number.
func (c ID) Uint(i int) (uint64, bool) {
	v, err := strconv.ParseUint(c.Args[i], 10, 64)
	return v, err == nil
}

// Owner returns the user a custom_id belongs to, "" for shared buttons
// (a channel stretch break anyone may join).
func (c ID) Owner() string {
	switch c.Action {
	case Start, Side, Done, Skip, Show, Snooze, Remove:
		return c.Args[1]
	case Forget, Keep, CheckIn, Recheck, Now, Cleared, Later, Clear, Routine:
		return c.Args[0]
	}
	return ""
}
