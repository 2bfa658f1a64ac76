// Package discordapi builds the bot's connection to Discord's REST API and
// gateway. It is deliberately tiny: its one job is to let operators (and
// tests) send every REST request somewhere other than https://discord.com
// without touching discordgo's package-level endpoint variables.
//
// discordgo builds every REST URL from package-level variables such as
// discordgo.EndpointAPI ("https://discord.com/api/v9/"). Mutating them would
// be process-wide state that breaks parallel tests, so instead the Session's
// http.Client gets a RoundTripper that rewrites the scheme, host and an
// optional path prefix of each request on its way out.
package discordapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// discordHost is the host discordgo puts in every REST URL it builds
// (discordgo.EndpointDiscord).
const discordHost = "discord.com"

// RewriteTransport returns a RoundTripper that sends every request addressed
// to https://discord.com to base instead, then hands it to next (or
// http.DefaultTransport when next is nil). The scheme and host of the request
// are replaced by base's, and base's path, if any, is put in front of the
// request's path, so base "http://proxy:8080/discord" turns
// https://discord.com/api/v9/users/@me into
// http://proxy:8080/discord/api/v9/users/@me. Requests to other hosts (the
// CDN, for instance) pass through unchanged.
//
// base must be an absolute http or https URL without query, fragment or user
// info; anything else is an error, so a typo in DISCORD_API_BASE fails at
// start-up rather than on the first request.
func RewriteTransport(base string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("discordapi: parse API base %q: %w", base, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("discordapi: API base %q: scheme must be http or https", base)
	case u.Host == "":
		return nil, fmt.Errorf("discordapi: API base %q: missing host", base)
	case u.User != nil:
		return nil, fmt.Errorf("discordapi: API base %q: user info is not allowed", base)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("discordapi: API base %q: query and fragment are not allowed", base)
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &rewriter{
		scheme:  u.Scheme,
		host:    u.Host,
		prefix:  strings.TrimSuffix(u.Path, "/"),
		rawPfx:  strings.TrimSuffix(u.EscapedPath(), "/"),
		next:    next,
		rawBase: base,
	}, nil
}

type rewriter struct {
	scheme, host   string
	prefix, rawPfx string // decoded and escaped forms of base's path
	next           http.RoundTripper
	rawBase        string
}

// RoundTrip implements http.RoundTripper. It never modifies req (as the
// RoundTripper contract demands): it rewrites a clone.
func (rw *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || !strings.EqualFold(req.URL.Hostname(), discordHost) {
		return rw.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	u := *req.URL
	u.Scheme = rw.scheme
	u.Host = rw.host
	u.Path = rw.prefix + req.URL.Path
	if req.URL.RawPath != "" {
		u.RawPath = rw.rawPfx + req.URL.RawPath
	}
	out.URL = &u
	// An empty Host makes net/http send the Host header of the new URL
	// rather than "discord.com", which a reverse proxy would reject.
	out.Host = ""
	resp, err := rw.next.RoundTrip(out)
	if err != nil {
		return nil, fmt.Errorf("discordapi: %s %s via %s: %w", req.Method, req.URL.Path, rw.rawBase, err)
	}
	return resp, nil
}

// ErrNoToken is returned by NewSession when the token is empty.
var ErrNoToken = errors.New("discordapi: empty bot token")

// Option configures NewSession.
type Option func(*sessionOptions)

type sessionOptions struct {
	pacer *Pacer
}

// WithPacer sends the Session's REST requests through p (see Pacer). Give
// every Session of one bot the same Pacer: Discord's global limit is the
// token's.
func WithPacer(p *Pacer) Option { return func(o *sessionOptions) { o.pacer = p } }

// NewSession returns a discordgo Session for the bot token token (with or
// without the "Bot " prefix; discordgo needs it and NewSession adds it).
//
// The Session identifies with no gateway intents: the bot only handles
// interactions, which Discord delivers regardless of intents. When apiBase is
// not empty every REST request goes there instead of https://discord.com (see
// RewriteTransport). The gateway URL is not configured separately: discordgo's
// Open asks the REST API (GET /gateway) for it, so it comes from apiBase too.
func NewSession(token, apiBase string, opts ...Option) (*discordgo.Session, error) {
	var o sessionOptions
	for _, opt := range opts {
		opt(&o)
	}
	token = strings.TrimSpace(token)
	if token == "" || token == "Bot" {
		return nil, ErrNoToken
	}
	if !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discordapi: new session: %w", err)
	}
	s.Identify.Intents = 0
	var rt http.RoundTripper = http.DefaultTransport
	if apiBase != "" {
		if rt, err = RewriteTransport(apiBase, rt); err != nil {
			return nil, err
		}
	}
	if o.pacer != nil {
		rt = o.pacer.Transport(rt)
	}
	if apiBase != "" || o.pacer != nil {
		// Keep discordgo's default timeout; only the transport changes.
		s.Client = &http.Client{Transport: rt, Timeout: 20 * time.Second}
	}
	return s, nil
}
