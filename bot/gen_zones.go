//go:build ignore

// gen_zones writes zones.go, the time zones autocomplete offers, from the
// tz database's zone1970.tab. Run `go generate ./bot` after the tz database
// changes (a tzdata update); TestZonesMatchTheTZDatabase says when.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/stretchbot/stretchbot/bot/internal/zonetab"
)

func main() {
	tab := flag.String("tab", zonetab.DefaultPath, "the tz database's zone1970.tab")
	out := flag.String("o", "zones.go", "output file")
	flag.Parse()
	raw, err := os.ReadFile(*tab)
	if err != nil {
		log.Fatal(err)
	}
	zones, err := zonetab.Zones(raw)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, zonetab.Source(zones), 0o644); err != nil {
		log.Fatal(err)
	}
}
