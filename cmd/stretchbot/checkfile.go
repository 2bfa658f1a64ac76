package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"

	"github.com/stretchbot/stretchbot/store"
)

// checkWorkerEnv, set in the environment, makes this binary check the
// database file it names and print the outcome as JSON instead of running
// a command. `stretchbot check` runs itself that way: bbolt's consistency
// check runs on a goroutine of its own, and some damaged pages make it
// panic there, which no recover in ours can catch; in a child process
// such a crash is one more problem to report.
const checkWorkerEnv = "STRETCHBOT_CHECK_WORKER_FILE"

// checkOutcome is what the worker prints.
type checkOutcome struct {
	Problems []string `json:"problems"`
	// Locked, SchemaTooNew and Failed are for what is not damage.
	Locked       bool   `json:"locked,omitempty"`
	SchemaTooNew bool   `json:"schema_too_new,omitempty"`
	Failed       string `json:"failed,omitempty"`
}

// runCheckWorker is the child's side: check path in this process and
// print the outcome. A panic inside bbolt ends the process before it
// prints anything, which the parent sees.
func runCheckWorker(path string, out io.Writer) int {
	var o checkOutcome
	problems, err := store.CheckProblems(path)
	o.Problems = problems
	switch {
	case errors.Is(err, store.ErrLocked):
		o.Locked = true
	case errors.Is(err, store.ErrSchemaTooNew):
		o.SchemaTooNew = true
	case err != nil:
		o.Failed = err.Error()
	}
	if err := json.NewEncoder(out).Encode(o); err != nil {
		return exitError
	}
	return exitOK
}

// DamagedError is a database file with problems: exit code 1, each
// problem on its own line.
type DamagedError struct {
	Path     string
	Problems []string
}

func (e *DamagedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: this file is not a stretchbot database or it is damaged; it was not changed. Problems found:\n", e.Path)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "  - %s\n", p)
	}
	b.WriteString("Restore a backup (see README), or keep this file aside and start from an empty database.")
	return b.String()
}

// checkFile checks the database file at path without letting damage crash
// this process: a page-level pre-check reads the structures bbolt trusts,
// and only when they are sound does a child process run bbolt's own check
// and decode every record. It returns nil for a healthy file, a
// *DamagedError listing the problems, or another error (locked, newer
// schema, missing file).
func checkFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("check %s: the file does not exist", path)
	} else if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	problems, fatal, err := store.CheckPages(path)
	if err != nil {
		return err
	}
	if !fatal {
		more, err := checkInChild(ctx, path)
		if err != nil {
			return err
		}
		problems = append(problems, more...)
	}
	if len(problems) > 0 {
		return &DamagedError{Path: path, Problems: problems}
	}
	return nil
}

// checkInChild runs the check of path in a child process of this binary.
func checkInChild(ctx context.Context, path string) ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("check %s: find this program to run the check: %w", path, err)
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), checkWorkerEnv+"="+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var o checkOutcome
	if jerr := json.Unmarshal(stdout.Bytes(), &o); jerr != nil || runErr != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("check %s: %w", path, ctx.Err())
		}
		return []string{"bbolt's consistency check crashed on a damaged page: " + crashReason(stderr.String(), runErr)}, nil
	}
	switch {
	case o.Locked:
		return nil, fmt.Errorf("check %s: %w", path, store.ErrLocked)
	case o.SchemaTooNew:
		return nil, fmt.Errorf("check %s: %w", path, store.ErrSchemaTooNew)
	case o.Failed != "":
		return nil, errors.New(o.Failed)
	}
	return o.Problems, nil
}

// crashReason picks the first line of a Go crash ("panic: ..." or "fatal
// error: ..."), without the stack trace.
func crashReason(stderr string, err error) string {
	for _, line := range strings.Split(stderr, "\n") {
		for _, p := range []string{"panic: ", "fatal error: ", "unexpected fault address"} {
			if strings.HasPrefix(line, p) {
				return strings.TrimSpace(strings.TrimPrefix(line, "panic: "))
			}
		}
	}
	if err != nil {
		return err.Error()
	}
	return "no result"
}
