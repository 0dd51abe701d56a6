package nk_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heroiclabs/nakama-common/runtime"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
	"github.com/hearth-server/hearth/nk"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// env is a runtime on a database of the test's own, with the NakamaModule a module
// receives in InitModule: the tests call nk functions exactly as a module does.
type env struct {
	nk   runtime.NakamaModule
	rt   *nk.Runtime
	core *core.Core
	db   *sql.DB
	dir  string
}

func newEnv(t *testing.T, modules ...nk.InitModule) *env {
	t.Helper()
	return newEnvWith(t, envOptions{modules: modules})
}

// envOptions are what some tests change: core's clock, and the scheduler hooks, attached
// to the runtime as the server attaches them.
type envOptions struct {
	now     func() time.Time
	hooks   *nk.ScheduleHooks
	modules []nk.InitModule
	// noStart leaves core unstarted, so no schedule checker runs in the background and
	// the test drives core.LeaderboardSchedules alone.
	noStart bool
}

func newEnvWith(t *testing.T, o envOptions) *env {
	t.Helper()
	pool := dbtest.Pool(t)
	co := core.Options{
		Pool: pool,
		Tokens: core.TokenOptions{
			EncryptionKey:        []byte("test-session-key"),
			RefreshEncryptionKey: []byte("test-refresh-key"),
			TokenExpiry:          time.Minute,
			RefreshTokenExpiry:   time.Hour,
		},
		BcryptCost: 4,
		Now:        o.now,
	}
	if o.hooks != nil {
		co.LeaderboardReset, co.TournamentEnd, co.TournamentReset = o.hooks.LeaderboardReset, o.hooks.TournamentEnd, o.hooks.TournamentReset
	}
	c := core.New(co)
	runCtx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	if !o.noStart {
		if err := c.Start(runCtx); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{core: c, db: stdlib.OpenDBFromPool(pool), dir: t.TempDir()}
	capture := func(ctx context.Context, logger runtime.Logger, db *sql.DB, n runtime.NakamaModule, init runtime.Initializer) error {
		e.nk = n
		return nil
	}
	rt, err := nk.New(context.Background(), nk.Options{
		Core: c, DB: e.db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Node: "node-1",
		Path: e.dir, Modules: append([]nk.InitModule{capture}, o.modules...),
	})
	if err != nil {
		t.Fatal(err)
	}
	rt.Start()
	if o.hooks != nil {
		o.hooks.Attach(rt)
	}
	t.Cleanup(func() { rt.Stop(context.Background()) })
	e.rt = rt
	return e
}

var seq atomic.Int64

// user makes an account through nk and returns its id and username.
func (e *env) user(t *testing.T) (string, string) {
	t.Helper()
	n := seq.Add(1)
	id, name, created, err := e.nk.AuthenticateDevice(context.Background(), fmt.Sprintf("nk-test-device-%06d", n), fmt.Sprintf("nkuser%06d", n), true)
	if err != nil || !created {
		t.Fatalf("authenticate: %v created=%v", err, created)
	}
	return id, name
}

// wantCode asserts err is a *runtime.Error with code (the way core refusals reach modules).
func wantCode(t *testing.T, err error, code int) {
	t.Helper()
	var re *runtime.Error
	if !errors.As(err, &re) {
		t.Fatalf("got %v (%T), want a runtime.Error with code %d", err, err, code)
	}
	if re.Code != code {
		t.Fatalf("got code %d (%q), want %d", re.Code, re.Message, code)
	}
}

// wantArgError asserts err is an argument check's plain error, as Nakama returns them.
func wantArgError(t *testing.T, err error) {
	t.Helper()
	var re *runtime.Error
	if err == nil || errors.As(err, &re) {
		t.Fatalf("got %v, want a plain argument error", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var ctx = context.Background()

const badID = "not-a-uuid"
const unknownID = "00000000-0000-4000-8000-000000000001"

// errOf3 returns the error of a call with two other results.
func errOf3[A, B any](_ A, _ B, err error) error { return err }

func newDiscardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
