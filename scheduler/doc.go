// Package scheduler decides when each stretch reminder fires and fires it
// exactly once.
//
// Next computes occurrences of a cron spec in a schedule's own time zone with
// RFC 5545's daylight-saving rule, so a daily reminder fires once on every
// local day, also on the days the clocks change. robfig/cron/v3 parses the
// specs; its runner is not used.
//
// The package knows nothing of Discord or storage: it imports only the
// domain package.
package scheduler
