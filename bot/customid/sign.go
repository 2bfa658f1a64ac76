package customid

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot"
)

// Every custom_id the bot hands out is signed: the payload that Make
// builds, then a separator, the signing key's tag and a MAC,
//
//	v1:done:knee-hug:123456789012345678~1Ab3dE5fG7hI9
//
// MAC is HMAC-SHA256 over the payload with the key's secret, cut to 8
// bytes (64 bits: guessing one takes 2^63 tries on average, each a Discord
// interaction). A click whose custom_id does not carry a valid MAC of a
// known key is an expired button.
const (
	sep     = "~"
	macLen  = 8
	SigLen  = len(sep) + 1 + (macLen*8+5)/6 // the characters Sign adds
	tagSyms = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// Key life: a start finds the newest key older than RotateAfter and makes
// a new one; the new key signs from ActivateAfter on (so that every process
// sharing the database has loaded it by then, see Keyring.Set), and the
// key it replaces still verifies for Grace after that. Buttons signed with
// a key past its grace have expired.
const (
	RotateAfter   = 30 * 24 * time.Hour
	ActivateAfter = 24 * time.Hour
	Grace         = 14 * 24 * time.Hour
)

// NextKeys is the key ring to store at a start at now: keys, plus a new
// key when there is none or the newest is RotateAfter old, minus the keys
// whose grace has ended. newSecret makes a secret (nil: 32 random bytes).
func NextKeys(keys []stretchbot.SigningKey, now time.Time, newSecret func() []byte) []stretchbot.SigningKey {
	if newSecret == nil {
		newSecret = func() []byte { return []byte(rand.Text() + rand.Text()) }
	}
	out := append([]stretchbot.SigningKey(nil), keys...)
	if len(out) == 0 || now.Sub(out[len(out)-1].Created) >= RotateAfter {
		var id uint32 = 1
		if len(out) > 0 {
			id = out[len(out)-1].ID + 1
		}
		out = append(out, stretchbot.SigningKey{ID: id, Secret: newSecret(), Created: now})
	}
	// A key stops verifying Grace after its successor began to sign.
	for len(out) > 1 && now.Sub(out[1].Created.Add(ActivateAfter)) > Grace {
		out = out[1:]
	}
	return out
}

// Keyring signs custom_ids with the active key and verifies them with any
// key of the ring. Its zero value is not usable; see NewKeyring.
type Keyring struct {
	signing stretchbot.SigningKey
	byTag   map[byte]stretchbot.SigningKey
}

// NewKeyring returns a keyring of keys (oldest first, as NextKeys returns
// them) as of now: the newest key at least ActivateAfter old signs, or the
// oldest when none is that old yet.
func NewKeyring(keys []stretchbot.SigningKey, now time.Time) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("customid: no signing key")
	}
	k := &Keyring{signing: keys[0], byTag: map[byte]stretchbot.SigningKey{}}
	for _, key := range keys {
		if len(key.Secret) < 16 {
			return nil, errors.New("customid: signing key too short")
		}
		tag := tagOf(key.ID)
		if _, dup := k.byTag[tag]; dup {
			return nil, errors.New("customid: two signing keys share a tag")
		}
		k.byTag[tag] = key
		if now.Sub(key.Created) >= ActivateAfter {
			k.signing = key
		}
	}
	return k, nil
}

// EphemeralKeyring returns a keyring with one random key, for a bot that
// keeps no keys (tests, tools): its buttons expire when it stops.
func EphemeralKeyring() *Keyring {
	k, err := NewKeyring(NextKeys(nil, time.Now(), nil), time.Now())
	if err != nil {
		panic(err) // NextKeys always makes a valid key
	}
	return k
}

func tagOf(id uint32) byte { return tagSyms[id%uint32(len(tagSyms))] }

func mac(secret []byte, payload string) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("stretchbot custom_id\x00"))
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:macLen])
}

// Sign returns payload (a custom_id Make built) signed with the active
// key.
func (k *Keyring) Sign(payload string) string {
	return payload + sep + string(tagOf(k.signing.ID)) + mac(k.signing.Secret, payload)
}

// Verify checks a signed custom_id and returns its payload, or ErrExpired
// when it carries no valid signature of a key in the ring.
func (k *Keyring) Verify(signed string) (string, error) {
	i := strings.LastIndex(signed, sep)
	if i < 0 || len(signed)-i != SigLen || len(signed) > MaxLen {
		return "", ErrExpired
	}
	payload, sig := signed[:i], signed[i+len(sep):]
	key, ok := k.byTag[sig[0]]
	if !ok || !hmac.Equal([]byte(sig[1:]), []byte(mac(key.Secret, payload))) {
		return "", ErrExpired
	}
	return payload, nil
}

// Payload returns the unsigned part of a custom_id, without checking the
// signature: for naming its action in logs and metrics only.
func Payload(signed string) string {
	if i := strings.LastIndex(signed, sep); i >= 0 {
		return signed[:i]
	}
	return signed
}
