package stretchbot

import "time"

// CompletionSource says how a completion was logged.
type CompletionSource string

// Completion sources.
const (
	SourceButton CompletionSource = "button" // Done on a stretch message
	SourceManual CompletionSource = "manual" // /stretch done
	SourceBreak  CompletionSource = "break"  // "I did it" on a channel break
)

// Completion is one stretch a user did.
type Completion struct {
	UserID    string
	At        time.Time
	StretchID string // empty when not known (a break, or /stretch done without a name)
	Source    CompletionSource
}

// BreakCount is participation in one channel stretch break: counts only,
// no names.
type BreakCount struct {
	Occurrences int // breaks that at least one person joined
	Clicks      int // "I did it" clicks, each person once per break
}
