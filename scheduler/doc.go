// Package scheduler decides when each stretch reminder fires and fires it
// exactly once.
//
// Next computes occurrences of a cron spec in a schedule's own time zone with
// RFC 5545's daylight-saving rule, so a daily reminder fires once on every
// local day, also on the days the clocks change. robfig/cron/v3 parses the
// specs; its runner is not used, because it re-sorts every entry on each
// wake and each add.
//
// A Scheduler keeps all armed schedules in one min-heap ordered by next fire
// time, with a single timer set to the head: Arm, Remove and each fire cost
// O(log n). Time comes from a Clock; FakeClock lets tests of this and other
// packages move through days instantly.
//
// Exactly once: due occurrences are queued in time order and recorded
// through the Journal a few at a time (about a tenth of a second of sends
// per call, see RecordBatch), just before the limiter lets them out; one the
// Journal already knows is dropped. Occurrences of one schedule are ordered,
// so the Journal keeps only each schedule's last one: its size follows the
// number of schedules, not time. Each recorded send is settled in the
// Journal once it is delivered (or failed for good). If the process dies in
// between, the next start hands the unsettled ones to Resend, which sends
// them again when their first send is recent (Options.ResendWindow); the
// DeliverFunc makes that harmless (the bot sends every occurrence with a
// Discord nonce and enforce_nonce, so Discord returns the first message
// instead of a second). Queued occurrences not yet recorded lose nothing in
// a crash: on start the caller arms each schedule with its last recorded
// occurrence, so missed ones at most the grace period old are sent with
// Late set, older ones are skipped and counted. An occurrence whose
// schedule is edited or removed, or whose owner is paused, between popping
// and sending is not sent (each armed version has a generation number).
//
// Delivery goes through a limiter on the same Clock (default 45 per second,
// under Discord's global 50), in time order, evenly spaced; failures are
// retried with exponential backoff unless marked Permanent.
//
// The package knows nothing of Discord or storage: it imports only the
// domain package.
//
// # Where things are
//
// Each file holds one part and can be read alone, in the order an
// occurrence passes through them:
//
//	scheduler.go  Options, New, Start, Stop, Stats: the Scheduler itself
//	next.go       cron specs and Next: when a schedule fires next
//	arm.go        Arm, Remove, PauseOwner: putting schedules in and out
//	heap.go       the armed entries and the min-heap ordered by next fire
//	index.go      finding an armed entry by schedule ID
//	due.go        the one timer and popping what is due
//	journal.go    the Journal: record before sending, settle after, Resend
//	queue.go      the FIFO of recorded occurrences waiting for the limiter
//	pace.go       handing them to the workers one limiter slot at a time
//	limiter.go    the limiter (golang.org/x/time/rate on the Clock)
//	deliver.go    Occurrence, DeliverFunc, retries and Permanent
//	clock.go      Clock, RealClock, FakeClock
package scheduler
