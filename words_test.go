package stretchbot

import (
	"testing"
	"time"
)

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun Noun
		want string
	}{
		{0, NounStretch, "0 stretches"},
		{1, NounStretch, "1 stretch"},
		{2, NounStretch, "2 stretches"},
		{1, NounBreak, "1 break"},
		{21, NounDay, "21 days"},
		{1, NounCheckMark, `1 "I did it"`},
		{1, NounActiveDay, "1 active day"},
		{3, NounTime, "3 times"},
	} {
		if got := Count(en, c.n, c.noun); got != c.want {
			t.Errorf("Count(en, %d, %s) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0 seconds"},
		{time.Second, "1 second"},
		{45 * time.Second, "45 seconds"},
		{90 * time.Second, "1 minute 30 seconds"},
		{time.Minute, "1 minute"},
		{20 * time.Minute, "20 minutes"},
		{20*time.Minute + 29*time.Second, "20 minutes"},
		{59*time.Minute + 50*time.Second, "1 hour"},
		{2*time.Hour + 5*time.Minute, "2 hours 5 minutes"},
		{3 * time.Hour, "3 hours"},
		{24 * time.Hour, "1 day"},
		{26 * time.Hour, "1 day 2 hours"},
		{26*time.Hour + 40*time.Minute, "1 day 3 hours"},
		{168 * time.Hour, "7 days"},
		{48*time.Hour + 10*time.Minute, "2 days"},
		{-30 * time.Minute, "30 minutes"},
	} {
		if got := HumanDuration(en, c.d); got != c.want {
			t.Errorf("HumanDuration(en, %v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestFromNow(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{168 * time.Hour, "in 7 days"},
		{26 * time.Hour, "in 1 day 2 hours"},
		{20 * time.Minute, "in 20 minutes"},
		{30 * time.Second, "in 30 seconds"},
		{0, "now"},
		{-time.Minute, "now"},
	} {
		if got := FromNow(en, c.d); got != c.want {
			t.Errorf("FromNow(en, %v) = %q, want %q", c.d, got, c.want)
		}
	}
}
