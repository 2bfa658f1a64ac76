package discordtest

import (
	"strconv"
	"time"
)

// DefaultNonceWindow is how long the fake remembers a message's nonce for
// enforce_nonce. Discord documents "the past few minutes" without a
// figure; three minutes is a cautious reading, and bots should resend well
// within it.
const DefaultNonceWindow = 3 * time.Minute

// sentNonce is a nonce seen on a created message.
type sentNonce struct {
	msg *storedMessage
	at  time.Time
}

// nonceKey identifies a Create Message nonce within its channel: the same
// nonce in another channel is another nonce. Every message created over
// REST has the same author, the bot, so the author needs no place in the
// key. enforce reports whether the request asked for enforce_nonce.
func nonceKey(channelID string, body map[string]any) (key string, enforce bool) {
	switch n := body["nonce"].(type) {
	case string:
		key = channelID + "\x00s:" + n
	case float64:
		key = channelID + "\x00n:" + strconv.FormatFloat(n, 'f', -1, 64)
	default:
		return "", false
	}
	enforce, _ = body["enforce_nonce"].(bool)
	return key, enforce
}

// repeatLocked returns the message created with key within the nonce
// window, or nil.
func (f *Fake) repeatLocked(key string) *storedMessage {
	seen, ok := f.nonces[key]
	if !ok || seen.msg.deleted || f.nowLocked().Sub(seen.at) > f.opts.NonceWindow {
		return nil
	}
	f.nonceRepeats++
	return seen.msg
}

func (f *Fake) rememberNonceLocked(key string, sm *storedMessage) {
	if key == "" {
		return
	}
	if f.nonces == nil {
		f.nonces = map[string]sentNonce{}
	}
	f.nonces[key] = sentNonce{msg: sm, at: f.nowLocked()}
}

// NonceRepeats is how many Create Message requests enforce_nonce answered
// with an earlier message instead of a new one.
func (f *Fake) NonceRepeats() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nonceRepeats
}
