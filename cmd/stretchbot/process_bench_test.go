package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/benchdata"
	"github.com/stretchbot/stretchbot/store"
)

// BenchmarkProcess1M starts the built binary on a file with a million
// reminders (benchdata: three per person, ten zones, each fired yesterday)
// in console mode, which arms everything as `run` does but needs no
// Discord. It reports the time from exec to "schedules armed" and the
// process's resident memory at that moment, anonymous (heap, stacks) and
// file-backed (the mapped database), and the CPU time it used until then.
// Goals: armed within 1.5 s, anonymous RSS at most 250 MB. Linux only (it
// reads /proc). Writing the file takes about 15 s and is not timed.
func BenchmarkProcess1M(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("reads the process's memory from /proc")
	}
	bin := buildBinary(b)
	dbPath := filepath.Join(b.TempDir(), "million.db")
	func() {
		db, err := store.Open(dbPath, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if _, err := benchdata.Write(context.Background(), db, 1_000_000, time.Now().Add(-24*time.Hour).Truncate(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}()
	var armed, cpu time.Duration
	var anon, file int
	for b.Loop() {
		armed, cpu, anon, file = runUntilArmed(b, bin, dbPath)
	}
	b.ReportMetric(armed.Seconds(), "armed-s")
	b.ReportMetric(cpu.Seconds(), "cpu-s")
	b.ReportMetric(float64(anon)/1024, "anon-RSS-MB")
	b.ReportMetric(float64(file)/1024, "file-RSS-MB")
}

// runUntilArmed starts the binary's console on dbPath, waits for its
// "schedules armed" log line, reads its memory and the CPU time it used
// (user and system, all threads: on a machine shared with other work it
// says what arming costs, where the wall time says how busy the machine
// was) and stops it. Memory is in KiB.
func runUntilArmed(b *testing.B, bin, dbPath string) (armed, cpu time.Duration, anonKB, fileKB int) {
	b.Helper()
	cmd := exec.Command(bin, "console")
	cmd.Env = []string{"STRETCHBOT_DB=" + dbPath, "STRETCHBOT_LOG_LEVEL=info", "HOME=" + b.TempDir(), "TZ=UTC"}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stdout = io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}()
	lines := bufio.NewScanner(stderr)
	var log strings.Builder
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "schedules armed") {
			armed = time.Since(start)
			break
		}
	}
	if armed == 0 {
		b.Fatalf("the console never logged \"schedules armed\":\n%s", log.String())
	}
	go io.Copy(io.Discard, stderr)
	proc := "/proc/" + strconv.Itoa(cmd.Process.Pid)
	if stat, err := os.ReadFile(proc + "/stat"); err == nil {
		// Fields after the command name's closing parenthesis: utime and
		// stime are the 12th and 13th, in clock ticks (100 a second).
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) > 12 {
			ut, _ := strconv.Atoi(f[11])
			st, _ := strconv.Atoi(f[12])
			cpu = time.Duration(ut+st) * 10 * time.Millisecond
		}
	}
	status, err := os.ReadFile(proc + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.Atoi(f[1])
		switch f[0] {
		case "RssAnon:":
			anonKB = n
		case "RssFile:":
			fileKB = n
		}
	}
	return armed, cpu, anonKB, fileKB
}
