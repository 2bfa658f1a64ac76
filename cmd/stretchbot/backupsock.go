package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Backups of a running bot go over a Unix socket beside its database,
// never over TCP: who may connect is then decided by file permissions
// (a directory only the bot's user can enter), not by source addresses
// that any proxy or sidecar on the same host turns into 127.0.0.1.

// maxSocketPath is the longest Unix socket path Linux accepts (108 bytes
// with the terminating NUL).
const maxSocketPath = 107

// defaultBackupSocket is where the bot using the database at db serves
// backups: <db>.run/backup.sock.
func defaultBackupSocket(db string) string {
	return filepath.Join(db+".run", "backup.sock")
}

// listenBackup creates the socket at path, in a directory only this user
// may enter (made 0700 if it exists with looser permissions), and the
// socket itself 0600. A socket left by a bot that died is replaced; one a
// live process answers on is not.
func listenBackup(path string) (net.Listener, error) {
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("backup socket %s: the path is %d bytes, Unix sockets allow %d; choose a shorter one with STRETCHBOT_BACKUP_SOCKET", path, len(path), maxSocketPath)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("backup socket: create %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, fmt.Errorf("backup socket: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("backup socket: %s is not a directory", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return nil, fmt.Errorf("backup socket: %s belongs to another user (uid %d); remove it or choose another STRETCHBOT_BACKUP_SOCKET", dir, st.Uid)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, fmt.Errorf("backup socket: make %s private: %w", dir, err)
		}
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != os.ModeSocket {
			return nil, fmt.Errorf("backup socket: %s exists and is not a socket", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("backup socket: another process serves %s (is another stretchbot running on this database?)", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("backup socket: remove the stale %s: %w", path, err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("backup socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("backup socket: make %s private: %w", path, err)
	}
	return ln, nil
}

// snapshotter writes a consistent copy of the database to w (store.DB's
// Backup).
type snapshotter func(ctx context.Context, w io.Writer) (int64, error)

// backupHandler serves GET /backup. It first copies the database into a
// private temporary file in dir, at the speed of the disk, and only then
// sends that file: a client reading slowly (or not at all) holds a file,
// never a database transaction, so the bot's writes never wait for it.
func backupHandler(dir string, snapshot snapshotter, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		f, err := os.CreateTemp(dir, "snapshot-*")
		if err != nil {
			log.Error("backup: temporary file", "err", err)
			http.Error(w, "cannot create a snapshot", http.StatusInternalServerError)
			return
		}
		// Unlinked at once: the open file keeps the data until it is
		// closed, and nothing is left behind whatever happens next.
		os.Remove(f.Name())
		defer f.Close()
		start := time.Now()
		n, err := snapshot(r.Context(), f)
		if err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			log.Error("backup: snapshot", "err", err)
			http.Error(w, "snapshot failed", http.StatusInternalServerError)
			return
		}
		log.Info("backup snapshot taken", "bytes", n, "took", time.Since(start))
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		if _, err := io.Copy(w, f); err != nil {
			log.Warn("backup: send", "err", err)
			return
		}
		log.Info("backup served", "bytes", n)
	})
	return mux
}

// backupServer serves backups on the socket. Sending a large file to a
// slow reader is allowed to take long; a connection that stays idle is
// closed.
func backupServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
}

// serveBackup listens on the socket and serves backups until ctx is done;
// the socket is removed then.
func serveBackup(ctx context.Context, path string, snapshot snapshotter, log *slog.Logger) error {
	ln, err := listenBackup(path)
	if err != nil {
		return err
	}
	srv := backupServer(backupHandler(filepath.Dir(path), snapshot, log))
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("backup server", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
	}()
	log.Info("backups served on a Unix socket", "socket", path)
	return nil
}

// fetchBackup copies the database from the running bot serving backups on
// the Unix socket at path into the file out.
func fetchBackup(ctx context.Context, path, out string) (int64, error) {
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://stretchbot/backup", nil)
	if err != nil {
		return 0, fmt.Errorf("backup from %s: %w", path, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("backup from %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("backup from %s: %s", path, resp.Status)
	}
	want := resp.ContentLength
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("create backup: %w", err)
	}
	n, err := io.Copy(f, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && want >= 0 && n != want {
		err = fmt.Errorf("backup from %s: got %d of %d bytes", path, n, want)
	}
	return n, err
}
