package bot

import (
	"strconv"
	"testing"
	"time"
)

// TestReplayWindowIsBoundByTimeNotCount: an id is refused again however
// many other interactions came in between, for as long as a signed request
// may be replayed; after that it is forgotten, so memory follows the rate.
func TestReplayWindowIsBoundByTimeNotCount(t *testing.T) {
	r := newRecentIDs()
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	if !r.add("first", t0) {
		t.Fatal("a new id was refused")
	}
	// 10,000 interactions in the next minute: more than any fixed ring of
	// a few thousand would hold.
	for i := range 10000 {
		if !r.add(strconv.Itoa(i), t0.Add(time.Duration(i)*6*time.Millisecond)) {
			t.Fatalf("new id %d refused", i)
		}
	}
	if r.add("first", t0.Add(2*maxSignatureAge-time.Second)) {
		t.Fatal("an id seen within the window was accepted again")
	}
	later := t0.Add(replayWindow + 2*time.Minute)
	if !r.add("next", later) {
		t.Fatal("a new id after the window was refused")
	}
	if n := r.len(); n != 1 {
		t.Fatalf("%d ids remembered after the window, want only the newest", n)
	}
}
