package bot

import (
	"bytes"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/internal/zonetab"
)

// TestZonesAreGenerated regenerates zones.go from the committed
// zone1970.tab and fails if the committed file differs: zones.go is what
// go generate ./bot writes, byte for byte.
func TestZonesAreGenerated(t *testing.T) {
	tab, err := os.ReadFile(zonetab.DefaultPath)
	if err != nil {
		t.Fatal(err)
	}
	zones, err := zonetab.Zones(tab)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("zones.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, zonetab.Source(zones)) {
		t.Fatal("zones.go is not what the generator writes from " + zonetab.DefaultPath + ": run go generate ./bot")
	}
	// This machine's tz database, if newer, is worth knowing about, but it
	// is not a failure: the committed table decides.
	if sys, err := os.ReadFile(zonetab.SystemPath); err == nil && !bytes.Equal(sys, tab) {
		if sysZones, err := zonetab.Zones(sys); err == nil && !slices.Equal(sysZones, zones) {
			t.Logf("note: %s lists other zones than the committed table; to update, copy it to bot/%s and run go generate ./bot", zonetab.SystemPath, zonetab.DefaultPath)
		}
	}
}

// TestZoneNamesLoad checks every offered zone is one Go can load, so a
// choice from autocomplete is always accepted.
func TestZoneNamesLoad(t *testing.T) {
	for _, z := range zoneNames {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
}
