package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// fillUser gives user settings, schedules, check-ins, clicks and enough
// completions to span many pages.
func fillUser(t *testing.T, db *store.DB, user string, completions int) {
	t.Helper()
	storetest.SeedUser(t, db, user)
	at := time.Date(2025, 1, 1, 7, 0, 0, 0, time.UTC)
	for i := range completions {
		c := stretchbot.Completion{UserID: user, At: at.Add(time.Duration(i) * time.Hour), StretchID: "knee-hug", Source: stretchbot.SourceManual}
		if err := db.AddCompletion(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

func occurrences(t *testing.T, path, user string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte(user))
}

// TestForgetLeavesNothingInTheFile scans the raw bytes of the database
// file, and of a backup taken afterwards, for the forgotten user's id:
// deleted pages must not keep it.
func TestForgetLeavesNothingInTheFile(t *testing.T) {
	db := mustOpen(t)
	const gone, stays = "611111111111111111", "622222222222222222"
	fillUser(t, db.DB, gone, 400)
	fillUser(t, db.DB, stays, 50)
	if n := occurrences(t, db.path, gone); n == 0 {
		t.Fatal("the id is not in the file before Forget: the test would show nothing")
	}
	before, err := db.Export(context.Background(), stays)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Forget(context.Background(), gone); err != nil {
		t.Fatal(err)
	}
	if n := occurrences(t, db.path, gone); n != 0 {
		t.Errorf("after Forget the file still holds the id %d times", n)
	}
	var backup bytes.Buffer
	if _, err := db.Backup(context.Background(), &backup); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(backup.Bytes(), []byte(gone)); n != 0 {
		t.Errorf("a backup after Forget holds the id %d times", n)
	}
	// Nothing else was harmed.
	if after, err := db.Export(context.Background(), stays); err != nil || len(after.Completions) != len(before.Completions) || len(after.Schedules) != len(before.Schedules) {
		t.Fatalf("the other user changed: %d completions, %d schedules (%v); want %d, %d", len(after.Completions), len(after.Schedules), err, len(before.Completions), len(before.Schedules))
	}
	db.Close()
	db.DB = nil
	if err := store.Check(db.path); err != nil {
		t.Fatalf("the file after the scrub: %v", err)
	}
}

// TestScrubWhileOthersReadAndWrite: scrubbing free pages while other
// transactions run leaves every one of them, and the file, sound. The
// scrub looks at 7 pages per write transaction here, so the others' writes
// come between its parts.
func TestScrubWhileOthersReadAndWrite(t *testing.T) {
	defer store.SetScrubChunk(7)()
	db := mustOpen(t)
	ctx := context.Background()
	users := make([]string, 6)
	for i := range users {
		users[i] = fmt.Sprintf("63333333333333333%d", i)
		fillUser(t, db.DB, users[i], 30)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 100)
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				u := users[w]
				if _, err := db.Completions(ctx, u, time.Time{}, time.Time{}); err != nil {
					errs <- err
					return
				}
				if err := db.AddCompletion(ctx, stretchbot.Completion{UserID: u, At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Source: stretchbot.SourceManual}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for _, u := range users[4:] {
		if _, err := db.Forget(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ScrubFreePages(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	path := db.path
	db.Close()
	db.DB = nil
	if err := store.Check(path); err != nil {
		t.Fatalf("the file after scrubbing under load: %v", err)
	}
	for _, u := range users[4:] {
		if n := occurrences(t, path, u); n != 0 {
			t.Errorf("%s is still in the file %d times", u, n)
		}
	}
}
