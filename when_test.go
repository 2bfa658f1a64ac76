package stretchbot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

func TestParseWhen(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) // Tuesday, 10:00 in Berlin
	local := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, berlin) }
	tests := []struct {
		in    string
		h, m  int       // a repeating time of day
		once  time.Time // or one moment
		error string    // or an error containing this
	}{
		{in: "7:30", h: 7, m: 30},
		{in: "07:30", h: 7, m: 30},
		{in: "7.30", h: 7, m: 30},
		{in: "0730", h: 7, m: 30},
		{in: "7am", h: 7},
		{in: "7:30 PM", h: 19, m: 30},
		{in: "noon", h: 12},
		{in: "midnight", h: 0},
		{in: "at 7pm", h: 19},

		{in: "in 20 minutes", once: now.Add(20 * time.Minute)},
		{in: "In 20 min", once: now.Add(20 * time.Minute)},
		{in: "in 20min", once: now.Add(20 * time.Minute)},
		{in: "in 1 hour 30 minutes", once: now.Add(90 * time.Minute)},
		{in: "in 1h30m", once: now.Add(90 * time.Minute)},
		{in: "in an hour", once: now.Add(time.Hour)},
		{in: "in half an hour", once: now.Add(30 * time.Minute)},
		{in: "in 3 days", once: now.Add(72 * time.Hour)},
		{in: "in 2 weeks", once: now.Add(14 * 24 * time.Hour)},

		{in: "tomorrow 9:00", once: local(2026, 3, 11, 9, 0)},
		{in: "Tomorrow at 9am", once: local(2026, 3, 11, 9, 0)},
		{in: "9:00 tomorrow", once: local(2026, 3, 11, 9, 0)},
		{in: "tomorrow noon", once: local(2026, 3, 11, 12, 0)},
		{in: "today 18:00", once: local(2026, 3, 10, 18, 0)},
		{in: "friday 18:00", once: local(2026, 3, 13, 18, 0)},
		{in: "fri 6pm", once: local(2026, 3, 13, 18, 0)},
		{in: "on friday at 18:00", once: local(2026, 3, 13, 18, 0)},
		{in: "tuesday 18:00", once: local(2026, 3, 10, 18, 0)}, // today, still ahead
		{in: "tuesday 8:00", once: local(2026, 3, 17, 8, 0)},   // today has passed: next week
		{in: "monday midnight", once: local(2026, 3, 16, 0, 0)},
		{in: "14 march 9:00", once: local(2026, 3, 14, 9, 0)},
		{in: "March 14th 9am", once: local(2026, 3, 14, 9, 0)},
		{in: "2026-03-14 9:00", once: local(2026, 3, 14, 9, 0)},
		{in: "1 march 9:00", once: local(2027, 3, 1, 9, 0)}, // passed this year

		{in: "today 7:00", error: "already passed"},
		{in: "2026-03-01 9:00", error: "already passed"},
		{in: "tomorrow", error: "At what time tomorrow?"},
		{in: "friday", error: "At what time friday?"},
		{in: "31 february 9:00", error: "There is no 31 February"},
		{in: "in 400 days", error: "more than a year"},
		{in: "in 0 minutes", error: "could not read"},
		{in: "in 30 seconds", error: "could not read"},
		{in: "in minutes", error: "could not read"},
		{in: "soonish", error: "could not read"},
		{in: "tomorrow 25:00", error: "could not read"},
		{in: "", error: "could not read"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := stretchbot.ParseWhen(tt.in, now, berlin)
			switch {
			case tt.error != "":
				if stretchbot.ErrorCode(err) != stretchbot.EINVALID || !strings.Contains(stretchbot.ErrorMessage(err), tt.error) {
					t.Fatalf("got %+v, %v; want an error with %q", w, err, tt.error)
				}
			case err != nil:
				t.Fatalf("error: %v", err)
			case !tt.once.IsZero():
				if !w.OneTime() || !w.Once.Equal(tt.once) {
					t.Fatalf("got %+v, want once at %v", w, tt.once)
				}
			default:
				if w.OneTime() || w.Hour != tt.h || w.Minute != tt.m {
					t.Fatalf("got %+v, want every day at %d:%02d", w, tt.h, tt.m)
				}
			}
		})
	}
}

func TestWallTimeOnDaysClocksChange(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	newYork, _ := time.LoadLocation("America/New_York")
	sydney, _ := time.LoadLocation("Australia/Sydney")
	tests := []struct {
		name string
		got  time.Time
		want time.Time // UTC
	}{
		{"an ordinary day", stretchbot.WallTime(2026, 3, 14, 9, 0, berlin), time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)},
		{"summer", stretchbot.WallTime(2026, 7, 1, 9, 0, berlin), time.Date(2026, 7, 1, 7, 0, 0, 0, time.UTC)},
		// 02:30 does not happen on 29 March: read with the winter offset.
		{"in the spring gap", stretchbot.WallTime(2026, 3, 29, 2, 30, berlin), time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		// 02:30 happens twice on 25 October: the first one.
		{"in the autumn overlap", stretchbot.WallTime(2026, 10, 25, 2, 30, berlin), time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},
		{"overlap in New York", stretchbot.WallTime(2026, 11, 1, 1, 30, newYork), time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)},
		{"gap in New York", stretchbot.WallTime(2026, 3, 8, 2, 30, newYork), time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)},
		{"gap far from UTC", stretchbot.WallTime(2026, 10, 4, 2, 30, sydney), time.Date(2026, 10, 3, 16, 30, 0, 0, time.UTC)},
		{"day rolls over", stretchbot.WallTime(2026, 3, 32, 9, 0, berlin), time.Date(2026, 4, 1, 7, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s: got %v (%v UTC), want %v", tt.name, tt.got, tt.got.UTC(), tt.want)
		}
	}
}

func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"7:30", "in 20 minutes", "tomorrow 9:00", "friday 18:00", "14 march 9am", "in 1h30m", "2026-03-14 9:00", "in half an hour", "noon"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	f.Fuzz(func(t *testing.T, s string) {
		w, err := stretchbot.ParseWhen(s, now, berlin)
		if err != nil {
			if stretchbot.ErrorCode(err) != stretchbot.EINVALID || stretchbot.ErrorMessage(err) == "" {
				t.Fatalf("%q: want a friendly EINVALID error, got %v", s, err)
			}
			return
		}
		if w.Hour < 0 || w.Hour > 23 || w.Minute < 0 || w.Minute > 59 {
			t.Fatalf("%q → %+v out of range", s, w)
		}
		if w.OneTime() && (w.Once.Before(now.Add(59*time.Second)) || w.Once.After(now.Add(367*24*time.Hour))) {
			t.Fatalf("%q → once at %v, outside a minute to a year ahead", s, w.Once)
		}
	})
}
