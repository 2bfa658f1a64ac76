package discordtest

import "testing"

// TestOpenAPISpecLoads loads the embedded spec, which fails if a route the
// fake serves or an allowance's target is missing from it, and logs how long
// the one-time load took.
func TestOpenAPISpecLoads(t *testing.T) {
	o, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("OpenAPI spec loaded in %v (once per process)", o.loadTime)
	for _, a := range allowances {
		if a.reason == "" {
			t.Errorf("allowance %s has no reason", a.pointer)
		}
	}
}
