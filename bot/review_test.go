package bot_test

import (
	"slices"
	"testing"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
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

// TestAwayAndBackWhileRemindersAreHeld: away and back say nothing of
// reminders starting again while a check-in holds them or the person has
// paused them; they say what holds them instead.
func TestAwayAndBackWhileRemindersAreHeld(t *testing.T) {
	t.Parallel()
	e := newCheckinEnv(t)
	e.command("stretch remind set", map[string]string{"time": "7:30", "timezone": "UTC"})
	e.command("stretch remind pause", nil)
	r := e.command("stretch away", map[string]string{"days": "3"})
	wantIn(t, replyText(r), "Enjoy your time away", "paused", "/stretch remind resume")
	wantNotIn(t, replyText(r), "start again", "on again")
	r = e.command("stretch back", nil)
	wantIn(t, replyText(r), "Welcome back!", "paused")
	wantNotIn(t, replyText(r), "on again")

	e.checkIn(map[string]string{"between your legs": "Yes"})
	cleared := stretchbot.ClearedLabel(lang.English())
	for _, c := range []struct {
		name string
		opts map[string]string
	}{{"stretch away", map[string]string{"days": "2"}}, {"stretch back", nil}} {
		r := e.command(c.name, c.opts)
		wantIn(t, replyText(r), "checked you", cleared)
		wantNotIn(t, replyText(r), "start again", "on again", "remind resume")
		if !slices.Contains(buttonLabels(r), cleared) {
			t.Errorf("/%s while held: no %q button: %v", c.name, cleared, buttonLabels(r))
		}
	}
	if e.user().Paused != stretchbot.PauseCheckIn {
		t.Fatal("away or back lifted the check-in hold")
	}
}

// TestNoEquipmentLineShowsWhatToType: the filters line names the option
// as it is typed (equipment:strap), not "equipment: strap".
func TestNoEquipmentLineShowsWhatToType(t *testing.T) {
	t.Parallel()
	e := newCheckinEnv(t)
	text := replyText(e.command("stretch now", nil))
	wantIn(t, text, "`equipment:strap`", "`equipment:all`")
	wantNotIn(t, text, "equipment: strap")
}

// TestOneTimeReminderHasNoNextOne: a reminder that comes once says when
// it comes, not "Next one".
func TestOneTimeReminderHasNoNextOne(t *testing.T) {
	t.Parallel()
	e := newCheckinEnv(t)
	text := replyText(e.command("stretch remind set", map[string]string{"time": "in 20 minutes", "timezone": "UTC"}))
	wantIn(t, text, "One-time reminder #1 set", "It comes in 20 minutes.")
	wantNotIn(t, text, "Next one")
	wantIn(t, replyText(e.command("stretch remind set", map[string]string{"time": "7:30", "timezone": "UTC"})), "Next one:")
}
