package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/chart"
	"github.com/stretchbot/stretchbot/console"
	"github.com/stretchbot/stretchbot/lang"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store"
)

func (m *Main) runConsole(ctx context.Context, args []string) error {
	cfg, rest, err := parseConfig("console", args, m.Getenv, m.Stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("console takes no arguments, got %q", rest)
	}
	log := cfg.logger(m.Stderr)
	a, err := openApp(cfg, log, scheduler.RealClock(), true, chart.New(), nil)
	if err != nil {
		return err
	}
	con := console.New(a.bot, m.Stdout, console.Options{FileDir: cfg.OutDir, Lang: cfg.Lang, Terminal: isTerminal(m.Stdout), Echo: !isTerminal(m.Stdin), Private: cfg.Private})
	a.sender = con
	if err := m.adoptLocalZone(ctx, a, lang.For(cfg.Lang)); err != nil {
		a.close(context.Background())
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := a.start(ctx); err != nil {
		a.close(context.Background())
		return err
	}
	runErr := con.Run(ctx, m.Stdin)
	cancel()
	stopCtx, stop := context.WithTimeout(context.Background(), cfg.Shutdown)
	defer stop()
	return errors.Join(runErr, a.close(stopCtx))
}

// isTerminal reports whether f is a terminal (a character device), such as
// a console's standard input or output when nothing is piped.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// adoptLocalZone gives the console's user this computer's time zone when
// they have none yet, so "/stretch remind set time:7:30" works at once.
func (m *Main) adoptLocalZone(ctx context.Context, a *app, p *lang.Printer) error {
	zone := localZone(m.Getenv)
	if zone == "" {
		return nil
	}
	adopted := false
	if _, err := a.db.UpdateUser(ctx, console.UserID, func(u *stretchbot.User) error {
		if u.TimeZone == "" {
			u.TimeZone, adopted = zone, true
		}
		// Reminders come in the console's language from the start.
		u.Locale = p.Locale()
		return nil
	}); err != nil {
		return fmt.Errorf("set the console's time zone: %w", err)
	}
	if adopted {
		fmt.Fprintln(m.Stdout, p.T("console.local_zone", "Zone", zone))
	}
	return nil
}

// localZone names this computer's IANA time zone: $TZ, else the target of
// /etc/localtime; "" when neither names a zone we can load.
func localZone(getenv func(string) string) string {
	candidates := []string{strings.TrimPrefix(getenv("TZ"), ":")}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			candidates = append(candidates, name)
		}
	}
	for _, name := range candidates {
		if loc, err := stretchbot.LoadLocation(name); err == nil {
			return loc.String()
		}
	}
	return ""
}

func (m *Main) runDiscord(ctx context.Context, args []string) error {
	cfg, rest, err := parseConfig("run", args, m.Getenv, m.Stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected arguments %q", rest)
	}
	if cfg.Token == "" {
		return usagef("DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications, copy its token, and run DISCORD_TOKEN=... stretchbot. To try the bot without Discord: stretchbot console")
	}
	log := cfg.logger(m.Stderr)
	met := newMetrics()
	a, err := openApp(cfg, log, scheduler.RealClock(), false, chart.New(), met)
	if err != nil {
		return err
	}
	d, err := bot.NewDiscord(bot.DiscordConfig{Token: string(cfg.Token), APIBase: cfg.APIBase, GuildID: cfg.GuildID, Shards: cfg.Shards, ShardIDs: cfg.ShardIDs, BeforeIdentify: a.beforeIdentify(), Bot: a.bot, Logger: log.With("component", "discord"), OnRateLimited: met.rateLimited.Inc, Grace: cfg.Shutdown, RequestsPerSecond: cfg.Rate})
	if err != nil {
		a.close(context.Background())
		return err
	}
	a.sender = d
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := d.Open(runCtx); err != nil {
		a.close(context.Background())
		if errors.Is(err, bot.ErrBadToken) {
			return fmt.Errorf("%w. Copy it again from the Bot page of your application in the developer portal", bot.ErrBadToken)
		}
		return fmt.Errorf("connect to Discord: %w", err)
	}
	if err := a.start(runCtx); err != nil {
		d.Close(context.Background())
		a.close(context.Background())
		return err
	}
	if bdb := a.bolt(); cfg.BackupSocket != "" && bdb != nil {
		if err := serveBackup(runCtx, cfg.BackupSocket, bdb.Backup, log); err != nil {
			d.Close(context.Background())
			a.close(context.Background())
			return err
		}
	}
	if cfg.HTTP != "" {
		met.watch(a.sched, d.Stats)
		if bdb := a.bolt(); bdb != nil {
			met.watchReads(bdb.OpenReads)
		}
		h := health{dbOpen: a.db.Ready, connected: d.Connected, lag: a.sched.Lag}
		if err := serveHTTP(runCtx, "ops", "STRETCHBOT_HTTP", opsServer(cfg.HTTP, met.reg, h), log); err != nil {
			d.Close(context.Background())
			a.close(context.Background())
			return err
		}
	}
	if cfg.InteractionsAddr != "" {
		if err := serveHTTP(runCtx, "interactions", "STRETCHBOT_INTERACTIONS_ADDR", interactionsServer(cfg.InteractionsAddr, d, cfg.PublicKey), log); err != nil {
			d.Close(context.Background())
			cancel()
			a.close(context.Background())
			return err
		}
	}
	log.Info("stretchbot is running", "db", cfg.DB, "guild", cfg.GuildID)
	<-ctx.Done()
	log.Info("shutting down")
	stopCtx, stop := context.WithTimeout(context.Background(), cfg.Shutdown)
	defer stop()
	// Stop taking interactions first, then let deliveries finish, then close
	// the database: nothing writes to a closed store.
	derr := d.Close(stopCtx)
	cancel()
	return errors.Join(derr, a.close(stopCtx))
}

func (m *Main) runBackup(ctx context.Context, args []string) error {
	cfg, _, err := parseBackupFlags(args, m.Getenv, m.Stdout)
	if err != nil {
		return err
	}
	// Write beside the target and rename at the end, so a failed backup
	// never leaves a half-written file under the real name.
	tmp := cfg.out + ".partial"
	var n int64
	from := cfg.from
	if from != "" {
		n, err = fetchBackup(ctx, from, tmp)
	} else {
		n, err = backupFile(ctx, cfg.db, tmp)
		if errors.Is(err, store.ErrLocked) {
			// A bot is running on the file: copy through its socket.
			from = defaultBackupSocket(cfg.db)
			if _, serr := os.Stat(from); serr != nil {
				err = fmt.Errorf("%s is in use by a running bot, and its backup socket %s is not there: copy through the socket that bot serves (its STRETCHBOT_BACKUP_SOCKET) with --from SOCKET", cfg.db, from)
			} else {
				n, err = fetchBackup(ctx, from, tmp)
			}
		}
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := checkFile(ctx, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("the backup failed its integrity check: %w", err)
	}
	if err := os.Rename(tmp, cfg.out); err != nil {
		return fmt.Errorf("finish backup %s: %w", cfg.out, err)
	}
	src := cfg.db
	if from != "" {
		src = "the running bot (through " + from + ")"
	}
	fmt.Fprintf(m.Stdout, "backup of %s written to %s (%d bytes)\n", src, cfg.out, n)
	return nil
}

func backupFile(ctx context.Context, path, out string) (int64, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	db, err := store.Open(path, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return 0, err
		}
		return 0, dbError(path, err)
	}
	defer db.Close()
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("create backup: %w", err)
	}
	n, err := db.Backup(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("write backup: %w", err)
	}
	return n, nil
}

func (m *Main) runCheck(ctx context.Context, args []string) error {
	cfg, rest, err := parseConfig("check", args, m.Getenv, m.Stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("check takes no arguments, got %q (the file goes in --db)", rest)
	}
	if err := checkFile(ctx, cfg.DB); err != nil {
		var damaged *DamagedError
		if errors.As(err, &damaged) {
			return err
		}
		return dbError(cfg.DB, err)
	}
	fmt.Fprintf(m.Stdout, "%s: ok\n", cfg.DB)
	return nil
}
