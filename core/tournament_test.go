package core_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
)

func mustTournament(t *testing.T, c *core.Core, cfg core.TournamentConfig) {
	t.Helper()
	if _, err := c.TournamentCreate(ctx, cfg); err != nil {
		t.Fatal(err)
	}
}

func getTournament(t *testing.T, c *core.Core, id string) core.Tournament {
	t.Helper()
	ts, err := c.TournamentsGet(ctx, []string{id})
	if err != nil || len(ts) != 1 {
		t.Fatalf("get %s: %v %v", id, ts, err)
	}
	return ts[0]
}

type window struct {
	StartActive, EndActive, NextReset, PrevReset int64
	CanEnter                                     bool
}

func windowOf(t core.Tournament) window {
	return window{t.StartActive, t.EndActive, t.NextReset, t.PrevReset, t.CanEnter}
}

func TestTournamentActiveWindows(t *testing.T) {
	c, clk := newCore(t)
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	u := func(tm time.Time) int64 { return tm.Unix() }
	clk.set(day(9, 0, 0))
	mustTournament(t, c, core.TournamentConfig{ID: "daily", SortOrder: core.SortDescending, ResetSchedule: "0 12 * * *",
		Duration: 3600, StartTime: u(day(10, 0, 0)), MaxNumScore: 3})
	mustTournament(t, c, core.TournamentConfig{ID: "once", SortOrder: core.SortDescending, Duration: 7200,
		StartTime: u(day(10, 10, 0)), EndTime: u(day(10, 11, 0))})
	cases := []struct {
		name string
		id   string
		now  time.Time
		want window
	}{
		{"before start", "daily", day(9, 10, 0), window{u(day(10, 12, 0)), u(day(10, 13, 0)), u(day(11, 12, 0)), 0, false}},
		{"on the reset", "daily", day(10, 12, 0), window{u(day(10, 12, 0)), u(day(10, 13, 0)), u(day(11, 12, 0)), u(day(9, 12, 0)), true}},
		{"inside", "daily", day(10, 12, 30), window{u(day(10, 12, 0)), u(day(10, 13, 0)), u(day(11, 12, 0)), u(day(10, 12, 0)), true}},
		{"after the window", "daily", day(10, 14, 0), window{u(day(10, 12, 0)), u(day(10, 13, 0)), u(day(11, 12, 0)), u(day(10, 12, 0)), false}},
		{"no schedule, capped by end", "once", day(10, 10, 30), window{u(day(10, 10, 0)), u(day(10, 11, 0)), u(day(10, 11, 0)), 0, true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk.set(tc.now)
			if diff := cmp.Diff(tc.want, windowOf(getTournament(t, c, tc.id))); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}

	// Writes follow the window.
	o := uuid.New()
	clk.set(day(10, 14, 0))
	_, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "daily", OwnerID: o, Score: 1})
	wantCode(t, err, core.CodeFailedPrecondition, "Tournament is not active and cannot accept new scores.")
	clk.set(day(11, 12, 0))
	rec, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "daily", OwnerID: o, Score: 1})
	if err != nil || !rec.ExpiryTime.Equal(day(12, 12, 0)) || rec.MaxNumScore != 3 {
		t.Fatalf("write in window: %+v %v", rec, err)
	}
	clk.set(day(10, 11, 0))
	_, err = c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "once", OwnerID: o, Score: 1})
	wantCode(t, err, core.CodeNotFound, "Tournament not found or has ended.")
	_, err = c.TournamentRecordsList(ctx, "once", nil, 10, "", 0)
	wantCode(t, err, core.CodeNotFound, "Tournament has ended.")
}

func TestTournamentJoinSizeAndAttempts(t *testing.T) {
	c, _ := newCore(t)
	mustTournament(t, c, core.TournamentConfig{ID: "join", SortOrder: core.SortDescending, Operator: core.OperatorIncrement,
		Duration: 3600, JoinRequired: true, MaxSize: 2, MaxNumScore: 2})
	a, b, d := uuid.New(), uuid.New(), uuid.New()
	_, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "join", OwnerID: a, Score: 1})
	wantCode(t, err, core.CodeFailedPrecondition, "Must join tournament before attempting to write value.")
	for _, o := range []uuid.UUID{a, a, b} { // joining twice is a no-op
		if err := c.TournamentJoin(ctx, "join", o, "name"); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, c.TournamentJoin(ctx, "join", d, "d"), core.CodeInvalidArgument, "Tournament cannot be joined as it has reached its max size.")
	if tr := getTournament(t, c, "join"); tr.Size != 2 || tr.CanEnter {
		t.Fatalf("size %d can_enter %v", tr.Size, tr.CanEnter)
	}
	for i := 0; i < 2; i++ {
		if _, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "join", OwnerID: a, Score: 5}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "join", OwnerID: a, Score: 5})
	wantCode(t, err, core.CodeFailedPrecondition, "Reached allowed max number of score attempts.")
	if err := c.TournamentAddAttempt(ctx, "join", a, 1); err != nil {
		t.Fatal(err)
	}
	rec, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "join", OwnerID: a, Score: 5})
	if err != nil || rec.Score != 15 || rec.NumScore != 3 || rec.Rank != 1 {
		t.Fatalf("after an extra attempt: %+v %v", rec, err)
	}
	list, err := c.TournamentRecordsList(ctx, "join", nil, 10, "", 0)
	if err != nil || len(list.Records) != 2 || list.Records[1].OwnerID != b || list.Records[1].Score != 0 {
		t.Fatalf("joined owners are listed: %+v %v", list, err)
	}

	// Without join, the first write enters and counts toward max size.
	mustTournament(t, c, core.TournamentConfig{ID: "open", SortOrder: core.SortAscending, Duration: 3600, MaxSize: 1, Authoritative: false})
	if _, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: a, Score: 5}); err != nil {
		t.Fatal(err)
	}
	_, err = c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: b, Score: 5})
	wantCode(t, err, core.CodeFailedPrecondition, "Tournament has reached max size.")
	mustTournament(t, c, core.TournamentConfig{ID: "auth", Duration: 3600, Authoritative: true})
	_, err = c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "auth", OwnerID: a, Score: 5})
	wantCode(t, err, core.CodePermissionDenied, "Tournament only allows authoritative score submissions.")
	_, err = c.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: a, Score: 5})
	wantCode(t, err, core.CodeNotFound, "Leaderboard not found.")
}

func TestTournamentList(t *testing.T) {
	c, clk := newCore(t)
	now := clk.now().Unix()
	for _, tc := range []core.TournamentConfig{
		{ID: "c1", Category: 1, Duration: 60},
		{ID: "c2", Category: 2, Duration: 60, EndTime: now + 100},
		{ID: "c3", Category: 3, Duration: 60, StartTime: now + 50},
		{ID: "c4", Category: 4, Duration: 60},
	} {
		mustTournament(t, c, tc)
	}
	list := func(f core.TournamentListFilter) []string {
		t.Helper()
		var ids []string
		for {
			ts, cursor, err := c.TournamentsList(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range ts {
				ids = append(ids, tr.ID)
			}
			if cursor == "" {
				return ids
			}
			f.Cursor = cursor
		}
	}
	all := core.TournamentListFilter{CategoryEnd: 127, StartTime: -1, EndTime: -1, Limit: 1}
	if diff := cmp.Diff([]string{"c1", "c2", "c3", "c4"}, list(all)); diff != "" {
		t.Fatalf("all, one per page (-want +got):\n%s", diff)
	}
	f := all
	f.CategoryStart, f.CategoryEnd, f.Limit = 2, 3, 10
	if diff := cmp.Diff([]string{"c2", "c3"}, list(f)); diff != "" {
		t.Fatalf("categories (-want +got):\n%s", diff)
	}
	f = all
	f.StartTime = now + 10
	if diff := cmp.Diff([]string{"c3"}, list(f)); diff != "" {
		t.Fatalf("start after (-want +got):\n%s", diff)
	}
	f = all
	f.EndTime = now + 1000
	f.StartTime = 0
	if diff := cmp.Diff([]string{"c2"}, list(f)); diff != "" {
		t.Fatalf("end before (-want +got):\n%s", diff)
	}
	clk.advance(200 * time.Second)
	if diff := cmp.Diff([]string{"c1", "c3", "c4"}, list(all)); diff != "" {
		t.Fatalf("ended ones drop out (-want +got):\n%s", diff)
	}
	_, _, err := c.TournamentsList(ctx, core.TournamentListFilter{CategoryStart: 5, CategoryEnd: 2, Limit: 1})
	wantCode(t, err, core.CodeInvalidArgument, "Tournament category end must be greater than category start.")
}

func TestTournamentHooks(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC))
	var events []string
	c := core.New(core.Options{Pool: dbtest.Pool(t), Now: clk.now,
		TournamentEnd: func(_ context.Context, tr core.Tournament, end, reset int64) {
			events = append(events, fmt.Sprintf("end %s %d %d", tr.ID, end, reset))
		},
		TournamentReset: func(_ context.Context, tr core.Tournament, end, reset int64) {
			events = append(events, fmt.Sprintf("reset %s %d %d", tr.ID, end, reset))
		},
	})
	check := c.LeaderboardSchedules()
	mustTournament(t, c, core.TournamentConfig{ID: "t", ResetSchedule: "0 12 * * *", Duration: 3600, StartTime: clk.now().Unix() - 86400})
	noon := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC).Unix()
	for _, step := range []time.Duration{0, time.Hour, time.Hour, time.Minute, 23 * time.Hour} {
		clk.advance(step)
		check(ctx)
	}
	want := []string{
		// At 11:00 yesterday's window (12:00-13:00) had already closed before the checker
		// first looked, so only its period's reset is reported.
		fmt.Sprintf("reset t %d %d", noon-86400+3600, noon),
		fmt.Sprintf("end t %d %d", noon+3600, noon+86400),   // today's window, at 13:00
		fmt.Sprintf("reset t %d %d", noon+3600, noon+86400), // the next day's reset
	}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// A pass that finds a window and its period both ended reports them in that order.
	events = nil
	clk.advance(25 * time.Hour)
	check(ctx)
	want = []string{
		fmt.Sprintf("end t %d %d", noon+86400+3600, noon+2*86400),
		fmt.Sprintf("reset t %d %d", noon+86400+3600, noon+2*86400),
	}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Fatalf("one pass (-want +got):\n%s", diff)
	}
}

// TestTournamentSizePerPeriod: max size counts the entrants of one period; the next
// period is open to as many again, from the moment it begins.
func TestTournamentSizePerPeriod(t *testing.T) {
	c, clk := newCore(t)
	day := time.Date(2026, 3, 10, 12, 30, 0, 0, time.UTC)
	clk.set(day)
	mustTournament(t, c, core.TournamentConfig{ID: "daily", SortOrder: core.SortDescending, ResetSchedule: "0 12 * * *",
		Duration: 3600, StartTime: day.Add(-time.Hour).Unix(), JoinRequired: true, MaxSize: 2})
	mustTournament(t, c, core.TournamentConfig{ID: "open", SortOrder: core.SortDescending, ResetSchedule: "0 12 * * *",
		Duration: 3600, StartTime: day.Add(-time.Hour).Unix(), MaxSize: 1})
	a, b, d := uuid.New(), uuid.New(), uuid.New()
	for _, o := range []uuid.UUID{a, b} {
		if err := c.TournamentJoin(ctx, "daily", o, ""); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, c.TournamentJoin(ctx, "daily", d, ""), core.CodeInvalidArgument, "Tournament cannot be joined as it has reached its max size.")
	if _, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: a, Score: 1}); err != nil {
		t.Fatal(err)
	}
	_, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: b, Score: 1})
	wantCode(t, err, core.CodeFailedPrecondition, "Tournament has reached max size.")

	// The next day's window: nobody has entered it yet.
	clk.set(day.Add(24 * time.Hour))
	for _, id := range []string{"daily", "open"} {
		if tr := getTournament(t, c, id); tr.Size != 0 || !tr.CanEnter {
			t.Fatalf("%s in a new period: size %d can_enter %v", id, tr.Size, tr.CanEnter)
		}
	}
	for _, o := range []uuid.UUID{d, a} {
		if err := c.TournamentJoin(ctx, "daily", o, ""); err != nil {
			t.Fatalf("join in a new period: %v", err)
		}
	}
	wantCode(t, c.TournamentJoin(ctx, "daily", b, ""), core.CodeInvalidArgument, "Tournament cannot be joined as it has reached its max size.")
	if tr := getTournament(t, c, "daily"); tr.Size != 2 || tr.CanEnter {
		t.Fatalf("size %d can_enter %v", tr.Size, tr.CanEnter)
	}
	if _, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: b, Score: 1}); err != nil {
		t.Fatalf("write in a new period: %v", err)
	}
	_, err = c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "open", OwnerID: a, Score: 1})
	wantCode(t, err, core.CodeFailedPrecondition, "Tournament has reached max size.")
}

// TestTournamentHooksSeePeriodSize: the end and reset hooks are told how many entered the
// period that ended, though the board in memory was loaded before anyone joined.
func TestTournamentHooksSeePeriodSize(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 10, 12, 10, 0, 0, time.UTC))
	var mu sync.Mutex
	var events []string
	record := func(what string, tr core.Tournament) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, fmt.Sprintf("%s size %d", what, tr.Size))
	}
	c := core.New(core.Options{Pool: dbtest.Pool(t), Now: clk.now,
		TournamentEnd:   func(_ context.Context, tr core.Tournament, _, _ int64) { record("end", tr) },
		TournamentReset: func(_ context.Context, tr core.Tournament, _, _ int64) { record("reset", tr) },
	})
	mustTournament(t, c, core.TournamentConfig{ID: "t", ResetSchedule: "0 12 * * *", Duration: 3600, JoinRequired: true,
		StartTime: clk.now().Unix() - 86400})
	check := c.LeaderboardSchedules()
	check(ctx)
	for range 3 {
		if err := c.TournamentJoin(ctx, "t", uuid.New(), ""); err != nil {
			t.Fatal(err)
		}
	}
	clk.advance(time.Hour) // 13:10: today's window has closed
	check(ctx)
	clk.advance(23 * time.Hour) // 12:10 the next day: its period has ended
	check(ctx)
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"end size 3", "reset size 3"}, events); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// TestTournamentJoinAheadAndAfterEnd: players may join a join-required tournament before
// it starts and then play its first window; joining one that needs no join is a no-op
// even after it ended (both as in Nakama).
func TestTournamentJoinAheadAndAfterEnd(t *testing.T) {
	c, clk := newCore(t)
	now := clk.now()
	mustTournament(t, c, core.TournamentConfig{ID: "soon", SortOrder: core.SortDescending, Duration: 3600,
		StartTime: now.Add(time.Hour).Unix(), JoinRequired: true, MaxSize: 1})
	a, b := uuid.New(), uuid.New()
	if err := c.TournamentJoin(ctx, "soon", a, "a"); err != nil {
		t.Fatalf("join ahead: %v", err)
	}
	wantCode(t, c.TournamentJoin(ctx, "soon", b, "b"), core.CodeInvalidArgument, "Tournament cannot be joined as it has reached its max size.")
	_, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "soon", OwnerID: a, Score: 1})
	wantCode(t, err, core.CodeFailedPrecondition, "Tournament is not active and cannot accept new scores.")

	clk.advance(time.Hour + time.Minute) // the window is open: the early entrant plays
	if tr := getTournament(t, c, "soon"); tr.Size != 1 {
		t.Fatalf("size in the first window %d", tr.Size)
	}
	rec, err := c.TournamentRecordWrite(ctx, core.RecordWrite{LeaderboardID: "soon", OwnerID: a, Score: 7})
	if err != nil || rec.Score != 7 || rec.Rank != 1 {
		t.Fatalf("write after joining ahead: %+v %v", rec, err)
	}

	clk.advance(time.Hour) // the window has closed
	wantCode(t, c.TournamentJoin(ctx, "soon", b, "b"), core.CodeInvalidArgument, "Tournament is not active and cannot accept new joins.")
	mustTournament(t, c, core.TournamentConfig{ID: "past", Duration: 600, StartTime: clk.now().Add(-2 * time.Hour).Unix(),
		EndTime: clk.now().Add(-time.Hour).Unix()})
	if err := c.TournamentJoin(ctx, "past", b, "b"); err != nil {
		t.Fatalf("join of an ended tournament that needs no join: %v", err)
	}
}
