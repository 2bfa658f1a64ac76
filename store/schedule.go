package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
	bolt "go.etcd.io/bbolt"
)

// CreateSchedule validates s, gives it a new ID (written to s.ID; any ID
// it had is ignored) and stores it. It returns an EINVALID error for an
// invalid schedule, and stretchbot.Admit's errors (a
// *stretchbot.DuplicateError, or ELIMIT when a limit is reached), checked
// in the same write transaction so that concurrent calls cannot get past
// a limit together.
func (db *DB) CreateSchedule(ctx context.Context, s *stretchbot.Schedule) error {
	if err := validateSchedule(*s); err != nil {
		return err
	}
	var id uint64
	err := db.update(ctx, func(tx *bolt.Tx) error {
		c := *s
		c.ID = 0 // new: no sibling is s itself
		if err := admit(tx, c); err != nil {
			return err
		}
		var err error
		if id, err = tx.Bucket(bucketSchedules).NextSequence(); err != nil {
			return err
		}
		c.ID = id
		return putSchedule(tx, c, nil)
	})
	if err != nil {
		return fmt.Errorf("create schedule for %s: %w", s.Owner, err)
	}
	s.ID = id
	return nil
}

// CreateSchedules creates many schedules in one transaction, all or none,
// with the checks of CreateSchedule; it sets each ID. It is for imports
// and load tests; keep a call to some thousands of schedules so one
// transaction stays a few megabytes.
func (db *DB) CreateSchedules(ctx context.Context, ss []*stretchbot.Schedule) error {
	for _, s := range ss {
		if err := validateSchedule(*s); err != nil {
			return err
		}
	}
	ids := make([]uint64, len(ss))
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSchedules)
		for i, s := range ss {
			c := *s
			c.ID = 0
			if err := admit(tx, c); err != nil {
				return err
			}
			id, err := b.NextSequence()
			if err != nil {
				return err
			}
			c.ID = id
			if err := putSchedule(tx, c, nil); err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create %d schedules: %w", len(ss), err)
	}
	for i, s := range ss {
		s.ID = ids[i]
	}
	return nil
}

// Schedule returns the schedule id, or an ENOTFOUND error.
func (db *DB) Schedule(ctx context.Context, id uint64) (stretchbot.Schedule, error) {
	var s stretchbot.Schedule
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		s, err = getSchedule(tx, id)
		return err
	})
	if err != nil {
		return stretchbot.Schedule{}, fmt.Errorf("load schedule %d: %w", id, err)
	}
	return s, nil
}

// UpdateSchedule loads the schedule id, lets fn change it and stores it
// in one transaction (indexes follow a changed owner or guild). fn cannot
// change the ID. It returns ENOTFOUND for an unknown id, EINVALID when the
// result does not validate, stretchbot.Admit's errors when the change
// makes it another schedule (kind, owner, place or time) that Admit
// refuses, and fn's own error unchanged. fn runs exactly once
// and must not use db.
func (db *DB) UpdateSchedule(ctx context.Context, id uint64, fn func(*stretchbot.Schedule) error) (stretchbot.Schedule, error) {
	var (
		s     stretchbot.Schedule
		fnErr error
	)
	err := db.update(ctx, func(tx *bolt.Tx) error {
		old, err := getSchedule(tx, id)
		if err != nil {
			return err
		}
		s = old
		if fnErr = fn(&s); fnErr != nil {
			return fnErr
		}
		s.ID = id
		if err := validateSchedule(s); err != nil {
			return err
		}
		if !sameIdentity(old, s) {
			if err := admit(tx, s); err != nil {
				return err
			}
		}
		return putSchedule(tx, s, &old)
	})
	switch {
	case fnErr != nil:
		return stretchbot.Schedule{}, fnErr
	case err != nil:
		return stretchbot.Schedule{}, fmt.Errorf("update schedule %d: %w", id, err)
	}
	return s, nil
}

// DeleteSchedule removes the schedule id with its indexes, its fired
// markers and its break clicks (the completions those clicks logged stay:
// they are the users' history). It returns ENOTFOUND for an unknown id.
// Callers check that the asking user may delete it.
func (db *DB) DeleteSchedule(ctx context.Context, id uint64) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		s, err := getSchedule(tx, id)
		if err != nil {
			return err
		}
		return deleteSchedule(tx, s)
	})
	if err != nil {
		return fmt.Errorf("delete schedule %d: %w", id, err)
	}
	return nil
}

// SchedulesByOwner returns every schedule of any kind owned by owner,
// ordered by ID.
func (db *DB) SchedulesByOwner(ctx context.Context, owner string) ([]stretchbot.Schedule, error) {
	if err := checkID("user", owner); err != nil {
		return nil, err
	}
	var out []stretchbot.Schedule
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = schedulesByIndex(tx, bucketByOwner, owner)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list schedules of %s: %w", owner, err)
	}
	return out, nil
}

// SchedulesByGuild returns every schedule posted in the guild (server),
// ordered by ID.
func (db *DB) SchedulesByGuild(ctx context.Context, guildID string) ([]stretchbot.Schedule, error) {
	if err := checkID("server", guildID); err != nil {
		return nil, err
	}
	var out []stretchbot.Schedule
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = schedulesByIndex(tx, bucketByGuild, guildID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list schedules of server %s: %w", guildID, err)
	}
	return out, nil
}

// ForEachSchedule calls fn for every schedule in ID order with the latest
// occurrence recorded by MarkFired (zero if none), in one read
// transaction: this is how the scheduler arms itself at start. fn's error
// stops the scan and is returned unchanged. fn must not write to db (a
// write may wait for this read transaction: deadlock); collect, then
// write.
func (db *DB) ForEachSchedule(ctx context.Context, fn func(s stretchbot.Schedule, lastFired time.Time) error) error {
	var fnErr error
	err := db.view(ctx, func(tx *bolt.Tx) error {
		// Both buckets are keyed by id(8): walk them side by side
		// (a merge join) instead of one lookup per schedule.
		last := tx.Bucket(bucketFiredLast).Cursor()
		lk, lv := last.First()
		c := tx.Bucket(bucketSchedules).Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			s, err := decodeSchedule(k, v)
			if err != nil {
				return err
			}
			for lk != nil && string(lk) < string(k) {
				lk, lv = last.Next()
			}
			var lf time.Time
			if lk != nil && string(lk) == string(k) && len(lv) == 8 {
				lf = timeFromKey(lv)
			}
			if fnErr = fn(s, lf); fnErr != nil {
				return fnErr
			}
		}
		return nil
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("scan schedules: %w", err)
	}
	return nil
}

// validateSchedule is Schedule.Validate plus what the keys need. A break
// whose creator used Forget has no owner; it stays valid (see Forget).
func validateSchedule(s stretchbot.Schedule) error {
	v := s
	if v.Kind == stretchbot.KindBreak && v.Owner == "" {
		v.Owner = "forgotten"
	}
	if err := v.Validate(); err != nil {
		return err
	}
	if s.Owner != "" {
		if err := checkID("user", s.Owner); err != nil {
			return err
		}
	}
	if len(s.GuildID) > maxIDLen {
		return checkID("server", s.GuildID)
	}
	return nil
}

// admit applies stretchbot.Admit to s and the schedules it is limited
// with, inside the caller's write transaction.
func admit(tx *bolt.Tx, s stretchbot.Schedule) error {
	index, key := bucketByOwner, s.Owner
	if s.LimitedPerGuild() {
		index, key = bucketByGuild, s.GuildID
	}
	if key == "" {
		return nil
	}
	siblings, err := schedulesByIndex(tx, index, key)
	if err != nil {
		return err
	}
	return stretchbot.Admit(s, siblings)
}

// sameIdentity reports whether b is a as far as Admit is concerned: only
// fields Admit does not look at changed, such as its pause.
func sameIdentity(a, b stretchbot.Schedule) bool {
	return a.Kind == b.Kind && a.Owner == b.Owner && a.GuildID == b.GuildID &&
		a.ChannelID == b.ChannelID && a.Spec == b.Spec && a.TimeZone == b.TimeZone && a.At.Equal(b.At)
}

func notFound(id uint64) error {
	return stretchbot.Errorf(stretchbot.ENOTFOUND, "I could not find reminder %d. It may have been removed already; /stretch remind list shows yours.", id)
}

func getSchedule(tx *bolt.Tx, id uint64) (stretchbot.Schedule, error) {
	k := u64(id)
	v := tx.Bucket(bucketSchedules).Get(k)
	if v == nil {
		return stretchbot.Schedule{}, notFound(id)
	}
	return decodeSchedule(k, v)
}

// putSchedule stores s and its index entries, replacing those of old.
func putSchedule(tx *bolt.Tx, s stretchbot.Schedule, old *stretchbot.Schedule) error {
	id := u64(s.ID)
	byOwner, byGuild := tx.Bucket(bucketByOwner), tx.Bucket(bucketByGuild)
	if old != nil {
		if old.Owner != "" && old.Owner != s.Owner {
			if err := byOwner.Delete(append(lp(old.Owner), id...)); err != nil {
				return err
			}
		}
		if old.GuildID != "" && old.GuildID != s.GuildID {
			if err := byGuild.Delete(append(lp(old.GuildID), id...)); err != nil {
				return err
			}
		}
	}
	if s.Owner != "" {
		if err := byOwner.Put(append(lp(s.Owner), id...), nil); err != nil {
			return err
		}
	}
	if s.GuildID != "" {
		if err := byGuild.Put(append(lp(s.GuildID), id...), nil); err != nil {
			return err
		}
	}
	b := tx.Bucket(bucketSchedules)
	// IDs only grow, so new schedules append at the right edge: fill
	// pages instead of leaving them half empty at each split.
	b.FillPercent = 0.9
	return b.Put(id, encodeSchedule(s))
}

// deleteSchedule removes s and everything hanging off it.
func deleteSchedule(tx *bolt.Tx, s stretchbot.Schedule) error {
	id := u64(s.ID)
	if err := tx.Bucket(bucketSchedules).Delete(id); err != nil {
		return err
	}
	if s.Owner != "" {
		if err := tx.Bucket(bucketByOwner).Delete(append(lp(s.Owner), id...)); err != nil {
			return err
		}
	}
	if s.GuildID != "" {
		if err := tx.Bucket(bucketByGuild).Delete(append(lp(s.GuildID), id...)); err != nil {
			return err
		}
	}
	if err := deletePrefix(tx.Bucket(bucketFiredUnsent), id); err != nil {
		return err
	}
	if err := tx.Bucket(bucketFiredLast).Delete(id); err != nil {
		return err
	}
	// Break clicks: drop each click's per-user index entry, then the
	// clicks and counts themselves.
	clicks := tx.Bucket(bucketBreakClicks)
	byUser := tx.Bucket(bucketClicksByUser)
	c := clicks.Cursor()
	for k, _ := c.Seek(id); hasPrefixKey(k, id); k, _ = c.Next() {
		if len(k) < 17 || int(k[16]) != len(k)-17 {
			return fmt.Errorf("%w: bad break click key", ErrCorrupt)
		}
		user := k[16:]
		if err := byUser.Delete(append(append([]byte(nil), user...), k[:16]...)); err != nil {
			return err
		}
	}
	if err := deletePrefix(clicks, id); err != nil {
		return err
	}
	return deletePrefix(tx.Bucket(bucketBreakCounts), id)
}

// deletePrefix deletes every key of b that starts with prefix. Keys are
// collected first: deleting under a live cursor can skip the next key.
func deletePrefix(b *bolt.Bucket, prefix []byte) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); hasPrefixKey(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// scheduleIDs returns the IDs an index holds under id, in order.
func scheduleIDs(tx *bolt.Tx, index []byte, id string) []uint64 {
	prefix := lp(id)
	var ids []uint64
	c := tx.Bucket(index).Cursor()
	for k, _ := c.Seek(prefix); hasPrefixKey(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix)+8 {
			ids = append(ids, binary.BigEndian.Uint64(k[len(prefix):]))
		}
	}
	return ids
}

func schedulesByIndex(tx *bolt.Tx, index []byte, id string) ([]stretchbot.Schedule, error) {
	ids := scheduleIDs(tx, index, id)
	out := make([]stretchbot.Schedule, 0, len(ids))
	for _, sid := range ids {
		s, err := getSchedule(tx, sid)
		if err != nil {
			return nil, fmt.Errorf("%w: index %s names schedule %d: %w", ErrCorrupt, index, sid, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// encodeSchedule writes version 1 of a schedule: compact binary, because
// a bot may hold a million of them and reads them all at every start.
// The ID is the key and is not repeated. Fields added later go at the end,
// written only when set, so older values still read (and cost nothing
// more).
func encodeSchedule(s stretchbot.Schedule) []byte {
	e := newEnc()
	e.uvarint(uint64(s.Kind))
	e.bool(s.Paused)
	e.str(s.Owner)
	e.str(s.GuildID)
	e.str(s.ChannelID)
	e.str(s.Spec)
	e.str(s.TimeZone)
	e.time(s.At)
	e.time(s.Created)
	// Added later: a value that ends here has no filter; one that ends
	// after the filter has no locale.
	if s.Filter != (stretchbot.Filter{}) || s.Locale != "" {
		e.str(string(s.Filter.Position))
		e.str(string(s.Filter.Equipment))
		e.bool(s.Filter.SpasmSafe)
	}
	if s.Locale != "" {
		e.str(s.Locale)
	}
	return e.b
}

func decodeSchedule(k, v []byte) (stretchbot.Schedule, error) {
	if len(k) != 8 {
		return stretchbot.Schedule{}, fmt.Errorf("%w: bad schedule key %x", ErrCorrupt, k)
	}
	id := binary.BigEndian.Uint64(k)
	d := newDec("schedule", v)
	s := stretchbot.Schedule{ID: id}
	s.Kind = stretchbot.ScheduleKind(d.uvarint())
	s.Paused = d.bool()
	s.Owner = d.str()
	s.GuildID = d.str()
	s.ChannelID = d.str()
	s.Spec = d.str()
	s.TimeZone = d.str()
	s.At = d.time()
	s.Created = d.time()
	if d.more() {
		s.Filter.Position = stretchbot.Position(d.str())
		s.Filter.Equipment = stretchbot.Equipment(d.str())
		s.Filter.SpasmSafe = d.bool()
	}
	if d.more() {
		s.Locale = d.str()
	}
	if d.err != nil {
		return stretchbot.Schedule{}, fmt.Errorf("decode schedule %d: %w", id, d.err)
	}
	return s, nil
}
