// Package dbtest gives tests real PostgreSQL databases: Hearth has no database mocks.
// Each test gets a database of its own, cloned from a template that holds the migrated
// schema, so tests run in parallel without seeing each other's rows.
//
// The server is the one HEARTH_TEST_DATABASE_URL names, if set (`make test` runs
// `go run ./internal/dbtest/cmd/pgtest -- go test ./...`, which sets it for one shared
// throwaway cluster). Otherwise each test binary starts a private throwaway cluster on
// first use; packages stop it at the end with
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
//
// (without Main a watchdog still removes it once the test binary has exited).
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/hearth-server/hearth/internal/pgcluster"
	"github.com/hearth-server/hearth/queries"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/internal/pguuid"
)

// EnvURL names the variable holding the URL of a server on which the tests may CREATE
// DATABASE. Its database is used only to run CREATE and DROP DATABASE; test databases
// are reached through the same URL with the database name replaced.
const EnvURL = "HEARTH_TEST_DATABASE_URL"

// templateLock serialises template creation among test binaries sharing a server. It is
// taken in the admin database, so it cannot meet queries' migration lock.
const templateLock = 7350_0002

// server is what the tests of one binary share.
type server struct {
	base     string // admin URL
	admin    *pgxpool.Pool
	template string
	cluster  *pgcluster.Cluster // nil when the server is not ours
}

var state struct {
	sync.Mutex
	srv  *server
	err  error
	done bool
}

// get sets the server up on first use and returns it, or the error that stopped it.
func get(t testing.TB) *server {
	t.Helper()
	state.Lock()
	defer state.Unlock()
	if !state.done {
		state.done = true
		began := time.Now()
		state.srv, state.err = setup()
		if state.err == nil {
			t.Logf("dbtest: server and template %s ready in %s", state.srv.template, time.Since(began).Round(time.Millisecond))
		}
	}
	if state.err != nil {
		t.Fatalf("dbtest: %v", state.err)
	}
	return state.srv
}

func setup() (_ *server, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := &server{base: os.Getenv(EnvURL), template: "hearth_tpl_" + queries.SchemaHash()}
	if s.base == "" {
		dir, err := os.MkdirTemp("", "hearth-dbtest-")
		if err != nil {
			return nil, err
		}
		s.cluster, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Fast: true, Ephemeral: true,
			Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("start a private PostgreSQL (or set %s): %w", EnvURL, err)
		}
		s.base = s.cluster.URL("postgres")
	}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	cfg, err := pgxpool.ParseConfig(s.base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	cfg.MaxConns = 4 // CREATE/DROP DATABASE only
	if s.admin, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, fmt.Errorf("connect to test server: %w", err)
	}
	if err := s.ensureTemplate(ctx); err != nil {
		return nil, fmt.Errorf("template database %s: %w", s.template, err)
	}
	return s, nil
}

// ensureTemplate creates and migrates the template unless another binary already has.
// It is built under a temporary name and renamed when complete, so a template that
// exists is always whole, even after a crash mid-way.
func (s *server) ensureTemplate(ctx context.Context) error {
	conn, err := s.admin.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", templateLock) //nolint:errcheck // released with the session anyway
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", s.template).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	tmp := s.template + "_new"
	for _, sql := range []string{
		"DROP DATABASE IF EXISTS " + ident(tmp) + " WITH (FORCE)",
		"CREATE DATABASE " + ident(tmp),
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return err
		}
	}
	if err := migrate(ctx, dbURL(s.base, tmp)); err != nil {
		return err
	}
	// No connections to the template, ever: CREATE DATABASE ... TEMPLATE fails while
	// anyone is connected to it. IS_TEMPLATE lets non-owners with CREATEDB clone it.
	for _, sql := range []string{
		"ALTER DATABASE " + ident(tmp) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
		"ALTER DATABASE " + ident(tmp) + " RENAME TO " + ident(s.template),
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return err
		}
	}
	return nil
}

func migrate(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := queries.Up(ctx, conn); err != nil {
		return err
	}
	return conn.Close(ctx)
}

func (s *server) close() {
	if s.admin != nil {
		s.admin.Close()
	}
	if s.cluster != nil {
		if err := s.cluster.Stop(context.Background()); err != nil {
			fmt.Fprintf(os.Stderr, "dbtest: %v\n", err)
		}
	}
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

// dbURL is base with its database replaced by name; base is a URL or a key=value DSN.
func dbURL(base, name string) string {
	if u, err := url.Parse(base); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path, u.RawPath = "/"+name, ""
		return u.String()
	}
	return base + " dbname=" + name // the last setting wins
}

// URL creates a database for the test, a clone of the migrated template, and returns
// its URL. The database is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	s := get(t)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "hearth_t_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.admin.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(s.template)); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE: a connection the test leaked must not keep its database alive.
		if _, err := s.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
	})
	return dbURL(s.base, name)
}

// Pool returns a pool on a fresh database of the test's own (see URL), closed when the
// test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	u := URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := pgxpool.ParseConfig(u)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	// The same connection setup as the server's, so tests exercise the same encoding.
	cfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		pguuid.Register(conn.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Main runs the tests of a package, then stops the private cluster if the tests started
// one, and exits with the tests' code. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	state.Lock()
	if state.srv != nil {
		state.srv.close()
	}
	state.Unlock()
	os.Exit(code)
}
