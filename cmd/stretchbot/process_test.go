package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/store"
)

// buildBinary builds this command into a temporary folder and returns the
// path of the executable, so fault tests can run, lock and kill -9 a real
// second process. The build is cached by the go tool, so it costs about a
// link each time.
func buildBinary(t testing.TB) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go tool is needed to build the binary: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "stretchbot")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// syncBuffer is a bytes.Buffer a child process may write to (through
// exec.Cmd's copying goroutine) while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestBinaryReportsCorruptAndLockedDatabases runs the built binary as
// separate processes: a damaged file is refused with a clear message and
// exit code 1 and left byte for byte as it was; a file another running
// stretchbot holds is refused within the open timeout, with exit code 1.
func TestBinaryReportsCorruptAndLockedDatabases(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	env := []string{"HOME=" + dir} // a clean environment, nothing of the developer's

	t.Run("corrupt", func(t *testing.T) {
		path := filepath.Join(dir, "bad.db")
		garbage := bytes.Repeat([]byte("not a database "), 1000)
		if err := os.WriteFile(path, garbage, 0o600); err != nil {
			t.Fatal(err)
		}
		before, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"console", "--db", path}, {"check", "--db", path}, {"run", "--db", path}} {
			cmd := exec.Command(bin, args...)
			cmd.Env = append(env, "DISCORD_TOKEN=unused", "DISCORD_API_BASE=http://127.0.0.1:1")
			cmd.Stdin = strings.NewReader("/stretch now\n")
			out, err := cmd.CombinedOutput()
			if code := exitCode(err); code != exitError || !strings.Contains(string(out), "not a stretchbot database or it is damaged") {
				t.Fatalf("%v: exit %d (%v), output %q", args, code, err, out)
			}
		}
		after, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, garbage) || !after.ModTime().Equal(before.ModTime()) {
			t.Fatal("the damaged file was modified")
		}
	})

	t.Run("locked", func(t *testing.T) {
		path := filepath.Join(dir, "held.db")
		// The holder: a console whose stdin stays open, so it runs until
		// the pipe is closed.
		holder := exec.Command(bin, "console", "--db", path)
		holder.Env = env
		stdin, err := holder.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := holder.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var holderErr syncBuffer
		holder.Stderr = &holderErr
		if err := holder.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stdin.Close()
			holder.Wait()
		})
		// The banner is printed once the database is open, so the lock
		// is held from here on.
		banner := make(chan error, 1)
		go func() {
			// A line about the adopted time zone may come first.
			r := bufio.NewReader(stdout)
			var err error
			for i := 0; ; i++ {
				var line string
				line, err = r.ReadString('\n')
				if err != nil || strings.Contains(line, "stretchbot console") {
					break
				}
				if i == 3 {
					err = fmt.Errorf("no banner in the first lines; last %q", line)
					break
				}
			}
			banner <- err
			io.Copy(io.Discard, stdout)
		}()
		select {
		case err := <-banner:
			if err != nil {
				t.Fatalf("holder: %v\nstderr: %s", err, holderErr.String())
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("the holder did not start\nstderr: %s", holderErr.String())
		}

		for _, args := range [][]string{{"console", "--db", path}, {"run", "--db", path}} {
			second := exec.Command(bin, args...)
			second.Env = append(env, "DISCORD_TOKEN=unused", "DISCORD_API_BASE=http://127.0.0.1:1")
			second.Stdin = strings.NewReader("/stretch now\n")
			start := time.Now()
			out, err := second.CombinedOutput()
			took := time.Since(start)
			if code := exitCode(err); code != exitError || !strings.Contains(string(out), "in use by another process") {
				t.Fatalf("%v: exit %d (%v), output %q", args, code, err, out)
			}
			// A guard against waiting for the lock forever (bbolt's
			// default), not a speed target: the refusal comes after
			// store.DefaultTimeout plus process start and exit, which a
			// loaded machine can stretch well past a second.
			if took > 30*store.DefaultTimeout {
				t.Fatalf("%v: took %v to report the lock", args, took)
			}
			t.Logf("%v: refused after %v", args, took.Round(time.Millisecond))
		}

		// The holder is unharmed: it still answers and exits cleanly.
		if _, err := io.WriteString(stdin, "quit\n"); err != nil {
			t.Fatal(err)
		}
		stdin.Close()
		if err := holder.Wait(); err != nil {
			t.Fatalf("holder: %v\nstderr: %s", err, holderErr.String())
		}
	})
}

// exitCode is the exit code of a finished command; -1 when it did not run
// or was killed by a signal.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

// TestSecondSignalForcesExit: SIGTERM starts a graceful shutdown that waits
// for a reminder stuck in flight (Discord answering slowly); a second signal
// ends the process at once, with exit code 1.
func TestSecondSignalForcesExit(t *testing.T) {
	bin := buildBinary(t)
	fake := discordtest.New(t, discordtest.Options{})
	dbPath := filepath.Join(t.TempDir(), "x.db")
	channels := make([]string, 1)
	seedBurst(t, dbPath, channels, time.Now().Add(time.Second))
	// The reminder's POST hangs far longer than the test runs.
	fake.Delay("POST", "/channels/*/messages", time.Minute)

	var stderr syncBuffer
	cmd := exec.Command(bin, "run")
	cmd.Env = []string{
		"DISCORD_TOKEN=" + fake.Token(),
		"DISCORD_API_BASE=" + fake.URL(),
		"STRETCHBOT_DB=" + dbPath,
		"STRETCHBOT_SHUTDOWN=5m",
		"STRETCHBOT_LOG_LEVEL=debug",
	}
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The send is in flight once the fake holds its request.
	inFlight := func() bool {
		for _, p := range fake.Held() {
			if p == "/channels/"+channels[0]+"/messages" {
				return true
			}
		}
		return false
	}
	if err := fake.WaitFor(ctx, inFlight); err != nil {
		t.Fatalf("the reminder never reached Discord: %v\n%s", err, stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitLog(t, &stderr, "shutting down")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("exit: %v, want code 1\n%s", err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "second signal") {
			t.Fatalf("no word of the second signal:\n%s", stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the second signal did not end the process\n%s", stderr.String())
	}
}

// waitLog waits until the child's log contains want.
func waitLog(t *testing.T, log *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(log.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log never said %q:\n%s", want, log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
