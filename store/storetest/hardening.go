package storetest

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

// testUpdateKnownUser: writes from deliveries change a user the database
// knows (settings, or a schedule they own) and never bring back one it
// does not, such as someone who just ran Forget.
func testUpdateKnownUser(t *testing.T, h Harness) {
	d := open(t, h)
	setDM := func(u *stretchbot.User) error { u.DMChannelID = "700000000000000001"; return nil }

	// A stranger: nothing is stored.
	if _, err := d.UpdateKnownUser(ctx, Bob, setDM); stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
		t.Fatalf("UpdateKnownUser of a stranger: err = %v, want ENOTFOUND", err)
	}
	if ex := must[[]byte](t)(d.ExportJSON(ctx, Bob)); containsSettings(ex) {
		t.Fatalf("a stranger's settings were stored: %s", ex)
	}

	// Someone with a reminder but no settings yet is known.
	mustCreate(t, d, Reminder(Alice))
	if u, err := d.UpdateKnownUser(ctx, Alice, setDM); err != nil || u.DMChannelID == "" {
		t.Fatalf("UpdateKnownUser of a reminder's owner: %+v %v", u, err)
	}
	if u := must[stretchbot.User](t)(d.User(ctx, Alice)); u.DMChannelID != "700000000000000001" {
		t.Fatalf("the write was not stored: %+v", u)
	}

	// After Forget, the same write stores nothing.
	must[[]uint64](t)(d.Forget(ctx, Alice))
	if _, err := d.UpdateKnownUser(ctx, Alice, setDM); stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
		t.Fatalf("UpdateKnownUser after Forget: err = %v, want ENOTFOUND", err)
	}
	if ex := must[[]byte](t)(d.ExportJSON(ctx, Alice)); containsSettings(ex) {
		t.Fatalf("Forget was undone by a delivery's write: %s", ex)
	}

	// Someone with settings only is known too.
	must[stretchbot.User](t)(d.UpdateUser(ctx, Bob, func(u *stretchbot.User) error { u.TimeZone = "Europe/Berlin"; return nil }))
	if _, err := d.UpdateKnownUser(ctx, Bob, setDM); err != nil {
		t.Fatalf("UpdateKnownUser of a user with settings: %v", err)
	}
}

// containsSettings reports whether an export has stored settings.
func containsSettings(export []byte) bool {
	return !strings.Contains(string(export), `"settings": null`)
}

// testSigningKeys: the keys round-trip exactly, start empty, survive a
// restart, and concurrent starts agree on one set.
func testSigningKeys(t *testing.T, h Harness) {
	d := open(t, h)
	var seen []stretchbot.SigningKey
	keys := must[[]stretchbot.SigningKey](t)(d.UpdateSigningKeys(ctx, func(k []stretchbot.SigningKey) []stretchbot.SigningKey {
		seen = k
		return append(k, stretchbot.SigningKey{ID: 1, Secret: []byte("0123456789abcdef0123456789abcdef"), Created: T0})
	}))
	if len(seen) != 0 || len(keys) != 1 {
		t.Fatalf("first start saw %v, stored %v", seen, keys)
	}
	d.reopen()
	var again []stretchbot.SigningKey
	must[[]stretchbot.SigningKey](t)(d.UpdateSigningKeys(ctx, func(k []stretchbot.SigningKey) []stretchbot.SigningKey {
		again = k
		return k
	}))
	if !reflect.DeepEqual(again, keys) {
		t.Fatalf("after a restart: %+v, want %+v", again, keys)
	}
	// Ten processes start at once; each adds a key only when it finds the
	// last one is key 1. Exactly one adds key 2.
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, err := d.UpdateSigningKeys(ctx, func(k []stretchbot.SigningKey) []stretchbot.SigningKey {
				if k[len(k)-1].ID == 1 {
					return append(k, stretchbot.SigningKey{ID: 2, Secret: []byte("fedcba9876543210fedcba9876543210"), Created: T0.Add(time.Hour)})
				}
				return k
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	final := must[[]stretchbot.SigningKey](t)(d.UpdateSigningKeys(ctx, func(k []stretchbot.SigningKey) []stretchbot.SigningKey { return k }))
	if len(final) != 2 || final[1].ID != 2 {
		t.Fatalf("after concurrent starts: %+v", final)
	}
}
