package bot_test

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkInteractionRoundTrip measures /stretch now from the fake's
// dispatch on the gateway to the bot's accepted callback, at a steady 1,000
// interactions a second: discordgo's websocket read and JSON decoding, the
// handler with the real store, rendering, and the REST callback. It reports
// the median and 99th percentile latency.
func BenchmarkInteractionRoundTrip(b *testing.B) {
	b.Run("picture", func(b *testing.B) { benchmarkRoundTrip(b, false) })
	b.Run("text-only", func(b *testing.B) { benchmarkRoundTrip(b, true) })
}

// benchmarkRoundTrip runs the round trip with the card's pictures, which
// make every answer a multipart upload of 15-40 KB, or without them.
func benchmarkRoundTrip(b *testing.B, noPictures bool) {
	e := newEnv(b, envOptions{guildID: guildID, noPictures: noPictures})
	e.fake.DisableRateLimits() // interaction callbacks are exempt anyway
	ctx := testCtx(b)
	// Warm up connections and the store.
	e.run(inv(inGuild(alice), "stretch now"))

	const rate = time.Millisecond // 1,000 a second
	ids := make([]string, 0, b.N)
	sent := make([]time.Time, 0, b.N)
	tick := time.NewTicker(rate)
	defer tick.Stop()
	b.ResetTimer()
	for i := range b.N {
		<-tick.C
		u := alice
		if i%2 == 1 {
			u = bob
		}
		sent = append(sent, time.Now())
		ids = append(ids, e.fake.SlashCommand(inv(inGuild(u), "stretch now")))
	}
	if err := e.fake.WaitFor(ctx, func() bool {
		_, ok := e.fake.Response(ids[len(ids)-1])
		return ok
	}); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, len(ids))
	for i, id := range ids {
		r, err := e.fake.WaitResponse(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, r.Time.Sub(sent[i]))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op") // the pace is fixed by the ticker; ns/op says nothing
}
