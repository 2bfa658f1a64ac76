package bot_test

import (
	"testing"
)

// TestNothingToTurnBackOn: resume and quiet off:true, when nothing is
// paused or quiet, say so instead of "on again", and store nothing.
func TestNothingToTurnBackOn(t *testing.T) {
	t.Parallel()
	e := newCheckinEnv(t)
	r := e.command("stretch remind quiet", map[string]string{"off": "true"})
	wantIn(t, replyText(r), "You have no quiet hours.")
	wantNotIn(t, replyText(r), "again")
	r = e.command("stretch remind resume", nil)
	wantIn(t, replyText(r), "Your reminders are not paused")
	wantNotIn(t, replyText(r), "again")
	if ex, err := e.db.Export(testCtx(t), aliceID); err != nil || ex.Settings != nil {
		t.Fatalf("settings stored by asking to turn nothing back on: %+v, %v", ex.Settings, err)
	}
	e.command("stretch remind pause", nil)
	wantIn(t, replyText(e.command("stretch remind resume", nil)), "Your reminders are on again.")
}
