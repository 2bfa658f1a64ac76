package customid

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func secret(b byte) func() []byte {
	return func() []byte { return []byte(strings.Repeat(string(rune('a'+b)), 32)) }
}

func mustKeyring(t *testing.T, keys []stretchbot.SigningKey, now time.Time) *Keyring {
	t.Helper()
	k, err := NewKeyring(keys, now)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignedCustomIDsVerifyAndForgeriesDoNot(t *testing.T) {
	k := mustKeyring(t, NextKeys(nil, t0, secret(0)), t0)
	payload := Make(Done, "knee-hug", "123456789012345678")
	signed := k.Sign(payload)
	if got, err := k.Verify(signed); err != nil || got != payload {
		t.Fatalf("Verify(Sign(%q)) = %q, %v", payload, got, err)
	}
	other := mustKeyring(t, NextKeys(nil, t0, secret(1)), t0)
	for _, forged := range []string{
		payload, // unsigned, as every custom_id was before
		strings.Replace(signed, "knee-hug", "cat-cow", 1),     // another stretch, same MAC
		strings.Replace(signed, "123456789012345678", "1", 1), // another owner
		signed[:len(signed)-1] + "A",                          // one character of the MAC
		other.Sign(payload),                                   // someone else's key
		signed + "x", "~", "",
	} {
		if _, err := k.Verify(forged); err != ErrExpired {
			t.Errorf("Verify(%q) = %v, want ErrExpired", forged, err)
		}
	}
}

func TestSignedCustomIDsFitDiscord(t *testing.T) {
	k := mustKeyring(t, NextKeys(nil, t0, secret(0)), t0)
	for _, id := range []string{
		Make(CheckIn, strings.Repeat("9", 20), strings.Repeat("z", stretchbot.MaxCheckInFlowLen), "10"),
		Make(Side, strings.Repeat("s", 32), strings.Repeat("9", 20), "2"),
	} {
		if n := len(k.Sign(id)); n > MaxLen {
			t.Errorf("signed %q is %d characters, Discord allows %d", id, n, MaxLen)
		}
	}
}

// TestKeyRotation: a start after RotateAfter makes a new key; it signs
// from a day later; buttons of the old key keep working for Grace after
// that and then say they have expired.
func TestKeyRotation(t *testing.T) {
	keys := NextKeys(nil, t0, secret(0))
	old := mustKeyring(t, keys, t0).Sign(Make(Now, "1"))
	if again := NextKeys(keys, t0.Add(RotateAfter-time.Hour), secret(1)); len(again) != 1 {
		t.Fatalf("a restart before RotateAfter made a key: %d keys", len(again))
	}
	rotated := t0.Add(RotateAfter)
	keys = NextKeys(keys, rotated, secret(1))
	if len(keys) != 2 || keys[1].ID != 2 {
		t.Fatalf("after RotateAfter: %+v", keys)
	}
	// The day after rotation the old key still signs, so every process
	// sharing the database has the new one before it is used.
	k := mustKeyring(t, keys, rotated.Add(time.Hour))
	if s := k.Sign(Make(Now, "1")); s != old {
		t.Errorf("a fresh key signs before ActivateAfter")
	}
	active := rotated.Add(ActivateAfter)
	k = mustKeyring(t, keys, active)
	if s := k.Sign(Make(Now, "1")); s == old {
		t.Error("the new key does not sign after ActivateAfter")
	}
	if _, err := k.Verify(old); err != nil {
		t.Errorf("an old button within grace: %v", err)
	}
	keys = NextKeys(keys, active.Add(Grace+time.Hour), secret(2))
	if len(keys) != 1 || keys[0].ID != 2 {
		t.Fatalf("after grace: %+v", keys)
	}
	if _, err := mustKeyring(t, keys, active.Add(Grace+time.Hour)).Verify(old); err != ErrExpired {
		t.Errorf("an old button after grace: %v, want ErrExpired", err)
	}
}
