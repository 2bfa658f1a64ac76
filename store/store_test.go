package store_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

func TestUserRoundTrip(t *testing.T) {
	db := mustOpen(t)
	u := must[stretchbot.User](t)(db.User(ctx, alice))
	if !reflect.DeepEqual(u, stretchbot.User{ID: alice}) {
		t.Fatalf("new user = %+v, want defaults", u)
	}
	want := stretchbot.User{
		ID: alice, TimeZone: "Europe/Berlin", Paused: stretchbot.PauseCheckIn,
		PausedUntil: t0.Add(time.Hour), Profile: &stretchbot.Profile{Age: stretchbot.Age50To64, BoneRisk: true},
		LastInflammatoryAsk: t0, DMChannelID: "7000", Notice: "hello", Recent: []string{"cat-cow", "child-pose"},
	}
	got := must[stretchbot.User](t)(db.UpdateUser(ctx, alice, func(u *stretchbot.User) error {
		id := u.ID
		*u = want
		u.ID = "someone else" // ignored: the ID is the key
		_ = id
		return nil
	}))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateUser = %+v, want %+v", got, want)
	}
	db.mustReopen()
	got = must[stretchbot.User](t)(db.User(ctx, alice))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after reopen = %+v, want %+v", got, want)
	}

	// fn's error aborts the update and comes back unchanged.
	boom := errors.New("boom")
	_, err := db.UpdateUser(ctx, alice, func(u *stretchbot.User) error { u.TimeZone = "UTC"; return boom })
	if err != boom {
		t.Fatalf("UpdateUser err = %v, want boom unchanged", err)
	}
	if got := must[stretchbot.User](t)(db.User(ctx, alice)); got.TimeZone != "Europe/Berlin" {
		t.Fatalf("aborted update was stored: %q", got.TimeZone)
	}
}

func TestScheduleCRUD(t *testing.T) {
	db := mustOpen(t)
	r := reminder(alice)
	r.At = time.Time{}
	id1 := mustCreate(t, db, r)
	id2 := mustCreate(t, db, breakFor(bob))
	snooze := &stretchbot.Schedule{Owner: alice, Kind: stretchbot.KindSnooze, At: t0.Add(10 * time.Minute), TimeZone: "UTC", Created: t0}
	id3 := mustCreate(t, db, snooze)
	if id1 == 0 || id2 <= id1 || id3 <= id2 {
		t.Fatalf("ids %d %d %d: want increasing from 1", id1, id2, id3)
	}
	db.mustReopen()

	got := must[stretchbot.Schedule](t)(db.Schedule(ctx, id1))
	if !reflect.DeepEqual(got, *r) {
		t.Fatalf("Schedule = %+v, want %+v", got, *r)
	}
	own := must[[]stretchbot.Schedule](t)(db.SchedulesByOwner(ctx, alice))
	if len(own) != 2 || own[0].ID != id1 || own[1].ID != id3 || !own[1].At.Equal(snooze.At) {
		t.Fatalf("SchedulesByOwner = %+v", own)
	}
	gs := must[[]stretchbot.Schedule](t)(db.SchedulesByGuild(ctx, guild))
	if len(gs) != 1 || gs[0].ID != id2 {
		t.Fatalf("SchedulesByGuild = %+v", gs)
	}

	// Moving a schedule to another owner moves the index entry.
	up := must[stretchbot.Schedule](t)(db.UpdateSchedule(ctx, id1, func(s *stretchbot.Schedule) error {
		s.Paused, s.Owner, s.ID = true, bob, 999
		return nil
	}))
	if up.ID != id1 || !up.Paused || up.Owner != bob {
		t.Fatalf("UpdateSchedule = %+v", up)
	}
	if own := must[[]stretchbot.Schedule](t)(db.SchedulesByOwner(ctx, alice)); len(own) != 1 || own[0].ID != id3 {
		t.Fatalf("alice after move = %+v", own)
	}
	if own := must[[]stretchbot.Schedule](t)(db.SchedulesByOwner(ctx, bob)); len(own) != 2 {
		t.Fatalf("bob after move = %+v", own)
	}
	_, err := db.UpdateSchedule(ctx, id1, func(s *stretchbot.Schedule) error { s.TimeZone = "Mars/Olympus"; return nil })
	if stretchbot.ErrorCode(err) != stretchbot.EINVALID {
		t.Fatalf("invalid update err = %v, want EINVALID", err)
	}

	if err := db.DeleteSchedule(ctx, id1); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"Schedule":       func() error { _, err := db.Schedule(ctx, id1); return err }(),
		"DeleteSchedule": db.DeleteSchedule(ctx, id1),
		"UpdateSchedule": func() error {
			_, err := db.UpdateSchedule(ctx, id1, func(*stretchbot.Schedule) error { return nil })
			return err
		}(),
	} {
		if stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
			t.Errorf("%s of deleted: err = %v, want ENOTFOUND", name, err)
		}
	}
	if own := must[[]stretchbot.Schedule](t)(db.SchedulesByOwner(ctx, bob)); len(own) != 1 || own[0].ID != id2 {
		t.Fatalf("bob after delete = %+v", own)
	}
}

func TestCreateScheduleValidation(t *testing.T) {
	tests := []struct {
		name string
		s    stretchbot.Schedule
	}{
		{"no owner", stretchbot.Schedule{Spec: "0 7 * * *", TimeZone: "UTC"}},
		{"no zone", stretchbot.Schedule{Owner: alice, Spec: "0 7 * * *"}},
		{"no spec", stretchbot.Schedule{Owner: alice, TimeZone: "UTC"}},
		{"break without channel", stretchbot.Schedule{Owner: alice, Kind: stretchbot.KindBreak, Spec: "0 7 * * *", TimeZone: "UTC"}},
		{"owner too long", stretchbot.Schedule{Owner: string(make([]byte, 300)), Spec: "0 7 * * *", TimeZone: "UTC"}},
	}
	db := mustOpen(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			if err := db.CreateSchedule(ctx, &s); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
		})
	}
}

func TestCreateScheduleLimit(t *testing.T) {
	db := mustOpen(t)
	for i := 0; i < stretchbot.MaxSchedulesPerUser; i++ {
		mustCreate(t, db, reminder(alice))
	}
	// Other kinds do not count against the limit.
	mustCreate(t, db, breakFor(alice))
	mustCreate(t, db, &stretchbot.Schedule{Owner: alice, Kind: stretchbot.KindSnooze, At: t0, TimeZone: "UTC"})

	err := db.CreateSchedule(ctx, reminder(alice))
	if stretchbot.ErrorCode(err) != stretchbot.ELIMIT {
		t.Fatalf("11th reminder: err = %v, want ELIMIT", err)
	}
	if msg := stretchbot.ErrorMessage(err); msg != "You already have 10 reminders. Remove one with /stretch remind remove first." {
		t.Fatalf("message = %q", msg)
	}
	// Someone else is not affected, and turning a break into a reminder
	// is held to the same limit.
	mustCreate(t, db, reminder(bob))
	b := breakFor(alice)
	mustCreate(t, db, b)
	_, err = db.UpdateSchedule(ctx, b.ID, func(s *stretchbot.Schedule) error { s.Kind = stretchbot.KindReminder; return nil })
	if stretchbot.ErrorCode(err) != stretchbot.ELIMIT {
		t.Fatalf("break → reminder: err = %v, want ELIMIT", err)
	}
}
