// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema on the server named by STRETCHBOT_TEST_POSTGRES (which .ci/run
// starts with .ci/postgres), dropped when the test ends. Without that
// variable the tests skip, saying why.
package pgtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the server the PostgreSQL tests use.
const EnvVar = "STRETCHBOT_TEST_POSTGRES"

// URL returns the test server's URL, or skips the test when none is set.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvVar)
	if u == "" {
		t.Skip("SKIPPED: no PostgreSQL for this test. Set " + EnvVar + "=postgres://... (`.ci/postgres` starts a throwaway server and prints its URL; .ci/run does this)")
	}
	return u
}

// Schema creates an empty schema for this test and returns a URL whose
// connections use it (search_path), so tests never see each other's
// tables. The schema is dropped when the test ends.
func Schema(t testing.TB) string {
	t.Helper()
	base := URL(t)
	name := "t_" + strings.ToLower(rand.Text()[:12])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvVar, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return WithSchema(t, base, name)
}

// WithSchema returns base with its connections' search_path set to schema.
func WithSchema(t testing.TB, base, schema string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvVar, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return fmt.Sprint(u)
}
