// Package store keeps every durable record of stretchbot in one bbolt file:
// user settings, schedules, fired occurrences, completions, check-ins and
// stretch-break clicks.
//
// # Layout
//
// All keys are big-endian so that a cursor scan returns records in order.
// Times in keys are Unix nanoseconds with the sign bit flipped (so times
// before 1970 still sort first); they must lie between the years 1678 and
// 2261. User, guild and other Discord IDs inside compound keys are written
// as one length byte followed by the ID ("lp(id)"), so "12" can never be
// mistaken for a prefix of "123" and an ID may hold any byte.
//
//	meta                  "schema" → uint64 schema version
//	users                 id → v1 JSON of stretchbot.User (ID cleared; it is the key)
//	schedules             id(8) → v1 binary schedule (ID is the key); NextSequence assigns IDs
//	schedules_by_owner    lp(owner) id(8) → empty
//	schedules_by_guild    lp(guild) id(8) → empty
//	fired                 id(8) at(8) → empty: one marker per fired occurrence
//	fired_last            id(8) → at(8): the latest marker per schedule, read at start
//	completions           lp(user) at(8) seq(8) → v1 binary {stretch, source}
//	checkins              lp(user) at(8) seq(8) → v1 binary {age, pain, tier, rules}:
//	                      varints age band and pain (-1: not asked), tier,
//	                      then the rule version as a string ("1", "2")
//	break_clicks          id(8) occurrence(8) lp(user) → at(8)
//	break_clicks_by_user  lp(user) id(8) occurrence(8) → empty, so Forget finds them
//	break_counts          id(8) occurrence(8) → uint32 clicks, so totals are O(1)
//
// The seq(8) suffix makes two records of one user at the same instant
// distinct. Every value begins with a one-byte encoding version, so a value
// format can change without a migration of the whole file.
//
// # Schema and migrations
//
// meta/schema counts the migrations applied. Open applies the missing ones
// in order, each in its own transaction together with the version bump, so
// a crash between two leaves a file that the next Open continues from. A
// file whose version is newer than this binary knows is refused with
// ErrSchemaTooNew rather than read wrongly.
//
// # Safety of Open
//
// An existing file is first opened read-only and inspected (bbolt's meta
// pages, the file size against the size the meta page claims, our meta
// bucket), so a file that is not ours or is damaged is reported with
// ErrCorrupt and never written to. Panics and memory faults from bbolt on a
// damaged file are recovered and reported as ErrCorrupt too.
//
// Times come back in UTC; compare them with time.Time.Equal.
package store
