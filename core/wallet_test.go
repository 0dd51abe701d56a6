package core_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
)

// walletOf reads a user's stored wallet as GET /v2/account shows it.
func walletOf(t *testing.T, pool *pgxpool.Pool, id uuid.UUID) string {
	t.Helper()
	var w string
	if err := pool.QueryRow(ctx, "SELECT wallet::text FROM users WHERE id = $1", id).Scan(&w); err != nil {
		t.Fatal(err)
	}
	return w
}

// ledgerAll pages through a user's whole ledger.
func ledgerAll(t *testing.T, c *core.Core, id uuid.UUID, limit int) []core.WalletLedgerItem {
	t.Helper()
	var all []core.WalletLedgerItem
	cursor := ""
	for page := 0; page < 100000; page++ {
		items, next, err := c.WalletLedgerList(ctx, id, limit, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) > limit {
			t.Fatalf("page of %d with limit %d", len(items), limit)
		}
		all = append(all, items...)
		if next == "" {
			return all
		}
		cursor = next
	}
	t.Fatal("ledger listing does not end")
	return nil
}

func TestWalletUpdate(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	u := newUsers(t, pool, 1)[0]

	// A new wallet is {}: a debit of a currency it lacks goes below zero and is refused
	// with Nakama's text and the details runtime.WalletNegativeError carries.
	_, _, err := c.WalletUpdate(ctx, u, map[string]int64{"coins": 10, "gems": -5}, nil, true)
	wantCode(t, err, core.CodeFailedPrecondition, "wallet update rejected negative value at path 'gems'")
	var neg *core.WalletNegativeError
	if !errors.As(err, &neg) || *neg != (core.WalletNegativeError{UserID: u, Path: "gems", Current: 0, Amount: -5}) {
		t.Fatalf("cause = %#v", neg)
	}
	if w := walletOf(t, pool, u); w != "{}" {
		t.Fatalf("a refused update changed the wallet to %s", w)
	}

	updated, previous, err := c.WalletUpdate(ctx, u, map[string]int64{"coins": 10, "gems": 5}, map[string]any{"reason": "quest"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"coins": 10, "gems": 5}, updated); diff != "" {
		t.Fatalf("updated (-want +got):\n%s", diff)
	}
	if len(previous) != 0 {
		t.Fatalf("previous = %v", previous)
	}
	updated, previous, err = c.WalletUpdate(ctx, u, map[string]int64{"gems": -5, "keys": 0}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"coins": 10, "gems": 0, "keys": 0}, updated); diff != "" {
		t.Fatalf("updated (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int64{"coins": 10, "gems": 5}, previous); diff != "" {
		t.Fatalf("previous (-want +got):\n%s", diff)
	}
	// The stored wallet, as jsonb renders it (and GET /v2/account returns it).
	if w := walletOf(t, pool, u); w != `{"gems": 0, "keys": 0, "coins": 10}` {
		t.Fatalf("stored wallet %s", w)
	}
	// Only the first update asked for a ledger entry.
	items := ledgerAll(t, c, u, 100)
	if len(items) != 1 {
		t.Fatalf("ledger = %+v", items)
	}
	want := core.WalletLedgerItem{ID: items[0].ID, UserID: u, Changeset: map[string]int64{"coins": 10, "gems": 5}, Metadata: map[string]any{"reason": "quest"},
		CreateTime: items[0].CreateTime, UpdateTime: items[0].UpdateTime}
	if diff := cmp.Diff(want, items[0]); diff != "" || items[0].CreateTime.IsZero() {
		t.Fatalf("ledger entry (-want +got):\n%s", diff)
	}

	// Balances are int64; going past it is refused rather than wrapped.
	if _, _, err := c.WalletUpdate(ctx, u, map[string]int64{"coins": math.MaxInt64 - 10}, nil, false); err != nil {
		t.Fatal(err)
	}
	_, _, err = c.WalletUpdate(ctx, u, map[string]int64{"coins": 1}, nil, false)
	wantCode(t, err, core.CodeInvalidArgument, "wallet update rejected value out of range at path 'coins'")
	_, _, err = c.WalletUpdate(ctx, u, map[string]int64{"coins": math.MinInt64}, nil, false)
	wantCode(t, err, core.CodeFailedPrecondition, "wallet update rejected negative value at path 'coins'")

	// Unknown users.
	_, _, err = c.WalletUpdate(ctx, uuid.New(), map[string]int64{"coins": 1}, nil, true)
	wantCode(t, err, core.CodeNotFound, "user not found")
	_, _, err = c.WalletUpdate(ctx, u, map[string]int64{"coins": -1}, map[string]any{"bad": make(chan int)}, true)
	wantCode(t, err, core.CodeInvalidArgument, "Metadata must be a JSON object.")
}

func TestWalletsUpdate(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	users := newUsers(t, pool, 2)
	a, b := users[0], users[1]
	ghost := uuid.New()

	// All or nothing: b would go negative, so a is not credited either.
	_, err := c.WalletsUpdate(ctx, []core.WalletUpdate{
		{UserID: a, Changeset: map[string]int64{"coins": 100}},
		{UserID: b, Changeset: map[string]int64{"coins": -1}},
	}, true)
	wantCode(t, err, core.CodeFailedPrecondition, "wallet update rejected negative value at path 'coins'")
	if walletOf(t, pool, a) != "{}" || len(ledgerAll(t, c, a, 10)) != 0 {
		t.Fatal("a refused batch credited a")
	}

	// Unknown users are skipped; one user twice applies in order, each result its own.
	results, err := c.WalletsUpdate(ctx, []core.WalletUpdate{
		{UserID: a, Changeset: map[string]int64{"coins": 100}, Metadata: map[string]any{"step": 1}},
		{UserID: ghost, Changeset: map[string]int64{"coins": 1}},
		{UserID: b, Changeset: map[string]int64{"gems": 3}},
		{UserID: a, Changeset: map[string]int64{"coins": -40}, Metadata: map[string]any{"step": 2}},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []core.WalletUpdateResult{
		{UserID: a, Updated: map[string]int64{"coins": 100}, Previous: map[string]int64{}},
		{UserID: b, Updated: map[string]int64{"gems": 3}, Previous: map[string]int64{}},
		{UserID: a, Updated: map[string]int64{"coins": 60}, Previous: map[string]int64{"coins": 100}},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Fatalf("results (-want +got):\n%s", diff)
	}
	if walletOf(t, pool, a) != `{"coins": 60}` || walletOf(t, pool, b) != `{"gems": 3}` {
		t.Fatalf("wallets %s %s", walletOf(t, pool, a), walletOf(t, pool, b))
	}
	if n := len(ledgerAll(t, c, a, 10)); n != 2 {
		t.Fatalf("a has %d ledger entries, want 2", n)
	}
	if results, err := c.WalletsUpdate(ctx, []core.WalletUpdate{{UserID: ghost, Changeset: map[string]int64{"coins": 1}}}, true); err != nil || len(results) != 0 {
		t.Fatalf("only unknown users: %+v %v", results, err)
	}
	if results, err := c.WalletsUpdate(ctx, nil, true); err != nil || results != nil {
		t.Fatalf("no updates: %+v %v", results, err)
	}
}

// TestWalletLedgerPaging: entries written by one transaction share a create_time; paging
// still returns every entry exactly once, newest first.
func TestWalletLedgerPaging(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	users := newUsers(t, pool, 2)
	u := users[0]
	var batch []core.WalletUpdate
	for i := range 9 {
		batch = append(batch, core.WalletUpdate{UserID: u, Changeset: map[string]int64{"coins": int64(i + 1)}, Metadata: map[string]any{"i": i}})
	}
	if _, err := c.WalletsUpdate(ctx, batch, true); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, _, err := c.WalletUpdate(ctx, u, map[string]int64{"coins": 100 + int64(i)}, nil, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := c.WalletUpdate(ctx, users[1], map[string]int64{"coins": 1}, nil, true); err != nil {
		t.Fatal(err)
	}
	reference := ledgerAll(t, c, u, 100)
	if len(reference) != 12 {
		t.Fatalf("%d entries, want 12", len(reference))
	}
	// Newest first: the three single updates, newest first, then the batch.
	for i, want := range []int64{102, 101, 100} {
		if reference[i].Changeset["coins"] != want {
			t.Fatalf("entry %d = %v, want coins %d", i, reference[i].Changeset, want)
		}
	}
	for limit := 1; limit <= 5; limit++ {
		got := ledgerAll(t, c, u, limit)
		if diff := cmp.Diff(reference, got); diff != "" {
			t.Fatalf("limit %d (-want +got):\n%s", limit, diff)
		}
	}

	_, next, err := c.WalletLedgerList(ctx, u, 2, "")
	if err != nil || next == "" {
		t.Fatal(next, err)
	}
	for _, cursor := range []string{"garbage!", "AAAA", next[:len(next)-2]} {
		_, _, err := c.WalletLedgerList(ctx, u, 2, cursor)
		wantCode(t, err, core.CodeInvalidArgument, "wallet ledger cursor invalid")
	}
	_, _, err = c.WalletLedgerList(ctx, users[1], 2, next) // another user's cursor
	wantCode(t, err, core.CodeInvalidArgument, "wallet ledger cursor invalid")
	for _, limit := range []int{-1, 101} {
		_, _, err := c.WalletLedgerList(ctx, u, limit, "")
		wantCode(t, err, core.CodeInvalidArgument, "expects limit to be 0-100")
	}
	if items, next, err := c.WalletLedgerList(ctx, u, 0, ""); err != nil || len(items) != 0 || next != "" {
		t.Fatalf("limit 0: %v %q %v", items, next, err)
	}
}

func TestWalletLedgerUpdate(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	u := newUsers(t, pool, 1)[0]
	if _, _, err := c.WalletUpdate(ctx, u, map[string]int64{"coins": 5}, map[string]any{"a": 1, "b": "keep"}, true); err != nil {
		t.Fatal(err)
	}
	entry := ledgerAll(t, c, u, 10)[0]
	item, err := c.WalletLedgerUpdate(ctx, entry.ID, map[string]any{"a": 2, "note": "refunded"})
	if err != nil {
		t.Fatal(err)
	}
	// Merged, and the whole entry comes back (Nakama's reply lacks the id and metadata).
	want := core.WalletLedgerItem{ID: entry.ID, UserID: u, Changeset: map[string]int64{"coins": 5},
		Metadata:   map[string]any{"a": json.Number("2"), "b": "keep", "note": "refunded"},
		CreateTime: entry.CreateTime, UpdateTime: item.UpdateTime}
	if diff := cmp.Diff(want, item); diff != "" {
		t.Fatalf("item (-want +got):\n%s", diff)
	}
	if item.UpdateTime.Before(entry.UpdateTime) {
		t.Fatalf("update time went back: %v < %v", item.UpdateTime, entry.UpdateTime)
	}
	if listed := ledgerAll(t, c, u, 10)[0]; !cmp.Equal(listed.Metadata, item.Metadata) {
		t.Fatalf("listed metadata %v", listed.Metadata)
	}
	_, err = c.WalletLedgerUpdate(ctx, uuid.New(), map[string]any{"x": 1})
	wantCode(t, err, core.CodeNotFound, "Wallet ledger item not found.")
}

// TestWalletConcurrentIncrements: 10,000 increments of one user's wallet from 32
// goroutines lose nothing, and the ledger holds exactly one entry for each.
func TestWalletConcurrentIncrements(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("10,000 transactions")
	}
	const goroutines, total = 32, 10000
	c, pool := poolCore(t, goroutines)
	u := newUsers(t, pool, 1)[0]
	var next atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for next.Add(1) <= total {
				if _, _, err := c.WalletUpdate(ctx, u, map[string]int64{"coins": 1, "xp": 3}, map[string]any{"source": "test"}, true); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if w := walletOf(t, pool, u); w != `{"xp": 30000, "coins": 10000}` {
		t.Fatalf("wallet after %d increments: %s", total, w)
	}
	items := ledgerAll(t, c, u, 100)
	ids := map[uuid.UUID]bool{}
	for _, it := range items {
		ids[it.ID] = true
	}
	if len(items) != total || len(ids) != total {
		t.Fatalf("ledger lists %d entries (%d distinct), want %d", len(items), len(ids), total)
	}
}

// TestWalletConcurrentDebits: 32 goroutines spend from a balance of 100, 300 attempts in
// all: exactly 100 succeed and the balance never goes below zero.
func TestWalletConcurrentDebits(t *testing.T) {
	t.Parallel()
	const goroutines, attempts = 32, 300
	c, pool := poolCore(t, goroutines)
	u := newUsers(t, pool, 1)[0]
	if _, _, err := c.WalletUpdate(ctx, u, map[string]int64{"coins": 100}, nil, false); err != nil {
		t.Fatal(err)
	}
	var next, spent, refused atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for next.Add(1) <= attempts {
				_, _, err := c.WalletUpdate(ctx, u, map[string]int64{"coins": -1}, nil, true)
				var neg *core.WalletNegativeError
				switch {
				case err == nil:
					spent.Add(1)
				case errors.As(err, &neg):
					refused.Add(1)
				default:
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if spent.Load() != 100 || refused.Load() != attempts-100 || walletOf(t, pool, u) != `{"coins": 0}` {
		t.Fatalf("spent %d, refused %d, wallet %s", spent.Load(), refused.Load(), walletOf(t, pool, u))
	}
	if n := len(ledgerAll(t, c, u, 100)); n != 100 {
		t.Fatalf("%d ledger entries, want 100", n)
	}
}

// BenchmarkWalletUpdate measures one ledgered wallet update, from parallel goroutines
// (GOMAXPROCS × -cpu), on one hot user (every update waits for the row lock) and spread
// over distinct users.
func BenchmarkWalletUpdate(b *testing.B) {
	c, pool := poolCore(b, 32)
	users := newUsers(b, pool, 1000)
	change := map[string]int64{"coins": 1}
	meta := map[string]any{"source": "bench"}
	b.Run("hot-user", func(b *testing.B) {
		b.SetParallelism(16) // 16 × GOMAXPROCS goroutines contend for one row
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := c.WalletUpdate(ctx, users[0], change, meta, true); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("distinct-users", func(b *testing.B) {
		b.SetParallelism(16)
		var next atomic.Uint64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				u := users[next.Add(1)%uint64(len(users))]
				if _, _, err := c.WalletUpdate(ctx, u, change, meta, true); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// TestWalletsUpdateOverlappingUsers: concurrent batches touching the same users in
// different orders, some of them multi-updates that also write those users' storage,
// neither deadlock nor lose an increment.
func TestWalletsUpdateOverlappingUsers(t *testing.T) {
	t.Parallel()
	const goroutines, rounds = 24, 40
	c, pool := poolCore(t, goroutines)
	users := newUsers(t, pool, 3)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				a, b := users[(g+r)%3], users[(g+r+1)%3]
				updates := []core.WalletUpdate{{UserID: b, Changeset: map[string]int64{"coins": 1}}, {UserID: a, Changeset: map[string]int64{"coins": 1}}}
				var err error
				if g%2 == 0 {
					_, err = c.WalletsUpdate(ctx, updates, true)
				} else {
					_, _, err = c.MultiUpdate(ctx, nil, []core.StorageWrite{
						{Collection: "progress", Key: "round", UserID: a, Value: fmt.Sprintf(`{"g":%d,"r":%d}`, g, r)},
						{Collection: "progress", Key: "round", UserID: b, Value: fmt.Sprintf(`{"g":%d,"r":%d}`, g, r)},
					}, nil, updates, true)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	total := int64(0)
	ledger := 0
	for _, u := range users {
		var coins int64
		if err := pool.QueryRow(ctx, "SELECT (wallet->>'coins')::bigint FROM users WHERE id = $1", u).Scan(&coins); err != nil {
			t.Fatal(err)
		}
		total += coins
		ledger += len(ledgerAll(t, c, u, 100))
	}
	if want := int64(goroutines * rounds * 2); total != want || ledger != int(want) {
		t.Fatalf("coins %d, ledger entries %d; want %d of each", total, ledger, want)
	}
}
