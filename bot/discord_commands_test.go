package bot_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/lang"
)

func TestRemind(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	o := inGuild(alice)

	_, r := e.run(inv(o, "stretch remind list"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "no reminders yet")

	// No zone yet: the bot asks for one and stores nothing.
	_, r = e.run(inv(o, "stretch remind set", opt("time", "7:30")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "Which time zone")

	_, r = e.run(inv(o, "stretch remind set", opt("time", "7:30"), opt("days", "weekdays"), opt("timezone", "Europe/Berlin")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "Reminder #", "by direct message")
	_, r = e.run(inv(o, "stretch remind set", opt("time", "19:00"), opt("where", "here")))
	wantText(t, r.Message, "in this channel")
	list, err := e.db.SchedulesByOwner(ctx, aliceID)
	if err != nil || len(list) != 2 {
		t.Fatalf("schedules: %v, %v", list, err)
	}
	if list[0].TimeZone != "Europe/Berlin" || list[1].TimeZone != "Europe/Berlin" || list[1].ChannelID != channelID {
		t.Fatalf("schedules stored as %+v", list)
	}

	_, r = e.run(inv(o, "stretch remind list"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, fmt.Sprintf("#%d", list[0].ID), fmt.Sprintf("#%d", list[1].ID), "<#"+channelID+">")

	// Remove one with its button: the list updates in place.
	_, r = e.click(o, r.Message, fmt.Sprintf("Remove #%d", list[0].ID))
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	wantText(t, r.Message, "removed")
	if strings.Contains(text(r.Message), fmt.Sprintf("**#%d**", list[0].ID)) {
		t.Fatalf("removed reminder still listed:\n%s", text(r.Message))
	}
	if e.isArmed(list[0].ID) {
		t.Fatal("removed reminder still armed")
	}

	// Bob cannot remove Alice's reminder, even knowing its number.
	_, r = e.run(inv(inGuild(bob), "stretch remind remove", opt("id", int(list[1].ID))))
	wantText(t, r.Message, "You have no reminder")
	if _, err := e.db.Schedule(ctx, list[1].ID); err != nil {
		t.Fatalf("Bob's remove deleted Alice's reminder: %v", err)
	}

	_, r = e.run(inv(o, "stretch remind pause", opt("for", "2d")))
	wantText(t, r.Message, "paused until")
	u, _ := e.db.User(ctx, aliceID)
	if !u.RemindersPaused(e.clock.Now()) {
		t.Fatal("not paused after pause")
	}
	_, r = e.run(inv(o, "stretch remind pause", opt("for", "forever-ish")))
	wantText(t, r.Message, "could not read")
	_, r = e.run(inv(o, "stretch remind resume"))
	wantText(t, r.Message, "on again")
	u, _ = e.db.User(ctx, aliceID)
	if u.RemindersPaused(e.clock.Now()) {
		t.Fatal("still paused after resume")
	}

	_, r = e.run(inv(o, "stretch remind remove", opt("id", int(list[1].ID))))
	wantText(t, r.Message, "removed")
	if left, _ := e.db.SchedulesByOwner(ctx, aliceID); len(left) != 0 {
		t.Fatalf("schedules left: %+v", left)
	}
}

func TestTimezoneAndAutocomplete(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	o := inGuild(alice)

	id := e.fake.Autocomplete(inv(o, "stretch timezone", discordtest.Option{Name: "name", Value: "berl", Focused: true}))
	r := e.wait(id)
	if r.Type != discordtest.CallbackAutocompleteResult {
		t.Fatalf("autocomplete answered with type %d", r.Type)
	}
	if len(r.Choices) == 0 || len(r.Choices) > 25 || r.Choices[0].Value != "Europe/Berlin" {
		t.Fatalf("choices for berl: %+v", r.Choices)
	}
	// Empty input: the first 25 zones, no more.
	r = e.wait(e.fake.Autocomplete(inv(o, "stretch remind set", opt("time", "7"), discordtest.Option{Name: "timezone", Value: "", Focused: true})))
	if len(r.Choices) != 25 {
		t.Fatalf("%d choices for an empty query, want 25", len(r.Choices))
	}
	// Stretch names for /stretch done.
	r = e.wait(e.fake.Autocomplete(inv(o, "stretch done", discordtest.Option{Name: "stretch", Value: "", Focused: true})))
	if len(r.Choices) == 0 {
		t.Fatal("no stretches offered")
	}

	_, rr := e.run(inv(o, "stretch timezone"))
	wantText(t, rr.Message, "not set a time zone")
	_, rr = e.run(inv(o, "stretch timezone", opt("name", "Mars/Olympus")))
	wantType(t, rr, discordtest.CallbackChannelMessage, true)
	_, rr = e.run(inv(o, "stretch timezone", opt("name", "Europe/Berlin")))
	wantText(t, rr.Message, "Time zone set to Europe/Berlin")
	_, rr = e.run(inv(o, "stretch timezone"))
	wantText(t, rr.Message, "Your time zone is Europe/Berlin")
}

func TestDoneStatsHelp(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	o := inGuild(alice)

	// Nothing yet: stats is still deferred, then edited.
	id, r := e.run(inv(o, "stretch stats"))
	wantType(t, r, discordtest.CallbackDeferredMessage, true)
	wantText(t, e.final(id), "Nothing logged yet")

	catalog, _ := stretchbot.DefaultCatalog()
	stretchID := catalog.Stretches[0].ID
	_, r = e.run(inv(o, "stretch done", opt("stretch", stretchID)))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "logged", "Streak: 1 day")
	_, r = e.run(inv(o, "stretch done"))
	wantText(t, r.Message, "Stretch logged")
	_, r = e.run(inv(o, "stretch done", opt("stretch", "no-such-stretch")))
	wantText(t, r.Message, "don't know a stretch")
	comps, _ := e.db.Completions(ctx, aliceID, time.Time{}, e.clock.Now().Add(time.Hour))
	if len(comps) != 2 {
		t.Fatalf("%d completions, want 2", len(comps))
	}

	id, r = e.run(inv(o, "stretch stats", opt("period", "month")))
	wantType(t, r, discordtest.CallbackDeferredMessage, true)
	m := e.final(id)
	wantText(t, m, "Your stretching", "2 stretches")
	if !m.Ephemeral() {
		t.Error("stats are not ephemeral")
	}
	if len(m.Files) != 1 || m.Files[0].Name != "stretches.png" {
		t.Fatalf("chart not attached: %+v", m.Files)
	}
	// The chart is in a media gallery whose alt text states the numbers,
	// so screen-reader users get the chart too.
	wantPicture(t, m, "stretches.png")
	alt := picturesOf(m)[0].Alt
	today := e.clock.Now().Format("Monday 2 January")
	if want := "Bar chart: 2 stretches in the last 30 days, most on " + today + ": 2."; alt != want {
		t.Fatalf("chart alt text %q, want %q", alt, want)
	}
	if desc := attachmentDescription(t, e, "stretches.png"); desc != alt {
		t.Fatalf("attachment description %q, gallery alt %q", desc, alt)
	}

	_, r = e.run(inv(o, "stretch help"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "How stretchbot works", "See a doctor if")
	// The help lists every command, as it is typed.
	for _, form := range bot.CommandForms() {
		wantText(t, r.Message, "`"+form+"`")
	}
	wantText(t, r.Message, "`/checkin [profile:true]`")
}

// attachmentDescription finds the description the bot sent for a file.
func attachmentDescription(t *testing.T, e *env, name string) string {
	t.Helper()
	for _, req := range e.fake.Requests() {
		body, _ := req.Body.(map[string]any)
		atts, _ := body["attachments"].([]any)
		for _, a := range atts {
			am, _ := a.(map[string]any)
			if am["filename"] == name {
				s, _ := am["description"].(string)
				return s
			}
		}
	}
	t.Fatalf("no attachment %s sent", name)
	return ""
}

func TestPrivacy(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	o := inGuild(alice)
	e.run(inv(o, "stretch remind set", opt("time", "8:00"), opt("timezone", "Europe/Paris")))
	e.run(inv(o, "stretch done"))

	id, r := e.run(inv(o, "stretch privacy export"))
	wantType(t, r, discordtest.CallbackDeferredMessage, true)
	m := e.final(id)
	if len(m.Files) != 1 || m.Files[0].Name != "stretchbot-export.json" {
		t.Fatalf("export files: %+v", m.Files)
	}
	var export map[string]any
	if err := json.Unmarshal(m.Files[0].Data, &export); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if !strings.Contains(string(m.Files[0].Data), "Europe/Paris") {
		t.Fatalf("export lacks the reminder: %s", m.Files[0].Data)
	}
	// The reply does not send people to a file they cannot see; the export
	// explains itself.
	wantText(t, m, "The lines at the top of the file explain its fields.")
	if strings.Contains(text(m), "docs/") {
		t.Fatalf("the reply points at the repository's docs:\n%s", text(m))
	}
	about, _ := export["about"].([]any)
	var aboutText []string
	for _, line := range about {
		s, _ := line.(string)
		aboutText = append(aboutText, s)
	}
	for _, field := range []string{"schema:", "settings.paused:", "age_band:", "pain:", "tier:", "kind:", "source:"} {
		if !strings.Contains(strings.Join(aboutText, "\n"), field) {
			t.Errorf("the export's about lines do not explain %s: %q", field, aboutText)
		}
	}

	// Forget asks first, naming what it deletes and what it keeps; "Keep
	// my data" changes nothing.
	_, r = e.run(inv(o, "stretch privacy forget"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "check-ins and which stretch breaks you joined")
	wantText(t, r.Message, "Stretch breaks you set up for a server keep running for everyone, without your name.")
	_, kept := e.click(o, r.Message, "Keep my data")
	wantType(t, kept, discordtest.CallbackUpdateMessage, true)
	if s, _ := e.db.SchedulesByOwner(ctx, aliceID); len(s) != 1 {
		t.Fatal("Keep my data deleted something")
	}
	_, r = e.run(inv(o, "stretch privacy forget"))
	// Bob cannot confirm Alice's deletion.
	_, refused := e.click(inGuild(bob), r.Message, "Delete everything")
	wantText(t, refused.Message, "belongs to someone else")
	_, r = e.click(o, r.Message, "Delete everything")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	wantText(t, r.Message, "Everything stretchbot stored about you is deleted")
	if len(r.Message.Components) != 0 {
		t.Error("the confirm buttons are still there after deleting")
	}
	if s, _ := e.db.SchedulesByOwner(ctx, aliceID); len(s) != 0 {
		t.Fatalf("schedules left after forget: %+v", s)
	}
	if c, _ := e.db.Completions(ctx, aliceID, time.Time{}, e.clock.Now().Add(time.Hour)); len(c) != 0 {
		t.Fatalf("completions left after forget: %+v", c)
	}
	if u, _ := e.db.User(ctx, aliceID); u.TimeZone != "" {
		t.Fatalf("settings left after forget: %+v", u)
	}
	if e.sched.Len() != 0 {
		t.Fatal("a forgotten schedule is still armed")
	}
}

// answerCheckIn clicks through a check-in: at each question the first
// preferred label present is pressed. It returns the final message.
func answerCheckIn(t *testing.T, e *env, o discordtest.Origin, msg discordtest.Message, prefer ...string) discordtest.Message {
	t.Helper()
	for range 20 {
		if len(msg.Embeds) == 0 || msg.Embeds[0].Title != "Check-in" {
			return msg
		}
		ls := labels(msg)
		pick := ""
		for _, p := range prefer {
			for _, l := range ls {
				if l == p || (strings.HasPrefix(p, "^") && strings.HasPrefix(l, p[1:])) {
					pick = l
					break
				}
			}
			if pick != "" {
				break
			}
		}
		if pick == "" {
			t.Fatalf("no preferred answer among %v for %q", ls, msg.Embeds[0].Description)
		}
		_, r := e.click(o, msg, pick)
		wantType(t, r, discordtest.CallbackUpdateMessage, true)
		msg = r.Message
	}
	t.Fatal("the check-in never ended")
	return msg
}

func TestCheckIn(t *testing.T) {
	t.Parallel()
	t.Run("emergency ends early and pauses reminders", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOptions{guildID: guildID})
		ctx := testCtx(t)
		o := inGuild(alice)
		_, r := e.run(inv(o, "checkin"))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		// A first check-in asks Q1 first: "Yes" is an emergency at once.
		wantText(t, r.Message, "Your other answers are not kept")
		if !strings.Contains(r.Message.Embeds[0].Description, "numbness") {
			t.Fatalf("first question is %q, want Q1", r.Message.Embeds[0].Description)
		}
		clicks := 0
		msg := r.Message
		for len(msg.Embeds) > 0 && msg.Embeds[0].Title == "Check-in" {
			pick := "Yes"
			switch {
			case strings.Contains(msg.Embeds[0].Description, "How old"):
				pick = "16 to 49"
			case strings.Contains(msg.Embeds[0].Description, "osteoporosis"):
				pick = "No"
			}
			_, rr := e.click(o, msg, pick)
			msg = rr.Message
			clicks++
		}
		if clicks != 1 {
			t.Fatalf("emergency came after %d answers, want 1 (the first red flag)", clicks)
		}
		if !strings.HasPrefix(msg.Embeds[0].Title, "🚨") {
			t.Fatalf("result %q is not the emergency tier", msg.Embeds[0].Title)
		}
		u, _ := e.db.User(ctx, aliceID)
		if u.Paused != stretchbot.PauseCheckIn {
			t.Fatalf("reminders not paused by the emergency answer: %+v", u)
		}
		recs, _ := e.db.CheckIns(ctx, aliceID)
		if len(recs) != 1 || recs[0].Tier != stretchbot.TierEmergency {
			t.Fatalf("check-in records: %+v", recs)
		}
		if len(msg.Components) != 0 {
			t.Fatalf("the emergency answer has buttons: %v", labels(msg))
		}
		// /stretch now holds stretches back and offers the clinician
		// button; it lifts the hold, and its Stretch now gives a stretch.
		_, r = e.run(inv(o, "stretch now"))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		wantText(t, r.Message, "holding stretches back")
		_, r = e.click(o, r.Message, stretchbot.ClearedLabel(lang.English()))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		wantText(t, r.Message, "lifted the hold")
		_, r = e.click(o, r.Message, "Stretch now")
		wantText(t, r.Message, "Steps")
		if u, _ := e.db.User(ctx, aliceID); u.Paused != stretchbot.PauseNone {
			t.Fatalf("still held after the clinician button: %+v", u)
		}
	})
	t.Run("self-care through every question", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOptions{guildID: guildID})
		ctx := testCtx(t)
		o := discordtest.InDM(alice)
		_, r := e.run(inv(o, "checkin"))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		msg := answerCheckIn(t, e, o, r.Message, "16 to 49", "No", "^Everyday strain", "2")
		if len(msg.Embeds) != 1 || strings.HasPrefix(msg.Embeds[0].Title, "🚨") {
			t.Fatalf("self-care path ended with %q", text(msg))
		}
		buttonID(t, msg, "Stretch now")
		recs, _ := e.db.CheckIns(ctx, aliceID)
		if len(recs) != 1 || recs[0].Tier != stretchbot.TierSelfCare || recs[0].Pain != 2 {
			t.Fatalf("check-in records: %+v", recs)
		}
		u, _ := e.db.User(ctx, aliceID)
		if u.Paused != stretchbot.PauseNone || u.Profile == nil {
			t.Fatalf("user after self-care check-in: %+v", u)
		}
		// "Remind me to check in" makes a one-off reminder.
		_, rr := e.click(o, msg, "Remind me to check in")
		wantType(t, rr, discordtest.CallbackChannelMessage, true)
		wantText(t, rr.Message, "remind you to check in")
		if s, _ := e.db.SchedulesByOwner(ctx, aliceID); len(s) != 1 || s[0].Kind != stretchbot.KindCheckIn {
			t.Fatalf("recheck schedule: %+v", s)
		}
		// The button stays on the result; a second press makes no second reminder.
		_, rr = e.click(o, msg, "Remind me to check in")
		wantText(t, rr.Message, "already have a check-in reminder")
		if s, _ := e.db.SchedulesByOwner(ctx, aliceID); len(s) != 1 {
			t.Fatalf("second press made %d schedules", len(s))
		}
		// The second check-in skips the profile questions.
		_, r = e.run(inv(o, "checkin"))
		if strings.Contains(r.Message.Embeds[0].Description, "How old") {
			t.Fatal("profile asked again")
		}
		// profile:true, as README and /stretch help show it, asks them
		// again, after the questions about urgent signs.
		_, r = e.run(inv(o, "checkin", opt("profile", true)))
		msg = r.Message
		for range 5 {
			if strings.Contains(text(msg), "How old") {
				break
			}
			_, rr = e.click(o, msg, "No")
			msg = rr.Message
		}
		wantText(t, msg, "How old")
	})
}

func TestStretchBreak(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)

	_, r := e.run(inv(inGuild(bob), "stretchbreak set", opt("time", "15:00"), opt("timezone", "UTC")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "Only people who can manage this server")
	if s, _ := e.db.SchedulesByGuild(ctx, guildID); len(s) != 0 {
		t.Fatal("a non-admin made a stretch break")
	}
	// Not in DMs at all.
	_, r = e.run(inv(discordtest.InDM(alice), "stretchbreak list"))
	wantText(t, r.Message, "works only in a server")

	_, r = e.run(inv(asAdmin(alice), "stretchbreak set", opt("time", "15:00"), opt("days", "weekdays"), opt("timezone", "UTC")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "Stretch break #")
	breaks, _ := e.db.SchedulesByGuild(ctx, guildID)
	if len(breaks) != 1 {
		t.Fatalf("breaks: %+v", breaks)
	}
	brk := breaks[0]
	_, r = e.run(inv(asAdmin(alice), "stretchbreak list"))
	wantText(t, r.Message, fmt.Sprintf("#%d", brk.ID))

	// The break fires into the channel (recorded first, as the scheduler
	// does: clicks count only for an occurrence that was posted); everyone
	// may click, once each.
	at := e.clock.Now()
	if _, err := e.db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: brk.ID, At: at, Sent: at}}); err != nil {
		t.Fatal(err)
	}
	if err := e.bot.Deliver(ctx, e.d, brk.ID, at, false); err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(channelID)
	if len(msgs) != 1 {
		t.Fatalf("%d channel messages, want the break", len(msgs))
	}
	msg := msgs[0]
	wantText(t, msg, "Stretch break")
	// No picture on the post: it shows no stretch, since one cannot suit
	// everyone; each person's own card has theirs.
	_, r = e.click(inGuild(alice), msg, "I did it")
	wantType(t, r, discordtest.CallbackUpdateMessage, false)
	if got := labels(r.Message); got[len(got)-1] != "I did it (1)" {
		t.Fatalf("after one click: %v", got)
	}
	_, r = e.click(inGuild(alice), r.Message, "I did it")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "already counted")
	msg = e.fake.Messages(channelID)[0]
	if got := labels(msg); got[len(got)-1] != "I did it (1)" {
		t.Fatalf("a second click by the same person changed the tally: %v", got)
	}
	_, r = e.click(inGuild(bob), msg, "I did it")
	if got := labels(r.Message); got[len(got)-1] != "I did it (2)" {
		t.Fatalf("after a second person: %v", got)
	}

	id, r := e.run(inv(asAdmin(alice), "stretchbreak stats"))
	wantType(t, r, discordtest.CallbackDeferredMessage, true)
	wantText(t, e.final(id), `1 break joined, 2 "I did it" in all`)
	wantText(t, e.final(id), "Counts only: this view names no one.")

	_, r = e.run(inv(inGuild(bob), "stretchbreak remove", opt("id", int(brk.ID))))
	wantText(t, r.Message, "Only people who can manage")
	_, r = e.run(inv(asAdmin(alice), "stretchbreak remove", opt("id", int(brk.ID))))
	wantText(t, r.Message, "removed")
	if s, _ := e.db.SchedulesByGuild(ctx, guildID); len(s) != 0 {
		t.Fatal("break not removed")
	}
}

func TestUnknownCommandAndOddOptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	_, r := e.run(inv(inGuild(alice), "nonsense"))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "don't know the command")
	// A number where a string is expected, and an unknown option.
	_, r = e.run(inv(inGuild(alice), "stretch remind set", opt("time", 7), opt("colour", "blue")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	// The error names the whole command and shows how it is typed.
	_, r = e.run(inv(inGuild(alice), "stretch now", opt("foo", "bar")))
	wantText(t, r.Message, `/stretch now has no option "foo". It is typed: `+"`/stretch now [position] [equipment] [spasm:true] [share:true]`")
}
