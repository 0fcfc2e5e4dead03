package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dakflow/internal/store"
	"dakflow/internal/workflow"
)

// What operators watch: the liveness and readiness probes and /metrics.

// healthz answers 200 while the process serves.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the database answers.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready", "database": string(s.store.Dialect())})
}

// metrics are the HTTP layer's own metrics and the registry /metrics
// serves: them, the engine's (workflow.Metrics), the database pools' and
// the Go runtime's and process's, all registered here, on no global
// registry.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
	logins   *prometheus.CounterVec
	filings  *prometheus.GaugeVec // by phase: waiting for a turn, filing (filingTurn)
}

func newMetrics(st *store.Store, engine *workflow.Engine) (*metrics, error) {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dakflow_http_request_duration_seconds",
			Help:    "HTTP request latency by method, route template and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route", "status"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dakflow_logins_total",
			Help: "Login attempts by interface (api, page) and result (ok, unauthenticated, too_many, …).",
		}, []string{"interface", "result"}),
		filings: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "dakflow_filings",
			Help: "New drafts being filed by phase: waiting for a turn (their body not read yet) or filing (at most the engine's filings at once).",
		}, []string{"phase"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.logins, m.filings, engine.Metrics(), poolCollector{st},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := m.registry.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
	}
	return m, nil
}

// RegisterMetrics adds the metrics of a part the server does not own to
// /metrics: the mail sender's (internal/mail), when SMTP is configured.
func (s *Server) RegisterMetrics(c prometheus.Collector) error {
	if err := s.metrics.registry.Register(c); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}

// metricsHandler serves every metric of the registry.
func (s *Server) metricsHandler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
}

// observeRequests times every request by method, route and status.
func (s *Server) observeRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := clientGone(c, next(c))
		status := c.Response().Status
		if err != nil {
			status = problemFor(err).Status
		}
		s.metrics.requests.WithLabelValues(methodLabel(c.Request().Method), routeLabel(c), strconv.Itoa(status)).Observe(time.Since(start).Seconds())
		return err
	}
}

// methodLabel bounds the method label: a client may send any method.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// routeLabel is the route template (/api/v1/proposals/:id), never the raw
// path; a path no route matches is "unmatched".
func routeLabel(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return "unmatched"
}

// poolCollector reads database/sql's DBStats of each of the store's pools
// at every scrape.
type poolCollector struct{ st *store.Store }

var (
	poolLabels   = []string{"pool"}
	dbOpen       = prometheus.NewDesc("dakflow_db_open_connections", "Open connections, in use and idle.", poolLabels, nil)
	dbInUse      = prometheus.NewDesc("dakflow_db_in_use_connections", "Connections in use.", poolLabels, nil)
	dbIdle       = prometheus.NewDesc("dakflow_db_idle_connections", "Idle connections.", poolLabels, nil)
	dbMaxOpen    = prometheus.NewDesc("dakflow_db_max_open_connections", "Largest number of open connections allowed.", poolLabels, nil)
	dbWaitCount  = prometheus.NewDesc("dakflow_db_wait_count_total", "Times a query waited for a free connection.", poolLabels, nil)
	dbWaitTime   = prometheus.NewDesc("dakflow_db_wait_duration_seconds_total", "Total time queries waited for a free connection.", poolLabels, nil)
	dbIdleClosed = prometheus.NewDesc("dakflow_db_closed_idle_total", "Connections closed by the idle limits (max idle, idle time).", poolLabels, nil)
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbOpen, dbInUse, dbIdle, dbMaxOpen, dbWaitCount, dbWaitTime, dbIdleClosed} {
		ch <- d
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, st := range p.st.PoolStats() {
		ch <- prometheus.MustNewConstMetric(dbOpen, prometheus.GaugeValue, float64(st.OpenConnections), name)
		ch <- prometheus.MustNewConstMetric(dbInUse, prometheus.GaugeValue, float64(st.InUse), name)
		ch <- prometheus.MustNewConstMetric(dbIdle, prometheus.GaugeValue, float64(st.Idle), name)
		ch <- prometheus.MustNewConstMetric(dbMaxOpen, prometheus.GaugeValue, float64(st.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(dbWaitCount, prometheus.CounterValue, float64(st.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(dbWaitTime, prometheus.CounterValue, st.WaitDuration.Seconds(), name)
		ch <- prometheus.MustNewConstMetric(dbIdleClosed, prometheus.CounterValue, float64(st.MaxIdleClosed+st.MaxIdleTimeClosed), name)
	}
}
