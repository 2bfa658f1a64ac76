package discordtest

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchbot/stretchbot/internal/discordtest/internal/specgen"
)

// TestOpenAPISpecLoads compiles the request schemas, which fails if a route
// the fake serves is missing from them, and logs how long that took.
func TestOpenAPISpecLoads(t *testing.T) {
	o, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("request schemas compiled in %v (once per process)", o.loadTime)
}

// TestRequestSchemasAreCurrent regenerates spec/requests.json from the
// embedded spec and the route table and fails if the committed file
// differs: after changing either (or an allowance), run
// go generate ./internal/discordtest.
func TestRequestSchemasAreCurrent(t *testing.T) {
	spec, err := os.ReadFile("spec/openapi.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("rest.go")
	if err != nil {
		t.Fatal(err)
	}
	ops, err := specgen.RoutesFromSource("rest.go", src)
	if err != nil {
		t.Fatal(err)
	}
	// The generator reads the route table from source; it must see exactly
	// the routes the fake serves.
	if len(ops) != len(routes) {
		t.Fatalf("generator found %d routes in rest.go, the fake serves %d", len(ops), len(routes))
	}
	for i, r := range routes {
		if ops[i] != (specgen.Op{Method: r.method, Path: r.template}) {
			t.Fatalf("route %d: generator read %v, the fake serves %s %s", i, ops[i], r.method, r.template)
		}
	}
	want, err := specgen.Generate(spec, ops)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(requestSchemas, want) {
		t.Fatal("spec/requests.json is not what the generator writes today: run go generate ./internal/discordtest")
	}
}
