package main

import (
	"io"
	"net"
	"strings"
)

type backupConfig struct {
	db   string
	out  string
	from string // address of a running bot's ops server; "" = open the file
}

func parseBackupFlags(args []string, getenv func(string) string, help io.Writer) (backupConfig, []string, error) {
	fs := newFlagSet("backup", "Usage: stretchbot backup --out FILE [--db FILE | --from SOCKET]\n\nWrite a consistent copy of the database, checked before it gets its name.")
	def := getenv("STRETCHBOT_DB")
	if def == "" {
		def = "stretchbot.db"
	}
	db := fs.String("db", def, "database file to copy when no bot is running (STRETCHBOT_DB)")
	dst := fs.String("out", "", "file to write the backup to (required)")
	from := fs.String("from", "", "copy from a running bot through the Unix socket it serves backups on (its STRETCHBOT_BACKUP_SOCKET); by default, when the database is in use, through DB.run/backup.sock beside it")
	if err := fs.parse(args, help); err != nil {
		return backupConfig{}, nil, err
	}
	c := backupConfig{db: *db, out: strings.TrimSpace(*dst), from: strings.TrimSpace(*from)}
	if c.from != "" {
		if _, _, err := net.SplitHostPort(c.from); err == nil && !strings.Contains(c.from, "/") {
			return c, nil, usagef("backup: --from %q looks like a network address; backups are no longer served over HTTP. Give the bot's backup socket, by default %s", c.from, defaultBackupSocket(c.db))
		}
	}
	if c.out == "" {
		return c, nil, usagef("backup: --out FILE is required")
	}
	if fs.NArg() > 0 {
		return c, nil, usagef("backup: unexpected arguments %q", fs.Args())
	}
	return c, fs.Args(), nil
}
