package main

import (
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/console"
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
	HTTP    string // STRETCHBOT_HTTP, --http: metrics and health; "" = off
	// InteractionsAddr is where Discord POSTs interactions (the
	// Interactions Endpoint URL, path /interactions), verified with
	// PublicKey; "" = interactions come on the gateway only.
	InteractionsAddr string            // STRETCHBOT_INTERACTIONS_ADDR, --interactions-addr
	PublicKey        ed25519.PublicKey // DISCORD_PUBLIC_KEY: the application's key, 64 hex digits
	Grace            time.Duration     // STRETCHBOT_GRACE, --grace: how late a missed reminder may still go out
	Shutdown         time.Duration     // STRETCHBOT_SHUTDOWN, --shutdown-timeout: bound for in-flight work at exit
	Rate             float64           // STRETCHBOT_RATE, --rate: reminder deliveries per second
	Shards           int               // STRETCHBOT_SHARDS, --shards: 0 = as Discord recommends
	LogLevel         slog.Level        // STRETCHBOT_LOG_LEVEL, --log-level
	LogFormat        string            // STRETCHBOT_LOG_FORMAT, --log-format: text or json
	// NoImages leaves the stretch pictures out of the console's cards
	// (--images=false, console only); on Discord they are always shown.
	NoImages bool
}

// UsageError is a bad setting or argument; main exits with code 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// parseConfig reads flags from args, falling back to env for anything not
// given, and validates every value.
func parseConfig(name string, args []string, getenv func(string) string, out io.Writer) (Config, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	db := fs.String("db", env("STRETCHBOT_DB", "stretchbot.db"), "database file (STRETCHBOT_DB)")
	api := fs.String("discord-api", env("DISCORD_API_BASE", ""), "Discord REST base URL, for a proxy or a test server (DISCORD_API_BASE)")
	guild := fs.String("guild", env("DISCORD_GUILD_ID", ""), "register commands to this server only, for development (DISCORD_GUILD_ID)")
	httpAddr := fs.String("http", env("STRETCHBOT_HTTP", ""), "address for /metrics and /healthz, e.g. :9090; empty = off (STRETCHBOT_HTTP)")
	interactions := fs.String("interactions-addr", env("STRETCHBOT_INTERACTIONS_ADDR", ""), "address to receive interactions over HTTP at /interactions, e.g. :8080; needs DISCORD_PUBLIC_KEY; empty = gateway only (STRETCHBOT_INTERACTIONS_ADDR)")
	grace := fs.String("grace", env("STRETCHBOT_GRACE", "10m"), "send reminders missed while down if at most this late (STRETCHBOT_GRACE)")
	shutdown := fs.String("shutdown-timeout", env("STRETCHBOT_SHUTDOWN", "10s"), "how long to wait for in-flight work at exit (STRETCHBOT_SHUTDOWN)")
	rate := fs.String("rate", env("STRETCHBOT_RATE", "45"), "reminder deliveries per second, below Discord's 50/s (STRETCHBOT_RATE)")
	shards := fs.String("shards", env("STRETCHBOT_SHARDS", "0"), "number of gateway shards; 0 = as Discord recommends (STRETCHBOT_SHARDS)")
	// The console is a conversation in the terminal: only warnings and
	// errors interrupt it unless asked for more.
	defLevel := "info"
	if name == "console" {
		defLevel = "warn"
	}
	level := fs.String("log-level", env("STRETCHBOT_LOG_LEVEL", defLevel), "debug, info, warn or error (STRETCHBOT_LOG_LEVEL)")
	format := fs.String("log-format", env("STRETCHBOT_LOG_FORMAT", "text"), "text or json (STRETCHBOT_LOG_FORMAT)")
	images := new(bool)
	if name == "console" {
		images = fs.Bool("images", true, "save each stretch's picture in ./"+console.PictureDir+" and print its path; false leaves pictures out")
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, nil, usagef("%v", err)
	}
	c := Config{Token: Secret(strings.TrimSpace(getenv("DISCORD_TOKEN"))), GuildID: strings.TrimSpace(*guild), APIBase: strings.TrimSpace(*api), DB: *db, HTTP: *httpAddr, LogFormat: strings.ToLower(*format)}
	c.NoImages = name == "console" && !*images
	var err error
	if c.DB == "" {
		return c, nil, usagef("STRETCHBOT_DB / --db: must name a file")
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
	c.InteractionsAddr = strings.TrimSpace(*interactions)
	key := strings.TrimSpace(getenv("DISCORD_PUBLIC_KEY"))
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

// logger builds the process logger from the config.
func (c Config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
