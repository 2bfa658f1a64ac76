// Package benchdata writes the realistic data the benchmarks share: many
// people with several schedules each, in ten time zones whose daylight
// saving rules differ, the way stretchbot's users set them.
package benchdata

import (
	"context"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/store"
)

// Zones are the ten zones of the benchmarks: both hemispheres, half-hour
// and 45-minute offsets, a 30-minute DST shift (Lord Howe), none (Kolkata,
// UTC) and a zone that skipped a day (Apia).
var Zones = []string{
	"America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney",
	"Australia/Lord_Howe", "America/St_Johns", "Asia/Kolkata",
	"America/Santiago", "Pacific/Apia", "UTC",
}

// PerPerson is how many reminders each person has.
const PerPerson = 3

var days = []string{"*", "1-5", "0,6"}

// Schedule returns the k-th reminder: person k/PerPerson, at a time of day
// in five-minute steps, every day, on weekdays or at weekends, in one of
// Zones; one in ten is posted in a server channel instead of by DM.
func Schedule(k int, created time.Time) *stretchbot.Schedule {
	person := k / PerPerson
	s := &stretchbot.Schedule{
		Owner: fmt.Sprint(100000000000000000 + person), Kind: stretchbot.KindReminder,
		Spec:     fmt.Sprintf("%d %d * * %s", (k*7)%12*5, (person+8*(k%PerPerson))%24, days[k%len(days)]),
		TimeZone: Zones[person%len(Zones)], Created: created,
	}
	if k%10 == 0 {
		s.GuildID, s.ChannelID = fmt.Sprint(900000000000000000+person%1000), fmt.Sprint(800000000000000000+person%5000)
	}
	return s
}

// Write stores n reminders (Schedule 0 to n-1) in transactions of 10,000
// and, when fired is not zero, records an occurrence of each at fired, so
// the journal has a marker for every schedule. It returns their IDs.
func Write(ctx context.Context, db *store.DB, n int, fired time.Time) ([]uint64, error) {
	ids := make([]uint64, 0, n)
	const perTx = 10_000
	created := fired
	if created.IsZero() {
		created = time.Now()
	}
	for done := 0; done < n; done += perTx {
		batch := make([]*stretchbot.Schedule, min(perTx, n-done))
		for i := range batch {
			batch[i] = Schedule(done+i, created)
		}
		if err := db.CreateSchedules(ctx, batch); err != nil {
			return nil, fmt.Errorf("write schedules %d to %d: %w", done, done+len(batch), err)
		}
		for _, s := range batch {
			ids = append(ids, s.ID)
		}
		if fired.IsZero() {
			continue
		}
		occ := make([]stretchbot.Fired, len(batch))
		for i, s := range batch {
			occ[i] = stretchbot.Fired{ScheduleID: s.ID, At: fired}
		}
		if _, err := db.MarkFired(ctx, occ); err != nil {
			return nil, fmt.Errorf("mark schedules %d to %d fired: %w", done, done+len(batch), err)
		}
	}
	return ids, nil
}
