package main

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/console"
	"github.com/stretchbot/stretchbot/internal/logredact"
	"github.com/stretchbot/stretchbot/lang"
	"github.com/stretchbot/stretchbot/store/postgres"
)

// Secret is a string that never prints: not in logs, errors or config dumps.
type Secret string

const redacted = "[redacted]"

// String implements fmt.Stringer.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return s.String() }

// LogValue keeps slog from printing the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText keeps encoders (JSON, slog's JSON handler) from printing it.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Config is every setting of stretchbot. Each comes from a flag or, when the
// flag is not given, from its environment variable.
type Config struct {
	Token   Secret // DISCORD_TOKEN
	GuildID string // DISCORD_GUILD_ID
	APIBase string // DISCORD_API_BASE, --discord-api
	DB      string // STRETCHBOT_DB, --db
	OutDir  string // --out (console): where charts and exports go; "" = the current folder
	Lang    string // --lang (console): the message file the console answers in ("de", "en")
	// NoImages leaves the stretch pictures out of the console's cards
	// (--images=false, console only); on Discord they are always shown.
	NoImages bool
	// Private makes the console act as a conversation between people
	// reached through the user's own install (--context=private, console
	// only); the default is a server's channel.
	Private bool
	HTTP    string // STRETCHBOT_HTTP, --http: metrics and health; "" = off
	// BackupSocket is the Unix socket `stretchbot backup` copies a running
	// bot's database through; "" = beside the database, "off" = none.
	BackupSocket string // STRETCHBOT_BACKUP_SOCKET, --backup-socket
	// InteractionsAddr is where Discord POSTs interactions (the
	// Interactions Endpoint URL, path /interactions), verified with
	// PublicKey; "" = interactions come on the gateway only.
	InteractionsAddr string            // STRETCHBOT_INTERACTIONS_ADDR, --interactions-addr
	PublicKey        ed25519.PublicKey // DISCORD_PUBLIC_KEY: the application's key, 64 hex digits
	Grace            time.Duration     // STRETCHBOT_GRACE, --grace: how late a missed reminder may still go out
	Shutdown         time.Duration     // STRETCHBOT_SHUTDOWN, --shutdown-timeout: bound for in-flight work at exit
	Rate             float64           // STRETCHBOT_RATE, --rate: REST requests (and so at most reminder deliveries) per second
	Shards           int               // STRETCHBOT_SHARDS, --shards: 0 = as Discord recommends
	ShardIDs         []int             // STRETCHBOT_SHARD_IDS, --shard-ids: the shards this process connects; empty = all
	LogLevel         slog.Level        // STRETCHBOT_LOG_LEVEL, --log-level
	LogFormat        string            // STRETCHBOT_LOG_FORMAT, --log-format: text or json
}

// UsageError is a bad setting or argument; main exits with code 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// modeFlags lists the flags of each command that reads a Config: each
// command's help shows its own flags only, and a flag of another command is
// refused rather than silently ignored.
var modeFlags = map[string][]string{
	"run":     {"db", "discord-api", "guild", "http", "backup-socket", "interactions-addr", "grace", "shutdown-timeout", "rate", "shards", "shard-ids", "log-level", "log-format"},
	"console": {"db", "out", "images", "lang", "context", "grace", "shutdown-timeout", "log-level", "log-format"},
	"check":   {"db"},
}

// modeSummary is the first line of each command's help.
var modeSummary = map[string]string{
	"run":     "Usage: stretchbot [run] [flags]\n\nConnect to Discord with DISCORD_TOKEN and serve the commands and reminders.",
	"console": "Usage: stretchbot console [flags]\n\nThe whole bot in this terminal, with no Discord account: type commands, press buttons by their keys, watch reminders arrive.",
	"check":   "Usage: stretchbot check [--db FILE]\n\nCheck a database file for damage, without changing it.",
}

// flagSet is a command's flags with the summary its help starts with.
type flagSet struct {
	*flag.FlagSet
	summary string
}

func newFlagSet(name, summary string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by main
	return &flagSet{FlagSet: fs, summary: summary}
}

// parse parses args. For -h or --help it writes the command's summary and
// its flags to help and returns errHelp.
func (fs *flagSet) parse(args []string, help io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(help, "%s\n\nFlags:\n", fs.summary)
		fs.SetOutput(help)
		fs.PrintDefaults()
		return errHelp
	case err != nil:
		if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
			if other := commandWithFlag(name); other != "" {
				return usagef("--%s is a flag of stretchbot %s, not of %s (see stretchbot %s -h)", name, other, fs.Name(), fs.Name())
			}
		}
		return usagef("%v (see stretchbot %s -h)", err, fs.Name())
	}
	return nil
}

// commandWithFlag names a command that has the flag, "" when none has.
func commandWithFlag(name string) string {
	for _, cmd := range []string{"run", "console", "check"} {
		if slices.Contains(modeFlags[cmd], name) {
			return cmd
		}
	}
	return ""
}

// firstSet is the first of the environment variables keys that is set.
func firstSet(getenv func(string) string, keys ...string) string {
	for _, k := range keys {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// errHelp means help was asked for and printed: exit 0.
var errHelp = errors.New("help printed")

// parseConfig reads the flags of command name from args, falling back to
// env for anything not given, and validates every value the command uses.
// Settings of other commands keep their defaults. -h writes the command's
// help to help.
func parseConfig(name string, args []string, getenv func(string) string, help io.Writer) (Config, []string, error) {
	fs := newFlagSet(name, modeSummary[name])
	own := map[string]bool{}
	for _, f := range modeFlags[name] {
		own[f] = true
	}
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	str := func(flagName, key, def, usage string) *string {
		if !own[flagName] {
			return &def
		}
		return fs.String(flagName, env(key, def), usage)
	}
	db := str("db", "STRETCHBOT_DB", "stretchbot.db", "database file (STRETCHBOT_DB)")
	outDir := str("out", "", "", "folder for charts and exports (default: the current folder)")
	api := str("discord-api", "DISCORD_API_BASE", "", "Discord REST base URL, for a proxy or a test server (DISCORD_API_BASE)")
	guild := str("guild", "DISCORD_GUILD_ID", "", "register commands to this server only, for development (DISCORD_GUILD_ID)")
	httpAddr := str("http", "STRETCHBOT_HTTP", "", "address for /metrics and /healthz, e.g. :9090; empty = off (STRETCHBOT_HTTP)")
	backupSocket := str("backup-socket", "STRETCHBOT_BACKUP_SOCKET", "", "Unix socket serving backups to `stretchbot backup`; empty = DB.run/backup.sock beside the database, off = none (STRETCHBOT_BACKUP_SOCKET)")
	interactions := str("interactions-addr", "STRETCHBOT_INTERACTIONS_ADDR", "", "address to receive interactions over HTTP at /interactions, e.g. :8080; needs DISCORD_PUBLIC_KEY; empty = gateway only (STRETCHBOT_INTERACTIONS_ADDR)")
	grace := str("grace", "STRETCHBOT_GRACE", "10m", "send reminders missed while down if at most this late (STRETCHBOT_GRACE)")
	shutdown := str("shutdown-timeout", "STRETCHBOT_SHUTDOWN", "10s", "how long to wait for in-flight work at exit (STRETCHBOT_SHUTDOWN)")
	rate := str("rate", "STRETCHBOT_RATE", "47", "REST requests per second, below Discord's global 50/s; a reminder is one, a first DM two (STRETCHBOT_RATE)")
	shards := str("shards", "STRETCHBOT_SHARDS", "0", "number of gateway shards; 0 = as Discord recommends (STRETCHBOT_SHARDS)")
	shardIDs := str("shard-ids", "STRETCHBOT_SHARD_IDS", "", "the shards this process connects, e.g. 0-3 or 4,5; needs --shards; empty = all (STRETCHBOT_SHARD_IDS)")
	// The console is a conversation in the terminal: only warnings and
	// errors interrupt it unless asked for more.
	defLevel := "info"
	if name == "console" {
		defLevel = "warn"
	}
	level := str("log-level", "STRETCHBOT_LOG_LEVEL", defLevel, "debug, info, warn or error (STRETCHBOT_LOG_LEVEL)")
	format := str("log-format", "STRETCHBOT_LOG_FORMAT", "text", "text or json (STRETCHBOT_LOG_FORMAT)")
	// The console's language: --lang, else the terminal's (LC_ALL,
	// LC_MESSAGES, LANG, as POSIX orders them); one without a message file
	// is English.
	locale := str("lang", "", firstSet(getenv, "LC_ALL", "LC_MESSAGES", "LANG"), "language of the console's answers, e.g. de, fr, es-ES, es-419, pt-BR (default: from LC_ALL, LC_MESSAGES or LANG; English when there is no message file for it)")
	images := new(bool)
	if own["images"] {
		images = fs.Bool("images", true, "save each card's stretch picture in "+console.PictureDir+"/ inside the --out folder and print its path; false leaves pictures out")
	}
	where := str("context", "", "server", "where the console's commands come from: server (a server's channel, through the server's install) or private (a DM or group DM between people, through your own install)")
	if err := fs.parse(args, help); err != nil {
		return Config{}, nil, err
	}
	c := Config{GuildID: strings.TrimSpace(*guild), APIBase: strings.TrimSpace(*api), DB: *db, OutDir: *outDir, HTTP: *httpAddr, LogFormat: strings.ToLower(*format), Lang: lang.For(*locale).Locale()}
	if name == "run" {
		c.Token = Secret(strings.TrimSpace(getenv("DISCORD_TOKEN")))
	}
	c.NoImages = own["images"] && !*images
	switch strings.ToLower(strings.TrimSpace(*where)) {
	case "server":
	case "private":
		c.Private = true
	default:
		return c, nil, usagef("--context: %q is not a place; use server or private", *where)
	}
	var err error
	if c.DB == "" {
		return c, nil, usagef("STRETCHBOT_DB / --db: must name a file or a postgres:// URL")
	}
	if c.OutDir != "" {
		if fi, err := os.Stat(c.OutDir); err != nil || !fi.IsDir() {
			return c, nil, usagef("--out: %q is not a folder", c.OutDir)
		}
	}
	if c.Grace, err = time.ParseDuration(*grace); err != nil || c.Grace < 0 || c.Grace > 24*time.Hour {
		return c, nil, usagef("STRETCHBOT_GRACE / --grace: %q is not a duration between 0 and 24h (e.g. 10m)", *grace)
	}
	if c.Shutdown, err = time.ParseDuration(*shutdown); err != nil || c.Shutdown <= 0 || c.Shutdown > 10*time.Minute {
		return c, nil, usagef("STRETCHBOT_SHUTDOWN / --shutdown-timeout: %q is not a duration between 0 and 10m (e.g. 10s)", *shutdown)
	}
	if c.Rate, err = strconv.ParseFloat(*rate, 64); err != nil || c.Rate <= 0 || c.Rate > 50 {
		return c, nil, usagef("STRETCHBOT_RATE / --rate: %q must be a number above 0 and at most 50 (Discord's global limit)", *rate)
	}
	if c.Shards, err = strconv.Atoi(*shards); err != nil || c.Shards < 0 || c.Shards > 1024 {
		return c, nil, usagef("STRETCHBOT_SHARDS / --shards: %q must be a whole number from 0 to 1024", *shards)
	}
	if c.ShardIDs, err = parseShardIDs(*shardIDs, c.Shards); err != nil {
		return c, nil, err
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, nil, usagef("STRETCHBOT_LOG_LEVEL / --log-level: %q must be debug, info, warn or error", *level)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, nil, usagef("STRETCHBOT_LOG_FORMAT / --log-format: %q must be text or json", *format)
	}
	if c.GuildID != "" {
		if _, err := strconv.ParseUint(c.GuildID, 10, 64); err != nil {
			return c, nil, usagef("DISCORD_GUILD_ID / --guild: %q is not a server id (a number; copy it with Developer Mode on)", c.GuildID)
		}
	}
	if c.APIBase != "" {
		u, err := url.Parse(c.APIBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, nil, usagef("DISCORD_API_BASE / --discord-api: %q is not an http(s) URL", c.APIBase)
		}
	}
	if c.HTTP != "" {
		if _, _, err := net.SplitHostPort(c.HTTP); err != nil {
			return c, nil, usagef("STRETCHBOT_HTTP / --http: %q is not an address like :9090 or 127.0.0.1:9090", c.HTTP)
		}
	}
	switch c.BackupSocket = strings.TrimSpace(*backupSocket); {
	case !own["backup-socket"], c.BackupSocket == "off":
		c.BackupSocket = ""
	case postgres.IsURL(c.DB) && c.BackupSocket == "":
		c.BackupSocket = "" // PostgreSQL is backed up with its own tools
	case postgres.IsURL(c.DB):
		return c, nil, usagef("STRETCHBOT_BACKUP_SOCKET / --backup-socket: the database is PostgreSQL; back it up with its own tools (pg_dump), not through the bot")
	case c.BackupSocket == "":
		c.BackupSocket = defaultBackupSocket(c.DB)
	}
	if len(c.BackupSocket) > maxSocketPath {
		return c, nil, usagef("STRETCHBOT_BACKUP_SOCKET / --backup-socket: %q is longer than the %d bytes a Unix socket path may have; choose a shorter path (or off)", c.BackupSocket, maxSocketPath)
	}
	c.InteractionsAddr = strings.TrimSpace(*interactions)
	key := ""
	if own["interactions-addr"] {
		key = strings.TrimSpace(getenv("DISCORD_PUBLIC_KEY"))
	}
	switch {
	case c.InteractionsAddr == "" && key != "":
		return c, nil, usagef("DISCORD_PUBLIC_KEY is set but STRETCHBOT_INTERACTIONS_ADDR / --interactions-addr is not: set both to receive interactions over HTTP, or neither")
	case c.InteractionsAddr != "":
		if _, _, err := net.SplitHostPort(c.InteractionsAddr); err != nil {
			return c, nil, usagef("STRETCHBOT_INTERACTIONS_ADDR / --interactions-addr: %q is not an address like :8080 or 127.0.0.1:8080", c.InteractionsAddr)
		}
		if key == "" {
			return c, nil, usagef("STRETCHBOT_INTERACTIONS_ADDR needs DISCORD_PUBLIC_KEY: copy the Public Key from the General Information page of your application")
		}
		if c.PublicKey, err = bot.ParsePublicKey(key); err != nil {
			return c, nil, usagef("DISCORD_PUBLIC_KEY: %v (copy the Public Key from the General Information page of your application)", err)
		}
	}
	return c, fs.Args(), nil
}

// logger builds the process logger from the config. Interaction tokens
// are redacted from everything it writes: errors quote request URLs, and
// those of interaction callbacks and webhooks carry the token.
func (c Config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(logredact.Handler(h))
}

// parseShardIDs reads "0-3", "4,5" or "0-1,6" into shard numbers below
// shards, in order, each once.
func parseShardIDs(v string, shards int) ([]int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	bad := func(why string) error {
		return usagef("STRETCHBOT_SHARD_IDS / --shard-ids: %q %s (e.g. 0-3 or 4,5, with --shards giving the total)", v, why)
	}
	if shards <= 0 {
		return nil, bad("needs STRETCHBOT_SHARDS / --shards, the number of shards of all processes together")
	}
	seen := map[int]bool{}
	var ids []int
	for _, part := range strings.Split(v, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a > b {
			return nil, bad("is not a list of shard numbers and ranges")
		}
		if a < 0 || b >= shards {
			return nil, bad(fmt.Sprintf("names a shard outside 0 to %d", shards-1))
		}
		for i := a; i <= b; i++ {
			if !seen[i] {
				seen[i] = true
				ids = append(ids, i)
			}
		}
	}
	return ids, nil
}
