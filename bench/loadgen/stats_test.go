package main

import (
	"testing"
	"time"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentile(t *testing.T) {
	oneToHundred := make([]time.Duration, 100)
	for i := range oneToHundred {
		oneToHundred[i] = ms(i + 1)
	}
	oneToTen := oneToHundred[:10]
	oneToThousand := make([]time.Duration, 1000)
	for i := range oneToThousand {
		oneToThousand[i] = time.Duration(i + 1)
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p50", []time.Duration{ms(7)}, 50, ms(7)},
		{"single p99", []time.Duration{ms(7)}, 99, ms(7)},
		{"p0 is the minimum", oneToTen, 0, ms(1)},
		{"p100 is the maximum", oneToTen, 100, ms(10)},
		{"p50 of 10", oneToTen, 50, ms(5)},
		{"p51 of 10 rounds up a rank", oneToTen, 51, ms(6)},
		{"p90 of 10", oneToTen, 90, ms(9)},
		{"p99 of 10", oneToTen, 99, ms(10)},
		{"p50 of 100", oneToHundred, 50, ms(50)},
		{"p99 of 100 is exact, not 100", oneToHundred, 99, ms(99)},
		{"p99.9 of 1000 is exact, not 1000", oneToThousand, 99.9, 999},
		{"p1 of 100", oneToHundred, 1, ms(1)},
		{"two samples p50", []time.Duration{ms(1), ms(9)}, 50, ms(1)},
		{"two samples p99", []time.Duration{ms(1), ms(9)}, 99, ms(9)},
		{"above 100 clamps", oneToTen, 150, ms(10)},
		{"below 0 clamps", oneToTen, -5, ms(1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("percentile(p=%v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name   string
		xs     []float64
		want   float64
		wantOK bool
	}{
		{"empty", nil, 0, false},
		{"one", []float64{4210}, 4210, true},
		{"odd unsorted", []float64{3, 1, 2}, 2, true},
		{"even takes the mean of the middle two", []float64{4, 1, 3, 2}, 2.5, true},
		{"outlier does not move it", []float64{100, 101, 5000}, 101, true},
		{"duplicates", []float64{7, 7, 1}, 7, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]float64(nil), tc.xs...)
			got, ok := median(tc.xs)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("median(%v) = %v, %v; want %v, %v", tc.xs, got, ok, tc.want, tc.wantOK)
			}
			for i := range in {
				if in[i] != tc.xs[i] {
					t.Fatalf("median modified its input: %v, was %v", tc.xs, in)
				}
			}
		})
	}
}

func TestSummarizeSkipsUnmeasured(t *testing.T) {
	runs := []RunResult{
		{OpsPerSec: 100, P50Ms: 5, P99Ms: 20, ServerUsPerOp: ptr(300.0), Errors: 1},
		{OpsPerSec: 300, P50Ms: 3, P99Ms: 10, ServerUsPerOp: nil},
		{OpsPerSec: 200, P50Ms: 4, P99Ms: 30, ServerUsPerOp: ptr(100.0), Errors: 2},
	}
	s := summarize(runs)
	if s.OpsPerSec != 200 || s.P50Ms != 4 || s.P99Ms != 20 {
		t.Errorf("summarize = ops/s %v p50 %v p99 %v, want 200 4 20", s.OpsPerSec, s.P50Ms, s.P99Ms)
	}
	if s.ServerUsPerOp == nil || *s.ServerUsPerOp != 200 {
		t.Errorf("server µs/op median over the two measured runs = %v, want 200", s.ServerUsPerOp)
	}
	if s.DBUsPerOp != nil {
		t.Errorf("db µs/op = %v, want nil (never measured)", *s.DBUsPerOp)
	}
	if s.Errors != 3 {
		t.Errorf("errors = %d, want the total 3", s.Errors)
	}
}

func TestFmtDur(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{850 * time.Microsecond, "850µs"},
		{6800 * time.Microsecond, "6.8ms"},
		{21 * time.Millisecond, "21ms"},
		{1250 * time.Millisecond, "1.25s"},
	}
	for _, tc := range tests {
		if got := fmtDur(tc.d); got != tc.want {
			t.Errorf("fmtDur(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
