package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/stretchbot/stretchbot"
	bolt "go.etcd.io/bbolt"
)

// User returns the settings of the user id. A user never stored yet comes
// back as stretchbot.User{ID: id} with no error: everyone starts with
// defaults.
func (db *DB) User(ctx context.Context, id string) (stretchbot.User, error) {
	if err := checkID("user", id); err != nil {
		return stretchbot.User{}, err
	}
	var u stretchbot.User
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		u, err = getUser(tx, id)
		return err
	})
	if err != nil {
		return stretchbot.User{}, fmt.Errorf("load user %s: %w", id, err)
	}
	return u, nil
}

// UpdateUser reads the user id (defaults if new), lets fn change it and
// stores the result, all in one transaction, and returns what was stored.
// fn cannot change the ID. An error from fn aborts the update and is
// returned unchanged. fn runs exactly once and must not use db.
func (db *DB) UpdateUser(ctx context.Context, id string, fn func(*stretchbot.User) error) (stretchbot.User, error) {
	return db.updateUser(ctx, id, false, fn)
}

// UpdateKnownUser is UpdateUser for writes that must never bring a user
// back: it changes only a user the store knows (one with stored settings
// or a schedule) and returns an ENOTFOUND error for anyone else, storing
// nothing. Deliveries write through it, so one in flight while its user
// runs Forget cannot store anything of them again.
func (db *DB) UpdateKnownUser(ctx context.Context, id string, fn func(*stretchbot.User) error) (stretchbot.User, error) {
	return db.updateUser(ctx, id, true, fn)
}

func (db *DB) updateUser(ctx context.Context, id string, knownOnly bool, fn func(*stretchbot.User) error) (stretchbot.User, error) {
	if err := checkID("user", id); err != nil {
		return stretchbot.User{}, err
	}
	var (
		u     stretchbot.User
		fnErr error
	)
	err := db.update(ctx, func(tx *bolt.Tx) error {
		if knownOnly && tx.Bucket(bucketUsers).Get([]byte(id)) == nil && len(scheduleIDs(tx, bucketByOwner, id)) == 0 {
			return UnknownUser(id)
		}
		var err error
		if u, err = getUser(tx, id); err != nil {
			return err
		}
		if fnErr = fn(&u); fnErr != nil {
			return fnErr
		}
		u.ID = id
		return putUser(tx, u)
	})
	switch {
	case fnErr != nil:
		return stretchbot.User{}, fnErr
	case err != nil:
		return stretchbot.User{}, fmt.Errorf("update user %s: %w", id, err)
	}
	return u, nil
}

// UnknownUser is the error of UpdateKnownUser for a user the store does
// not know.
func UnknownUser(id string) error {
	return stretchbot.Errorf(stretchbot.ENOTFOUND, "No user %s is stored.", id)
}

func getUser(tx *bolt.Tx, id string) (stretchbot.User, error) {
	raw := tx.Bucket(bucketUsers).Get([]byte(id))
	if raw == nil {
		return stretchbot.User{ID: id}, nil
	}
	u, err := decodeUser(raw)
	u.ID = id
	return u, err
}

func putUser(tx *bolt.Tx, u stretchbot.User) error {
	v, err := encodeUser(u)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketUsers).Put([]byte(u.ID), v)
}

// encodeUser writes version 1: the version byte, then JSON. Settings
// change shape more often than other records and are few, so JSON's
// flexibility is worth more here than its bytes.
func encodeUser(u stretchbot.User) ([]byte, error) {
	u.ID = "" // the key holds it
	j, err := json.Marshal(u)
	if err != nil {
		return nil, fmt.Errorf("encode user: %w", err)
	}
	return append([]byte{valueV1}, j...), nil
}

func decodeUser(raw []byte) (stretchbot.User, error) {
	var u stretchbot.User
	d := newDec("user", raw)
	if d.err != nil {
		return u, d.err
	}
	if err := json.Unmarshal(d.b, &u); err != nil {
		return stretchbot.User{}, fmt.Errorf("%w: user: %v", ErrCorrupt, err)
	}
	return u, nil
}
