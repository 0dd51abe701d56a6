// Package metrics collects the server's Prometheus metrics: REST requests by operation
// (count and latency), realtime sessions, the database pool, and the custom counters,
// gauges and timers modules record through nk.Metrics*. Handler serves them; Hearth
// listens for it on its own port (metrics.prometheus_port), as Nakama does.
package metrics

import (
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the registry and the server's own instruments.
type Metrics struct {
	reg      *prometheus.Registry
	log      *slog.Logger
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	sessions prometheus.Gauge

	mu     sync.Mutex
	custom map[string]prometheus.Collector // by metric name
}

// New makes the registry. pool, when set, is reported as hearth_db_* gauges.
func New(pool *pgxpool.Pool, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.Default()
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		log: log,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hearth_api_requests_total", Help: "REST requests by operation and HTTP status.",
		}, []string{"operation", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hearth_api_request_duration_seconds", Help: "REST request latency by operation.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"operation"}),
		sessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hearth_sessions", Help: "Open realtime sessions.",
		}),
		custom: map[string]prometheus.Collector{},
	}
	m.reg.MustRegister(m.requests, m.latency, m.sessions,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pool != nil {
		m.reg.MustRegister(poolCollector{pool})
	}
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request records one REST request.
func (m *Metrics) Request(operation string, status int, d time.Duration) {
	m.requests.WithLabelValues(operation, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(operation).Observe(d.Seconds())
}

// SessionOpened and SessionClosed track open realtime sessions.
func (m *Metrics) SessionOpened() { m.sessions.Inc() }

// SessionClosed: see SessionOpened.
func (m *Metrics) SessionClosed() { m.sessions.Dec() }

var invalidName = regexp.MustCompile(`[^a-zA-Z0-9_:]`)

// metricName makes a module's metric name valid for Prometheus.
func metricName(name string) string {
	name = invalidName.ReplaceAllString(name, "_")
	if name == "" || (name[0] >= '0' && name[0] <= '9') {
		name = "_" + name
	}
	return name
}

func labels(tags map[string]string) (names []string, values prometheus.Labels) {
	values = prometheus.Labels{}
	for k, v := range tags {
		k = metricName(k)
		names = append(names, k)
		values[k] = v
	}
	sort.Strings(names)
	return names, values
}

// customVec returns the module metric called name, made on first use with the label
// names of that first use. A later use with other labels, or with the same name as
// another kind of metric, is logged and dropped rather than failing the module.
func customVec[T prometheus.Collector](m *Metrics, name string, tagNames []string, make func(name string, tagNames []string) T) (T, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := name + "|" + strings.Join(tagNames, ",")
	if c, ok := m.custom[key]; ok {
		v, ok := c.(T)
		return v, ok
	}
	v := make(name, tagNames)
	if err := m.reg.Register(v); err != nil {
		m.log.Warn("runtime metric refused", slog.String("name", name), slog.Any("error", err))
		var zero T
		return zero, false
	}
	m.custom[key] = v
	return v, true
}

// CounterAdd adds delta to a module's counter.
func (m *Metrics) CounterAdd(name string, tags map[string]string, delta int64) {
	if delta < 0 {
		return // counters only go up
	}
	names, values := labels(tags)
	v, ok := customVec(m, metricName(name), names, func(n string, l []string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: n, Help: "Runtime module counter."}, l)
	})
	if ok {
		v.With(values).Add(float64(delta))
	}
}

// GaugeSet sets a module's gauge.
func (m *Metrics) GaugeSet(name string, tags map[string]string, value float64) {
	names, values := labels(tags)
	v, ok := customVec(m, metricName(name), names, func(n string, l []string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: n, Help: "Runtime module gauge."}, l)
	})
	if ok {
		v.With(values).Set(value)
	}
}

// TimerRecord records a duration (seconds) in a module's timer, a histogram.
func (m *Metrics) TimerRecord(name string, tags map[string]string, seconds float64) {
	names, values := labels(tags)
	v, ok := customVec(m, metricName(name), names, func(n string, l []string) *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: n, Help: "Runtime module timer (seconds)."}, l)
	})
	if ok {
		v.With(values).Observe(seconds)
	}
}

// poolCollector reports the database pool's state when scraped.
type poolCollector struct{ pool *pgxpool.Pool }

var (
	dbTotal    = prometheus.NewDesc("hearth_db_connections", "Open database connections.", nil, nil)
	dbIdle     = prometheus.NewDesc("hearth_db_connections_idle", "Idle database connections.", nil, nil)
	dbAcquired = prometheus.NewDesc("hearth_db_connections_in_use", "Database connections in use.", nil, nil)
	dbMax      = prometheus.NewDesc("hearth_db_connections_max", "Most database connections the pool opens.", nil, nil)
	dbWaits    = prometheus.NewDesc("hearth_db_acquire_waits_total", "Acquisitions that had to wait for a connection.", nil, nil)
	dbWaitTime = prometheus.NewDesc("hearth_db_acquire_wait_seconds_total", "Time spent waiting for connections.", nil, nil)
)

func (p poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbTotal, dbIdle, dbAcquired, dbMax, dbWaits, dbWaitTime} {
		ch <- d
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	ch <- prometheus.MustNewConstMetric(dbTotal, prometheus.GaugeValue, float64(s.TotalConns()))
	ch <- prometheus.MustNewConstMetric(dbIdle, prometheus.GaugeValue, float64(s.IdleConns()))
	ch <- prometheus.MustNewConstMetric(dbAcquired, prometheus.GaugeValue, float64(s.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(dbMax, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(dbWaits, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(dbWaitTime, prometheus.CounterValue, s.EmptyAcquireWaitTime().Seconds())
}
