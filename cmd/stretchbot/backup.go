package main

import (
	"io"
	"strings"
)

type backupConfig struct {
	db   string
	out  string
	from string // address of a running bot's ops server; "" = open the file
}

func parseBackupFlags(args []string, getenv func(string) string, help io.Writer) (backupConfig, []string, error) {
	fs := newFlagSet("backup", "Usage: stretchbot backup --out FILE [--db FILE | --from ADDR]\n\nWrite a consistent copy of the database, checked before it gets its name.")
	def := getenv("STRETCHBOT_DB")
	if def == "" {
		def = "stretchbot.db"
	}
	db := fs.String("db", def, "database file to copy when no bot is running (STRETCHBOT_DB)")
	dst := fs.String("out", "", "file to write the backup to (required)")
	from := fs.String("from", "", "copy from a running bot through its ops address (its STRETCHBOT_HTTP), e.g. 127.0.0.1:9090")
	if err := fs.parse(args, help); err != nil {
		return backupConfig{}, nil, err
	}
	c := backupConfig{db: *db, out: strings.TrimSpace(*dst), from: strings.TrimSpace(*from)}
	if c.out == "" {
		return c, nil, usagef("backup: --out FILE is required")
	}
	if fs.NArg() > 0 {
		return c, nil, usagef("backup: unexpected arguments %q", fs.Args())
	}
	return c, fs.Args(), nil
}
