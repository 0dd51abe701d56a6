// Command loadgen is Hearth's benchmark load generator (`make bench`). It starts a hearth
// binary with a private, temporary data directory (or targets a running server on loopback),
// drives each scenario with concurrent keep-alive HTTP clients, and reports throughput,
// latency and the CPU the server and its PostgreSQL spend per operation. See bench/README.md.
package main

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// options are the command-line flags.
type options struct {
	Hearth     string
	HearthArgs string
	ServerLog  string
	Addr       string
	PID        int
	DataDir    string
	ServerKey  string
	Clients    int
	Duration   time.Duration
	Warmup     time.Duration
	Runs       int
	Scenarios  string
	Accounts   int
	MaxOps     int
	Timeout    time.Duration
	JSON       string
	List       bool
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.StringVar(&o.Hearth, "hearth", "bin/hearth", "hearth binary to start (ignored with -addr)")
	fs.StringVar(&o.HearthArgs, "hearth-args", "", "extra flags for the started hearth, space-separated (e.g. \"--logger.level info\")")
	fs.StringVar(&o.ServerLog, "server-log", "", "write the started server's output to this file")
	fs.StringVar(&o.Addr, "addr", "", "target an already running server at this loopback host:port instead of starting one")
	fs.IntVar(&o.PID, "pid", 0, "with -addr: the server's process id, for server CPU per op")
	fs.StringVar(&o.DataDir, "data-dir", "", "with -addr: the server's data_dir, to find its postmaster.pid (default: from the process's command line)")
	fs.StringVar(&o.ServerKey, "server-key", "defaultkey", "server key for HTTP basic auth on authenticate calls")
	fs.IntVar(&o.Clients, "c", 32, "concurrent clients")
	fs.DurationVar(&o.Duration, "d", 10*time.Second, "measured duration of each run")
	fs.DurationVar(&o.Warmup, "warmup", time.Second, "unmeasured load before each run's window")
	fs.IntVar(&o.Runs, "runs", 3, "runs of each scenario; the report gives each and their median")
	fs.StringVar(&o.Scenarios, "scenarios", "", "comma-separated scenarios to run (default all; -list shows them)")
	fs.IntVar(&o.Accounts, "accounts", 1000, "accounts that setup creates for the scenarios that use existing ones")
	fs.IntVar(&o.MaxOps, "max-ops", 5_000_000, "upper bound on operations per run")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.StringVar(&o.JSON, "json", "", "also write every number to this JSON file")
	fs.BoolVar(&o.List, "list", false, "list the scenarios and exit")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case o.Clients < 1 || o.Clients > 4096:
		return o, errors.New("-c must be 1..4096")
	case o.Duration <= 0 || o.Duration > time.Hour:
		return o, errors.New("-d must be in (0, 1h]")
	case o.Warmup < 0 || o.Warmup > 10*time.Minute:
		return o, errors.New("-warmup must be in [0, 10m]")
	case o.Runs < 1 || o.Runs > 100:
		return o, errors.New("-runs must be 1..100")
	case o.Accounts < 1 || o.Accounts > 1_000_000:
		return o, errors.New("-accounts must be 1..1000000")
	case o.MaxOps < 1 || o.MaxOps > 100_000_000:
		return o, errors.New("-max-ops must be 1..100000000")
	case o.Timeout <= 0 || o.Timeout > 5*time.Minute:
		return o, errors.New("-timeout must be in (0, 5m]")
	case o.Addr == "" && (o.PID != 0 || o.DataDir != ""):
		return o, errors.New("-pid and -data-dir go with -addr")
	}
	if o.Addr != "" {
		addr, err := loopbackAddr(o.Addr)
		if err != nil {
			return o, err
		}
		o.Addr = addr
	}
	return o, nil
}

// selectScenarios returns the scenarios named in the comma-separated list, in the list's
// order, or all of them for an empty list.
func selectScenarios(all []Scenario, list string) ([]Scenario, error) {
	if strings.TrimSpace(list) == "" {
		return all, nil
	}
	byName := map[string]Scenario{}
	var names []string
	for _, s := range all {
		byName[s.Name] = s
		names = append(names, s.Name)
	}
	var out []Scenario
	seen := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		s, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("unknown scenario %q (have: %s)", n, strings.Join(names, ", "))
		}
		seen[n] = true
		out = append(out, s)
	}
	return out, nil
}

func main() {
	os.Exit(realMain(os.Args[1:]))
}

func realMain(args []string) int {
	o, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		return 2
	}
	if o.List {
		for _, s := range scenarios() {
			fmt.Printf("%-22s %s\n", s.Name, s.Doc)
		}
		return 0
	}
	scs, err := selectScenarios(scenarios(), o.Scenarios)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fs := procFS{Root: "/proc"}
	rep := &Report{
		Started: time.Now().UTC(),
		Host:    hostInfo(),
		Config: ReportConfig{
			Clients: o.Clients, DurationSec: o.Duration.Seconds(), WarmupSec: o.Warmup.Seconds(),
			Runs: o.Runs, Accounts: o.Accounts, MaxOps: o.MaxOps,
		},
	}
	sampler := &cpuSampler{fs: fs}
	var srv *server
	addr := o.Addr
	if addr == "" {
		srv, err = startServer(serverOptions{
			Binary: o.Hearth, ServerKey: o.ServerKey, ExtraArgs: strings.Fields(o.HearthArgs), LogPath: o.ServerLog,
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			return 1
		}
		addr = srv.addr
		rep.Target = ReportTarget{Managed: true, Binary: o.Hearth, Addr: addr, PID: srv.pid(), DataDir: srv.dataDir}
	} else {
		rep.Target = ReportTarget{Addr: addr, PID: o.PID, DataDir: o.DataDir}
	}
	target := newTarget(addr, o.ServerKey, o.Clients, o.Timeout)

	code := runAll(ctx, o, scs, srv, target, sampler, rep)

	if srv != nil {
		fmt.Fprintln(os.Stderr, "loadgen: stopping hearth")
		rep.ServerProblems = append(rep.ServerProblems, srv.stop(fs)...)
		tail, lines := srv.out.tail(20)
		if lines > 0 {
			rep.ServerOutputLines, rep.ServerOutputTail = lines, tail
		}
	}
	printSummary(os.Stdout, rep)
	if len(rep.ServerProblems) > 0 && code == 0 {
		code = 1
	}
	if o.JSON != "" {
		if err := writeJSON(o.JSON, rep); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			code = 1
		}
	}
	if ctx.Err() != nil {
		return 130
	}
	return code
}

// runAll waits for the target, then runs each scenario's setup and runs. It returns the exit
// code: 0 when everything ran without a single failed request.
func runAll(ctx context.Context, o options, scs []Scenario, srv *server, target *Target, sampler *cpuSampler, rep *Report) int {
	if srv != nil {
		fmt.Fprintf(os.Stderr, "loadgen: started %s (pid %d) on %s, data dir %s; waiting for /healthcheck\n", o.Hearth, srv.pid(), srv.addr, srv.dataDir)
		t0 := time.Now()
		if err := srv.waitHealthy(ctx, target, 90*time.Second); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			return 1
		}
		rep.Target.StartupSec = time.Since(t0).Seconds()
		sampler.serverPID = srv.pid()
		if pm, file, err := srv.findPostmaster(sampler.fs); err != nil {
			rep.Notes = append(rep.Notes, "db µs/op not measured: "+err.Error())
		} else {
			sampler.postmaster = pm
			rep.Target.Postmaster, rep.Target.PostmasterPIDFile = pm, file
		}
	} else {
		hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		ok := false
		for hctx.Err() == nil && !ok {
			if ok = target.Healthy(hctx); !ok {
				time.Sleep(200 * time.Millisecond)
			}
		}
		cancel()
		if !ok {
			fmt.Fprintf(os.Stderr, "loadgen: %s does not answer GET /healthcheck with 200\n", target.BaseURL)
			return 1
		}
		if o.PID > 0 {
			if _, err := sampler.fs.stat(o.PID); err != nil {
				fmt.Fprintf(os.Stderr, "loadgen: -pid %d: %v\n", o.PID, err)
				return 2
			}
			sampler.serverPID = o.PID
			dd := o.DataDir
			if dd == "" {
				dd = guessDataDir(o.PID)
			}
			if pm, file, err := findPostmasterPID(dd); err != nil {
				rep.Notes = append(rep.Notes, "db µs/op not measured: "+err.Error()+" (use -data-dir)")
			} else {
				sampler.postmaster = pm
				rep.Target.DataDir, rep.Target.Postmaster, rep.Target.PostmasterPIDFile = dd, pm, file
			}
		} else {
			rep.Notes = append(rep.Notes, "server and db µs/op not measured: no -pid")
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(os.Stderr, "loadgen:", n)
	}
	printHeader(os.Stdout, rep)

	runID := randomID()
	seed := rand.Uint64()
	code := 0
	for _, sc := range scs {
		sr := ScenarioReport{Name: sc.Name, Doc: sc.Doc, Ref: sc.Ref}
		env := &Env{Target: target, RunID: runID, Accounts: o.Accounts, Workers: o.Clients, ServerPID: sampler.serverPID}
		if sc.Setup != nil {
			sctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
			t0 := time.Now()
			err := sc.Setup(sctx, env)
			cancel()
			sr.SetupSec = time.Since(t0).Seconds()
			if err != nil {
				sr.SetupError = err.Error()
				fmt.Printf("%-22s setup failed: %v\n", sc.Name, err)
				rep.Scenarios = append(rep.Scenarios, sr)
				code = 1
				if ctx.Err() != nil || (srv != nil && srv.exitedEarly() != nil) {
					break
				}
				continue
			}
		}
		cfg := LoadConfig{Clients: o.Clients, Warmup: o.Warmup, Duration: o.Duration, MaxOps: o.MaxOps}
		for run := 1; run <= o.Runs; run++ {
			res, err := runOnce(ctx, sc, target, cfg, sampler, run, seed)
			if err != nil {
				if ctx.Err() != nil {
					err = errors.New("interrupted")
				}
				fmt.Printf("%-22s run %d: %v\n", sc.Name, run, err)
				code = 1
				break
			}
			died := srv != nil && srv.exitedEarly() != nil
			if died {
				res.Problems = append(res.Problems, "the server died during the run")
			}
			sr.Runs = append(sr.Runs, res)
			printRun(os.Stdout, sc.Name, o.Runs, res)
			printExtra(os.Stdout, sc.Extra, res.Extra)
			if res.Errors > 0 || died {
				code = 1
			}
			if died {
				break
			}
		}
		if len(sr.Runs) > 0 {
			sr.Median = ptr(summarize(sr.Runs))
			printMedian(os.Stdout, sc.Name, *sr.Median)
			printExtra(os.Stdout, sc.Extra, sr.Median.Extra)
		}
		rep.Scenarios = append(rep.Scenarios, sr)
		if ctx.Err() != nil {
			return 130
		}
		if srv != nil {
			if err := srv.exitedEarly(); err != nil {
				fmt.Fprintln(os.Stderr, "loadgen:", err)
				return 1
			}
		}
	}
	return code
}

// guessDataDir finds a running hearth's data_dir from its command line (Nakama-style
// --data_dir), then HEARTH_DATA_DIR in its environment, then the default ./data, relative
// to its working directory.
func guessDataDir(pid int) string {
	proc := filepath.Join("/proc", fmt.Sprint(pid))
	dir := ""
	if b, err := os.ReadFile(filepath.Join(proc, "cmdline")); err == nil {
		dir = dataDirFromArgs(strings.Split(strings.TrimRight(string(b), "\x00"), "\x00"))
	}
	if dir == "" {
		if b, err := os.ReadFile(filepath.Join(proc, "environ")); err == nil {
			for _, kv := range strings.Split(string(b), "\x00") {
				if v, ok := strings.CutPrefix(kv, "HEARTH_DATA_DIR="); ok {
					dir = v
				}
			}
		}
	}
	if dir == "" {
		dir = "./data"
	}
	if !filepath.IsAbs(dir) {
		if cwd, err := os.Readlink(filepath.Join(proc, "cwd")); err == nil {
			dir = filepath.Join(cwd, dir)
		}
	}
	return dir
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}

func hostInfo() ReportHost {
	h := ReportHost{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), ClkTck: clkTck}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		h.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				h.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	return h
}
