package bot_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/lang"
)

// title is the first card's title of a message, as an embed or as the
// heading of a Components V2 card.
func title(m discordtest.Message) string {
	if len(m.Embeds) > 0 {
		return m.Embeds[0].Title
	}
	for _, line := range strings.Split(text(m), "\n") {
		if t, ok := strings.CutPrefix(line, "### "); ok {
			return t
		}
	}
	return ""
}

// field returns the value of the first card's field called name.
func field(m discordtest.Message, name string) string {
	if len(m.Embeds) > 0 {
		for _, f := range m.Embeds[0].Fields {
			if f.Name == name {
				return f.Value
			}
		}
		return ""
	}
	_, rest, ok := strings.Cut(text(m), "**"+name+"**\n")
	if !ok {
		return ""
	}
	value, _, _ := strings.Cut(rest, "\n\n")
	value, _, _ = strings.Cut(value, "\n-# ") // the footer's small print
	return strings.TrimSpace(value)
}

func hasButton(m discordtest.Message, label string) bool {
	for _, l := range labels(m) {
		if l == label {
			return true
		}
	}
	return false
}

// deliverNow fires schedule id by hand, a second after the last time (each
// occurrence has its own nonce, so Discord makes a new message), and
// returns the DM or channel message it sent.
func (e *env) deliverNow(id uint64) discordtest.Message {
	e.t.Helper()
	e.clock.Advance(time.Second)
	dms, posts := len(e.fake.DMs(aliceID)), len(e.fake.Messages(channelID))
	if err := e.bot.Deliver(testCtx(e.t), e.d, id, e.clock.Now(), false); err != nil {
		e.t.Fatal(err)
	}
	if got := e.fake.DMs(aliceID); len(got) > dms {
		return got[len(got)-1]
	}
	if got := e.fake.Messages(channelID); len(got) > posts {
		return got[len(got)-1]
	}
	e.t.Fatalf("delivering #%d sent nothing", id)
	return discordtest.Message{}
}

// A filtered /stretch now stays on its card: it shows the filters with a
// one-press reset, Skip keeps to them and never shows the same stretch
// again, and reminders keep their own filters.
func TestFiltersStayOnTheirCard(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	o := inGuild(alice)

	_, r := e.run(inv(o, "stretch now", opt("position", "chair")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	if title(r.Message) != "Seated twist" || field(r.Message, "Filters") != "In a chair" || !hasButton(r.Message, "Clear filters") {
		t.Fatalf("chair card: %q, filters %q, buttons %v", title(r.Message), field(r.Message, "Filters"), labels(r.Message))
	}
	chair := r.Message
	// Skip keeps to the card's filters: the seated twist is the only chair
	// stretch, so Skip says so instead of showing it again.
	_, r = e.click(o, chair, "Skip")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "only stretch")
	if !hasButton(r.Message, "Clear filters") {
		t.Fatalf("no reset beside 'only stretch': %v", labels(r.Message))
	}
	// Clear filters: the card shows a stretch from everything, in place.
	_, r = e.click(o, chair, "Clear filters")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	if title(r.Message) == "Seated twist" || !strings.HasPrefix(field(r.Message, "Filters"), "None") || hasButton(r.Message, "Clear filters") {
		t.Fatalf("after Clear filters: %q, filters %q, buttons %v", title(r.Message), field(r.Message, "Filters"), labels(r.Message))
	}

	// A reminder set afterwards has its own filters (the default), not the
	// last /stretch now's.
	_, r = e.run(inv(o, "stretch remind set", opt("time", "7:30"), opt("timezone", "UTC")))
	wantText(t, r.Message, "Filters: None")
	_, r = e.run(inv(o, "stretch remind set", opt("time", "21:00"), opt("position", "bed")))
	wantText(t, r.Message, "Filters: In bed")
	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	if len(list) != 2 || !list[0].Filter.IsDefault() || list[1].Filter.Position != stretchbot.PositionBed {
		t.Fatalf("reminders stored as %+v", list)
	}
	_, r = e.run(inv(o, "stretch remind list"))
	wantText(t, r.Message, "21:00 every day (UTC) (in bed)")
	for range 4 {
		msg := e.deliverNow(list[0].ID)
		if title(msg) == "Seated twist" {
			t.Fatal("a default reminder brought the chair stretch of an earlier /stretch now")
		}
		wantText(t, msg, "Time to stretch")
		for _, l := range []string{"Snooze 10 minutes", "Snooze 1 hour", "Tomorrow"} {
			if !hasButton(msg, l) {
				t.Fatalf("reminder lacks %q: %v", l, labels(msg))
			}
		}
		// Doing it moves the rotation on.
		e.click(discordtest.InDM(alice), msg, "Done")
	}
	bed := e.deliverNow(list[1].ID)
	if field(bed, "Filters") != "In bed" {
		t.Fatalf("bed reminder's card: filters %q", field(bed, "Filters"))
	}
	catalog, _ := stretchbot.DefaultCatalog()
	for _, s := range catalog.Stretches {
		if s.Name == title(bed) && !strings.Contains(strings.Join(positionsOf(s), ","), "bed") {
			t.Fatalf("the bed reminder brought %s", s.ID)
		}
	}
}

func positionsOf(s stretchbot.Stretch) []string {
	var out []string
	for _, p := range s.Positions {
		out = append(out, string(p))
	}
	return out
}

// Equipment comes into the rotation only once the person has said they
// have it, or asked for everything.
func TestEquipmentOnlyWhenOwned(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	o := inGuild(alice)
	seen := func(msg discordtest.Message, skips int) map[string]bool {
		out := map[string]bool{title(msg): true}
		for range skips {
			_, r := e.click(o, msg, "Skip")
			if r.Type != discordtest.CallbackUpdateMessage {
				break
			}
			msg = r.Message
			out[title(msg)] = true
		}
		return out
	}
	_, r := e.run(inv(o, "stretch now"))
	wantText(t, r.Message, "Only stretches that need no equipment")
	got := seen(r.Message, 8)
	if got["Drape over an exercise ball"] || got["Seated twist"] || len(got) < 3 {
		t.Fatalf("with no equipment said, Skip showed %v", got)
	}
	// Asking for a ball once says they have one.
	_, r = e.run(inv(o, "stretch now", opt("equipment", "ball")))
	if title(r.Message) == "" {
		t.Fatalf("equipment:ball: %s", text(r.Message))
	}
	u, _ := e.db.User(ctx, aliceID)
	if len(u.Equipment) != 1 || u.Equipment[0] != stretchbot.EquipmentBall {
		t.Fatalf("equipment remembered: %v", u.Equipment)
	}
	_, r = e.run(inv(o, "stretch now"))
	wantText(t, r.Message, "Equipment you have: ball")
	if got := seen(r.Message, 8); !got["Drape over an exercise ball"] || got["Seated twist"] {
		t.Fatalf("with a ball, Skip showed %v", got)
	}
	_, r = e.run(inv(o, "stretch now", opt("equipment", "all")))
	wantText(t, r.Message, "Any equipment")
	if got := seen(r.Message, 8); !got["Seated twist"] {
		t.Fatalf("equipment:all never showed the seated twist: %v", got)
	}
}

func TestSnoozeChoicesLeaveTheScheduleAlone(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID}) // Tuesday 10 March 2026, 09:00 UTC
	ctx := testCtx(t)
	o := discordtest.InDM(alice)
	e.run(inv(inGuild(alice), "stretch remind set", opt("time", "9:00"), opt("timezone", "UTC"), opt("position", "floor")))
	e.run(inv(inGuild(alice), "stretch remind set", opt("time", "15:00"), opt("days", "fri")))
	list, _ := e.db.SchedulesByOwner(ctx, aliceID)
	daily, friday := list[0], list[1]
	nextDaily, _ := e.sched.NextFire(daily.ID)
	snoozes := func() []stretchbot.Schedule {
		var out []stretchbot.Schedule
		for _, s := range must(e.db.SchedulesByOwner(ctx, aliceID)) {
			if s.Kind == stretchbot.KindSnooze {
				out = append(out, s)
			}
		}
		return out
	}

	msg := e.deliverNow(daily.ID)
	_, r := e.click(o, msg, "Snooze 1 hour")
	wantType(t, r, discordtest.CallbackUpdateMessage, false)
	wantText(t, r.Message, "Snoozed")
	got := snoozes()
	if len(got) != 1 || !got[0].At.Equal(e.clock.Now().Add(time.Hour)) || got[0].Filter.Position != stretchbot.PositionFloor || !e.isArmed(got[0].ID) {
		t.Fatalf("after Snooze 1 hour: %+v", got)
	}
	if next, ok := e.sched.NextFire(daily.ID); !ok || !next.Equal(nextDaily) {
		t.Fatalf("the daily reminder moved: next %v, was %v", next, nextDaily)
	}
	// Tomorrow, when the daily reminder comes then anyway: nothing added.
	msg = e.deliverNow(daily.ID)
	_, r = e.click(o, msg, "Tomorrow")
	wantText(t, r.Message, "comes tomorrow at 09:00 anyway")
	if n := len(snoozes()); n != 1 {
		t.Fatalf("%d snoozes after a covered Tomorrow, want 1", n)
	}
	// Without it, Tomorrow is this time tomorrow.
	e.run(inv(inGuild(alice), "stretch remind remove", opt("id", int(daily.ID))))
	msg = e.deliverNow(friday.ID)
	_, r = e.click(o, msg, "Tomorrow")
	wantText(t, r.Message, "Snoozed")
	got = snoozes()
	if want := time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC); len(got) != 2 || !got[1].At.Equal(want) {
		t.Fatalf("Tomorrow made %+v, want one at %v", got, want)
	}
	// Snoozes are bounded; the refusal says why.
	refused := 0
	for range 2 * stretchbot.MaxSnoozesPerUser {
		e.clock.Set(e.clock.Now().Add(time.Second))
		msg = e.deliverNow(friday.ID)
		_, r = e.click(o, msg, "Snooze 10 minutes")
		if strings.Contains(text(r.Message), "snoozed reminders waiting") {
			refused++
		}
	}
	if n := len(snoozes()); n != stretchbot.MaxSnoozesPerUser || refused == 0 {
		t.Fatalf("%d snoozes waiting (limit %d), %d refused", n, stretchbot.MaxSnoozesPerUser, refused)
	}
}

// waitFired waits until the scheduler has handed n occurrences to
// delivery and delivery returned (a reminder held over quiet hours counts:
// nothing is posted for it).
func (e *env) waitFired(n uint64) {
	e.t.Helper()
	ctx := testCtx(e.t)
	for e.sched.Stats().Fired < n {
		select {
		case <-ctx.Done():
			e.t.Fatalf("%d occurrences delivered, want %d: %+v", e.sched.Stats().Fired, n, e.sched.Stats())
		case <-time.After(time.Millisecond):
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestQuietHoursHoldOrSilence(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID}) // Tuesday 10 March 2026, 09:00 UTC (10:00 in Berlin)
	ctx := testCtx(t)
	o := inGuild(alice)

	_, r := e.run(inv(o, "stretch remind quiet"))
	wantText(t, r.Message, "no quiet hours")
	_, r = e.run(inv(o, "stretch remind quiet", opt("from", "22:00"), opt("to", "7:00")))
	wantText(t, r.Message, "set it first with `/stretch timezone`")
	e.run(inv(o, "stretch timezone", opt("name", "Europe/Berlin")))
	_, r = e.run(inv(o, "stretch remind quiet", opt("from", "22:00")))
	wantText(t, r.Message, "Give both from: and to:")
	_, r = e.run(inv(o, "stretch remind quiet", opt("from", "22:00"), opt("to", "7am")))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	wantText(t, r.Message, "Quiet hours set: 22:00 to 07:00 (Europe/Berlin). A reminder that falls inside waits until 07:00.")

	// Two reminders inside quiet hours, one after: the two arrive once,
	// together, at 07:00; the recurring schedules stay as they were.
	e.run(inv(o, "stretch remind set", opt("time", "22:30")))
	e.run(inv(o, "stretch remind set", opt("time", "6:00")))
	e.run(inv(o, "stretch remind set", opt("time", "7:30")))
	held := func() []stretchbot.Schedule {
		var out []stretchbot.Schedule
		for _, s := range must(e.db.SchedulesByOwner(ctx, aliceID)) {
			if s.Kind == stretchbot.KindSnooze {
				out = append(out, s)
			}
		}
		return out
	}
	end := time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC) // 07:00 in Berlin
	e.clock.Set(time.Date(2026, 3, 10, 21, 30, 0, 0, time.UTC))
	e.waitFired(1)
	if h := held(); len(h) != 1 || !h[0].At.Equal(end) {
		t.Fatalf("held over quiet hours: %+v", h)
	}
	e.clock.Set(time.Date(2026, 3, 11, 5, 0, 0, 0, time.UTC))
	e.waitFired(2)
	if h := held(); len(h) != 1 {
		t.Fatalf("the second reminder in quiet hours made another: %+v", h)
	}
	if n := len(e.fake.DMs(aliceID)); n != 0 {
		t.Fatalf("%d DMs inside quiet hours", n)
	}
	e.clock.Set(end)
	if err := e.fake.WaitFor(ctx, func() bool { return len(e.fake.DMs(aliceID)) == 1 }); err != nil {
		t.Fatal("the held reminder never came at the end of quiet hours")
	}
	e.clock.Set(time.Date(2026, 3, 11, 6, 30, 0, 0, time.UTC)) // 07:30
	if err := e.fake.WaitFor(ctx, func() bool { return len(e.fake.DMs(aliceID)) == 2 }); err != nil {
		t.Fatal("the 07:30 reminder never came")
	}
	e.waitFired(4)
	if n := len(must(e.db.SchedulesByOwner(ctx, aliceID))); n != 3 {
		t.Fatalf("%d schedules after quiet hours, want the 3 reminders", n)
	}
	for _, m := range e.fake.DMs(aliceID) {
		if m.Flags&(1<<12) != 0 {
			t.Fatal("a reminder outside quiet hours was sent silently")
		}
	}

	// Silent: on time, with Discord's SUPPRESS_NOTIFICATIONS flag.
	_, r = e.run(inv(o, "stretch remind quiet", opt("mode", "silent")))
	wantText(t, r.Message, "22:00 to 07:00", "arrives on time, without a notification")
	e.clock.Set(time.Date(2026, 3, 11, 21, 30, 0, 0, time.UTC)) // 22:30
	if err := e.fake.WaitFor(ctx, func() bool { return len(e.fake.DMs(aliceID)) == 3 }); err != nil {
		t.Fatal("the silent reminder never came")
	}
	if last := e.fake.DMs(aliceID)[2]; last.Flags&(1<<12) == 0 {
		t.Fatalf("reminder in quiet hours sent with flags %d, want SUPPRESS_NOTIFICATIONS", last.Flags)
	}
	_, r = e.run(inv(o, "stretch remind quiet", opt("off", true)))
	wantText(t, r.Message, "Quiet hours are off")
	if u, _ := e.db.User(ctx, aliceID); u.Quiet != nil {
		t.Fatalf("quiet hours still set: %+v", u.Quiet)
	}
}

var carol = discordtest.User{ID: "600000000000000003", Username: "carol"}

// A stretch break invites each person to press for their own stretch:
// seen only by them, fitting where they are, what they have and their
// check-in; held people get none, and "I did it" keeps the tally.
func TestBreakGivesEachPersonTheirOwnStretch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	e.run(inv(asAdmin(alice), "stretchbreak set", opt("time", "15:00"), opt("timezone", "UTC")))
	breaks, _ := e.db.SchedulesByGuild(ctx, guildID)
	// Recorded first, as the scheduler does: clicks count only for an
	// occurrence that was posted.
	if _, err := e.db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: breaks[0].ID, At: e.clock.Now(), Sent: e.clock.Now()}}); err != nil {
		t.Fatal(err)
	}
	if err := e.bot.Deliver(ctx, e.d, breaks[0].ID, e.clock.Now(), false); err != nil {
		t.Fatal(err)
	}
	post := e.fake.Messages(channelID)[0]
	wantText(t, post, "Stretch break", "Only you will see it", "In a spasm right now?")
	if len(post.Embeds) != 1 || len(post.Embeds[0].Fields) != 0 {
		t.Fatalf("the post shows one stretch for everyone: %+v", post.Embeds)
	}
	if got := labels(post); len(got) != 3 || got[2] != "I did it" {
		t.Fatalf("break buttons: %v", got)
	}

	// Alice, in her chair: an ephemeral card of her own, no Done on it.
	_, r := e.click(inGuild(alice), post, "My stretch: in my chair")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	if title(r.Message) != "Seated twist" || hasButton(r.Message, "Done") || !hasButton(r.Message, "Start") {
		t.Fatalf("Alice's break card: %q %v", title(r.Message), labels(r.Message))
	}
	wantText(t, r.Message, "press I did it on the break post")
	// Through the hold, still no Done: the post's "I did it" logs it once.
	_, r = e.click(inGuild(alice), r.Message, "Start")
	for hasButton(r.Message, "Other side") {
		_, r = e.click(inGuild(alice), r.Message, "Other side")
	}
	if hasButton(r.Message, "Done") {
		t.Fatalf("the hold of a break card offers Done: %v", labels(r.Message))
	}
	wantText(t, r.Message, "press I did it on the break post")

	// Bob has bone risk: no twist for him; the floor offers something safe.
	must(e.db.UpdateUser(ctx, bobID, func(u *stretchbot.User) error {
		u.Profile = &stretchbot.Profile{Age: stretchbot.Age65Plus, BoneRisk: true}
		return nil
	}))
	_, r = e.click(inGuild(bob), post, "My stretch: in my chair")
	if title(r.Message) == "Seated twist" {
		t.Fatal("the seated twist was offered to someone with bone risk")
	}
	_, r = e.click(inGuild(bob), post, "My stretch: on the floor")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	catalog, _ := stretchbot.DefaultCatalog()
	for _, s := range catalog.Stretches {
		if s.Name == title(r.Message) && (s.Twist || s.LoadedFlexion) {
			t.Fatalf("bone risk was offered %s", s.ID)
		}
	}
	if title(r.Message) == "" {
		t.Fatalf("Bob got no floor stretch: %s", text(r.Message))
	}

	// Carol's check-in holds stretches back: no stretch, no tally.
	must(e.db.UpdateUser(ctx, carol.ID, func(u *stretchbot.User) error {
		u.Paused = stretchbot.PauseCheckIn
		return nil
	}))
	_, r = e.click(inGuild(carol), post, "My stretch: on the floor")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	if len(r.Message.Embeds) != 0 {
		t.Fatalf("a held person got a stretch: %s", text(r.Message))
	}
	_, r = e.click(inGuild(carol), post, "I did it")
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	if comps, _ := e.db.Completions(ctx, carol.ID, time.Time{}, e.clock.Now().Add(time.Hour)); len(comps) != 0 {
		t.Fatalf("a held person's click logged %d stretches", len(comps))
	}

	// The tally still counts each person once.
	_, r = e.click(inGuild(alice), post, "I did it")
	wantType(t, r, discordtest.CallbackUpdateMessage, false)
	if got := labels(r.Message); got[len(got)-1] != "I did it (1)" {
		t.Fatalf("tally after Alice: %v", got)
	}
	if comps, _ := e.db.Completions(ctx, aliceID, time.Time{}, e.clock.Now().Add(time.Hour)); len(comps) != 1 {
		t.Fatalf("Alice has %d completions after the break, want 1", len(comps))
	}
}

// routineIntro matches the routine's first line: how many stretches and
// about how long.
var routineIntro = regexp.MustCompile(`Your routine: (\d+) stretch(?:es)?, about (\d+) minutes?\.`)

// routineSteps reads how many steps a routine has from its first reply.
func routineSteps(t *testing.T, m discordtest.Message) int {
	t.Helper()
	sm := routineIntro.FindStringSubmatch(text(m))
	if sm == nil {
		t.Fatalf("no routine intro in:\n%s", text(m))
	}
	n, _ := strconv.Atoi(sm[1])
	return n
}

// stretchNamed finds a catalogue stretch by the name a card shows.
func stretchNamed(t *testing.T, name string) stretchbot.Stretch {
	t.Helper()
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range catalog.Stretches {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no stretch named %q", name)
	return stretchbot.Stretch{}
}

// /stretch routine runs the stretches that fit, one after another, each
// with its hold (a live countdown) and both sides; Done logs each, Next
// moves on, Stop ends; its card says how many and about how long.
func TestRoutine(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	o := inGuild(alice)

	for _, bad := range []any{0, 31, -5} {
		_, r := e.run(inv(o, "stretch routine", opt("minutes", bad)))
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		wantText(t, r.Message, "A routine takes 1 to 30 minutes (leave minutes out for 10).")
	}
	// The default is about 10 minutes: every stretch that fits, once,
	// then round again.
	_, r := e.run(inv(o, "stretch routine"))
	wantText(t, r.Message, "more than once")
	if m, _ := strconv.Atoi(routineIntro.FindStringSubmatch(text(r.Message))[2]); m < 8 || m > 10 {
		t.Fatalf("the default routine takes about %d minutes, want 8 to 10", m)
	}

	_, r = e.run(inv(o, "stretch routine", opt("minutes", 4)))
	wantType(t, r, discordtest.CallbackChannelMessage, true)
	n := routineSteps(t, r.Message)
	if n < 2 || !strings.HasPrefix(title(r.Message), fmt.Sprintf("1 of %d: ", n)) {
		t.Fatalf("%d steps, first titled %q", n, title(r.Message))
	}
	msg := r.Message
	var done []string
	for step := 1; step <= n; step++ {
		name := strings.TrimPrefix(title(msg), fmt.Sprintf("%d of %d: ", step, n))
		s := stretchNamed(t, name)
		if step == 2 {
			// Next moves on without logging.
			_, r = e.click(o, msg, "Next")
			msg = r.Message
			continue
		}
		start := e.clock.Now()
		_, r = e.click(o, msg, "Start hold")
		wantType(t, r, discordtest.CallbackUpdateMessage, true)
		// A live countdown to the end of the hold, as Start shows it.
		wantText(t, r.Message, fmt.Sprintf("<t:%d:R>", start.Add(time.Duration(s.HoldMax)*time.Second).Unix()))
		sides := 1
		for hasButton(r.Message, "Other side") {
			wantText(t, r.Message, "side 1 of 2", "switch to the other side and press Other side.")
			_, r = e.click(o, r.Message, "Other side")
			wantText(t, r.Message, "side 2 of 2")
			sides++
		}
		if sides != s.Sides() {
			t.Fatalf("%s was held on %d sides, want %d", name, sides, s.Sides())
		}
		_, r = e.click(o, r.Message, "Done")
		wantType(t, r, discordtest.CallbackUpdateMessage, true)
		done = append(done, s.ID)
		msg = r.Message
		if step < n {
			wantText(t, msg, name+" logged.")
		}
	}
	wantText(t, msg, fmt.Sprintf("Routine finished: %s logged", stretchbot.Count(lang.English(), n-1, stretchbot.NounStretch)))
	comps := must(e.db.Completions(ctx, aliceID, time.Time{}, e.clock.Now().Add(time.Hour)))
	if len(comps) != n-1 {
		t.Fatalf("%d completions after the routine, want %d (%v)", len(comps), n-1, done)
	}
	for i, c := range comps {
		if c.StretchID != done[i] {
			t.Fatalf("completion %d is %s, want %s", i, c.StretchID, done[i])
		}
	}

	// Stop ends it at once.
	_, r = e.run(inv(o, "stretch routine"))
	_, r = e.click(o, r.Message, "Stop")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	wantText(t, r.Message, "Routine stopped after 0 of", "0 stretches logged")
	if hasButton(r.Message, "Next") {
		t.Fatalf("a stopped routine still has buttons: %v", labels(r.Message))
	}
}

// A routine holds only stretches Catalog.Offer allows the person: bone
// risk, severe pain, their filters and equipment; nothing while a
// check-in holds stretches back, also from a routine started before.
func TestRoutineKeepsToWhatFits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	o := inGuild(alice)
	// walk presses Next through a routine and returns its stretches.
	walk := func(r discordtest.Reply) []stretchbot.Stretch {
		t.Helper()
		n := routineSteps(t, r.Message)
		var out []stretchbot.Stretch
		msg := r.Message
		for step := 1; step <= n; step++ {
			out = append(out, stretchNamed(t, strings.TrimPrefix(title(msg), fmt.Sprintf("%d of %d: ", step, n))))
			// A person reads a card before pressing on (and stays within
			// the per-person limit).
			e.clock.Advance(time.Second)
			_, r = e.click(o, msg, "Next")
			msg = r.Message
		}
		wantText(t, msg, "Routine finished. Nothing was logged")
		return out
	}

	// Filters and equipment: chair, equipment not said: only what needs
	// no equipment or a chair.
	_, r := e.run(inv(o, "stretch routine", opt("minutes", 30), opt("position", "floor")))
	for _, s := range walk(r) {
		if !slices.Contains(s.Positions, stretchbot.PositionFloor) || slices.ContainsFunc(s.Equipment, func(q stretchbot.Equipment) bool { return q != stretchbot.EquipmentNone }) {
			t.Fatalf("floor routine without equipment has %s (%v %v)", s.ID, s.Positions, s.Equipment)
		}
	}
	// spasm:true: spasm-safe only.
	_, r = e.run(inv(o, "stretch routine", opt("minutes", 30), opt("spasm", true)))
	for _, s := range walk(r) {
		if !s.SpasmSafe {
			t.Fatalf("spasm routine has %s", s.ID)
		}
	}
	// Bone risk: nothing loaded forward or twisting, and the card says why.
	must(e.db.UpdateUser(ctx, aliceID, func(u *stretchbot.User) error {
		u.Profile = &stretchbot.Profile{Age: stretchbot.Age50To64, BoneRisk: true}
		return nil
	}))
	_, r = e.run(inv(o, "stretch routine", opt("minutes", 30), opt("equipment", "all")))
	wantText(t, r.Message, "physio")
	for _, s := range walk(r) {
		if s.LoadedFlexion || s.Twist {
			t.Fatalf("bone-risk routine has %s", s.ID)
		}
	}
	// Severe pain in the last day: spasm-safe only, on top of bone risk
	// (which leaves nothing: the answer says so rather than offer one).
	must(0, e.db.AddCheckIn(ctx, stretchbot.CheckInRecord{UserID: aliceID, At: e.clock.Now(), Pain: 9, Tier: stretchbot.TierSelfCare, RuleVersion: "2"}))
	_, r = e.run(inv(o, "stretch routine"))
	if title(r.Message) != "" {
		t.Fatalf("bone risk and severe pain got a routine: %s", text(r.Message))
	}
	must(e.db.UpdateUser(ctx, aliceID, func(u *stretchbot.User) error {
		u.Profile.BoneRisk = false
		return nil
	}))
	_, r = e.run(inv(o, "stretch routine", opt("minutes", 30)))
	for _, s := range walk(r) {
		if !s.SpasmSafe {
			t.Fatalf("severe-pain routine has %s", s.ID)
		}
	}

	// Held: no routine, and a routine begun before shows nothing more.
	_, r = e.run(inv(o, "stretch routine", opt("minutes", 30)))
	started := r.Message
	must(e.db.UpdateUser(ctx, aliceID, func(u *stretchbot.User) error {
		u.Paused = stretchbot.PauseCheckIn
		return nil
	}))
	_, r = e.run(inv(o, "stretch routine"))
	if title(r.Message) != "" || !hasButton(r.Message, "I've been checked by a clinician") {
		t.Fatalf("a held person got a routine: %s %v", text(r.Message), labels(r.Message))
	}
	for _, label := range []string{"Start hold", "Next", "Done"} {
		_, r = e.click(o, started, label)
		if title(r.Message) != "" {
			t.Fatalf("%s on a routine begun before the hold showed %q", label, title(r.Message))
		}
	}
	if comps := must(e.db.Completions(ctx, aliceID, time.Time{}, e.clock.Now().Add(time.Hour))); len(comps) != 0 {
		t.Fatalf("a held person's routine logged %d stretches", len(comps))
	}
}

// A routine's buttons are Alice's: Bob's click is refused kindly, and a
// custom_id changed on the way (a forged plan or step) has expired.
func TestRoutineButtonsAreTheOwners(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{guildID: guildID})
	ctx := testCtx(t)
	_, r := e.run(inv(inGuild(alice), "stretch routine"))
	msg := r.Message
	for _, label := range []string{"Start hold", "Done", "Next", "Stop"} {
		_, r := e.click(inGuild(bob), msg, label)
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		wantText(t, r.Message, "belongs to someone else")
	}
	cid := buttonID(t, msg, "Done")
	payload, sig, ok := strings.Cut(cid, "~")
	if !ok {
		t.Fatalf("routine custom_id %q is not signed", cid)
	}
	parts := strings.Split(payload, ":")
	for i, forged := range []string{
		strings.Replace(payload, ":"+parts[3]+":", ":"+strings.Repeat("9", len(parts[3]))+":", 1), // another plan
		strings.Replace(payload, ":0:1:0:done", ":1:1:0:done", 1),                                 // another step
		strings.Replace(payload, ":"+aliceID+":", ":"+bobID+":", 1),                               // another owner
	} {
		if forged == payload {
			t.Fatalf("forgery %d left %q unchanged", i, payload)
		}
		// The fake only lets a click carry a custom_id the message has:
		// post one as if the bot had sent it.
		ch := fmt.Sprint(710000000000000000 + i)
		if err := e.d.Send(ctx, bot.Destination{ChannelID: ch}, bot.Reply{Content: "routine", Rows: [][]bot.Button{{{Label: "Press", ID: forged + "~" + sig}}}}); err != nil {
			t.Fatal(err)
		}
		msgs := e.fake.Messages(ch)
		_, r := e.click(inGuild(alice), msgs[len(msgs)-1], "Press")
		wantType(t, r, discordtest.CallbackChannelMessage, true)
		wantText(t, r.Message, "expired")
	}
	if comps := must(e.db.Completions(ctx, aliceID, time.Time{}, e.clock.Now().Add(time.Hour))); len(comps) != 0 {
		t.Fatalf("refused clicks logged %d stretches", len(comps))
	}
	// Her own click still works.
	_, r = e.click(inGuild(alice), msg, "Done")
	wantType(t, r, discordtest.CallbackUpdateMessage, true)
	wantText(t, r.Message, "logged")
}
