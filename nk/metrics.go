package nk

import "time"

// MetricsCounterAdd adds to a custom counter.
func (m *Module) MetricsCounterAdd(name string, tags map[string]string, delta int64) {
	if m.metrics != nil {
		m.metrics.CounterAdd(name, tags, delta)
	}
}

// MetricsGaugeSet sets a custom gauge.
func (m *Module) MetricsGaugeSet(name string, tags map[string]string, value float64) {
	if m.metrics != nil {
		m.metrics.GaugeSet(name, tags, value)
	}
}

// MetricsTimerRecord records a duration in a custom timer.
func (m *Module) MetricsTimerRecord(name string, tags map[string]string, value time.Duration) {
	if m.metrics != nil {
		m.metrics.TimerRecord(name, tags, value.Seconds())
	}
}
