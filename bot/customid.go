package bot

import (
	"strconv"
	"strings"

	"github.com/stretchbot/stretchbot"
)

// Button custom_ids carry compact, versioned state, so no server-side
// session is needed and a restart loses nothing. The form is
// "v1:<action>:<arg>:...". A click whose custom_id does not parse, or has
// another version, is an expired button: we say so and change nothing.
const customIDVersion = "v1"

// Actions of custom_ids.
const (
	actStart   = "start"  // v1:start:<stretch>:<owner>
	actSide    = "side"   // v1:side:<stretch>:<owner>:<side>
	actDone    = "done"   // v1:done:<stretch>:<owner>
	actSkip    = "skip"   // v1:skip:<stretch>:<owner>
	actShow    = "show"   // v1:show:<stretch>:<owner>   (variant button)
	actSnooze  = "snooze" // v1:snooze:<stretch>:<owner>
	actRemove  = "rm"     // v1:rm:<schedule>:<owner>
	actBreak   = "brk"    // v1:brk:<schedule>:<occurrence unix>
	actForget  = "forget" // v1:forget:<owner>
	actKeep    = "keep"   // v1:keep:<owner>  (cancel forget)
	actCheckIn = "ci"     // v1:ci:<owner>:<flow state>:<answer>
	actRecheck = "rc"     // v1:rc:<owner>:<hours>  (remind me to check in)
	actNow     = "now"    // v1:now:<owner>   (a stretch now, from a check-in)
)

// maxCustomID is Discord's limit for a custom_id.
const maxCustomID = 100

type customID struct {
	action string
	args   []string
}

func makeID(action string, args ...string) string {
	return customIDVersion + ":" + action + ":" + strings.Join(args, ":")
}

// argCount is how many arguments each action takes.
var argCount = map[string]int{
	actStart: 2, actSide: 3, actDone: 2, actSkip: 2, actShow: 2, actSnooze: 2,
	actRemove: 2, actBreak: 2, actForget: 1, actKeep: 1, actCheckIn: 3, actRecheck: 2, actNow: 1,
}

func parseCustomID(s string) (customID, error) {
	expired := stretchbot.Errorf(stretchbot.EINVALID, "This button has expired. Run the command again to get a fresh one.")
	if len(s) == 0 || len(s) > maxCustomID {
		return customID{}, expired
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || parts[0] != customIDVersion {
		return customID{}, expired
	}
	n, ok := argCount[parts[1]]
	if !ok || len(parts)-2 != n {
		return customID{}, expired
	}
	for _, a := range parts[2:] {
		if a == "" {
			return customID{}, expired
		}
	}
	return customID{action: parts[1], args: parts[2:]}, nil
}

// uintArg parses a numeric argument of a custom_id.
func (c customID) uintArg(i int) (uint64, bool) {
	v, err := strconv.ParseUint(c.args[i], 10, 64)
	return v, err == nil
}
