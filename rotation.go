package stretchbot

// Next returns the next stretch for a user whose recent stretches (oldest
// first) are recent, among those matching f. It knows nothing of the
// person's health: places that offer a stretch to a person use
// Catalog.Offer, which applies the safety limits of CHECKIN.md on top.
func (c *Catalog) Next(recent []string, f Filter) (Stretch, bool) {
	return c.next(recent, f.Matches)
}

// next picks the next stretch among those for which fits is true.
//
// Base stretches rotate; a variant is offered only when fits rules its base
// out (a strap variant for someone who asked for strap stretches, say). The
// stretch chosen is the one seen least recently, never-seen ones first, ties
// broken by catalogue order, so the rotation walks through every fitting
// stretch before any repeats, and is deterministic.
//
// When fewer than two stretches take part that way (spasm-safe only leaves
// the knee hug), every fitting variant joins the rotation on its own, so
// Skip moves on to a different stretch instead of showing the same again.
func (c *Catalog) next(recent []string, fits func(Stretch) bool) (Stretch, bool) {
	lastSeen := make(map[string]int, len(recent)) // a variant counts as its base
	ownSeen := make(map[string]int, len(recent))  // each stretch by itself
	for i, id := range recent {
		lastSeen[id] = i + 1
		ownSeen[id] = i + 1
		if s, ok := c.Get(id); ok && s.VariantOf != "" {
			lastSeen[s.VariantOf] = i + 1
		}
	}
	candidates := make([]Stretch, 0, len(c.Stretches))
	covered := map[string]bool{}
	for _, s := range c.Stretches {
		if s.VariantOf == "" && fits(s) {
			candidates = append(candidates, s)
			covered[s.ID] = true
		}
	}
	for _, s := range c.Stretches {
		if s.VariantOf != "" && !covered[s.VariantOf] && fits(s) {
			candidates = append(candidates, s)
			covered[s.VariantOf] = true
		}
	}
	seenOf := func(s Stretch) int {
		seen := lastSeen[s.ID]
		if s.VariantOf != "" {
			seen = max(seen, lastSeen[s.VariantOf])
		}
		return seen
	}
	if len(candidates) < 2 {
		candidates = candidates[:0]
		for _, s := range c.Stretches {
			if fits(s) {
				candidates = append(candidates, s)
			}
		}
		seenOf = func(s Stretch) int { return ownSeen[s.ID] }
	}
	var best Stretch
	bestSeen := -1
	for _, s := range candidates {
		if seen := seenOf(s); bestSeen == -1 || seen < bestSeen {
			best, bestSeen = s, seen
		}
	}
	return best, bestSeen != -1
}
