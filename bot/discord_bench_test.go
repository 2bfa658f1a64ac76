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

// openLoop sends rate interactions a second for 4 s from 1,000 people,
// with the card's pictures (a multipart answer of 15-40 KB) or without.
func openLoop(b *testing.B, noPictures bool, rate int) {
	const people, seconds = 1000, 4
	e := newEnv(b, envOptions{guildID: guildID, noPictures: noPictures})
	e.fake.DisableRateLimits() // interaction callbacks are exempt anyway
	ctx := testCtx(b)
	users := make([]discordtest.User, people)
	for i := range users {
		users[i] = discordtest.User{ID: fmt.Sprint(3100000000000000000 + i), Username: fmt.Sprint("p", i)}
	}
	e.run(inv(inGuild(users[0]), "stretch now")) // warm up connections and the store

	n := rate * seconds
	interval := time.Second / time.Duration(rate)
	var lat []time.Duration
	var reached float64
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
		lat = lat[:0]
		for i, id := range ids {
			r, err := e.fake.WaitResponse(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, r.Time.Sub(intended[i]))
		}
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.ReportMetric(reached, "sent/s")
	b.ReportMetric(0, "ns/op") // the pace is fixed; ns/op says nothing
}
