package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// User is a Discord user who invokes interactions.
type User struct {
	ID         string
	Username   string // default "user<ID>"
	GlobalName string
}

func (u User) json() map[string]any {
	name := u.Username
	if name == "" {
		name = "user" + u.ID
	}
	m := map[string]any{"id": u.ID, "username": name, "discriminator": "0", "avatar": nil, "bot": false}
	if u.GlobalName != "" {
		m["global_name"] = u.GlobalName
	} else {
		m["global_name"] = nil
	}
	return m
}

// Origin says who invokes an interaction and where: in a guild channel (the
// payload carries a member with the user and their permissions) or in a DM
// with the bot (the payload carries the user at the top level).
type Origin struct {
	User User
	// GuildID is empty for a DM.
	GuildID string
	// ChannelID defaults to the user's DM channel for DMs (and, for clicks,
	// to the channel of the clicked message).
	ChannelID string
	// Permissions is the member's permission bit set in the channel, as
	// Discord sends it (a decimal string). Default "0". Guild only.
	Permissions string
	// Locale is the user's client locale. Default "en-US".
	Locale string
	// UserInstall makes the interaction come through the user's own
	// install of the app rather than a server's: authorizing_integration_owners
	// holds only the user-install key "1", and in a server the bot is not a
	// member of the channel, so the fake refuses channel messages the bot
	// posts there (403 Missing Access), as Discord does.
	UserInstall bool
	// Private makes the interaction come from a DM or group DM between
	// people (context 2, PRIVATE_CHANNEL), which the bot never joins: the
	// app can only be there through the user's own install, so UserInstall
	// is implied. ChannelID defaults to a new channel.
	Private bool
	// AppPermissions is app_permissions, the app's permission bit set in
	// the channel (a decimal string). Default: every permission Discord
	// grants a bot added with the usual ones; through a user install, the
	// permissions of @everyone, which usually include View Channel and Send
	// Messages although the bot is not there. In a server's install, a set
	// without View Channel (1<<10) or Send Messages (1<<11) makes the fake
	// refuse the bot's channel messages there (403 Missing Permissions).
	AppPermissions string
}

// InGuild is an Origin in guild channel channelID.
func InGuild(guildID, channelID string, u User) Origin {
	return Origin{User: u, GuildID: guildID, ChannelID: channelID}
}

// InDM is an Origin in the user's DM channel with the bot.
func InDM(u User) Origin { return Origin{User: u} }

// InPrivateChannel is an Origin in a DM or group DM between people
// (context 2), where the app is used through the user's own install.
func InPrivateChannel(channelID string, u User) Origin {
	return Origin{User: u, ChannelID: channelID, Private: true, UserInstall: true}
}

// Interaction contexts (Discord's numbering): where an interaction happened.
const (
	ContextGuild          = 0
	ContextBotDM          = 1
	ContextPrivateChannel = 2
)

// Default app_permissions. botPermissions is what the fake always sent;
// everyonePermissions is a server's usual @everyone set (View Channel, Send
// Messages, Embed Links, Attach Files, Read Message History, Add
// Reactions, Use External Emojis, Use Application Commands), which
// Discord sends for an app that is not in the server.
const (
	botPermissions      = "2248473465835073"
	everyonePermissions = "2147863616"
)

// channelAccess is what the bot may do in a channel, as the latest
// interaction there showed.
type channelAccess int

const (
	accessPost         channelAccess = iota // a member with View Channel and Send Messages
	accessNotMember                         // reached only through a user install
	accessNoPermission                      // a member without View Channel or Send Messages
)

// maxUserInstallFollowups is how many follow-up messages an app may create
// for one interaction it receives through a user install only. Discord's
// change log of 2024-06-27 ("User-Installed Apps General Availability",
// https://discord.com/developers/docs/change-log): "User-installed apps are
// now limited to creating a maximum of 5 follow-ups when responding to
// interactions. This only affects the Create Followup Message endpoint, and
// apps installed to the server are unaffected."
const maxUserInstallFollowups = 5

// Invocation is a slash command (or an autocomplete request) to dispatch.
type Invocation struct {
	Origin
	// Command is the top-level command name.
	Command string
	// Group is the subcommand group, if any; Subcommand the subcommand.
	Group, Subcommand string
	// Options are the options of the invoked (sub)command.
	Options []Option
}

// Option is one option value of an invocation.
type Option struct {
	Name string
	// Type defaults from Value: string → STRING, int → INTEGER, bool →
	// BOOLEAN, float64 → NUMBER. Set it for USER, CHANNEL, ROLE,
	// MENTIONABLE and ATTACHMENT options (whose Value is an id string).
	Type  discordgo.ApplicationCommandOptionType
	Value any
	// Focused marks the option being typed, for Autocomplete.
	Focused bool
}

// Click is a message component interaction: a button press or a select.
type Click struct {
	Origin
	// MessageID is the message the component is on; it must be a message
	// the bot sent through the fake (Messages, DMs, or an interaction reply).
	MessageID string
	CustomID  string
	// ComponentType defaults to 2 (button).
	ComponentType int
	// Values are the selected values of a select menu.
	Values []string
}

// interaction is the fake's state of one dispatched interaction.
type interaction struct {
	id, token    string
	typ          int
	channelID    string
	created      time.Time // on the deadline clock (deadlineNowLocked)
	acked        bool
	original     string // message id of the original response
	componentMsg string // for component interactions: the clicked message
	followups    map[string]bool
	userInstall  bool // authorized by the user's install only: follow-ups are limited
	replies      []Reply
	payload      map[string]any
}

// Interaction types (Discord's numbering).
const (
	interactionCommand      = 2
	interactionComponent    = 3
	interactionAutocomplete = 4
	interactionModalSubmit  = 5
)

// SlashCommand dispatches an APPLICATION_COMMAND interaction as
// INTERACTION_CREATE to the shard that owns the guild (shard 0 for DMs) and
// returns its id. If no session is connected on that shard yet, the event is
// delivered after the next READY there.
func (f *Fake) SlashCommand(inv Invocation) string {
	return f.dispatchCommand(inv, interactionCommand)
}

// Autocomplete dispatches an APPLICATION_COMMAND_AUTOCOMPLETE interaction
// (type 4); mark the option being typed with Focused.
func (f *Fake) Autocomplete(inv Invocation) string {
	return f.dispatchCommand(inv, interactionAutocomplete)
}

func optionJSON(o Option) map[string]any {
	t := o.Type
	if t == 0 {
		switch o.Value.(type) {
		case int, int32, int64:
			t = discordgo.ApplicationCommandOptionInteger
		case bool:
			t = discordgo.ApplicationCommandOptionBoolean
		case float32, float64:
			t = discordgo.ApplicationCommandOptionNumber
		default:
			t = discordgo.ApplicationCommandOptionString
		}
	}
	m := map[string]any{"name": o.Name, "type": int(t), "value": o.Value}
	if o.Focused {
		m["focused"] = true
	}
	return m
}

func (f *Fake) dispatchCommand(inv Invocation, typ int) string {
	opts := make([]any, 0, len(inv.Options))
	for _, o := range inv.Options {
		opts = append(opts, optionJSON(o))
	}
	if inv.Subcommand != "" {
		opts = []any{map[string]any{"name": inv.Subcommand, "type": optionSubcommand, "options": opts}}
		if inv.Group != "" {
			opts = []any{map[string]any{"name": inv.Group, "type": optionGroup, "options": opts}}
		}
	}
	f.mu.Lock()
	cmdID := f.commandIDLocked(inv.GuildID, inv.Command)
	f.mu.Unlock()
	data := map[string]any{"id": cmdID, "name": inv.Command, "type": commandChatInput, "options": opts}
	if inv.GuildID != "" {
		data["guild_id"] = inv.GuildID
	}
	return f.dispatch(inv.Origin, typ, data, "")
}

// commandIDLocked finds the registered id of a chat input command (guild
// commands first), or makes one up when the bot never registered it.
func (f *Fake) commandIDLocked(guildID, name string) string {
	scopes := []string{""}
	if guildID != "" {
		scopes = []string{guildID, ""}
	}
	for _, scope := range scopes {
		for _, c := range f.commands[scope] {
			if asString(c["name"]) == name && fmt.Sprint(c["type"]) == "1" {
				return asString(c["id"])
			}
		}
	}
	return f.snowflake()
}

// Click dispatches a MESSAGE_COMPONENT interaction on a message the bot
// sent. It fails the test if the message is unknown or has no component with
// that custom_id, since Discord users can only click what the bot sent.
// Like all helpers that fail the test, call it from the test's goroutine.
func (f *Fake) Click(c Click) string {
	if f.t != nil {
		f.t.Helper()
	}
	f.mu.Lock()
	sm := f.messages[c.MessageID]
	var msg map[string]any
	var found bool
	if sm != nil && !sm.deleted {
		msg = f.messageJSON(sm)
		found = hasCustomID(sm.message().Components, c.CustomID)
		if c.ChannelID == "" {
			c.ChannelID = sm.channelID
		}
	}
	f.mu.Unlock()
	if sm == nil || sm.deleted {
		f.fatalf("Click: unknown message %q", c.MessageID)
		return ""
	}
	if !found {
		f.fatalf("Click: message %s has no component with custom_id %q", c.MessageID, c.CustomID)
		return ""
	}
	ct := c.ComponentType
	if ct == 0 {
		ct = componentButton
	}
	data := map[string]any{"custom_id": c.CustomID, "component_type": ct}
	if c.Values != nil {
		data["values"] = c.Values
	}
	return f.dispatch(c.Origin, interactionComponent, data, c.MessageID, msg)
}

func hasCustomID(cs []Component, id string) bool {
	for _, c := range cs {
		if c.CustomID == id || hasCustomID(c.Components, id) {
			return true
		}
	}
	return false
}

func (f *Fake) fatalf(format string, args ...any) {
	if f.t != nil {
		f.t.Helper()
		f.t.Fatalf("discordtest: "+format, args...)
		return
	}
	panic(fmt.Sprintf("discordtest: "+format, args...))
}

// dispatch builds and sends an INTERACTION_CREATE. msg, for component
// interactions, is the clicked message's JSON.
func (f *Fake) dispatch(o Origin, typ int, data map[string]any, componentMsg string, msg ...map[string]any) string {
	if o.User.ID == "" {
		o.User.ID = "2000000000000000001"
	}
	if o.Locale == "" {
		o.Locale = "en-US"
	}
	if o.Permissions == "" {
		o.Permissions = "0"
	}
	if o.Private {
		o.GuildID, o.UserInstall = "", true
	}
	if o.AppPermissions == "" {
		o.AppPermissions = botPermissions
		if o.UserInstall {
			o.AppPermissions = everyonePermissions
		}
	}
	f.mu.Lock()
	if o.ChannelID == "" && o.Private {
		o.ChannelID = f.snowflake()
	}
	if o.ChannelID == "" && o.GuildID == "" {
		o.ChannelID = f.dmChannelLocked(o.User.ID)
	}
	id, token := f.snowflake(), randomToken()
	p := map[string]any{
		"id": id, "application_id": f.opts.AppID, "type": typ, "data": data, "token": token, "version": 1,
		"channel_id": o.ChannelID, "locale": o.Locale, "app_permissions": o.AppPermissions,
		"entitlements": []any{}, "authorizing_integration_owners": integrationOwners(o),
	}
	switch {
	case o.GuildID != "":
		p["guild_id"] = o.GuildID
		p["guild_locale"] = "en-US"
		p["context"] = ContextGuild
		p["channel"] = map[string]any{"id": o.ChannelID, "type": 0, "guild_id": o.GuildID}
		p["member"] = map[string]any{
			"user": o.User.json(), "roles": []any{}, "permissions": o.Permissions, "nick": nil,
			"joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0,
		}
		f.botAccess[o.ChannelID] = guildAccess(o)
	case o.Private:
		p["context"] = ContextPrivateChannel
		p["channel"] = map[string]any{"id": o.ChannelID, "type": 3}
		p["user"] = o.User.json()
		f.botAccess[o.ChannelID] = accessNotMember
	default:
		p["context"] = ContextBotDM
		p["channel"] = map[string]any{"id": o.ChannelID, "type": 1}
		p["user"] = o.User.json()
	}
	if len(msg) > 0 {
		p["message"] = msg[0]
	}
	it := &interaction{
		id: id, token: token, typ: typ, channelID: o.ChannelID, created: f.deadlineNowLocked(),
		componentMsg: componentMsg, followups: map[string]bool{}, payload: p, userInstall: o.UserInstall,
	}
	f.interactions[id] = it
	f.byToken[token] = it
	f.mu.Unlock()
	f.gw.dispatch(f.shardFor(o.GuildID), "INTERACTION_CREATE", p)
	return id
}

// integrationOwners is authorizing_integration_owners: the installs that
// authorized the interaction, by integration type. A server's install is
// keyed "0" with the guild's id, or "0" in the bot's DM; a user's install
// is keyed "1" with the user's id.
func integrationOwners(o Origin) map[string]any {
	switch {
	case o.UserInstall:
		return map[string]any{"1": o.User.ID}
	case o.GuildID == "":
		return map[string]any{"0": "0"}
	}
	return map[string]any{"0": o.GuildID}
}

// guildAccess is what the bot may do in the guild channel of o.
func guildAccess(o Origin) channelAccess {
	if o.UserInstall {
		return accessNotMember
	}
	perms, _ := strconv.ParseInt(o.AppPermissions, 10, 64)
	const need = 1<<10 | 1<<11 // VIEW_CHANNEL, SEND_MESSAGES
	if perms&need != need {
		return accessNoPermission
	}
	return accessPost
}

// shardFor routes a guild to its shard like Discord: (guild_id >> 22) %
// num_shards; DMs go to shard 0.
func (f *Fake) shardFor(guildID string) int {
	if guildID == "" {
		return 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return 0
	}
	return int((id >> 22) % uint64(f.opts.Shards))
}

// ShardFor is the shard Discord would deliver the guild's events to.
func (f *Fake) ShardFor(guildID string) int { return f.shardFor(guildID) }

// InteractionToken returns the interaction's token, e.g. to call webhook routes by hand.
func (f *Fake) InteractionToken(interactionID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if it := f.interactions[interactionID]; it != nil {
		return it.token
	}
	return ""
}

// allowedCallbacks are the callback types valid for each interaction type.
var allowedCallbacks = map[int]map[int]bool{
	interactionCommand:      {CallbackChannelMessage: true, CallbackDeferredMessage: true, CallbackModal: true},
	interactionComponent:    {CallbackChannelMessage: true, CallbackDeferredMessage: true, CallbackDeferredUpdate: true, CallbackUpdateMessage: true, CallbackModal: true},
	interactionAutocomplete: {CallbackAutocompleteResult: true},
	interactionModalSubmit:  {CallbackChannelMessage: true, CallbackDeferredMessage: true, CallbackDeferredUpdate: true, CallbackUpdateMessage: true},
}

// callback answers POST /interactions/{id}/{token}/callback.
func (f *Fake) callback(c *call) (int, any, *APIError) {
	it := f.interactions[c.params["interaction_id"]]
	if it == nil || it.token != c.params["interaction_token"] {
		return 0, nil, errUnknownInteraction()
	}
	if it.acked {
		return 0, nil, errAlreadyAcked()
	}
	now := f.nowLocked()
	if f.deadlineNowLocked().Sub(it.created) > initialResponseDeadline {
		return 0, nil, errUnknownInteraction()
	}
	body := asMap(c.body)
	typ, _ := asInt(body["type"])
	if !allowedCallbacks[it.typ][typ] {
		return 0, nil, formError("type", "INTERACTION_CALLBACK_TYPE_INVALID",
			fmt.Sprintf("Interaction callback type %d is not valid for interaction type %d", typ, it.typ))
	}
	data := asMap(body["data"])
	reply := Reply{Kind: KindCallback, InteractionID: it.id, Time: now, Type: typ}
	switch typ {
	case CallbackChannelMessage:
		if e := validateMessage(data, "data", messageCheck{create: true, hasFiles: len(c.files) > 0}); e != nil {
			return 0, nil, e
		}
		sm := f.newMessageLocked(data, c.files, it.channelID, it.id)
		it.original = asString(sm.raw["id"])
		reply.Message = sm.message()
	case CallbackDeferredMessage:
		flags, _ := asInt(data["flags"])
		sm := f.newMessageLocked(map[string]any{"flags": float64(flags)}, nil, it.channelID, it.id)
		it.original = asString(sm.raw["id"])
		reply.Message = sm.message()
	case CallbackDeferredUpdate, CallbackUpdateMessage:
		it.original = it.componentMsg
		sm := f.messages[it.componentMsg]
		if sm == nil {
			return 0, nil, errUnknownMessage()
		}
		if typ == CallbackUpdateMessage {
			if e := validateMessage(data, "data", messageCheck{componentsV2: sm.componentsV2()}); e != nil {
				return 0, nil, e
			}
			sm.edit(data, c.files)
		}
		reply.Message = sm.message()
	case CallbackAutocompleteResult:
		var fe formErrors
		validateChoices(&fe, asList(data["choices"]), "data.choices")
		if e := fe.apiError(); e != nil {
			return 0, nil, e
		}
		b, _ := json.Marshal(data["choices"])
		_ = json.Unmarshal(b, &reply.Choices)
	case CallbackModal:
		if e := validateModal(data); e != nil {
			return 0, nil, e
		}
		reply.Modal = data
	}
	it.acked = true
	it.replies = append(it.replies, reply)
	return http.StatusNoContent, nil, nil
}

// webhook answers the interaction webhook routes: followups and the
// original response.
func (f *Fake) webhook(c *call) (int, any, *APIError) {
	if c.params["webhook_id"] != f.opts.AppID {
		return 0, nil, errUnknownWebhook()
	}
	it := f.byToken[c.params["webhook_token"]]
	now := f.nowLocked()
	if it == nil || f.deadlineNowLocked().Sub(it.created) > tokenLifetime {
		return 0, nil, errInvalidWebhookToken()
	}
	// Discord creates the interaction's webhook messages only once the
	// interaction is acknowledged.
	if !it.acked || it.typ == interactionAutocomplete {
		return 0, nil, errUnknownWebhook()
	}
	body := asMap(c.body)
	mid, isMsg := c.params["message_id"]
	if !isMsg { // POST: followup
		if e := validateMessage(body, "", messageCheck{create: true, hasFiles: len(c.files) > 0}); e != nil {
			return 0, nil, e
		}
		if it.userInstall && len(it.followups) >= maxUserInstallFollowups {
			return 0, nil, errTooManyFollowups()
		}
		sm := f.newMessageLocked(body, c.files, it.channelID, it.id)
		id := asString(sm.raw["id"])
		it.followups[id] = true
		it.replies = append(it.replies, Reply{Kind: KindFollowup, InteractionID: it.id, Time: now, Message: sm.message()})
		if c.r.URL.Query().Get("wait") != "true" {
			return http.StatusNoContent, nil, nil
		}
		return http.StatusOK, f.messageJSON(sm), nil
	}
	original := mid == "@original"
	if original {
		mid = it.original
	}
	sm := f.messages[mid]
	if sm == nil || sm.deleted || (!original && !it.followups[mid]) {
		return 0, nil, errUnknownMessage()
	}
	kind := map[string][2]ReplyKind{
		http.MethodPatch:  {KindEditFollowup, KindEditOriginal},
		http.MethodDelete: {KindDeleteFollowup, KindDeleteOriginal},
	}
	switch c.method {
	case http.MethodGet:
		return http.StatusOK, f.messageJSON(sm), nil
	case http.MethodPatch:
		if e := validateMessage(body, "", messageCheck{componentsV2: sm.componentsV2()}); e != nil {
			return 0, nil, e
		}
		sm.edit(body, c.files)
	case http.MethodDelete:
		sm.deleted = true
	}
	k := kind[c.method][0]
	if original {
		k = kind[c.method][1]
	}
	it.replies = append(it.replies, Reply{Kind: k, InteractionID: it.id, Time: now, Message: sm.message()})
	if c.method == http.MethodDelete {
		return http.StatusNoContent, nil, nil
	}
	return http.StatusOK, f.messageJSON(sm), nil
}

// --- queries ---

// Responses returns every accepted reply to the interaction, in order: the
// initial callback, then edits, followups and deletes.
func (f *Fake) Responses(interactionID string) []Reply {
	f.mu.Lock()
	defer f.mu.Unlock()
	it := f.interactions[interactionID]
	if it == nil {
		return nil
	}
	return append([]Reply(nil), it.replies...)
}

// Response returns the accepted initial response (callback) to the
// interaction.
func (f *Fake) Response(interactionID string) (Reply, bool) {
	for _, r := range f.Responses(interactionID) {
		if r.Kind == KindCallback {
			return r, true
		}
	}
	return Reply{}, false
}

// Original returns the current state of the interaction's original response
// message (after edits), if there is one and it was not deleted.
func (f *Fake) Original(interactionID string) (Message, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	it := f.interactions[interactionID]
	if it == nil || it.original == "" {
		return Message{}, false
	}
	sm := f.messages[it.original]
	if sm == nil || sm.deleted {
		return Message{}, false
	}
	return sm.message(), true
}

// Requests returns every REST request received so far, in order.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// ValidationErrors returns every rejection so far; a bot test suite can
// assert it is empty at the end.
func (f *Fake) ValidationErrors() []Rejection {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Rejection(nil), f.rejections...)
}

// Messages returns the messages the bot posted with POST
// /channels/{id}/messages to the channel, as they are now (after edits),
// without deleted ones. Interaction replies are in Responses.
func (f *Fake) Messages(channelID string) []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Message
	for _, id := range f.channelMsgs[channelID] {
		if sm := f.messages[id]; sm != nil && !sm.deleted {
			out = append(out, sm.message())
		}
	}
	return out
}

// DMChannel returns the id of the DM channel with the user, creating it as
// POST /users/@me/channels would.
func (f *Fake) DMChannel(userID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dmChannelLocked(userID)
}

// DMs returns the messages the bot sent to the user's DM channel.
func (f *Fake) DMs(userID string) []Message {
	return f.Messages(f.DMChannel(userID))
}

// Commands returns the commands the bot registered by bulk overwrite:
// global ones for guildID "", else the guild's.
func (f *Fake) Commands(guildID string) []*discordgo.ApplicationCommand {
	f.mu.Lock()
	b, err := json.Marshal(f.commands[guildID])
	f.mu.Unlock()
	var out []*discordgo.ApplicationCommand
	if err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}

// Offers reports whether Discord would offer the registered command
// (global, or of o's guild) to the user at o: its integration_types must
// hold the install o comes through (0 a server's, 1 the user's own) and
// its contexts the place (0 a server, 1 the bot's DM, 2 a conversation
// between people). A command without one of the lists is offered
// everywhere for that list, as on Discord for an app installable both
// ways; a command never registered is not offered.
func (f *Fake) Offers(o Origin, command string) bool {
	install, ctx := 0, ContextGuild
	if o.UserInstall || o.Private {
		install = 1
	}
	switch {
	case o.Private:
		ctx = ContextPrivateChannel
	case o.GuildID == "":
		ctx = ContextBotDM
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	scopes := []string{""}
	if o.GuildID != "" && !o.Private {
		scopes = append(scopes, o.GuildID)
	}
	for _, scope := range scopes {
		for _, c := range f.commands[scope] {
			if asString(c["name"]) != command || fmt.Sprint(c["type"]) != "1" {
				continue
			}
			return listAllows(c["integration_types"], install) && listAllows(c["contexts"], ctx)
		}
	}
	return false
}

// listAllows reports whether a command's integration_types or contexts
// list holds v; an absent list allows everything.
func listAllows(list any, v int) bool {
	l, ok := list.([]any)
	if !ok {
		return true
	}
	for _, x := range l {
		if n, ok := asInt(x); ok && n == v {
			return true
		}
	}
	return false
}
