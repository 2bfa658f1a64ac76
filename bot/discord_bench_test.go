package bot_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/discordtest"
)

// BenchmarkInteractionOpenLoop measures /stretch now open-loop: a
// generator sends at a constant rate from many people, each interaction's
// send time is fixed in advance, and its latency is counted from that
// intended time to the bot's accepted callback at the fake, so a bot (or a
// fake) that stalls shows as latency instead of as fewer requests. The
// path: the fake's gateway dispatch, discordgo's websocket read and JSON
// decoding, the handler with the real bbolt store, rendering, and the REST
// callback with discordgo, validated by the fake against Discord's OpenAPI
// spec. The fake runs in the same process, on the same cores: its work
// counts against the bot's. Reports p50, p99 and max latency and the rate
// the generator reached.
func BenchmarkInteractionOpenLoop(b *testing.B) {
	for _, rate := range []int{250, 500, 1000} {
		b.Run(fmt.Sprintf("picture-%d/s", rate), func(b *testing.B) { openLoop(b, false, rate) })
		b.Run(fmt.Sprintf("text-only-%d/s", rate), func(b *testing.B) { openLoop(b, true, rate) })
	}
}

// missedAfter is Discord's window for the first answer: latencies are
// capped there (a p99 of 3000 ms means at least 1 % failed on Discord) and
// an interaction still unanswered when the benchmark stops waiting counts
// as that.
const missedAfter = 3 * time.Second

// openLoop sends rate interactions a second for 4 s from 1,000 people,
// with the card's pictures (a multipart answer of 15-40 KB) or without.
func openLoop(b *testing.B, noPictures bool, rate int) {
	const people, seconds = 1000, 4
	e := newEnv(b, envOptions{guildID: guildID, noPictures: noPictures})
	e.fake.DisableRateLimits() // interaction callbacks are exempt anyway
	users := make([]discordtest.User, people)
	for i := range users {
		users[i] = discordtest.User{ID: fmt.Sprint(3100000000000000000 + i), Username: fmt.Sprint("p", i)}
	}
	e.run(inv(inGuild(users[0]), "stretch now")) // warm up connections and the store

	n := rate * seconds
	interval := time.Second / time.Duration(rate)
	var lat []time.Duration
	var reached float64
	var missed int
	for b.Loop() {
		ids := make([]string, n)
		intended := make([]time.Time, n)
		start := time.Now().Add(20 * time.Millisecond)
		for i := range n {
			intended[i] = start.Add(time.Duration(i) * interval)
			if d := time.Until(intended[i]); d > 0 {
				time.Sleep(d)
			}
			ids[i] = e.fake.SlashCommand(inv(inGuild(users[i%people]), "stretch now"))
		}
		reached = float64(n-1) / time.Since(start).Seconds()
		// An overloaded bot answers late, not never: wait for the last
		// answer, then count as missed what is still unanswered (on
		// Discord, past its 3 s window, "The application did not respond").
		// Polled: a condition over every id on each of the fake's
		// notifications would cost more CPU than the bot.
		for next, give := 0, time.Now().Add(30*time.Second); next < n && time.Now().Before(give); {
			if _, ok := e.fake.Response(ids[next]); ok {
				next++
				continue
			}
			time.Sleep(20 * time.Millisecond)
		}
		lat, missed = lat[:0], 0
		for i, id := range ids {
			r, ok := e.fake.Response(id)
			if !ok {
				missed++
				lat = append(lat, missedAfter)
				continue
			}
			lat = append(lat, min(r.Time.Sub(intended[i]), missedAfter))
		}
	}
	slices.Sort(lat)
	firstOver, _ := slices.BinarySearch(lat, missedAfter)
	overWindow := len(lat) - firstOver
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.ReportMetric(reached, "sent/s")
	b.ReportMetric(float64(missed), "unanswered")
	b.ReportMetric(float64(overWindow), "over-3s")
	b.ReportMetric(0, "ns/op") // the pace is fixed; ns/op says nothing
}
