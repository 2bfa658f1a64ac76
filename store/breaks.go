package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
	bolt "go.etcd.io/bbolt"
)

// RecordBreakClick records that userID clicked "I did it" at `at` on the
// occurrence of the break scheduleID due at `occurrence`. A user counts
// once per occurrence: counted is false for a repeated click. When
// counted, a Completion{Source: SourceBreak} is added for the user in the
// same transaction. total is the occurrence's click count afterwards. It
// returns ENOTFOUND when the schedule does not exist and EINVALID when it
// is not a break. Concurrent clicks share commits (bbolt Batch).
func (db *DB) RecordBreakClick(ctx context.Context, scheduleID uint64, occurrence time.Time, userID string, at time.Time) (counted bool, total int, err error) {
	if err := checkID("user", userID); err != nil {
		return false, 0, err
	}
	if err := checkTime("occurrence", occurrence); err != nil {
		return false, 0, err
	}
	if err := checkTime("click", at); err != nil {
		return false, 0, err
	}
	err = db.batch(ctx, func(tx *bolt.Tx) error {
		// Batch may run this twice: reset what the first run set.
		counted, total = false, 0
		s, err := getSchedule(tx, scheduleID)
		if err != nil {
			return err
		}
		if s.Kind != stretchbot.KindBreak {
			return notABreak()
		}
		occ := appendTime(u64(scheduleID), occurrence)
		clickKey := append(append([]byte(nil), occ...), lp(userID)...)
		counts := tx.Bucket(bucketBreakCounts)
		total = int(readCount(counts.Get(occ)))
		clicks := tx.Bucket(bucketBreakClicks)
		if clicks.Get(clickKey) != nil {
			return nil
		}
		if err := clicks.Put(clickKey, appendTime(nil, at)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketClicksByUser).Put(append(lp(userID), occ...), nil); err != nil {
			return err
		}
		total++
		if err := counts.Put(occ, binary.BigEndian.AppendUint32(nil, uint32(total))); err != nil {
			return err
		}
		counted = true
		return addCompletion(tx, stretchbot.Completion{UserID: userID, At: at, Source: stretchbot.SourceBreak})
	})
	if err != nil {
		return false, 0, fmt.Errorf("record break click on schedule %d: %w", scheduleID, err)
	}
	return counted, total, nil
}

// BreakStats returns, for every break schedule of the guild, how many of
// its occurrences got clicks and how many clicks they got in all. Breaks
// without clicks are present with zero counts. Counts only: who clicked is
// personal and stays out of server-wide statistics.
func (db *DB) BreakStats(ctx context.Context, guildID string) (map[uint64]stretchbot.BreakCount, error) {
	if err := checkID("server", guildID); err != nil {
		return nil, err
	}
	out := map[uint64]stretchbot.BreakCount{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		clear(out)
		list, err := schedulesByIndex(tx, bucketByGuild, guildID)
		if err != nil {
			return err
		}
		c := tx.Bucket(bucketBreakCounts).Cursor()
		for _, s := range list {
			if s.Kind != stretchbot.KindBreak {
				continue
			}
			var st stretchbot.BreakCount
			prefix := u64(s.ID)
			for k, v := c.Seek(prefix); hasPrefixKey(k, prefix); k, v = c.Next() {
				if n := readCount(v); n > 0 {
					st.Occurrences++
					st.Clicks += int(n)
				}
			}
			out[s.ID] = st
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("break stats of server %s: %w", guildID, err)
	}
	return out, nil
}

func readCount(v []byte) uint32 {
	if len(v) != 4 {
		return 0
	}
	return binary.BigEndian.Uint32(v)
}

func notABreak() error {
	return stretchbot.Errorf(stretchbot.EINVALID, "That button belongs to a reminder that is not a stretch break.")
}
