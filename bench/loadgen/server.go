package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// loopbackAddr refuses any address whose host is not the loopback interface: the load
// generator must never be pointed at someone else's server. It returns the address to dial,
// with "localhost" replaced by 127.0.0.1 so name resolution cannot send the load elsewhere.
func loopbackAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("-addr %q: want host:port: %w", addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("-addr %q: bad port", addr)
	}
	switch host {
	case "127.0.0.1", "::1":
		return net.JoinHostPort(host, port), nil
	case "localhost":
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	return "", fmt.Errorf("-addr %q: only loopback targets are allowed (127.0.0.1, localhost, ::1)", addr)
}

// freePort asks the kernel for a free loopback TCP port. Another process could take it
// before the server binds it; the health check then fails fast on the server's exit.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tailBuffer keeps the last max bytes written to it (the server's output) and optionally
// copies everything to a file.
type tailBuffer struct {
	mu    sync.Mutex
	max   int
	buf   []byte
	lines int
	file  io.Writer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file != nil {
		_, _ = t.file.Write(p)
	}
	t.lines += bytes.Count(p, []byte{'\n'})
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

// tail returns up to n last lines and the total number of lines written.
func (t *tailBuffer) tail(n int) (string, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimRight(string(t.buf), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n"), t.lines
}

// server is a hearth process this load generator started, with its private data directory.
type server struct {
	cmd      *exec.Cmd
	dataDir  string
	addr     string
	out      *tailBuffer
	logFile  *os.File
	exited   chan struct{} // closed when the process has exited
	waitErr  error         // valid after exited is closed
	pmPID    int           // postmaster, once known
	pmStart  uint64
	stopping bool
}

// serverOptions says how to start hearth.
type serverOptions struct {
	Binary    string
	ServerKey string
	ExtraArgs []string
	LogPath   string // copy of the server's output; "" keeps only the tail in memory
}

// startServer starts hearth on a free loopback port with a fresh temporary data directory.
// The caller must call stop, also when startServer returns a server and an error.
func startServer(opts serverOptions) (*server, error) {
	if _, err := os.Stat(opts.Binary); err != nil {
		return nil, fmt.Errorf("hearth binary: %w (build it: go build -o %s ./cmd/hearth)", err, opts.Binary)
	}
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("free port: %w", err)
	}
	dir, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return nil, err
	}
	// Run as root, hearth runs PostgreSQL as the postgres user, which must be able to reach
	// the cluster directory inside this one; MkdirTemp makes it 0700.
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &server{
		dataDir: dir,
		addr:    net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		out:     &tailBuffer{max: 64 << 10},
		exited:  make(chan struct{}),
	}
	if opts.LogPath != "" {
		f, err := os.Create(opts.LogPath)
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s.logFile, s.out.file = f, f
	}
	args := []string{
		"--data_dir", dir,
		"--socket.address", "127.0.0.1", // default keys: keep this server off the network
		"--socket.port", strconv.Itoa(port),
		"--logger.level", "warn",
		"--session.token_expiry_sec", "3600",
		"--database.max_open_conns", "32",
	}
	if opts.ServerKey != "defaultkey" {
		args = append(args, "--socket.server_key", opts.ServerKey)
	}
	args = append(args, opts.ExtraArgs...)
	s.cmd = exec.Command(opts.Binary, args...)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	// PostgreSQL may inherit the output pipe and outlive hearth; don't let Wait hang on it.
	s.cmd.WaitDelay = 2 * time.Second
	s.cmd.SysProcAttr = &syscall.SysProcAttr{
		Setpgid:   true,            // a Ctrl-C reaches only us; we stop the server in order
		Pdeathsig: syscall.SIGTERM, // and if we die anyway, so does it
	}
	if err := s.cmd.Start(); err != nil {
		s.cleanupFiles()
		return nil, fmt.Errorf("start %s: %w", opts.Binary, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	return s, nil
}

// pid returns the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// exitedEarly returns a description of the server's exit if it has exited while it was
// not being stopped, or nil.
func (s *server) exitedEarly() error {
	select {
	case <-s.exited:
		if s.stopping {
			return nil
		}
		return fmt.Errorf("hearth exited unexpectedly (%v); its output is at the end of the report", s.waitErr)
	default:
		return nil
	}
}

// waitHealthy polls GET /healthcheck until it answers 200, the server exits, or timeout.
func (s *server) waitHealthy(ctx context.Context, t *Target, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if err := s.exitedEarly(); err != nil {
			return err
		}
		if t.Healthy(ctx) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.exited:
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("hearth did not answer GET /healthcheck with 200 within %s", timeout)
}

// findPostmaster records the private cluster's postmaster so it can be measured, and
// checked for after the server stops.
func (s *server) findPostmaster(fs procFS) (int, string, error) {
	pid, file, err := findPostmasterPID(s.dataDir)
	if err != nil {
		return 0, "", err
	}
	st, err := fs.stat(pid)
	if err != nil {
		return 0, "", fmt.Errorf("postmaster %d from %s: %w", pid, file, err)
	}
	s.pmPID, s.pmStart = pid, st.StartTime
	return pid, file, nil
}

// stop sends SIGTERM and waits up to 30 s for the server to exit (then SIGKILL), so it can
// shut its private PostgreSQL cluster down; makes sure that cluster is gone; and removes
// the data directory. It returns the problems it saw, for the report.
func (s *server) stop(fs procFS) []string {
	var problems []string
	if err := s.exitedEarly(); err != nil {
		problems = append(problems, err.Error())
	}
	s.stopping = true
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
			if s.waitErr != nil {
				problems = append(problems, fmt.Sprintf("hearth exit after SIGTERM: %v", s.waitErr))
			}
		case <-time.After(30 * time.Second):
			problems = append(problems, "hearth did not exit within 30s of SIGTERM; sent SIGKILL")
			_ = s.cmd.Process.Kill()
			select {
			case <-s.exited:
			case <-time.After(10 * time.Second):
				problems = append(problems, "hearth still running 10s after SIGKILL")
			}
		}
	}
	// The cluster belongs to this run's temporary directory. If hearth left it running,
	// give it a moment, then ask it for a fast shutdown, then an immediate one.
	if s.pmPID > 0 && processAlive(fs, s.pmPID, s.pmStart) {
		if !waitGone(fs, s.pmPID, s.pmStart, 5*time.Second) {
			problems = append(problems, fmt.Sprintf("hearth exited but left its postgres (pid %d) running; sent SIGINT", s.pmPID))
			_ = syscall.Kill(s.pmPID, syscall.SIGINT)
			if !waitGone(fs, s.pmPID, s.pmStart, 20*time.Second) {
				_ = syscall.Kill(s.pmPID, syscall.SIGQUIT)
				if !waitGone(fs, s.pmPID, s.pmStart, 10*time.Second) {
					problems = append(problems, fmt.Sprintf("postgres pid %d still running; data dir %s kept", s.pmPID, s.dataDir))
					s.closeLog()
					return problems
				}
			}
		}
	}
	s.cleanupFiles()
	return problems
}

func waitGone(fs procFS, pid int, start uint64, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for processAlive(fs, pid, start) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}

func (s *server) closeLog() {
	if s.logFile != nil {
		_ = s.logFile.Close()
		s.logFile = nil
	}
}

func (s *server) cleanupFiles() {
	s.closeLog()
	if err := os.RemoveAll(s.dataDir); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "loadgen: remove %s: %v\n", s.dataDir, err)
	}
}
