package store

import "github.com/stretchbot/stretchbot"

// EncodedScheduleSize exposes the encoded size of a schedule value to the
// benchmarks.
func EncodedScheduleSize(s *stretchbot.Schedule) []byte { return encodeSchedule(*s) }
