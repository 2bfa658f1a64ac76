// Package logredact keeps the secrets that ride inside Discord URLs out of
// logs. An interaction's token is a password for answering it and editing
// its messages for 15 minutes, and it is part of the URL of every such
// request (/interactions/{id}/{token}/callback, /webhooks/{app}/{token}),
// so errors that quote the URL (net/http's do) would print it.
package logredact

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
)

// Redacted replaces a token.
const Redacted = "[redacted]"

// tokenInURL matches the token segment after /interactions/{id}/ or
// /webhooks/{id}/, escaped or not.
var tokenInURL = regexp.MustCompile(`((?:/|%2[fF])(?:interactions|webhooks)(?:/|%2[fF])[0-9]+(?:/|%2[fF]))[^/?#\s"'%]+`)

// String returns s with every interaction or webhook token replaced by
// Redacted.
func String(s string) string {
	return tokenInURL.ReplaceAllString(s, "${1}"+Redacted)
}

// Handler returns a handler that redacts tokens in the message and every
// attribute (strings, errors and other values that print themselves)
// before passing the record to h.
func Handler(h slog.Handler) slog.Handler { return redactor{h} }

type redactor struct{ next slog.Handler }

func (r redactor) Enabled(ctx context.Context, l slog.Level) bool { return r.next.Enabled(ctx, l) }

func (r redactor) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(attr(a))
		return true
	})
	return r.next.Handle(ctx, out)
}

func (r redactor) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = attr(a)
	}
	return redactor{r.next.WithAttrs(clean)}
}

func (r redactor) WithGroup(name string) slog.Handler { return redactor{r.next.WithGroup(name)} }

func attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, ga := range g {
			clean[i] = attr(ga)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, String(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, String(x.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
