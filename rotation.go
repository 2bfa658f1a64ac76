package stretchbot

// Next returns the next stretch for a user whose recent stretches (oldest
// first) are recent, among those matching f.
//
// Base stretches rotate; a variant is offered only when the filter rules its
// base out (a strap variant for someone who asked for strap stretches, say).
// The stretch chosen is the one seen least recently, never-seen ones first,
// ties broken by catalogue order, so the rotation walks through every
// matching stretch before any repeats, and is deterministic.
func (c *Catalog) Next(recent []string, f Filter) (Stretch, bool) {
	lastSeen := make(map[string]int, len(recent))
	for i, id := range recent {
		lastSeen[id] = i + 1
		if s, ok := c.Get(id); ok && s.VariantOf != "" {
			// Doing a variant counts as doing its base.
			lastSeen[s.VariantOf] = i + 1
		}
	}
	candidates := make([]Stretch, 0, len(c.Stretches))
	covered := map[string]bool{}
	for _, s := range c.Stretches {
		if s.VariantOf == "" && f.Matches(s) {
			candidates = append(candidates, s)
			covered[s.ID] = true
		}
	}
	for _, s := range c.Stretches {
		if s.VariantOf != "" && !covered[s.VariantOf] && f.Matches(s) {
			candidates = append(candidates, s)
			covered[s.VariantOf] = true
		}
	}
	var best Stretch
	bestSeen := -1
	for _, s := range candidates {
		seen := lastSeen[s.ID]
		if s.VariantOf != "" {
			seen = max(seen, lastSeen[s.VariantOf])
		}
		if bestSeen == -1 || seen < bestSeen {
			best, bestSeen = s, seen
		}
	}
	return best, bestSeen != -1
}
