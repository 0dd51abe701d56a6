package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// percentile returns the p-th percentile (0..100) of sorted by the nearest-rank method: the
// smallest sample such that at least p% of the samples are less than or equal to it. It
// returns 0 for no samples.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if p <= 0 {
		return sorted[0]
	}
	if p >= 100 {
		return sorted[n-1]
	}
	// p*n/100 rather than p/100*n: 99*100/100 is exactly 99, 0.99*100 is not. The epsilon keeps
	// values such as 99.9*1000/100 = 999.0000000000001 from rounding up a whole rank.
	rank := int(math.Ceil(p*float64(n)/100 - 1e-9))
	rank = max(rank, 1)
	rank = min(rank, n)
	return sorted[rank-1]
}

// median returns the median of xs (the mean of the two middle values for an even count) and
// false when xs is empty. xs is not modified.
func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

// medianOf returns the median of the values get extracts from runs, skipping runs where the
// value is unavailable (nil), or nil when no run has it.
func medianOf(runs []RunResult, get func(RunResult) *float64) *float64 {
	var xs []float64
	for _, r := range runs {
		if v := get(r); v != nil {
			xs = append(xs, *v)
		}
	}
	m, ok := median(xs)
	if !ok {
		return nil
	}
	return &m
}

// fmtDur formats a latency with two or three significant digits: 850µs, 6.8ms, 21ms, 1.25s.
func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

// fmtMs formats a latency given in milliseconds as fmtDur does.
func fmtMs(ms float64) string {
	return fmtDur(time.Duration(ms * float64(time.Millisecond)))
}

// fmtUsPerOp formats a CPU cost per operation, or "n/a" when it was not measured.
func fmtUsPerOp(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.0fµs/op", *v)
}

// fmtPct formats a percentage, or "n/a".
func fmtPct(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", *v)
}

func ptr[T any](v T) *T { return &v }
