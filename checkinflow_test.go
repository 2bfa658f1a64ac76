package stretchbot

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// run answers the flow's questions in order and returns the IDs asked.
func run(t *testing.T, f CheckInFlow, answers ...int) (CheckInFlow, []string) {
	t.Helper()
	var ids []string
	for i, v := range answers {
		q, ok := f.Question(en)
		if !ok {
			t.Fatalf("answer %d (%d): flow already finished after %v", i, v, ids)
		}
		ids = append(ids, q.ID)
		var err error
		if f, err = f.Answer(v); err != nil {
			t.Fatalf("answer %d (%d) to %s: %v", i, v, q.ID, err)
		}
		roundTrip(t, f)
	}
	return f, ids
}

// roundTrip checks that f survives Encode and DecodeCheckInFlow unchanged.
func roundTrip(t *testing.T, f CheckInFlow) {
	t.Helper()
	s := f.Encode()
	if len(s) > MaxCheckInFlowLen {
		t.Fatalf("encoding %q is %d chars, over %d", s, len(s), MaxCheckInFlowLen)
	}
	g, err := DecodeCheckInFlow(s)
	if err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	if g != f {
		t.Fatalf("decode %q = %+v, want %+v", s, g, f)
	}
}

func TestCheckInFlowPaths(t *testing.T) {
	no, yes, notSure := int(AnswerNo), int(AnswerYes), int(AnswerNotSure)
	// Q1–Q5 first, so a first check-in reaches "get help now" in one
	// screen, then the profile (first check-in only), then the rest.
	all := []string{"Q1", "Q2", "Q3", "Q4", "Q5", "P1", "P2", "Q6", "Q7", "Q8", "Q9", "Q10", "Q11", "Q12"}
	withoutProfile := []string{"Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9", "Q10", "Q11", "Q12"}
	known := &Profile{Age: Age50To64, BoneRisk: true}
	tests := []struct {
		name         string
		profile      *Profile
		inflammatory bool
		answers      []int
		ids          []string
		want         CheckIn
		tier         Tier
		newProfile   bool
	}{
		{
			name: "self-care through every question", inflammatory: true,
			answers:    []int{no, no, no, 0, 0, int(Age16To49), 0, 0, 0, int(OnsetEveryday), 0, 0, 0, 5},
			ids:        all,
			want:       CheckIn{Age: Age16To49, Onset: OnsetEveryday, Pain: 5},
			tier:       TierSelfCare,
			newProfile: true,
		},
		{
			// A first check-in: one screen to the emergency answer, and the
			// unasked profile reads as 16–49 without bone risk, which fires
			// no rule of its own.
			name: "first check-in stops at Q1 not sure", inflammatory: true,
			answers: []int{notSure},
			ids:     all[:1],
			want:    CheckIn{Age: Age16To49, SaddleNumbness: AnswerNotSure, Onset: OnsetEveryday},
			tier:    TierEmergency,
		},
		{
			name:    "first check-in stops at Q5 yes",
			answers: []int{no, no, no, 0, 1},
			ids:     all[:5],
			want:    CheckIn{Age: Age16To49, Unwell: true, Onset: OnsetEveryday},
			tier:    TierEmergency,
		},
		{
			name: "early stop at Q3 yes", profile: known,
			answers: []int{no, no, yes},
			ids:     all[:3],
			want:    CheckIn{Age: Age50To64, BoneRisk: true, LegWeakness: AnswerYes, Onset: OnsetEveryday},
			tier:    TierEmergency,
		},
		{
			name: "early stop at Q5 yes", profile: known,
			answers: []int{no, no, no, 0, 1},
			ids:     all[:5],
			want:    CheckIn{Age: Age50To64, BoneRisk: true, Unwell: true, Onset: OnsetEveryday},
			tier:    TierEmergency,
		},
		{
			name: "profile not asked when known, Q11 skipped", profile: known,
			answers: []int{no, no, no, 0, 0, 0, 0, int(OnsetLifting), 0, 0, 10},
			ids:     slices.Delete(slices.Clone(withoutProfile), 10, 11),
			want:    CheckIn{Age: Age50To64, BoneRisk: true, Onset: OnsetLifting, Pain: 10},
			tier:    TierSeeDoctorToday,
		},
		{
			name:    "profile with unknown age is asked again",
			profile: &Profile{Age: 7},
			answers: []int{no, no, no, 0, 0, int(AgeUnder16), 0, 0, 0, int(OnsetUsual), 0, 0, 0},
			ids:     slices.Delete(slices.Clone(all), 12, 13),
			want:    CheckIn{Age: AgeUnder16, Onset: OnsetUsual},
			tier:    TierSeeDoctorSoon, newProfile: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewCheckInFlow(tt.profile, tt.inflammatory)
			roundTrip(t, f)
			f, ids := run(t, f, tt.answers...)
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("asked %v, want %v", ids, tt.ids)
			}
			if !f.Done() {
				t.Fatalf("flow not done after %v", ids)
			}
			if q, ok := f.Question(en); ok {
				t.Errorf("finished flow asks %s", q.ID)
			}
			if _, err := f.Answer(0); !errors.Is(err, ErrInvalidCheckIn) {
				t.Errorf("answer after the end: err = %v, want ErrInvalidCheckIn", err)
			}
			got := f.CheckIn()
			if got != tt.want {
				t.Errorf("CheckIn = %+v, want %+v", got, tt.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("finished flow gives invalid check-in: %v", err)
			}
			if a := Assess(got, nil); a.Tier != tt.tier {
				t.Errorf("tier = %v, want %v (%q)", a.Tier, tt.tier, a.Reasons)
			}
			p, ok := f.Profile()
			if ok != tt.newProfile {
				t.Errorf("Profile ok = %v, want %v", ok, tt.newProfile)
			}
			if ok && (p.Age != tt.want.Age || p.BoneRisk != tt.want.BoneRisk) {
				t.Errorf("Profile = %+v, want the answered one", p)
			}
		})
	}
}

func TestCheckInFlowRejectsInvalidAnswer(t *testing.T) {
	tests := []struct {
		name    string
		profile *Profile
		prefix  []int // answers before the bad one
		bad     int
	}{
		{"P1 age 4", nil, []int{0, 0, 0, 0, 0}, 4},
		{"P2 value 2", nil, []int{0, 0, 0, 0, 0, 1}, 2},
		{"Q1 negative", &Profile{}, nil, -1},
		{"Q1 value 3", &Profile{}, nil, 3},
		{"Q4 not sure is not offered", &Profile{}, []int{0, 0, 0}, int(AnswerNotSure)},
		{"Q8 value 6", &Profile{}, []int{0, 0, 0, 0, 0, 0, 0}, 6},
		{"Q12 pain 11", &Profile{}, []int{0, 0, 0, 0, 0, 0, 0, 2, 0, 0}, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := run(t, NewCheckInFlow(tt.profile, false), tt.prefix...)
			before := f.Encode()
			g, err := f.Answer(tt.bad)
			if !errors.Is(err, ErrInvalidCheckIn) {
				t.Fatalf("err = %v, want ErrInvalidCheckIn", err)
			}
			if g != f || f.Encode() != before {
				t.Errorf("state changed: %q -> %q", before, g.Encode())
			}
		})
	}
}

func TestCheckInFlowUnfinishedIsNeverSelfCare(t *testing.T) {
	f, _ := run(t, NewCheckInFlow(&Profile{Age: Age16To49}, false), 0, 0, 0, 0, 0)
	c := f.CheckIn()
	if c.Validate() == nil {
		t.Fatalf("unfinished flow gives a valid check-in %+v", c)
	}
	if a := Assess(c, nil); a.Tier == TierSelfCare {
		t.Fatalf("unfinished flow assessed as self-care")
	}
	if _, ok := f.Profile(); ok {
		t.Errorf("Profile ok for a flow given a profile")
	}
}

func TestCheckInQuestions(t *testing.T) {
	for q := range numSteps {
		cq := checkInQuestion(en, q)
		t.Run(cq.ID, func(t *testing.T) {
			if cq.ID == "" || cq.Prompt == "" || len(cq.Choices) < 2 {
				t.Fatalf("incomplete question %+v", cq)
			}
			if n := utf8.RuneCountInString(cq.Prompt); n > 300 {
				t.Errorf("prompt is %d chars; keep it to one short screen", n)
			}
			// Values are 0..len-1 in some order, so one character each
			// encodes them.
			var vals []int
			for _, c := range cq.Choices {
				vals = append(vals, c.Value)
				if c.Label == "" || utf8.RuneCountInString(c.Label) > 80 {
					t.Errorf("label %q: want 1..80 chars", c.Label)
				}
			}
			slices.Sort(vals)
			for i, v := range vals {
				if v != i {
					t.Errorf("choice values %v, want 0..%d", vals, len(vals)-1)
					break
				}
			}
		})
	}
	if n := len(checkInQuestion(en, stepQ12).Choices); n != 11 {
		t.Errorf("Q12 has %d choices, want 11", n)
	}
}

func TestDecodeCheckInFlowRejects(t *testing.T) {
	f, _ := run(t, NewCheckInFlow(nil, true), 0, 0, 0, 0, 0, 1, 0, 0)
	good := f.Encode()
	tests := []struct{ name, s string }{
		{"empty", ""},
		{"future version", "3" + good[1:]},
		{"version 1 (profile first)", "1" + good[1:]},
		{"letter version", "v" + good[1:]},
		{"only version", "1"},
		{"truncated by one", good[:len(good)-1]},
		{"truncated by two", good[:len(good)-2]},
		{"extra character", good + "0"},
		{"upper case", strings.ToUpper("1" + good[1:] + "a")},
		{"punctuation", good[:3] + ":" + good[4:]},
		{"non-ASCII", good[:3] + "é" + good[4:]},
		{"too long", "1" + strings.Repeat("0", 60)},
		{"bad flags", func() string { return withCheck("240") }()},
		{"answer after early stop", withCheck("203" + "00" + "1" + "0" + "0")},
		{"answer out of range", withCheck("201" + "00" + "5")},
		{"profile age out of range", withCheck("200" + "40")},
		{"count too high", withCheck("202" + "00" + "0")},
		{"count too low", withCheck("200" + "00" + "0")},
		{"missing profile", withCheck("200")},
		{"age answer out of range", withCheck("116" + "00000" + "4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f, err := DecodeCheckInFlow(tt.s); !errors.Is(err, ErrCheckInFlowState) {
				t.Errorf("Decode(%q) = %+v, %v; want ErrCheckInFlowState", tt.s, f, err)
			}
		})
	}
	// Every single changed character is caught.
	for i := range len(good) {
		for _, c := range []byte(flowAlphabet) {
			if c == good[i] {
				continue
			}
			s := good[:i] + string(c) + good[i+1:]
			if _, err := DecodeCheckInFlow(s); err == nil {
				t.Errorf("Decode(%q) (from %q) succeeded", s, good)
			}
		}
	}
}

// withCheck appends the check character, to build encodings that pass the
// checksum but are wrong in structure.
func withCheck(s string) string {
	d := make([]int, len(s))
	for i := range len(s) {
		d[i] = strings.IndexByte(flowAlphabet, s[i])
	}
	return s + string(flowAlphabet[luhn36(d)])
}

func TestCheckInFlowProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p *Profile
		if rapid.Bool().Draw(t, "known") {
			p = &Profile{
				Age:      AgeBand(rapid.IntRange(-1, 4).Draw(t, "age")),
				BoneRisk: rapid.Bool().Draw(t, "bone"),
			}
		}
		f := NewCheckInFlow(p, rapid.Bool().Draw(t, "q11"))
		for range 20 {
			v := rapid.OneOf(rapid.IntRange(0, 10), rapid.IntRange(-3, 20)).Draw(t, "v")
			q, ok := f.Question(en)
			g, err := f.Answer(v)
			offered := slices.ContainsFunc(q.Choices, func(c CheckInChoice) bool { return c.Value == v })
			if (err == nil) != (ok && offered) {
				t.Fatalf("%s (asked %v): answer %d: err %v", q.ID, ok, v, err)
			}
			if err != nil && g != f {
				t.Fatalf("failed answer changed the flow")
			}
			f = g
			s := f.Encode()
			back, err := DecodeCheckInFlow(s)
			if err != nil || back != f || len(s) > MaxCheckInFlowLen {
				t.Fatalf("round trip %q: %+v, %v", s, back, err)
			}
		}
		// After 20 draws the flow may or may not be finished; if any red
		// flag was answered, Assess must say emergency.
		c := f.CheckIn()
		if f.Done() && c.Validate() != nil {
			t.Fatalf("finished flow gives invalid %+v", c)
		}
		if !f.Done() && Assess(c, nil).Tier == TierSelfCare {
			t.Fatalf("unfinished flow is self-care")
		}
		if f.stopped() && Assess(c, nil).Tier != TierEmergency {
			t.Fatalf("early stop without emergency: %+v", c)
		}
	})
}

func FuzzDecodeCheckInFlow(f *testing.F) {
	start := NewCheckInFlow(nil, true)
	f.Add(start.Encode())
	g, _ := start.Answer(int(AnswerNotSure))
	f.Add(g.Encode())
	g = start
	for _, v := range []int{0, 0, 0, 0, 0, int(Age65Plus), 1} {
		g, _ = g.Answer(v)
	}
	f.Add(g.Encode())
	f.Add(NewCheckInFlow(&Profile{Age: Age16To49}, false).Encode())
	f.Add("")
	f.Add("2000")
	f.Add("1:ci:garbage")
	f.Fuzz(func(t *testing.T, s string) {
		flow, err := DecodeCheckInFlow(s)
		if err != nil {
			if !errors.Is(err, ErrCheckInFlowState) {
				t.Fatalf("error %v does not wrap ErrCheckInFlowState", err)
			}
			return
		}
		enc := flow.Encode()
		if enc != s {
			t.Fatalf("Decode(%q) re-encodes as %q", s, enc)
		}
		again, err := DecodeCheckInFlow(enc)
		if err != nil || again != flow {
			t.Fatalf("re-decode %q: %+v, %v", enc, again, err)
		}
		flow.Question(en)
		flow.CheckIn()
		flow.Profile()
	})
}

// TestCheckInFlowRecord: a record keeps the age band and pain score only
// when they were answered (or known), and never a guess.
func TestCheckInFlowRecord(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		profile *Profile
		answers []int
		age     AgeBand
		pain    int
		profOK  bool
	}{
		{"first check-in stopped at Q1", nil, []int{int(AnswerYes)}, AgeNotAsked, PainNotAsked, false},
		{"known profile stopped at Q4", &Profile{Age: Age65Plus}, []int{0, 0, 0, 1}, Age65Plus, PainNotAsked, false},
		{"first check-in to the end", nil, []int{0, 0, 0, 0, 0, int(Age50To64), 1, 0, 0, int(OnsetLifting), 0, 0, 7}, Age50To64, 7, true},
		{"known profile to the end", &Profile{Age: Age16To49}, []int{0, 0, 0, 0, 0, 0, 0, int(OnsetEveryday), 0, 0, 0}, Age16To49, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := run(t, NewCheckInFlow(tt.profile, false), tt.answers...)
			if !f.Done() {
				t.Fatal("not done")
			}
			a := Assess(f.CheckIn(), nil)
			rec := f.Record("7", at, a)
			want := CheckInRecord{UserID: "7", At: at, Age: tt.age, Pain: tt.pain, Tier: a.Tier, RuleVersion: "2"}
			if rec != want {
				t.Errorf("Record = %+v, want %+v", rec, want)
			}
			if _, ok := f.Profile(); ok != tt.profOK {
				t.Errorf("Profile ok = %v, want %v", ok, tt.profOK)
			}
			if slices.Contains(a.Reasons, reasonUnder16) {
				t.Errorf("an unasked age fired the under-16 rule: %q", a.Reasons)
			}
		})
	}
}
