package bot_test

import (
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// The handlers' Store interface must stay satisfied by the real store, and
// by every backend (store.Backend is the contract both backends meet).
var (
	_ bot.Store = (*store.DB)(nil)
	_ bot.Store = store.Backend(nil)
)
