-- Schema 3: small records of the whole bot, one row each, in the same
-- encodings bbolt keeps in its meta bucket. The first is the set of keys
-- button custom_ids are signed with (store.EncodeSigningKeys).

-- +goose Up
CREATE TABLE bot_records (
	name TEXT PRIMARY KEY,
	body BYTEA NOT NULL
);

-- +goose Down
DROP TABLE bot_records;
