package stretchbot_test

import "github.com/stretchbot/stretchbot/lang"

// en prints the English texts the tests compare with.
var en = lang.English()
