package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
)

// v2JSON renders r as Discord would receive it and decodes it back.
func v2JSON(t *testing.T, r Reply, onV2 bool) map[string]any {
	t.Helper()
	b, err := json.Marshal(payloadOf(render(r, onV2)))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// walkJSON calls f on every component of a decoded message, nested ones
// included.
func walkJSON(cs []any, f func(map[string]any)) {
	for _, c := range cs {
		m, _ := c.(map[string]any)
		f(m)
		sub, _ := m["components"].([]any)
		walkJSON(sub, f)
		if a, ok := m["accessory"].(map[string]any); ok {
			f(a)
		}
	}
}

func pictureFile(name string) File {
	return File{Name: name, ContentType: "image/png", Data: []byte("\x89PNG"), Description: "A person lies on their back."}
}

func TestStretchCardIsComponentsV2(t *testing.T) {
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	b := &Bot{cfg: Config{Catalog: catalog, SnoozeFor: 10 * time.Minute}}
	s, _ := catalog.Get("childs-pose")
	r := b.stretchReply(lang.English(), s, cardState{owner: "1", reminder: true}, catalog.Offer(stretchbot.User{}, nil, stretchbot.Filter{}, time.Now()))
	r.Content = "<@1> ⏰ Time to stretch!"
	m := v2JSON(t, r, false)
	if flags, _ := m["flags"].(float64); int(flags)&int(flagComponentsV2) == 0 {
		t.Fatalf("flags %v lack IS_COMPONENTS_V2", m["flags"])
	}
	for _, k := range []string{"content", "embeds"} {
		if v, ok := m[k]; !ok || v != nil {
			t.Errorf("%s is %v, want null", k, v)
		}
	}
	comps, _ := m["components"].([]any)
	var types []float64
	var items []any
	walkJSON(comps, func(c map[string]any) {
		types = append(types, c["type"].(float64))
		if its, ok := c["items"].([]any); ok {
			items = append(items, its...)
		}
	})
	if first := comps[0].(map[string]any); first["type"] != float64(discordgo.TextDisplayComponent) || !strings.Contains(first["content"].(string), "Time to stretch") {
		t.Errorf("first component %v, want the content as text", first)
	}
	if second := comps[1].(map[string]any); second["type"] != float64(discordgo.ContainerComponent) || second["accent_color"] != float64(colorStretch) {
		t.Errorf("second component %v, want the card's container", second)
	}
	// Both arm positions of child's pose, each with alt text, each a file
	// of the message.
	if len(items) != 2 || len(r.Files) != 2 {
		t.Fatalf("%d gallery items and %d files, want 2 each", len(items), len(r.Files))
	}
	for i, it := range items {
		im := it.(map[string]any)
		url := im["media"].(map[string]any)["url"]
		if url != "attachment://"+r.Files[i].Name || im["description"] != r.Files[i].Description || r.Files[i].Description == "" {
			t.Errorf("item %d: %v, file %s", i, im, r.Files[i].Name)
		}
	}
	if n := componentCount(render(r, false).components); n != len(types) || n > maxComponents {
		t.Errorf("componentCount %d, walked %d", n, len(types))
	}
}

// TestV2StaysWithinLimits renders far too much and checks Discord's
// limits: at most 40 components, 4000 characters of text, only existing
// files referenced.
func TestV2StaysWithinLimits(t *testing.T) {
	long := strings.Repeat("stretch gently ", 400)
	r := Reply{Content: long, Files: []File{pictureFile("a.png")}}
	for range 6 {
		c := Card{Title: long, Description: long, Footer: long, Images: []string{"a.png", "missing.png"}, Thumbnail: "a.png"}
		for j := range 10 {
			c.Fields = append(c.Fields, Field{Name: fmt.Sprint(j), Value: long})
		}
		r.Cards = append(r.Cards, c)
	}
	for i := range 5 {
		var row []Button
		for j := range 5 {
			row = append(row, Button{Label: "b", ID: fmt.Sprintf("v1:x:%d:%d", i, j)})
		}
		r.Rows = append(r.Rows, row)
	}
	rm := render(r, false)
	if n := componentCount(rm.components); n > maxComponents {
		t.Errorf("%d components, over %d", n, maxComponents)
	}
	m := v2JSON(t, r, false)
	comps, _ := m["components"].([]any)
	total, count := 0, 0
	walkJSON(comps, func(c map[string]any) {
		count++
		if s, ok := c["content"].(string); ok {
			if s == "" {
				t.Error("an empty text display")
			}
			total += utf8.RuneCountInString(s)
		}
		for _, it := range append([]any{c}, anyList(c["items"])...) {
			if media, ok := it.(map[string]any)["media"].(map[string]any); ok && media["url"] != "attachment://a.png" {
				t.Errorf("reference to a file the message does not carry: %v", media["url"])
			}
		}
	})
	if total > maxText {
		t.Errorf("%d characters of text, over %d", total, maxText)
	}
	if count > maxComponents || count == 0 {
		t.Errorf("%d components in the JSON", count)
	}
}

func anyList(v any) []any { l, _ := v.([]any); return l }

// TestUpdateOfV2MessageStaysV2: a reply without pictures that edits a
// Components V2 message (Done on a card) is V2 too, its content a text
// display, and it drops the card's attachments.
func TestUpdateOfV2MessageStaysV2(t *testing.T) {
	r := Reply{Update: true, Content: "✅ Knee hug logged.", Rows: [][]Button{{{Label: "Another stretch", ID: "v1:now:1"}}}}
	m := v2JSON(t, r, true)
	if m["content"] != nil || m["embeds"] != nil {
		t.Fatalf("content %v, embeds %v: want null", m["content"], m["embeds"])
	}
	if atts, ok := m["attachments"].([]any); !ok || len(atts) != 0 {
		t.Fatalf("attachments %v, want []", m["attachments"])
	}
	comps := m["components"].([]any)
	if len(comps) != 2 || comps[0].(map[string]any)["content"] != r.Content {
		t.Fatalf("components %v", comps)
	}
	// The same reply on an ordinary message stays ordinary.
	m = v2JSON(t, r, false)
	if m["content"] != r.Content || m["flags"] != nil {
		t.Fatalf("plain update rendered as %v", m)
	}
}

func TestChartAltStatesTheNumbers(t *testing.T) {
	day := func(i, n int) stretchbot.DayCount {
		return stretchbot.DayCount{Day: stretchbot.Day{Year: 2026, Month: 3, Day: 2}.AddDays(i), Count: n}
	}
	week := func(counts ...int) stretchbot.Stats {
		var st stretchbot.Stats
		for i, n := range counts {
			st.Days = append(st.Days, day(i, n))
		}
		return st
	}
	for _, c := range []struct {
		st   stretchbot.Stats
		want string
	}{
		// 2 March 2026 is a Monday.
		{week(4, 1, 2, 0, 3, 1, 1), "Bar chart: 12 stretches in the last 7 days, most on Monday: 4."},
		{week(0, 0, 0, 0, 0, 0, 0), "Bar chart of the last 7 days: no stretches yet."},
		{week(0, 2, 0, 2, 0, 0, 0), "Bar chart: 4 stretches in the last 7 days, most on Tuesday and Thursday: 2 each."},
		{week(1, 0, 0, 0, 0, 0, 0), "Bar chart: 1 stretch in the last 7 days, most on Monday: 1."},
		{week(1, 1, 1, 1, 0, 0, 0), "Bar chart: 4 stretches in the last 7 days, at most 1 a day, on 4 days."},
		{week(0, 0, 5, 0, 0, 0, 0, 0, 0, 0), "Bar chart: 5 stretches in the last 10 days, most on Wednesday 4 March: 5."},
	} {
		if got := chartAlt(c.st); got != c.want {
			t.Errorf("chartAlt = %q, want %q", got, c.want)
		}
	}
}
