package stretchbot_test

import (
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

func TestParseTimeOfDay(t *testing.T) {
	tests := []struct {
		in       string
		h, m     int
		rejected bool
	}{
		{in: "7:30", h: 7, m: 30},
		{in: "07:30", h: 7, m: 30},
		{in: "19:30", h: 19, m: 30},
		{in: "7:30pm", h: 19, m: 30},
		{in: "7:30 PM", h: 19, m: 30},
		{in: "12am", h: 0, m: 0},
		{in: "12pm", h: 12, m: 0},
		{in: "12:15am", h: 0, m: 15},
		{in: "7pm", h: 19, m: 0},
		{in: "7", h: 7, m: 0},
		{in: "0730", h: 7, m: 30},
		{in: "7.30", h: 7, m: 30},
		{in: "0:00", h: 0, m: 0},
		{in: "23:59", h: 23, m: 59},
		{in: "25:99", rejected: true},
		{in: "24:00", rejected: true},
		{in: "7:60", rejected: true},
		{in: "13pm", rejected: true},
		{in: "0am", rejected: true},
		{in: "7:3", rejected: true},
		{in: "", rejected: true},
		{in: "noon", h: 12, m: 0},
		{in: "Midnight", h: 0, m: 0},
		{in: "7am", h: 7, m: 0},
		{in: "7 am", h: 7, m: 0},
		{in: "noonish", rejected: true},
		{in: "-1:30", rejected: true},
		{in: "7:30:00", rejected: true},
		{in: ":30", rejected: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			h, m, err := stretchbot.ParseTimeOfDay(tt.in)
			if tt.rejected {
				if stretchbot.ErrorCode(err) != stretchbot.EINVALID {
					t.Fatalf("got %d:%d err=%v, want an EINVALID error", h, m, err)
				}
				return
			}
			if err != nil || h != tt.h || m != tt.m {
				t.Fatalf("got %d:%d err=%v, want %d:%d", h, m, err, tt.h, tt.m)
			}
		})
	}
}

func TestParseDays(t *testing.T) {
	tests := []struct {
		in       string
		want     stretchbot.Days
		cron     string
		describe string
	}{
		{"daily", stretchbot.EveryDay, "*", "every day"},
		{"", stretchbot.EveryDay, "*", "every day"},
		{"weekdays", stretchbot.Weekdays, "1-5", "on weekdays"},
		{"weekends", stretchbot.Weekends, "0,6", "on weekends"},
		{"mon,wed,fri", 1<<1 | 1<<3 | 1<<5, "1,3,5", "on Mon, Wed, Fri"},
		{"Monday, Friday", 1<<1 | 1<<5, "1,5", "on Mon, Fri"},
		{"1-5", stretchbot.Weekdays, "1-5", "on weekdays"},
		{"sun", 1, "0", "on Sun"},
		{"7", 1, "0", "on Sun"},
		{"fri-mon", 1<<5 | 1<<6 | 1<<0 | 1<<1, "0,1,5,6", "on Mon, Fri, Sat, Sun"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := stretchbot.ParseDays(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("got %07b err=%v, want %07b", got, err, tt.want)
			}
			if c := got.CronField(); c != tt.cron {
				t.Errorf("cron field %q, want %q", c, tt.cron)
			}
			if d := got.Describe(en); d != tt.describe {
				t.Errorf("describe %q, want %q", d, tt.describe)
			}
		})
	}
	for _, bad := range []string{"someday", "mo", "mon,xyz", "8", "monx", ","} {
		if _, err := stretchbot.ParseDays(bad); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
			t.Errorf("%q: err=%v, want EINVALID", bad, err)
		}
	}
}

func TestLoadLocation(t *testing.T) {
	for _, ok := range []string{"Europe/Berlin", "America/New_York", "UTC", "utc", "Australia/Lord_Howe"} {
		if _, err := stretchbot.LoadLocation(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Local", "Mars/Olympus", "../../etc/passwd", "Europe/Berln"} {
		_, err := stretchbot.LoadLocation(bad)
		if stretchbot.ErrorCode(err) != stretchbot.EINVALID {
			t.Errorf("%q: err=%v, want EINVALID", bad, err)
		}
	}
}

func TestScheduleDescribeAndValidate(t *testing.T) {
	s := stretchbot.Schedule{Owner: "u1", Kind: stretchbot.KindReminder, Spec: stretchbot.DailySpec(7, 5, stretchbot.Weekdays), TimeZone: "Europe/Berlin"}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Describe(en), "07:05 on weekdays (Europe/Berlin)"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	bad := []stretchbot.Schedule{
		{Kind: stretchbot.KindReminder, Spec: "0 7 * * *", TimeZone: "UTC"},
		{Owner: "u", Kind: stretchbot.KindReminder, Spec: "0 7 * * *", TimeZone: "Nowhere/Town"},
		{Owner: "u", Kind: stretchbot.KindReminder, TimeZone: "UTC"},
		{Owner: "u", Kind: stretchbot.KindBreak, Spec: "0 7 * * *", TimeZone: "UTC"},
		{Owner: "u", Kind: stretchbot.KindSnooze, TimeZone: "UTC"},
	}
	for i, s := range bad {
		if err := s.Validate(); stretchbot.ErrorCode(err) != stretchbot.EINVALID {
			t.Errorf("case %d: err=%v, want EINVALID", i, err)
		}
	}
	snooze := stretchbot.Schedule{Owner: "u", Kind: stretchbot.KindSnooze, TimeZone: "UTC", At: time.Now()}
	if err := snooze.Validate(); err != nil || !snooze.OneShot() {
		t.Errorf("snooze: %v", err)
	}
}

func TestUserRememberKeepsTheNewest(t *testing.T) {
	var u stretchbot.User
	for i := 0; i < stretchbot.MaxRecent+5; i++ {
		u.Remember(string(rune('a' + i%26)))
	}
	if len(u.Recent) != stretchbot.MaxRecent {
		t.Fatalf("len %d", len(u.Recent))
	}
	if last := u.Recent[len(u.Recent)-1]; last != string(rune('a'+(stretchbot.MaxRecent+4)%26)) {
		t.Fatalf("newest is %q", last)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	u.Paused = stretchbot.PauseByUser
	u.PausedUntil = now.Add(time.Hour)
	if !u.RemindersPaused(now) || u.RemindersPaused(now.Add(2*time.Hour)) {
		t.Fatal("pause window wrong")
	}
}
