package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/stretchbot/stretchbot/bot"
)

// maxSchedulerLag is how far behind the scheduler may be before /healthz
// reports it unhealthy.
const maxSchedulerLag = time.Minute

// health is what /healthz checks.
type health struct {
	dbOpen    func() bool
	connected func() bool
	lag       func() time.Duration
}

func (h health) check() (ok bool, report string) {
	ok = true
	line := func(name string, good bool, detail string) {
		state := "ok"
		if !good {
			state, ok = "FAIL", false
		}
		report += fmt.Sprintf("%s: %s %s\n", name, state, detail)
	}
	line("db", h.dbOpen(), "")
	line("gateway", h.connected(), "")
	lag := h.lag()
	line("scheduler", lag <= maxSchedulerLag, "lag "+lag.Round(time.Millisecond).String())
	return ok, report
}

// opsServer serves /metrics, /healthz and /backup on the operator's address.
// /backup hands out every user's data, so it answers loopback callers only.
func opsServer(addr string, reg *prometheus.Registry, h health, backup func(ctx context.Context, w io.Writer) (int64, error), log *slog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ok, report := h.check()
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		io.WriteString(w, report)
	})
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		// A backup holds every member's records: only hand it to a caller on
		// this machine, even when metrics are exposed more widely.
		if !fromLoopback(r) {
			http.Error(w, "backups are only served to 127.0.0.1 / ::1", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		n, err := backup(r.Context(), w)
		if err != nil {
			log.Error("backup over http", "err", err)
			return
		}
		log.Info("backup served", "bytes", n)
	})
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// interactionsServer serves Discord's outgoing-webhook interactions at
// bot.InteractionsPath. It faces the internet (behind a TLS-terminating
// proxy), so it serves nothing else: /metrics and /backup stay on the
// private ops address.
func interactionsServer(addr string, d *bot.Discord, key ed25519.PublicKey) *http.Server {
	mux := http.NewServeMux()
	mux.Handle(bot.InteractionsPath, d.InteractionsHandler(key, nil))
	// Discord wants the first answer within 3 s; the handler defers after
	// 2 s, so these bound only slow or stuck clients.
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
}

// serveHTTP starts srv (the ops or the interactions server, named what,
// whose address comes from setting) in the background; it stops when ctx is
// done.
func serveHTTP(ctx context.Context, what, setting string, srv *http.Server, log *slog.Logger) error {
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("%s: listen on %s: %w", setting, srv.Addr, err)
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error(what+" server", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
	}()
	log.Info(what+" server listening", "addr", ln.Addr().String())
	return nil
}

// runHealth asks a running bot's /healthz; the container HEALTHCHECK uses it
// because the image has no shell or curl.
func (m *Main) runHealth(ctx context.Context, args []string) error {
	fs := newFlagSet("health", "Usage: stretchbot health [--addr HOST:PORT]\n\nAsk a running bot's /healthz and exit 0 when it is healthy (for container health checks).")
	addrFlag := fs.String("addr", "127.0.0.1:9090", "the bot's ops address (its STRETCHBOT_HTTP)")
	if err := fs.parse(args, m.Stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("health: unexpected arguments %q", fs.Args())
	}
	addr := strings.TrimSpace(*addrFlag)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	if err != nil {
		return usagef("health: bad address %q", addr)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(m.Stdout, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: unhealthy (%s)", resp.Status)
	}
	return nil
}

// fetchBackup copies the database from a running bot's /backup.
func fetchBackup(ctx context.Context, addr, out string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/backup", nil)
	if err != nil {
		return 0, usagef("backup: bad address %q", addr)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("backup from %s: %w", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("backup from %s: %s", addr, resp.Status)
	}
	want := int64(-1)
	if v := resp.Header.Get("Content-Length"); v != "" {
		want, _ = strconv.ParseInt(v, 10, 64)
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("create backup: %w", err)
	}
	n, err := io.Copy(f, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && want >= 0 && n != want {
		err = fmt.Errorf("backup from %s: got %d of %d bytes", addr, n, want)
	}
	return n, err
}
