// Package pgcluster runs a private PostgreSQL cluster for Hearth: it finds the server
// binaries, initialises a data directory on first use, starts the server listening on a
// Unix socket only, and stops it again. It serves the embedded database of a dev or
// single-box install and the throwaway clusters of tests.
//
// Layout of a cluster directory Dir:
//
//	Dir/pgdata/              the PostgreSQL data directory (PGDATA)
//	Dir/pgdata/hearth.conf   settings rewritten at every start (socket, durability)
//	Dir/postgres.log         the server's log
//	Dir/.s.PGSQL.5432        the socket, or in /tmp/hearth-pg-* if Dir's path is too long
//
// The superuser is "postgres", and local (socket) connections are trusted: nothing
// listens on TCP, and Dir (so the socket) is private (0700) to the server's user. When Hearth
// runs as root, the server runs as the "postgres" system user (PostgreSQL refuses root),
// which then owns Dir.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNotInstalled is wrapped by the errors Find and Start return when no PostgreSQL
// server binaries can be found.
var ErrNotInstalled = errors.New("PostgreSQL server not found: install it (on Debian/Ubuntu: apt-get install postgresql) " +
	"or set database.address to use an existing server")

const (
	superuser = "postgres"
	port      = 5432
	// maxSocketPath is the longest socket path we use: sun_path holds 108 bytes on Linux
	// and 104 on macOS, including the terminating NUL.
	maxSocketPath  = 103
	socketName     = ".s.PGSQL.5432"
	defaultTimeout = 60 * time.Second
	maxLogSize     = 16 << 20
)

// Options says where and how to run a cluster.
type Options struct {
	// Dir is the cluster directory; it is created if missing and initialised on first use.
	Dir string
	// Logger receives progress messages; nil means slog.Default().
	Logger *slog.Logger
	// Fast trades durability for speed (fsync, synchronous_commit and full_page_writes
	// off): a crash of the machine may corrupt the cluster. For tests only.
	Fast bool
	// BinDir holds pg_ctl, initdb and postgres; empty means Find.
	BinDir string
	// Ephemeral makes the cluster a throwaway: when this process exits, however it exits
	// (even killed), a watchdog process stops the server and deletes Dir.
	Ephemeral bool
}

// Cluster is a running PostgreSQL server started (or found running) by Start.
type Cluster struct {
	dir, data, sock, bin, logFile string
	tmpSock                       bool // sock is a private directory under /tmp, removed on Stop
	owner                         owner
	log                           *slog.Logger
	ephemeral                     bool
	watchdogPipe                  *os.File // closing it (or exiting) wakes the watchdog
	watchdogDone                  chan struct{}

	mu      sync.Mutex
	stopped bool
}

// Find locates a directory holding pg_ctl, initdb and postgres: the one pg_ctl on PATH
// lives in, else the newest /usr/lib/postgresql/*/bin, else /usr/local/pgsql/bin.
func Find() (string, error) {
	return find(os.Getenv("PATH"), candidates())
}

// candidates lists the well-known install directories, newest version first.
func candidates() []string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(d string) float64 {
		v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(d)), 64)
		if err != nil {
			return math.Inf(-1)
		}
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int {
		if va, vb := version(a), version(b); va != vb {
			if va > vb {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return append(dirs, "/usr/local/pgsql/bin")
}

func find(path string, candidates []string) (string, error) {
	var dirs []string
	for _, d := range filepath.SplitList(path) {
		if p, err := filepath.EvalSymlinks(filepath.Join(d, "pg_ctl")); err == nil {
			// Resolve symlinks: a /usr/local/bin/pg_ctl link must lead to the directory
			// that also holds postgres and initdb.
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	for _, d := range append(dirs, candidates...) {
		if hasBinaries(d) {
			return d, nil
		}
	}
	return "", ErrNotInstalled
}

func hasBinaries(dir string) bool {
	for _, name := range []string{"pg_ctl", "initdb", "postgres"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// owner is the system user the server runs as.
type owner struct {
	uid, gid int
	home     string
	cred     *syscall.Credential // nil: run as ourselves
}

func serverOwner() (owner, error) {
	if os.Geteuid() != 0 {
		return owner{uid: os.Geteuid(), gid: os.Getegid(), home: os.Getenv("HOME")}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return owner{}, fmt.Errorf("PostgreSQL refuses to run as root and there is no postgres user to run it as "+
			"(it comes with the server package): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return owner{uid: uid, gid: gid, home: u.HomeDir,
		cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}, nil
}

// Start initialises Dir if needed and starts the server, or reuses one left running on
// Dir by an earlier process. The start is bounded by ctx's deadline, else one minute.
func Start(ctx context.Context, o Options) (*Cluster, error) {
	if o.Dir == "" {
		return nil, errors.New("pgcluster: no directory given")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("cluster directory %s: %w", o.Dir, err)
	}
	c := &Cluster{dir: dir, data: filepath.Join(dir, "pgdata"), logFile: filepath.Join(dir, "postgres.log"),
		bin: o.BinDir, log: o.Logger, ephemeral: o.Ephemeral}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.owner, err = serverOwner(); err != nil {
		return nil, err
	}
	if err := c.prepareDir(); err != nil {
		return nil, err
	}
	// Serialise Starts on one Dir across processes, so two never initdb or start it at once.
	unlock, err := lockFile(filepath.Join(dir, "start.lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := c.pickBinDir(); err != nil {
		return nil, err
	}
	if err := c.initdb(ctx, o.Fast); err != nil {
		return nil, err
	}
	reused, err := c.reuse(ctx, o.Fast)
	if err != nil {
		return nil, err
	}
	if !reused {
		if err := c.start(ctx, o.Fast); err != nil {
			c.removeTmpSock()
			return nil, err
		}
	}
	if err := c.startWatchdog(); err != nil {
		_ = c.Stop(context.Background())
		return nil, err
	}
	return c, nil
}

// prepareDir creates Dir, hands it to the server's user and lets that user reach it.
func (c *Cluster) prepareDir() error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("create cluster directory: %w", err)
	}
	// Trust auth on the socket is safe only while no one else can reach it.
	if err := os.Chmod(c.dir, 0o700); err != nil {
		return fmt.Errorf("cluster directory: %w", err)
	}
	if c.owner.cred == nil {
		return nil
	}
	if err := os.Chown(c.dir, c.owner.uid, c.owner.gid); err != nil {
		return fmt.Errorf("hand %s to the postgres user: %w", c.dir, err)
	}
	// The server's user must traverse every parent (t.TempDir and /root are 0700 root).
	for p := filepath.Dir(c.dir); ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("cluster directory parent: %w", err)
		}
		sys := st.Sys().(*syscall.Stat_t)
		m := st.Mode().Perm()
		ok := m&0o001 != 0 || (int(sys.Uid) == c.owner.uid && m&0o100 != 0) || (int(sys.Gid) == c.owner.gid && m&0o010 != 0)
		if !ok {
			c.log.Info("pgcluster: letting the postgres user traverse a parent directory", "dir", p)
			if err := os.Chmod(p, st.Mode()|0o001); err != nil {
				return fmt.Errorf("let the postgres user traverse %s: %w", p, err)
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// pickBinDir settles the binaries, preferring the version an existing data directory was
// made with, so a newly installed major version does not lock out an old cluster.
func (c *Cluster) pickBinDir() error {
	if c.bin != "" {
		if !hasBinaries(c.bin) {
			return fmt.Errorf("no pg_ctl, initdb and postgres in %s: %w", c.bin, ErrNotInstalled)
		}
		return nil
	}
	if v, err := os.ReadFile(filepath.Join(c.data, "PG_VERSION")); err == nil {
		if d := filepath.Join("/usr/lib/postgresql", strings.TrimSpace(string(v)), "bin"); hasBinaries(d) {
			c.bin = d
			return nil
		}
	}
	var err error
	c.bin, err = Find()
	return err
}

// command prepares a PostgreSQL program to run as the server's user, with a clean
// environment: stray PG* variables (PGDATA, PGPORT...) must not steer it.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return c.asOwner(exec.CommandContext(ctx, filepath.Join(c.bin, name), args...))
}

func (c *Cluster) asOwner(cmd *exec.Cmd) *exec.Cmd {
	cmd.Dir = c.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") && !strings.HasPrefix(kv, "HOME=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	home := c.owner.home
	if home == "" {
		home = c.dir
	}
	cmd.Env = append(cmd.Env, "HOME="+home)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.owner.cred}
	return cmd
}

// writeFile writes a file the server's user owns.
func (c *Cluster) writeFile(path, content string, flag int) error {
	f, err := os.OpenFile(path, flag|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && c.owner.cred != nil {
		err = os.Chown(path, c.owner.uid, c.owner.gid)
	}
	return err
}

// initdb creates the data directory unless it exists. It builds it under a temporary
// name and renames it when complete, so a crash mid-way never leaves a half-made cluster.
func (c *Cluster) initdb(ctx context.Context, fast bool) error {
	if _, err := os.Stat(filepath.Join(c.data, "PG_VERSION")); err == nil {
		return nil
	}
	began := time.Now()
	tmp := c.data + ".init"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("initdb %s: %w", c.dir, err)
	}
	args := []string{"-D", tmp, "-U", superuser, "--auth-local=trust", "--auth-host=reject",
		"--encoding=UTF8", "--locale=C", "--no-instructions"}
	if fast {
		args = append(args, "--no-sync") // saves a second or more; Fast gives up crash safety anyway
	}
	out, err := c.command(ctx, "initdb", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb %s: %w\n%s", c.dir, err, tail(out, 2000))
	}
	if err := c.writeFile(filepath.Join(tmp, "postgresql.conf"), "\ninclude_if_exists = 'hearth.conf'\n", os.O_APPEND); err != nil {
		return fmt.Errorf("initdb %s: %w", c.dir, err)
	}
	if err := os.RemoveAll(c.data); err != nil {
		return fmt.Errorf("initdb %s: %w", c.dir, err)
	}
	if err := os.Rename(tmp, c.data); err != nil {
		return fmt.Errorf("initdb %s: %w", c.dir, err)
	}
	c.log.Info("pgcluster: initialised cluster", "dir", c.dir, "took", time.Since(began).Round(time.Millisecond))
	return nil
}

// writeConf writes the settings that may change from one start to the next.
func (c *Cluster) writeConf(fast bool) error {
	onOff := map[bool]string{true: "off", false: "on"}[fast]
	conf := fmt.Sprintf("# Rewritten by Hearth at every start: edit postgresql.conf instead.\n"+
		"listen_addresses = ''\nport = %d\nunix_socket_directories = '%s'\nunix_socket_permissions = 0700\n"+
		"fsync = %s\nsynchronous_commit = %s\nfull_page_writes = %s\nshared_buffers = %dMB\n",
		port, strings.ReplaceAll(c.sock, "'", "''"), onOff, onOff, onOff, sharedBuffersMB(machineMemory()))
	if err := c.writeFile(filepath.Join(c.data, "hearth.conf"), conf, os.O_TRUNC); err != nil {
		return fmt.Errorf("write hearth.conf: %w", err)
	}
	return nil
}

// sharedBuffersMB sizes PostgreSQL's buffer cache for the machine: an eighth of its
// memory, between 128 MiB (PostgreSQL's default) and 1 GiB. At the default, a
// leaderboard of a million records and its indexes did not fit, and listing a page
// meant reading table pages from the kernel's cache (list 100 at ~430 PostgreSQL µs).
func sharedBuffersMB(memory uint64) uint64 {
	return min(max(memory/8>>20, 128), 1024)
}

// machineMemory is the machine's total memory in bytes, 0 when unknown.
func machineMemory() uint64 {
	raw, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			var kib uint64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kib); err == nil {
				return kib << 10
			}
		}
	}
	return 0
}

// reuse adopts a server an earlier process left running on this data directory, once
// it answers. Otherwise it clears what a dead one left behind, so the start goes cleanly.
func (c *Cluster) reuse(ctx context.Context, fast bool) (bool, error) {
	pid, lines := c.pidFile()
	if lines == nil {
		return false, nil
	}
	// PostgreSQL itself ignores a stale pid file only if its pid is free; after a reboot
	// or in a container that pid often belongs to someone else, and the start would fail.
	if pid <= 0 || !c.isPostmaster(pid) {
		c.log.Info("pgcluster: removing stale pid file", "dir", c.dir, "pid", pid)
		for _, f := range []string{filepath.Join(c.data, "postmaster.pid"), filepath.Join(c.dir, socketName), filepath.Join(c.dir, socketName+".lock")} {
			_ = os.Remove(f)
		}
		return false, nil
	}
	if len(lines) < 5 || lines[4] == "" {
		return false, fmt.Errorf("postgres (pid %d) runs on %s without a socket", pid, c.dir)
	}
	c.sock, c.tmpSock = lines[4], lines[4] != c.dir
	// It may still be starting or recovering from a crash: give it the start timeout.
	deadline := time.Now().Add(defaultTimeout)
	if dl, ok := ctx.Deadline(); ok {
		deadline = dl
	}
	for c.ping(ctx) != nil {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false, fmt.Errorf("postgres (pid %d) runs on %s but does not answer; see %s", pid, c.dir, c.logFile)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The socket is fixed for the server's life, but durability can change.
	if err := c.writeConf(fast); err != nil {
		return false, err
	}
	if err := c.exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		return false, fmt.Errorf("reload postgres in %s: %w", c.dir, err)
	}
	c.log.Info("pgcluster: reusing running server", "dir", c.dir, "pid", pid)
	return true, nil
}

// isPostmaster tells whether pid is a live server on our data directory: the postmaster
// works in its data directory. Without /proc, any live process counts.
func (c *Cluster) isPostmaster(pid int) bool {
	if _, err := os.Stat("/proc/self/cwd"); err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	cwd, _ := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	return cwd == c.data
}

func (c *Cluster) ping(ctx context.Context) error {
	return c.exec(ctx, "SELECT 1")
}

func (c *Cluster) exec(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// start runs pg_ctl start and waits until the server accepts connections.
func (c *Cluster) start(ctx context.Context, fast bool) error {
	c.sock = c.dir
	if len(c.dir)+1+len(socketName) > maxSocketPath {
		// Too long for a socket path: use a private short directory instead.
		sock, err := os.MkdirTemp("/tmp", "hearth-pg-")
		if err != nil {
			return fmt.Errorf("socket directory: %w", err)
		}
		c.sock, c.tmpSock = sock, true
		if c.owner.cred != nil {
			if err := os.Chown(sock, c.owner.uid, c.owner.gid); err != nil {
				return fmt.Errorf("socket directory: %w", err)
			}
		}
	}
	if err := c.writeConf(fast); err != nil {
		return err
	}
	if st, err := os.Stat(c.logFile); err == nil && st.Size() > maxLogSize {
		_ = os.Rename(c.logFile, c.logFile+".old")
	}
	var logStart int64
	if st, err := os.Stat(c.logFile); err == nil {
		logStart = st.Size()
	}
	began := time.Now()
	out, err := c.command(ctx, "pg_ctl", "start", "-w", "-t", timeoutSecs(ctx), "-s",
		"-D", c.data, "-l", c.logFile).CombinedOutput()
	if err != nil {
		// A timed-out start leaves the server starting: do not leave it behind.
		_ = c.command(context.Background(), "pg_ctl", "stop", "-m", "immediate", "-s", "-D", c.data).Run()
		return fmt.Errorf("start postgres in %s: %w\n%s\nserver log %s ends:\n%s", c.dir, err,
			strings.TrimSpace(string(out)), c.logFile, c.logTail(logStart))
	}
	c.log.Info("pgcluster: started server", "dir", c.dir, "socket", c.sock, "fast", fast,
		"took", time.Since(began).Round(time.Millisecond))
	return nil
}

func timeoutSecs(ctx context.Context) string {
	d := defaultTimeout
	if dl, ok := ctx.Deadline(); ok {
		d = max(time.Until(dl), time.Second)
	}
	return strconv.Itoa(int(d.Seconds()))
}

// logTail returns the end of what the server logged since offset from.
func (c *Cluster) logTail(from int64) string {
	f, err := os.Open(c.logFile)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return err.Error()
	}
	b, _ := io.ReadAll(f)
	return tail(b, 3000)
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}

// watchdogScript waits for its stdin to close, then shuts the server down at once
// (SIGQUIT to the postmaster) and removes the cluster. It signals rather than running
// pg_ctl so that it can run as us: as root, only we may remove Dir from its parent.
const watchdogScript = `read x
pid=$(head -n 1 "$0/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null &&
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
rm -rf "$1" ${2:+"$2"}`

// startWatchdog, for an ephemeral cluster, starts a shell that waits for this process
// to go away (its stdin pipe closes) and then stops the server and removes Dir. It runs
// in its own process group so the Ctrl-C that kills us does not kill it too, and
// without our stdout, which `go test` would otherwise wait for.
func (c *Cluster) startWatchdog() error {
	if !c.ephemeral {
		return nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("watchdog: %w", err)
	}
	defer r.Close()
	sock := ""
	if c.tmpSock {
		sock = c.sock
	}
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, c.data, c.dir, sock)
	cmd.Dir, cmd.Stdin = "/", r
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return fmt.Errorf("watchdog: %w", err)
	}
	c.watchdogPipe, c.watchdogDone = w, make(chan struct{})
	go func() { _ = cmd.Wait(); close(c.watchdogDone) }()
	return nil
}

// URL returns a pgx connection URL for database dbname on this cluster, as superuser.
func (c *Cluster) URL(dbname string) string {
	u := url.URL{Scheme: "postgres", User: url.User(superuser), Path: "/" + dbname,
		RawQuery: url.Values{"host": {c.sock}, "port": {strconv.Itoa(port)}, "sslmode": {"disable"}}.Encode()}
	return u.String()
}

// Stop shuts the server down (fast mode: sessions are ended, work in progress rolled
// back) and waits for it to exit. Stopping a stopped cluster does nothing. An ephemeral
// cluster's directory is removed too.
func (c *Cluster) Stop(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	began := time.Now()
	out, err := c.command(ctx, "pg_ctl", "stop", "-w", "-t", timeoutSecs(ctx), "-s", "-m", "fast", "-D", c.data).CombinedOutput()
	if err != nil && c.running() {
		return fmt.Errorf("stop postgres in %s: %w\n%s", c.dir, err, strings.TrimSpace(string(out)))
	}
	c.stopped = true
	c.removeTmpSock()
	if c.ephemeral {
		c.watchdogPipe.Close()
		select {
		case <-c.watchdogDone:
		case <-ctx.Done():
		}
		if err := os.RemoveAll(c.dir); err != nil {
			return fmt.Errorf("remove cluster directory: %w", err)
		}
	}
	c.log.Info("pgcluster: stopped server", "dir", c.dir, "took", time.Since(began).Round(time.Millisecond))
	return nil
}

// running tells whether a server still runs on the data directory: pg_ctl also fails
// when there is nothing to stop.
func (c *Cluster) running() bool {
	pid, _ := c.pidFile()
	return pid > 0 && c.isPostmaster(pid)
}

// pidFile reads postmaster.pid: the pid, then the data directory, start time, port,
// socket directory...; no lines if there is none.
func (c *Cluster) pidFile() (int, []string) {
	b, err := os.ReadFile(filepath.Join(c.data, "postmaster.pid"))
	if err != nil {
		return 0, nil
	}
	lines := strings.Split(string(b), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	return pid, lines
}

func (c *Cluster) removeTmpSock() {
	if c.tmpSock {
		_ = os.Remove(c.sock) // only if empty: the server removes its socket on exit
	}
}
