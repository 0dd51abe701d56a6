package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// statLine builds a /proc/<pid>/stat line with the given fields set and the rest zero.
func statLine(pid int, comm string, state byte, ppid int, utime, stime, cutime, cstime int64, start uint64) string {
	// Fields 3..52 of proc(5); index k-3 holds field k.
	f := make([]string, 50)
	for i := range f {
		f[i] = "0"
	}
	f[0] = string(state)
	f[1] = strconv.Itoa(ppid)
	f[14-3] = strconv.FormatInt(utime, 10)
	f[15-3] = strconv.FormatInt(stime, 10)
	f[16-3] = strconv.FormatInt(cutime, 10)
	f[17-3] = strconv.FormatInt(cstime, 10)
	f[22-3] = strconv.FormatUint(start, 10)
	s := fmt.Sprintf("%d (%s)", pid, comm)
	for _, x := range f {
		s += " " + x
	}
	return s + "\n"
}

func TestParseProcStat(t *testing.T) {
	real := "8652 (python3) R 8646 8646 8030 0 -1 4194304 2843 6560 2 1 82 2 4 2 20 0 1 0 33584 16961536 3366 18446744073709551615 94512532725760 94512532726101 140730433184704 0 0 0 0 16781312 2 0 0 0 17 0 0 0 0 0 0 94512532737456 94512532738072 94512817295360 140730433189982 140730433190144 140730433190144 140730433191887 0\n"
	tests := []struct {
		name    string
		in      string
		want    procStat
		wantErr bool
	}{
		{
			name: "real line",
			in:   real,
			want: procStat{PID: 8652, Comm: "python3", State: 'R', PPID: 8646, UTime: 82, STime: 2, CUTime: 4, CSTime: 2, StartTime: 33584},
		},
		{
			name: "command name with spaces and parentheses",
			in:   statLine(42, "postgres: hearth db (x) idle", 'S', 7, 1234, 567, 8, 9, 1000),
			want: procStat{PID: 42, Comm: "postgres: hearth db (x) idle", State: 'S', PPID: 7, UTime: 1234, STime: 567, CUTime: 8, CSTime: 9, StartTime: 1000},
		},
		{name: "empty", in: "", wantErr: true},
		{name: "no command", in: "42 S 1 2 3", wantErr: true},
		{name: "truncated", in: "42 (x) S 1 2 3 4 5", wantErr: true},
		{name: "bad utime", in: "42 (x) S 1 0 0 0 0 0 0 0 0 0 zz 0 0 0 0 0 0 0 0 0 0", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseProcStat([]byte(tc.in))
			if tc.wantErr {
				if err == nil {
					t.Fatalf("parseProcStat = %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parseProcStat (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSchedstat(t *testing.T) {
	got, err := parseSchedstat([]byte("1041483653 976182240 407\n"))
	if err != nil || got != 1041483653 {
		t.Errorf("parseSchedstat = %d, %v; want 1041483653", got, err)
	}
	for _, bad := range []string{"", "\n", "x 1 2"} {
		if _, err := parseSchedstat([]byte(bad)); err == nil {
			t.Errorf("parseSchedstat(%q): want an error", bad)
		}
	}
}

func TestParsePostmasterPID(t *testing.T) {
	pidFile := "31337\n/tmp/hearth-bench-1/postgres\n1700000000\n5432\n/tmp\nlocalhost\n  5432001    65536\nready   \n"
	if got, err := parsePostmasterPID([]byte(pidFile)); err != nil || got != 31337 {
		t.Errorf("parsePostmasterPID = %d, %v; want 31337", got, err)
	}
	for _, bad := range []string{"", "abc\n", "-5\n", "0"} {
		if _, err := parsePostmasterPID([]byte(bad)); err == nil {
			t.Errorf("parsePostmasterPID(%q): want an error", bad)
		}
	}
}

func TestParseProcStatCPU(t *testing.T) {
	in := "cpu  100 5 50 800 40 3 2 1 7 0\ncpu0 50 2 25 400 20 1 1 0 3 0\n"
	got, err := parseProcStatCPU([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	// busy = user+nice+system+irq+softirq+steal; guest is inside user already.
	want := cpuTimes{Busy: 100 + 5 + 50 + 3 + 2 + 1, Total: 100 + 5 + 50 + 800 + 40 + 3 + 2 + 1}
	if got != want {
		t.Errorf("parseProcStatCPU = %+v, want %+v", got, want)
	}
	if _, err := parseProcStatCPU([]byte("intr 1 2 3\n")); err == nil {
		t.Error("parseProcStatCPU without a cpu line: want an error")
	}
}

func TestDataDirFromArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"hearth", "--data_dir", "/tmp/x", "--socket.port", "7350"}, "/tmp/x"},
		{[]string{"hearth", "--data_dir=/tmp/y"}, "/tmp/y"},
		{[]string{"hearth", "-data_dir", "rel"}, "rel"},
		{[]string{"hearth", "--socket.port", "7350"}, ""},
		{[]string{"hearth", "--data_dir"}, ""},
		{[]string{"hearth", "--data_dir_extra", "z"}, ""},
	}
	for _, tc := range tests {
		if got := dataDirFromArgs(tc.args); got != tc.want {
			t.Errorf("dataDirFromArgs(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestCPUDelta(t *testing.T) {
	tick := nsPerTick
	tests := []struct {
		name       string
		a, b       procCPU
		want       int64
		wantMethod string
	}{
		{
			name: "schedstat when it agrees with the ticks",
			a:    procCPU{SchedNs: 1_000_000_000, SchedOK: true, TickNs: 100 * tick},
			b:    procCPU{SchedNs: 1_234_567_891, SchedOK: true, TickNs: 123 * tick},
			want: 234_567_891, wantMethod: "schedstat",
		},
		{
			name: "ticks when a thread exited in the window",
			a:    procCPU{SchedNs: 1_000_000_000, SchedOK: true, TickNs: 100 * tick},
			b:    procCPU{SchedNs: 1_100_000_000, SchedOK: true, TickNs: 150 * tick},
			want: 50 * tick, wantMethod: "stat",
		},
		{
			name: "ticks without schedstat",
			a:    procCPU{TickNs: 10 * tick},
			b:    procCPU{TickNs: 12 * tick},
			want: 2 * tick, wantMethod: "stat",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, method := cpuDelta(tc.a, tc.b)
			if got != tc.want || method != tc.wantMethod {
				t.Errorf("cpuDelta = %d via %s, want %d via %s", got, method, tc.want, tc.wantMethod)
			}
		})
	}
}

// fakeProc writes a proc tree: for each process its stat and one schedstat per thread.
type fakeProc struct {
	t    *testing.T
	root string
}

func (f fakeProc) proc(pid, ppid int, utime, cutime int64, threadNs ...int64) {
	f.t.Helper()
	dir := filepath.Join(f.root, strconv.Itoa(pid))
	if err := os.RemoveAll(dir); err != nil {
		f.t.Fatal(err)
	}
	write := func(path, s string) {
		f.t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			f.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "stat"), statLine(pid, "postgres", 'S', ppid, utime, 0, cutime, 0, uint64(pid)))
	for i, ns := range threadNs {
		write(filepath.Join(dir, "task", strconv.Itoa(pid+i), "schedstat"), fmt.Sprintf("%d 0 0\n", ns))
	}
}

func TestProcFSCPU(t *testing.T) {
	f := fakeProc{t, t.TempDir()}
	fs := procFS{Root: f.root}
	f.proc(100, 1, 30, 0, 1e8, 2e8) // two threads: the sum, not the main thread's alone
	c, err := fs.cpu(100)
	if err != nil {
		t.Fatal(err)
	}
	if !c.SchedOK || c.SchedNs != 3e8 || c.TickNs != 30*nsPerTick {
		t.Errorf("cpu = %+v, want schedstat 3e8 and ticks 3e8", c)
	}
	if _, err := fs.cpu(999); err == nil {
		t.Error("cpu of a missing process: want an error")
	}
}

func TestPgCPUCountsReapedChildren(t *testing.T) {
	f := fakeProc{t, t.TempDir()}
	fs := procFS{Root: f.root}
	const pm = 500
	f.proc(1, 0, 0, 0, 0)          // init
	f.proc(pm, 1, 1, 0, 10e6)      // postmaster
	f.proc(501, pm, 5, 0, 50e6)    // backend
	f.proc(502, pm, 7, 0, 70e6)    // backend that will exit
	f.proc(600, 1, 99, 0, 990e6)   // unrelated process
	f.proc(601, 600, 99, 0, 990e6) // child of an unrelated process
	before, n, err := fs.pgCPU(pm)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 || before != 130e6 {
		t.Fatalf("pgCPU = %d ns over %d procs, want 130e6 over 3", before, n)
	}

	// 502 ran another 30 ms and exited; the postmaster reaped it (cutime 10 ticks = 100 ms);
	// 501 ran 20 ms more; a new backend 503 has run 5 ms.
	if err := os.RemoveAll(filepath.Join(f.root, "502")); err != nil {
		t.Fatal(err)
	}
	f.proc(pm, 1, 1, 10, 10e6)
	f.proc(501, pm, 7, 0, 70e6)
	f.proc(503, pm, 0, 0, 5e6)
	after, n, err := fs.pgCPU(pm)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("live processes = %d, want 3", n)
	}
	if got, want := time.Duration(after-before), 55*time.Millisecond; got != want {
		t.Errorf("db cpu used = %v, want %v", got, want)
	}
}

func TestFindPostmasterPID(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := findPostmasterPID(dir); err == nil {
		t.Error("empty dir: want an error")
	}
	pg := filepath.Join(dir, "postgres", "data")
	if err := os.MkdirAll(pg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pg, "postmaster.pid"), []byte("4242\n"+pg+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pid, file, err := findPostmasterPID(dir)
	if err != nil || pid != 4242 || file != filepath.Join(pg, "postmaster.pid") {
		t.Errorf("findPostmasterPID = %d, %q, %v; want 4242 in %s", pid, file, err, pg)
	}
}

func TestLoopbackAddr(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"127.0.0.1:7350", "127.0.0.1:7350", true},
		{"localhost:7350", "127.0.0.1:7350", true},
		{"[::1]:7350", "[::1]:7350", true},
		{"10.0.0.5:7350", "", false},
		{"example.com:7350", "", false},
		{"0.0.0.0:7350", "", false},
		{"127.0.0.1", "", false},
		{"127.0.0.1:0", "", false},
		{"127.0.0.1:http", "", false},
	}
	for _, tc := range tests {
		got, err := loopbackAddr(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("loopbackAddr(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestUsageBetween(t *testing.T) {
	tick := nsPerTick
	a := cpuSnapshot{
		At:       time.Unix(100, 0),
		Server:   procCPU{SchedNs: 1e9, SchedOK: true, TickNs: 100 * tick, Stat: procStat{StartTime: 7}},
		DBNs:     2e9,
		ClientNs: 3e9,
		Machine:  cpuTimes{Busy: 1000, Total: 5000},
	}
	// 10 s on 2 CPUs = 2000 ticks, 1500 busy: server 400, db 300, client 500 ticks, other 300.
	b := cpuSnapshot{
		At:       time.Unix(110, 0),
		Server:   procCPU{SchedNs: 1e9 + 400*tick, SchedOK: true, TickNs: 500 * tick, Stat: procStat{StartTime: 7}},
		DBNs:     2e9 + 300*tick,
		DBProcs:  38,
		ClientNs: 3e9 + 500*tick,
		Machine:  cpuTimes{Busy: 2500, Total: 7000},
	}
	u := usageBetween(a, b)
	if u.ServerNs == nil || *u.ServerNs != 400*tick || u.ServerMethod != "schedstat" {
		t.Errorf("server = %v via %s, want %d via schedstat", u.ServerNs, u.ServerMethod, 400*tick)
	}
	if u.DBNs == nil || *u.DBNs != 300*tick || u.DBProcs != 38 {
		t.Errorf("db = %v over %d procs, want %d over 38", u.DBNs, u.DBProcs, 300*tick)
	}
	if u.MachineBusy == nil || *u.MachineBusy != 75 {
		t.Errorf("machine busy = %v, want 75%%", u.MachineBusy)
	}
	if u.OtherBusy == nil || *u.OtherBusy != 15 {
		t.Errorf("other busy = %v, want 15%%", u.OtherBusy)
	}

	b.Server.Stat.StartTime = 8
	b.DBErr = errors.New("postmaster 5: gone")
	u = usageBetween(a, b)
	if u.ServerNs != nil || u.DBNs != nil || u.OtherBusy != nil || len(u.Problems) != 2 {
		t.Errorf("after pid reuse and a lost postmaster: server %v db %v other %v problems %q; want none measured and 2 problems",
			u.ServerNs, u.DBNs, u.OtherBusy, u.Problems)
	}
}
