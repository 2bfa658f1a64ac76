package bot

import (
	"github.com/stretchbot/stretchbot"
)

// InteractionContext is where an interaction happened, as Discord numbers
// its interaction contexts.
type InteractionContext int

// Interaction contexts.
const (
	// ContextGuild is a server channel.
	ContextGuild InteractionContext = iota
	// ContextBotDM is the person's direct messages with the bot.
	ContextBotDM
	// ContextPrivate is a DM or group DM between people, which the bot
	// never joins: the app is there only through a person's own install.
	ContextPrivate
)

// Reach says whether the bot itself can post in the channel of an
// interaction. Only then may anything outlive the interaction there (a
// shared card, a reminder or break "here"); otherwise the bot answers
// the person only, through the interaction.
type Reach int

// Reaches. The zero value is a server's install with the bot able to post:
// what the console acts as.
const (
	// ReachChannel: the bot can see and post in the channel (or it is the
	// bot's own DM).
	ReachChannel Reach = iota
	// ReachUserInstall: the app runs through the person's own install, not
	// a server's, so the bot may not be a member of the channel.
	ReachUserInstall
	// ReachNoPermission: the server added the app, but the bot may not see
	// or post in this channel.
	ReachNoPermission
)

// Permission bits the bot needs to post in a channel, as Discord defines
// them.
const (
	PermViewChannel  int64 = 1 << 10
	PermSendMessages int64 = 1 << 11
)

// UserInstallContext reports whether the bot cannot post in the
// interaction's channel, so answers stay with the person: ephemeral, and
// reminders by DM.
func (in Interaction) UserInstallContext() bool { return in.Reach != ReachChannel }

// hereRefusal is the error for "post in this channel" (a reminder
// where:here) when the bot cannot post there, nil when it can. Posting
// "here" in the bot's own DM is a DM, which always works.
func (in Interaction) hereRefusal() error {
	switch {
	case !in.UserInstallContext() || in.Context == ContextBotDM:
		return nil
	case in.Context == ContextPrivate:
		return stretchbot.Fail(stretchbot.EINVALID, "remind.here_refused.private")
	case in.Reach == ReachNoPermission:
		return stretchbot.Fail(stretchbot.EINVALID, "remind.here_refused.no_permission")
	}
	return stretchbot.Fail(stretchbot.EINVALID, "remind.here_refused.user_install")
}

// postableChannel is the channel of the interaction when the bot can post
// there, "" otherwise (then anything for later goes by DM).
func (in Interaction) postableChannel() (guildID, channelID string) {
	if in.GuildID == "" || in.UserInstallContext() {
		return "", ""
	}
	return in.GuildID, in.ChannelID
}
