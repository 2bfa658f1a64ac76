package discordtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// apiPrefix matches the versioned API prefix. discordgo v0.29.0 uses v9
// (discordgo.APIVersion); v10 is served too so other clients work.
var apiPrefix = regexp.MustCompile(`^/api/v(9|10)(/.*)$`)

// maxBody bounds request bodies; Discord's own upload limit for bots is 25 MiB.
const maxBody = 26 << 20

// Token lifetimes of interactions, from Discord's docs ("Receiving and
// Responding"): the initial response within 3 s, the token for 15 min.
const (
	initialResponseDeadline = 3 * time.Second
	tokenLifetime           = 15 * time.Minute
)

// call is one REST request being served.
type call struct {
	method string
	path   string
	params map[string]string
	body   any
	json   []byte // the JSON body as sent (payload_json for multipart), for the OpenAPI check
	files  []File
	r      *http.Request
}

// handlerFunc answers a call with f.mu held. It returns a status and a JSON
// value, or an error body.
type handlerFunc func(f *Fake, c *call) (int, any, *APIError)

type route struct {
	method   string
	template string
	segs     []string
	auth     bool // needs Authorization: Bot <token>
	handler  handlerFunc
}

var routes = func() []*route {
	rs := []*route{
		{method: "GET", template: "/users/@me", auth: true, handler: (*Fake).getMe},
		{method: "POST", template: "/users/@me/channels", auth: true, handler: (*Fake).createDM},
		{method: "GET", template: "/gateway", handler: (*Fake).getGateway},
		{method: "GET", template: "/gateway/bot", auth: true, handler: (*Fake).getGatewayBot},
		{method: "PUT", template: "/applications/{application_id}/commands", auth: true, handler: (*Fake).putCommands},
		{method: "GET", template: "/applications/{application_id}/commands", auth: true, handler: (*Fake).getCommands},
		{method: "PUT", template: "/applications/{application_id}/guilds/{guild_id}/commands", auth: true, handler: (*Fake).putCommands},
		{method: "GET", template: "/applications/{application_id}/guilds/{guild_id}/commands", auth: true, handler: (*Fake).getCommands},
		{method: "POST", template: "/interactions/{interaction_id}/{interaction_token}/callback", handler: (*Fake).callback},
		{method: "POST", template: "/webhooks/{webhook_id}/{webhook_token}", handler: (*Fake).webhook},
		{method: "GET", template: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", handler: (*Fake).webhook},
		{method: "PATCH", template: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", handler: (*Fake).webhook},
		{method: "DELETE", template: "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", handler: (*Fake).webhook},
		{method: "POST", template: "/channels/{channel_id}/messages", auth: true, handler: (*Fake).createMessage},
		{method: "PATCH", template: "/channels/{channel_id}/messages/{message_id}", auth: true, handler: (*Fake).editMessage},
		{method: "DELETE", template: "/channels/{channel_id}/messages/{message_id}", auth: true, handler: (*Fake).deleteMessage},
	}
	for _, r := range rs {
		r.segs = strings.Split(strings.TrimPrefix(r.template, "/"), "/")
	}
	return rs
}()

// match finds the route for method and p. A path that matches a template
// under another method gives 405, as on Discord.
func match(method, p string) (*route, map[string]string, *APIError) {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	pathFound := false
	for _, r := range routes {
		params, ok := matchSegs(r.segs, segs)
		if !ok {
			continue
		}
		pathFound = true
		if r.method == method {
			return r, params, nil
		}
	}
	if pathFound {
		return nil, nil, errMethodNotAllowed()
	}
	return nil, nil, errNotFound()
}

func matchSegs(tmpl, segs []string) (map[string]string, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") {
			if segs[i] == "" {
				return nil, false
			}
			params[strings.Trim(t, "{}")] = segs[i]
			continue
		}
		if t != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// serveREST is the HTTP handler for everything but the gateway.
func (f *Fake) serveREST(w http.ResponseWriter, r *http.Request) {
	now := f.Now()
	req := Request{Time: now, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()}
	m := apiPrefix.FindStringSubmatch(r.URL.Path)
	if m == nil {
		f.finish(w, &req, 0, nil, errNotFound(), true)
		return
	}
	req.Path = m[2]
	c := &call{method: r.Method, path: req.Path, r: r}
	var bodyErr *APIError
	c.body, c.json, c.files, bodyErr = readBody(r)
	req.Body, req.Files = c.body, c.files
	rt, params, routeErr := match(r.Method, req.Path)
	if routeErr != nil {
		f.finish(w, &req, 0, nil, routeErr, true)
		return
	}
	req.Route = rt.template
	c.params = params
	if bodyErr != nil {
		f.finish(w, &req, 0, nil, bodyErr, true)
		return
	}
	if rt.auth && r.Header.Get("Authorization") != "Bot "+f.opts.Token {
		f.finish(w, &req, 0, nil, errUnauthorized(), true)
		return
	}
	// The OpenAPI check runs before the handler because handlers change
	// state (an interaction counts as answered, a message is stored) and a
	// request Discord refuses must change nothing.
	if e := f.spec.check(r.Method, rt.template, params, r.URL.Query(), c.json); e != nil {
		f.finish(w, &req, 0, nil, e, true)
		return
	}
	if e := f.takeFault(r.Method, req.Path); e != nil {
		f.finish(w, &req, 0, nil, e, false)
		return
	}
	if d := f.delayFor(r.Method, req.Path); d > 0 {
		f.hold(req.Path, +1)
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
		case <-f.ctx.Done():
		}
		t.Stop()
		f.hold(req.Path, -1)
	}
	exempt, major := rateScope(rt.template, params, f.opts.AppID)
	if e := f.rl.take(w.Header(), r.Method, rt.template, major, exempt); e != nil {
		f.mu.Lock()
		f.rateLimited++
		f.mu.Unlock()
		f.finish(w, &req, 0, nil, e, false)
		return
	}
	f.mu.Lock()
	status, out, apiErr := rt.handler(f, c)
	f.mu.Unlock()
	f.finish(w, &req, status, out, apiErr, true)
}

// rateScope says whether a route is exempt from the global limit
// (interaction endpoints are) and which top-level resource its bucket is
// counted per.
func rateScope(template string, params map[string]string, appID string) (exempt bool, major string) {
	switch {
	case strings.HasPrefix(template, "/interactions/"):
		return true, params["interaction_id"]
	case strings.HasPrefix(template, "/webhooks/"):
		return params["webhook_id"] == appID, params["webhook_id"] + "/" + params["webhook_token"]
	case params["channel_id"] != "":
		return false, params["channel_id"]
	case params["guild_id"] != "":
		return false, params["guild_id"]
	}
	return false, ""
}

// finish writes the response and records the request (and, when counted,
// the rejection).
func (f *Fake) finish(w http.ResponseWriter, req *Request, status int, out any, apiErr *APIError, countRejection bool) {
	var body []byte
	if apiErr != nil {
		status = apiErr.Status
		if status == http.StatusTooManyRequests {
			body, _ = json.Marshal(map[string]any{"message": apiErr.Message, "retry_after": apiErr.RetryAfter, "global": apiErr.Global})
		} else {
			body, _ = json.Marshal(apiErr)
		}
		req.Error = apiErr
	} else if out != nil {
		var err error
		if body, err = json.Marshal(out); err != nil {
			status = http.StatusInternalServerError
			body = []byte(fmt.Sprintf(`{"message":"discordtest: encoding response: %v","code":0}`, err))
		}
	}
	req.Status = status
	f.mu.Lock()
	f.requests = append(f.requests, *req)
	if apiErr != nil && countRejection && status != http.StatusTooManyRequests {
		f.rejections = append(f.rejections, Rejection{Time: req.Time, Method: req.Method, Path: req.Path, Err: apiErr})
	}
	f.notifyLocked()
	f.mu.Unlock()
	if body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	if body != nil && status != http.StatusNoContent {
		_, _ = w.Write(body)
	}
}

// readBody parses a JSON or multipart/form-data body. Multipart bodies carry
// the JSON in the payload_json field and files in files[n] fields. It also
// returns the JSON text itself (the body, or the payload_json part) for the
// OpenAPI check.
func readBody(r *http.Request) (any, []byte, []File, *APIError) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, nil, nil, &APIError{Status: http.StatusBadRequest, Code: 0, Message: "discordtest: reading body: " + err.Error()}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil, nil, nil
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, nil, nil, errInvalidJSON()
		}
		return v, raw, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	var body any
	var payload []byte
	var files []File
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, nil, &APIError{Status: http.StatusBadRequest, Code: 50035, Message: "Invalid Form Body", Errors: map[string]any{"_errors": []fieldError{{Code: "MULTIPART_INVALID", Message: err.Error()}}}}
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, nil, &APIError{Status: http.StatusBadRequest, Code: 0, Message: "discordtest: reading part: " + err.Error()}
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			if err := json.Unmarshal(data, &body); err != nil {
				return nil, nil, nil, errInvalidJSON()
			}
			payload = data
		case strings.HasPrefix(name, "files[") || strings.HasPrefix(name, "file"):
			files = append(files, File{Field: name, Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
		}
	}
	return body, payload, files, nil
}

// fault is a FailNext registration.
type fault struct {
	method, pattern string
	status, left    int
}

// FailNext makes the next n requests whose method is method ("" for any)
// and whose path (below /api/vN) matches pathPattern (path.Match syntax, so
// "/channels/*/messages") fail with status and a Discord-style error body.
// Injected failures are recorded as requests but are not rejections.
// discordgo retries 502s itself (up to Session.MaxRestRetries times); other
// statuses come back as *discordgo.RESTError.
func (f *Fake) FailNext(method, pathPattern string, status, n int) {
	f.mu.Lock()
	f.faults = append(f.faults, &fault{method: method, pattern: pathPattern, status: status, left: n})
	f.mu.Unlock()
}

func (f *Fake) takeFault(method, p string) *APIError {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ft := range f.faults {
		if ft.left <= 0 || (ft.method != "" && ft.method != method) {
			continue
		}
		if ok, _ := path.Match(ft.pattern, p); !ok {
			continue
		}
		ft.left--
		return &APIError{Status: ft.status, Code: 0, Message: fmt.Sprintf("%d: %s", ft.status, http.StatusText(ft.status))}
	}
	return nil
}

type delay struct {
	method, pattern string
	d               time.Duration
}

// Delay holds every response to a matching request (same matching as
// FailNext) for d before answering; d == 0 removes the delay. Delays end
// early when the fake closes or the client gives up.
func (f *Fake) Delay(method, pathPattern string, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, dl := range f.delays {
		if dl.method == method && dl.pattern == pathPattern {
			f.delays = append(f.delays[:i], f.delays[i+1:]...)
			break
		}
	}
	if d > 0 {
		f.delays = append(f.delays, &delay{method: method, pattern: pathPattern, d: d})
	}
}

// hold counts requests a Delay is holding, by path, and wakes waiters.
func (f *Fake) hold(p string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.held == nil {
		f.held = map[string]int{}
	}
	if f.held[p] += n; f.held[p] <= 0 {
		delete(f.held, p)
	}
	f.notifyLocked()
}

// Held returns the paths (below /api/vN) of requests a Delay is holding
// right now: a test can wait until the bot is stuck in a slow call.
func (f *Fake) Held() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.held))
	for p := range f.held {
		out = append(out, p)
	}
	return out
}

func (f *Fake) delayFor(method, p string) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, dl := range f.delays {
		if dl.method != "" && dl.method != method {
			continue
		}
		if ok, _ := path.Match(dl.pattern, p); ok {
			return dl.d
		}
	}
	return 0
}

// --- handlers (called with f.mu held) ---

func (f *Fake) botUser() map[string]any {
	return map[string]any{"id": f.opts.AppID, "username": f.opts.BotName, "discriminator": "0", "global_name": nil, "avatar": nil, "bot": true}
}

func (f *Fake) getMe(*call) (int, any, *APIError) { return http.StatusOK, f.botUser(), nil }

func (f *Fake) getGateway(*call) (int, any, *APIError) {
	return http.StatusOK, map[string]any{"url": f.GatewayURL()}, nil
}

func (f *Fake) getGatewayBot(*call) (int, any, *APIError) {
	return http.StatusOK, map[string]any{
		"url":    f.GatewayURL(),
		"shards": f.opts.Shards,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": 999, "reset_after": 86400000, "max_concurrency": 1,
		},
	}, nil
}

func (f *Fake) createDM(c *call) (int, any, *APIError) {
	recipient := asString(asMap(c.body)["recipient_id"])
	if recipient == "" {
		var fe formErrors
		fe.required("recipient_id")
		return 0, nil, fe.apiError()
	}
	return http.StatusOK, map[string]any{
		"id":              f.dmChannelLocked(recipient),
		"type":            1,
		"last_message_id": nil,
		"recipients":      []any{map[string]any{"id": recipient, "username": "user" + recipient, "discriminator": "0"}},
	}, nil
}

// dmChannelLocked returns the DM channel id with the user, creating it.
func (f *Fake) dmChannelLocked(userID string) string {
	if id, ok := f.dmChannels[userID]; ok {
		return id
	}
	id := f.snowflake()
	f.dmChannels[userID] = id
	f.dmUsers[id] = userID
	return id
}

func (f *Fake) putCommands(c *call) (int, any, *APIError) {
	if c.params["application_id"] != f.opts.AppID {
		return 0, nil, &APIError{Status: http.StatusForbidden, Code: 50001, Message: "Missing Access"}
	}
	if e := validateCommands(c.body); e != nil {
		return 0, nil, e
	}
	guild := c.params["guild_id"]
	old := map[string]string{}
	for _, cmd := range f.commands[guild] {
		old[fmt.Sprint(cmd["type"])+"/"+asString(cmd["name"])] = asString(cmd["id"])
	}
	var out []map[string]any
	for _, v := range c.body.([]any) {
		in := asMap(v)
		cmd := make(map[string]any, len(in)+5)
		for k, val := range in {
			cmd[k] = val
		}
		if cmd["type"] == nil {
			cmd["type"] = float64(commandChatInput)
		}
		key := fmt.Sprint(cmd["type"]) + "/" + asString(cmd["name"])
		// Discord keeps a command's id when an overwrite keeps its name.
		id := old[key]
		if id == "" {
			id = f.snowflake()
		}
		cmd["id"] = id
		cmd["application_id"] = f.opts.AppID
		cmd["version"] = f.snowflake()
		if guild != "" {
			cmd["guild_id"] = guild
		}
		if _, ok := cmd["default_member_permissions"]; !ok {
			cmd["default_member_permissions"] = nil
		}
		out = append(out, cmd)
	}
	if out == nil {
		out = []map[string]any{}
	}
	f.commands[guild] = out
	return http.StatusOK, out, nil
}

func (f *Fake) getCommands(c *call) (int, any, *APIError) {
	cmds := f.commands[c.params["guild_id"]]
	if cmds == nil {
		cmds = []map[string]any{}
	}
	return http.StatusOK, cmds, nil
}

// storedMessage is a message the bot created, with its latest JSON.
type storedMessage struct {
	raw           map[string]any
	files         []File
	channelID     string
	interactionID string
	deleted       bool
}

func (sm *storedMessage) message() Message {
	var m Message
	b, _ := json.Marshal(sm.raw)
	_ = json.Unmarshal(b, &m)
	m.ChannelID = sm.channelID
	m.InteractionID = sm.interactionID
	m.Files = sm.files
	return m
}

// editable are the message fields an edit replaces.
var editable = []string{"content", "embeds", "components", "flags", "attachments", "allowed_mentions", "poll"}

// newMessageLocked stores a message built from body.
func (f *Fake) newMessageLocked(body map[string]any, files []File, channelID, interactionID string) *storedMessage {
	raw := map[string]any{}
	for _, k := range editable {
		if v, ok := body[k]; ok {
			raw[k] = v
		}
	}
	if _, ok := raw["content"]; !ok {
		raw["content"] = ""
	}
	raw["id"] = f.snowflake()
	raw["tts"], _ = body["tts"].(bool)
	sm := &storedMessage{raw: raw, files: files, channelID: channelID, interactionID: interactionID}
	f.messages[asString(raw["id"])] = sm
	return sm
}

// componentsV2 reports whether the message was sent with IS_COMPONENTS_V2.
func (sm *storedMessage) componentsV2() bool {
	flags, _ := asInt(sm.raw["flags"])
	return flags&messageFlagIsComponentsV2 != 0
}

// editableFlags are the message flags an edit may change: SUPPRESS_EMBEDS,
// and IS_COMPONENTS_V2, which it may set but never clear. Every other flag
// (EPHEMERAL) stays as the message was created.
const editableFlags = 4 | messageFlagIsComponentsV2

func (sm *storedMessage) edit(body map[string]any, files []File) {
	old, _ := asInt(sm.raw["flags"])
	for _, k := range editable {
		if v, ok := body[k]; ok {
			sm.raw[k] = v
		}
	}
	if v, ok := body["flags"]; ok {
		set, _ := asInt(v)
		sm.raw["flags"] = float64(old&^editableFlags | set&editableFlags | old&messageFlagIsComponentsV2)
	}
	if len(files) > 0 {
		sm.files = files
	}
}

// messageJSON is what Discord returns for a message.
func (f *Fake) messageJSON(sm *storedMessage) map[string]any {
	out := map[string]any{
		"type": 0, "channel_id": sm.channelID, "author": f.botUser(), "mentions": []any{},
		"mention_roles": []any{}, "pinned": false, "mention_everyone": false,
		"timestamp": f.nowLocked().UTC().Format(time.RFC3339Nano),
		"embeds":    []any{}, "components": []any{}, "attachments": []any{}, "flags": 0,
	}
	for k, v := range sm.raw {
		out[k] = v
	}
	var atts []any
	for i, file := range sm.files {
		atts = append(atts, map[string]any{
			"id": strconv.Itoa(i), "filename": file.Name, "size": len(file.Data), "content_type": file.ContentType,
			"url": "https://cdn.discordapp.com/attachments/" + sm.channelID + "/" + file.Name,
		})
	}
	if atts != nil {
		out["attachments"] = atts
	}
	if sm.interactionID != "" {
		out["webhook_id"] = f.opts.AppID
		out["application_id"] = f.opts.AppID
	}
	return out
}

func (f *Fake) createMessage(c *call) (int, any, *APIError) {
	ch := c.params["channel_id"]
	if u, ok := f.dmUsers[ch]; ok && f.closedDMs[u] {
		return 0, nil, errCannotDM()
	}
	if e := f.postRefusalLocked(ch); e != nil {
		return 0, nil, e
	}
	body := asMap(c.body)
	if c.body != nil && body == nil {
		return 0, nil, formError("", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
	}
	if e := validateMessage(body, "", messageCheck{create: true, hasFiles: len(c.files) > 0}); e != nil {
		return 0, nil, e
	}
	// enforce_nonce: the same nonce from the same author in the same
	// channel within a few minutes returns the first message and creates
	// none.
	key, enforce := nonceKey(ch, body)
	if enforce {
		if sm := f.repeatLocked(key); sm != nil {
			return http.StatusOK, f.messageJSON(sm), nil
		}
	}
	sm := f.newMessageLocked(body, c.files, ch, "")
	f.channelMsgs[ch] = append(f.channelMsgs[ch], asString(sm.raw["id"]))
	f.rememberNonceLocked(key, sm)
	return http.StatusOK, f.messageJSON(sm), nil
}

// postRefusalLocked is the error Discord gives the bot for posting in a
// channel it is not a member of (one the app reached only through a user
// install) or may not see or post in; nil when it may post.
func (f *Fake) postRefusalLocked(channelID string) *APIError {
	switch f.botAccess[channelID] {
	case accessNotMember:
		return errMissingAccess()
	case accessNoPermission:
		return errMissingPermissions()
	}
	return nil
}

func formError(p, code, msg string) *APIError {
	var fe formErrors
	fe.add(p, code, msg)
	return fe.apiError()
}

func (f *Fake) channelMessageLocked(c *call) (*storedMessage, *APIError) {
	sm := f.messages[c.params["message_id"]]
	if sm == nil || sm.deleted || sm.channelID != c.params["channel_id"] {
		return nil, errUnknownMessage()
	}
	return sm, nil
}

func (f *Fake) editMessage(c *call) (int, any, *APIError) {
	sm, e := f.channelMessageLocked(c)
	if e != nil {
		return 0, nil, e
	}
	body := asMap(c.body)
	if e := validateMessage(body, "", messageCheck{componentsV2: sm.componentsV2()}); e != nil {
		return 0, nil, e
	}
	sm.edit(body, c.files)
	return http.StatusOK, f.messageJSON(sm), nil
}

func (f *Fake) deleteMessage(c *call) (int, any, *APIError) {
	sm, e := f.channelMessageLocked(c)
	if e != nil {
		return 0, nil, e
	}
	sm.deleted = true
	return http.StatusNoContent, nil, nil
}
