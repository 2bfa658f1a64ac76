package bot

import (
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/internal/discordtest"
	"github.com/stretchbot/stretchbot/lang"
)

// panicStore panics on every call, standing in for a handler bug.
type panicStore struct{ Store }

// TestGarbledInteractionsDoNotCrash feeds the handler interactions Discord
// should never send, and one whose handler panics: each is answered or
// dropped, and the process lives on.
func TestGarbledInteractionsDoNotCrash(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Store: panicStore{}, Scheduler: nopScheduler{}, Catalog: catalog, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDiscord(DiscordConfig{Token: fake.Token(), APIBase: fake.URL(), Bot: b, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	raw := []string{
		`{"id":"1","type":2,"token":"t"}`,
		`{"id":"2","type":2,"token":"t","data":{"name":"stretch","options":[{"name":"now","type":1,"options":[null]}]}}`,
		`{"id":"3","type":3,"token":"t","member":{"permissions":"8"},"data":{"custom_id":"v1:done:x:y"}}`,
		`{"id":"4","type":3,"token":"t","user":{"id":"5"},"data":{}}`,
		`{"id":"5","type":4,"token":"t","user":{"id":"5"},"data":{"name":"stretch","options":[{"name":"done","type":1,"options":[{"name":"stretch","type":3,"value":{"odd":1},"focused":true}]}]}}`,
		`{"id":"6","type":5,"token":"t","user":{"id":"5"},"data":{"custom_id":"modal"}}`,
		`{"id":"7","type":99,"token":"t","user":{"id":"5"}}`,
		// The store panics: the handler's panic is recovered.
		`{"id":"8","type":2,"token":"t","user":{"id":"5"},"data":{"name":"stretch","options":[{"name":"now","type":1}]}}`,
	}
	for _, r := range raw {
		var it discordgo.Interaction
		if err := json.Unmarshal([]byte(r), &it); err != nil {
			continue // discordgo drops what it cannot decode before we see it
		}
		d.onInteraction(nil, &discordgo.InteractionCreate{Interaction: &it})
	}
	d.onInteraction(nil, nil)
	d.onInteraction(nil, &discordgo.InteractionCreate{})
	// The fake knows none of these interactions, so every answer fails
	// with 10062; what matters is that each was attempted, none crashed.
	for k := range d.Stats() {
		if k.Outcome == "panic" {
			t.Errorf("a panic escaped to the interaction handler: %v", d.Stats())
		}
	}
	answered := false
	for _, r := range fake.Requests() {
		if r.Path == "/interactions/8/t/callback" {
			data, _ := r.Body.(map[string]any)["data"].(map[string]any)
			answered = data["content"] != "" && data["flags"] == float64(64)
		}
	}
	if !answered {
		t.Error("the interaction whose handler panicked got no ephemeral answer")
	}
}

type nopScheduler struct{}

func (nopScheduler) Arm(stretchbot.Schedule, time.Time) error { return nil }
func (nopScheduler) Remove(uint64)                            {}
func (nopScheduler) NextFire(uint64) (time.Time, bool)        { return time.Time{}, false }

// TestToInteractionKeepsTheLocales: the person's client locale and the
// server's locale reach the handlers.
func TestToInteractionKeepsTheLocales(t *testing.T) {
	guild := discordgo.Locale("fr")
	it := &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, GuildID: "1", ChannelID: "2",
		Member: &discordgo.Member{User: &discordgo.User{ID: "3", Username: "a"}},
		Data:   discordgo.ApplicationCommandInteractionData{Name: "checkin"},
		Locale: discordgo.Locale("es-419"), GuildLocale: &guild,
	}
	in, ok := toInteraction(it)
	if !ok || in.Locale != "es-419" || in.GuildLocale != "fr" {
		t.Fatalf("toInteraction = %+v, %v; want locale es-419, guild locale fr", in, ok)
	}
	if in.Lang().Locale() != lang.For("es-419").Locale() {
		t.Errorf("Lang() = %q", in.Lang().Locale())
	}
}
