package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/postgres"
)

// runMigrate copies a bbolt database into an empty PostgreSQL one.
func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := newFlagSet("migrate", "Usage: stretchbot migrate --from FILE --to postgres://...\n\nCopy every record of a bbolt database into an empty PostgreSQL database, in one transaction. Stop the bot first.")
	from := fs.String("from", "", "the bbolt database file (required)")
	to := fs.String("to", "", "the PostgreSQL database, postgres://user:password@host/db (required)")
	if err := fs.parse(args, m.Stdout); err != nil {
		return err
	}
	src, dst := strings.TrimSpace(*from), strings.TrimSpace(*to)
	switch {
	case fs.NArg() > 0:
		return usagef("migrate: unexpected arguments %q", fs.Args())
	case src == "" || dst == "":
		return usagef("migrate: both --from FILE and --to postgres://... are required")
	case !postgres.IsURL(dst):
		return usagef("migrate: --to %q is not a postgres:// URL", dst)
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Read-only: the file stays exactly as it was, and a bot still
	// running on it is refused (its lock), so no record changes midway.
	bdb, err := store.Open(src, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return fmt.Errorf("migrate: %s is in use by a running bot; stop it first", src)
		}
		return dbError(src, err)
	}
	defer bdb.Close()
	pg, err := postgres.Open(ctx, dst, postgres.Options{})
	if err != nil {
		return dbError(postgres.Redact(dst), err)
	}
	defer pg.Close()
	start := time.Now()
	n, err := pg.Load(ctx, func(sink store.Sink) error { return bdb.Dump(ctx, sink) })
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintf(m.Stdout, "migrated %s to %s in %v: %s, %s (%d with a fired occurrence, %s), %s, %s, %s\n",
		src, pg.Name(), time.Since(start).Round(time.Millisecond),
		counted(n.Users, "user"), counted(n.Schedules, "schedule"), n.Fired,
		counted(n.Unsettled, "unsettled send"), counted(n.Completions, "completion"),
		counted(n.CheckIns, "check-in"), counted(n.BreakClicks, "break click"))
	return nil
}

// counted writes an operator's count in English ("1 user", "2 users"):
// operator output is not translated, and these nouns all add an s.
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
