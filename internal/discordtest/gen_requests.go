//go:build ignore

// gen_requests writes spec/requests.json, the request schemas of the routes
// the fake serves (the route table in rest.go), cut from Discord's OpenAPI
// spec. Run it with `go generate ./internal/discordtest` after changing the
// route table, the spec or an allowance; TestRequestSchemasAreCurrent fails
// until you do.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/stretchbot/stretchbot/internal/discordtest/internal/specgen"
)

func main() {
	spec := flag.String("spec", "spec/openapi.json.gz", "Discord's OpenAPI spec, gzipped or not")
	routes := flag.String("routes", "rest.go", "Go file with the fake's route table")
	out := flag.String("o", "spec/requests.json", "output file")
	flag.Parse()

	raw, err := os.ReadFile(*spec)
	if err != nil {
		log.Fatal(err)
	}
	src, err := os.ReadFile(*routes)
	if err != nil {
		log.Fatal(err)
	}
	ops, err := specgen.RoutesFromSource(*routes, src)
	if err != nil {
		log.Fatal(err)
	}
	doc, err := specgen.Generate(raw, ops)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, doc, 0o644); err != nil {
		log.Fatal(err)
	}
}
