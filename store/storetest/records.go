package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

func testMarkFired(t *testing.T, h Harness) {
	d := open(t, h)
	a := mustCreate(t, d, Reminder(Alice))
	b := mustCreate(t, d, Reminder(Bob))
	occ := []stretchbot.Fired{{ScheduleID: a, At: T0}, {ScheduleID: b, At: T0}, {ScheduleID: a, At: T0}, {ScheduleID: 4242, At: T0}}
	got := must[[]bool](t)(d.MarkFired(ctx, occ))
	// The repeated occurrence in one call counts once; an unknown
	// schedule is never delivered.
	if want := []bool{true, true, false, false}; !reflect.DeepEqual(got, want) {
		t.Fatalf("first MarkFired = %v, want %v", got, want)
	}
	d.reopen()
	got = must[[]bool](t)(d.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a, At: T0}, {ScheduleID: a, At: T0.Add(24 * time.Hour)}}))
	if want := []bool{false, true}; !reflect.DeepEqual(got, want) {
		t.Fatalf("MarkFired after reopen = %v, want %v", got, want)
	}
	// Occurrences of one schedule are ordered: one before the last recorded
	// is not new, and "last fired" never moves back.
	got = must[[]bool](t)(d.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a, At: T0.Add(-24 * time.Hour)}}))
	if want := []bool{false}; !reflect.DeepEqual(got, want) {
		t.Fatalf("MarkFired of an earlier occurrence = %v, want %v", got, want)
	}
	if lf := must[time.Time](t)(d.LastFired(ctx, a)); !lf.Equal(T0.Add(24 * time.Hour)) {
		t.Fatalf("LastFired = %v, want %v", lf, T0.Add(24*time.Hour))
	}
	if lf := must[time.Time](t)(d.LastFired(ctx, 4242)); !lf.IsZero() {
		t.Fatalf("LastFired of unknown = %v, want zero", lf)
	}
	if _, err := d.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a}}); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("zero time: err = %v, want EINVALID", err)
	}

	// ForEachSchedule sees every schedule with its last fired time.
	seen := map[uint64]time.Time{}
	if err := d.ForEachSchedule(ctx, func(s stretchbot.Schedule, lf time.Time) error { seen[s.ID] = lf; return nil }); err != nil {
		t.Fatal(err)
	}
	if want := map[uint64]time.Time{a: T0.Add(24 * time.Hour), b: T0}; !reflect.DeepEqual(seen, want) {
		t.Fatalf("ForEachSchedule = %v, want %v", seen, want)
	}
	stop := errors.New("stop")
	if err := d.ForEachSchedule(ctx, func(stretchbot.Schedule, time.Time) error { return stop }); err != stop {
		t.Fatalf("ForEachSchedule err = %v, want fn's error unchanged", err)
	}

	// Deleting a schedule deletes its markers.
	if err := d.DeleteSchedule(ctx, a); err != nil {
		t.Fatal(err)
	}
	if lf := must[time.Time](t)(d.LastFired(ctx, a)); !lf.IsZero() {
		t.Fatalf("LastFired of deleted = %v", lf)
	}
}

// testUndelivered follows occurrences from sent to delivered: those
// recorded with a Sent time are undelivered until MarkDelivered names them,
// across a reopen; skipped ones (no Sent time) never are; deleting the
// schedule drops its entries.
func testUndelivered(t *testing.T, h Harness) {
	d := open(t, h)
	a := mustCreate(t, d, Reminder(Alice))
	b := mustCreate(t, d, Reminder(Bob))
	c := mustCreate(t, d, Reminder("333333333333333333"))
	sent := T0.Add(3 * time.Second)
	undelivered := func() []stretchbot.Fired {
		t.Helper()
		got := must[[]stretchbot.Fired](t)(d.Undelivered(ctx))
		for i := range got {
			// Compare instants, whatever zone a backend hands back.
			got[i].At, got[i].Sent = got[i].At.UTC(), got[i].Sent.UTC()
		}
		return got
	}
	if got := undelivered(); len(got) != 0 {
		t.Fatalf("Undelivered of a new database = %v", got)
	}
	must[[]bool](t)(d.MarkFired(ctx, []stretchbot.Fired{
		{ScheduleID: a, At: T0, Sent: sent},
		{ScheduleID: b, At: T0, Sent: sent},
		{ScheduleID: c, At: T0}, // skipped: recorded, never sent
	}))
	d.reopen()
	want := []stretchbot.Fired{{ScheduleID: a, At: T0, Sent: sent}, {ScheduleID: b, At: T0, Sent: sent}}
	if got := undelivered(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Undelivered = %v, want %v", got, want)
	}
	// Delivered: a's goes. An unknown occurrence or one settled twice is
	// ignored.
	if err := d.MarkDelivered(ctx, []stretchbot.Fired{{ScheduleID: a, At: T0}, {ScheduleID: a, At: T0}, {ScheduleID: 4242, At: T0}}); err != nil {
		t.Fatal(err)
	}
	// A second occurrence of b while the first is unsettled: both wait.
	must[[]bool](t)(d.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: b, At: T0.Add(time.Minute), Sent: sent.Add(time.Minute)}}))
	d.reopen()
	want = []stretchbot.Fired{{ScheduleID: b, At: T0, Sent: sent}, {ScheduleID: b, At: T0.Add(time.Minute), Sent: sent.Add(time.Minute)}}
	if got := undelivered(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Undelivered after a delivery = %v, want %v", got, want)
	}
	// An occurrence that is not new is not made undelivered again.
	must[[]bool](t)(d.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a, At: T0, Sent: sent}}))
	if got := undelivered(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Undelivered after re-marking a delivered one = %v, want %v", got, want)
	}
	if err := d.DeleteSchedule(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got := undelivered(); len(got) != 0 {
		t.Fatalf("Undelivered after deleting the schedule = %v", got)
	}
}

// testMarkFiredConcurrent records the same occurrences from many callers
// at once (the case of a leader and a deposed one, or racing workers):
// each occurrence is new to exactly one of them.
func testMarkFiredConcurrent(t *testing.T, h Harness) {
	d := open(t, h)
	var ids []uint64
	for i := range 20 {
		ids = append(ids, mustCreate(t, d, Reminder(fmt.Sprint(300000+i))))
	}
	const callers = 8
	wins := make([]int, len(ids))
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for range callers {
		wg.Go(func() {
			occ := make([]stretchbot.Fired, len(ids))
			for i, id := range ids {
				occ[i] = stretchbot.Fired{ScheduleID: id, At: T0}
			}
			got, err := d.MarkFired(ctx, occ)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for i, ok := range got {
				if ok {
					wins[i]++
				}
			}
		})
	}
	wg.Wait()
	for i, n := range wins {
		if n != 1 {
			t.Errorf("occurrence of schedule %d recorded as new %d times, want once", ids[i], n)
		}
	}
}

func testCompletions(t *testing.T, h Harness) {
	d := open(t, h)
	var want []stretchbot.Completion
	for i := range 5 {
		c := stretchbot.Completion{UserID: Alice, At: T0.Add(time.Duration(i) * time.Hour), StretchID: fmt.Sprint("s", i), Source: stretchbot.SourceButton}
		want = append(want, c)
		if err := d.AddCompletion(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// Same instant twice is two completions, and before 1970 sorts first.
	same := stretchbot.Completion{UserID: Alice, At: T0, Source: stretchbot.SourceManual}
	old := stretchbot.Completion{UserID: Alice, At: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), Source: stretchbot.SourceManual}
	for _, c := range []stretchbot.Completion{same, old, {UserID: Bob, At: T0, Source: stretchbot.SourceManual}} {
		if err := d.AddCompletion(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	d.reopen()
	tests := []struct {
		name     string
		from, to time.Time
		want     []stretchbot.Completion
	}{
		{"all", time.Time{}, time.Time{}, append([]stretchbot.Completion{old, want[0], same}, want[1:]...)},
		{"from is inclusive, to exclusive", T0.Add(time.Hour), T0.Add(3 * time.Hour), want[1:3]},
		{"open start", time.Time{}, T0, []stretchbot.Completion{old}},
		{"open end", T0.Add(4 * time.Hour), time.Time{}, want[4:]},
		{"empty range", T0.Add(10 * time.Hour), T0.Add(11 * time.Hour), nil},
		{"nanoseconds count", T0.Add(time.Hour - time.Nanosecond), T0.Add(time.Hour + time.Nanosecond), want[1:2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := must[[]stretchbot.Completion](t)(d.Completions(ctx, Alice, tt.from, tt.to))
			if len(got) != len(tt.want) {
				t.Fatalf("got %d completions %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				w := tt.want[i]
				if got[i].UserID != w.UserID || !got[i].At.Equal(w.At) || got[i].StretchID != w.StretchID || got[i].Source != w.Source {
					t.Errorf("[%d] = %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
	if err := d.AddCompletion(ctx, stretchbot.Completion{UserID: Alice}); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("completion without time: err = %v, want EINVALID", err)
	}
}

func testCheckInsAndPrune(t *testing.T, h Harness) {
	d := open(t, h)
	cutoff := T0
	recs := []stretchbot.CheckInRecord{
		{UserID: Alice, At: cutoff.Add(-time.Nanosecond), Age: stretchbot.Age65Plus, Pain: 7, Tier: stretchbot.TierSeeDoctorSoon, RuleVersion: "1"},
		{UserID: Alice, At: cutoff, Age: stretchbot.Age65Plus, Pain: 3, Tier: stretchbot.TierSelfCare, RuleVersion: "1"},
		{UserID: Bob, At: cutoff.Add(-90 * 24 * time.Hour), Pain: 9, Tier: stretchbot.TierEmergency, RuleVersion: "1"},
		{UserID: Bob, At: cutoff.Add(time.Hour), Pain: 0, RuleVersion: "1"},
	}
	for _, r := range recs {
		if err := d.AddCheckIn(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	d.reopen()
	got := must[[]stretchbot.CheckInRecord](t)(d.CheckIns(ctx, Alice))
	if len(got) != 2 || !got[0].At.Equal(recs[0].At) || got[0].Pain != 7 || got[0].Tier != stretchbot.TierSeeDoctorSoon || got[0].Age != stretchbot.Age65Plus || got[1].RuleVersion != "1" {
		t.Fatalf("CheckIns = %+v", got)
	}
	// Strictly before the cutoff goes; at the cutoff stays.
	if n := must[int](t)(d.PruneCheckIns(ctx, cutoff)); n != 2 {
		t.Fatalf("PruneCheckIns = %d, want 2", n)
	}
	got = must[[]stretchbot.CheckInRecord](t)(d.CheckIns(ctx, Alice))
	if len(got) != 1 || !got[0].At.Equal(cutoff) {
		t.Fatalf("alice after prune = %+v", got)
	}
	if got := must[[]stretchbot.CheckInRecord](t)(d.CheckIns(ctx, Bob)); len(got) != 1 || got[0].Pain != 0 {
		t.Fatalf("bob after prune = %+v", got)
	}
	if n := must[int](t)(d.PruneCheckIns(ctx, cutoff)); n != 0 {
		t.Fatalf("second PruneCheckIns = %d, want 0", n)
	}
}

func testBreakClicks(t *testing.T, h Harness) {
	d := open(t, h)
	br := mustCreate(t, d, Break(Alice))
	other := mustCreate(t, d, Break(Alice))
	rem := mustCreate(t, d, Reminder(Alice))
	click := func(id uint64, occ time.Time, user string) (bool, int) {
		t.Helper()
		counted, total, err := d.RecordBreakClick(ctx, id, occ, user, occ.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return counted, total
	}
	steps := []struct {
		id      uint64
		occ     time.Time
		user    string
		counted bool
		total   int
	}{
		{br, T0, Alice, true, 1},
		{br, T0, Alice, false, 1},
		{br, T0, Bob, true, 2},
		{br, T0.Add(24 * time.Hour), Bob, true, 1},
	}
	for i, s := range steps {
		if c, n := click(s.id, s.occ, s.user); c != s.counted || n != s.total {
			t.Fatalf("step %d: counted %v total %d, want %v %d", i, c, n, s.counted, s.total)
		}
	}
	if _, _, err := d.RecordBreakClick(ctx, rem, T0, Bob, T0); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("click on a reminder: err = %v, want EINVALID", err)
	}
	if _, _, err := d.RecordBreakClick(ctx, 999, T0, Bob, T0); stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
		t.Fatalf("click on nothing: err = %v, want ENOTFOUND", err)
	}
	d.reopen()
	stats := must[map[uint64]stretchbot.BreakCount](t)(d.BreakStats(ctx, Guild))
	want := map[uint64]stretchbot.BreakCount{br: {Occurrences: 2, Clicks: 3}, other: {}}
	if !reflect.DeepEqual(stats, want) {
		t.Fatalf("BreakStats = %+v, want %+v", stats, want)
	}
	// Counted clicks are completions.
	cs := must[[]stretchbot.Completion](t)(d.Completions(ctx, Bob, time.Time{}, time.Time{}))
	if len(cs) != 2 || cs[0].Source != stretchbot.SourceBreak {
		t.Fatalf("bob's completions = %+v", cs)
	}
	// Deleting the break deletes its clicks, not the completions.
	if err := d.DeleteSchedule(ctx, br); err != nil {
		t.Fatal(err)
	}
	if ex := must[store.Export](t)(d.Export(ctx, Bob)); len(ex.BreakClicks) != 0 || len(ex.Completions) != 2 {
		t.Fatalf("bob after the break was deleted: %d clicks, %d completions; want 0, 2", len(ex.BreakClicks), len(ex.Completions))
	}
}

func testExportRoundTrip(t *testing.T, h Harness) {
	d := open(t, h)
	SeedUser(t, d, Alice)
	SeedUser(t, d, Bob)
	ex := must[store.Export](t)(d.Export(ctx, Alice))
	if ex.Schema != store.ExportSchema || ex.UserID != Alice || ex.Settings == nil || ex.Settings.TimeZone != "Europe/Berlin" ||
		len(ex.Schedules) != 3 || len(ex.Completions) != 3 || len(ex.CheckIns) != 1 || len(ex.BreakClicks) != 2 {
		t.Fatalf("Export = %+v", ex)
	}
	raw, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var back store.Export
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, ex) {
		t.Fatalf("JSON round trip differs:\n%+v\n%+v", back, ex)
	}
	if !bytes.Contains(raw, []byte(`"schema": 2`)) || bytes.Contains(raw, []byte(Bob)) {
		t.Fatalf("export JSON:\n%s", raw)
	}
	// The file is the same records, opened by lines that explain them.
	if file, want := must[[]byte](t)(d.ExportJSON(ctx, Alice)), must[[]byte](t)(store.MarshalExport(ex)); !bytes.Equal(file, want) {
		t.Fatalf("ExportJSON differs from Export:\n%s\n%s", file, want)
	}
	// Someone never seen exports as empty lists, not nulls.
	raw, _ = json.Marshal(must[store.Export](t)(d.Export(ctx, "333")))
	if want := `{"schema":2,"user_id":"333","settings":null,"schedules":[],"completions":[],"check_ins":[],"break_clicks":[]}`; string(raw) != want {
		t.Fatalf("empty export = %s, want %s", raw, want)
	}
}

// The export holds the fired markers too: every record about the user.
func testExportFiredMarkers(t *testing.T, h Harness) {
	d := open(t, h)
	SeedUser(t, d, Alice)
	SeedUser(t, d, Bob)
	byKind := func() map[string]store.ExportSchedule {
		out := map[string]store.ExportSchedule{}
		for _, s := range must[store.Export](t)(d.Export(ctx, Alice)).Schedules {
			out[s.Kind] = s
		}
		return out
	}
	got := byKind()
	if r := got["reminder"]; !r.LastDue.Equal(T0) || r.Sending == nil || len(r.Sending) != 0 {
		t.Fatalf("reminder fired at T0: last_due %v, sending %v", r.LastDue, r.Sending)
	}
	if b := got["break"]; !b.LastDue.Equal(T0) {
		t.Fatalf("break fired at T0: last_due %v", b.LastDue)
	}
	sn := got["snooze"]
	if !sn.LastDue.IsZero() || len(sn.Sending) != 0 {
		t.Fatalf("snooze never fired: last_due %v, sending %v", sn.LastDue, sn.Sending)
	}
	due, sent := T0.Add(time.Hour), T0.Add(time.Hour+time.Second)
	occ := []stretchbot.Fired{{ScheduleID: sn.ID, At: due, Sent: sent}}
	must[[]bool](t)(d.MarkFired(ctx, occ))
	d.reopen()
	sn = byKind()["snooze"]
	if !sn.LastDue.Equal(due) || len(sn.Sending) != 1 || !sn.Sending[0].Due.Equal(due) || !sn.Sending[0].Sent.Equal(sent) {
		t.Fatalf("snooze being sent: last_due %v, sending %+v; want %v, [{%v %v}]", sn.LastDue, sn.Sending, due, due, sent)
	}
	if err := d.MarkDelivered(ctx, occ); err != nil {
		t.Fatal(err)
	}
	if sn = byKind()["snooze"]; !sn.LastDue.Equal(due) || len(sn.Sending) != 0 {
		t.Fatalf("snooze delivered: last_due %v, sending %+v", sn.LastDue, sn.Sending)
	}
	// Bob's markers stay in Bob's export.
	for _, s := range must[store.Export](t)(d.Export(ctx, Bob)).Schedules {
		if len(s.Sending) != 0 {
			t.Fatalf("Bob's %s shows Alice's send: %+v", s.Kind, s.Sending)
		}
	}
}

func testForget(t *testing.T, h Harness) {
	d := open(t, h)
	SeedUser(t, d, Alice)
	SeedUser(t, d, Bob)
	bobBefore := must[store.Export](t)(d.Export(ctx, Bob))
	aliceBefore := must[store.Export](t)(d.Export(ctx, Alice))

	deleted := must[[]uint64](t)(d.Forget(ctx, Alice))
	if len(deleted) != 2 { // the reminder and the snooze; the break stays
		t.Fatalf("Forget deleted schedules %v, want 2", deleted)
	}
	for _, id := range deleted {
		if _, err := d.Schedule(ctx, id); stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
			t.Errorf("schedule %d after Forget: err = %v", id, err)
		}
	}
	d.reopen()

	// No trace of alice anywhere in the database.
	var contents []string
	d.Backend, contents = h.Contents(t, d.Backend)
	if len(contents) == 0 {
		t.Fatal("Contents returned nothing: the check below would pass vacuously")
	}
	for _, c := range contents {
		if strings.Contains(c, Alice) {
			t.Errorf("after Forget the database still holds %s: %q", Alice, c)
		}
	}

	// Bob is intact, except that alice's clicks no longer count.
	if got := must[store.Export](t)(d.Export(ctx, Bob)); !reflect.DeepEqual(got, bobBefore) {
		t.Fatalf("bob changed:\n%+v\n%+v", got, bobBefore)
	}
	if u := must[stretchbot.User](t)(d.User(ctx, Alice)); !reflect.DeepEqual(u, stretchbot.User{ID: Alice}) {
		t.Fatalf("alice's settings after Forget = %+v", u)
	}
	// Her server break keeps working without an owner and can be edited.
	var brID uint64
	for _, s := range aliceBefore.Schedules {
		if s.Kind == "break" {
			brID = s.ID
		}
	}
	br := must[stretchbot.Schedule](t)(d.UpdateSchedule(ctx, brID, func(s *stretchbot.Schedule) error { s.Paused = true; return nil }))
	if br.Owner != "" || br.Kind != stretchbot.KindBreak {
		t.Fatalf("alice's break after Forget = %+v", br)
	}
	stats := must[map[uint64]stretchbot.BreakCount](t)(d.BreakStats(ctx, Guild))
	for id, st := range stats {
		if st.Clicks > 1 {
			t.Errorf("break %d still counts %d clicks", id, st.Clicks)
		}
	}
	if ex := must[store.Export](t)(d.Export(ctx, Alice)); ex.Settings != nil || len(ex.Schedules)+len(ex.Completions)+len(ex.CheckIns)+len(ex.BreakClicks) != 0 {
		t.Fatalf("export after Forget = %+v", ex)
	}
}

func testConcurrentWriters(t *testing.T, h Harness) {
	d := open(t, h)
	const workers, each = 16, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			user := fmt.Sprint("user-", w%4)
			for i := range each {
				if err := d.AddCompletion(ctx, stretchbot.Completion{UserID: user, At: T0.Add(time.Duration(i) * time.Second), Source: stretchbot.SourceButton}); err != nil {
					t.Error(err)
				}
				if _, err := d.UpdateUser(ctx, user, func(u *stretchbot.User) error { u.Remember(fmt.Sprint(w, "-", i)); return nil }); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	d.reopen()
	total := 0
	for u := range 4 {
		cs := must[[]stretchbot.Completion](t)(d.Completions(ctx, fmt.Sprint("user-", u), time.Time{}, time.Time{}))
		total += len(cs)
		if got := must[stretchbot.User](t)(d.User(ctx, fmt.Sprint("user-", u))); len(got.Recent) != stretchbot.MaxRecent {
			t.Errorf("user-%d remembers %d stretches, want %d", u, len(got.Recent), stretchbot.MaxRecent)
		}
	}
	if total != workers*each {
		t.Fatalf("stored %d completions, want %d", total, workers*each)
	}
}

func testCancelledContext(t *testing.T, h Harness) {
	d := open(t, h)
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := d.User(c, Alice); !errors.Is(err, context.Canceled) {
		t.Fatalf("User with cancelled ctx: err = %v", err)
	}
	if err := d.AddCompletion(c, stretchbot.Completion{UserID: Alice, At: T0}); !errors.Is(err, context.Canceled) {
		t.Fatalf("AddCompletion with cancelled ctx: err = %v", err)
	}
	if _, err := d.UpdateUser(c, Alice, func(*stretchbot.User) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("UpdateUser with cancelled ctx: err = %v", err)
	}
}
