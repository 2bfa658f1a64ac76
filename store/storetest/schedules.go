package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

func testUserRoundTrip(t *testing.T, h Harness) {
	d := open(t, h)
	u := must[stretchbot.User](t)(d.User(ctx, Alice))
	if !reflect.DeepEqual(u, stretchbot.User{ID: Alice}) {
		t.Fatalf("new user = %+v, want defaults", u)
	}
	want := stretchbot.User{
		ID: Alice, TimeZone: "Europe/Berlin", Paused: stretchbot.PauseCheckIn,
		PausedUntil: T0.Add(time.Hour), Profile: &stretchbot.Profile{Age: stretchbot.Age50To64, BoneRisk: true},
		LastInflammatoryAsk: T0, DMChannelID: "7000", Notice: "hello", Recent: []string{"cat-cow", "child-pose"},
	}
	got := must[stretchbot.User](t)(d.UpdateUser(ctx, Alice, func(u *stretchbot.User) error {
		*u = want
		u.ID = "someone else" // ignored: the ID is the key
		return nil
	}))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateUser = %+v, want %+v", got, want)
	}
	d.reopen()
	got = must[stretchbot.User](t)(d.User(ctx, Alice))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after reopen = %+v, want %+v", got, want)
	}

	// fn's error aborts the update and comes back unchanged.
	boom := errors.New("boom")
	_, err := d.UpdateUser(ctx, Alice, func(u *stretchbot.User) error { u.TimeZone = "UTC"; return boom })
	if err != boom {
		t.Fatalf("UpdateUser err = %v, want boom unchanged", err)
	}
	if got := must[stretchbot.User](t)(d.User(ctx, Alice)); got.TimeZone != "Europe/Berlin" {
		t.Fatalf("aborted update was stored: %q", got.TimeZone)
	}
	// An aborted first update stores nothing: the user is still new.
	if _, err := d.UpdateUser(ctx, Bob, func(*stretchbot.User) error { return boom }); err != boom {
		t.Fatalf("UpdateUser of a new user err = %v, want boom", err)
	}
	if ex := must[store.Export](t)(d.Export(ctx, Bob)); ex.Settings != nil {
		t.Fatalf("aborted first update left settings: %+v", ex.Settings)
	}
	for _, bad := range []string{"", string(make([]byte, 300))} {
		if _, err := d.User(ctx, bad); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
			t.Errorf("User(%d bytes) err = %v, want EINVALID", len(bad), err)
		}
	}
}

// testEveryFieldRoundTrips fills every field of a User and a Schedule,
// including fields added after this test was written, and reads them back
// after a reopen: a backend that forgets to store a new field fails here.
func testEveryFieldRoundTrips(t *testing.T, h Harness) {
	d := open(t, h)
	var u stretchbot.User
	fill(reflect.ValueOf(&u).Elem(), new(int))
	u.ID = Alice
	// Dates are real dates.
	u.Away = []stretchbot.Away{{From: stretchbot.Day{Year: 2025, Month: 3, Day: 1}, Until: stretchbot.Day{Year: 2025, Month: 3, Day: 4}}}
	u.Progress.Last = stretchbot.Day{Year: 2025, Month: 3, Day: 10}
	want := must[stretchbot.User](t)(d.UpdateUser(ctx, Alice, func(x *stretchbot.User) error { *x = u; return nil }))

	var s stretchbot.Schedule
	fill(reflect.ValueOf(&s).Elem(), new(int))
	s.ID, s.Owner, s.Kind, s.Spec, s.TimeZone, s.Paused = 0, Alice, stretchbot.KindReminder, "30 7 * * 1-5", "Europe/Berlin", false
	if err := d.CreateSchedule(ctx, &s); err != nil {
		t.Fatalf("create a schedule with every field set: %v (if a new field must hold particular values, set it here after fill)", err)
	}
	d.reopen()
	if got := must[stretchbot.User](t)(d.User(ctx, Alice)); !reflect.DeepEqual(got, want) {
		t.Errorf("user after reopen:\n got %+v\nwant %+v", got, want)
	}
	got := must[stretchbot.Schedule](t)(d.Schedule(ctx, s.ID))
	if !reflect.DeepEqual(got, s) {
		t.Errorf("schedule after reopen:\n got %+v\nwant %+v", got, s)
	}
	var scanned stretchbot.Schedule
	if err := d.ForEachSchedule(ctx, func(x stretchbot.Schedule, _ time.Time) error { scanned = x; return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(scanned, s) {
		t.Errorf("schedule from ForEachSchedule:\n got %+v\nwant %+v", scanned, s)
	}
}

// fill sets every settable field of v to a distinct non-zero value. Times
// are whole seconds after T0 in UTC, as the stores return them.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprint("f", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n % 3))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) / 4)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(T0.Add(time.Duration(*n) * time.Second)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	}
}

func testScheduleCRUD(t *testing.T, h Harness) {
	d := open(t, h)
	r := Reminder(Alice)
	id1 := mustCreate(t, d, r)
	id2 := mustCreate(t, d, Break(Bob))
	snooze := &stretchbot.Schedule{Owner: Alice, Kind: stretchbot.KindSnooze, At: T0.Add(10 * time.Minute), TimeZone: "UTC", Created: T0}
	id3 := mustCreate(t, d, snooze)
	if id1 == 0 || id2 <= id1 || id3 <= id2 {
		t.Fatalf("ids %d %d %d: want increasing from 1", id1, id2, id3)
	}
	d.reopen()

	got := must[stretchbot.Schedule](t)(d.Schedule(ctx, id1))
	if !reflect.DeepEqual(got, *r) {
		t.Fatalf("Schedule = %+v, want %+v", got, *r)
	}
	own := must[[]stretchbot.Schedule](t)(d.SchedulesByOwner(ctx, Alice))
	if len(own) != 2 || own[0].ID != id1 || own[1].ID != id3 || !own[1].At.Equal(snooze.At) {
		t.Fatalf("SchedulesByOwner = %+v", own)
	}
	gs := must[[]stretchbot.Schedule](t)(d.SchedulesByGuild(ctx, Guild))
	if len(gs) != 1 || gs[0].ID != id2 {
		t.Fatalf("SchedulesByGuild = %+v", gs)
	}
	if none := must[[]stretchbot.Schedule](t)(d.SchedulesByOwner(ctx, "12")); len(none) != 0 {
		t.Fatalf("SchedulesByOwner of a prefix of nobody = %+v", none)
	}

	// Moving a schedule to another owner moves the index entry.
	up := must[stretchbot.Schedule](t)(d.UpdateSchedule(ctx, id1, func(s *stretchbot.Schedule) error {
		s.Paused, s.Owner, s.ID = true, Bob, 999
		return nil
	}))
	if up.ID != id1 || !up.Paused || up.Owner != Bob {
		t.Fatalf("UpdateSchedule = %+v", up)
	}
	if own := must[[]stretchbot.Schedule](t)(d.SchedulesByOwner(ctx, Alice)); len(own) != 1 || own[0].ID != id3 {
		t.Fatalf("alice after move = %+v", own)
	}
	if own := must[[]stretchbot.Schedule](t)(d.SchedulesByOwner(ctx, Bob)); len(own) != 2 {
		t.Fatalf("bob after move = %+v", own)
	}
	_, err := d.UpdateSchedule(ctx, id1, func(s *stretchbot.Schedule) error { s.TimeZone = "Mars/Olympus"; return nil })
	if stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("invalid update err = %v, want EINVALID", err)
	}
	boom := errors.New("boom")
	if _, err := d.UpdateSchedule(ctx, id1, func(s *stretchbot.Schedule) error { s.Paused = false; return boom }); err != boom {
		t.Fatalf("UpdateSchedule err = %v, want fn's error unchanged", err)
	}
	if s := must[stretchbot.Schedule](t)(d.Schedule(ctx, id1)); !s.Paused {
		t.Fatal("an aborted update was stored")
	}

	if err := d.DeleteSchedule(ctx, id1); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"Schedule":       func() error { _, err := d.Schedule(ctx, id1); return err }(),
		"DeleteSchedule": d.DeleteSchedule(ctx, id1),
		"UpdateSchedule": func() error {
			_, err := d.UpdateSchedule(ctx, id1, func(*stretchbot.Schedule) error { return nil })
			return err
		}(),
	} {
		if stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
			t.Errorf("%s of deleted: err = %v, want ENOTFOUND", name, err)
		}
	}
	if own := must[[]stretchbot.Schedule](t)(d.SchedulesByOwner(ctx, Bob)); len(own) != 1 || own[0].ID != id2 {
		t.Fatalf("bob after delete = %+v", own)
	}
	// IDs are never reused.
	if id4 := mustCreate(t, d, Reminder(Alice)); id4 <= id3 {
		t.Fatalf("new id %d after %d was deleted: want a fresh one above %d", id4, id1, id3)
	}
}

func testCreateScheduleValidation(t *testing.T, h Harness) {
	tests := []struct {
		name string
		s    stretchbot.Schedule
	}{
		{"no owner", stretchbot.Schedule{Spec: "0 7 * * *", TimeZone: "UTC"}},
		{"no zone", stretchbot.Schedule{Owner: Alice, Spec: "0 7 * * *"}},
		{"no spec", stretchbot.Schedule{Owner: Alice, TimeZone: "UTC"}},
		{"break without channel", stretchbot.Schedule{Owner: Alice, Kind: stretchbot.KindBreak, Spec: "0 7 * * *", TimeZone: "UTC"}},
		{"owner too long", stretchbot.Schedule{Owner: string(make([]byte, 300)), Spec: "0 7 * * *", TimeZone: "UTC"}},
	}
	d := open(t, h)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			if err := d.CreateSchedule(ctx, &s); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
		})
	}
	var n int
	if err := d.ForEachSchedule(ctx, func(stretchbot.Schedule, time.Time) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("after refused creates: %d schedules, err %v", n, err)
	}
}

func testCreateScheduleLimit(t *testing.T, h Harness) {
	d := open(t, h)
	for range stretchbot.MaxSchedulesPerUser {
		mustCreate(t, d, Reminder(Alice))
	}
	// Other kinds do not count against the limit.
	mustCreate(t, d, Break(Alice))
	mustCreate(t, d, &stretchbot.Schedule{Owner: Alice, Kind: stretchbot.KindSnooze, At: T0, TimeZone: "UTC"})

	err := d.CreateSchedule(ctx, Reminder(Alice))
	if stretchbot.ErrorCode(err) != stretchbot.ELIMIT {
		t.Fatalf("11th reminder: err = %v, want ELIMIT", err)
	}
	if msg := stretchbot.ErrorMessage(err); msg != "You already have 10 reminders. Remove one with /stretch remind remove first." {
		t.Fatalf("message = %q", msg)
	}
	// Someone else is not affected, and turning a break into a reminder
	// is held to the same limit.
	mustCreate(t, d, Reminder(Bob))
	b := Break(Alice)
	mustCreate(t, d, b)
	_, err = d.UpdateSchedule(ctx, b.ID, func(s *stretchbot.Schedule) error { s.Kind = stretchbot.KindReminder; return nil })
	if stretchbot.ErrorCode(err) != stretchbot.ELIMIT {
		t.Fatalf("break → reminder: err = %v, want ELIMIT", err)
	}
	// All or none: a batch that would pass the limit stores nothing.
	batch := []*stretchbot.Schedule{Reminder(Bob), Reminder(Alice)}
	if err := d.CreateSchedules(ctx, batch); stretchbot.ErrorCode(err) != stretchbot.ELIMIT {
		t.Fatalf("CreateSchedules over the limit: err = %v, want ELIMIT", err)
	}
	if own := must[[]stretchbot.Schedule](t)(d.SchedulesByOwner(ctx, Bob)); len(own) != 1 {
		t.Fatalf("bob has %d schedules after a refused batch, want 1", len(own))
	}
}

// testReminderLimitUnderConcurrency creates reminders from many goroutines
// at once: the limit is checked inside the write, so exactly the limit is
// stored, however the writes interleave (in one process or many).
func testReminderLimitUnderConcurrency(t *testing.T, h Harness) {
	d := open(t, h)
	const tries = 2 * stretchbot.MaxSchedulesPerUser
	var (
		wg              sync.WaitGroup
		mu              sync.Mutex
		created, limits int
	)
	for range tries {
		wg.Go(func() {
			err := d.CreateSchedule(ctx, Reminder(Alice))
			mu.Lock()
			defer mu.Unlock()
			switch stretchbot.ErrorCode(err) {
			case "":
				created++
			case stretchbot.ELIMIT:
				limits++
			default:
				t.Errorf("CreateSchedule: %v", err)
			}
		})
	}
	wg.Wait()
	own := must[[]stretchbot.Schedule](t)(d.SchedulesByOwner(ctx, Alice))
	if created != stretchbot.MaxSchedulesPerUser || limits != tries-created || len(own) != stretchbot.MaxSchedulesPerUser {
		t.Fatalf("%d created, %d refused, %d stored; want %d, %d, %d", created, limits, len(own), stretchbot.MaxSchedulesPerUser, tries-stretchbot.MaxSchedulesPerUser, stretchbot.MaxSchedulesPerUser)
	}
}

func testCreateSchedules(t *testing.T, h Harness) {
	d := open(t, h)
	var batch []*stretchbot.Schedule
	for i := range 50 {
		s := Reminder(fmt.Sprint(100000 + i))
		s.Spec = fmt.Sprintf("%d 7 * * *", i)
		batch = append(batch, s)
	}
	if err := d.CreateSchedules(ctx, batch); err != nil {
		t.Fatal(err)
	}
	d.reopen()
	seen := 0
	var last uint64
	err := d.ForEachSchedule(ctx, func(s stretchbot.Schedule, lf time.Time) error {
		if s.ID <= last {
			return fmt.Errorf("ForEachSchedule out of order: %d after %d", s.ID, last)
		}
		last = s.ID
		if want := batch[seen]; !reflect.DeepEqual(s, *want) || !lf.IsZero() {
			return fmt.Errorf("schedule %d = %+v (last fired %v), want %+v", seen, s, lf, *want)
		}
		seen++
		return nil
	})
	if err != nil || seen != len(batch) {
		t.Fatalf("scanned %d of %d: %v", seen, len(batch), err)
	}
	bad := []*stretchbot.Schedule{Reminder(Alice), {Owner: Alice}}
	if err := d.CreateSchedules(ctx, bad); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("batch with an invalid schedule: err = %v, want EINVALID", err)
	}
	if own := must[[]stretchbot.Schedule](t)(d.SchedulesByOwner(ctx, Alice)); len(own) != 0 {
		t.Fatalf("a refused batch stored %d schedules", len(own))
	}
}
