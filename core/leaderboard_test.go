package core_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
)

// owners returns n owner ids in ascending byte order, so tests can name tie orders.
func owners(n int) []uuid.UUID {
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = uuid.New()
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	return ids
}

func mustBoard(t *testing.T, c *core.Core, cfg core.LeaderboardConfig) {
	t.Helper()
	if _, err := c.LeaderboardCreate(ctx, cfg); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, c *core.Core, board string, owner uuid.UUID, score, subscore int64, op ...core.Operator) core.Record {
	t.Helper()
	w := core.RecordWrite{LeaderboardID: board, OwnerID: owner, Username: "u" + owner.String()[:6], Score: score, Subscore: subscore}
	if len(op) > 0 {
		w.Override = &op[0]
	}
	rec, err := c.LeaderboardRecordWrite(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

type scored struct {
	Score, Subscore int64
	NumScore        int32
}

func TestLeaderboardOperators(t *testing.T) {
	c, _ := newCore(t)
	o := owners(1)[0]
	cases := []struct {
		name   string
		order  int
		op     core.Operator
		writes [][2]int64
		want   scored
	}{
		// best keeps the better score and the better subscore independently (Nakama).
		{"best desc", core.SortDescending, core.OperatorBest, [][2]int64{{10, 1}, {5, 9}}, scored{10, 9, 2}},
		{"best desc worse counts nothing", core.SortDescending, core.OperatorBest, [][2]int64{{10, 9}, {5, 1}}, scored{10, 9, 1}},
		{"best asc", core.SortAscending, core.OperatorBest, [][2]int64{{10, 1}, {5, 9}}, scored{5, 1, 2}},
		{"set", core.SortDescending, core.OperatorSet, [][2]int64{{10, 1}, {5, 9}}, scored{5, 9, 2}},
		{"set same counts nothing", core.SortDescending, core.OperatorSet, [][2]int64{{10, 1}, {10, 1}}, scored{10, 1, 1}},
		{"incr", core.SortDescending, core.OperatorIncrement, [][2]int64{{10, 1}, {5, 9}, {3, 0}}, scored{18, 10, 3}},
		{"incr by zero counts nothing", core.SortDescending, core.OperatorIncrement, [][2]int64{{10, 1}, {0, 0}}, scored{10, 1, 1}},
		{"decr floors at zero", core.SortAscending, core.OperatorDecrement, [][2]int64{{10, 1}, {4, 4}}, scored{0, 0, 2}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := fmt.Sprintf("op%d", i)
			mustBoard(t, c, core.LeaderboardConfig{ID: id, SortOrder: tc.order, Operator: tc.op})
			var rec core.Record
			for _, w := range tc.writes {
				rec = write(t, c, id, o, w[0], w[1])
			}
			if got := (scored{rec.Score, rec.Subscore, rec.NumScore}); got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			if rec.Rank != 1 {
				t.Fatalf("rank %d", rec.Rank)
			}
		})
	}
	t.Run("override", func(t *testing.T) {
		mustBoard(t, c, core.LeaderboardConfig{ID: "ovr", SortOrder: core.SortDescending, Operator: core.OperatorBest})
		write(t, c, "ovr", o, 10, 0)
		rec := write(t, c, "ovr", o, 3, 0, core.OperatorIncrement)
		if rec.Score != 13 {
			t.Fatalf("increment override: score %d", rec.Score)
		}
		rec = write(t, c, "ovr", o, 1, 0, core.OperatorSet)
		if rec.Score != 1 || rec.NumScore != 3 {
			t.Fatalf("set override: %+v", rec)
		}
	})
}

func TestLeaderboardCreateKeepsExisting(t *testing.T) {
	c, _ := newCore(t)
	created, err := c.LeaderboardCreate(ctx, core.LeaderboardConfig{ID: "b", SortOrder: core.SortDescending, Metadata: map[string]any{"a": 1}})
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	created, err = c.LeaderboardCreate(ctx, core.LeaderboardConfig{ID: "b", SortOrder: core.SortAscending, Operator: core.OperatorSet})
	if err != nil || created {
		t.Fatalf("second create: %v %v", created, err)
	}
	l := c.LeaderboardGet("b")
	if l == nil || l.SortOrder != core.SortDescending || l.Operator != core.OperatorBest || l.Metadata != `{"a": 1}` {
		t.Fatalf("board changed: %+v", l)
	}
	_, err = c.LeaderboardCreate(ctx, core.LeaderboardConfig{ID: "bad", ResetSchedule: "every day"})
	wantCode(t, err, core.CodeInvalidArgument, "Invalid reset schedule, must be a valid cron expression.")
	if err := c.LeaderboardDelete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	_, err = c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "b", OwnerID: uuid.New()})
	wantCode(t, err, core.CodeNotFound, "Leaderboard not found.")
}

func TestLeaderboardRefusals(t *testing.T) {
	c, _ := newCore(t)
	mustBoard(t, c, core.LeaderboardConfig{ID: "auth", Authoritative: true, SortOrder: core.SortDescending})
	o := uuid.New()
	_, err := c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "auth", OwnerID: o, Score: 1})
	wantCode(t, err, core.CodePermissionDenied, "Leaderboard only allows authoritative score submissions.")
	if _, err := c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "auth", OwnerID: o, Score: 1, Server: true}); err != nil {
		t.Fatalf("server write: %v", err)
	}
	wantCode(t, c.LeaderboardRecordDelete(ctx, "auth", o, false), core.CodePermissionDenied, "Leaderboard only allows authoritative score deletions.")
	_, err = c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "auth", OwnerID: o, Metadata: "[1]", Server: true})
	wantCode(t, err, core.CodeInvalidArgument, "Metadata value must be JSON, if provided.")
	_, err = c.LeaderboardRecordsList(ctx, "auth", nil, 1, "not-a-cursor", 0)
	wantCode(t, err, core.CodeInvalidArgument, "Cursor is invalid or expired.")
	_, err = c.LeaderboardRecordsList(ctx, "nope", nil, 1, "", 0)
	wantCode(t, err, core.CodeNotFound, "Leaderboard not found.")

	mustBoard(t, c, core.LeaderboardConfig{ID: "open", SortOrder: core.SortDescending})
	// Scores are never negative, as in Nakama (whose table refuses them with a 500): a
	// negative value is refused under every operator but decrement, even an increment that
	// would leave the total positive.
	_, err = c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: o, Score: -1})
	wantCode(t, err, core.CodeInvalidArgument, "Invalid score value, must be >= 0.")
	_, err = c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: o, Subscore: -1})
	wantCode(t, err, core.CodeInvalidArgument, "Invalid subscore value, must be >= 0.")
	write(t, c, "open", o, 5, 0)
	incr := core.OperatorIncrement
	_, err = c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: o, Score: -6, Override: &incr})
	wantCode(t, err, core.CodeInvalidArgument, "Invalid score value, must be >= 0.")
	if rec := write(t, c, "open", o, 5, 0); rec.Score != 5 || rec.NumScore != 1 {
		t.Fatalf("refused write changed the record: %+v", rec)
	}
	if err := c.LeaderboardRecordDelete(ctx, "open", o, false); err != nil {
		t.Fatal(err)
	}
	list, err := c.LeaderboardRecordsList(ctx, "open", []uuid.UUID{o}, 10, "", 0)
	if err != nil || len(list.Records) != 0 || len(list.OwnerRecords) != 0 || list.RankCount != 0 {
		t.Fatalf("after delete: %+v %v", list, err)
	}
}

// ranked is the (owner, score, rank) view of a page.
type ranked struct {
	Owner uuid.UUID
	Score int64
	Rank  int64
}

func view(recs []core.Record) []ranked {
	out := make([]ranked, len(recs))
	for i, r := range recs {
		out[i] = ranked{r.OwnerID, r.Score, r.Rank}
	}
	return out
}

func TestLeaderboardListingOrderAndCursors(t *testing.T) {
	c, _ := newCore(t)
	ids := owners(7)
	for _, order := range []int{core.SortDescending, core.SortAscending} {
		board := fmt.Sprintf("list%d", order)
		mustBoard(t, c, core.LeaderboardConfig{ID: board, SortOrder: order, Operator: core.OperatorSet})
		// Scores with full ties: 3 owners on (5,0), 2 on (7,1), (7,0), and (1,0).
		scores := [][2]int64{{5, 0}, {5, 0}, {7, 1}, {7, 0}, {5, 0}, {1, 0}, {7, 1}}
		for i, s := range scores {
			write(t, c, board, ids[i], s[0], s[1])
		}
		// The expected order: by score, subscore, owner id, all in the board's direction.
		want := make([]ranked, len(ids))
		idx := []int{0, 1, 2, 3, 4, 5, 6}
		slices.SortFunc(idx, func(a, b int) int {
			c := 0
			switch {
			case scores[a][0] != scores[b][0]:
				c = int(scores[a][0] - scores[b][0])
			case scores[a][1] != scores[b][1]:
				c = int(scores[a][1] - scores[b][1])
			default:
				c = bytes.Compare(ids[a][:], ids[b][:])
			}
			if order == core.SortDescending {
				return -c
			}
			return c
		})
		for r, i := range idx {
			want[r] = ranked{ids[i], scores[i][0], int64(r + 1)}
		}

		// Forward in pages of 3, then back.
		var got []ranked
		cursor := ""
		var pages []core.RecordList
		for {
			page, err := c.LeaderboardRecordsList(ctx, board, nil, 3, cursor, 0)
			if err != nil {
				t.Fatal(err)
			}
			if page.RankCount != 7 {
				t.Fatalf("rank count %d", page.RankCount)
			}
			pages = append(pages, page)
			got = append(got, view(page.Records)...)
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("order %d forward (-want +got):\n%s", order, diff)
		}
		if len(pages) != 3 || pages[0].PrevCursor != "" || pages[2].PrevCursor == "" {
			t.Fatalf("cursor shape: %d pages", len(pages))
		}
		back, err := c.LeaderboardRecordsList(ctx, board, nil, 3, pages[2].PrevCursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[3:6], view(back.Records)); diff != "" {
			t.Fatalf("order %d back (-want +got):\n%s", order, diff)
		}
		first, err := c.LeaderboardRecordsList(ctx, board, nil, 3, back.PrevCursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[0:3], view(first.Records)); diff != "" {
			t.Fatalf("order %d back to first (-want +got):\n%s", order, diff)
		}
		if first.PrevCursor != "" || first.NextCursor == "" {
			t.Fatalf("first page reached backwards: prev %q next %q", first.PrevCursor, first.NextCursor)
		}
		// Owner records come in rank order with cache ranks.
		list, err := c.LeaderboardRecordsList(ctx, board, []uuid.UUID{want[5].Owner, want[1].Owner}, 0, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Records) != 0 {
			t.Fatal("page without a limit")
		}
		if diff := cmp.Diff([]ranked{want[1], want[5]}, view(list.OwnerRecords)); diff != "" {
			t.Fatalf("owner records (-want +got):\n%s", diff)
		}
	}
}

func TestLeaderboardAroundOwner(t *testing.T) {
	c, _ := newCore(t)
	mustBoard(t, c, core.LeaderboardConfig{ID: "hay", SortOrder: core.SortDescending})
	ids := owners(10)
	for i, o := range ids {
		write(t, c, "hay", o, int64(100-i), 0) // ids[0] is rank 1
	}
	cases := []struct {
		name      string
		owner     int
		limit     int
		wantRanks []int64
	}{
		{"top", 0, 3, []int64{1, 2, 3}},
		{"middle", 5, 3, []int64{5, 6, 7}},
		{"middle even leans down, as in Nakama", 5, 4, []int64{5, 6, 7, 8}},
		{"bottom", 9, 3, []int64{8, 9, 10}},
		{"all", 4, 100, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			list, err := c.LeaderboardRecordsAroundOwner(ctx, "hay", ids[tc.owner], tc.limit, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			var ranks []int64
			for _, r := range list.Records {
				ranks = append(ranks, r.Rank)
				if r.OwnerID != ids[r.Rank-1] {
					t.Fatalf("rank %d is %s", r.Rank, r.OwnerID)
				}
			}
			if diff := cmp.Diff(tc.wantRanks, ranks); diff != "" {
				t.Fatalf("ranks (-want +got):\n%s", diff)
			}
			if list.RankCount != 10 {
				t.Fatalf("rank count %d", list.RankCount)
			}
		})
	}
	list, err := c.LeaderboardRecordsAroundOwner(ctx, "hay", uuid.New(), 3, "", 0)
	if err != nil || len(list.Records) != 0 {
		t.Fatalf("absent owner: %+v %v", list, err)
	}
}

// TestScheduleHookDoesNotHoldBackOthers: a module's reset function that takes its time
// (paying out rewards) delays neither other boards' hooks nor the next passes.
func TestScheduleHookDoesNotHoldBackOthers(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 10, 11, 0, 30, 0, time.UTC))
	release := make(chan struct{})
	defer close(release)
	slowStarted := make(chan int64, 10)
	fast := make(chan int64, 10)
	c := core.New(core.Options{Pool: dbtest.Pool(t), Now: clk.now, LeaderboardReset: func(_ context.Context, l core.Leaderboard, reset int64) {
		if l.ID == "slow" {
			slowStarted <- reset
			<-release
			return
		}
		fast <- reset
	}})
	mustBoard(t, c, core.LeaderboardConfig{ID: "slow", SortOrder: core.SortDescending, ResetSchedule: "* * * * *"})
	mustBoard(t, c, core.LeaderboardConfig{ID: "fast", SortOrder: core.SortDescending, ResetSchedule: "* * * * *"})
	runCtx, stop := context.WithCancel(context.Background())
	defer stop()
	if err := c.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	receive := func(ch chan int64, what string) int64 {
		t.Helper()
		select {
		case reset := <-ch:
			return reset
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s within 10 s", what)
			return 0
		}
	}
	minute := time.Date(2026, 3, 10, 11, 1, 0, 0, time.UTC)
	time.Sleep(1500 * time.Millisecond) // a pass at 11:00:30 has seen both periods
	clk.set(minute)
	if got := receive(slowStarted, "call of the slow hook"); got != minute.Unix() {
		t.Fatalf("slow hook's reset %d", got)
	}
	if got := receive(fast, "reset of the other board"); got != minute.Unix() {
		t.Fatalf("other board's reset %d", got)
	}
	// The slow hook still runs; the next minute's resets are reported all the same.
	clk.set(minute.Add(time.Minute))
	if got := receive(fast, "next pass's reset"); got != minute.Unix()+60 {
		t.Fatalf("next reset %d", got)
	}
	if got := receive(slowStarted, "second call of the slow board's hook"); got != minute.Unix()+60 {
		t.Fatalf("slow board's second reset %d", got)
	}
}

func TestLeaderboardResetSchedule(t *testing.T) {
	pool := dbtest.Pool(t)
	clk := newClock(time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC))
	var resets []int64
	c := core.New(core.Options{Pool: pool, Now: clk.now, LeaderboardReset: func(_ context.Context, l core.Leaderboard, reset int64) {
		resets = append(resets, reset)
	}})
	check := c.LeaderboardSchedules()
	mustBoard(t, c, core.LeaderboardConfig{ID: "daily", SortOrder: core.SortDescending, ResetSchedule: "0 12 * * *"})
	check(ctx)
	o := uuid.New()
	rec := write(t, c, "daily", o, 50, 0)
	noon := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	if !rec.ExpiryTime.Equal(noon) {
		t.Fatalf("expiry %s, want %s", rec.ExpiryTime, noon)
	}
	// One second before the reset the record is still current.
	clk.set(noon.Add(-time.Second))
	check(ctx)
	if len(resets) != 0 {
		t.Fatalf("reset too early: %v", resets)
	}
	if list, _ := c.LeaderboardRecordsList(ctx, "daily", nil, 10, "", 0); len(list.Records) != 1 {
		t.Fatal("record gone before the reset")
	}
	// At the reset the new period starts empty; the old one is still listed by its expiry.
	clk.set(noon)
	check(ctx)
	if diff := cmp.Diff([]int64{noon.Unix()}, resets); diff != "" {
		t.Fatalf("resets (-want +got):\n%s", diff)
	}
	list, err := c.LeaderboardRecordsList(ctx, "daily", nil, 10, "", 0)
	if err != nil || len(list.Records) != 0 {
		t.Fatalf("new period: %+v %v", list, err)
	}
	old, err := c.LeaderboardRecordsList(ctx, "daily", nil, 10, "", noon.Unix())
	if err != nil || len(old.Records) != 1 || old.Records[0].Score != 50 {
		t.Fatalf("old period: %+v %v", old, err)
	}
	rec = write(t, c, "daily", o, 7, 0)
	if rec.Score != 7 || rec.NumScore != 1 || !rec.ExpiryTime.Equal(noon.Add(24*time.Hour)) {
		t.Fatalf("new period record: %+v", rec)
	}
}

func TestLeaderboardConcurrentIncrements(t *testing.T) {
	c, _ := newCore(t)
	mustBoard(t, c, core.LeaderboardConfig{ID: "inc", SortOrder: core.SortDescending, Operator: core.OperatorIncrement})
	o := uuid.New()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "inc", OwnerID: o, Score: 1, Subscore: 2}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	list, err := c.LeaderboardRecordsList(ctx, "inc", []uuid.UUID{o}, 0, "", 0)
	if err != nil || len(list.OwnerRecords) != 1 {
		t.Fatalf("%+v %v", list, err)
	}
	r := list.OwnerRecords[0]
	if r.Score != workers*each || r.Subscore != 2*workers*each || r.NumScore != workers*each {
		t.Fatalf("lost increments: %+v", r)
	}
}

// TestRankCacheMatchesDatabase writes and deletes at random from many goroutines, then
// compares every cached rank with a fresh ORDER BY, and again after a restart rebuilds
// the cache from the database.
func TestRankCacheMatchesDatabase(t *testing.T) {
	c, clk, pool := newCoreWithPool(t)
	mustBoard(t, c, core.LeaderboardConfig{ID: "r", SortOrder: core.SortDescending, Operator: core.OperatorIncrement})
	ids := owners(40)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 1))
			for i := 0; i < 60; i++ {
				o := ids[rng.IntN(len(ids))]
				var err error
				switch rng.IntN(6) {
				case 0:
					err = c.LeaderboardRecordDelete(ctx, "r", o, false)
				case 1:
					op := core.OperatorSet
					_, err = c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "r", OwnerID: o, Score: rng.Int64N(5), Override: &op})
				default:
					_, err = c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "r", OwnerID: o, Score: rng.Int64N(3), Subscore: rng.Int64N(2)})
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(uint64(w))
	}
	wg.Wait()

	wantRanks := func() map[uuid.UUID]int64 {
		rows, err := pool.Query(ctx, `SELECT owner_id FROM leaderboard_record WHERE leaderboard_id = 'r'
			ORDER BY score DESC, subscore DESC, owner_id DESC`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[uuid.UUID]int64{}
		for rows.Next() {
			var o uuid.UUID
			if err := rows.Scan(&o); err != nil {
				t.Fatal(err)
			}
			m[o] = int64(len(m) + 1)
		}
		return m
	}
	check := func(c *core.Core) {
		t.Helper()
		want := wantRanks()
		list, err := c.LeaderboardRecordsList(ctx, "r", ids, 0, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[uuid.UUID]int64{}
		for _, r := range list.OwnerRecords {
			got[r.OwnerID] = r.Rank
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("cached ranks (-want +got):\n%s", diff)
		}
		if list.RankCount != int64(len(want)) {
			t.Fatalf("rank count %d, want %d", list.RankCount, len(want))
		}
	}
	check(c)

	restarted := core.New(core.Options{Pool: pool, Now: clk.now})
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	if err := restarted.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	check(restarted)
}

func TestLeaderboardAccountCleanupAndExport(t *testing.T) {
	c, _ := newCore(t)
	mustBoard(t, c, core.LeaderboardConfig{ID: "acct", SortOrder: core.SortDescending})
	a, b := newPlayer(t, c, "a"), newPlayer(t, c, "b")
	write(t, c, "acct", a.UserID, 10, 0)
	write(t, c, "acct", b.UserID, 5, 0)
	export, err := c.AccountExport(ctx, a.UserID)
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Records []struct {
			LeaderboardID string `json:"leaderboard_id"`
			Score         int64  `json:"score"`
		} `json:"leaderboard_records"`
	}
	if err := json.Unmarshal([]byte(export), &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Records) != 1 || ex.Records[0].LeaderboardID != "acct" || ex.Records[0].Score != 10 {
		t.Fatalf("export: %s", export)
	}
	if err := c.AccountDelete(ctx, a.UserID, false); err != nil {
		t.Fatal(err)
	}
	list, err := c.LeaderboardRecordsList(ctx, "acct", []uuid.UUID{b.UserID}, 10, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Records) != 1 || list.RankCount != 1 || list.OwnerRecords[0].Rank != 1 {
		t.Fatalf("after deletion: %+v", list)
	}
}

// TestLeaderboardAroundOwnerMatchesNakamaWindow checks every owner and limit on a small
// board against Nakama's window arithmetic (up to limit+1 better records, then limit/2 worse
// ones, or more when few better ones exist; the last limit of those, or the first limit
// near the top).
func TestLeaderboardAroundOwnerMatchesNakamaWindow(t *testing.T) {
	c, _ := newCore(t)
	for _, order := range []int{core.SortDescending, core.SortAscending} {
		board := fmt.Sprintf("win%d", order)
		mustBoard(t, c, core.LeaderboardConfig{ID: board, SortOrder: order, Operator: core.OperatorSet})
		const n = 12
		ids := owners(n)
		for i, o := range ids {
			score := int64(i)
			if order == core.SortDescending {
				score = int64(n - i)
			}
			write(t, c, board, o, score, 0) // ids[i] has rank i+1
		}
		for idx := 0; idx < n; idx++ {
			for limit := 1; limit <= n+1; limit++ {
				above, below := idx, n-1-idx
				a := min(above, limit)
				s := limit / 2
				if a < s {
					s = limit - a
				}
				b := min(below, s)
				total := a + 1 + b
				start := total - limit
				if start < 0 || a < s {
					start = 0
				}
				end := min(start+limit, total)
				var want []int64
				for i := start; i < end; i++ {
					want = append(want, int64(idx-a+i+1))
				}
				wantPrev, wantNext := above > limit || start > 0, below > s

				list, err := c.LeaderboardRecordsAroundOwner(ctx, board, ids[idx], limit, "", 0)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, r := range list.Records {
					got = append(got, r.Rank)
				}
				if diff := cmp.Diff(want, got); diff != "" || (list.PrevCursor != "") != wantPrev || (list.NextCursor != "") != wantNext {
					t.Fatalf("order %d owner rank %d limit %d: prev %v next %v (want %v %v) ranks (-want +got):\n%s",
						order, idx+1, limit, list.PrevCursor != "", list.NextCursor != "", wantPrev, wantNext, diff)
				}
			}
		}
	}
}

func TestLeaderboardRanksDisabledAfterRestart(t *testing.T) {
	c, clk, pool := newCoreWithPool(t)
	mustBoard(t, c, core.LeaderboardConfig{ID: "off", SortOrder: core.SortDescending})
	mustBoard(t, c, core.LeaderboardConfig{ID: "on", SortOrder: core.SortDescending})
	a, b := uuid.New(), uuid.New()
	for _, id := range []string{"off", "on"} {
		write(t, c, id, a, 10, 0)
		write(t, c, id, b, 5, 0)
	}
	if err := c.LeaderboardRanksDisable(ctx, "off"); err != nil {
		t.Fatal(err)
	}
	restarted := core.New(core.Options{Pool: pool, Now: clk.now})
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	if err := restarted.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	// The flag is stored: after a restart the board still has no ranks, the other does.
	for id, want := range map[string]int64{"off": 0, "on": 2} {
		list, err := restarted.LeaderboardRecordsList(ctx, id, []uuid.UUID{b}, 10, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if list.RankCount != want || list.OwnerRecords[0].Rank != want || len(list.Records) != 2 {
			t.Fatalf("%s: rank count %d, owner rank %d, %d records", id, list.RankCount, list.OwnerRecords[0].Rank, len(list.Records))
		}
	}
	if got := restarted.LeaderboardGet("off"); got == nil || !got.RanksDisabled {
		t.Fatalf("board after restart: %+v", got)
	}
}
