package bot

import (
	"github.com/stretchbot/stretchbot/bot/customid"
)

// Button custom_ids are signed at one boundary: every Reply leaving the
// Bot (Handle's answers, Deliver's messages) has each button ID signed,
// and every click coming in is verified and stripped to the plain
// custom_id before any handler sees it. Handlers build and read plain
// IDs with customid.Make and customid.Parse and never deal with signing.

// SetSigningKeys replaces the keys buttons are signed and checked with
// (the bot reloads them from the database now and then, so that a key
// another process made is known before it signs).
func (b *Bot) SetSigningKeys(k *customid.Keyring) { b.keys.Store(k) }

// signButtons signs every button ID of r that is not signed yet.
func (b *Bot) signButtons(r Reply) Reply {
	if len(r.Rows) == 0 {
		return r
	}
	keys := b.keys.Load()
	rows := make([][]Button, len(r.Rows))
	for i, row := range r.Rows {
		rows[i] = append([]Button(nil), row...)
		for j, btn := range rows[i] {
			if btn.ID == "" {
				continue
			}
			if _, err := keys.Verify(btn.ID); err == nil {
				continue
			}
			signed := keys.Sign(btn.ID)
			if len(signed) > customid.MaxLen {
				b.log.Error("custom_id too long to sign; the button is disabled", "custom_id", btn.ID, "len", len(signed))
				rows[i][j].Disabled = true
			}
			rows[i][j].ID = signed
		}
	}
	r.Rows = rows
	return r
}

// verifyClick checks a click's signed custom_id and puts the plain one
// in its place; a custom_id the bot did not sign is an expired button.
func (b *Bot) verifyClick(in *Interaction) error {
	plain, err := b.keys.Load().Verify(in.CustomID)
	if err != nil {
		return err
	}
	in.CustomID = plain
	return nil
}
