// Package discordtest is a fake Discord for tests. Read this first.
//
// # What it fakes
//
// Discord's REST API and its gateway, on loopback: an httptest server that
// a real discordgo Session talks to with real JSON over real HTTP and real
// websockets. It plays Discord's part of a conversation with the bot: it
// sends interactions (slash commands, autocomplete, button clicks) over the
// gateway, accepts the bot's answers, messages and command registrations
// over REST, records all of it for the test to read, and refuses what
// Discord would refuse, with Discord's status codes and error bodies. It
// models only what the bot uses; anything else answers 404 and counts as
// a rejection, so a bot that starts calling something new notices.
//
// # How a test uses it
//
//	fake := discordtest.New(t, discordtest.Options{})      // closed by t.Cleanup
//	s, _ := discordapi.NewSession(fake.Token(), fake.URL()) // fake.URL() is DISCORD_API_BASE
//	s.Open()                                                // GET /gateway → fake.GatewayURL()
//	id := fake.SlashCommand(discordtest.Invocation{
//		Origin:  discordtest.InGuild(guildID, channelID, discordtest.User{ID: "42"}),
//		Command: "stretch", Subcommand: "now",
//	})
//	r, err := fake.WaitResponse(ctx, id) // blocks until the bot answered
//	// r.Type, r.Ephemeral(), r.Message.Content, r.Message.Components, ...
//	if errs := fake.ValidationErrors(); len(errs) > 0 { t.Fatal(errs) }
//
// Click presses a button of a message the bot sent; Messages, DMs,
// Responses, Original, Commands and Requests read back what the bot did;
// WaitFor waits for any condition without sleeping. Every bot test should
// end by asserting that ValidationErrors is empty: the list of every
// request the fake refused.
//
// # What it rejects
//
// Each request passes two checks before it changes anything; a refused
// request changes nothing (a refused interaction answer does not count as
// the answer).
//
//   - The spec check: Discord's own OpenAPI spec. Path and query parameters
//     and the JSON body of every request (payload_json for multipart
//     uploads) must match the request schemas of the operation: types,
//     enums, required fields, lengths, which component may nest where
//     (Components V2 included). Refusals are 400/50035 "Invalid Form Body",
//     each message under its field's path and prefixed "openapi: ".
//   - The hand-written rules: Discord's documented limits the spec lacks.
//     Content over 2000 characters; embed limits (title 256, description
//     4096, 25 fields, field name 256 and value 1024, footer 2048, author
//     256, 6000 in total, 10 embeds); empty messages (50006); component
//     rules (5 action rows, 5 buttons a row, a select menu alone in its
//     row, custom_id required on non-link buttons, at most 100 characters
//     and unique in the message, label 80, link buttons need a url and no
//     custom_id); Components V2 (with the IS_COMPONENTS_V2 flag: no content,
//     embeds, poll or stickers; at most 40 components counting nested ones;
//     at most 4000 characters across all Text Displays; the flag cannot be
//     removed by an edit); command rules (name pattern and lowercase,
//     description 1-100, 25 options and choices, required before optional,
//     unique names, subcommand nesting, 100 commands).
//
// Besides those: a second initial response (400/40060); an initial
// response more than 3 s after the interaction (404/10062); webhook calls
// after the token's 15 minutes (401/50027); a missing or wrong
// "Authorization: Bot <token>" (401; interaction routes need none); DMs to
// users who closed them (CloseDMs, 403/50007); rate limits (429). Every
// refusal is kept in ValidationErrors, except 429s and injected faults.
//
// # Installs and contexts
//
// An interaction's Origin says where it happened and through which
// install: InGuild (a server's install, unless UserInstall is set), InDM
// (the bot's DM) or InPrivateChannel (a DM or group DM between people,
// reached only through the person's own install). The fake fills
// context, authorizing_integration_owners and app_permissions as Discord
// does, and refuses what Discord refuses there: a channel message where
// the bot is not a member or lacks View Channel or Send Messages
// (403/50001, 403/50013), a sixth follow-up through a user install.
// Offers says whether Discord would offer a registered command at an
// Origin (its integration_types and contexts). Origins, Offers and the
// follow-up cap are in rest_interactions.go, the channel refusals in
// rest.go (postRefusalLocked).
//
// # enforce_nonce
//
// Create Message honours enforce_nonce as Discord does: a request with
// "enforce_nonce": true whose nonce (string or number) was already used in
// the same channel within Options.NonceWindow (default DefaultNonceWindow,
// 3 minutes) gets the first message back and creates none. NonceRepeats
// counts those answers, so a test can prove that a retried send after a
// lost response did not post twice. A deleted message frees its nonce.
//
// # Time
//
// Interaction deadlines never pass by themselves: by default they run on a
// clock that stands still and moves only by Advance, so a test slowed down
// by -race or a busy machine is never "late", and a test that wants a late
// answer calls Advance(4 * time.Second). Options.Clock or SetClock hand the
// deadlines to a clock of the test's own (or to time.Now, for Discord's
// real-time behaviour). Request and reply times read time.Now unless a clock
// is set. Rate limits always run on real time, because discordgo waits in
// real time.
//
// # Where each part lives
//
//	doc.go                this overview
//	fake.go               Options, New/Start, Close, the clock, WaitFor
//	fake_types.go         what tests read back: Request, Message, Component,
//	                      Reply, Rejection, APIError
//	rest.go               REST: the route table, the request pipeline
//	                      (route → auth → spec check → faults and delays →
//	                      rate limit → handler), users, DM channels,
//	                      commands, channel messages; FailNext and Delay
//	rest_interactions.go  interactions: SlashCommand, Autocomplete and Click
//	                      (sent over the gateway), the callback and webhook
//	                      routes that answer them, and the read-back queries
//	gateway.go            the websocket gateway: HELLO, IDENTIFY, READY,
//	                      heartbeats, RESUME, shards, DropGateway
//	rules.go              the hand-written rules and Discord's error bodies
//	spec.go               the spec check: request schemas, error placement
//	spec/                 Discord's OpenAPI spec (openapi.json.gz), the
//	                      request schemas cut from it (requests.json,
//	                      generated), where they come from (README.md)
//	gen_requests.go       go generate: writes spec/requests.json, using
//	internal/specgen      (which cuts the schemas and applies the
//	                      allowances: the few places where Discord accepts
//	                      what its spec refuses, each with its reason)
//	ratelimit.go          rate limits: the global 50/s, per-route buckets,
//	                      X-RateLimit-* headers and 429 bodies
//	nonce.go              enforce_nonce: the nonces remembered per channel
//
// The tests beside them follow the same split: rules_test.go and
// rules_componentsv2_test.go send each bad request once and assert the
// status, code and field path; spec_test.go does the same for the spec
// check; nonce_test.go, gateway_test.go (shards, resume, rate limits,
// faults, files), fake_clock_test.go (interaction deadlines) and
// session_test.go (a real discordgo Session end to end).
//
// REST is served under /api/v9 (the version discordgo v0.29.0 uses) and
// /api/v10, both checked as v10 requests (their formats are the same for
// the routes served). The routes: GET /users/@me; POST /users/@me/channels;
// GET /gateway and /gateway/bot; PUT and GET global and guild command bulk
// overwrite; POST /interactions/{id}/{token}/callback (types 4, 5, 6, 7, 8,
// 9); POST /webhooks/{app}/{token} (followups; ?wait=true returns the
// message); GET/PATCH/DELETE /webhooks/{app}/{token}/messages/{@original|id};
// POST/PATCH/DELETE /channels/{id}/messages[/{id}]. Bodies are JSON or
// multipart/form-data (payload_json plus files[n]). After adding a route to
// the table in rest.go, run `go generate ./internal/discordtest`
// (TestRequestSchemasAreCurrent fails until then).
//
// The gateway: HELLO; IDENTIFY (token, intents and shard checked;
// Identifies records them); READY (session_id, resume_gateway_url,
// application, user, guilds of the shard, shard); heartbeat ACKs; RESUME
// replaying missed dispatches by sequence number, then RESUMED; op 9 for
// unknown sessions. Interactions go to the shard Discord would pick,
// (guild_id >> 22) % shards, DMs to shard 0, and wait for a READY on that
// shard if nobody is connected yet.
//
// # Adding a rule
//
// First check whether the spec already says it: if it does, the spec check
// enforces it and there is nothing to write. Otherwise:
//
//  1. Write the rule in rules.go, in the validate function of the body it
//     belongs to (validateMessage and the functions it calls for messages,
//     validateCommands for commands, validateModal, validateChoices), with
//     the limit as a named constant and a comment naming the Discord
//     document it comes from. Report it through formErrors (add, maxLen,
//     rangeLen, required) under the field's dotted path, so the refusal is
//     the 400/50035 Discord sends; a rule with its own error code gets an
//     err... function beside the others.
//  2. Add two cases to the table test of that body (TestMessageLimits,
//     TestCommandLimits, TestComponentsV2Rules...): one at the limit that
//     passes and one past it that fails with the expected status, code and
//     path (TestMessageLimits also checks that every refusal landed in
//     ValidationErrors).
//  3. Run go test -race ./... : a bot test that now breaks the rule fails
//     at its ValidationErrors assertion, which is the point.
//
// A new route is a line in the route table in rest.go (method, template,
// whether it needs the bot token, handler), then `go generate
// ./internal/discordtest` to cut its request schema from the spec.
//
// # Regenerating the request schemas
//
// The spec check does not read Discord's spec at test time: it embeds
// spec/requests.json, the request schemas of the served routes cut from
// spec/openapi.json.gz with the allowances applied. Regenerate it with
//
//	go generate ./internal/discordtest
//
// after changing the route table, replacing the spec (spec/README.md says
// how) or changing an allowance in internal/specgen/allowances.go. An
// allowance is the only way to accept what the spec refuses, and each one
// carries its reason and source (TestAllowancesHaveReasons).
// TestRequestSchemasAreCurrent regenerates the file in memory and fails
// while the committed one differs, so a forgotten go generate cannot pass
// CI.
//
// # Rate limits and faults
//
// By default 50 requests/s globally (interaction endpoints exempt) and 5
// messages per 5 s per channel, with X-RateLimit-* headers, 429 bodies and
// Retry-After as Discord sends them; RateLimited counts 429s;
// SetRateLimits and DisableRateLimits change them. FailNext answers 5xx
// (or 429s, like the limiter's) on a route n times, Delay holds
// responses, DropGateway cuts every gateway connection.
//
// # discordgo notes
//
// Session.Close sleeps 1 s after sending the close frame, so close sessions
// in parallel tests. Wait for the first heartbeat (HeartbeatsOn) before
// closing a fresh Session, or discordgo may start reconnecting after Close.
// discordgo calls handlers on new goroutines unless Session.SyncEvents is
// set, so events can be handled out of order.
package discordtest
