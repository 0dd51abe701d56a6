package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// LoadConfig is how hard and how long to push.
type LoadConfig struct {
	Clients  int           // concurrent clients
	Warmup   time.Duration // operations before the window are done but not measured
	Duration time.Duration // the measured window
	MaxOps   int           // bound on operations per run, all clients together
}

// RunResult is one measured window. Per-op figures use successful operations; nil means not
// measured.
type RunResult struct {
	Run            int      `json:"run"`
	Ops            int64    `json:"ops"`    // successful operations completed inside the window
	Errors         int64    `json:"errors"` // failed operations, warm-up included
	WindowSec      float64  `json:"window_sec"`
	OpsPerSec      float64  `json:"ops_per_sec"`
	P50Ms          float64  `json:"p50_ms"`
	P90Ms          float64  `json:"p90_ms"`
	P99Ms          float64  `json:"p99_ms"`
	MaxMs          float64  `json:"max_ms"`
	ServerUsPerOp  *float64 `json:"server_us_per_op"`
	ServerCPUVia   string   `json:"server_cpu_via,omitempty"` // schedstat or stat
	DBUsPerOp      *float64 `json:"db_us_per_op"`
	DBProcs        int      `json:"db_procs,omitempty"`
	ClientUsPerOp  *float64 `json:"client_us_per_op"`
	MachineBusyPct *float64 `json:"machine_busy_pct"`
	OtherBusyPct   *float64 `json:"other_busy_pct"` // machine CPU used by other processes
	ErrorSamples   []string `json:"error_samples,omitempty"`
	Problems       []string `json:"problems,omitempty"`
	Capped         bool     `json:"capped,omitempty"` // stopped by MaxOps before the window ended
	Extra          *float64 `json:"extra,omitempty"`  // the scenario's own figure (Scenario.Extra)
}

// errSamples keeps the first few error texts of a run.
type errSamples struct {
	mu   sync.Mutex
	keep int
	list []string
}

func (e *errSamples) add(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.list) < e.keep {
		e.list = append(e.list, err.Error())
	}
}

// workerStats is what one client measured.
type workerStats struct {
	lat    []time.Duration
	errors int64
	capped bool
}

// runOnce drives sc with cfg.Clients clients for cfg.Warmup+cfg.Duration and measures the
// window after the warm-up. Each client stops issuing requests at the window's end or after
// its share of cfg.MaxOps; requests still in flight then finish but are not counted.
func runOnce(ctx context.Context, sc Scenario, target *Target, cfg LoadConfig, sampler *cpuSampler, run int, seed uint64) (RunResult, error) {
	start := time.Now()
	winStart := start.Add(cfg.Warmup)
	winEnd := winStart.Add(cfg.Duration)
	clients := cfg.Clients
	if sc.Clients > 0 {
		clients = sc.Clients
	}
	perWorker := cfg.MaxOps/clients + 1

	errs := &errSamples{keep: 5}
	stats := make([]workerStats, clients)
	var wg sync.WaitGroup
	for i := range clients {
		w := &Worker{ID: i, Rand: rand.New(rand.NewPCG(seed, uint64(run)<<32|uint64(i))), Target: target}
		st := &stats[i]
		wg.Go(func() {
			for n := 0; ; n++ {
				if n >= perWorker {
					st.capped = true
					return
				}
				if ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if !t0.Before(winEnd) {
					return
				}
				err := sc.Op(ctx, w)
				t1 := time.Now()
				if err != nil {
					if ctx.Err() != nil {
						return // interrupted, not a server error
					}
					st.errors++
					errs.add(err)
					var he *httpError
					if !errors.As(err, &he) {
						time.Sleep(10 * time.Millisecond) // connection trouble: don't spin
					}
					continue
				}
				if t1.Before(winStart) || t1.After(winEnd) {
					continue // warm-up, or finished after the window closed
				}
				st.lat = append(st.lat, t1.Sub(t0))
			}
		})
	}

	before, after, err := sampleWindow(ctx, sampler, winStart, winEnd)
	wg.Wait()
	if err != nil {
		return RunResult{}, err
	}

	var lat []time.Duration
	res := RunResult{Run: run}
	for _, st := range stats {
		lat = append(lat, st.lat...)
		res.Errors += st.errors
		res.Capped = res.Capped || st.capped
	}
	slices.Sort(lat)
	res.Ops = int64(len(lat))
	res.WindowSec = after.At.Sub(before.At).Seconds()
	res.OpsPerSec = float64(res.Ops) / cfg.Duration.Seconds()
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	res.P50Ms = ms(percentile(lat, 50))
	res.P90Ms = ms(percentile(lat, 90))
	res.P99Ms = ms(percentile(lat, 99))
	res.MaxMs = ms(percentile(lat, 100))
	res.ErrorSamples = errs.list

	u := usageBetween(before, after)
	res.Problems = u.Problems
	// The snapshots are taken when the timers fire, which under full load can be a few ms
	// off the window the operations were counted in; scale CPU time to that window.
	scale := 1.0
	if res.WindowSec > 0 {
		scale = cfg.Duration.Seconds() / res.WindowSec
	}
	perOp := func(ns int64) *float64 {
		if res.Ops == 0 {
			return nil
		}
		return ptr(float64(ns) * scale / 1e3 / float64(res.Ops))
	}
	if u.ServerNs != nil {
		res.ServerUsPerOp, res.ServerCPUVia = perOp(*u.ServerNs), u.ServerMethod
	}
	if u.DBNs != nil {
		res.DBUsPerOp, res.DBProcs = perOp(*u.DBNs), u.DBProcs
	}
	res.ClientUsPerOp = perOp(u.ClientNs)
	if sc.Extra != nil {
		res.Extra = sc.Extra.Take()
	}
	res.MachineBusyPct, res.OtherBusyPct = u.MachineBusy, u.OtherBusy
	if u.OtherBusy != nil && *u.OtherBusy > 10 {
		res.Problems = append(res.Problems, fmt.Sprintf("other processes used %.0f%% of the machine's CPU in the window: figures are skewed", *u.OtherBusy))
	}
	if res.Capped {
		res.Problems = append(res.Problems, fmt.Sprintf("stopped by -max-ops %d before the window ended: ops/s is too low", cfg.MaxOps))
	}
	return res, nil
}

// sampleWindow takes CPU snapshots at from and to.
func sampleWindow(ctx context.Context, s *cpuSampler, from, to time.Time) (cpuSnapshot, cpuSnapshot, error) {
	if err := sleepUntil(ctx, from); err != nil {
		return cpuSnapshot{}, cpuSnapshot{}, err
	}
	before := s.sample()
	if err := sleepUntil(ctx, to); err != nil {
		return cpuSnapshot{}, cpuSnapshot{}, err
	}
	return before, s.sample(), nil
}

func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// Summary is the median over a scenario's runs, each figure taken independently.
type Summary struct {
	OpsPerSec      float64  `json:"ops_per_sec"`
	P50Ms          float64  `json:"p50_ms"`
	P99Ms          float64  `json:"p99_ms"`
	ServerUsPerOp  *float64 `json:"server_us_per_op"`
	DBUsPerOp      *float64 `json:"db_us_per_op"`
	ClientUsPerOp  *float64 `json:"client_us_per_op"`
	MachineBusyPct *float64 `json:"machine_busy_pct"`
	OtherBusyPct   *float64 `json:"other_busy_pct"`
	Errors         int64    `json:"errors"` // total over the runs
	Extra          *float64 `json:"extra,omitempty"`
}

func summarize(runs []RunResult) Summary {
	f := func(get func(RunResult) float64) float64 {
		v := medianOf(runs, func(r RunResult) *float64 { return ptr(get(r)) })
		if v == nil {
			return 0
		}
		return *v
	}
	s := Summary{
		OpsPerSec:      f(func(r RunResult) float64 { return r.OpsPerSec }),
		P50Ms:          f(func(r RunResult) float64 { return r.P50Ms }),
		P99Ms:          f(func(r RunResult) float64 { return r.P99Ms }),
		ServerUsPerOp:  medianOf(runs, func(r RunResult) *float64 { return r.ServerUsPerOp }),
		DBUsPerOp:      medianOf(runs, func(r RunResult) *float64 { return r.DBUsPerOp }),
		ClientUsPerOp:  medianOf(runs, func(r RunResult) *float64 { return r.ClientUsPerOp }),
		MachineBusyPct: medianOf(runs, func(r RunResult) *float64 { return r.MachineBusyPct }),
		OtherBusyPct:   medianOf(runs, func(r RunResult) *float64 { return r.OtherBusyPct }),
		Extra:          medianOf(runs, func(r RunResult) *float64 { return r.Extra }),
	}
	for _, r := range runs {
		s.Errors += r.Errors
	}
	return s
}
