package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/lang"
)

// TestRepliesFollowTheInteractionLocale: a reply is in the language of the
// interaction's locale (German once lang/messages/de.json exists), and in
// English for a locale without a file.
func TestRepliesFollowTheInteractionLocale(t *testing.T) {
	e := newHandlerEnv(t, bot.Config{})
	for _, locale := range []string{"de", "fr", "es-419", "pt-BR", "en-GB", "xx-YY", ""} {
		r := e.bot.Handle(context.Background(), bot.Interaction{Kind: bot.KindCommand, UserID: aliceID, Command: "stretch help", Options: map[string]string{}, Locale: locale})
		if len(r.Cards) == 0 {
			t.Fatalf("%q: no help card: %+v", locale, r)
		}
		if want := lang.For(locale).T("help.title"); r.Cards[0].Title != want {
			t.Errorf("%q: help title %q, want %q", locale, r.Cards[0].Title, want)
		}
	}
	r := e.bot.Handle(context.Background(), bot.Interaction{Kind: bot.KindCommand, UserID: aliceID, Command: "stretch help", Options: map[string]string{}, Locale: "xx-YY"})
	if r.Cards[0].Title != "How stretchbot works" {
		t.Errorf("unknown locale: help title %q, want the English one", r.Cards[0].Title)
	}
}

// TestTheLocaleIsKeptOnlyForKnownUsers: the client's locale is stored for
// reminders once the person has settings or a schedule, and follows a
// change; someone the bot keeps nothing about gets no record from it.
func TestTheLocaleIsKeptOnlyForKnownUsers(t *testing.T) {
	e := newHandlerEnv(t, bot.Config{})
	ctx := context.Background()
	run := func(path, locale string, opts map[string]string) bot.Reply {
		if opts == nil {
			opts = map[string]string{}
		}
		return e.bot.Handle(ctx, bot.Interaction{Kind: bot.KindCommand, UserID: aliceID, Command: path, Options: opts, Locale: locale})
	}
	run("stretch help", "de", nil)
	if u, err := e.db.User(ctx, aliceID); err != nil || u.Locale != "" {
		t.Fatalf("after /stretch help: locale %q (err %v), want none kept", u.Locale, err)
	}
	run("stretch remind set", "de", map[string]string{"time": "7:30", "timezone": "Europe/Berlin"})
	if u, _ := e.db.User(ctx, aliceID); u.Locale != "de" {
		t.Fatalf("after setting a reminder: locale %q, want de", u.Locale)
	}
	run("stretch remind list", "pt-BR", nil)
	if u, _ := e.db.User(ctx, aliceID); u.Locale != "pt-BR" {
		t.Fatalf("after a command from a Portuguese client: locale %q, want pt-BR", u.Locale)
	}
}

// TestABreakKeepsTheServerLocale: a stretch break posts in the server's
// language, so it keeps the guild locale it was set in.
func TestABreakKeepsTheServerLocale(t *testing.T) {
	e := newHandlerEnv(t, bot.Config{})
	ctx := context.Background()
	r := e.bot.Handle(ctx, bot.Interaction{
		Kind: bot.KindCommand, UserID: aliceID, GuildID: "900", ChannelID: "901", Permissions: bot.PermManageGuild,
		Command: "stretchbreak set", Options: map[string]string{"time": "15:00", "timezone": "Europe/Paris"},
		Locale: "de", GuildLocale: "fr",
	})
	list, err := e.db.SchedulesByGuild(ctx, "900")
	if err != nil || len(list) != 1 {
		t.Fatalf("breaks = %v (err %v); reply %+v", list, err, r)
	}
	if list[0].Locale != "fr" {
		t.Errorf("break locale %q, want the server's fr", list[0].Locale)
	}
}

// TestRoutineNamesItsStretchesInTheReadersLanguage: a routine's step
// title carries the stretch's name in the interaction's language, like the
// card under it.
func TestRoutineNamesItsStretchesInTheReadersLanguage(t *testing.T) {
	e := newHandlerEnv(t, bot.Config{})
	catalog, err := stretchbot.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, locale := range []string{"de", "fr", "es-ES", "pt-BR"} {
		r := e.bot.Handle(context.Background(), bot.Interaction{Kind: bot.KindCommand, UserID: aliceID, Command: "stretch routine", Options: map[string]string{}, Locale: locale})
		if len(r.Cards) == 0 {
			t.Fatalf("%s: no routine card: %+v", locale, r)
		}
		title := r.Cards[len(r.Cards)-1].Title
		names := map[string]bool{}
		for _, s := range catalog.In(lang.For(locale)).Stretches {
			names[s.Name] = true
		}
		_, name, ok := strings.Cut(title, ": ")
		if !ok || !names[name] {
			t.Errorf("%s: routine step titled %q, want a stretch name in that language", locale, title)
		}
	}
}
