// Package bot holds stretchbot's command handlers and the Discord transport.
//
// The handlers are transport-neutral: they take an Interaction (a slash
// command, a button click or an autocomplete request) and return a Reply
// (text, cards, buttons, files). The Discord transport (discord.go) turns
// discordgo events into Interactions and Replies into Discord responses; the
// console transport (package console) does the same for a terminal. Both
// share everything else: the command tree, the custom_id codec, the store and
// the scheduler.
package bot
