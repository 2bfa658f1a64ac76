package bot_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/lang"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store"
)

// The check-in flow tests drive the transport-neutral handlers (the ones
// the console and Discord both call) on a real bbolt file, with a fake
// clock; TestCheckIn covers the same flow end to end through Discord.

type checkinEnv struct {
	t     *testing.T
	db    *store.DB
	bot   *bot.Bot
	clock *scheduler.FakeClock
	sent  *sentReplies
}

// sentReplies is a Sender that keeps what the bot posts.
type sentReplies struct {
	mu sync.Mutex
	rs []bot.Reply
}

func (s *sentReplies) Send(_ context.Context, _ bot.Destination, r bot.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rs = append(s.rs, r)
	return nil
}

func newCheckinEnv(t *testing.T) *checkinEnv {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "stretchbot.db"), store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	e := &checkinEnv{t: t, db: db, clock: scheduler.NewFakeClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)), sent: &sentReplies{}}
	sched := scheduler.New(scheduler.Options{Clock: e.clock, Journal: db, Logger: testLogger(),
		Deliver: func(context.Context, scheduler.Occurrence) error { return nil }})
	e.bot, err = bot.New(bot.Config{Store: db, Scheduler: sched, Catalog: catalog, Now: e.clock.Now, Logger: testLogger(), Console: true, InteractionBurst: manyPresses})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *checkinEnv) command(name string, opts map[string]string) bot.Reply {
	if opts == nil {
		opts = map[string]string{}
	}
	return e.bot.Handle(testCtx(e.t), bot.Interaction{Kind: bot.KindCommand, UserID: aliceID, Command: name, Options: opts})
}

// press clicks the button labelled label on r; the test fails when r has none.
func (e *checkinEnv) press(r bot.Reply, label string) bot.Reply {
	e.t.Helper()
	for _, row := range r.Rows {
		for _, b := range row {
			if b.Label == label {
				return e.bot.Handle(testCtx(e.t), bot.Interaction{Kind: bot.KindButton, UserID: aliceID, CustomID: b.ID})
			}
		}
	}
	e.t.Fatalf("no button %q on %s", label, replyText(r))
	return bot.Reply{}
}

func replyText(r bot.Reply) string {
	var b strings.Builder
	b.WriteString(r.Content)
	for _, c := range r.Cards {
		b.WriteString("\n" + c.Title + "\n" + c.Description)
		for _, f := range c.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
		b.WriteString("\n" + c.Footer)
	}
	return b.String()
}

func buttonLabels(r bot.Reply) []string {
	var ls []string
	for _, row := range r.Rows {
		for _, b := range row {
			ls = append(ls, b.Label)
		}
	}
	return ls
}

// checkIn runs /checkin and answers each screen: the first key of answers
// found in the question picks the label (a leading ^ matches a label's
// start); "No" otherwise. It returns every question screen and the result.
func (e *checkinEnv) checkIn(answers map[string]string) (screens []bot.Reply, result bot.Reply) {
	e.t.Helper()
	r := e.command("checkin", nil)
	for range 20 {
		if len(r.Cards) == 0 || r.Cards[0].Title != "Check-in" {
			return screens, r
		}
		screens = append(screens, r)
		q := r.Cards[0].Description
		pick := "No"
		for key, label := range answers {
			if strings.Contains(q, key) {
				pick = label
			}
		}
		if strings.HasPrefix(pick, "^") {
			for _, l := range buttonLabels(r) {
				if strings.HasPrefix(l, pick[1:]) {
					pick = l
				}
			}
		}
		r = e.press(r, pick)
	}
	e.t.Fatal("the check-in never ended")
	return nil, bot.Reply{}
}

// profile answers for a person of 16–49 without bone risk, with an
// everyday cause and the given pain.
func everyday(pain string) map[string]string {
	return map[string]string{"How old": "16 to 49", "How did this episode": "^Everyday strain", "How bad": pain}
}

func merge(a map[string]string, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// accepted follows every button of a check-in result (and of the screens
// those lead to, two levels deep) and fails the test if any is refused:
// each must do what its label says.
func (e *checkinEnv) accepted(r bot.Reply, depth int) {
	e.t.Helper()
	if depth == 0 {
		return
	}
	for _, label := range buttonLabels(r) {
		next := e.press(r, label)
		text := replyText(next)
		switch label {
		case stretchbot.ActionStretchNow.Label(lang.English()), "Another stretch":
			if len(next.Cards) == 0 || len(next.Cards[0].Fields) == 0 || next.Cards[0].Fields[0].Name != "Steps" {
				e.t.Errorf("%q was refused: %s", label, text)
			}
		case stretchbot.ActionRecheck.Label(lang.English()):
			if !strings.Contains(text, "check in") || strings.Contains(text, "expired") {
				e.t.Errorf("%q was refused: %s", label, text)
			}
		case stretchbot.ClearedLabel(lang.English()):
			if !strings.Contains(text, stretchbot.ClearedText(lang.English())) {
				e.t.Errorf("%q was refused: %s", label, text)
			}
		case "Done":
			if !strings.Contains(text, "logged") {
				e.t.Errorf("%q was refused: %s", label, text)
			}
		default: // Start, Other side, Skip and the variants of a stretch card
			for _, refusal := range []string{"expired", "holding stretches back", "left out for you", "None of my stretches", "No stretch", "only stretch"} {
				if strings.Contains(text, refusal) || len(next.Cards) == 0 {
					e.t.Errorf("%q was refused: %s", label, text)
					break
				}
			}
		}
		e.accepted(next, depth-1)
	}
}

func (e *checkinEnv) user() stretchbot.User {
	u, err := e.db.User(testCtx(e.t), aliceID)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *checkinEnv) records() []stretchbot.CheckInRecord {
	recs, err := e.db.CheckIns(testCtx(e.t), aliceID)
	if err != nil {
		e.t.Fatal(err)
	}
	return recs
}

func wantIn(t *testing.T, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Errorf("lacks %q:\n%s", s, text)
		}
	}
}

func wantNotIn(t *testing.T, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(text, s) {
			t.Errorf("has %q:\n%s", s, text)
		}
	}
}

// TestCheckInFlowPerResult: one check-in per kind of result, asserting the
// order of the screens, what each screen says is kept, the safety net, the
// record and the buttons, and that every button is accepted.
func TestCheckInFlowPerResult(t *testing.T) {
	t.Parallel()
	const safetyNet = "that is an emergency: call your local emergency number"
	tests := []struct {
		name     string
		before   func(e *checkinEnv) // earlier check-ins
		answers  map[string]string
		screens  int
		heading  string
		first    string // the result body starts with this
		has      []string
		hasNot   []string
		buttons  []string
		paused   bool
		age      stretchbot.AgeBand
		pain     int
		tier     stretchbot.Tier
		stretchy func(t *testing.T, s stretchbot.Stretch) // checks a stretch Stretch now gives
	}{
		{
			name:    "emergency on the first screen of a first check-in",
			answers: map[string]string{"numbness": "Yes"},
			screens: 1, heading: "🚨 Get medical help now", first: stretchbot.EmergencyAction(lang.English()),
			has:    []string{"can't wait", "For 90 days I keep this check-in's date, result and rule version. No other answer is kept"},
			hasNot: []string{safetyNet, "If in doubt", "/checkin", "pain score", "age band"},
			paused: true, age: stretchbot.AgeNotAsked, pain: stretchbot.PainNotAsked, tier: stretchbot.TierEmergency,
		},
		{
			name:    "today",
			answers: merge(everyday("3"), map[string]string{"fever": "Yes"}),
			screens: 14, heading: "See a doctor today", first: "Contact a doctor today",
			has:    []string{"You have a fever, or you are shivering, as well as the back pain.", safetyNet, "your pain score and your age band", "If in doubt, contact a doctor."},
			paused: true, age: stretchbot.Age16To49, pain: 3, tier: stretchbot.TierSeeDoctorToday,
		},
		{
			name:    "cancer survivor with usual pain is soon, not today",
			answers: map[string]string{"How old": "50 to 64", "cancer": "Yes", "How did this episode": "^My usual", "How bad": "4"},
			screens: 14, heading: "See a doctor in the next few days", first: "Book an appointment",
			has:     []string{"You have had cancer, or you are losing weight without trying to. This is your usual back pain", "you may keep stretching gently", safetyNet},
			hasNot:  []string{"is fine"},
			buttons: nil, age: stretchbot.Age50To64, pain: 4, tier: stretchbot.TierSeeDoctorSoon,
		},
		{
			name:    "65 or over with new pain 7 is soon",
			answers: map[string]string{"How old": "65 or over", "How did this episode": "^Everyday strain", "How bad": "7"},
			screens: 14, heading: "See a doctor in the next few days", first: "Book an appointment",
			has: []string{"You are 65 or over, your pain right now is 7 or more out of 10", safetyNet},
			age: stretchbot.Age65Plus, pain: 7, tier: stretchbot.TierSeeDoctorSoon,
		},
		{
			name:    "self-care",
			answers: everyday("2"),
			screens: 14, heading: "Keep stretching", first: "Keep up your routine",
			has:     []string{"Check in again in 7 days", "none of the warning signs", safetyNet, "your pain score and your age band", "bone-health answer stay in your settings"},
			hasNot:  []string{"None of your answers calls for a doctor", "nothing"},
			buttons: []string{"Stretch now", "Remind me to check in"},
			age:     stretchbot.Age16To49, pain: 2, tier: stretchbot.TierSelfCare,
		},
		{
			name:    "self-care with pain 10 starts with the flare and keeps to spasm-safe stretches",
			answers: everyday("10"),
			screens: 14, heading: "Keep stretching", first: "Your pain is 8 or more out of 10. To get through the flare:",
			has:     []string{"pharmacist", "only the stretches that are safe during a spasm", "Check in again in 1 day", safetyNet},
			buttons: []string{"Stretch now", "Remind me to check in"},
			age:     stretchbot.Age16To49, pain: 10, tier: stretchbot.TierSelfCare,
			stretchy: func(t *testing.T, s stretchbot.Stretch) {
				if !s.SpasmSafe {
					t.Errorf("pain 10 was offered %s, not spasm-safe", s.ID)
				}
			},
		},
		{
			name:    "self-care with pain 9 and bone risk offers no stretch, and says why",
			answers: merge(everyday("9"), map[string]string{"osteoporosis": "Yes"}),
			screens: 14, heading: "Keep stretching", first: "Your pain is 8 or more",
			has:     []string{"None of my stretches is safe for you right now", "osteoporosis", "physiotherapist", safetyNet},
			hasNot:  []string{"Keep up your routine"},
			buttons: []string{"Remind me to check in"},
			age:     stretchbot.Age16To49, pain: 9, tier: stretchbot.TierSelfCare,
		},
		{
			name: "after an emergency, an all-clear check-in recalls it and offers the clinician button",
			before: func(e *checkinEnv) {
				e.checkIn(map[string]string{"numbness": "Not sure"})
				e.clock.Advance(26 * time.Hour)
			},
			answers: everyday("3"),
			screens: 14, heading: "No new warning signs: have you been checked?", first: "Your check-in on Tue 10 Mar 2026 advised you to get medical help straight away",
			has:     []string{"Have you been checked by a clinician?", "none of the warning signs", safetyNet},
			hasNot:  []string{"Keep up your routine"},
			buttons: []string{stretchbot.ClearedLabel(lang.English()), "Remind me to check in"},
			paused:  true, age: stretchbot.Age16To49, pain: 3, tier: stretchbot.TierSelfCare,
		},
		{
			name: "after a today answer, a soon answer recalls it",
			before: func(e *checkinEnv) {
				e.checkIn(merge(everyday("3"), map[string]string{"all night": "Yes"}))
				e.clock.Advance(2 * time.Hour)
			},
			answers: map[string]string{"How did this episode": "No clear reason", "How bad": "4"},
			screens: 11, heading: "See a doctor in the next few days", first: "Your check-in on Tue 10 Mar 2026 advised you to see a doctor that day",
			has:     []string{"Book an appointment", "This episode of back pain started for no clear reason.", safetyNet},
			hasNot:  []string{"gentle stretching is fine"},
			buttons: []string{stretchbot.ClearedLabel(lang.English())},
			paused:  true, age: stretchbot.Age16To49, pain: 4, tier: stretchbot.TierSeeDoctorSoon,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newCheckinEnv(t)
			if tt.before != nil {
				tt.before(e)
			}
			screens, res := e.checkIn(tt.answers)
			if len(screens) != tt.screens {
				t.Errorf("%d question screens, want %d", len(screens), tt.screens)
			}
			for i, s := range screens {
				if !s.Ephemeral {
					t.Errorf("screen %d is not ephemeral", i)
				}
				foot := s.Cards[0].Footer
				q := s.Cards[0].Description
				kept := strings.Contains(q, "How old") || strings.Contains(q, "osteoporosis") || strings.Contains(q, "How bad")
				if kept == strings.Contains(foot, "not kept") || !strings.HasPrefix(foot, "Only you see this.") {
					t.Errorf("screen %q says %q", q, foot)
				}
			}
			if len(screens) > 0 {
				wantIn(t, screens[0].Content, "age band and bone-health answer", "pain score", "90 days", "Your other answers are not kept")
				if !strings.Contains(screens[0].Cards[0].Description, "numbness") {
					t.Errorf("first question %q, want Q1", screens[0].Cards[0].Description)
				}
			}
			if !res.Ephemeral || len(res.Cards) != 1 {
				t.Fatalf("result: %+v", res)
			}
			if res.Cards[0].Title != tt.heading {
				t.Errorf("heading %q, want %q", res.Cards[0].Title, tt.heading)
			}
			body := res.Cards[0].Description
			if !strings.HasPrefix(body, tt.first) {
				t.Errorf("body does not start with %q:\n%s", tt.first, body)
			}
			wantIn(t, body, tt.has...)
			wantNotIn(t, body, tt.hasNot...)
			if got := buttonLabels(res); strings.Join(got, "|") != strings.Join(tt.buttons, "|") {
				t.Errorf("buttons %q, want %q", got, tt.buttons)
			}
			if got := e.user().Paused == stretchbot.PauseCheckIn; got != tt.paused {
				t.Errorf("held = %v, want %v", got, tt.paused)
			}
			recs := e.records()
			last := recs[len(recs)-1]
			if last.Age != tt.age || last.Pain != tt.pain || last.Tier != tt.tier || last.RuleVersion != "2" {
				t.Errorf("record %+v, want age %d pain %d tier %v rules 2", last, tt.age, tt.pain, tt.tier)
			}
			if tt.stretchy != nil {
				r := e.press(res, "Stretch now")
				s, ok := stretchByName(t, r)
				if !ok {
					t.Fatalf("Stretch now gave no stretch: %s", replyText(r))
				}
				tt.stretchy(t, s)
			}
			e.accepted(res, 3)
		})
	}
}

func stretchByName(t *testing.T, r bot.Reply) (stretchbot.Stretch, bool) {
	t.Helper()
	c, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Cards) == 0 {
		return stretchbot.Stretch{}, false
	}
	for _, s := range c.Stretches {
		if strings.HasPrefix(r.Cards[0].Title, s.Name) {
			return s, true
		}
	}
	return stretchbot.Stretch{}, false
}

// TestClinicianButtonLiftsTheHold: after an urgent answer /stretch now and
// the Start of an old card show the clinician button instead of a stretch;
// pressing it brings stretches back.
func TestClinicianButtonLiftsTheHold(t *testing.T) {
	t.Parallel()
	e := newCheckinEnv(t)
	card := e.command("stretch now", nil)
	if _, ok := stretchByName(t, card); !ok {
		t.Fatalf("no stretch before the check-in: %s", replyText(card))
	}
	e.checkIn(map[string]string{"chest pain": "Yes"})
	r := e.command("stretch now", nil)
	wantIn(t, replyText(r), "holding stretches back")
	if _, ok := stretchByName(t, r); ok {
		t.Fatal("a stretch while held")
	}
	if r2 := e.press(card, "Start"); !strings.Contains(replyText(r2), "holding stretches back") {
		t.Fatalf("Start on an old card while held: %s", replyText(r2))
	}
	r = e.press(r, stretchbot.ClearedLabel(lang.English()))
	wantIn(t, replyText(r), stretchbot.ClearedText(lang.English()))
	if e.user().Paused != stretchbot.PauseNone {
		t.Fatal("still held")
	}
	e.accepted(r, 2)
	// Pressing it again changes nothing and is still accepted.
	wantIn(t, replyText(e.press(r, "Stretch now")), "Steps")
}

// TestOnlyTheClinicianButtonLiftsTheHold: while an urgent result holds
// stretches and reminders, /stretch remind resume, pause, set and list
// lift nothing and point to "I've been checked by a clinician", never to
// resume or to another check-in.
func TestOnlyTheClinicianButtonLiftsTheHold(t *testing.T) {
	t.Parallel()
	e := newCheckinEnv(t)
	e.command("stretch remind set", map[string]string{"time": "7:30", "timezone": "UTC"})
	e.checkIn(map[string]string{"between your legs": "Not sure"})
	cleared := stretchbot.ClearedLabel(lang.English())
	for _, c := range []struct {
		name string
		opts map[string]string
	}{
		{"stretch remind resume", nil},
		{"stretch remind pause", map[string]string{"for": "2h"}},
		{"stretch remind list", nil},
		{"stretch remind set", map[string]string{"time": "18:00", "timezone": "UTC"}},
		{"stretch remind resume", nil},
	} {
		r := e.command(c.name, c.opts)
		text := replyText(r)
		wantIn(t, text, "checked you", cleared)
		wantNotIn(t, text, "remind resume", "/checkin", "on again", "next in")
		if !slices.Contains(buttonLabels(r), cleared) {
			t.Errorf("/%s: no %q button: %v", c.name, cleared, buttonLabels(r))
		}
		if u := e.user(); u.Paused != stretchbot.PauseCheckIn || !u.PausedUntil.IsZero() {
			t.Fatalf("/%s changed the hold: %q until %v", c.name, u.Paused, u.PausedUntil)
		}
		if r := e.command("stretch now", nil); !strings.Contains(replyText(r), "holding stretches back") {
			t.Fatalf("a stretch after /%s: %s", c.name, replyText(r))
		}
	}
	// The button on the list lifts it.
	r := e.press(e.command("stretch remind list", nil), cleared)
	wantIn(t, replyText(r), stretchbot.ClearedText(lang.English()))
	if e.user().Paused != stretchbot.PauseNone {
		t.Fatal("still held after the clinician button")
	}
	wantIn(t, replyText(e.command("stretch remind list", nil)), "next in")
	// A pause of one's own is resumed as before; while it lasts, the list
	// gives no "next" time.
	e.command("stretch remind pause", map[string]string{"for": "3d"})
	wantNotIn(t, replyText(e.command("stretch remind list", nil)), "next in")
	wantIn(t, replyText(e.command("stretch remind resume", nil)), "on again")
}

// TestStretchesFollowTheLimits: bone risk, severe pain and spasm:true in
// /stretch now, Skip and reminders; a note says why, never in a channel.
func TestStretchesFollowTheLimits(t *testing.T) {
	t.Parallel()
	e := newCheckinEnv(t)
	e.checkIn(merge(everyday("3"), map[string]string{"osteoporosis": "Yes"}))
	r := e.command("stretch now", nil)
	seen := map[string]bool{}
	for range 8 {
		s, ok := stretchByName(t, r)
		if !ok {
			t.Fatalf("no stretch: %s", replyText(r))
		}
		if s.LoadedFlexion || s.Twist {
			t.Fatalf("bone risk was offered %s", s.ID)
		}
		seen[s.ID] = true
		for _, l := range buttonLabels(r) {
			if v := e.press(r, l); strings.Contains(replyText(v), "left out") {
				t.Errorf("button %q on %s is refused", l, s.ID)
			}
		}
		r = e.press(r, "Skip")
	}
	if len(seen) != 2 {
		t.Errorf("bone risk saw %v, want the two stretches that suit", seen)
	}
	r = e.command("stretch now", nil)
	wantIn(t, r.Content, "osteoporosis", "Child's pose", "physiotherapist")
	// Shared to the channel, the card says nothing about the person's health.
	r = e.command("stretch now", map[string]string{"share": "true"})
	if r.Ephemeral || strings.Contains(r.Content, "osteoporosis") {
		t.Errorf("shared card: ephemeral %v, content %q", r.Ephemeral, r.Content)
	}
	// On a chair nothing suits (the seated twist twists): say so and where.
	r = e.command("stretch now", map[string]string{"position": "chair"})
	wantIn(t, replyText(r), "No stretch that suits you right now fits those choices", "position:floor or position:bed", "Seated twist")

	// Spasm: Skip moves to another spasm-safe stretch each time.
	e2 := newCheckinEnv(t)
	r = e2.command("stretch now", map[string]string{"spasm": "true"})
	prev := ""
	for range 4 {
		s, ok := stretchByName(t, r)
		if !ok || !s.SpasmSafe || s.ID == prev {
			t.Fatalf("spasm: got %q after %q: %s", s.ID, prev, replyText(r))
		}
		prev = s.ID
		r = e2.press(r, "Skip")
	}

	// Severe pain: reminders bring only spasm-safe stretches for 24 hours,
	// with a one-line note in a DM.
	e3 := newCheckinEnv(t)
	e3.checkIn(everyday("8"))
	remind := e3.command("stretch remind set", map[string]string{"time": "10:00", "timezone": "UTC"})
	if !strings.Contains(replyText(remind), "Reminder #") {
		t.Fatalf("remind set: %s", replyText(remind))
	}
	scheds, _ := e3.db.SchedulesByOwner(testCtx(t), aliceID)
	for i := range 3 {
		if err := e3.bot.Deliver(testCtx(t), e3.sent, scheds[0].ID, e3.clock.Now(), false); err != nil {
			t.Fatal(err)
		}
		got := e3.sent.rs[len(e3.sent.rs)-1]
		s, ok := stretchByName(t, got)
		if !ok || !s.SpasmSafe {
			t.Fatalf("reminder %d within 24 h: %s", i, replyText(got))
		}
		wantIn(t, got.Content, "safe during a spasm")
		e3.press(got, "Skip")
	}
	e3.clock.Advance(24 * time.Hour)
	seenAll := map[bool]bool{}
	for range 6 {
		if err := e3.bot.Deliver(testCtx(t), e3.sent, scheds[0].ID, e3.clock.Now(), false); err != nil {
			t.Fatal(err)
		}
		got := e3.sent.rs[len(e3.sent.rs)-1]
		s, _ := stretchByName(t, got)
		seenAll[s.SpasmSafe] = true
		wantNotIn(t, got.Content, "safe during a spasm")
		e3.press(got, "Skip")
	}
	if !seenAll[false] {
		t.Error("after 24 hours reminders still keep to spasm-safe stretches")
	}
}

// TestStretchHelpPutsTheEmergencyFirst: the emergency action with its
// numbers opens /stretch help, and nothing offers another way beside it.
func TestStretchHelpPutsTheEmergencyFirst(t *testing.T) {
	t.Parallel()
	e := newCheckinEnv(t)
	r := e.command("stretch help", nil)
	if len(r.Cards) == 0 {
		t.Fatalf("help: %s", replyText(r))
	}
	desc := r.Cards[0].Description
	first, _, _ := strings.Cut(desc, "\n")
	if !strings.HasPrefix(first, "🚨 Call your local emergency number now (911") {
		t.Errorf("help starts with %q", first)
	}
	wantIn(t, first, "999", "112", "000", "emergency department", "numbness", "bladder or bowels", "weakness in your legs")
	wantNotIn(t, first, "/checkin", "or run", "doctor")
	for _, f := range r.Cards[0].Fields {
		if strings.Contains(f.Value, "emergency number") {
			t.Errorf("field %q mentions the emergency again, apart from the action: %q", f.Name, f.Value)
		}
	}
}
