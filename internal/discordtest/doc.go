// Package discordtest is a fake Discord for tests: a REST API (httptest,
// loopback only) and a gateway (gorilla/websocket) that a real discordgo
// Session talks to, which records what the bot sends and rejects what
// Discord would reject.
//
// # Use
//
//	fake := discordtest.New(t, discordtest.Options{Token: "tok", Shards: 1})
//	s, _ := discordapi.NewSession(fake.Token(), fake.URL()) // DISCORD_API_BASE
//	s.Open()                                                // GET /gateway → fake.GatewayURL()
//	id := fake.SlashCommand(discordtest.Invocation{
//		Origin:     discordtest.InGuild(guildID, channelID, discordtest.User{ID: "42"}),
//		Command:    "stretch", Subcommand: "start",
//		Options:    []discordtest.Option{{Name: "minutes", Value: 5}},
//	})
//	r, err := fake.WaitResponse(ctx, id)                    // blocks until the bot answered
//	// r.Type, r.Ephemeral(), r.Message.Content, r.Message.Embeds, ...
//	if errs := fake.ValidationErrors(); len(errs) > 0 { t.Fatal(errs) }
//
// REST is served under /api/v9 (the version discordgo v0.29.0 uses) and
// /api/v10; fake.URL() is the root to put in DISCORD_API_BASE. The gateway
// is at fake.GatewayURL(), returned by GET /gateway and /gateway/bot.
//
// # Served
//
// REST: GET /users/@me; POST /users/@me/channels (DM channel); GET /gateway
// and /gateway/bot; PUT (and GET) global and guild command bulk overwrite;
// POST /interactions/{id}/{token}/callback (types 4, 5, 6, 7, 8, 9); POST
// /webhooks/{app}/{token} (followups, ?wait=true returns the message);
// GET/PATCH/DELETE /webhooks/{app}/{token}/messages/{@original|id};
// POST/PATCH/DELETE /channels/{id}/messages[/{id}]. JSON and
// multipart/form-data (payload_json plus files[n]) bodies are accepted.
// Other routes answer 404 and count as validation errors, so a bot that calls
// something the fake does not model notices.
//
// Gateway: HELLO; IDENTIFY (token, intents and shard checked; Identifies
// records them); READY (session_id, resume_gateway_url, application, user,
// guilds of the shard, shard); heartbeat ACKs; RESUME replaying missed
// dispatches by sequence number, then RESUMED; op 9 for unknown sessions.
// Interactions go to the shard Discord would pick, (guild_id >> 22) %
// shards, DMs to shard 0, and wait for a READY on that shard if nobody is
// connected yet.
//
// # Rejected
//
// With Discord's status codes and JSON error bodies (50035 "Invalid Form
// Body" with the nested errors tree, and so on): content over 2000
// characters; embed limits (title 256, description 4096, 25 fields, field
// name 256 and value 1024, footer 2048, author 256, 6000 in total, 10
// embeds); empty messages (50006); component limits (5 action rows, 5
// buttons a row, custom_id required on non-link buttons, at most 100
// characters and unique in the message, label 80, link buttons need a url
// and no custom_id, valid styles, a select menu alone in its row); command
// rules (name pattern and lowercase, description 1-100, 25 options and
// choices, required before optional, unique names, subcommand nesting, 100
// commands); a second initial response (400/40060); an initial response
// more than 3 s after dispatch (404/10062); webhook calls after the token's
// 15 minutes (401/50027); a missing or wrong "Authorization: Bot <token>"
// (401, except on interaction routes, which need none); DMs to users who
// closed them (CloseDMs, 403/50007). Every rejection is kept in
// ValidationErrors.
//
// # OpenAPI check
//
// Besides those hand-written rules, every request to a served route is
// checked against Discord's official OpenAPI 3.1 spec (spec/openapi.json.gz,
// embedded; see spec/README.md) with github.com/pb33f/libopenapi-validator:
// path and query parameters, declared headers, and the JSON body, as a v10
// request whatever the /api/vN prefix. A multipart body's payload_json part
// is checked as the operation's JSON body (the spec describes multipart
// bodies as the JSON fields plus files[n] parts; Discord, its docs and
// discordgo use payload_json); the file parts are not checked. A request that
// does not conform is answered 400/50035 "Invalid Form Body" before the
// handler runs (so a refused interaction response does not count as the
// answer), each validator message under its field's path, prefixed
// "openapi: ", and is kept in ValidationErrors like any rejection.
// Authorization is not taken from the spec: the exact token is checked by
// hand. The spec is looser than the documentation in places (no content or
// embed-total limits, no command-name pattern), which is why the hand-written
// rules stay. Where it is stricter than Discord about something the bot
// legitimately sends, a narrow, documented allowance in spec.go widens
// that one schema (message_id "@original"; default_member_permissions as a
// decimal string; a new upload's attachment id as its files[n] index). The
// spec is parsed once per process, in the first New or Start (about 0.5 s,
// 3 s under -race).
//
// Deadlines use the fake clock (SetClock, Advance); rate limits use real
// time, because discordgo waits in real time.
//
// # Rate limits and faults
//
// By default 50 requests/s globally (interaction endpoints exempt) and 5
// messages per 5 s per channel, with X-RateLimit-* headers, 429 bodies and
// Retry-After as Discord sends them; RateLimited counts 429s;
// SetRateLimits and DisableRateLimits change them. FailNext answers 5xx on
// a route n times, Delay holds responses, DropGateway cuts every gateway
// connection.
//
// # discordgo notes
//
// Session.Close sleeps 1 s after sending the close frame, so close sessions
// in parallel tests. Wait for the first heartbeat (HeartbeatsOn) before
// closing a fresh Session, or discordgo may start reconnecting after Close.
// discordgo calls handlers on new goroutines unless Session.SyncEvents is
// set, so events can be handled out of order.
package discordtest
