package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clkTck is USER_HZ, the unit of the times in /proc/<pid>/stat. It is 100 on every Linux
// architecture Go supports (`getconf CLK_TCK`), whatever the kernel's internal HZ.
const clkTck = 100

const nsPerTick = int64(time.Second) / clkTck

// procStat holds the fields of /proc/<pid>/stat the load generator uses.
type procStat struct {
	PID       int
	Comm      string
	State     byte
	PPID      int
	UTime     int64 // clock ticks, all threads of the process, live and exited
	STime     int64
	CUTime    int64 // clock ticks of waited-for children
	CSTime    int64
	StartTime uint64 // clock ticks after boot; with PID it identifies a process
}

// parseProcStat parses the contents of /proc/<pid>/stat (see proc(5)). The command name is
// in parentheses and may itself contain spaces and parentheses, so the fixed fields are
// taken after the last ')'.
func parseProcStat(b []byte) (procStat, error) {
	s := string(b)
	open := strings.IndexByte(s, '(')
	end := strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return procStat{}, errors.New("proc stat: no command name")
	}
	var st procStat
	var err error
	if st.PID, err = strconv.Atoi(strings.TrimSpace(s[:open])); err != nil {
		return procStat{}, fmt.Errorf("proc stat: pid: %w", err)
	}
	st.Comm = s[open+1 : end]
	// f[0] is field 3 (state) of proc(5); field k is f[k-3].
	f := strings.Fields(s[end+1:])
	if len(f) < 20 {
		return procStat{}, fmt.Errorf("proc stat: %d fields after the command name, want at least 20", len(f))
	}
	if len(f[0]) != 1 {
		return procStat{}, fmt.Errorf("proc stat: state %q", f[0])
	}
	st.State = f[0][0]
	ints := []struct {
		dst   *int64
		field int
	}{{&st.UTime, 14}, {&st.STime, 15}, {&st.CUTime, 16}, {&st.CSTime, 17}}
	for _, x := range ints {
		if *x.dst, err = strconv.ParseInt(f[x.field-3], 10, 64); err != nil {
			return procStat{}, fmt.Errorf("proc stat: field %d: %w", x.field, err)
		}
	}
	if st.PPID, err = strconv.Atoi(f[1]); err != nil {
		return procStat{}, fmt.Errorf("proc stat: ppid: %w", err)
	}
	if st.StartTime, err = strconv.ParseUint(f[22-3], 10, 64); err != nil {
		return procStat{}, fmt.Errorf("proc stat: starttime: %w", err)
	}
	return st, nil
}

// parseSchedstat returns the first field of /proc/<pid>/task/<tid>/schedstat: nanoseconds
// the thread has spent on a CPU.
func parseSchedstat(b []byte) (int64, error) {
	f := strings.Fields(string(b))
	if len(f) < 1 {
		return 0, errors.New("schedstat: empty")
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("schedstat: %w", err)
	}
	return ns, nil
}

// parsePostmasterPID returns the PID on the first line of a PostgreSQL postmaster.pid file.
func parsePostmasterPID(b []byte) (int, error) {
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		return 0, fmt.Errorf("postmaster.pid: first line %q: %w", line, err)
	}
	if pid <= 0 {
		return 0, fmt.Errorf("postmaster.pid: pid %d", pid)
	}
	return pid, nil
}

// cpuTimes is the machine-wide "cpu" line of /proc/stat, in clock ticks.
type cpuTimes struct {
	Busy, Total uint64
}

// parseProcStatCPU parses the aggregate "cpu" line of /proc/stat. Busy is everything but
// idle and iowait; guest time is already inside user time, so it is not added again.
func parseProcStatCPU(b []byte) (cpuTimes, error) {
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return cpuTimes{}, fmt.Errorf("/proc/stat: first line %q", line)
	}
	// user nice system idle iowait irq softirq steal [guest guest_nice]
	var v [8]uint64
	for i := 0; i < len(v) && i+1 < len(f); i++ {
		n, err := strconv.ParseUint(f[i+1], 10, 64)
		if err != nil {
			return cpuTimes{}, fmt.Errorf("/proc/stat: %w", err)
		}
		v[i] = n
	}
	var t cpuTimes
	for i, n := range v {
		t.Total += n
		if i != 3 && i != 4 {
			t.Busy += n
		}
	}
	return t, nil
}

// dataDirFromArgs returns the value of a --data_dir (or -data_dir, with = or as the next
// argument) command-line flag, or "" when there is none.
func dataDirFromArgs(args []string) string {
	dir := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "data_dir" {
			continue
		}
		if hasVal {
			dir = val
		} else if i+1 < len(args) {
			dir = args[i+1]
			i++
		}
	}
	return dir
}

// procFS reads process accounting from a proc filesystem mounted at Root (normally /proc;
// tests point it at a fake tree).
type procFS struct {
	Root string
}

func (p procFS) stat(pid int) (procStat, error) {
	b, err := os.ReadFile(filepath.Join(p.Root, strconv.Itoa(pid), "stat"))
	if err != nil {
		return procStat{}, err
	}
	return parseProcStat(b)
}

// procCPU is one process's CPU time, measured two ways.
type procCPU struct {
	// SchedNs sums the first schedstat field over the live threads: nanosecond precision,
	// but time of threads that have exited is gone. /proc/<pid>/schedstat alone would be
	// the main thread only. SchedOK is false when schedstat is not available.
	SchedNs int64
	SchedOK bool
	// TickNs is utime+stime from /proc/<pid>/stat: every thread, live or exited, in 10 ms
	// ticks (the kernel truncates the precise total to whole ticks).
	TickNs int64
	Stat   procStat
}

// cpu reads the CPU time used so far by every thread of pid.
func (p procFS) cpu(pid int) (procCPU, error) {
	st, err := p.stat(pid)
	if err != nil {
		return procCPU{}, err
	}
	c := procCPU{TickNs: (st.UTime + st.STime) * nsPerTick, Stat: st}
	taskDir := filepath.Join(p.Root, strconv.Itoa(pid), "task")
	tasks, err := os.ReadDir(taskDir)
	if err != nil {
		return c, nil
	}
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join(taskDir, t.Name(), "schedstat"))
		if err != nil {
			continue // the thread exited since ReadDir, or schedstat is not compiled in
		}
		ns, err := parseSchedstat(b)
		if err != nil {
			continue
		}
		c.SchedNs += ns
		c.SchedOK = true
	}
	return c, nil
}

// bestNs returns the process's CPU time at the best precision available.
func (c procCPU) bestNs() int64 {
	if c.SchedOK {
		return c.SchedNs
	}
	return c.TickNs
}

// cpuDelta returns the CPU time used between two readings of the same process and how it
// was measured. It prefers the schedstat sum, unless the tick count grew by more than the
// schedstat sum plus two ticks of truncation: then a thread exited inside the window and
// took its schedstat time with it, and the tick count is the truer figure.
func cpuDelta(before, after procCPU) (int64, string) {
	ticks := after.TickNs - before.TickNs
	if !before.SchedOK || !after.SchedOK {
		return ticks, "stat"
	}
	sched := after.SchedNs - before.SchedNs
	if ticks > sched+2*nsPerTick {
		return ticks, "stat"
	}
	return sched, "schedstat"
}

// pgCPU returns the CPU time used so far by a PostgreSQL cluster: the postmaster, its live
// children (backends, checkpointer, walwriter, ...), and the children it has already reaped
// (the postmaster's cutime+cstime), so backends that come and go inside a measured window
// are still counted. It also returns how many processes are live.
func (p procFS) pgCPU(postmaster int) (int64, int, error) {
	pm, err := p.cpu(postmaster)
	if err != nil {
		return 0, 0, fmt.Errorf("postmaster %d: %w", postmaster, err)
	}
	total := pm.bestNs() + (pm.Stat.CUTime+pm.Stat.CSTime)*nsPerTick
	n := 1
	for _, pid := range p.children(postmaster) {
		c, err := p.cpu(pid)
		if err != nil || c.Stat.PPID != postmaster {
			continue // exited meanwhile (its time moves to the postmaster's cutime)
		}
		total += c.bestNs()
		n++
	}
	return total, n, nil
}

// children lists the PIDs whose parent is ppid by scanning every /proc/<pid>/stat.
func (p procFS) children(ppid int) []int {
	ents, err := os.ReadDir(p.Root)
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == ppid {
			continue
		}
		st, err := p.stat(pid)
		if err != nil || st.PPID != ppid {
			continue
		}
		out = append(out, pid)
	}
	return out
}

// machineCPU reads the machine-wide CPU counters.
func (p procFS) machineCPU() (cpuTimes, error) {
	b, err := os.ReadFile(filepath.Join(p.Root, "stat"))
	if err != nil {
		return cpuTimes{}, err
	}
	return parseProcStatCPU(b)
}

// findPostmasterPID looks for a postmaster.pid at most three directories below dataDir
// (Hearth keeps its cluster in a subdirectory) and returns the PID in it. It only globs
// fixed depths: walking the cluster's own tree would read thousands of files.
func findPostmasterPID(dataDir string) (int, string, error) {
	for _, pat := range []string{"postmaster.pid", "*/postmaster.pid", "*/*/postmaster.pid", "*/*/*/postmaster.pid"} {
		matches, _ := filepath.Glob(filepath.Join(dataDir, pat))
		for _, m := range matches {
			b, err := os.ReadFile(m)
			if err != nil {
				continue
			}
			pid, err := parsePostmasterPID(b)
			if err != nil {
				continue
			}
			return pid, m, nil
		}
	}
	return 0, "", fmt.Errorf("no readable postmaster.pid under %s", dataDir)
}

// processAlive reports whether pid exists and, when startTime is not zero, is still the same
// process (not a reused PID).
func processAlive(fs procFS, pid int, startTime uint64) bool {
	st, err := fs.stat(pid)
	if err != nil || st.State == 'Z' || st.State == 'X' {
		return false
	}
	return startTime == 0 || st.StartTime == startTime
}

// selfCPU returns the CPU time this load generator has used, all threads.
func selfCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
