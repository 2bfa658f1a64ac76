package scheduler

// idIndex finds armed entries by schedule ID. Schedule IDs come from the
// store's sequence, so they are dense: most live in pages of 256 slots,
// found by arithmetic, 8 bytes an entry and no hashing, where a map would
// take 20 to 35 and a cache miss or two per lookup with a million. IDs too
// sparse to fill pages (a page is made only while the pages stay at least
// a quarter full on average) go to a plain map, so memory stays bounded
// whatever the IDs.
type idIndex struct {
	pages  map[uint64]*idPage
	sparse map[uint64]*entry
	n      int // entries in pages and sparse
}

const idPageBits = 8

type idPage struct {
	slots [1 << idPageBits]*entry
	used  int
}

func newIDIndex() idIndex {
	return idIndex{pages: map[uint64]*idPage{}, sparse: map[uint64]*entry{}}
}

func (x *idIndex) get(id uint64) (*entry, bool) {
	if p := x.pages[id>>idPageBits]; p != nil {
		if e := p.slots[id&(1<<idPageBits-1)]; e != nil {
			return e, true
		}
	}
	e, ok := x.sparse[id]
	return e, ok
}

func (x *idIndex) set(id uint64, e *entry) {
	p := x.pages[id>>idPageBits]
	if p == nil {
		if _, ok := x.sparse[id]; ok {
			x.sparse[id] = e
			return
		}
		if (len(x.pages)+1)<<idPageBits > 4*(x.n+1<<idPageBits) {
			x.sparse[id] = e
			x.n++
			return
		}
		p = &idPage{}
		x.pages[id>>idPageBits] = p
	}
	slot := &p.slots[id&(1<<idPageBits-1)]
	if *slot == nil {
		if _, ok := x.sparse[id]; ok {
			// Was sparse before its page was made.
			delete(x.sparse, id)
			x.n--
		}
		p.used++
		x.n++
	}
	*slot = e
}

func (x *idIndex) delete(id uint64) {
	if p := x.pages[id>>idPageBits]; p != nil {
		slot := &p.slots[id&(1<<idPageBits-1)]
		if *slot != nil {
			*slot = nil
			x.n--
			if p.used--; p.used == 0 {
				delete(x.pages, id>>idPageBits)
			}
			return
		}
	}
	if _, ok := x.sparse[id]; ok {
		delete(x.sparse, id)
		x.n--
	}
}

func (x *idIndex) len() int { return x.n }
