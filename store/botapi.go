package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/stretchbot/stretchbot"
)

// ExportJSON returns Export(userID) as indented JSON, the file a user gets
// from /stretch privacy export (schema in docs/privacy.md).
func (db *DB) ExportJSON(ctx context.Context, userID string) ([]byte, error) {
	ex, err := db.Export(ctx, userID)
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode export of %s: %w", userID, err)
	}
	return b, nil
}

// BreakCounts is BreakStats in the domain's terms.
func (db *DB) BreakCounts(ctx context.Context, guildID string) (map[uint64]stretchbot.BreakCount, error) {
	st, err := db.BreakStats(ctx, guildID)
	if err != nil {
		return nil, err
	}
	out := make(map[uint64]stretchbot.BreakCount, len(st))
	for id, s := range st {
		out[id] = stretchbot.BreakCount{Occurrences: s.Occurrences, Clicks: s.Clicks}
	}
	return out, nil
}
