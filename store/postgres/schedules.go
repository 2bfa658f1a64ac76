package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// User returns the settings of the user id; a user never stored comes
// back as stretchbot.User{ID: id}.
func (db *DB) User(ctx context.Context, id string) (stretchbot.User, error) {
	if err := store.CheckID("user", id); err != nil {
		return stretchbot.User{}, err
	}
	if err := ctx.Err(); err != nil {
		return stretchbot.User{}, err
	}
	var body []byte
	err := db.pool.QueryRow(ctx, `SELECT body FROM users WHERE id = $1`, id).Scan(&body)
	switch {
	case errNoRows(err):
		return stretchbot.User{ID: id}, nil
	case err != nil:
		return stretchbot.User{}, fmt.Errorf("load user %s: %w", id, err)
	}
	u, err := store.DecodeUser(id, body)
	if err != nil {
		return stretchbot.User{}, fmt.Errorf("load user %s: %w", id, err)
	}
	return u, nil
}

// UpdateUser reads the user (defaults if new), lets fn change it and
// stores the result in one transaction; fn runs exactly once.
func (db *DB) UpdateUser(ctx context.Context, id string, fn func(*stretchbot.User) error) (stretchbot.User, error) {
	return db.updateUser(ctx, id, false, fn)
}

// UpdateKnownUser implements store.Backend: UpdateUser for a user the
// database knows (a users row, or a schedule they own); ENOTFOUND for
// anyone else. The schedule row it finds is locked, and Forget deletes
// the users row again after the schedules, so a delivery racing with a
// Forget in another process either finishes before it (and is erased) or
// finds nothing.
func (db *DB) UpdateKnownUser(ctx context.Context, id string, fn func(*stretchbot.User) error) (stretchbot.User, error) {
	return db.updateUser(ctx, id, true, fn)
}

func (db *DB) updateUser(ctx context.Context, id string, knownOnly bool, fn func(*stretchbot.User) error) (stretchbot.User, error) {
	if err := store.CheckID("user", id); err != nil {
		return stretchbot.User{}, err
	}
	var (
		u     stretchbot.User
		fnErr error
	)
	err := db.update(ctx, func(tx pgx.Tx) error {
		if knownOnly {
			known, err := knownUser(ctx, tx, id)
			if err != nil {
				return err
			}
			if !known {
				return store.UnknownUser(id)
			}
		}
		var err error
		if u, err = lockUser(ctx, tx, id); err != nil {
			return err
		}
		if fnErr = fn(&u); fnErr != nil {
			return fnErr
		}
		u.ID = id
		return putUser(ctx, tx, u)
	})
	switch {
	case fnErr != nil:
		return stretchbot.User{}, fnErr
	case err != nil:
		return stretchbot.User{}, fmt.Errorf("update user %s: %w", id, err)
	}
	return u, nil
}

// lockUser reads the user id (defaults if new) and locks their row until
// the transaction ends.
func lockUser(ctx context.Context, tx pgx.Tx, id string) (stretchbot.User, error) {
	// Make the row exist, so that FOR UPDATE has something to lock also
	// for a new user; an empty body means "defaults". If the transaction
	// fails, the rollback takes the placeholder away again.
	if _, err := tx.Exec(ctx, `INSERT INTO users (id, body) VALUES ($1, '') ON CONFLICT (id) DO NOTHING`, id); err != nil {
		return stretchbot.User{}, err
	}
	var body []byte
	if err := tx.QueryRow(ctx, `SELECT body FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&body); err != nil {
		return stretchbot.User{}, err
	}
	if len(body) == 0 {
		return stretchbot.User{ID: id}, nil
	}
	return store.DecodeUser(id, body)
}

// putUser stores u in the row lockUser locked.
func putUser(ctx context.Context, tx pgx.Tx, u stretchbot.User) error {
	enc, err := store.EncodeUser(u)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE users SET body = $2 WHERE id = $1`, u.ID, enc)
	return err
}

// knownUser reports whether id has a users row or owns a schedule, and
// locks the row it found.
func knownUser(ctx context.Context, tx pgx.Tx, id string) (bool, error) {
	for _, q := range []string{
		`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`,
		`SELECT 1 FROM schedules WHERE owner = $1 LIMIT 1 FOR UPDATE`,
	} {
		var one int
		switch err := tx.QueryRow(ctx, q, id).Scan(&one); {
		case err == nil:
			return true, nil
		case !errors.Is(err, pgx.ErrNoRows):
			return false, err
		}
	}
	return false, nil
}

// lockSchedules takes the lock every schedule write that checks a limit
// holds until it commits: the row of the schedule ID counter. Creating
// schedules is rare next to reading them, so one lock is cheap, and it
// makes "count, then insert" exact across processes.
func lockSchedules(ctx context.Context, tx pgx.Tx, n int) (last uint64, err error) {
	err = tx.QueryRow(ctx, `UPDATE counters SET value = value + $1 WHERE name = 'schedule' RETURNING value`, n).Scan(&last)
	return last, err
}

// siblings returns the schedules stretchbot.Admit compares s with: the
// owner's, or the server's for kinds limited per server.
func siblings(ctx context.Context, tx pgx.Tx, s stretchbot.Schedule) (key string, list []stretchbot.Schedule, err error) {
	col, key := "owner", s.Owner
	if s.LimitedPerGuild() {
		col, key = "guild_id", s.GuildID
	}
	if key == "" {
		return "", nil, nil
	}
	list, err = querySchedules(ctx, tx, `SELECT id, body FROM schedules WHERE `+col+` = $1 ORDER BY id`, key)
	return col + ":" + key, list, err
}

// CreateSchedule validates s, gives it a new ID and stores it, refusing
// an owner's reminder past stretchbot.MaxSchedulesPerUser.
func (db *DB) CreateSchedule(ctx context.Context, s *stretchbot.Schedule) error {
	if err := db.CreateSchedules(ctx, []*stretchbot.Schedule{s}); err != nil {
		return fmt.Errorf("create schedule for %s: %w", s.Owner, err)
	}
	return nil
}

// CreateSchedules creates many schedules in one transaction, all or none,
// with the checks of CreateSchedule; it sets each ID.
func (db *DB) CreateSchedules(ctx context.Context, ss []*stretchbot.Schedule) error {
	for _, s := range ss {
		if err := store.ValidateSchedule(*s); err != nil {
			return err
		}
	}
	if len(ss) == 0 {
		return nil
	}
	ids := make([]uint64, len(ss))
	err := db.update(ctx, func(tx pgx.Tx) error {
		last, err := lockSchedules(ctx, tx, len(ss))
		if err != nil {
			return err
		}
		// Siblings are loaded once per owner or server and grow with
		// the batch, so a batch is held to the limits as one-by-one
		// creates would be.
		known := map[string][]stretchbot.Schedule{}
		rows := make([][]any, len(ss))
		for i, s := range ss {
			c := *s
			c.ID = 0 // new: no sibling is c itself
			key, list, err := siblings(ctx, tx, c)
			if err != nil {
				return err
			}
			if prev, ok := known[key]; ok {
				list = prev
			}
			if err := stretchbot.Admit(c, list); err != nil {
				return err
			}
			c.ID = last - uint64(len(ss)) + uint64(i) + 1
			if key != "" {
				known[key] = append(list, c)
			}
			ids[i] = c.ID
			rows[i] = []any{int64(c.ID), c.Owner, c.GuildID, int(c.Kind), store.EncodeSchedule(c)}
		}
		if len(ss) == 1 {
			_, err = tx.Exec(ctx, `INSERT INTO schedules (id, owner, guild_id, kind, body) VALUES ($1, $2, $3, $4, $5)`, rows[0]...)
		} else {
			_, err = tx.CopyFrom(ctx, pgx.Identifier{"schedules"}, []string{"id", "owner", "guild_id", "kind", "body"}, pgx.CopyFromRows(rows))
		}
		if err != nil {
			return err
		}
		return changedMany(ctx, tx, ids)
	})
	if err != nil {
		return fmt.Errorf("create %d schedules: %w", len(ss), err)
	}
	for i, s := range ss {
		s.ID = ids[i]
	}
	return nil
}

func scanSchedule(row pgx.Row) (stretchbot.Schedule, error) {
	var (
		id   int64
		body []byte
	)
	if err := row.Scan(&id, &body); err != nil {
		return stretchbot.Schedule{}, err
	}
	return store.DecodeSchedule(uint64(id), body)
}

// Schedule returns the schedule id, or an ENOTFOUND error.
func (db *DB) Schedule(ctx context.Context, id uint64) (stretchbot.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return stretchbot.Schedule{}, err
	}
	s, err := scanSchedule(db.pool.QueryRow(ctx, `SELECT id, body FROM schedules WHERE id = $1`, int64(id)))
	if errNoRows(err) {
		err = store.ScheduleNotFound(id)
	}
	if err != nil {
		return stretchbot.Schedule{}, fmt.Errorf("load schedule %d: %w", id, err)
	}
	return s, nil
}

// UpdateSchedule loads the schedule id, lets fn change it and stores it
// in one transaction; fn runs exactly once.
func (db *DB) UpdateSchedule(ctx context.Context, id uint64, fn func(*stretchbot.Schedule) error) (stretchbot.Schedule, error) {
	var (
		s     stretchbot.Schedule
		fnErr error
	)
	err := db.update(ctx, func(tx pgx.Tx) error {
		old, err := scanSchedule(tx.QueryRow(ctx, `SELECT id, body FROM schedules WHERE id = $1 FOR UPDATE`, int64(id)))
		if errNoRows(err) {
			return store.ScheduleNotFound(id)
		}
		if err != nil {
			return err
		}
		s = old
		if fnErr = fn(&s); fnErr != nil {
			return fnErr
		}
		s.ID = id
		if err := store.ValidateSchedule(s); err != nil {
			return err
		}
		if !store.SameIdentity(old, s) {
			// Take the lock creates take, so the check is exact.
			if _, err := tx.Exec(ctx, `SELECT value FROM counters WHERE name = 'schedule' FOR UPDATE`); err != nil {
				return err
			}
			_, list, err := siblings(ctx, tx, s)
			if err != nil {
				return err
			}
			if err := stretchbot.Admit(s, list); err != nil {
				return err
			}
		}
		return putSchedule(ctx, tx, s)
	})
	switch {
	case fnErr != nil:
		return stretchbot.Schedule{}, fnErr
	case err != nil:
		return stretchbot.Schedule{}, fmt.Errorf("update schedule %d: %w", id, err)
	}
	return s, nil
}

// putSchedule overwrites a stored schedule and records the change.
func putSchedule(ctx context.Context, tx pgx.Tx, s stretchbot.Schedule) error {
	_, err := tx.Exec(ctx, `UPDATE schedules SET owner = $2, guild_id = $3, kind = $4, body = $5 WHERE id = $1`,
		int64(s.ID), s.Owner, s.GuildID, int(s.Kind), store.EncodeSchedule(s))
	if err != nil {
		return err
	}
	return changed(ctx, tx, s.ID)
}

// DeleteSchedule removes the schedule with its fired markers and break
// clicks (the completions those clicks logged stay).
func (db *DB) DeleteSchedule(ctx context.Context, id uint64) error {
	err := db.update(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM schedules WHERE id = $1`, int64(id))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ScheduleNotFound(id)
		}
		return deleteScheduleRest(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("delete schedule %d: %w", id, err)
	}
	return nil
}

// deleteScheduleRest deletes what hangs off a deleted schedule.
func deleteScheduleRest(ctx context.Context, tx pgx.Tx, id uint64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM fired_last WHERE schedule_id = $1`, int64(id)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM fired_unsent WHERE schedule_id = $1`, int64(id)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM break_clicks WHERE schedule_id = $1`, int64(id)); err != nil {
		return err
	}
	return changed(ctx, tx, id)
}

// SchedulesByOwner returns every schedule of any kind owned by owner,
// ordered by ID.
func (db *DB) SchedulesByOwner(ctx context.Context, owner string) ([]stretchbot.Schedule, error) {
	if err := store.CheckID("user", owner); err != nil {
		return nil, err
	}
	out, err := querySchedules(ctx, db.pool, `SELECT id, body FROM schedules WHERE owner = $1 ORDER BY id`, owner)
	if err != nil {
		return nil, fmt.Errorf("list schedules of %s: %w", owner, err)
	}
	return out, nil
}

// SchedulesByGuild returns every schedule posted in the guild, ordered by
// ID.
func (db *DB) SchedulesByGuild(ctx context.Context, guildID string) ([]stretchbot.Schedule, error) {
	if err := store.CheckID("server", guildID); err != nil {
		return nil, err
	}
	out, err := querySchedules(ctx, db.pool, `SELECT id, body FROM schedules WHERE guild_id = $1 ORDER BY id`, guildID)
	if err != nil {
		return nil, fmt.Errorf("list schedules of server %s: %w", guildID, err)
	}
	return out, nil
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func querySchedules(ctx context.Context, q querier, sql string, args ...any) ([]stretchbot.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out := []stretchbot.Schedule{}
	for rows.Next() {
		s, err := scanSchedule(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ForEachSchedule calls fn for every schedule in ID order with its latest
// fired occurrence (zero if none), from one snapshot; this is how the
// scheduler leader arms itself. fn's error stops the scan and is returned
// unchanged.
func (db *DB) ForEachSchedule(ctx context.Context, fn func(s stretchbot.Schedule, lastFired time.Time) error) error {
	var fnErr error
	err := db.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT s.id, s.body, f.at_ns
			FROM schedules s
			LEFT JOIN fired_last f ON f.schedule_id = s.id
			ORDER BY s.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var (
			id   int64
			body []byte
			last *int64
		)
		for rows.Next() {
			if err := rows.Scan(&id, &body, &last); err != nil {
				return err
			}
			s, err := store.DecodeSchedule(uint64(id), body)
			if err != nil {
				return err
			}
			var lf time.Time
			if last != nil {
				lf = fromNS(*last)
			}
			if fnErr = fn(s, lf); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("scan schedules: %w", err)
	}
	return nil
}
