package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/postgres/pgtest"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// TestMigrateBboltToPostgres moves a bbolt database with every kind of
// record into PostgreSQL and compares the two: each user's export, every
// schedule with its last fired time, break statistics and the counts
// printed.
func TestMigrateBboltToPostgres(t *testing.T) {
	url := pgtest.Schema(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	src, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	users := []string{storetest.Alice, storetest.Bob, "333333333333333333"}
	for _, u := range users {
		storetest.SeedUser(t, src, u)
	}
	// A deleted schedule leaves a gap in the IDs, which must survive.
	gap := storetest.Reminder("555555555555555555")
	if err := src.CreateSchedule(ctx, gap); err != nil {
		t.Fatal(err)
	}
	if err := src.DeleteSchedule(ctx, gap.ID); err != nil {
		t.Fatal(err)
	}
	// A send in flight when the bot stopped: the next leader resends it.
	inFlight := storetest.Reminder("777777777777777777")
	if err := src.CreateSchedule(ctx, inFlight); err != nil {
		t.Fatal(err)
	}
	if _, err := src.MarkFired(ctx, []stretchbot.Fired{{ScheduleID: inFlight.ID, At: storetest.T0, Sent: storetest.T0.Add(time.Second)}}); err != nil {
		t.Fatal(err)
	}
	// The highest ID given was deleted: it is not given again.
	gone := storetest.Reminder("888888888888888888")
	if err := src.CreateSchedule(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if err := src.DeleteSchedule(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}

	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Now: time.Now}
	if code := m.Run(ctx, []string{"migrate", "--from", path, "--to", url}); code != exitOK {
		t.Fatalf("migrate exited %d: %s", code, errOut.String())
	}
	// Three users with settings; each seeds a reminder, a snooze, a break
	// and a break of someone else (4 schedules, 2 with a fired occurrence),
	// a completion, a check-in and two clicks (each also a completion).
	want := "3 users, 13 schedules (7 with a fired occurrence, 1 unsettled send), 9 completions, 3 check-ins, 6 break clicks"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("migrate printed %q, want the counts %q", out.String(), want)
	}

	src, err = store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	for _, u := range users {
		a, err := src.Export(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		b, err := dst.Export(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("user %s differs after migrate:\nbbolt    %+v\npostgres %+v", u, a, b)
		}
	}
	scan := func(db store.Backend) string {
		var b strings.Builder
		if err := db.ForEachSchedule(ctx, func(s stretchbot.Schedule, lf time.Time) error {
			fmt.Fprintf(&b, "%+v last=%v\n", s, lf.UTC())
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if a, b := scan(src), scan(dst); a != b {
		t.Errorf("schedules differ after migrate:\nbbolt\n%s\npostgres\n%s", a, b)
	}
	ua, _ := src.Undelivered(ctx)
	ub, _ := dst.Undelivered(ctx)
	if len(ua) != 1 || !reflect.DeepEqual(ua, ub) {
		t.Errorf("unsettled sends: bbolt %v, postgres %v", ua, ub)
	}
	sa, _ := src.BreakStats(ctx, storetest.Guild)
	sb, _ := dst.BreakStats(ctx, storetest.Guild)
	if !reflect.DeepEqual(sa, sb) {
		t.Errorf("break stats differ: %v, %v", sa, sb)
	}
	// New schedules are numbered after the highest migrated ID, the
	// deleted one included.
	s := storetest.Reminder("666666666666666666")
	if err := dst.CreateSchedule(ctx, s); err != nil {
		t.Fatal(err)
	}
	if s.ID != gone.ID+1 {
		t.Errorf("first new ID after migrate = %d, want %d", s.ID, gone.ID+1)
	}

	// A second migrate into the now used database is refused.
	out.Reset()
	errOut.Reset()
	if code := m.Run(ctx, []string{"migrate", "--from", path, "--to", url}); code != exitError || !strings.Contains(errOut.String(), "already holds records") {
		t.Fatalf("migrate into a used database: exit %d, %q", code, errOut.String())
	}
}
