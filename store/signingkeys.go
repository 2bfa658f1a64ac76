package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
	bolt "go.etcd.io/bbolt"
)

// keySigningKeys is where the meta bucket keeps the custom_id signing
// keys.
var keySigningKeys = []byte("signing_keys")

// UpdateSigningKeys reads the keys the bot signs its buttons with (none
// at first), lets fn replace them and stores the result, in one
// transaction, so processes starting together agree on one set.
func (db *DB) UpdateSigningKeys(ctx context.Context, fn func([]stretchbot.SigningKey) []stretchbot.SigningKey) ([]stretchbot.SigningKey, error) {
	var keys []stretchbot.SigningKey
	err := db.update(ctx, func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		var err error
		if keys, err = DecodeSigningKeys(meta.Get(keySigningKeys)); err != nil {
			return err
		}
		keys = fn(keys)
		return meta.Put(keySigningKeys, EncodeSigningKeys(keys))
	})
	if err != nil {
		return nil, fmt.Errorf("update signing keys: %w", err)
	}
	return keys, nil
}

type storedKey struct {
	ID      uint32 `json:"id"`
	Secret  []byte `json:"secret"`
	Created int64  `json:"created_ns"`
}

// EncodeSigningKeys returns the stored form of the signing keys (every
// backend stores the same bytes).
func EncodeSigningKeys(keys []stretchbot.SigningKey) []byte {
	out := make([]storedKey, len(keys))
	for i, k := range keys {
		out[i] = storedKey{k.ID, k.Secret, k.Created.UnixNano()}
	}
	j, _ := json.Marshal(out) // plain data: cannot fail
	return append([]byte{valueV1}, j...)
}

// DecodeSigningKeys reads what EncodeSigningKeys wrote; nil or empty is no
// key. Errors wrap ErrCorrupt.
func DecodeSigningKeys(raw []byte) ([]stretchbot.SigningKey, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	d := newDec("signing keys", raw)
	if d.err != nil {
		return nil, d.err
	}
	var in []storedKey
	if err := json.Unmarshal(d.b, &in); err != nil {
		return nil, fmt.Errorf("%w: signing keys: %v", ErrCorrupt, err)
	}
	keys := make([]stretchbot.SigningKey, len(in))
	for i, k := range in {
		keys[i] = stretchbot.SigningKey{ID: k.ID, Secret: k.Secret, Created: time.Unix(0, k.Created).UTC()}
	}
	return keys, nil
}
