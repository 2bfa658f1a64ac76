package main

import (
	"os"
	"testing"
)

// TestMain lets this test binary be the child process `stretchbot check`
// runs, as the real binary is (see checkWorkerEnv).
func TestMain(m *testing.M) {
	if path := os.Getenv(checkWorkerEnv); path != "" {
		os.Exit(runCheckWorker(path, os.Stdout))
	}
	os.Exit(m.Run())
}
