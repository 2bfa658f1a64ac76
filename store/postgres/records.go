package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// AddCompletion stores one stretch a user did, counts it in their
// Progress and moves their rotation past it, in one transaction.
func (db *DB) AddCompletion(ctx context.Context, c stretchbot.Completion) error {
	if err := store.CheckID("user", c.UserID); err != nil {
		return err
	}
	if err := store.CheckTime("completion", c.At); err != nil {
		return err
	}
	err := db.update(ctx, func(tx pgx.Tx) error { return insertCompletion(ctx, tx, c) })
	if err != nil {
		return fmt.Errorf("add completion for %s: %w", c.UserID, err)
	}
	return nil
}

// insertCompletion stores c, counts it in its user's Progress and moves
// their rotation past its stretch.
func insertCompletion(ctx context.Context, tx pgx.Tx, c stretchbot.Completion) error {
	if _, err := tx.Exec(ctx, `INSERT INTO completions (user_id, at_ns, stretch_id, source) VALUES ($1, $2, $3, $4)`,
		c.UserID, ns(c.At), c.StretchID, string(c.Source)); err != nil {
		return err
	}
	u, err := lockUser(ctx, tx, c.UserID)
	if err != nil {
		return err
	}
	if c.StretchID != "" {
		u.Remember(c.StretchID)
	}
	// A user without a summary has completions from before summaries
	// existed (or none): build it from the history, this once.
	if u.Progress == nil || !u.Progress.Add(c, stretchbot.DayOf(c.At, u.Location()), u.Away) {
		history, err := completionsIn(ctx, tx, c.UserID, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		p := stretchbot.BuildProgress(history, u.Location(), u.Away)
		u.Progress = &p
	}
	return putUser(ctx, tx, u)
}

// Completions returns the user's completions with from <= At < to, oldest
// first; a zero bound is open.
func (db *DB) Completions(ctx context.Context, userID string, from, to time.Time) ([]stretchbot.Completion, error) {
	if err := store.CheckID("user", userID); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, err := completionsIn(ctx, db.pool, userID, from, to)
	if err != nil {
		return nil, fmt.Errorf("list completions of %s: %w", userID, err)
	}
	return out, nil
}

func completionsIn(ctx context.Context, q querier, userID string, from, to time.Time) ([]stretchbot.Completion, error) {
	lo, hi := bounds(from, to)
	rows, err := q.Query(ctx, `SELECT at_ns, stretch_id, source FROM completions
		WHERE user_id = $1 AND at_ns >= $2 AND at_ns < $3 ORDER BY at_ns, seq`, userID, lo, hi)
	if err != nil {
		return nil, err
	}
	var out []stretchbot.Completion
	var (
		at              int64
		stretch, source string
	)
	_, err = pgx.ForEachRow(rows, []any{&at, &stretch, &source}, func() error {
		out = append(out, stretchbot.Completion{UserID: userID, At: fromNS(at), StretchID: stretch, Source: stretchbot.CompletionSource(source)})
		return nil
	})
	return out, err
}

// AddCheckIn stores the minimum a check-in may keep.
func (db *DB) AddCheckIn(ctx context.Context, r stretchbot.CheckInRecord) error {
	if err := store.CheckID("user", r.UserID); err != nil {
		return err
	}
	if err := store.CheckTime("check-in", r.At); err != nil {
		return err
	}
	err := db.exec(ctx, `INSERT INTO checkins (user_id, at_ns, age, pain, tier, rule_version) VALUES ($1, $2, $3, $4, $5, $6)`,
		r.UserID, ns(r.At), int(r.Age), r.Pain, int(r.Tier), r.RuleVersion)
	if err != nil {
		return fmt.Errorf("add check-in for %s: %w", r.UserID, err)
	}
	return nil
}

// CheckIns returns every stored check-in of the user, oldest first.
func (db *DB) CheckIns(ctx context.Context, userID string) ([]stretchbot.CheckInRecord, error) {
	if err := store.CheckID("user", userID); err != nil {
		return nil, err
	}
	out, err := checkIns(ctx, db.pool, userID)
	if err != nil {
		return nil, fmt.Errorf("list check-ins of %s: %w", userID, err)
	}
	return out, nil
}

func checkIns(ctx context.Context, q querier, userID string) ([]stretchbot.CheckInRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT at_ns, age, pain, tier, rule_version FROM checkins WHERE user_id = $1 ORDER BY at_ns, seq`, userID)
	if err != nil {
		return nil, err
	}
	var (
		out             []stretchbot.CheckInRecord
		at              int64
		age, pain, tier int
		rules           string
	)
	_, err = pgx.ForEachRow(rows, []any{&at, &age, &pain, &tier, &rules}, func() error {
		out = append(out, stretchbot.CheckInRecord{UserID: userID, At: fromNS(at), Age: stretchbot.AgeBand(age), Pain: pain, Tier: stretchbot.Tier(tier), RuleVersion: rules})
		return nil
	})
	return out, err
}

// PruneCheckIns deletes every check-in with At strictly before `before`
// and returns how many.
func (db *DB) PruneCheckIns(ctx context.Context, before time.Time) (int, error) {
	n, err := db.deleteChunked(ctx, `DELETE FROM checkins WHERE (user_id, at_ns, seq) IN
		(SELECT user_id, at_ns, seq FROM checkins WHERE at_ns < $1 LIMIT 10000)`, ns(before))
	if err != nil {
		return n, fmt.Errorf("prune check-ins: %w", err)
	}
	return n, nil
}

// deleteChunked runs a DELETE that removes at most a chunk per
// transaction until it removes nothing, so a big prune never holds many
// row locks at once.
func (db *DB) deleteChunked(ctx context.Context, sql string, args ...any) (int, error) {
	total := 0
	for {
		var n int64
		err := db.update(ctx, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, sql, args...)
			n = tag.RowsAffected()
			return err
		})
		if err != nil {
			return total, err
		}
		total += int(n)
		if n == 0 {
			return total, nil
		}
	}
}

// RecordBreakClick records userID's "I did it" on one occurrence of the
// break scheduleID, once per user and occurrence; a counted click is also
// a completion. total is the occurrence's click count afterwards.
func (db *DB) RecordBreakClick(ctx context.Context, scheduleID uint64, occurrence time.Time, userID string, at time.Time) (counted bool, total int, err error) {
	if err := store.CheckID("user", userID); err != nil {
		return false, 0, err
	}
	if err := store.CheckTime("occurrence", occurrence); err != nil {
		return false, 0, err
	}
	if err := store.CheckTime("click", at); err != nil {
		return false, 0, err
	}
	err = db.update(ctx, func(tx pgx.Tx) error {
		counted, total = false, 0
		var kind int
		err := tx.QueryRow(ctx, `SELECT kind FROM schedules WHERE id = $1`, int64(scheduleID)).Scan(&kind)
		if errNoRows(err) {
			return store.ScheduleNotFound(scheduleID)
		}
		if err != nil {
			return err
		}
		if stretchbot.ScheduleKind(kind) != stretchbot.KindBreak {
			return store.NotABreak()
		}
		tag, err := tx.Exec(ctx, `INSERT INTO break_clicks (schedule_id, occurrence_ns, user_id, at_ns) VALUES ($1, $2, $3, $4)
			ON CONFLICT (schedule_id, occurrence_ns, user_id) DO NOTHING`, int64(scheduleID), ns(occurrence), userID, ns(at))
		if err != nil {
			return err
		}
		if counted = tag.RowsAffected() == 1; counted {
			if err := insertCompletion(ctx, tx, stretchbot.Completion{UserID: userID, At: at, Source: stretchbot.SourceBreak}); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM break_clicks WHERE schedule_id = $1 AND occurrence_ns = $2`,
			int64(scheduleID), ns(occurrence)).Scan(&total)
	})
	if err != nil {
		return false, 0, fmt.Errorf("record break click on schedule %d: %w", scheduleID, err)
	}
	return counted, total, nil
}

// BreakStats returns, for every break of the guild, how many of its
// occurrences got clicks and how many clicks they got; counts only.
func (db *DB) BreakStats(ctx context.Context, guildID string) (map[uint64]stretchbot.BreakCount, error) {
	if err := store.CheckID("server", guildID); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, `
		SELECT s.id, COUNT(DISTINCT c.occurrence_ns), COUNT(c.user_id)
		FROM schedules s LEFT JOIN break_clicks c ON c.schedule_id = s.id
		WHERE s.guild_id = $1 AND s.kind = $2
		GROUP BY s.id`, guildID, int(stretchbot.KindBreak))
	if err != nil {
		return nil, fmt.Errorf("break stats of server %s: %w", guildID, err)
	}
	out := map[uint64]stretchbot.BreakCount{}
	var id int64
	var occ, clicks int
	_, err = pgx.ForEachRow(rows, []any{&id, &occ, &clicks}, func() error {
		out[uint64(id)] = stretchbot.BreakCount{Occurrences: occ, Clicks: clicks}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("break stats of server %s: %w", guildID, err)
	}
	return out, nil
}

// Export gathers every record about the user from one snapshot.
func (db *DB) Export(ctx context.Context, userID string) (store.Export, error) {
	if err := store.CheckID("user", userID); err != nil {
		return store.Export{}, err
	}
	ex := store.Export{Schema: store.ExportSchema, UserID: userID}
	err := db.view(ctx, func(tx pgx.Tx) error {
		ex.Settings = nil
		var body []byte
		err := tx.QueryRow(ctx, `SELECT body FROM users WHERE id = $1`, userID).Scan(&body)
		switch {
		case errNoRows(err):
		case err != nil:
			return err
		case len(body) > 0:
			u, err := store.DecodeUser(userID, body)
			if err != nil {
				return err
			}
			ex.Settings = store.ExportSettingsOf(u)
		}
		list, err := querySchedules(ctx, tx, `SELECT id, body FROM schedules WHERE owner = $1 ORDER BY id`, userID)
		if err != nil {
			return err
		}
		ex.Schedules = make([]store.ExportSchedule, 0, len(list))
		index := make(map[uint64]int, len(list))
		for _, s := range list {
			index[s.ID] = len(ex.Schedules)
			ex.Schedules = append(ex.Schedules, store.ExportScheduleOf(s))
		}
		if err := exportFired(ctx, tx, userID, ex.Schedules, index); err != nil {
			return err
		}
		ex.Completions = []store.ExportCompletion{}
		rows, err := tx.Query(ctx, `SELECT at_ns, stretch_id, source FROM completions WHERE user_id = $1 ORDER BY at_ns, seq`, userID)
		if err != nil {
			return err
		}
		var c store.ExportCompletion
		var at int64
		if _, err := pgx.ForEachRow(rows, []any{&at, &c.StretchID, &c.Source}, func() error {
			c.At = fromNS(at)
			ex.Completions = append(ex.Completions, c)
			return nil
		}); err != nil {
			return err
		}
		ins, err := checkIns(ctx, tx, userID)
		if err != nil {
			return err
		}
		ex.CheckIns = make([]store.ExportCheckIn, 0, len(ins))
		for _, r := range ins {
			ex.CheckIns = append(ex.CheckIns, store.ExportCheckIn{At: r.At, AgeBand: int(r.Age), Pain: r.Pain, Tier: int(r.Tier), RuleVersion: r.RuleVersion})
		}
		ex.BreakClicks = []store.ExportBreakClick{}
		rows, err = tx.Query(ctx, `SELECT schedule_id, occurrence_ns, at_ns FROM break_clicks WHERE user_id = $1 ORDER BY schedule_id, occurrence_ns`, userID)
		if err != nil {
			return err
		}
		var id, occ int64
		_, err = pgx.ForEachRow(rows, []any{&id, &occ, &at}, func() error {
			ex.BreakClicks = append(ex.BreakClicks, store.ExportBreakClick{ScheduleID: uint64(id), Occurrence: fromNS(occ), At: fromNS(at)})
			return nil
		})
		return err
	})
	if err != nil {
		return store.Export{}, fmt.Errorf("export user %s: %w", userID, err)
	}
	return ex, nil
}

// exportFired adds the fired markers of the user's schedules to their
// export forms (list; index maps each schedule ID to its place in it).
func exportFired(ctx context.Context, tx pgx.Tx, userID string, list []store.ExportSchedule, index map[uint64]int) error {
	rows, err := tx.Query(ctx, `SELECT f.schedule_id, f.at_ns FROM fired_last f JOIN schedules s ON s.id = f.schedule_id WHERE s.owner = $1`, userID)
	if err != nil {
		return err
	}
	var id, due, sent int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &due}, func() error {
		if i, ok := index[uint64(id)]; ok {
			list[i].LastDue = fromNS(due)
		}
		return nil
	}); err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT f.schedule_id, f.at_ns, f.sent_ns FROM fired_unsent f JOIN schedules s ON s.id = f.schedule_id WHERE s.owner = $1 ORDER BY f.schedule_id, f.at_ns`, userID)
	if err != nil {
		return err
	}
	_, err = pgx.ForEachRow(rows, []any{&id, &due, &sent}, func() error {
		if i, ok := index[uint64(id)]; ok {
			list[i].Sending = append(list[i].Sending, store.ExportSend{Due: fromNS(due), Sent: fromNS(sent)})
		}
		return nil
	})
	return err
}

// ExportJSON returns Export(userID) as the file a user gets.
func (db *DB) ExportJSON(ctx context.Context, userID string) ([]byte, error) {
	ex, err := db.Export(ctx, userID)
	if err != nil {
		return nil, err
	}
	return store.MarshalExport(ex)
}

// Forget deletes every record of the user in one transaction and returns
// the IDs of the schedules it deleted. Channel breaks they set up stay
// with the server and lose their owner, as in the bbolt store.
func (db *DB) Forget(ctx context.Context, userID string) (deletedScheduleIDs []uint64, err error) {
	if err := store.CheckID("user", userID); err != nil {
		return nil, err
	}
	err = db.update(ctx, func(tx pgx.Tx) error {
		deletedScheduleIDs = nil
		if _, err := tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, userID); err != nil {
			return err
		}
		list, err := querySchedules(ctx, tx, `SELECT id, body FROM schedules WHERE owner = $1 ORDER BY id FOR UPDATE`, userID)
		if err != nil {
			return err
		}
		for _, s := range list {
			if s.Kind == stretchbot.KindBreak {
				s.Owner = ""
				if err := putSchedule(ctx, tx, s); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.Exec(ctx, `DELETE FROM schedules WHERE id = $1`, int64(s.ID)); err != nil {
				return err
			}
			if err := deleteScheduleRest(ctx, tx, s.ID); err != nil {
				return err
			}
			deletedScheduleIDs = append(deletedScheduleIDs, s.ID)
		}
		for _, q := range []string{
			`DELETE FROM completions WHERE user_id = $1`,
			`DELETE FROM checkins WHERE user_id = $1`,
			`DELETE FROM break_clicks WHERE user_id = $1`,
			// Again, after the schedules: an UpdateKnownUser that locked
			// one of them before this transaction may have added the row
			// meanwhile.
			`DELETE FROM users WHERE id = $1`,
		} {
			if _, err := tx.Exec(ctx, q, userID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("forget user %s: %w", userID, err)
	}
	return deletedScheduleIDs, nil
}
