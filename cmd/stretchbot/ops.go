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

// opsServer serves /metrics and /healthz on the operator's address. It
// never serves the database: backups go over the Unix socket beside it
// (backupsock.go), whatever a request's address or headers say.
func opsServer(addr string, reg *prometheus.Registry, h health) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ok, report := h.check()
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		io.WriteString(w, report)
	})
	// Scrapes and health checks are small and quick: a client that holds
	// a connection open doing nothing is dropped.
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
}

// interactionsServer serves Discord's outgoing-webhook interactions at
// bot.InteractionsPath. It faces the internet (behind a TLS-terminating
// proxy), so it serves nothing else: /metrics stays on the private ops
// address and backups on the Unix socket.
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
