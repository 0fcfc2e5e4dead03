package workflow

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dakflow/internal/dak"
)

// Metrics are the engine's Prometheus metrics. They belong to the engine,
// not to the process: whoever serves /metrics registers them on its
// registry (web.New does), so two engines in one test binary count apart.
// Every label is bounded: event names and document kinds come from the
// loaded workflows (an event no workflow knows is "unknown"), outcomes and
// jobs are the fixed sets below.
type Metrics struct {
	transitions        *prometheus.CounterVec
	transitionDuration *prometheus.HistogramVec
	documentsRendered  *prometheus.CounterVec
	renderDuration     *prometheus.HistogramVec
	renderedAhead      *prometheus.CounterVec
	jobRuns            *prometheus.CounterVec
	jobLastSuccess     *prometheus.GaugeVec
	lapsed             prometheus.Counter
	pruned             prometheus.Counter
	batchEvents        *prometheus.HistogramVec
	batchDuration      *prometheus.HistogramVec
}

func newMetrics() *Metrics {
	return &Metrics{
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dakflow_transitions_total",
			Help: "Events fired on proposals by event and outcome: ok, replay (an idempotent retry answered from its stored response) or the kind of refusal (conflict, rule, forbidden, …).",
		}, []string{"event", "outcome"}),
		transitionDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dakflow_transition_duration_seconds",
			Help:    "Time of Engine.Fire, transaction and document included, by event.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"event"}),
		documentsRendered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dakflow_documents_rendered_total",
			Help: "Official documents rendered by kind and result (ok, error); a rendering whose transaction rolls back is counted too.",
		}, []string{"kind", "result"}),
		renderDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dakflow_document_render_duration_seconds",
			Help:    "Time to render one official PDF, by kind.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"kind"}),
		renderedAhead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dakflow_documents_rendered_ahead_total",
			Help: "Documents rendered before their number was drawn, for the number their batch foresaw, by kind and outcome: used (the number drawn was the one foreseen) or discarded (rendered again with the number drawn).",
		}, []string{"kind", "outcome"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dakflow_scheduler_runs_total",
			Help: "Background job runs by job (lapse, prune, link) and result (ok, error).",
		}, []string{"job", "result"}),
		jobLastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "dakflow_scheduler_last_success_timestamp_seconds",
			Help: "Unix time of the last successful run of each background job.",
		}, []string{"job"}),
		lapsed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dakflow_lapsed_total",
			Help: "Proposals lapsed by the scheduler (event lapse).",
		}),
		pruned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dakflow_pruned_rows_total",
			Help: "Expired sessions, login failures and idempotency answers deleted by the scheduler.",
		}),
		batchEvents: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dakflow_batch_parts",
			Help:    "Requests carried by one batch's transaction, by queue: a document kind, or usulan for new drafts.",
			Buckets: []float64{1, 2, 4, 8, 16, 32},
		}, []string{"queue"}),
		batchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dakflow_batch_duration_seconds",
			Help:    "Time of one batch's transaction, commit included, by queue: the queue's counter row is held from its draw, after the batch's parts, to the commit.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"queue"}),
	}
}

// Metrics returns the engine's metrics, for the registry that serves them.
func (e *Engine) Metrics() *Metrics { return e.metrics }

func (m *Metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.transitions, m.transitionDuration, m.documentsRendered, m.renderDuration, m.renderedAhead,
		m.jobRuns, m.jobLastSuccess, m.lapsed, m.pruned, m.batchEvents, m.batchDuration}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range m.collectors() {
		c.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	for _, c := range m.collectors() {
		c.Collect(ch)
	}
}

// outcomeKinds names each error kind as a metric label.
var outcomeKinds = []struct {
	kind  error
	label string
}{
	{dak.ErrInvalid, "invalid"}, {dak.ErrRule, "rule"}, {dak.ErrNotFound, "not_found"},
	{dak.ErrConflict, "conflict"}, {dak.ErrForbidden, "forbidden"}, {dak.ErrUnauthenticated, "unauthenticated"},
	{dak.ErrPrecondition, "precondition"}, {dak.ErrTooLarge, "too_large"}, {dak.ErrUnsupported, "unsupported"},
	{dak.ErrTooMany, "too_many"}, {dak.ErrIntegrity, "integrity"}, {dak.ErrUnavailable, "unavailable"},
}

// Outcome is the metric label of a result: "ok", the kind of a dak error,
// or "error" for anything else (a server fault).
func Outcome(err error) string {
	if err == nil {
		return "ok"
	}
	for _, k := range outcomeKinds {
		if errors.Is(err, k.kind) {
			return k.label
		}
	}
	return "error"
}

// eventLabel bounds the event label: a name no loaded workflow defines
// (the client's typo, or an attack) is "unknown".
func (e *Engine) eventLabel(name string) string {
	for _, d := range e.defs {
		if _, ok := d.Event(name); ok {
			return name
		}
	}
	return "unknown"
}

// observeFire counts one Engine.Fire.
func (e *Engine) observeFire(event string, res Result, err error, start time.Time) {
	ev := e.eventLabel(event)
	out := Outcome(err)
	if err == nil && res.Replayed {
		out = "replay"
	}
	e.metrics.transitions.WithLabelValues(ev, out).Inc()
	e.metrics.transitionDuration.WithLabelValues(ev).Observe(time.Since(start).Seconds())
}

// observeRender counts one rendering of a document of kind.
func (m *Metrics) observeRender(kind string, err error, start time.Time) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.documentsRendered.WithLabelValues(kind, result).Inc()
	m.renderDuration.WithLabelValues(kind).Observe(time.Since(start).Seconds())
}

// observeAhead counts one document rendered ahead of its draw, used or
// discarded.
func (m *Metrics) observeAhead(kind string, used bool) {
	outcome := "used"
	if !used {
		outcome = "discarded"
	}
	m.renderedAhead.WithLabelValues(kind, outcome).Inc()
}

// observeBatch counts one batch of queue (bounded: the document kinds of
// the loaded workflows and usulan) that carried parts requests.
func (m *Metrics) observeBatch(queue string, parts int, start time.Time) {
	m.batchEvents.WithLabelValues(queue).Observe(float64(parts))
	m.batchDuration.WithLabelValues(queue).Observe(time.Since(start).Seconds())
}

// ObserveJob counts one run of a background job (cmd/dakflow's checkpoint
// publisher reports here too, as job "checkpoint"). A run cut short by
// shutdown (context.Canceled) is not counted.
func (m *Metrics) ObserveJob(job string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	if err != nil {
		m.jobRuns.WithLabelValues(job, "error").Inc()
		return
	}
	m.jobRuns.WithLabelValues(job, "ok").Inc()
	m.jobLastSuccess.WithLabelValues(job).SetToCurrentTime()
}
