package stretchbot_test

import (
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

func TestAdmitRefusesDuplicates(t *testing.T) {
	at := time.Date(2026, 3, 13, 18, 0, 0, 0, time.UTC)
	daily := stretchbot.Schedule{ID: 3, Owner: "1", Kind: stretchbot.KindReminder, Spec: "30 7 * * *", TimeZone: "Europe/Berlin"}
	once := stretchbot.Schedule{ID: 4, Owner: "1", Kind: stretchbot.KindOnce, At: at, TimeZone: "Europe/Berlin"}
	checkin := stretchbot.Schedule{ID: 5, Owner: "1", Kind: stretchbot.KindCheckIn, At: at, TimeZone: "UTC"}
	brk := stretchbot.Schedule{ID: 6, Owner: "1", GuildID: "9", ChannelID: "8", Kind: stretchbot.KindBreak, Spec: "0 15 * * 1-5", TimeZone: "UTC"}
	existing := []stretchbot.Schedule{daily, once, checkin, brk}

	with := func(s stretchbot.Schedule, change func(*stretchbot.Schedule)) stretchbot.Schedule {
		s.ID = 0
		change(&s)
		return s
	}
	tests := []struct {
		name string
		s    stretchbot.Schedule
		dup  uint64 // the existing schedule it repeats; 0: admitted
	}{
		{"same daily reminder", with(daily, func(*stretchbot.Schedule) {}), 3},
		{"same reminder, paused", with(daily, func(s *stretchbot.Schedule) { s.Paused = true }), 3},
		{"another minute", with(daily, func(s *stretchbot.Schedule) { s.Spec = "31 7 * * *" }), 0},
		{"other days", with(daily, func(s *stretchbot.Schedule) { s.Spec = "30 7 * * 1-5" }), 0},
		{"another zone", with(daily, func(s *stretchbot.Schedule) { s.TimeZone = "Europe/London" }), 0},
		{"in a channel instead of by DM", with(daily, func(s *stretchbot.Schedule) { s.GuildID, s.ChannelID = "9", "8" }), 0},
		{"same one-time reminder", with(once, func(*stretchbot.Schedule) {}), 4},
		{"one-time a minute later", with(once, func(s *stretchbot.Schedule) { s.At = at.Add(time.Minute) }), 0},
		{"the same instant in another zone's words", with(once, func(s *stretchbot.Schedule) { s.At = at.In(time.FixedZone("x", 3600)) }), 4},
		{"a second check-in reminder, any time", with(checkin, func(s *stretchbot.Schedule) { s.At = at.Add(48 * time.Hour) }), 5},
		{"same break in the same channel", with(brk, func(s *stretchbot.Schedule) { s.Owner = "2" }), 6},
		{"same break in another channel", with(brk, func(s *stretchbot.Schedule) { s.ChannelID = "7" }), 0},
		{"a snooze at a reminder's time", stretchbot.Schedule{Owner: "1", Kind: stretchbot.KindSnooze, At: at, TimeZone: "UTC"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := stretchbot.Admit(tt.s, existing)
			dup, isDup := stretchbot.AsDuplicate(err)
			switch {
			case tt.dup == 0 && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.dup != 0 && !isDup:
				t.Fatalf("err = %v, want a duplicate of #%d", err, tt.dup)
			case tt.dup != 0 && dup.Existing.ID != tt.dup:
				t.Fatalf("points to #%d, want #%d", dup.Existing.ID, tt.dup)
			case tt.dup != 0 && stretchbot.ErrorCode(err) != stretchbot.ECONFLICT:
				t.Fatalf("code %q, want conflict", stretchbot.ErrorCode(err))
			}
		})
	}
	// Changing a schedule compares it with the others, not with itself.
	if err := stretchbot.Admit(daily, existing); err != nil {
		t.Fatalf("a schedule is refused as a duplicate of itself: %v", err)
	}
}

func TestAdmitLimits(t *testing.T) {
	at := time.Date(2026, 3, 13, 18, 0, 0, 0, time.UTC)
	many := func(n int, newSchedule func(i int) stretchbot.Schedule) []stretchbot.Schedule {
		var out []stretchbot.Schedule
		for i := range n {
			s := newSchedule(i)
			s.ID = uint64(i + 1)
			out = append(out, s)
		}
		return out
	}
	reminderAt := func(i int) stretchbot.Schedule {
		return stretchbot.Schedule{Owner: "1", Kind: stretchbot.KindReminder, Spec: stretchbot.DailySpec(7, i, stretchbot.EveryDay), TimeZone: "UTC"}
	}
	onceAt := func(i int) stretchbot.Schedule {
		return stretchbot.Schedule{Owner: "1", Kind: stretchbot.KindOnce, At: at.Add(time.Duration(i) * time.Minute), TimeZone: "UTC"}
	}
	snoozeAt := func(i int) stretchbot.Schedule {
		return stretchbot.Schedule{Owner: "1", Kind: stretchbot.KindSnooze, At: at.Add(time.Duration(i) * time.Minute), TimeZone: "UTC"}
	}
	breakAt := func(i int) stretchbot.Schedule {
		return stretchbot.Schedule{Owner: "1", GuildID: "9", ChannelID: "8", Kind: stretchbot.KindBreak, Spec: stretchbot.DailySpec(15, i, stretchbot.EveryDay), TimeZone: "UTC"}
	}
	tests := []struct {
		name     string
		existing []stretchbot.Schedule
		s        stretchbot.Schedule
		want     string // error code, "" for admitted
	}{
		{"10th reminder", many(9, reminderAt), reminderAt(50), ""},
		{"11th reminder", many(10, reminderAt), reminderAt(50), stretchbot.ELIMIT},
		{"one-time reminders count with repeating ones", append(many(5, reminderAt), many(5, onceAt)...), onceAt(50), stretchbot.ELIMIT},
		{"snoozes do not count as reminders", append(many(9, reminderAt), many(4, snoozeAt)...), reminderAt(50), ""},
		{"snoozes are bounded", many(stretchbot.MaxSnoozesPerUser, snoozeAt), snoozeAt(50), stretchbot.ELIMIT},
		{"25th break", many(24, breakAt), breakAt(50), ""},
		{"26th break", many(25, breakAt), breakAt(50), stretchbot.ELIMIT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stretchbot.ErrorCode(stretchbot.Admit(tt.s, tt.existing)); got != tt.want {
				t.Fatalf("code %q, want %q", got, tt.want)
			}
		})
	}
}
