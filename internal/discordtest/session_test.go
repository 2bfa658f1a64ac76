package discordtest_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/internal/discordapi"
	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// waitTimeout bounds every wait in these tests; nothing sleeps blindly.
const waitTimeout = 10 * time.Second

var (
	alice = discordtest.User{ID: "3000000000000000001", Username: "alice"}
	// guildOn0 and guildOn1 route to shards 0 and 1 of 2: (id >> 22) % 2.
	guildOn0 = strconv.FormatUint(uint64(1000)<<22|12345, 10)
	guildOn1 = strconv.FormatUint(uint64(1001)<<22|12345, 10)
)

const channel = "4000000000000000001"

// session is a real discordgo Session connected to the fake, with its
// interactions delivered on a channel.
type session struct {
	*discordgo.Session
	interactions chan *discordgo.InteractionCreate
}

func open(t *testing.T, f *discordtest.Fake, shardID, shardCount int) *session {
	t.Helper()
	s, err := discordapi.NewSession(f.Token(), f.URL())
	if err != nil {
		t.Fatalf("NewSession: %v", err)
	}
	s.ShardID, s.ShardCount = shardID, shardCount
	// discordgo runs every handler in its own goroutine unless SyncEvents
	// is set, so without it events can reach the channel out of order.
	s.SyncEvents = true
	ss := &session{Session: s, interactions: make(chan *discordgo.InteractionCreate, 16)}
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { ss.interactions <- ic })
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	// discordgo's Close sleeps 1 s after the close frame; tests run in
	// parallel so that this does not add up.
	t.Cleanup(func() { _ = s.Close() })
	waitHeartbeat(t, f, shardID)
	return ss
}

// waitHeartbeat waits for the first heartbeat on the shard's connection: a
// Close before it can leave discordgo reconnecting forever.
func waitHeartbeat(t *testing.T, f *discordtest.Fake, shard int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := f.WaitFor(ctx, func() bool { return f.HeartbeatsOn(shard) > 0 }); err != nil {
		t.Fatalf("no heartbeat on shard %d: %v", shard, err)
	}
}

func (s *session) next(t *testing.T) *discordgo.InteractionCreate {
	t.Helper()
	select {
	case ic := <-s.interactions:
		return ic
	case <-time.After(waitTimeout):
		t.Fatal("no INTERACTION_CREATE received")
		return nil
	}
}

func restErr(t *testing.T, err error) *discordgo.RESTError {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a *discordgo.RESTError", err, err)
	}
	if re.Message == nil {
		t.Fatalf("RESTError without a JSON message: %s", re.ResponseBody)
	}
	return re
}

func strPtr(s string) *string { return &s }

func TestSessionSlashCommandRoundTrip(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Options{})
	s := open(t, f, 0, 1)

	if s.State.User == nil || s.State.User.ID != f.AppID() {
		t.Fatalf("READY user = %+v, want the bot %s", s.State.User, f.AppID())
	}
	ids := f.Identifies()
	if len(ids) != 1 || ids[0].Intents != 0 || ids[0].Shard != [2]int{0, 1} {
		t.Fatalf("identifies = %+v, want one with intents 0 on shard [0 1]", ids)
	}

	cmds := []*discordgo.ApplicationCommand{{
		Name: "stretch", Description: "Stretch routines",
		Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: "start", Description: "Start one",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "minutes", Description: "How long", Required: true},
				{Type: discordgo.ApplicationCommandOptionString, Name: "area", Description: "Where"},
			},
		}},
	}}
	created, err := s.ApplicationCommandBulkOverwrite(f.AppID(), "", cmds)
	if err != nil {
		t.Fatalf("bulk overwrite: %v", err)
	}
	if len(created) != 1 || created[0].ID == "" || len(f.Commands("")) != 1 {
		t.Fatalf("created %+v, fake has %+v", created, f.Commands(""))
	}

	id := f.SlashCommand(discordtest.Invocation{
		Origin:     discordtest.Origin{User: alice, GuildID: guildOn0, ChannelID: channel, Permissions: "8"},
		Command:    "stretch",
		Subcommand: "start",
		Options:    []discordtest.Option{{Name: "minutes", Value: 5}, {Name: "area", Value: "back"}},
	})
	ic := s.next(t)
	if ic.ID != id || ic.GuildID != guildOn0 || ic.Member == nil || ic.Member.User.ID != alice.ID || ic.Member.Permissions != 8 {
		t.Fatalf("interaction = %+v (member %+v)", ic.Interaction, ic.Member)
	}
	data := ic.ApplicationCommandData()
	if data.Name != "stretch" || data.ID != created[0].ID || len(data.Options) != 1 || data.Options[0].Name != "start" {
		t.Fatalf("command data = %+v", data)
	}
	sub := data.Options[0].Options
	if len(sub) != 2 || sub[0].IntValue() != 5 || sub[1].StringValue() != "back" {
		t.Fatalf("subcommand options = %+v", sub)
	}

	err = s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "Starting 5 minutes", Flags: discordgo.MessageFlagsEphemeral},
	})
	if err != nil {
		t.Fatalf("InteractionRespond: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	r, err := f.WaitResponse(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != discordtest.CallbackChannelMessage || !r.Ephemeral() || r.Message.Content != "Starting 5 minutes" {
		t.Fatalf("response = %+v", r)
	}

	fu, err := s.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Content: "Halfway there"})
	if err != nil || fu == nil || fu.ID == "" {
		t.Fatalf("followup = %+v, %v", fu, err)
	}
	ed, err := s.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: strPtr("Done!")})
	if err != nil || ed.Content != "Done!" {
		t.Fatalf("edit = %+v, %v", ed, err)
	}
	if orig, ok := f.Original(id); !ok || orig.Content != "Done!" || !orig.Ephemeral() {
		t.Fatalf("original = %+v, %v", orig, ok)
	}
	var kinds []discordtest.ReplyKind
	for _, r := range f.Responses(id) {
		kinds = append(kinds, r.Kind)
	}
	if len(kinds) != 3 || kinds[1] != discordtest.KindFollowup || kinds[2] != discordtest.KindEditOriginal {
		t.Fatalf("reply kinds = %v", kinds)
	}
	if errs := f.ValidationErrors(); len(errs) != 0 {
		t.Fatalf("validation errors: %v", errs)
	}

	// Answering twice: 400 with code 40060.
	err = s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "again"},
	})
	if re := restErr(t, err); re.Response.StatusCode != http.StatusBadRequest || re.Message.Code != discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
		t.Fatalf("second answer: %v", err)
	}

	// Answering 4 s late: 404 with code 10062.
	late := f.SlashCommand(discordtest.Invocation{Origin: discordtest.InDM(alice), Command: "stretch", Subcommand: "start"})
	ic2 := s.next(t)
	if ic2.ID != late || ic2.User == nil || ic2.User.ID != alice.ID || ic2.Member != nil {
		t.Fatalf("DM interaction = %+v", ic2.Interaction)
	}
	f.Advance(4 * time.Second)
	err = s.InteractionRespond(ic2.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	if re := restErr(t, err); re.Response.StatusCode != http.StatusNotFound || re.Message.Code != discordgo.ErrCodeUnknownInteraction {
		t.Fatalf("late answer: %v", err)
	}

	// A followup after the token's 15 minutes: 401 Invalid Webhook Token.
	f.Advance(15 * time.Minute)
	_, err = s.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Content: "too late"})
	if re := restErr(t, err); re.Response.StatusCode != http.StatusUnauthorized || re.Message.Code != discordgo.ErrCodeInvalidWebhookTokenProvided {
		t.Fatalf("expired followup: %v", err)
	}
	if n := len(f.ValidationErrors()); n != 3 {
		t.Fatalf("validation errors = %v, want the 3 above", f.ValidationErrors())
	}
}
