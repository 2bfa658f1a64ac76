package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/postgres/pgtest"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// TestContract runs the backend contract against PostgreSQL, each test in
// a schema of its own.
func TestContract(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) store.Backend {
			url := pgtest.Schema(t)
			db := open(t, url)
			h := &handle{DB: db, url: url}
			t.Cleanup(func() { h.Close() })
			return h
		},
		Reopen: func(t *testing.T, b store.Backend) store.Backend {
			h := b.(*handle)
			h.Close()
			h.DB = open(t, h.url)
			return h
		},
		Contents: func(t *testing.T, b store.Backend) (store.Backend, []string) {
			return b, contents(t, b.(*handle).url)
		},
	})
}

type handle struct {
	*postgres.DB
	url string
}

func open(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// contents returns every row of every table of the test's schema, with
// byte columns as text, so that a user ID inside a record body shows.
func contents(t *testing.T, url string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, table := range tables {
		rows, err := conn.Query(ctx, `SELECT * FROM `+pgx.Identifier{table}.Sanitize())
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			line := table + ":"
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				line += fmt.Sprintf(" %v", v)
			}
			out = append(out, line)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestSchemaTooNew(t *testing.T) {
	url := pgtest.Schema(t)
	db := open(t, url)
	db.Close()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO stretchbot_schema (version_id, is_applied) VALUES ($1, true)`, postgres.SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(ctx, url, postgres.Options{})
	if err == nil || !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("Open of a newer schema: err = %v, want ErrSchemaTooNew", err)
	}
}

// TestConcurrentOpen starts several processes' worth of Open at once on a
// new database: the migration lock lets exactly one migrate, and all of
// them open.
func TestConcurrentOpen(t *testing.T) {
	url := pgtest.Schema(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			db, err := postgres.Open(context.Background(), url, postgres.Options{})
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
