package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/scheduler"
)

// metrics holds stretchbot's Prometheus metrics. Counters that other parts
// already keep (the scheduler's, the transport's) are read at scrape time,
// so there is one source of truth for each number.
type metrics struct {
	reg         *prometheus.Registry
	txDuration  *prometheus.HistogramVec
	rateLimited prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		txDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "stretchbot_db_transaction_seconds",
			Help:    "Duration of database transactions by kind (view, update, batch, scrub).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		}, []string{"kind"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "stretchbot_discord_rate_limited_total",
			Help: "Responses from Discord with status 429.",
		}),
	}
	m.reg.MustRegister(m.txDuration, m.rateLimited, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observeTx is the store's transaction observer.
func (m *metrics) observeTx(kind string, d time.Duration) {
	m.txDuration.WithLabelValues(kind).Observe(d.Seconds())
}

// watchReads registers the number of open read transactions: one that
// stays up for long is a reader stuck at someone else's pace.
func (m *metrics) watchReads(open func() int) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "stretchbot_db_open_read_transactions",
		Help: "Read transactions open on the database now.",
	}, func() float64 { return float64(open()) }))
}

// watch registers the scheduler's and the transport's counters.
func (m *metrics) watch(s interface{ Stats() scheduler.Stats }, interactions func() map[bot.StatKey]int64) {
	m.reg.MustRegister(&statsCollector{sched: s, interactions: interactions})
}

var (
	descReminders    = prometheus.NewDesc("stretchbot_reminders_total", "Reminder occurrences by outcome (fired, late, skipped, failed, permanent, dropped; resent after a crash, unconfirmed when too old to resend).", []string{"outcome"}, nil)
	descArmed        = prometheus.NewDesc("stretchbot_schedules_armed", "Schedules armed in the scheduler.", nil, nil)
	descQueue        = prometheus.NewDesc("stretchbot_delivery_queue_depth", "Occurrences waiting for the delivery rate limiter.", nil, nil)
	descInteractions = prometheus.NewDesc("stretchbot_interactions_total", "Interactions by route and outcome.", []string{"route", "outcome"}, nil)
)

type statsCollector struct {
	sched        interface{ Stats() scheduler.Stats }
	interactions func() map[bot.StatKey]int64
}

func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descReminders
	ch <- descArmed
	ch <- descQueue
	ch <- descInteractions
}

func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.sched.Stats()
	for outcome, v := range map[string]uint64{
		"fired": st.Fired, "late": st.Late, "skipped": st.Skipped,
		"failed": st.Failed, "permanent": st.Permanent, "dropped": st.Dropped,
		"resent": st.Resent, "unconfirmed": st.Unconfirmed,
	} {
		ch <- prometheus.MustNewConstMetric(descReminders, prometheus.CounterValue, float64(v), outcome)
	}
	ch <- prometheus.MustNewConstMetric(descArmed, prometheus.GaugeValue, float64(st.Armed))
	ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(st.QueueDepth))
	if c.interactions != nil {
		for k, v := range c.interactions() {
			ch <- prometheus.MustNewConstMetric(descInteractions, prometheus.CounterValue, float64(v), k.Route, k.Outcome)
		}
	}
}
