package core_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
)

// clock is a settable test clock. Core's schedule checker reads it from its own
// goroutine, hence the lock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newCore returns a Core on a fresh database of its own.
func newCore(t *testing.T) (*core.Core, *clock) {
	t.Helper()
	c, clk, _ := newCoreWithPool(t)
	return c, clk
}

// newCoreWithPool also returns the pool, for tests that arrange rows directly.
func newCoreWithPool(t *testing.T) (*core.Core, *clock, *pgxpool.Pool) {
	t.Helper()
	return newCoreWith(t, core.Options{})
}

// newCoreWith builds a started Core on a fresh database; o's zero fields get test values.
func newCoreWith(t *testing.T, o core.Options) (*core.Core, *clock, *pgxpool.Pool) {
	t.Helper()
	clk := newClock(time.Now().Truncate(time.Second))
	pool := dbtest.Pool(t)
	c := core.New(core.Options{
		SingleSession:  o.SingleSession,
		Lockout:        o.Lockout,
		Social:         o.Social,
		FriendImporter: o.FriendImporter,
		Pool:           pool,
		Tokens: core.TokenOptions{
			EncryptionKey:        []byte("test-session-key"),
			RefreshEncryptionKey: []byte("test-refresh-key"),
			TokenExpiry:          time.Minute,
			RefreshTokenExpiry:   time.Hour,
		},
		BcryptCost: 4,
		Now:        clk.now,
	})
	runCtx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	if err := c.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	return c, clk, pool
}

// wantCode fails unless err is a *core.Error with the given code and message.
func wantCode(t *testing.T, err error, code core.Code, message string) {
	t.Helper()
	var e *core.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *core.Error code %d %q", err, code, message)
	}
	if e.Code != code || e.Message != message {
		t.Fatalf("error = code %d %q, want code %d %q", e.Code, e.Message, code, message)
	}
}

var ctx = context.Background()
