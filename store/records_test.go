package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
	bolt "go.etcd.io/bbolt"
)

func TestMarkFired(t *testing.T) {
	db := mustOpen(t)
	a := mustCreate(t, db, reminder(alice))
	b := mustCreate(t, db, reminder(bob))
	occ := []stretchbot.Fired{{ScheduleID: a, At: t0}, {ScheduleID: b, At: t0}, {ScheduleID: a, At: t0}, {ScheduleID: 4242, At: t0}}
	got := must[[]bool](t)(db.MarkFired(ctx, occ))
	// The repeated occurrence in one call counts once; an unknown
	// schedule is never delivered.
	if want := []bool{true, true, false, false}; !reflect.DeepEqual(got, want) {
		t.Fatalf("first MarkFired = %v, want %v", got, want)
	}
	db.mustReopen()
	got = must[[]bool](t)(db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a, At: t0}, {ScheduleID: a, At: t0.Add(24 * time.Hour)}}))
	if want := []bool{false, true}; !reflect.DeepEqual(got, want) {
		t.Fatalf("MarkFired after reopen = %v, want %v", got, want)
	}
	// An older occurrence marked late does not move "last fired" back.
	must[[]bool](t)(db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a, At: t0.Add(-24 * time.Hour)}}))
	if lf := must[time.Time](t)(db.LastFired(ctx, a)); !lf.Equal(t0.Add(24 * time.Hour)) {
		t.Fatalf("LastFired = %v, want %v", lf, t0.Add(24*time.Hour))
	}
	if lf := must[time.Time](t)(db.LastFired(ctx, 4242)); !lf.IsZero() {
		t.Fatalf("LastFired of unknown = %v, want zero", lf)
	}
	if _, err := db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a}}); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("zero time: err = %v, want EINVALID", err)
	}

	// ForEachSchedule sees every schedule with its last fired time.
	seen := map[uint64]time.Time{}
	if err := db.ForEachSchedule(ctx, func(s stretchbot.Schedule, lf time.Time) error { seen[s.ID] = lf; return nil }); err != nil {
		t.Fatal(err)
	}
	if want := map[uint64]time.Time{a: t0.Add(24 * time.Hour), b: t0}; !reflect.DeepEqual(seen, want) {
		t.Fatalf("ForEachSchedule = %v, want %v", seen, want)
	}
	stop := errors.New("stop")
	if err := db.ForEachSchedule(ctx, func(stretchbot.Schedule, time.Time) error { return stop }); err != stop {
		t.Fatalf("ForEachSchedule err = %v, want fn's error unchanged", err)
	}

	// Pruning keeps the latest marker of each schedule, however old.
	n := must[int](t)(db.PruneFired(ctx, t0.Add(48*time.Hour)))
	if n != 2 { // a at t0-24h and t0; a's t0+24h and b's t0 are the latest
		t.Fatalf("PruneFired deleted %d, want 2", n)
	}
	got = must[[]bool](t)(db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: a, At: t0.Add(24 * time.Hour)}, {ScheduleID: b, At: t0}, {ScheduleID: a, At: t0}}))
	if want := []bool{false, false, true}; !reflect.DeepEqual(got, want) {
		t.Fatalf("MarkFired after prune = %v, want %v", got, want)
	}

	// Deleting a schedule deletes its markers.
	if err := db.DeleteSchedule(ctx, a); err != nil {
		t.Fatal(err)
	}
	if lf := must[time.Time](t)(db.LastFired(ctx, a)); !lf.IsZero() {
		t.Fatalf("LastFired of deleted = %v", lf)
	}
}

func TestCompletions(t *testing.T) {
	db := mustOpen(t)
	var want []stretchbot.Completion
	for i := range 5 {
		c := stretchbot.Completion{UserID: alice, At: t0.Add(time.Duration(i) * time.Hour), StretchID: fmt.Sprint("s", i), Source: stretchbot.SourceButton}
		want = append(want, c)
		if err := db.AddCompletion(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// Same instant twice is two completions, and before 1970 sorts first.
	same := stretchbot.Completion{UserID: alice, At: t0, Source: stretchbot.SourceManual}
	old := stretchbot.Completion{UserID: alice, At: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), Source: stretchbot.SourceManual}
	for _, c := range []stretchbot.Completion{same, old, {UserID: bob, At: t0, Source: stretchbot.SourceManual}} {
		if err := db.AddCompletion(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	db.mustReopen()
	tests := []struct {
		name     string
		from, to time.Time
		want     []stretchbot.Completion
	}{
		{"all", time.Time{}, time.Time{}, append([]stretchbot.Completion{old, want[0], same}, want[1:]...)},
		{"from is inclusive, to exclusive", t0.Add(time.Hour), t0.Add(3 * time.Hour), want[1:3]},
		{"open start", time.Time{}, t0, []stretchbot.Completion{old}},
		{"open end", t0.Add(4 * time.Hour), time.Time{}, want[4:]},
		{"empty range", t0.Add(10 * time.Hour), t0.Add(11 * time.Hour), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := must[[]stretchbot.Completion](t)(db.Completions(ctx, alice, tt.from, tt.to))
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
	if err := db.AddCompletion(ctx, stretchbot.Completion{UserID: alice}); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("completion without time: err = %v, want EINVALID", err)
	}
}

func TestCheckInsAndPrune(t *testing.T) {
	db := mustOpen(t)
	cutoff := t0
	recs := []stretchbot.CheckInRecord{
		{UserID: alice, At: cutoff.Add(-time.Nanosecond), Age: stretchbot.Age65Plus, Pain: 7, Tier: stretchbot.TierSeeDoctorSoon, RuleVersion: "1"},
		{UserID: alice, At: cutoff, Age: stretchbot.Age65Plus, Pain: 3, Tier: stretchbot.TierSelfCare, RuleVersion: "1"},
		{UserID: bob, At: cutoff.Add(-90 * 24 * time.Hour), Pain: 9, Tier: stretchbot.TierEmergency, RuleVersion: "1"},
		{UserID: bob, At: cutoff.Add(time.Hour), Pain: 0, RuleVersion: "1"},
	}
	for _, r := range recs {
		if err := db.AddCheckIn(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	db.mustReopen()
	got := must[[]stretchbot.CheckInRecord](t)(db.CheckIns(ctx, alice))
	if len(got) != 2 || !got[0].At.Equal(recs[0].At) || got[0].Pain != 7 || got[0].Tier != stretchbot.TierSeeDoctorSoon || got[0].Age != stretchbot.Age65Plus || got[1].RuleVersion != "1" {
		t.Fatalf("CheckIns = %+v", got)
	}
	// Strictly before the cutoff goes; at the cutoff stays.
	if n := must[int](t)(db.PruneCheckIns(ctx, cutoff)); n != 2 {
		t.Fatalf("PruneCheckIns = %d, want 2", n)
	}
	got = must[[]stretchbot.CheckInRecord](t)(db.CheckIns(ctx, alice))
	if len(got) != 1 || !got[0].At.Equal(cutoff) {
		t.Fatalf("alice after prune = %+v", got)
	}
	if got := must[[]stretchbot.CheckInRecord](t)(db.CheckIns(ctx, bob)); len(got) != 1 || got[0].Pain != 0 {
		t.Fatalf("bob after prune = %+v", got)
	}
}

func TestBreakClicks(t *testing.T) {
	db := mustOpen(t)
	br := mustCreate(t, db, breakFor(alice))
	other := mustCreate(t, db, breakFor(alice))
	rem := mustCreate(t, db, reminder(alice))
	click := func(id uint64, occ time.Time, user string) (bool, int) {
		t.Helper()
		counted, total, err := db.RecordBreakClick(ctx, id, occ, user, occ.Add(time.Minute))
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
		{br, t0, alice, true, 1},
		{br, t0, alice, false, 1},
		{br, t0, bob, true, 2},
		{br, t0.Add(24 * time.Hour), bob, true, 1},
	}
	for i, s := range steps {
		if c, n := click(s.id, s.occ, s.user); c != s.counted || n != s.total {
			t.Fatalf("step %d: counted %v total %d, want %v %d", i, c, n, s.counted, s.total)
		}
	}
	if _, _, err := db.RecordBreakClick(ctx, rem, t0, bob, t0); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("click on a reminder: err = %v, want EINVALID", err)
	}
	if _, _, err := db.RecordBreakClick(ctx, 999, t0, bob, t0); stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
		t.Fatalf("click on nothing: err = %v, want ENOTFOUND", err)
	}
	db.mustReopen()
	stats := must[map[uint64]stretchbot.BreakCount](t)(db.BreakStats(ctx, guild))
	want := map[uint64]stretchbot.BreakCount{br: {Occurrences: 2, Clicks: 3}, other: {}}
	if !reflect.DeepEqual(stats, want) {
		t.Fatalf("BreakStats = %+v, want %+v", stats, want)
	}
	// Counted clicks are completions.
	cs := must[[]stretchbot.Completion](t)(db.Completions(ctx, bob, time.Time{}, time.Time{}))
	if len(cs) != 2 || cs[0].Source != stretchbot.SourceBreak {
		t.Fatalf("bob's completions = %+v", cs)
	}
}

func TestExportRoundTrip(t *testing.T) {
	db := mustOpen(t)
	seedUser(t, db, alice)
	seedUser(t, db, bob)
	ex := must[store.Export](t)(db.Export(ctx, alice))
	if ex.Schema != store.ExportSchema || ex.UserID != alice || ex.Settings == nil || ex.Settings.TimeZone != "Europe/Berlin" ||
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
	if !bytes.Contains(raw, []byte(`"schema": 1`)) || bytes.Contains(raw, []byte(bob)) {
		t.Fatalf("export JSON:\n%s", raw)
	}
	// Someone never seen exports as empty lists, not nulls.
	raw, _ = json.Marshal(must[store.Export](t)(db.Export(ctx, "333")))
	if want := `{"schema":1,"user_id":"333","settings":null,"schedules":[],"completions":[],"check_ins":[],"break_clicks":[]}`; string(raw) != want {
		t.Fatalf("empty export = %s, want %s", raw, want)
	}
}

// seedUser stores one of every record kind about user: settings, a
// reminder, a snooze, a break they set, completions, a check-in, fired
// markers, and clicks on a break of their own and on one of someone else.
func seedUser(t *testing.T, db *testDB, user string) {
	t.Helper()
	must[stretchbot.User](t)(db.UpdateUser(ctx, user, func(u *stretchbot.User) error {
		u.TimeZone, u.DMChannelID, u.Recent = "Europe/Berlin", "dm-"+user, []string{"cat-cow"}
		u.Profile = &stretchbot.Profile{Age: stretchbot.Age16To49}
		return nil
	}))
	r := mustCreate(t, db, reminder(user))
	mustCreate(t, db, &stretchbot.Schedule{Owner: user, Kind: stretchbot.KindSnooze, At: t0.Add(time.Hour), TimeZone: "UTC", ChannelID: "dm-" + user})
	br := mustCreate(t, db, breakFor(user))
	shared := mustCreate(t, db, breakFor("444444444444444444"))
	must[[]bool](t)(db.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: r, At: t0}, {ScheduleID: br, At: t0}}))
	if err := db.AddCompletion(ctx, stretchbot.Completion{UserID: user, At: t0, StretchID: "cat-cow", Source: stretchbot.SourceButton}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddCheckIn(ctx, stretchbot.CheckInRecord{UserID: user, At: t0, Pain: 4, RuleVersion: "1"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint64{br, shared} {
		if _, _, err := db.RecordBreakClick(ctx, id, t0, user, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestForget(t *testing.T) {
	db := mustOpen(t)
	seedUser(t, db, alice)
	seedUser(t, db, bob)
	bobBefore := must[store.Export](t)(db.Export(ctx, bob))
	aliceBefore := must[store.Export](t)(db.Export(ctx, alice))

	deleted := must[[]uint64](t)(db.Forget(ctx, alice))
	if len(deleted) != 2 { // the reminder and the snooze; the break stays
		t.Fatalf("Forget deleted schedules %v, want 2", deleted)
	}
	for _, id := range deleted {
		if _, err := db.Schedule(ctx, id); stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
			t.Errorf("schedule %d after Forget: err = %v", id, err)
		}
	}
	db.mustReopen()

	// No trace of alice in any key or value of any bucket.
	db.Close()
	db.DB = nil
	assertNoTrace(t, db.path, alice)
	db.open()

	// Bob is intact, except that alice's clicks no longer count.
	if got := must[store.Export](t)(db.Export(ctx, bob)); !reflect.DeepEqual(got, bobBefore) {
		t.Fatalf("bob changed:\n%+v\n%+v", got, bobBefore)
	}
	if u := must[stretchbot.User](t)(db.User(ctx, alice)); !reflect.DeepEqual(u, stretchbot.User{ID: alice}) {
		t.Fatalf("alice's settings after Forget = %+v", u)
	}
	// Her server break keeps working without an owner and can be edited.
	var brID uint64
	for _, s := range aliceBefore.Schedules {
		if s.Kind == "break" {
			brID = s.ID
		}
	}
	br := must[stretchbot.Schedule](t)(db.UpdateSchedule(ctx, brID, func(s *stretchbot.Schedule) error { s.Paused = true; return nil }))
	if br.Owner != "" || br.Kind != stretchbot.KindBreak {
		t.Fatalf("alice's break after Forget = %+v", br)
	}
	stats := must[map[uint64]stretchbot.BreakCount](t)(db.BreakStats(ctx, guild))
	for id, st := range stats {
		if st.Clicks > 1 {
			t.Errorf("break %d still counts %d clicks", id, st.Clicks)
		}
	}
	if ex := must[store.Export](t)(db.Export(ctx, alice)); ex.Settings != nil || len(ex.Schedules)+len(ex.Completions)+len(ex.CheckIns)+len(ex.BreakClicks) != 0 {
		t.Fatalf("export after Forget = %+v", ex)
	}
}

// assertNoTrace walks every bucket, nested ones too, and fails if a key or
// value contains id.
func assertNoTrace(t *testing.T, path, id string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	needle := []byte(id)
	var walk func(where string, bk *bolt.Bucket) error
	walk = func(where string, bk *bolt.Bucket) error {
		return bk.ForEach(func(k, v []byte) error {
			if bytes.Contains(k, needle) || bytes.Contains(v, needle) {
				t.Errorf("%s: key %q value %q holds %s", where, k, v, id)
			}
			if v == nil {
				if nb := bk.Bucket(k); nb != nil {
					return walk(where+"/"+string(k), nb)
				}
			}
			return nil
		})
	}
	err = b.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			if bytes.Contains(name, needle) {
				t.Errorf("bucket name %q holds %s", name, id)
			}
			return walk(string(name), bk)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentWriters(t *testing.T) {
	db := mustOpen(t)
	const workers, each = 16, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			user := fmt.Sprint("user-", w%4)
			for i := range each {
				if err := db.AddCompletion(ctx, stretchbot.Completion{UserID: user, At: t0.Add(time.Duration(i) * time.Second), Source: stretchbot.SourceButton}); err != nil {
					t.Error(err)
				}
				if _, err := db.UpdateUser(ctx, user, func(u *stretchbot.User) error { u.Remember(fmt.Sprint(w, "-", i)); return nil }); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	db.mustReopen()
	total := 0
	for u := range 4 {
		cs := must[[]stretchbot.Completion](t)(db.Completions(ctx, fmt.Sprint("user-", u), time.Time{}, time.Time{}))
		total += len(cs)
		if got := must[stretchbot.User](t)(db.User(ctx, fmt.Sprint("user-", u))); len(got.Recent) != stretchbot.MaxRecent {
			t.Errorf("user-%d remembers %d stretches, want %d", u, len(got.Recent), stretchbot.MaxRecent)
		}
	}
	if total != workers*each {
		t.Fatalf("stored %d completions, want %d", total, workers*each)
	}
}

func TestBackup(t *testing.T) {
	db := mustOpen(t)
	seedUser(t, db, alice)
	var buf bytes.Buffer
	n := must[int64](t)(db.Backup(ctx, &buf))
	if n != int64(buf.Len()) {
		t.Fatalf("Backup returned %d, wrote %d", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := store.Check(path); err != nil {
		t.Fatalf("Check of backup: %v", err)
	}
	cp, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if got, want := must[store.Export](t)(cp.Export(ctx, alice)), must[store.Export](t)(db.Export(ctx, alice)); !reflect.DeepEqual(got, want) {
		t.Fatal("backup differs from the original")
	}
}

func TestDamagedValues(t *testing.T) {
	db := mustOpen(t)
	id := mustCreate(t, db, reminder(alice))
	db.Close()
	db.DB = nil
	editBolt(t, db.path, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("schedules")).Put(binaryID(id), []byte{1, 0xff})
	})
	if err := store.Check(db.path); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("Check: err = %v, want ErrCorrupt", err)
	}
	db.open()
	if _, err := db.Schedule(ctx, id); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("Schedule: err = %v, want ErrCorrupt", err)
	}
	if err := db.ForEachSchedule(ctx, func(stretchbot.Schedule, time.Time) error { return nil }); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("ForEachSchedule: err = %v, want ErrCorrupt", err)
	}
}

func binaryID(id uint64) []byte {
	return []byte{byte(id >> 56), byte(id >> 48), byte(id >> 40), byte(id >> 32), byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
}

func TestCancelledContext(t *testing.T) {
	db := mustOpen(t)
	c, cancel := contextWithCancel()
	cancel()
	if _, err := db.User(c, alice); !errors.Is(err, errCanceled) {
		t.Fatalf("User with cancelled ctx: err = %v", err)
	}
	if err := db.AddCompletion(c, stretchbot.Completion{UserID: alice, At: t0}); !errors.Is(err, errCanceled) {
		t.Fatalf("AddCompletion with cancelled ctx: err = %v", err)
	}
}

// TestCheckInRecordsOfBothRuleVersions: records written under rule version 1
// and 2 read back side by side, each with its version, and a check-in that
// ended before the age and pain questions keeps them as "not asked".
func TestCheckInRecordsOfBothRuleVersions(t *testing.T) {
	db := mustOpen(t)
	recs := []stretchbot.CheckInRecord{
		{UserID: alice, At: t0, Age: stretchbot.Age50To64, Pain: 4, Tier: stretchbot.TierSeeDoctorToday, RuleVersion: "1"},
		{UserID: alice, At: t0.Add(time.Hour), Age: stretchbot.AgeNotAsked, Pain: stretchbot.PainNotAsked, Tier: stretchbot.TierEmergency, RuleVersion: "2"},
	}
	for _, r := range recs {
		if err := db.AddCheckIn(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	db.mustReopen()
	got := must[[]stretchbot.CheckInRecord](t)(db.CheckIns(ctx, alice))
	for i := range recs {
		if i >= len(got) || !got[i].At.Equal(recs[i].At) {
			t.Fatalf("CheckIns = %+v", got)
		}
		got[i].At = recs[i].At
		if got[i] != recs[i] {
			t.Errorf("record %d = %+v, want %+v", i, got[i], recs[i])
		}
	}
	ex := must[store.Export](t)(db.Export(ctx, alice))
	if len(ex.CheckIns) != 2 || ex.CheckIns[1].AgeBand != -1 || ex.CheckIns[1].Pain != -1 || ex.CheckIns[1].RuleVersion != "2" || ex.CheckIns[0].RuleVersion != "1" {
		t.Errorf("export = %+v", ex.CheckIns)
	}
}
