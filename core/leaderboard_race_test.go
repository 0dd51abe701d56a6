package core_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/rank"
	"github.com/hearth-server/hearth/gen/db"
)

// dbEntries returns a descending board's records in the database, in rank order.
func dbEntries(t *testing.T, pool *pgxpool.Pool, board string) []rank.Entry {
	t.Helper()
	rows, err := pool.Query(ctx, `SELECT owner_id, score, subscore FROM leaderboard_record WHERE leaderboard_id = $1
		ORDER BY score DESC, subscore DESC, owner_id DESC`, board)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []rank.Entry
	for rows.Next() {
		var e rank.Entry
		if err := rows.Scan(&e.Owner, &e.Score, &e.Subscore); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantRanked fails unless the database holds exactly want's records of the board (in
// rank order) and the rank cache holds the same (nothing when ranks are disabled).
func wantRanked(t *testing.T, c *core.Core, pool *pgxpool.Pool, board string, ranked bool, want []rank.Entry) {
	t.Helper()
	if diff := cmp.Diff(want, dbEntries(t, pool, board)); diff != "" {
		t.Errorf("%s: records in the database (-want +got):\n%s", board, diff)
	}
	cached := want
	if !ranked {
		cached = nil
	}
	if diff := cmp.Diff(cached, core.RankEntries(c, board)); diff != "" {
		t.Errorf("%s: rank cache (-want +got):\n%s", board, diff)
	}
}

// raceBoards creates a leaderboard, one with ranks disabled, a tournament and one that
// must be joined, all descending, and returns how to write to (or join) each.
func raceBoards(t *testing.T, c *core.Core) []raceBoard {
	t.Helper()
	mustBoard(t, c, core.LeaderboardConfig{ID: "lb", SortOrder: core.SortDescending, Operator: core.OperatorSet})
	mustBoard(t, c, core.LeaderboardConfig{ID: "unranked", SortOrder: core.SortDescending, Operator: core.OperatorSet, DisableRanks: true})
	mustTournament(t, c, core.TournamentConfig{ID: "tn", SortOrder: core.SortDescending, Operator: core.OperatorSet, Duration: 3600, MaxSize: 1000, MaxNumScore: 1000})
	mustTournament(t, c, core.TournamentConfig{ID: "tj", SortOrder: core.SortDescending, Operator: core.OperatorSet, Duration: 3600, JoinRequired: true, MaxSize: 1000, MaxNumScore: 1000})
	board := func(id string) func(uuid.UUID, int64) error {
		return func(o uuid.UUID, score int64) error {
			_, err := c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: id, OwnerID: o, Score: score, Server: true})
			return err
		}
	}
	tournament := func(id string) func(uuid.UUID, int64) error {
		return func(o uuid.UUID, score int64) error {
			_, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: id, OwnerID: o, Score: score, Server: true})
			return err
		}
	}
	join := func(o uuid.UUID, score int64) error {
		if err := c.TournamentJoin(ctx, "tj", o, ""); err != nil || score == 0 {
			return err
		}
		return tournament("tj")(o, score)
	}
	return []raceBoard{
		{"leaderboard write", "lb", true, board("lb")},
		{"leaderboard write, ranks disabled", "unranked", false, board("unranked")},
		{"tournament write", "tn", true, tournament("tn")},
		{"tournament join", "tj", true, join},
	}
}

type raceBoard struct {
	name, id string
	ranked   bool
	// write writes score for the owner; on "tj" it joins, and writes unless score is 0.
	write func(owner uuid.UUID, score int64) error
}

// TestRankWriteRacesAccountDelete: a record write that committed before its owner's
// account was deleted (the deletion then dropped the record) but reaches the rank cache
// only after the deletion cleaned it does not rank the owner again. The rank hook holds
// the write between its commit and its cache update.
func TestRankWriteRacesAccountDelete(t *testing.T) {
	c, _, pool := newCoreWithPool(t)
	var held uuid.UUID // written before each write that reads it starts
	arrived, release := make(chan struct{}), make(chan struct{})
	core.SetRankHooks(c, func(owner uuid.UUID) {
		if owner == held {
			arrived <- struct{}{}
			<-release
		}
	}, nil)
	for _, b := range raceBoards(t, c) {
		t.Run(b.name, func(t *testing.T) {
			users := newUsers(t, pool, 3)
			deleted, low, high := users[0], users[1], users[2]
			must(t, b.write(low, 10))
			must(t, b.write(high, 30))
			held = deleted
			score := int64(20) // between the others: a ghost would move low down
			if b.id == "tj" {
				score = 0 // the join alone
			}
			written := make(chan error, 1)
			go func() { written <- b.write(deleted, score) }()
			<-arrived // committed, not ranked yet
			must(t, c.AccountDelete(ctx, deleted, false))
			release <- struct{}{}
			must(t, <-written)
			wantRanked(t, c, pool, b.id, b.ranked, []rank.Entry{{Owner: high, Score: 30}, {Owner: low, Score: 10}})
			list, err := c.LeaderboardRecordsAroundOwner(ctx, b.id, low, 10, "", 0)
			must(t, err)
			if b.ranked && (len(list.Records) != 2 || list.Records[1].Rank != 2) {
				t.Errorf("around the other owner: %+v", list.Records)
			}
		})
	}
}

// TestRankWriteCommitsDuringAccountDelete: a write that commits inside the deletion's
// transaction, after its records were deleted, and is ranked before the deletion
// commits, is taken out of the cache and of the database by the deletion.
func TestRankWriteCommitsDuringAccountDelete(t *testing.T) {
	c, _, pool := newCoreWithPool(t)
	boards := raceBoards(t, c)
	users := newUsers(t, pool, 2)
	deleted, other := users[0], users[1]
	core.AddAccountCleanup(c, func(ctx context.Context, _ *db.Queries, userID uuid.UUID) error {
		if userID != deleted {
			return nil
		}
		for _, b := range boards {
			if err := b.write(deleted, 20); err != nil {
				return err
			}
		}
		return nil
	})
	for _, b := range boards {
		must(t, b.write(other, 10))
	}
	must(t, c.AccountDelete(ctx, deleted, false))
	for _, b := range boards {
		wantRanked(t, c, pool, b.id, b.ranked, []rank.Entry{{Owner: other, Score: 10}})
	}
}

// TestRankWriteCommitsAfterAccountDelete: a write that began before the deletion but whose
// statement runs after it (here it waits for a row another transaction inserts and then
// rolls back) inserts a record for the deleted account; the write deletes it again and
// does not rank it.
func TestRankWriteCommitsAfterAccountDelete(t *testing.T) {
	c, _, pool := newCoreWithPool(t)
	users := newUsers(t, pool, 2)
	deleted, other := users[0], users[1]
	mustBoard(t, c, core.LeaderboardConfig{ID: "lb", SortOrder: core.SortDescending, Operator: core.OperatorSet})
	write(t, c, "lb", other, 10, 0)
	tx, err := pool.Begin(ctx)
	must(t, err)
	defer func() { _ = tx.Rollback(ctx) }() // when the test fails before the rollback below
	_, err = tx.Exec(ctx, `INSERT INTO leaderboard_record (leaderboard_id, owner_id, score) VALUES ('lb', $1, 1)`, deleted)
	must(t, err)
	written := make(chan error, 1)
	go func() { written <- writeErr(c, "lb", deleted, 20) }()
	waitForLockWait(t, pool)
	must(t, c.AccountDelete(ctx, deleted, false)) // sees no record: the insert is not committed
	must(t, tx.Rollback(ctx))
	must(t, <-written)
	wantRanked(t, c, pool, "lb", true, []rank.Entry{{Owner: other, Score: 10}})
}

func writeErr(c *core.Core, board string, owner uuid.UUID, score int64) error {
	_, err := c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: board, OwnerID: owner, Score: score, Server: true})
	return err
}

// waitForLockWait waits until a statement of this test's database waits for a lock.
func waitForLockWait(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var n int
		must(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n))
		if n > 0 {
			return
		}
	}
	t.Fatal("the write never waited for the lock")
}

// TestRankWriteAfterAccountDelete: a write begun after the deletion is an ordinary write
// for an owner that is no account (Nakama does not check server writes' owners): it is
// stored and ranked.
func TestRankWriteAfterAccountDelete(t *testing.T) {
	c, _, pool := newCoreWithPool(t)
	users := newUsers(t, pool, 2)
	deleted, other := users[0], users[1]
	boards := raceBoards(t, c)
	for _, b := range boards {
		must(t, b.write(other, 10))
		must(t, b.write(deleted, 5))
	}
	must(t, c.AccountDelete(ctx, deleted, false))
	for _, b := range boards {
		must(t, b.write(deleted, 20))
		wantRanked(t, c, pool, b.id, b.ranked, []rank.Entry{{Owner: deleted, Score: 20}, {Owner: other, Score: 10}})
	}
}

// TestRankLoadRacesAccountDelete: the start-up rank load reads a board's records, the
// account of one of their owners is deleted, then the load fills the cache: the deleted
// owner is left out.
func TestRankLoadRacesAccountDelete(t *testing.T) {
	c, clk, pool := newCoreWithPool(t)
	mustBoard(t, c, core.LeaderboardConfig{ID: "lb", SortOrder: core.SortDescending, Operator: core.OperatorSet})
	users := newUsers(t, pool, 3)
	deleted, low, high := users[0], users[1], users[2]
	write(t, c, "lb", low, 10, 0)
	write(t, c, "lb", deleted, 20, 0)
	write(t, c, "lb", high, 30, 0)

	restarted := core.New(core.Options{Pool: pool, Now: clk.now})
	read, release := make(chan struct{}), make(chan struct{})
	core.SetRankHooks(restarted, nil, func() {
		read <- struct{}{}
		<-release
	})
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	started := make(chan error, 1)
	go func() { started <- restarted.Start(runCtx) }()
	<-read
	must(t, restarted.AccountDelete(ctx, deleted, false))
	release <- struct{}{}
	must(t, <-started)
	wantRanked(t, restarted, pool, "lb", true, []rank.Entry{{Owner: high, Score: 30}, {Owner: low, Score: 10}})
}

// TestRankCacheAccountDeleteStress writes to every kind of board from several goroutines
// while accounts are deleted (run with -race), then compares the rank cache with the
// database.
func TestRankCacheAccountDeleteStress(t *testing.T) {
	c, _, pool := newCoreWithPool(t)
	core.SetRankHooks(c, func(uuid.UUID) { runtime.Gosched() }, nil)
	boards := raceBoards(t, c)
	users := newUsers(t, pool, 50)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range 60 {
				b := boards[rng.IntN(len(boards))]
				err := b.write(users[rng.IntN(len(users))], 1+rng.Int64N(100))
				var ce *core.Error
				if errors.As(err, &ce) && ce.Code == core.CodeFailedPrecondition {
					continue // the owner's deletion undid the join just made
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for d := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := d; i < 30; i += 2 {
				if err := c.AccountDelete(ctx, users[i], false); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, b := range boards {
		if b.ranked {
			if diff := cmp.Diff(dbEntries(t, pool, b.id), core.RankEntries(c, b.id)); diff != "" {
				t.Errorf("%s: rank cache (-database +cache):\n%s", b.id, diff)
			}
		}
	}
}
