package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot/customid"
	"github.com/stretchbot/stretchbot/internal/discordapi"
)

// ErrBadToken is returned (wrapped) by Open when Discord rejects the token.
var ErrBadToken = errors.New("Discord rejected the token")

// DiscordConfig configures the Discord transport.
type DiscordConfig struct {
	Token   string
	APIBase string // "" = https://discord.com
	GuildID string // register commands to this guild (development); "" = globally
	Shards  int    // 0 = the count /gateway/bot recommends
	// ShardIDs are the shards this process connects, of Shards in all;
	// empty means every shard. Other processes of the bot connect the rest.
	ShardIDs []int
	// BeforeIdentify, when set, is called before each shard connects and
	// may wait: Discord allows one identify per max_concurrency bucket
	// (shard_id % max_concurrency) every 5 seconds, across all processes.
	BeforeIdentify func(ctx context.Context, shardID, maxConcurrency int) error
	Bot            *Bot
	Logger         *slog.Logger
	// Grace bounds how long Close waits for in-flight interactions, on top
	// of Close's context; 0 leaves only the context.
	Grace time.Duration
	// OnRateLimited, when set, is called for every 429 Discord answers (for
	// metrics); discordgo waits and retries those requests itself.
	OnRateLimited func()
	// RequestsPerSecond paces every REST request except interaction
	// answers, which Discord does not count (a first DM is two requests:
	// open the channel, then post). 0 = discordapi.DefaultRequestsPerSecond,
	// just under Discord's global 50.
	RequestsPerSecond float64
	// Now is the clock of the replay window; nil means time.Now.
	Now func() time.Time
}

// Discord connects a Bot to Discord: it registers the commands, answers
// interactions on every shard and sends reminders (it is the bot's Sender).
type Discord struct {
	cfg  DiscordConfig
	bot  *Bot
	log  *slog.Logger
	rest *discordgo.Session // all REST calls, so one rate limiter sees them all
	// pacer spaces every REST request of every session under Discord's
	// global limit and its route buckets.
	pacer *discordapi.Pacer

	// base is the context of interaction handlers; Close cancels it when
	// the grace period is over.
	base   context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	appID    string
	sessions []*discordgo.Session
	closing  bool
	inflight sync.WaitGroup
	seen     recentIDs
	stats    map[StatKey]int64
}

// StatKey names a counter of Stats: interactions by route and outcome.
type StatKey struct {
	Route   string // "stretch now", "button start", "autocomplete stretch done", ...
	Outcome string // "ok", "late" (answered after deferring), "failed" (Discord refused or unreachable), "panic"
}

// NewDiscord returns a Discord transport. It does not connect: see Open.
func NewDiscord(cfg DiscordConfig) (*Discord, error) {
	if cfg.Bot == nil {
		return nil, errors.New("discord: a Bot is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	pacer := discordapi.NewPacer(cfg.RequestsPerSecond)
	rest, err := discordapi.NewSession(cfg.Token, cfg.APIBase, discordapi.WithPacer(pacer))
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	if cfg.OnRateLimited != nil {
		rest.AddHandler(func(*discordgo.Session, *discordgo.RateLimit) { cfg.OnRateLimited() })
	}
	base, cancel := context.WithCancel(context.Background())
	return &Discord{
		cfg: cfg, bot: cfg.Bot, log: cfg.Logger, rest: rest, pacer: pacer,
		base: base, cancel: cancel,
		seen:  newRecentIDs(),
		stats: map[StatKey]int64{},
	}, nil
}

// Open checks the token, registers the commands (to DiscordConfig.GuildID,
// or globally) and connects every shard to the gateway. A token Discord
// refuses gives an error wrapping ErrBadToken.
func (d *Discord) Open(ctx context.Context) error {
	opt := discordgo.WithContext(ctx)
	me, err := d.rest.User("@me", opt)
	if err != nil {
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
			return fmt.Errorf("discord: check token: %w", ErrBadToken)
		}
		return fmt.Errorf("discord: check token: %w", err)
	}
	// A bot's user id is its application's id.
	appID := me.ID
	if _, err := d.rest.ApplicationCommandBulkOverwrite(appID, d.cfg.GuildID, applicationCommands(Commands()), opt); err != nil {
		return fmt.Errorf("discord: register commands (guild %q): %w", d.cfg.GuildID, err)
	}
	shards, maxConcurrency := d.cfg.Shards, 1
	if shards <= 0 || d.cfg.BeforeIdentify != nil {
		gb, err := d.rest.GatewayBot(opt)
		if err != nil {
			return fmt.Errorf("discord: recommended shard count: %w", err)
		}
		if shards <= 0 {
			shards = max(1, gb.Shards)
		}
		maxConcurrency = max(1, gb.SessionStartLimit.MaxConcurrency)
	}
	ids := d.cfg.ShardIDs
	if len(ids) == 0 {
		for i := range shards {
			ids = append(ids, i)
		}
	}
	for _, id := range ids {
		if id < 0 || id >= shards {
			return fmt.Errorf("discord: shard %d does not exist: there are %d (0 to %d)", id, shards, shards-1)
		}
	}
	d.mu.Lock()
	d.appID = appID
	d.mu.Unlock()

	sessions := make([]*discordgo.Session, 0, len(ids))
	for n, i := range ids {
		s := d.rest
		if n > 0 {
			if s, err = discordapi.NewSession(d.cfg.Token, d.cfg.APIBase, discordapi.WithPacer(d.pacer)); err != nil {
				closeAll(sessions)
				return fmt.Errorf("discord: shard %d: %w", i, err)
			}
		}
		s.ShardID, s.ShardCount = i, shards
		s.AddHandler(d.onInteraction)
		if d.cfg.BeforeIdentify != nil {
			if err := d.cfg.BeforeIdentify(ctx, i, maxConcurrency); err != nil {
				closeAll(sessions)
				return fmt.Errorf("discord: wait to identify shard %d: %w", i, err)
			}
		}
		if err := s.Open(); err != nil {
			closeAll(sessions)
			return fmt.Errorf("discord: open shard %d of %d: %w", i, shards, err)
		}
		sessions = append(sessions, s)
	}
	d.mu.Lock()
	d.sessions = sessions
	d.mu.Unlock()
	d.log.InfoContext(ctx, "discord connected", "app", appID, "shards", shards, "shard_ids", ids, "guild", d.cfg.GuildID)
	return nil
}

// closeAll closes sessions in parallel: discordgo's Close waits a second
// for the close frame, per session.
func closeAll(sessions []*discordgo.Session) {
	var wg sync.WaitGroup
	for _, s := range sessions {
		wg.Go(func() { _ = s.Close() })
	}
	wg.Wait()
}

// Connected reports whether every shard is connected to the gateway.
func (d *Discord) Connected() bool {
	d.mu.Lock()
	sessions := d.sessions
	closing := d.closing
	d.mu.Unlock()
	if len(sessions) == 0 || closing {
		return false
	}
	for _, s := range sessions {
		s.RLock()
		ok := s.DataReady
		s.RUnlock()
		if !ok {
			return false
		}
	}
	return true
}

// Close stops taking interactions (new ones are ignored), waits for those
// in flight (bounded by ctx and DiscordConfig.Grace), then disconnects.
func (d *Discord) Close(ctx context.Context) error {
	d.mu.Lock()
	d.closing = true
	sessions := d.sessions
	d.mu.Unlock()
	if d.cfg.Grace > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.cfg.Grace)
		defer cancel()
	}
	done := make(chan struct{})
	go func() {
		d.inflight.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("discord: close: in-flight interactions left unfinished: %w", ctx.Err())
	}
	d.cancel() // ends whatever is still running
	closeAll(sessions)
	return err
}

// Stats returns how many interactions were handled, by route and outcome.
func (d *Discord) Stats() map[StatKey]int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[StatKey]int64, len(d.stats))
	for k, v := range d.stats {
		out[k] = v
	}
	return out
}

// enter registers an interaction as in flight, unless Close has begun or
// the interaction was seen before (a replay after a gateway resume).
func (d *Discord) enter(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closing || !d.seen.add(id, d.cfg.Now()) {
		return false
	}
	d.inflight.Add(1)
	return true
}

func (d *Discord) count(route, outcome string) {
	d.mu.Lock()
	d.stats[StatKey{route, outcome}]++
	d.mu.Unlock()
}

// deferAfter is how long a handler may run before the interaction is
// acknowledged with a deferred response: Discord wants the first answer
// within 3 s, and the request itself needs some of that.
const deferAfter = 2 * time.Second

// responder sends the initial response of one interaction: over REST for
// interactions from the gateway, in the HTTP response body for those posted
// to the interactions endpoint. Everything after it (edits of a deferred
// answer, followups) goes over REST either way.
type responder interface {
	respond(ctx context.Context, body callbackPayload, files []*discordgo.File) error
	// filesOK reports whether the initial response can carry files.
	filesOK() bool
}

// restResponder answers with POST /interactions/{id}/{token}/callback.
type restResponder struct {
	d  *Discord
	it *discordgo.Interaction
}

func (r restResponder) respond(ctx context.Context, body callbackPayload, files []*discordgo.File) error {
	endpoint := discordgo.EndpointInteractionResponse(r.it.ID, r.it.Token)
	_, err := r.d.request(ctx, http.MethodPost, endpoint, endpoint, body, files)
	return err
}

func (restResponder) filesOK() bool { return true }

// onInteraction is the discordgo handler. discordgo runs it on its own
// goroutine (SyncEvents is false), so interactions are handled concurrently.
func (d *Discord) onInteraction(_ *discordgo.Session, ev *discordgo.InteractionCreate) {
	if ev == nil || ev.Interaction == nil || ev.Type == discordgo.InteractionPing {
		return
	}
	d.handle(ev.Interaction, restResponder{d, ev.Interaction})
}

// handle runs one interaction, from the gateway or the HTTP endpoint, and
// answers it through out. It returns at once, answering nothing, when Close
// has begun or the interaction was handled before.
func (d *Discord) handle(it *discordgo.Interaction, out responder) {
	if !d.enter(it.ID) {
		return
	}
	defer d.inflight.Done()
	start := time.Now()
	route := "unknown"
	defer func() {
		if p := recover(); p != nil {
			d.count(route, "panic")
			d.log.Error("interaction panicked", "route", route, "id", it.ID, "panic", p, "stack", string(debug.Stack()))
		}
	}()
	in, ok := toInteraction(it)
	route = d.routeOf(in)
	ctx := d.base
	var outcome string
	var err error
	if !ok {
		// Nobody to answer for (no user) or a kind we do not handle.
		err = d.respond(ctx, it, in, out, Reply{Ephemeral: true, Content: in.Lang().T("error.cannot_here")})
		outcome = "ok"
	} else {
		outcome, err = d.answer(ctx, it, in, out)
	}
	if err != nil {
		outcome = "failed"
		d.log.Warn("interaction answer failed", "route", route, "user", in.UserID, "took", time.Since(start), "err", err)
	} else {
		d.log.Info("interaction", "route", route, "user", in.UserID, "outcome", outcome, "took", time.Since(start))
	}
	d.count(route, outcome)
}

// routeOf names an interaction's route for logs and stats, from a small
// fixed set so garbage input cannot grow the stats without bound.
func (d *Discord) routeOf(in Interaction) string {
	switch in.Kind {
	case KindCommand, KindAutocomplete:
		name := in.Command
		if _, ok := d.bot.leaves[name]; !ok {
			name = "unknown"
		}
		if in.Kind == KindAutocomplete {
			return "autocomplete " + name
		}
		return name
	case KindButton:
		id, err := customid.Parse(customid.Payload(in.CustomID))
		if err != nil {
			return "button expired"
		}
		return "button " + id.Action
	}
	return "unknown"
}

// answer runs the handler and answers Discord within its 3 s window: slow
// commands are deferred at once, others if the handler overruns.
func (d *Discord) answer(ctx context.Context, it *discordgo.Interaction, in Interaction, out responder) (string, error) {
	if d.bot.Slow(in) {
		if err := d.deferResponse(ctx, in, out, true); err != nil {
			return "", err
		}
		return "ok", d.finishDeferred(ctx, it, in, d.bot.Handle(ctx, in))
	}
	done := make(chan Reply, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				d.log.Error("handler panicked", "id", it.ID, "panic", p, "stack", string(debug.Stack()))
				done <- Reply{Ephemeral: true, Content: stretchbot.ErrorText(in.Lang(), errors.New("panic"))}
			}
		}()
		done <- d.bot.Handle(ctx, in)
	}()
	timer := time.NewTimer(deferAfter)
	defer timer.Stop()
	select {
	case r := <-done:
		return "ok", d.respond(ctx, it, in, out, r)
	case <-timer.C:
	}
	if in.Kind == KindAutocomplete {
		// Autocomplete cannot be deferred; answer late and let Discord decide.
		return "late", d.respond(ctx, it, in, out, <-done)
	}
	if err := d.deferResponse(ctx, in, out, true); err != nil {
		return "", err
	}
	return "late", d.finishDeferred(ctx, it, in, <-done)
}

// Interaction callback and message payloads. They are encoded by hand
// rather than with discordgo's types so that file alt text (attachment
// descriptions) can be sent, which discordgo v0.29 does not model.
type callbackPayload struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data any                               `json:"data,omitempty"`
}

type messagePayload struct {
	Content         string                            `json:"content"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
	Components      []discordgo.MessageComponent      `json:"components"`
	Attachments     []attachment                      `json:"attachments,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions,omitempty"`
	Flags           discordgo.MessageFlags            `json:"flags,omitempty"`
	// Nonce and EnforceNonce (Create Message only; discordgo v0.29's
	// MessageSend has neither): the same nonce again within a few minutes
	// returns the first message instead of creating a second.
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

type choicesPayload struct {
	Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}

func payloadOf(rm rendered) messagePayload {
	p := messagePayload{Content: rm.content, Embeds: rm.embeds, Components: rm.components, Attachments: rm.attachments, AllowedMentions: rm.mentions}
	if rm.v2 {
		// Sent on edits too: it turns an older message into a V2 one, and
		// Discord keeps the flag on a message that has it anyway.
		p.Flags = flagComponentsV2
	}
	return p
}

// MarshalJSON sends a Components V2 message with content and embeds null,
// as Discord asks when an edit turns a message into a V2 one, and with an
// attachment list even when empty, so an edit drops pictures that no
// component shows any more.
func (p messagePayload) MarshalJSON() ([]byte, error) {
	type plain messagePayload
	if p.Flags&flagComponentsV2 == 0 {
		return json.Marshal(plain(p))
	}
	atts := p.Attachments
	if atts == nil {
		atts = []attachment{}
	}
	return json.Marshal(struct {
		plain
		Content     *string      `json:"content"`
		Embeds      *[]any       `json:"embeds"`
		Attachments []attachment `json:"attachments"`
	}{plain: plain(p), Attachments: atts})
}

// respond sends the initial response to an interaction. When it has files
// and out cannot carry them (an HTTP response body), the interaction is
// deferred and the answer, files and all, is sent as its edit.
func (d *Discord) respond(ctx context.Context, it *discordgo.Interaction, in Interaction, out responder, r Reply) error {
	if in.Kind == KindAutocomplete {
		err := out.respond(ctx, callbackPayload{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: choicesPayload{renderChoices(r.Choices)}}, nil)
		return wrapErr("answer autocomplete", err)
	}
	rm := render(r, editsV2(it, in, r))
	if len(rm.files) > 0 && !out.filesOK() {
		if err := d.deferResponse(ctx, in, out, r.Ephemeral); err != nil {
			return err
		}
		return d.finishDeferred(ctx, it, in, r)
	}
	p := payloadOf(rm)
	typ := discordgo.InteractionResponseChannelMessageWithSource
	if r.Update && in.Kind == KindButton {
		// An update keeps the message's flags: whether it is ephemeral
		// cannot change, so none are sent.
		typ = discordgo.InteractionResponseUpdateMessage
	} else if r.Ephemeral {
		p.Flags |= flagEphemeral
	}
	err := out.respond(ctx, callbackPayload{Type: typ, Data: p}, rm.files)
	return wrapErr("answer interaction", err)
}

// deferResponse acknowledges an interaction whose answer comes later. A
// command gets "thinking…", ephemeral when the answer will be (every slow
// command is personal); a button click keeps its message as it is until
// the edit.
func (d *Discord) deferResponse(ctx context.Context, in Interaction, out responder, ephemeral bool) error {
	// A deferral carries only flags, none of the message fields.
	body := callbackPayload{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if ephemeral {
		body.Data = map[string]any{"flags": flagEphemeral}
	}
	if in.Kind == KindButton {
		body = callbackPayload{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	return wrapErr("defer interaction", out.respond(ctx, body, nil))
}

// finishDeferred delivers the answer of a deferred interaction: it edits
// the original response (or, for a click, the clicked message), or posts a
// followup when a click's answer is a new message.
func (d *Discord) finishDeferred(ctx context.Context, it *discordgo.Interaction, in Interaction, r Reply) error {
	rm := render(r, editsV2(it, in, r))
	p := payloadOf(rm)
	appID := d.applicationID(it)
	if in.Kind == KindButton && !r.Update {
		// The one follow-up an interaction ever gets: well within the 5
		// Discord allows an app used through a user install.
		endpoint := discordgo.EndpointWebhookToken(appID, it.Token)
		if r.Ephemeral {
			p.Flags |= flagEphemeral
		}
		_, err := d.request(ctx, http.MethodPost, endpoint, endpoint, p, rm.files)
		return wrapErr("post followup", err)
	}
	endpoint := discordgo.EndpointWebhookMessage(appID, it.Token, "@original")
	_, err := d.request(ctx, http.MethodPatch, endpoint, endpoint, p, rm.files)
	return wrapErr("edit response", err)
}

// editsV2 reports whether r replaces a Components V2 message (the one the
// clicked button is on), so it must be one too.
func editsV2(it *discordgo.Interaction, in Interaction, r Reply) bool {
	return r.Update && in.Kind == KindButton && isV2(it.Message)
}

func (d *Discord) applicationID(it *discordgo.Interaction) string {
	if it.AppID != "" {
		return it.AppID
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.appID
}

// request sends one REST request through discordgo (its rate limiter and
// retries), as JSON or, with files, as multipart/form-data.
func (d *Discord) request(ctx context.Context, method, endpoint, bucket string, payload any, files []*discordgo.File) ([]byte, error) {
	opt := discordgo.WithContext(ctx)
	if len(files) == 0 {
		return d.rest.RequestWithBucketID(method, endpoint, payload, bucket, opt)
	}
	contentType, body, err := discordgo.MultipartBodyWithJSON(payload, files)
	if err != nil {
		return nil, fmt.Errorf("encode multipart body: %w", err)
	}
	return d.rest.RequestRaw(method, endpoint, contentType, body, bucket, 0, opt)
}

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Send implements Sender: it posts r to a channel, or as a DM to to.UserID.
// The DM channel is created once and its id kept in the user's settings.
// When Discord says the message can never arrive (DMs closed, channel gone,
// access lost) the error wraps ErrUnreachable; other errors are returned as
// they are, for the scheduler to retry.
func (d *Discord) Send(ctx context.Context, to Destination, r Reply) error {
	rm := render(r, false)
	p := payloadOf(rm)
	if r.Silent {
		p.Flags |= discordgo.MessageFlagsSuppressNotifications
	}
	p.Nonce, p.EnforceNonce = to.Nonce, to.Nonce != ""
	if to.ChannelID != "" {
		return d.post(ctx, to.ChannelID, p, rm.files)
	}
	ch, cached, err := d.dmChannel(ctx, to.UserID)
	if err != nil {
		return err
	}
	err = d.post(ctx, ch, p, rm.files)
	if cached && restCode(err) == discordgo.ErrCodeUnknownChannel {
		// The cached DM channel is gone: make a new one and try once more.
		if err := d.setDMChannel(ctx, to.UserID, ""); err != nil {
			return err
		}
		if ch, _, err = d.dmChannel(ctx, to.UserID); err != nil {
			return err
		}
		err = d.post(ctx, ch, p, rm.files)
	}
	return err
}

// post creates a channel message.
func (d *Discord) post(ctx context.Context, channelID string, p messagePayload, files []*discordgo.File) error {
	endpoint := discordgo.EndpointChannelMessages(channelID)
	for i := range files {
		// A retry re-reads the files, so each attempt needs fresh readers;
		// render made them from byte slices, which Seek rewinds.
		if s, ok := files[i].Reader.(interface {
			Seek(int64, int) (int64, error)
		}); ok {
			_, _ = s.Seek(0, 0)
		}
	}
	_, err := d.request(ctx, http.MethodPost, endpoint, endpoint, p, files)
	if err == nil {
		return nil
	}
	switch restCode(err) {
	case discordgo.ErrCodeCannotSendMessagesToThisUser, discordgo.ErrCodeMissingAccess, discordgo.ErrCodeUnknownChannel:
		return fmt.Errorf("post to channel %s: %w: %w", channelID, ErrUnreachable, err)
	}
	return fmt.Errorf("post to channel %s: %w", channelID, err)
}

// dmChannel returns the id of the DM channel with the user, creating it
// and caching its id when there is none yet.
func (d *Discord) dmChannel(ctx context.Context, userID string) (id string, cached bool, err error) {
	store := d.bot.cfg.Store
	u, err := store.User(ctx, userID)
	if err != nil {
		return "", false, fmt.Errorf("load user %s: %w", userID, err)
	}
	if u.DMChannelID != "" {
		return u.DMChannelID, true, nil
	}
	ch, err := d.createDM(ctx, userID)
	if err != nil {
		switch restCode(err) {
		case discordgo.ErrCodeCannotSendMessagesToThisUser, discordgo.ErrCodeMissingAccess, discordgo.ErrCodeUnknownUser:
			return "", false, fmt.Errorf("open DM with %s: %w: %w", userID, ErrUnreachable, err)
		}
		return "", false, fmt.Errorf("open DM with %s: %w", userID, err)
	}
	if err := d.setDMChannel(ctx, userID, ch.ID); err != nil {
		return "", false, err
	}
	return ch.ID, false, nil
}

// createDM opens the DM channel with the user. discordgo's own rate
// limiter holds one lock per bucket key for a whole request, and its key
// for this route is the URL, the same for every user: opening DMs for a
// burst of new users would go one round trip at a time. A key per user
// lifts that; the Pacer still keeps to the bucket Discord reports for the
// route.
func (d *Discord) createDM(ctx context.Context, userID string) (*discordgo.Channel, error) {
	endpoint := discordgo.EndpointUserChannels("@me")
	body, err := d.rest.RequestWithBucketID(http.MethodPost, endpoint, map[string]string{"recipient_id": userID}, endpoint+"/"+userID, discordgo.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var ch discordgo.Channel
	if err := json.Unmarshal(body, &ch); err != nil {
		return nil, fmt.Errorf("decode DM channel: %w", err)
	}
	return &ch, nil
}

// setDMChannel caches the user's DM channel. A user the store no longer
// knows (they ran Forget while this reminder was on its way) is not
// stored again: the channel simply stays uncached.
func (d *Discord) setDMChannel(ctx context.Context, userID, channelID string) error {
	_, err := d.bot.cfg.Store.UpdateKnownUser(ctx, userID, func(u *stretchbot.User) error {
		u.DMChannelID = channelID
		return nil
	})
	if err != nil && stretchbot.ErrorCode(err) != stretchbot.ENOTFOUND {
		return fmt.Errorf("cache DM channel of %s: %w", userID, err)
	}
	return nil
}

// restCode returns Discord's JSON error code of a REST error, 0 if none.
func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

// toInteraction converts a Discord interaction. ok is false when it cannot
// be handled: no user, or a kind of interaction we never ask for.
func toInteraction(it *discordgo.Interaction) (in Interaction, ok bool) {
	in = Interaction{Kind: -1, GuildID: it.GuildID, ChannelID: it.ChannelID, Context: InteractionContext(it.Context), Reach: reachOf(it), Locale: string(it.Locale)}
	if it.GuildLocale != nil {
		in.GuildLocale = string(*it.GuildLocale)
	}
	if in.GuildID == "" && in.Context == ContextGuild {
		// A payload without a context (older or hand-made) outside a
		// server is a DM with the bot.
		in.Context = ContextBotDM
	}
	switch {
	case it.Member != nil && it.Member.User != nil:
		in.UserID, in.UserName = it.Member.User.ID, displayName(it.Member.User)
		in.Permissions = it.Member.Permissions
	case it.User != nil:
		in.UserID, in.UserName = it.User.ID, displayName(it.User)
	}
	switch data := it.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		in.Kind = KindCommand
		if it.Type == discordgo.InteractionApplicationCommandAutocomplete {
			in.Kind = KindAutocomplete
		}
		path := []string{data.Name}
		opts := data.Options
		// Subcommand groups and subcommands nest: descend to the leaf.
		for descended := true; descended; {
			descended = false
			for _, o := range opts {
				if o != nil && (o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
					path = append(path, o.Name)
					opts, descended = o.Options, true
					break
				}
			}
		}
		in.Command = strings.Join(path, " ")
		in.Options = make(map[string]string, len(opts))
		for _, o := range opts {
			if o == nil {
				continue
			}
			in.Options[o.Name] = optionValue(o.Value)
			if o.Focused {
				in.Focused = o.Name
			}
		}
	case discordgo.MessageComponentInteractionData:
		in.Kind = KindButton
		in.CustomID = data.CustomID
	}
	return in, in.UserID != "" && in.Kind >= 0
}

// reachOf decides from the payload alone, never by trying and failing,
// whether the bot can post in the interaction's channel: only a server's
// install (the guild-install key of authorizing_integration_owners) puts
// the bot in a channel, and app_permissions says whether it may see and
// post there. app_permissions alone cannot tell: for an app that is not
// in the server it holds the permissions of @everyone.
func reachOf(it *discordgo.Interaction) Reach {
	if _, ok := it.AuthorizingIntegrationOwners[discordgo.ApplicationIntegrationGuildInstall]; !ok {
		return ReachUserInstall
	}
	if need := PermViewChannel | PermSendMessages; it.AppPermissions&need != need {
		return ReachNoPermission
	}
	return ReachChannel
}

func displayName(u *discordgo.User) string {
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

// optionValue renders an option value as typed: JSON numbers arrive as
// float64, booleans as bool.
func optionValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// replayWindow is how long an interaction id is remembered: twice the
// age a signed HTTP interaction may have (so a captured request cannot be
// replayed while its signature is still accepted), and far longer than a
// gateway resume replays events.
const replayWindow = 2 * maxSignatureAge

// maxRemembered caps the ids remembered, should interactions ever come
// faster than about 1,700 a second for a whole window; past it the oldest
// are forgotten early.
const maxRemembered = 1 << 20

// recentIDs remembers the interaction ids seen within replayWindow, so an
// interaction delivered twice (a replay after a gateway resume, or a
// signed HTTP request sent again) is handled once, however many others
// came in between.
type recentIDs struct {
	seen  map[string]struct{}
	queue []seenID // in order of arrival; queue[head:] are remembered
	head  int
}

type seenID struct {
	id string
	at time.Time
}

func newRecentIDs() recentIDs {
	return recentIDs{seen: map[string]struct{}{}}
}

// add records id, seen at now, and reports whether it is new.
func (r *recentIDs) add(id string, now time.Time) bool {
	for r.head < len(r.queue) && (now.Sub(r.queue[r.head].at) > replayWindow || len(r.queue)-r.head >= maxRemembered) {
		delete(r.seen, r.queue[r.head].id)
		r.queue[r.head] = seenID{}
		r.head++
	}
	if r.head > len(r.queue)/2 && r.head > 1024 {
		r.queue = append(r.queue[:0], r.queue[r.head:]...)
		r.head = 0
	}
	if _, dup := r.seen[id]; dup {
		return false
	}
	r.seen[id] = struct{}{}
	r.queue = append(r.queue, seenID{id, now})
	return true
}

// len returns how many ids are remembered.
func (r *recentIDs) len() int { return len(r.seen) }
