package stretchbot

import "time"

// SigningKey is a secret the bot signs its button custom_ids with, so that
// a custom_id it did not make (a forged check-in state, a stretch-break
// click for another server) is refused. It lives in the database: created
// at the first start, replaced now and then at a start (see
// bot/customid.NextKeys).
type SigningKey struct {
	ID      uint32 // 1, 2, 3, …: each new key gets the next number
	Secret  []byte
	Created time.Time
}
