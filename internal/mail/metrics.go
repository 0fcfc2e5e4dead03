package mail

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dakflow/internal/store"
)

// Metrics are the mail outbox's Prometheus metrics: the mail this
// process's sender sent and the attempts that failed (counters), and the
// mail waiting in the outbox (a gauge read from the store at every scrape,
// so that every process reports the same queue). As the engine's, they
// belong to their sender: whoever serves /metrics registers them
// (cmd/dakflow serve registers them on the server's registry).
type Metrics struct {
	sent, failed prometheus.Counter
	st           *store.Store
	maxAttempts  func() int
}

var pendingDesc = prometheus.NewDesc("dakflow_mail_pending",
	"Mails in the outbox not sent yet and not given up (fewer attempts than the sender's maximum).", nil, nil)

func newMetrics(st *store.Store, maxAttempts func() int) *Metrics {
	return &Metrics{st: st, maxAttempts: maxAttempts,
		sent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dakflow_mail_sent_total",
			Help: "Notification mails the SMTP server accepted.",
		}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dakflow_mail_failed_attempts_total",
			Help: "Attempts to send a notification mail that failed (each retried later until the maximum of attempts).",
		}),
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.sent.Describe(ch)
	m.failed.Describe(ch)
	ch <- pendingDesc
}

// Collect implements prometheus.Collector. When the outbox cannot be
// counted (the database is away) the gauge is left out of the scrape
// rather than failing the whole of /metrics.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.sent.Collect(ch)
	m.failed.Collect(ch)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if n, err := m.st.PendingMail(ctx, m.maxAttempts()); err == nil {
		ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(n))
	}
}
