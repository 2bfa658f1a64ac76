// Package lang holds every text stretchbot shows its users, one message
// file per language, and prints them in the language a person uses.
//
// The files are lang/messages/<locale>.json, embedded in the binary, where
// <locale> is a Discord locale code: en, de, fr, es-ES, es-419, pt-BR, ….
// The languages stretchbot speaks are exactly the files present
// (Supported); en.json is the reference every other file must match.
//
// # Format
//
// The files use go-i18n's JSON format (github.com/nicksnyder/go-i18n/v2).
// Each key is a message id; its value is the text, or an object with a
// "description" for translators and the text under "other":
//
//	"checkin.q4.question": "Did this pain start with a serious accident, …?",
//	"checkin.recheck": {
//	  "description": "When is e.g. \"in 3 days\"; Button is checkin.button.recheck.",
//	  "other": "Check in again {{.When}}. Press \"{{.Button}}\" and I'll send you a reminder then."
//	}
//
// A counted message has one text per CLDR plural category of its language
// ({{.Count}} is the number). English and German use one and other;
// French, Spanish and Portuguese also many (used for a million and more):
//
//	"words.stretch": {"one": "{{.Count}} stretch", "other": "{{.Count}} stretches"}
//
// Placeholders are Go template fields ({{.Name}}); every language uses the
// same ones as English in the same message (the order may change).
// Markdown (`/stretch now`, **bold**) and line breaks (\n) are kept as in
// English; command names and option values in backticks stay English,
// since that is what people type.
//
// # Keys
//
// Keys are named by place and meaning, lowercase, dot-separated:
//
//	checkin.*        the check-in: checkin.q1.question, checkin.answer.yes,
//	                 checkin.reason.*, checkin.heading.*, checkin.kept_line.*,
//	                 checkin.emergency.action (the emergency numbers of the
//	                 language's main regions), checkin.emergency.list
//	offer.*          why stretches are left out, or none is offered
//	help.*           /stretch help
//	words.*          counted words (plural): words.stretch, words.reminder
//	duration.*       durations (plural): duration.day "2 days";
//	                 duration.in.day is the form after "in" (time.in), for
//	                 languages that decline it (German "in 2 Tagen")
//	time.*           time.in "in {{.Duration}}", time.now
//	stretch.hold.*   the hold line of a stretch card
//	stretch.<id>.*   the texts of the stretch <id> of stretches.json:
//	                 name, summary, variant_label (variants only),
//	                 spasm_safe_why, loaded_flexion_why, twist_why,
//	                 breathing, and the numbered lists step.1, step.2, …
//	                 and caution.1, caution.2, …
//	about.*          general content: about.intro, about.during_spasm,
//	                 about.cause.N, about.see_doctor.N, about.habit.N
//	command.<path>.* the slash commands (bot/commands.go, commandKey):
//	                 .name, .description, .option.<o>.name,
//	                 .option.<o>.description, .option.<o>.choice.<value>;
//	                 names stay English unless a language needs its own
//	card.*, hold.*, done.*, stats.*, remind.*, break.*, snooze.*,
//	quiet.*, privacy.*, zone.*, when.*, days.*, date.*, filter.*,
//	error.*, button.*, console.*, routine.*, away.*
//	                 the replies of the bot and the console, by feature
//
// Stretch texts live here, not in stretches.json, so that each string has
// one place per language and a translator works from one file:
// stretches.json keeps the facts of each stretch (positions, equipment,
// hold, safety flags), and stretchbot.Catalog.In puts the texts of a
// language on them.
//
// # Choosing a language
//
// For takes a Discord locale ("de", "es-419", "en-US") or a POSIX one
// ("de_DE.UTF-8", from LANG) and picks: the file for exactly that locale;
// else the closest file of the same language by CLDR's matching ("es-MX"
// and "es-AR" → es-419, "de-AT" → de, "pt-PT" → pt-BR); else English. A
// message the chosen file lacks is printed in English and logged once;
// a key is never shown to a user. A nil *Printer prints English.
//
// # How to add a language
//
//  1. Copy lang/messages/en.json to lang/messages/<locale>.json, with
//     <locale> a Discord locale code (https://discord.com/developers/docs/reference#locales).
//  2. Translate every text; keep keys and placeholders, give each counted
//     message the plural forms CLDR lists for the language
//     (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html),
//     and delete the descriptions or translate them.
//  3. Run go test ./lang/ . ./bot/ : it fails, naming the key, on a
//     missing or extra key, a wrong set of plural forms, a placeholder
//     that differs from English, a text too long for Discord, a command
//     name that breaks Discord's rules, or a sentence copied from the
//     source article.
//
// Nothing else changes: Supported is read from the files, so commands,
// replies and the console's --lang pick the new language up.
//
// Health wording is translated for meaning, not word for word, using the
// terms of the country's public health service for red-flag symptoms, and
// checkin.emergency.action names the emergency numbers of the language's
// main regions.
package lang
