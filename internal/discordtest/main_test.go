package discordtest_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaks a goroutine: the fake's
// gateway and HTTP server, and discordgo's sessions, must all stop on Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
