package store

import "github.com/stretchbot/stretchbot"

// EncodedScheduleSize exposes the encoded size of a schedule value to the
// benchmarks.
func EncodedScheduleSize(s *stretchbot.Schedule) []byte { return encodeSchedule(*s) }

// SetNoSync turns bbolt's fsync per commit off or on, so that benchmarks
// can write their starting data quickly; what they time runs with it on.
func SetNoSync(db *DB, noSync bool) { db.bolt.NoSync = noSync }

// SetScrubChunk sets how many pages one write transaction of
// ScrubFreePages looks at, and returns a function that restores it.
func SetScrubChunk(pages int) (restore func()) {
	old := scrubChunk
	scrubChunk = pages
	return func() { scrubChunk = old }
}
