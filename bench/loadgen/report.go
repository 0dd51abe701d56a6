package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is everything one invocation measured; -json writes it.
type Report struct {
	Started           time.Time        `json:"started"`
	Host              ReportHost       `json:"host"`
	Config            ReportConfig     `json:"config"`
	Target            ReportTarget     `json:"target"`
	Notes             []string         `json:"notes,omitempty"`
	Scenarios         []ScenarioReport `json:"scenarios"`
	ServerProblems    []string         `json:"server_problems,omitempty"`
	ServerOutputLines int              `json:"server_output_lines,omitempty"`
	ServerOutputTail  string           `json:"server_output_tail,omitempty"`
}

// ReportHost describes the machine.
type ReportHost struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpu_model,omitempty"`
	Kernel    string `json:"kernel,omitempty"`
	GoVersion string `json:"go_version"`
	ClkTck    int    `json:"clk_tck"`
}

// ReportConfig is the load that was applied.
type ReportConfig struct {
	Clients     int     `json:"clients"`
	DurationSec float64 `json:"duration_sec"`
	WarmupSec   float64 `json:"warmup_sec"`
	Runs        int     `json:"runs"`
	Accounts    int     `json:"accounts"`
	MaxOps      int     `json:"max_ops"`
}

// ReportTarget is the server that was measured.
type ReportTarget struct {
	Managed           bool    `json:"managed"` // started (and stopped) by the load generator
	Binary            string  `json:"binary,omitempty"`
	Addr              string  `json:"addr"`
	PID               int     `json:"pid,omitempty"`
	DataDir           string  `json:"data_dir,omitempty"`
	Postmaster        int     `json:"postmaster_pid,omitempty"`
	PostmasterPIDFile string  `json:"postmaster_pid_file,omitempty"`
	StartupSec        float64 `json:"startup_sec,omitempty"`
}

// ScenarioReport is one scenario's runs and their median.
type ScenarioReport struct {
	Name       string      `json:"name"`
	Doc        string      `json:"doc"`
	Ref        Reference   `json:"reference"`
	SetupSec   float64     `json:"setup_sec"`
	SetupError string      `json:"setup_error,omitempty"`
	Runs       []RunResult `json:"runs"`
	Median     *Summary    `json:"median,omitempty"`
}

func printHeader(w io.Writer, r *Report) {
	t := r.Target
	fmt.Fprintf(w, "hearth bench: %s, %d CPUs, %s\n", t.Addr, r.Host.CPUs, r.Host.CPUModel)
	fmt.Fprintf(w, "load: %d clients, %gs warm-up + %gs measured, %d run(s) per scenario; server pid %d, postmaster pid %d\n",
		r.Config.Clients, r.Config.WarmupSec, r.Config.DurationSec, r.Config.Runs, t.PID, t.Postmaster)
	fmt.Fprintln(w, "note: the load generator shares this machine's CPUs with the server; compare µs/op, not only ops/s")
}

// lineFields formats the figures of a run or median the same way.
func lineFields(opsPerSec, p50, p99 float64, server, db, client, busy, other *float64, errors int64) string {
	return fmt.Sprintf("ops/s %-6.0f p50 %-6s p99 %-6s server %-9s db %-9s client %-9s cpu %-4s other %-4s errors %d",
		opsPerSec, fmtMs(p50), fmtMs(p99), fmtUsPerOp(server), fmtUsPerOp(db), fmtUsPerOp(client), fmtPct(busy), fmtPct(other), errors)
}

func printRun(w io.Writer, name string, runs int, r RunResult) {
	fmt.Fprintf(w, "%-22s run %d/%-3d %s\n", name, r.Run, runs,
		lineFields(r.OpsPerSec, r.P50Ms, r.P99Ms, r.ServerUsPerOp, r.DBUsPerOp, r.ClientUsPerOp, r.MachineBusyPct, r.OtherBusyPct, r.Errors))
	for _, e := range r.ErrorSamples {
		fmt.Fprintf(w, "    error: %s\n", e)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "    note: %s\n", p)
	}
}

// printExtra prints a scenario's own figure under its run or median line.
func printExtra(w io.Writer, x *ExtraFigure, v *float64) {
	if x == nil {
		return
	}
	if v == nil {
		fmt.Fprintf(w, "    %s: not measured\n", x.Name)
		return
	}
	verdict := ""
	if x.Target > 0 {
		verdict = fmt.Sprintf(" (target ≤ %g %s: %s)", x.Target, x.Unit, map[bool]string{true: "met", false: "missed"}[*v <= x.Target])
	}
	fmt.Fprintf(w, "    %s: %.2f %s%s\n", x.Name, *v, x.Unit, verdict)
}

func printMedian(w io.Writer, name string, s Summary) {
	fmt.Fprintf(w, "%-22s median    %s\n", name,
		lineFields(s.OpsPerSec, s.P50Ms, s.P99Ms, s.ServerUsPerOp, s.DBUsPerOp, s.ClientUsPerOp, s.MachineBusyPct, s.OtherBusyPct, s.Errors))
}

// printSummary prints one row per scenario (the medians) beside the reference numbers.
func printSummary(w io.Writer, r *Report) {
	if len(r.Scenarios) > 0 {
		printTable(w, r)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, p := range r.ServerProblems {
		fmt.Fprintf(w, "SERVER PROBLEM: %s\n", p)
	}
	if r.ServerOutputLines > 0 {
		fmt.Fprintf(w, "server output: %d line(s); the last ones:\n", r.ServerOutputLines)
		for _, l := range strings.Split(r.ServerOutputTail, "\n") {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
}

func printTable(w io.Writer, r *Report) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "summary (median of runs; server/db/client = CPU µs per successful op; cpu = whole machine busy, other = by other processes)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tops/s\tp50\tp99\tserver\tdb\tclient\tcpu\tother\terrors\tnakama 3.40\ttarget\t")
	for _, s := range r.Scenarios {
		ref := "-"
		if s.Ref.NakamaOpsPerSec > 0 {
			ref = fmt.Sprintf("%.0f ops/s, %.0fµs/op", s.Ref.NakamaOpsPerSec, s.Ref.NakamaServerUsOp)
		}
		if s.Median == nil {
			msg := "no runs"
			if s.SetupError != "" {
				msg = "setup failed"
			}
			fmt.Fprintf(tw, "%s\t%s\t\t\t\t\t\t\t\t\t%s\t\t\n", s.Name, msg, ref)
			continue
		}
		m := s.Median
		target := "-"
		if s.Ref.TargetServerUsOp > 0 {
			target = fmt.Sprintf("≤%.0fµs/op", s.Ref.TargetServerUsOp)
			if m.ServerUsPerOp != nil {
				if *m.ServerUsPerOp <= s.Ref.TargetServerUsOp {
					target += " met"
				} else {
					target += " MISSED"
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t\n", s.Name, m.OpsPerSec, fmtMs(m.P50Ms), fmtMs(m.P99Ms),
			fmtUsPerOp(m.ServerUsPerOp), fmtUsPerOp(m.DBUsPerOp), fmtUsPerOp(m.ClientUsPerOp), fmtPct(m.MachineBusyPct), fmtPct(m.OtherBusyPct), m.Errors, ref, target)
	}
	tw.Flush()
}

func writeJSON(path string, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
