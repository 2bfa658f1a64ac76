package scheduler

import (
	"math/rand/v2"
	"testing"
)

// TestIDIndex checks the index against a map, with dense IDs (pages),
// sparse ones (the map) and a mix, through sets, replacements and
// deletions, and that sparse IDs never make pages that stay mostly empty.
func TestIDIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := newIDIndex()
	want := map[uint64]*entry{}
	ids := func() uint64 {
		switch r.IntN(3) {
		case 0:
			return uint64(r.IntN(5000)) // dense
		case 1:
			return r.Uint64() // sparse
		}
		return 1<<40 + uint64(r.IntN(300)) // a dense patch far away
	}
	for i := range 50_000 {
		id := ids()
		if r.IntN(4) == 0 {
			x.delete(id)
			delete(want, id)
		} else {
			e := &entry{id: id, gen: uint32(i)}
			x.set(id, e)
			want[id] = e
		}
		if i%997 == 0 || i == 49_999 {
			if x.len() != len(want) {
				t.Fatalf("after %d operations: len %d, want %d", i, x.len(), len(want))
			}
			for id, e := range want {
				if got, ok := x.get(id); !ok || got != e {
					t.Fatalf("after %d operations: get(%d) = %v, %v", i, id, got, ok)
				}
			}
			if slots := len(x.pages) << idPageBits; slots > 4*(x.len()+1<<idPageBits) {
				t.Fatalf("%d page slots for %d entries", slots, x.len())
			}
		}
	}
	if _, ok := x.get(1 << 50); ok {
		t.Error("found an ID never set")
	}
}
