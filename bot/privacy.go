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
	p := in.Lang()
	return Reply{
		Ephemeral: true,
		Content:   p.T("privacy.export"),
		Files:     []File{{Name: "stretchbot-export.json", ContentType: "application/json", Data: data, Description: p.T("privacy.export.alt")}},
	}, nil
}

func (b *Bot) privacyForget(_ context.Context, in Interaction) (Reply, error) {
	p := in.Lang()
	return Reply{
		Ephemeral: true,
		Content:   p.T("privacy.forget.ask"),
		Rows: [][]Button{{
			{Label: p.T("privacy.forget.button"), ID: customid.Make(customid.Forget, in.UserID), Style: Danger},
			{Label: p.T("privacy.keep.button"), ID: customid.Make(customid.Keep, in.UserID), Style: Secondary},
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
	return Reply{Update: true, Ephemeral: true, Content: in.Lang().T("privacy.forgotten")}, nil
}
