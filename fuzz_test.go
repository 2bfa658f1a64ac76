package stretchbot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot"
)

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"7:30", "19:30", "7:30pm", "25:99", "12am", "0730", "", "7.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, m, err := stretchbot.ParseTimeOfDay(s)
		if err != nil {
			if stretchbot.ErrorCode(err) != stretchbot.EINVALID || stretchbot.ErrorMessage(err) == "" {
				t.Fatalf("%q: want a friendly EINVALID error, got %v", s, err)
			}
			return
		}
		if h < 0 || h > 23 || m < 0 || m > 59 {
			t.Fatalf("%q → %d:%d out of range", s, h, m)
		}
	})
}

func FuzzLoadLocation(f *testing.F) {
	for _, s := range []string{"Europe/Berlin", "UTC", "", "Local", "../etc/passwd", "America/New_York\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, err := stretchbot.LoadLocation(s)
		if err != nil {
			if stretchbot.ErrorCode(err) != stretchbot.EINVALID {
				t.Fatalf("%q: want EINVALID, got %v", s, err)
			}
			return
		}
		if loc == nil || loc.String() == "Local" {
			t.Fatalf("%q: got %v", s, loc)
		}
	})
}

func FuzzParseDays(f *testing.F) {
	for _, s := range []string{"daily", "mon,wed,fri", "1-5", "fri-mon", "xyz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := stretchbot.ParseDays(s)
		if err != nil {
			if stretchbot.ErrorCode(err) != stretchbot.EINVALID {
				t.Fatalf("%q: want EINVALID, got %v", s, err)
			}
			return
		}
		if d == 0 {
			t.Fatalf("%q: empty day set accepted", s)
		}
		again, err := stretchbot.ParseDays(d.CronField())
		if err != nil || again != d {
			t.Fatalf("%q: cron field %q does not round-trip", s, d.CronField())
		}
	})
}
