// Command stretchbot runs the stretchbot Discord bot, or the same bot in a
// terminal (console), and offers backup and check of its database.
//
// Usage:
//
//	stretchbot [run] [flags]        connect to Discord (DISCORD_TOKEN)
//	stretchbot console [flags]      the whole bot in a terminal
//	stretchbot backup --out FILE    copy the database safely
//	stretchbot check [--db FILE]    check a database file
//	stretchbot migrate --from FILE --to URL   copy a bbolt file into PostgreSQL
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // reminders need IANA zones even where the system has none
)

func main() {
	if path := os.Getenv(checkWorkerEnv); path != "" {
		os.Exit(runCheckWorker(path, os.Stdout))
	}
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel() // first signal: shut down gracefully
		<-sigs
		fmt.Fprintln(os.Stderr, "stretchbot: second signal, exiting now")
		os.Exit(1)
	}()
	m := NewMain()
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program, with its environment injectable for tests.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
}

// NewMain returns a Main on the process's own streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // something failed while running
	exitUsage = 2 // a bad setting or argument
)

const usage = `stretchbot: gentle stretches and reminders for a sore lower back, on Discord.

Usage:
  stretchbot [run] [flags]       connect to Discord (needs DISCORD_TOKEN)
  stretchbot console [flags]     the whole bot in this terminal, no Discord needed
  stretchbot backup --out FILE   a consistent copy of the database
  stretchbot check [--db FILE]   check a database file for damage
  stretchbot migrate --from FILE --to postgres://...
                                 copy a database file into PostgreSQL
  stretchbot health [--addr A]   ask a running bot's /healthz (for container health checks)
  stretchbot help                this text

Run "stretchbot <command> -h" (or "stretchbot help <command>") for the
flags of a command.
`

func isHelpFlag(s string) bool {
	return s == "-h" || s == "-help" || s == "--help"
}

// Run runs the command in args and returns the process exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	cmd := "run"
	switch {
	case len(args) > 0 && isHelpFlag(args[0]):
		cmd, args = "help", args[1:]
	case len(args) > 0 && (len(args[0]) == 0 || args[0][0] != '-'):
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" && len(args) > 0 {
		// "stretchbot help console" is "stretchbot console -h".
		cmd, args = args[0], []string{"-h"}
	}
	var err error
	switch cmd {
	case "run":
		err = m.runDiscord(ctx, args)
	case "console":
		err = m.runConsole(ctx, args)
	case "backup":
		err = m.runBackup(ctx, args)
	case "migrate":
		err = m.runMigrate(ctx, args)
	case "check":
		err = m.runCheck(ctx, args)
	case "health":
		err = m.runHealth(ctx, args)
	case "help":
		fmt.Fprint(m.Stdout, usage)
		return exitOK
	default:
		err = usagef("unknown command %q\n\n%s", cmd, usage)
	}
	var ue *UsageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "stretchbot: %s\n", ue.Msg)
		return exitUsage
	default:
		fmt.Fprintf(m.Stderr, "stretchbot: %s\n", err)
		return exitError
	}
}
