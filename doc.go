// Package stretchbot is the domain of a Discord bot that helps people with
// lower-back pain and spasms stretch every day: the stretch catalogue, the
// rotation, reminder schedules, completions and the symptom check-in rules.
//
// It has no I/O. Storage lives in store/, timing in scheduler/, Discord in
// bot/, and cmd/stretchbot wires them together. Its only import of ours is
// lang/, the texts of every language: a function that returns words takes
// the *lang.Printer of the person's language.
//
// # Where things are
//
//   - stretch.go, stretches.json: the catalogue, each stretch with its safety
//     flags (spasm-safe, bends the spine forward under load, twists it);
//     its texts are messages of lang/messages (stretch.<id>.*, Catalog.In).
//   - rotation.go: which stretch comes next.
//   - offer.go: Catalog.Offer, the one decision of which stretches a person
//     may be offered (held by an urgent check-in, bone risk, severe pain,
//     their own choices). Every place that shows a person a stretch asks it.
//   - checkin.go (types), checkinrules.go (Assess, rule version 2 of
//     shared/CHECKIN.md), checkinflow.go (the questions in order and the
//     button state), checkinresult.go (what a result screen holds and which
//     buttons it offers), checkintext.go (which check-in messages of
//     lang/messages each screen shows, and how they join).
//   - schedule.go, when.go, quiet.go: reminders, the times people type for
//     them ("7pm", "in 20 minutes"), quiet hours.
//   - filter.go: which stretches a person asked for (position, equipment,
//     spasm) and its three-character form for button custom_ids.
//   - completion.go, progress.go, stats.go: completions, the running
//     totals and streaks, the figures of /stretch stats.
//   - user.go, limits.go, words.go: settings (and Away, a person's time
//     off), per-person and per-server limits, counted words.
//   - signingkey.go: the keys button custom_ids are signed with.
//   - error.go: Error, a code handlers act on and a message for the
//     person; any other error is logged and shown as a generic failure.
//
// # Why the check-in is not a package of its own
//
// The check-in is about a third of this package, and it could stand alone
// but for two reasons. Its API (Answer, AgeBand, Onset, Tier, CheckIn,
// Assessment, Assess, Validate) is fixed by CHECKIN.md in this package, and
// the bot, the store, the exports and their tests use these names. And it is
// not separate from the rest of the domain: a check-in decides which
// stretches a person is offered (Catalog.Offer reads the User's profile and
// pause and the last CheckInRecord), and the result screen asks the offer
// whether "Stretch now" would be accepted. Split out, the two packages would
// import each other's types or need a third just for the shared ones. The
// check-in files instead share the checkin prefix, and offer.go is the
// single seam between check-ins and stretches.
package stretchbot
