package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t *testing.T, dir string, logs *syncBuffer) *Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Start(ctx, Options{Dir: dir, Fast: true, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
	return c
}

func selectOne(t *testing.T, c *Cluster) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatalf("connect %s: %v", c.URL("postgres"), err)
	}
	defer conn.Close(ctx)
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
}

func stop(t *testing.T, c *Cluster) {
	t.Helper()
	if err := c.Stop(context.Background()); err != nil {
		t.Fatalf("Stop: %v", err)
	}
}

func TestStartStopRestart(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cluster")
	logs := &syncBuffer{}
	c := start(t, dir, logs)
	if !strings.Contains(c.URL("postgres"), "host="+strings.ReplaceAll(dir, "/", "%2F")) {
		t.Errorf("URL %s: want the socket in %s", c.URL("postgres"), dir)
	}
	selectOne(t, c)
	stop(t, c)
	stop(t, c) // idempotent
	if !strings.Contains(logs.String(), "initialised cluster") {
		t.Errorf("first start did not initdb:\n%s", logs)
	}

	logs2 := &syncBuffer{}
	c = start(t, dir, logs2)
	selectOne(t, c)
	stop(t, c)
	if strings.Contains(logs2.String(), "initialised cluster") {
		t.Errorf("second start ran initdb again:\n%s", logs2)
	}
	if _, err := os.Stat(filepath.Join(dir, "postgres.log")); err != nil {
		t.Errorf("server log: %v", err)
	}

	// A server that will not start: the error carries the end of its log.
	conf, err := os.OpenFile(filepath.Join(dir, "pgdata", "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(conf, "shared_buffers = 'plenty'")
	conf.Close()
	_, err = Start(context.Background(), Options{Dir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), `invalid value for parameter "shared_buffers"`) {
		t.Errorf("Start with a broken config: %v, want the server log's complaint", err)
	}
}

// A server left running by a crashed process is adopted, not started twice.
func TestReuseRunningServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := start(t, dir, &syncBuffer{})
	logs := &syncBuffer{}
	second := start(t, dir, logs)
	if !strings.Contains(logs.String(), "reusing running server") {
		t.Errorf("did not reuse the running server:\n%s", logs)
	}
	if first.URL("x") != second.URL("x") {
		t.Errorf("URL %s, want %s", second.URL("x"), first.URL("x"))
	}
	selectOne(t, second)
	stop(t, second)
	stop(t, first) // already down: nothing to do
}

// A pid file naming a live process that is not our server (pid reuse after a crash, as
// in containers) must not block the start; PostgreSQL alone would refuse.
func TestStalePidFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stop(t, start(t, dir, &syncBuffer{}))
	pidFile := filepath.Join(dir, "pgdata", "postmaster.pid")
	if err := os.WriteFile(pidFile, fmt.Appendf(nil, "1\n%s\n0\n5432\n%s\n\n0 0\nready\n", filepath.Join(dir, "pgdata"), dir), 0o600); err != nil {
		t.Fatal(err)
	}
	c := start(t, dir, &syncBuffer{})
	selectOne(t, c)
	stop(t, c)
}

// A directory too deep for a Unix socket path gets its socket in a private /tmp dir.
func TestLongPath(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	c := start(t, dir, &syncBuffer{})
	if !c.tmpSock || !strings.HasPrefix(c.sock, "/tmp/hearth-pg-") {
		t.Fatalf("socket dir %s for %s", c.sock, dir)
	}
	selectOne(t, c)
	stop(t, c)
	if _, err := os.Stat(c.sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket dir %s left behind: %v", c.sock, err)
	}
}

// An ephemeral cluster goes away with the process that started it, even one that exits
// without stopping it.
func TestEphemeralOutlivesNoProcess(t *testing.T) {
	t.Parallel()
	if dir := os.Getenv("PGCLUSTER_TEST_EPHEMERAL"); dir != "" {
		c, err := Start(context.Background(), Options{Dir: dir, Fast: true, Ephemeral: true, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Println(c.URL("postgres"))
		os.Exit(0) // no Stop: the watchdog must clean up
	}
	dir := filepath.Join(t.TempDir(), "eph")
	cmd := exec.Command(os.Args[0], "-test.run=^TestEphemeralOutlivesNoProcess$")
	cmd.Env = append(os.Environ(), "PGCLUSTER_TEST_EPHEMERAL="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	url := strings.TrimSpace(string(out))
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still exists after the process exited", dir)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, url); err == nil {
		conn.Close(ctx)
		t.Fatalf("server at %s still answers", url)
	}

	// Stop removes an ephemeral cluster's directory itself. (A context of its own: on a
	// loaded machine initdb alone can outlast the probe's five seconds.)
	dir = filepath.Join(t.TempDir(), "eph2")
	c, err := Start(context.Background(), Options{Dir: dir, Fast: true, Ephemeral: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	stop(t, c)
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s left behind: %v", dir, err)
	}
}

func TestNotInstalled(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	if _, err := find(empty, []string{empty}); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("find in an empty dir: %v, want ErrNotInstalled", err)
	}
	_, err := Start(context.Background(), Options{Dir: t.TempDir(), BinDir: empty, Logger: slog.New(slog.DiscardHandler)})
	if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "apt-get install postgresql") ||
		!strings.Contains(err.Error(), "database.address") {
		t.Errorf("Start with an empty BinDir: %v", err)
	}
}

// pg_ctl found through a symlink on PATH leads to the directory of the real binaries.
func TestFindFollowsSymlinks(t *testing.T) {
	t.Parallel()
	real, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	link := t.TempDir()
	if err := os.Symlink(filepath.Join(real, "pg_ctl"), filepath.Join(link, "pg_ctl")); err != nil {
		t.Fatal(err)
	}
	if got, err := find(link, nil); err != nil || got != real {
		t.Errorf("find via %s = %q, %v; want %s", link, got, err, real)
	}
}

func TestSharedBuffers(t *testing.T) {
	for memory, want := range map[uint64]uint64{0: 128, 512 << 20: 128, 4 << 30: 512, 24 << 30: 1024} {
		if got := sharedBuffersMB(memory); got != want {
			t.Errorf("sharedBuffersMB(%d) = %d, want %d", memory, got, want)
		}
	}
	if machineMemory() == 0 {
		t.Error("machineMemory found no MemTotal in /proc/meminfo")
	}
}
