package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dakflow/internal/store"
)

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

var requestDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
	Name:    "dakflow_http_request_duration_seconds",
	Help:    "HTTP request latency by method, route template and status code.",
	Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
}, []string{"method", "route", "status"})

func metricsMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status = problemFor(err).Status
		}
		requestDuration.WithLabelValues(methodLabel(c.Request().Method), routeLabel(c), strconv.Itoa(status)).Observe(time.Since(start).Seconds())
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

// metricsHandler serves the default registry (HTTP, workflow, scheduler,
// Go runtime) and this server's database pools.
func (s *Server) metricsHandler() echo.HandlerFunc {
	reg := prometheus.NewRegistry()
	reg.MustRegister(poolCollector{s.store})
	return echo.WrapHandler(promhttp.HandlerFor(prometheus.Gatherers{prometheus.DefaultGatherer, reg}, promhttp.HandlerOpts{}))
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
