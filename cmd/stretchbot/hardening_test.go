package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/scheduler"
	"github.com/stretchbot/stretchbot/store"
)

// TestLogsRedactInteractionTokens: an error about an interaction callback
// quotes its URL, token included; the process logger must not print it, in
// either log format.
func TestLogsRedactInteractionTokens(t *testing.T) {
	const token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnRva2Vu"
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		cfg, _, err := parseConfig("run", []string{"--log-format", format}, func(string) string { return "" }, &buf)
		if err != nil {
			t.Fatal(err)
		}
		callback := &url.Error{Op: "Post", URL: "https://discord.com/api/v9/interactions/1234/" + token + "/callback", Err: errors.New("connection reset by peer")}
		edit := fmt.Errorf("edit response: %w", &url.Error{Op: "Patch", URL: "https://discord.com/api/v9/webhooks/42/" + token + "/messages/@original", Err: errors.New("EOF")})
		cfg.logger(&buf).Warn("interaction answer failed", "route", "stretch now", "err", callback, "edit", edit)
		if strings.Contains(buf.String(), token) {
			t.Errorf("%s log shows the interaction token:\n%s", format, buf.String())
		}
		if !strings.Contains(buf.String(), "connection reset by peer") || !strings.Contains(buf.String(), "[redacted]") {
			t.Errorf("%s log lost the error around the token:\n%s", format, buf.String())
		}
	}
}

func openTestDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fillSchedules writes reminders for users 1000000+from to
// 1000000+from+n-1 in one transaction: a few hundred KB for some
// thousands, enough that the file must grow.
func fillSchedules(t *testing.T, db *store.DB, from, n int) {
	t.Helper()
	ss := make([]*stretchbot.Schedule, n)
	for i := range ss {
		ss[i] = &stretchbot.Schedule{Owner: strconv.Itoa(1000000 + from + i), Kind: stretchbot.KindReminder, Spec: "30 7 * * *", TimeZone: "Europe/Berlin", Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	if err := db.CreateSchedules(context.Background(), ss); err != nil {
		t.Fatal(err)
	}
}

// TestOpsListenerNeverServesTheDatabase: behind a proxy or a sidecar every
// request comes from loopback, so no address or header may open the
// database over the metrics and health listener.
func TestOpsListenerNeverServesTheDatabase(t *testing.T) {
	h := health{dbOpen: func() bool { return true }, connected: func() bool { return true }, lag: func() time.Duration { return 0 }}
	srv := httptest.NewServer(opsServer("", newMetrics().reg, h).Handler)
	defer srv.Close()
	for _, hdr := range []map[string]string{
		{"X-Forwarded-For": "203.0.113.7"},
		{"Host": "attacker.example"},
		{"X-Forwarded-For": "127.0.0.1", "X-Real-Ip": "127.0.0.1"},
		{},
	} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/backup", nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || len(body) > 100 {
			t.Errorf("GET /backup over the ops listener with %v: %d, %d bytes; want 404 and nothing", hdr, resp.StatusCode, len(body))
		}
	}
}

// TestBackupOfARunningBotGoesThroughItsPrivateSocket: the bot serves
// backups on a Unix socket in a directory only its user may enter, and
// `stretchbot backup` finds it beside the database.
func TestBackupOfARunningBotGoesThroughItsPrivateSocket(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	db := openTestDB(t, live)
	fillSchedules(t, db, 0, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sock := defaultBackupSocket(live)
	if err := serveBackup(ctx, sock, db.Backup, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{filepath.Dir(sock): 0o700, sock: 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", path, fi.Mode().Perm(), want)
		}
	}
	// The database is locked by the bot: backup copies through the socket
	// beside it, or the one named with --from.
	for i, args := range [][]string{
		{"backup", "--db", live, "--out", filepath.Join(dir, "a.db")},
		{"backup", "--from", sock, "--out", filepath.Join(dir, "b.db")},
	} {
		code, stdout, errOut := run(t, nil, "", args...)
		if code != exitOK || !strings.Contains(stdout, "written to") {
			t.Fatalf("%v: exit %d %q %q", args, code, stdout, errOut)
		}
		copyDB := openTestDB(t, args[len(args)-1])
		if list, err := copyDB.SchedulesByOwner(ctx, "1000009"); err != nil || len(list) != 1 {
			t.Errorf("copy %d lacks the data: %v %v", i, list, err)
		}
	}
	// The old TCP form is refused as a usage error, and says what to use.
	code, _, errOut := run(t, nil, "", "backup", "--from", "127.0.0.1:9090", "--out", filepath.Join(dir, "c.db"))
	if code != exitUsage || !strings.Contains(errOut, "socket") {
		t.Errorf("backup --from 127.0.0.1:9090: exit %d %q", code, errOut)
	}
	// Without a socket beside a locked database, the message says how.
	other := filepath.Join(dir, "other.db")
	openTestDB(t, other)
	code, _, errOut = run(t, nil, "", "backup", "--db", other, "--out", filepath.Join(dir, "d.db"))
	if code != exitError || !strings.Contains(errOut, "--from") {
		t.Errorf("backup of a locked file without a socket: exit %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "d.db.partial")); !os.IsNotExist(err) {
		t.Error("a failed backup left a partial file behind")
	}
	// A second bot on the same socket is refused; the first keeps it.
	if err := serveBackup(ctx, sock, db.Backup, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "another process") {
		t.Errorf("a second server on the same socket: %v", err)
	}
}

// stalledClient is a backup client that reads nothing until released: the
// slowest possible reader.
type stalledClient struct {
	header  http.Header
	started chan struct{}
	release chan struct{}
	once    sync.Once
	buf     bytes.Buffer
}

func (c *stalledClient) Header() http.Header { return c.header }
func (c *stalledClient) WriteHeader(int)     {}
func (c *stalledClient) Write(p []byte) (int, error) {
	c.once.Do(func() {
		close(c.started)
		<-c.release
	})
	return c.buf.Write(p)
}

// TestStalledBackupClientDoesNotHoldTheDatabase: while a backup client
// reads nothing, no read transaction stays open and writes that grow the
// file go through; the client then gets the database as it was when the
// backup began.
func TestStalledBackupClientDoesNotHoldTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := openTestDB(t, filepath.Join(dir, "live.db"))
	fillSchedules(t, db, 0, 10)
	client := &stalledClient{header: http.Header{}, started: make(chan struct{}), release: make(chan struct{})}
	h := backupHandler(dir, db.Backup, slog.New(slog.DiscardHandler))
	served := make(chan struct{})
	go func() {
		defer close(served)
		h.ServeHTTP(client, httptest.NewRequest(http.MethodGet, "/backup", nil))
	}()
	<-client.started
	if n := db.OpenReads(); n != 0 {
		close(client.release)
		<-served
		t.Fatalf("%d read transactions open while the client stalls; want 0", n)
	}
	before, _ := os.Stat(filepath.Join(dir, "live.db"))
	fillSchedules(t, db, 10, 3000) // returns: nothing waits for the client
	after, _ := os.Stat(filepath.Join(dir, "live.db"))
	if after.Size() <= before.Size() {
		t.Fatalf("the writes did not grow the file (%d → %d bytes): the test shows nothing", before.Size(), after.Size())
	}
	close(client.release)
	<-served
	copyPath := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(copyPath, client.buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	copyDB := openTestDB(t, copyPath)
	if list, _ := copyDB.SchedulesByOwner(context.Background(), "1000009"); len(list) != 1 {
		t.Errorf("the backup lacks what was there when it began: %v", list)
	}
	if list, _ := copyDB.SchedulesByOwner(context.Background(), "1002999"); len(list) != 0 {
		t.Errorf("the backup has what was written after it began: %v", list)
	}
	if left, _ := os.ReadDir(dir); len(left) != 2 {
		t.Errorf("files left in the socket folder: %v", left)
	}
}

// TestOpsAndBackupServersDropIdleConnections: a client that opens
// connections and sends nothing must not keep them forever.
func TestOpsAndBackupServersDropIdleConnections(t *testing.T) {
	ops := opsServer("", newMetrics().reg, health{})
	backup := backupServer(http.NotFoundHandler())
	for name, srv := range map[string]*http.Server{"ops": ops, "backup": backup} {
		if srv.IdleTimeout <= 0 || srv.ReadHeaderTimeout <= 0 {
			t.Errorf("%s server: idle timeout %v, header timeout %v; want both set", name, srv.IdleTimeout, srv.ReadHeaderTimeout)
		}
	}
	if ops.WriteTimeout <= 0 {
		t.Error("ops server has no write timeout")
	}
}

// healthyDatabase writes a database with some records and returns its
// bytes and page size.
func healthyDatabase(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "healthy.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fillSchedules(t, db, 0, 300)
	for i := range 300 { // deletes leave pages on the freelist
		if err := db.DeleteSchedule(context.Background(), uint64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newerMeta returns the offset of the meta the file is read by: of the two
// copies, the one with the higher transaction id (bbolt's layout: page
// header 16 bytes, then the meta, with the page size at +8, the root
// bucket's page at +16, the freelist's at +32, the transaction id at +48).
func newerMeta(b []byte) (meta, pageSize int) {
	le := binary.LittleEndian
	pageSize = int(le.Uint32(b[16+8:]))
	meta = 16
	if le.Uint64(b[pageSize+16+48:]) > le.Uint64(b[16+48:]) {
		meta = pageSize + 16
	}
	return meta, pageSize
}

// freelistPage returns the offset of the freelist page the file names.
func freelistPage(b []byte) int {
	m, ps := newerMeta(b)
	return int(binary.LittleEndian.Uint64(b[m+32:])) * ps
}

// rootPage returns the offset of the root bucket's page.
func rootPage(b []byte) int {
	m, ps := newerMeta(b)
	return int(binary.LittleEndian.Uint64(b[m+16:])) * ps
}

// TestCheckReportsDamageItExistsToFind: check lists the problems of a
// damaged file and exits 1 (2 is for usage errors), without a crash or a
// stack trace, also where bbolt's own check would panic.
func TestCheckReportsDamageItExistsToFind(t *testing.T) {
	healthy := healthyDatabase(t)
	fl, root := freelistPage(healthy), rootPage(healthy)
	// Each damage draws from its own source: subtests run in map order,
	// and a shared one would make the bytes written differ from run to run.
	noise := func() *rand.Rand { return rand.New(rand.NewPCG(7, 7)) }
	damage := map[string]func(b []byte){
		"zeroed meta page 0": func(b []byte) { clear(b[:4096]) },
		"zeroed meta page 1": func(b []byte) { clear(b[4096:8192]) },
		"zeroed freelist":    func(b []byte) { clear(b[fl : fl+4096]) },
		"random freelist": func(b []byte) {
			rnd := noise()
			for i := fl; i < fl+4096; i++ {
				b[i] = byte(rnd.Uint32())
			}
		},
		"random freelist after its header": func(b []byte) {
			rnd := noise()
			for i := fl + 16; i < fl+4096; i++ {
				b[i] = byte(rnd.Uint32())
			}
		},
		// The records themselves, behind a sound page header: the root
		// page (where bbolt keeps small buckets inline, so after the
		// deletes it may hold every record left) and every page after the
		// first four. Each byte changed is changed for sure (xor with an
		// odd number): the layout of the file differs from run to run, and
		// a scribble that lands only on free pages would be no damage.
		"scribbled data pages": func(b []byte) {
			rnd := noise()
			for i := root + 16; i < root+4096; i += 7 {
				b[i] ^= byte(rnd.Uint32()) | 1
			}
			for i := 4 * 4096; i < len(b); i += 7 {
				b[i] ^= byte(rnd.Uint32()) | 1
			}
		},
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if err := os.WriteFile(good, healthy, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, nil, "", "check", "--db", good); code != exitOK || !strings.Contains(out, "ok") {
		t.Fatalf("healthy file: exit %d %q %q", code, out, errOut)
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			b := bytes.Clone(healthy)
			fn(b)
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".db")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := run(t, nil, "", "check", "--db", path)
			if code != exitError {
				t.Errorf("exit %d, want 1 (damage)", code)
			}
			all := out + errOut
			if !strings.Contains(all, "damaged") || !strings.Contains(all, "\n  - ") {
				t.Errorf("no list of problems:\n%s", all)
			}
			if strings.Contains(all, "goroutine ") || strings.Contains(all, ".go:") {
				t.Errorf("a stack trace in the report:\n%s", all)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, b) {
				t.Error("check changed the file")
			}
			t.Logf("%s:\n%s", name, all)
		})
	}
}

// TestReadOnlyFileSystemIsReportedAsSuch: the operator is told the mount
// is read-only, not to restore a backup of a healthy file.
func TestReadOnlyFileSystemIsReportedAsSuch(t *testing.T) {
	err := dbError("/data/stretchbot.db", fmt.Errorf("open database /data/stretchbot.db: %w", store.ErrReadOnlyFS))
	if msg := err.Error(); !strings.Contains(msg, "read-only") || strings.Contains(msg, "damaged;") || strings.Contains(msg, "Restore a backup") {
		t.Fatalf("message: %s", msg)
	}
}

// TestButtonsSurviveARestart: the signing key lives in the database, so a
// button from before a restart still works after it; one from another
// database (another key) has expired.
func TestButtonsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	clock := scheduler.NewFakeClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	cfg := Config{DB: filepath.Join(dir, "x.db"), Rate: 45, Grace: time.Minute, Shutdown: time.Second}
	open := func(path string) *app {
		c := cfg
		c.DB = path
		a, err := openApp(c, slog.New(slog.DiscardHandler), clock, true, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	ctx := context.Background()
	a := open(cfg.DB)
	r := a.bot.Handle(ctx, bot.Interaction{Kind: bot.KindCommand, UserID: "42", Command: "stretch now", Options: map[string]string{}})
	if len(r.Rows) == 0 || len(r.Rows[0]) < 2 {
		t.Fatalf("no buttons: %+v", r)
	}
	done := r.Rows[0][1].ID
	if err := a.close(ctx); err != nil {
		t.Fatal(err)
	}
	a = open(cfg.DB)
	defer a.close(ctx)
	if got := a.bot.Handle(ctx, bot.Interaction{Kind: bot.KindButton, UserID: "42", CustomID: done}); !strings.Contains(got.Content, "logged") {
		t.Fatalf("a button from before the restart: %q", got.Content)
	}
	other := open(filepath.Join(dir, "other.db"))
	defer other.close(ctx)
	if got := other.bot.Handle(ctx, bot.Interaction{Kind: bot.KindButton, UserID: "42", CustomID: done}); !strings.Contains(got.Content, "expired") {
		t.Fatalf("a button signed with another database's key: %q", got.Content)
	}
}
