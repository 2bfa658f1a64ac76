package zonetab

import (
	"slices"
	"strings"
	"testing"
)

func TestZones(t *testing.T) {
	tab := "# comment\n" +
		"DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\tmost of Germany\n" +
		"AT\t+4813+01620\tEurope/Vienna\n" +
		"CH,DE,LI\t+4723+00832\tEurope/Zurich\tBüsingen\n" +
		"DE\t+5230+01322\tEurope/Berlin\trepeated\n"
	got, err := Zones([]byte(tab))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Europe/Berlin", "Europe/Vienna", "Europe/Zurich", "UTC"}
	if !slices.Equal(got, want) {
		t.Fatalf("Zones = %v, want %v", got, want)
	}
	src := string(Source(got))
	if !strings.HasPrefix(src, "// Code generated ") || !strings.Contains(src, "DO NOT EDIT.\n") || !strings.Contains(src, "\t\"Europe/Vienna\",\n") {
		t.Fatalf("Source:\n%s", src)
	}
	for _, bad := range []string{"", "# only comments\n", "DE\t+5230+01322\n"} {
		if _, err := Zones([]byte(bad)); err == nil {
			t.Errorf("Zones(%q) gave no error", bad)
		}
	}
}
