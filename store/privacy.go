package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"time"

	"github.com/stretchbot/stretchbot"
	bolt "go.etcd.io/bbolt"
)

// ExportSchema is the version of the Export format. It changes only when
// a field is renamed or removed or changes meaning; new fields may appear
// without a bump.
const ExportSchema = 2

// Export is everything the database holds about one user, as given to
// them by `/stretch privacy export`. Its JSON form is the file they get:
//
//	{
//	  "schema": 2,                       // ExportSchema
//	  "user_id": "123456789012345678",
//	  "settings": {...} | null,          // ExportSettings; null if none are stored
//	  "schedules": [...],                // ExportSchedule: every schedule they own
//	  "completions": [...],              // ExportCompletion, oldest first
//	  "check_ins": [...],                // ExportCheckIn, oldest first
//	  "break_clicks": [...]              // ExportBreakClick, by break then occurrence
//	}
//
// Times are RFC 3339 in UTC. Lists are empty, never null.
type Export struct {
	Schema      int                `json:"schema"`
	UserID      string             `json:"user_id"`
	Settings    *ExportSettings    `json:"settings"`
	Schedules   []ExportSchedule   `json:"schedules"`
	Completions []ExportCompletion `json:"completions"`
	CheckIns    []ExportCheckIn    `json:"check_ins"`
	BreakClicks []ExportBreakClick `json:"break_clicks"`
}

// ExportSettings is a user's stored settings (stretchbot.User).
type ExportSettings struct {
	TimeZone            string          `json:"time_zone"`
	Paused              string          `json:"paused"`       // "", "user", "checkin" or "dm"
	PausedUntil         time.Time       `json:"paused_until"` // zero: until resumed
	Profile             *ExportProfile  `json:"check_in_profile"`
	LastInflammatoryAsk time.Time       `json:"last_inflammatory_question"`
	DMChannelID         string          `json:"dm_channel_id"`
	Notice              string          `json:"pending_notice"`
	Recent              []string        `json:"recent_stretches"` // newest last
	Equipment           []string        `json:"equipment_you_have"`
	Quiet               *ExportQuiet    `json:"quiet_hours"` // null: none
	Away                []ExportAway    `json:"away"`        // oldest first
	Progress            *ExportProgress `json:"progress"`    // null: not summed up yet
	Language            string          `json:"language"`    // Discord locale code; "" until known
}

// ExportAway is a run of days the user said they were away (their local
// dates, both included).
type ExportAway struct {
	From  string `json:"from"`  // "2026-03-10"
	Until string `json:"until"` // "2026-03-12"
}

// ExportProgress is the summary of the user's completions that /stretch
// done and /stretch stats show.
type ExportProgress struct {
	Total        int            `json:"total"`
	PerStretch   map[string]int `json:"per_stretch"` // "" for stretches logged without a name
	BestStreak   int            `json:"best_streak_days"`
	LastRun      int            `json:"streak_days_up_to_last_day"`
	LastDay      string         `json:"last_day"` // your local date of the latest completion
	LastDayCount int            `json:"completions_on_last_day"`
}

// ExportQuiet is a user's quiet hours, in their time zone.
type ExportQuiet struct {
	From   string `json:"from"` // "22:00"
	To     string `json:"to"`   // "07:00"
	Silent bool   `json:"silent"`
}

// ExportFilter is what a reminder's stretches are chosen from; empty
// means the default.
type ExportFilter struct {
	Position  string `json:"position"`  // "", floor, bed, chair or standing
	Equipment string `json:"equipment"` // "" (what you have), none, strap, ball, chair or all
	SpasmSafe bool   `json:"spasm_safe"`
}

// ExportProfile is the remembered part of the check-in.
type ExportProfile struct {
	AgeBand  int  `json:"age_band"` // 0 under 16, 1 16–49, 2 50–64, 3 65 or over
	BoneRisk bool `json:"bone_risk"`
}

// ExportSchedule is one schedule the user owns.
type ExportSchedule struct {
	ID        uint64       `json:"id"`
	Kind      string       `json:"kind"` // "reminder", "once", "break", "snooze" or "checkin"
	GuildID   string       `json:"guild_id,omitempty"`
	ChannelID string       `json:"channel_id,omitempty"` // empty: by DM
	Spec      string       `json:"cron_spec,omitempty"`
	At        time.Time    `json:"at"` // one-shot schedules; zero otherwise
	TimeZone  string       `json:"time_zone"`
	Paused    bool         `json:"paused"`
	Created   time.Time    `json:"created"`
	Filter    ExportFilter `json:"filter"`
	Language  string       `json:"language,omitempty"` // a stretch break's: the server's language
	// LastDue and Sending are the schedule's fired markers, the
	// scheduler's guard against sending a reminder twice: when it was last
	// due (sent or skipped; zero if never), and the sends Discord has not
	// yet confirmed.
	LastDue time.Time    `json:"last_due"`
	Sending []ExportSend `json:"sending"`
}

// ExportSend is one occurrence of a schedule being sent, not yet confirmed
// by Discord.
type ExportSend struct {
	Due  time.Time `json:"due"`
	Sent time.Time `json:"sent"`
}

// ExportCompletion is one stretch the user did.
type ExportCompletion struct {
	At        time.Time `json:"at"`
	StretchID string    `json:"stretch_id,omitempty"`
	Source    string    `json:"source"` // "button", "manual" or "break"
}

// ExportCheckIn is one stored check-in: only what CHECKIN.md allows.
type ExportCheckIn struct {
	At          time.Time `json:"at"`
	AgeBand     int       `json:"age_band"`
	Pain        int       `json:"pain"`
	Tier        int       `json:"tier"` // 0 keep stretching, 1 see a doctor soon, 2 today, 3 emergency
	RuleVersion string    `json:"rule_version"`
}

// ExportBreakClick is one "I did it" click on a channel break.
type ExportBreakClick struct {
	ScheduleID uint64    `json:"break_id"`
	Occurrence time.Time `json:"occurrence"`
	At         time.Time `json:"clicked_at"`
}

// Export gathers every record about the user in one read transaction.
func (db *DB) Export(ctx context.Context, userID string) (Export, error) {
	if err := checkID("user", userID); err != nil {
		return Export{}, err
	}
	ex := Export{Schema: ExportSchema, UserID: userID}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketUsers).Get([]byte(userID)) != nil {
			u, err := getUser(tx, userID)
			if err != nil {
				return err
			}
			ex.Settings = exportSettings(u)
		}
		list, err := schedulesByIndex(tx, bucketByOwner, userID)
		if err != nil {
			return err
		}
		ex.Schedules = make([]ExportSchedule, 0, len(list))
		for _, s := range list {
			es, err := exportFired(tx, exportSchedule(s))
			if err != nil {
				return err
			}
			ex.Schedules = append(ex.Schedules, es)
		}
		ex.Completions = []ExportCompletion{}
		err = scanUserTimes(tx.Bucket(bucketCompletions), userID, time.Time{}, time.Time{}, func(at time.Time, v []byte) error {
			d := newDec("completion", v)
			c := ExportCompletion{At: at, StretchID: d.str(), Source: d.str()}
			ex.Completions = append(ex.Completions, c)
			return d.err
		})
		if err != nil {
			return err
		}
		ex.CheckIns = []ExportCheckIn{}
		err = scanUserTimes(tx.Bucket(bucketCheckIns), userID, time.Time{}, time.Time{}, func(at time.Time, v []byte) error {
			d := newDec("check-in", v)
			r := ExportCheckIn{At: at, AgeBand: int(d.varint()), Pain: int(d.varint()), Tier: int(d.varint()), RuleVersion: d.str()}
			ex.CheckIns = append(ex.CheckIns, r)
			return d.err
		})
		if err != nil {
			return err
		}
		ex.BreakClicks = []ExportBreakClick{}
		clicks := tx.Bucket(bucketBreakClicks)
		prefix := lp(userID)
		c := tx.Bucket(bucketClicksByUser).Cursor()
		for k, _ := c.Seek(prefix); hasPrefixKey(k, prefix); k, _ = c.Next() {
			if len(k) != len(prefix)+16 {
				return fmt.Errorf("%w: bad break click index key", ErrCorrupt)
			}
			occ := k[len(prefix):]
			at := clicks.Get(append(bytes.Clone(occ), prefix...))
			bc := ExportBreakClick{ScheduleID: binary.BigEndian.Uint64(occ), Occurrence: timeFromKey(occ[8:])}
			if len(at) == 8 {
				bc.At = timeFromKey(at)
			}
			ex.BreakClicks = append(ex.BreakClicks, bc)
		}
		return nil
	})
	if err != nil {
		return Export{}, fmt.Errorf("export user %s: %w", userID, err)
	}
	return ex, nil
}

// ExportJSON returns Export(userID) as indented JSON, the file a user gets
// from /stretch privacy export (schema in docs/privacy.md).
func (db *DB) ExportJSON(ctx context.Context, userID string) ([]byte, error) {
	ex, err := db.Export(ctx, userID)
	if err != nil {
		return nil, err
	}
	return MarshalExport(ex)
}

// Forget deletes every record of the user in one transaction and returns
// the IDs of the schedules it deleted (so the scheduler can disarm them):
//
//   - their settings;
//   - every schedule they own (reminders, snoozes, check-in reminders) with
//     its indexes and fired markers;
//   - their completions and check-ins;
//   - their break clicks, and each click is taken off its occurrence's count.
//
// Channel breaks they set up for a server are not theirs alone: the server
// keeps them (deleting them would let one member's privacy request remove
// something the whole server uses, and a break holds nothing personal
// but its creator). Forget only blanks such a break's Owner, so the break
// keeps firing, no longer names them, and is not in deletedScheduleIDs.
// An ownerless break stays valid for UpdateSchedule.
//
// Afterwards no key or value in any bucket contains the user ID, and the
// pages that held their records are overwritten with zeros
// (ScrubFreePages), so nothing of them can be read back from the file
// either; should that step fail, the bot's sweeper repeats it within
// hours. Deliveries write through UpdateKnownUser, so one in flight cannot
// store the user again; a click of their own in flight may.
func (db *DB) Forget(ctx context.Context, userID string) (deletedScheduleIDs []uint64, err error) {
	if err := checkID("user", userID); err != nil {
		return nil, err
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		deletedScheduleIDs = nil
		if err := tx.Bucket(bucketUsers).Delete([]byte(userID)); err != nil {
			return err
		}
		list, err := schedulesByIndex(tx, bucketByOwner, userID)
		if err != nil {
			return err
		}
		for _, s := range list {
			if s.Kind == stretchbot.KindBreak {
				old := s
				s.Owner = ""
				if err := putSchedule(tx, s, &old); err != nil {
					return err
				}
				continue
			}
			if err := deleteSchedule(tx, s); err != nil {
				return err
			}
			deletedScheduleIDs = append(deletedScheduleIDs, s.ID)
		}
		prefix := lp(userID)
		if err := deletePrefix(tx.Bucket(bucketCompletions), prefix); err != nil {
			return err
		}
		if err := deletePrefix(tx.Bucket(bucketCheckIns), prefix); err != nil {
			return err
		}
		clicks := tx.Bucket(bucketBreakClicks)
		counts := tx.Bucket(bucketBreakCounts)
		byUser := tx.Bucket(bucketClicksByUser)
		var occs [][]byte
		c := byUser.Cursor()
		for k, _ := c.Seek(prefix); hasPrefixKey(k, prefix); k, _ = c.Next() {
			if len(k) == len(prefix)+16 {
				occs = append(occs, bytes.Clone(k[len(prefix):]))
			}
		}
		for _, occ := range occs {
			if err := clicks.Delete(append(bytes.Clone(occ), prefix...)); err != nil {
				return err
			}
			switch n := readCount(counts.Get(occ)); {
			case n > 1:
				err = counts.Put(occ, binary.BigEndian.AppendUint32(nil, n-1))
			default:
				err = counts.Delete(occ)
			}
			if err != nil {
				return err
			}
		}
		return deletePrefix(byUser, prefix)
	})
	if err != nil {
		return nil, fmt.Errorf("forget user %s: %w", userID, err)
	}
	// Best effort: the deletion above stands either way, and the sweeper
	// scrubs again.
	_, _ = db.ScrubFreePages(context.WithoutCancel(ctx))
	return deletedScheduleIDs, nil
}

// exportSettings is the export form of stored settings.
func exportSettings(u stretchbot.User) *ExportSettings {
	st := &ExportSettings{
		TimeZone: u.TimeZone, Paused: string(u.Paused), PausedUntil: u.PausedUntil.UTC(),
		LastInflammatoryAsk: u.LastInflammatoryAsk.UTC(), DMChannelID: u.DMChannelID,
		Notice: u.Notice, Recent: append([]string{}, u.Recent...), Equipment: []string{},
		Language: u.Locale,
	}
	for _, e := range u.Equipment {
		st.Equipment = append(st.Equipment, string(e))
	}
	if q := u.Quiet; q != nil {
		st.Quiet = &ExportQuiet{From: stretchbot.Clock(q.From), To: stretchbot.Clock(q.To), Silent: q.Silent}
	}
	if u.Profile != nil {
		st.Profile = &ExportProfile{AgeBand: int(u.Profile.Age), BoneRisk: u.Profile.BoneRisk}
	}
	st.Away = []ExportAway{}
	for _, a := range u.Away {
		st.Away = append(st.Away, ExportAway{From: a.From.String(), Until: a.Until.String()})
	}
	if p := u.Progress; p != nil {
		st.Progress = &ExportProgress{Total: p.Total, PerStretch: map[string]int{}, BestStreak: p.Best, LastRun: p.Run, LastDay: p.Last.String(), LastDayCount: p.LastCount}
		maps.Copy(st.Progress.PerStretch, p.PerStretch)
	}
	return st
}

// exportSchedule is the export form of a schedule, without its fired
// markers (the backend adds those).
func exportSchedule(s stretchbot.Schedule) ExportSchedule {
	return ExportSchedule{
		ID: s.ID, Kind: s.Kind.String(), GuildID: s.GuildID, ChannelID: s.ChannelID,
		Spec: s.Spec, At: s.At, TimeZone: s.TimeZone, Paused: s.Paused, Created: s.Created,
		Filter:   ExportFilter{Position: string(s.Filter.Position), Equipment: string(s.Filter.Equipment), SpasmSafe: s.Filter.SpasmSafe},
		Language: s.Locale,
		Sending:  []ExportSend{},
	}
}

// exportFired adds the schedule's fired markers to its export form.
func exportFired(tx *bolt.Tx, es ExportSchedule) (ExportSchedule, error) {
	id := u64(es.ID)
	if v := tx.Bucket(bucketFiredLast).Get(id); len(v) == 8 {
		es.LastDue = timeFromKey(v)
	}
	c := tx.Bucket(bucketFiredUnsent).Cursor()
	for k, v := c.Seek(id); hasPrefixKey(k, id); k, v = c.Next() {
		if len(k) != 16 || len(v) != 8 {
			return es, fmt.Errorf("%w: bad undelivered occurrence %x", ErrCorrupt, k)
		}
		es.Sending = append(es.Sending, ExportSend{Due: timeFromKey(k[8:]), Sent: timeFromKey(v)})
	}
	return es, nil
}
