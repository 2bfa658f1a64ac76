package stretchbot_test

import (
	"os"
	"strings"
	"testing"
)

// TestCIFuzzPassExplores: CI's few seconds per fuzz target go to new
// inputs, not to minimising the ones found (which stalled a target from 9 s
// to 30 s), and README says how to fuzz for longer.
func TestCIFuzzPassExplores(t *testing.T) {
	script, err := os.ReadFile(".ci/fuzz")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(script), "\n") {
		if strings.Contains(line, "go test") && strings.Contains(line, "-fuzz=") && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			if !strings.Contains(line, "-fuzzminimizetime=0") {
				t.Errorf(".ci/fuzz runs the fuzzer with minimisation on: %s", strings.TrimSpace(line))
			}
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "-fuzztime=10m") {
		t.Error("README does not say how to fuzz a target for longer")
	}
}
