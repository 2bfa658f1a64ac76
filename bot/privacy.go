package bot

import (
	"context"
	"fmt"

	"github.com/stretchbot/stretchbot/bot/customid"
)

func (b *Bot) privacyExport(ctx context.Context, in Interaction) (Reply, error) {
	data, err := b.cfg.Store.ExportJSON(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("export %s: %w", in.UserID, err)
	}
	return Reply{
		Ephemeral: true,
		Content:   "Here is everything stretchbot stores about you. The lines at the top of the file explain its fields.",
		Files:     []File{{Name: "stretchbot-export.json", ContentType: "application/json", Data: data, Description: "Your stretchbot data as JSON"}},
	}, nil
}

func (b *Bot) privacyForget(_ context.Context, in Interaction) (Reply, error) {
	return Reply{
		Ephemeral: true,
		Content:   "This deletes everything stretchbot stores about you: settings, reminders, completions and check-ins. It cannot be undone. Export first if you want a copy.",
		Rows: [][]Button{{
			{Label: "Delete everything", ID: customid.Make(customid.Forget, in.UserID), Style: Danger},
			{Label: "Keep my data", ID: customid.Make(customid.Keep, in.UserID), Style: Secondary},
		}},
	}, nil
}

func (b *Bot) clickForget(ctx context.Context, in Interaction) (Reply, error) {
	ids, err := b.cfg.Store.Forget(ctx, in.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("forget %s: %w", in.UserID, err)
	}
	// The store has forgotten them; disarm at once so nothing fires for a
	// schedule that no longer exists.
	for _, id := range ids {
		b.cfg.Scheduler.Remove(id)
	}
	return Reply{Update: true, Ephemeral: true, Content: "Done. Everything stretchbot stored about you is deleted. If you use it again, it starts fresh."}, nil
}
