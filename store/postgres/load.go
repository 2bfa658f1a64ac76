package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// Counts says how many records of each kind a Load wrote.
type Counts struct {
	Users, Schedules, Fired, Unsettled, Completions, CheckIns, BreakClicks int
}

// Load fills an empty database with the records dump hands to its sink
// (store.DB.Dump, for stretchbot migrate), all in one transaction: every
// record arrives, or none. Schedules keep their IDs, and new ones are
// numbered after the highest. A database that already holds users or
// schedules is refused.
func (db *DB) Load(ctx context.Context, dump func(store.Sink) error) (Counts, error) {
	var n Counts
	err := db.update(ctx, func(tx pgx.Tx) error {
		n = Counts{}
		var used bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schedules) OR EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM completions)`).Scan(&used); err != nil {
			return err
		}
		if used {
			return fmt.Errorf("the database %s already holds records: load into an empty one", db.name)
		}
		l := &loader{ctx: ctx, tx: tx, n: &n, tables: map[string]*copyBuf{}}
		if err := dump(l); err != nil {
			return err
		}
		if err := l.flushAll(); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE counters SET value = GREATEST($1, (SELECT COALESCE(MAX(id), 0) FROM schedules)) WHERE name = 'schedule'`, int64(l.sequence))
		return err
	})
	if err != nil {
		return Counts{}, fmt.Errorf("load into %s: %w", db.name, err)
	}
	return n, nil
}

// loader is the store.Sink that copies records into the tables in chunks.
type loader struct {
	ctx      context.Context
	tx       pgx.Tx
	n        *Counts
	tables   map[string]*copyBuf
	order    []string
	sequence uint64
}

type copyBuf struct {
	cols []string
	rows [][]any
}

const loadChunk = 5000

func (l *loader) add(table string, cols []string, row ...any) error {
	b := l.tables[table]
	if b == nil {
		b = &copyBuf{cols: cols}
		l.tables[table] = b
		l.order = append(l.order, table)
	}
	b.rows = append(b.rows, row)
	if len(b.rows) >= loadChunk {
		return l.flush(table)
	}
	return nil
}

func (l *loader) flush(table string) error {
	b := l.tables[table]
	if len(b.rows) == 0 {
		return nil
	}
	_, err := l.tx.CopyFrom(l.ctx, pgx.Identifier{table}, b.cols, pgx.CopyFromRows(b.rows))
	b.rows = b.rows[:0]
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}

func (l *loader) flushAll() error {
	for _, t := range l.order {
		if err := l.flush(t); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) ScheduleSequence(last uint64) error {
	l.sequence = last
	return nil
}

func (l *loader) User(u stretchbot.User) error {
	if err := store.CheckID("user", u.ID); err != nil {
		return err
	}
	body, err := store.EncodeUser(u)
	if err != nil {
		return err
	}
	l.n.Users++
	return l.add("users", []string{"id", "body"}, u.ID, body)
}

func (l *loader) Schedule(s stretchbot.Schedule, lastFired time.Time) error {
	l.n.Schedules++
	if err := l.add("schedules", []string{"id", "owner", "guild_id", "kind", "body"},
		int64(s.ID), s.Owner, s.GuildID, int(s.Kind), store.EncodeSchedule(s)); err != nil {
		return err
	}
	if lastFired.IsZero() {
		return nil
	}
	l.n.Fired++
	return l.add("fired_last", []string{"schedule_id", "at_ns"}, int64(s.ID), ns(lastFired))
}

func (l *loader) Unsettled(f stretchbot.Fired) error {
	l.n.Unsettled++
	return l.add("fired_unsent", []string{"schedule_id", "at_ns", "sent_ns"}, int64(f.ScheduleID), ns(f.At), ns(f.Sent))
}

func (l *loader) Completion(c stretchbot.Completion) error {
	l.n.Completions++
	return l.add("completions", []string{"user_id", "at_ns", "stretch_id", "source"}, c.UserID, ns(c.At), c.StretchID, string(c.Source))
}

func (l *loader) CheckIn(r stretchbot.CheckInRecord) error {
	l.n.CheckIns++
	return l.add("checkins", []string{"user_id", "at_ns", "age", "pain", "tier", "rule_version"}, r.UserID, ns(r.At), int(r.Age), r.Pain, int(r.Tier), r.RuleVersion)
}

func (l *loader) BreakClick(c store.BreakClick) error {
	l.n.BreakClicks++
	return l.add("break_clicks", []string{"schedule_id", "occurrence_ns", "user_id", "at_ns"}, int64(c.ScheduleID), ns(c.Occurrence), c.UserID, ns(c.At))
}
