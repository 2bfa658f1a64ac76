package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// UpdateSigningKeys implements store.Backend. The row is locked while fn
// decides, so processes starting together agree on one set of keys.
func (db *DB) UpdateSigningKeys(ctx context.Context, fn func([]stretchbot.SigningKey) []stretchbot.SigningKey) ([]stretchbot.SigningKey, error) {
	var keys []stretchbot.SigningKey
	err := db.update(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO bot_records (name, body) VALUES ('signing_keys', '') ON CONFLICT (name) DO NOTHING`); err != nil {
			return err
		}
		var body []byte
		if err := tx.QueryRow(ctx, `SELECT body FROM bot_records WHERE name = 'signing_keys' FOR UPDATE`).Scan(&body); err != nil {
			return err
		}
		var err error
		if keys, err = store.DecodeSigningKeys(body); err != nil {
			return err
		}
		keys = fn(keys)
		_, err = tx.Exec(ctx, `UPDATE bot_records SET body = $1 WHERE name = 'signing_keys'`, store.EncodeSigningKeys(keys))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update signing keys: %w", err)
	}
	return keys, nil
}
