package bot_test

import (
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// The handlers' Store interface must stay satisfied by the real store.
var _ bot.Store = (*store.DB)(nil)
