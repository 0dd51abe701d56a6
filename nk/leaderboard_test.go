package nk_test

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"
)

// testClock is core's clock in tests; the schedule checker reads it from its own goroutine.
type testClock struct{ unix atomic.Int64 }

func newClock(t time.Time) *testClock {
	c := &testClock{}
	c.set(t)
	return c
}

func (c *testClock) now() time.Time          { return time.Unix(c.unix.Load(), 0).UTC() }
func (c *testClock) set(t time.Time)         { c.unix.Store(t.Unix()) }
func (c *testClock) advance(d time.Duration) { c.unix.Add(int64(d / time.Second)) }

func wantArgMessage(t *testing.T, err error, message string) {
	t.Helper()
	wantArgError(t, err)
	if err.Error() != message {
		t.Fatalf("message %q, want %q", err.Error(), message)
	}
}

func op(n int) *int { return &n }

// owners returns n owner ids in ascending order.
func owners(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = uuid.NewString()
	}
	sort.Strings(out)
	return out
}

func ids(recs []*api.LeaderboardRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = fmt.Sprintf("%s:%d", r.OwnerId[:8], r.Rank)
	}
	return out
}

func TestLeaderboardCreateListGetDelete(t *testing.T) {
	e := newEnv(t)
	n := e.nk
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"no id":        {n.LeaderboardCreate(ctx, "", false, "desc", "best", "", nil, true), "expects a leaderboard ID string"},
		"bad sort":     {n.LeaderboardCreate(ctx, "b", false, "down", "best", "", nil, true), "expects sort order to be 'asc' or 'desc'"},
		"bad operator": {n.LeaderboardCreate(ctx, "b", false, "desc", "max", "", nil, true), "expects operator to be 'best', 'set', 'incr' or 'decr'"},
		"bad cron":     {n.LeaderboardCreate(ctx, "b", false, "desc", "best", "every day", nil, true), "expects reset schedule to be a valid CRON expression"},
	} {
		t.Run(name, func(t *testing.T) { wantArgMessage(t, tc.err, tc.want) })
	}
	wantArgError(t, n.LeaderboardCreate(ctx, "b", false, "desc", "best", "", map[string]any{"c": make(chan int)}, true))
	wantCode(t, n.LeaderboardCreate(ctx, strings.Repeat("x", 129), false, "desc", "best", "", nil, true), 3)

	must(t, n.LeaderboardCreate(ctx, "weekly", true, "ascending", "incr", "0 0 * * 1", map[string]any{"k": "v"}, true))
	// Creating again leaves the board as it was.
	must(t, n.LeaderboardCreate(ctx, "weekly", false, "desc", "best", "", nil, true))
	for i := range 3 {
		must(t, n.LeaderboardCreate(ctx, fmt.Sprintf("lb%d", i), false, "desc", "set", "", nil, true))
	}
	must(t, n.TournamentCreate(ctx, "cup", true, "desc", "best", "", nil, "", "", 0, 0, 0, 60, 0, 0, false, true))

	got, err := n.LeaderboardsGetId(ctx, []string{"weekly", "missing", "cup", "lb1"})
	must(t, err)
	if len(got) != 2 || got[0].Id != "weekly" || got[1].Id != "lb1" {
		t.Fatalf("LeaderboardsGetId: %v", got)
	}
	w := got[0]
	now := e.core.Now()
	if !w.Authoritative || w.SortOrder != 0 || w.Operator != api.Operator_INCREMENT || w.Metadata != `{"k": "v"}` ||
		w.NextReset <= uint32(now.Unix()) || w.CreateTime == nil || w.CreateTime.Nanos != 0 {
		t.Fatalf("weekly: %v", w)
	}
	if got[1].Operator != api.Operator_SET || got[1].SortOrder != 1 || got[1].NextReset != 0 || got[1].PrevReset != 0 {
		t.Fatalf("lb1: %v", got[1])
	}

	wantArgMessage(t, errOf2(n.LeaderboardList(0, "")), "limit must be 1-100")
	wantArgMessage(t, errOf2(n.LeaderboardList(101, "")), "limit must be 1-100")
	var listed []string
	cursor := ""
	for {
		page, err := n.LeaderboardList(2, cursor)
		must(t, err)
		for _, l := range page.Leaderboards {
			listed = append(listed, l.Id)
		}
		if cursor = page.Cursor; cursor == "" {
			break
		}
	}
	if diff := cmp.Diff([]string{"lb0", "lb1", "lb2", "weekly"}, listed); diff != "" {
		t.Fatalf("LeaderboardList pages (-want +got):\n%s", diff)
	}
	wantArgMessage(t, errOf2(n.LeaderboardList(2, "!!not base64")), "expects cursor to be valid when provided")

	wantArgMessage(t, n.LeaderboardDelete(ctx, ""), "expects a leaderboard ID string")
	must(t, n.LeaderboardDelete(ctx, "lb1"))
	must(t, n.LeaderboardDelete(ctx, "lb1")) // already gone: nothing to do
	if got, _ := n.LeaderboardsGetId(ctx, []string{"lb1"}); len(got) != 0 {
		t.Fatalf("deleted board still there: %v", got)
	}
	wantArgMessage(t, errOf2(n.LeaderboardRecordWrite(ctx, "lb1", unknownID, "", 1, 0, nil, nil)), "leaderboard not found")
}

func TestLeaderboardRecordWriteDelete(t *testing.T) {
	e := newEnv(t)
	n := e.nk
	must(t, n.LeaderboardCreate(ctx, "auth", true, "desc", "best", "", nil, true))
	owner := uuid.NewString()
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"no id":          {errOf2(n.LeaderboardRecordWrite(ctx, "", owner, "", 1, 0, nil, nil)), "expects a leaderboard ID string"},
		"bad owner":      {errOf2(n.LeaderboardRecordWrite(ctx, "auth", badID, "", 1, 0, nil, nil)), "expects owner ID to be a valid identifier"},
		"score":          {errOf2(n.LeaderboardRecordWrite(ctx, "auth", owner, "", -1, 0, nil, nil)), "expects score to be >= 0"},
		"subscore":       {errOf2(n.LeaderboardRecordWrite(ctx, "auth", owner, "", 1, -1, nil, nil)), "expects subscore to be >= 0"},
		"operator 5":     {errOf2(n.LeaderboardRecordWrite(ctx, "auth", owner, "", 1, 0, nil, op(5))), "invalid operator"},
		"operator -1":    {errOf2(n.LeaderboardRecordWrite(ctx, "auth", owner, "", 1, 0, nil, op(-1))), "invalid operator"},
		"delete no id":   {n.LeaderboardRecordDelete(ctx, "", owner), "expects a leaderboard ID string"},
		"delete owner":   {n.LeaderboardRecordDelete(ctx, "auth", badID), "expects owner ID to be a valid identifier"},
		"delete owner 2": {n.LeaderboardRecordDelete(ctx, "auth", ""), "expects owner ID to be a valid identifier"},
	} {
		t.Run(name, func(t *testing.T) { wantArgMessage(t, tc.err, tc.want) })
	}
	wantArgMessage(t, errOf2(n.LeaderboardRecordWrite(ctx, "missing", owner, "", 1, 0, nil, nil)), "leaderboard not found")
	wantArgMessage(t, n.LeaderboardRecordDelete(ctx, "missing", owner), "leaderboard not found")

	// The server writes to authoritative boards.
	rec, err := n.LeaderboardRecordWrite(ctx, "auth", owner, "alice", 10, 1, map[string]any{"car": "red"}, nil)
	must(t, err)
	if rec.Score != 10 || rec.Subscore != 1 || rec.Rank != 1 || rec.NumScore != 1 || rec.Username.GetValue() != "alice" ||
		rec.Metadata != `{"car": "red"}` || rec.LeaderboardId != "auth" || rec.OwnerId != owner || rec.ExpiryTime != nil {
		t.Fatalf("first write: %v", rec)
	}
	// Under best a lower score changes nothing; metadata stays when none is given.
	rec, err = n.LeaderboardRecordWrite(ctx, "auth", owner, "", 5, 0, nil, nil)
	must(t, err)
	if rec.Score != 10 || rec.NumScore != 1 || rec.Metadata != `{"car": "red"}` {
		t.Fatalf("worse score under best: %v", rec)
	}
	// Overrides: 2 set, 3 increment, 4 decrement, 0 the board's own (best).
	for _, step := range []struct {
		op         *int
		score      int64
		want, subs int64
	}{
		{op(2), 5, 5, 0},
		{op(3), 7, 12, 0},
		{op(4), 2, 10, 0},
		{op(0), 3, 10, 0},
		{op(1), 11, 11, 0},
	} {
		rec, err = n.LeaderboardRecordWrite(ctx, "auth", owner, "", step.score, 0, nil, step.op)
		must(t, err)
		if rec.Score != step.want {
			t.Fatalf("operator %d score %d: got %d, want %d", *step.op, step.score, rec.Score, step.want)
		}
	}

	must(t, n.LeaderboardRecordDelete(ctx, "auth", owner)) // authoritative: the server may
	must(t, n.LeaderboardRecordDelete(ctx, "auth", owner)) // no record: nothing to do
	recs, _, _, _, err := n.LeaderboardRecordsList(ctx, "auth", []string{owner}, 10, "", 0)
	must(t, err)
	if len(recs) != 0 {
		t.Fatalf("deleted record listed: %v", recs)
	}
}

// board writes scores 100, 90, ... for n owners (ascending ids) to a descending board
// and returns the owners best first.
func board(t *testing.T, e *env, id string, n int) []string {
	t.Helper()
	must(t, e.nk.LeaderboardCreate(ctx, id, false, "desc", "best", "", nil, true))
	os := owners(n)
	for i, o := range os {
		_, err := e.nk.LeaderboardRecordWrite(ctx, id, o, "", int64(100-10*i), 0, nil, nil)
		must(t, err)
	}
	return os
}

func TestLeaderboardRecordsListAndCursorFromRank(t *testing.T) {
	e := newEnv(t)
	n := e.nk
	os := board(t, e, "b", 10)
	want := func(from, to int) []string {
		var out []string
		for r := from; r <= to; r++ {
			out = append(out, fmt.Sprintf("%s:%d", os[r-1][:8], r))
		}
		return out
	}

	recs, own, next, prev, err := n.LeaderboardRecordsList(ctx, "b", []string{os[7], os[2]}, 3, "", 0)
	must(t, err)
	if diff := cmp.Diff(want(1, 3), ids(recs)); diff != "" || prev != "" || next == "" {
		t.Fatalf("first page (-want +got):\n%s prev=%q next=%q", diff, prev, next)
	}
	if diff := cmp.Diff([]string{os[2][:8] + ":3", os[7][:8] + ":8"}, ids(own)); diff != "" {
		t.Fatalf("owner records (-want +got):\n%s", diff)
	}
	recs, _, next2, prev2, err := n.LeaderboardRecordsList(ctx, "b", nil, 3, next, 0)
	must(t, err)
	if diff := cmp.Diff(want(4, 6), ids(recs)); diff != "" || prev2 == "" || next2 == "" {
		t.Fatalf("second page (-want +got):\n%s", diff)
	}
	// Limit 0 lists only the owners' records.
	recs, own, _, _, err = n.LeaderboardRecordsList(ctx, "b", []string{os[0]}, 0, "", 0)
	must(t, err)
	if len(recs) != 0 || len(own) != 1 || own[0].Rank != 1 {
		t.Fatalf("owners only: %v %v", recs, own)
	}
	// The runtime may read pages far larger than clients may.
	recs, _, _, _, err = n.LeaderboardRecordsList(ctx, "b", nil, 10000, "", 0)
	must(t, err)
	if len(recs) != 10 {
		t.Fatalf("large page: %d records", len(recs))
	}

	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"no id":        {errOf5(n.LeaderboardRecordsList(ctx, "", nil, 1, "", 0)), "expects a leaderboard ID string"},
		"bad owner":    {errOf5(n.LeaderboardRecordsList(ctx, "b", []string{badID}, 1, "", 0)), "expects each owner ID to be a valid identifier"},
		"limit -1":     {errOf5(n.LeaderboardRecordsList(ctx, "b", nil, -1, "", 0)), "expects limit to be 0-10000"},
		"limit 10001":  {errOf5(n.LeaderboardRecordsList(ctx, "b", nil, 10001, "", 0)), "expects limit to be 0-10000"},
		"expiry":       {errOf5(n.LeaderboardRecordsList(ctx, "b", nil, 1, "", -1)), "expects expiry to equal or greater than 0"},
		"rank no id":   {errOf2(n.LeaderboardRecordsListCursorFromRank("", 2, 0)), "invalid leaderboard id"},
		"rank 0":       {errOf2(n.LeaderboardRecordsListCursorFromRank("b", 0, 0)), "invalid rank - must be > 1"},
		"rank expiry":  {errOf2(n.LeaderboardRecordsListCursorFromRank("b", 2, -1)), "expects expiry to equal or greater than 0"},
		"cron next":    {errOf2(n.CronNext("every day", 0)), "expects a valid cron string"},
		"cron prev":    {errOf2(n.CronPrev("", 0)), "expects a valid cron string"},
		"cron 6 field": {errOf2(n.CronNext("0 0 0 * * *", 0)), "expects a valid cron string"},
	} {
		t.Run(name, func(t *testing.T) { wantArgMessage(t, tc.err, tc.want) })
	}
	wantArgMessage(t, errOf5(n.LeaderboardRecordsList(ctx, "missing", nil, 1, "", 0)), "leaderboard not found")
	wantArgMessage(t, errOf5(n.LeaderboardRecordsList(ctx, "b", nil, 1, "garbage", 0)), "leaderboard cursor invalid")

	// A cursor from a rank starts the listing at that rank, and pages on from there.
	for _, r := range []int64{2, 5, 10} {
		c, err := n.LeaderboardRecordsListCursorFromRank("b", r, 0)
		must(t, err)
		recs, _, _, prev, err := n.LeaderboardRecordsList(ctx, "b", nil, 3, c, 0)
		must(t, err)
		if diff := cmp.Diff(want(int(r), min(int(r)+2, 10)), ids(recs)); diff != "" || prev == "" {
			t.Fatalf("from rank %d (-want +got):\n%s", r, diff)
		}
	}
	if c, err := n.LeaderboardRecordsListCursorFromRank("b", 1, 0); err != nil || c != "" {
		t.Fatalf("rank 1 needs no cursor: %q %v", c, err)
	}
	wantArgMessage(t, errOf2(n.LeaderboardRecordsListCursorFromRank("b", 12, 0)), `failed to get cursor from rank: rank entry 11 not found for leaderboard "b" with expiry 0`)
	must(t, n.LeaderboardCreate(ctx, "empty", false, "desc", "best", "", nil, true))
	wantArgMessage(t, errOf2(n.LeaderboardRecordsListCursorFromRank("empty", 2, 0)), `failed to get cursor from rank: rank cache for leaderboard "empty" with expiry 0 not found`)
	// Nakama's own "leaderboard not found", not nakama-common's sentinel (TestBoardErrors).
	wantArgMessage(t, errOf2(n.LeaderboardRecordsListCursorFromRank("missing", 2, 0)), "leaderboard not found")
}

func TestLeaderboardRecordsHaystack(t *testing.T) {
	e := newEnv(t)
	n := e.nk
	os := board(t, e, "b", 10)
	list, err := n.LeaderboardRecordsHaystack(ctx, "b", os[4], 3, "", 0)
	must(t, err)
	want := []string{os[3][:8] + ":4", os[4][:8] + ":5", os[5][:8] + ":6"}
	if diff := cmp.Diff(want, ids(list.Records)); diff != "" || list.RankCount != 10 || list.PrevCursor == "" || list.NextCursor == "" {
		t.Fatalf("around rank 5 (-want +got):\n%s %v", diff, list)
	}
	// The next cursor pages on as an ordinary listing.
	page, err := n.LeaderboardRecordsHaystack(ctx, "b", os[4], 3, list.NextCursor, 0)
	must(t, err)
	if diff := cmp.Diff([]string{os[6][:8] + ":7", os[7][:8] + ":8", os[8][:8] + ":9"}, ids(page.Records)); diff != "" {
		t.Fatalf("next page (-want +got):\n%s", diff)
	}
	// At the top the window fills from below.
	top, err := n.LeaderboardRecordsHaystack(ctx, "b", os[0], 4, "", 0)
	must(t, err)
	if diff := cmp.Diff([]string{os[0][:8] + ":1", os[1][:8] + ":2", os[2][:8] + ":3", os[3][:8] + ":4"}, ids(top.Records)); diff != "" {
		t.Fatalf("top (-want +got):\n%s", diff)
	}
	none, err := n.LeaderboardRecordsHaystack(ctx, "b", unknownID, 3, "", 0)
	must(t, err)
	if len(none.Records) != 0 || none.Records == nil {
		t.Fatalf("owner without a record: %v", none)
	}
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"no id":     {errOf2(n.LeaderboardRecordsHaystack(ctx, "", os[0], 3, "", 0)), "expects a leaderboard ID string"},
		"bad owner": {errOf2(n.LeaderboardRecordsHaystack(ctx, "b", badID, 3, "", 0)), "expects owner ID to be a valid identifier"},
		"limit 0":   {errOf2(n.LeaderboardRecordsHaystack(ctx, "b", os[0], 0, "", 0)), "limit must be 1-100"},
		"limit 101": {errOf2(n.LeaderboardRecordsHaystack(ctx, "b", os[0], 101, "", 0)), "limit must be 1-100"},
		"expiry":    {errOf2(n.LeaderboardRecordsHaystack(ctx, "b", os[0], 3, "", -1)), "expiry should be time since epoch in seconds and has to be a positive integer"},
	} {
		t.Run(name, func(t *testing.T) { wantArgMessage(t, tc.err, tc.want) })
	}
	wantArgMessage(t, errOf2(n.LeaderboardRecordsHaystack(ctx, "missing", os[0], 3, "", 0)), "leaderboard not found")
}

func TestLeaderboardRanksDisable(t *testing.T) {
	e := newEnv(t)
	n := e.nk
	os := board(t, e, "b", 4)
	must(t, n.LeaderboardRanksDisable(ctx, "b"))
	must(t, n.LeaderboardRanksDisable(ctx, "b")) // already disabled: nothing to do
	rec, err := n.LeaderboardRecordWrite(ctx, "b", os[3], "", 1000, 0, nil, nil)
	must(t, err)
	if rec.Rank != 0 {
		t.Fatalf("write reports rank %d", rec.Rank)
	}
	recs, own, _, _, err := n.LeaderboardRecordsList(ctx, "b", []string{os[1]}, 10, "", 0)
	must(t, err)
	if len(recs) != 4 || recs[0].OwnerId != os[3] || len(own) != 1 || own[0].Rank != 0 {
		t.Fatalf("listing: %v owners %v", recs, own)
	}
	list, err := n.LeaderboardRecordsHaystack(ctx, "b", os[1], 3, "", 0)
	must(t, err)
	if len(list.Records) != 3 || list.RankCount != 0 {
		t.Fatalf("haystack: %v", list)
	}
	for _, r := range list.Records {
		if r.Rank != 0 {
			t.Fatalf("haystack record ranked: %v", r)
		}
	}
	wantArgMessage(t, errOf2(n.LeaderboardRecordsListCursorFromRank("b", 2, 0)), "failed to get cursor from rank: rank cache is disabled for leaderboard: b")

	// Created without ranks.
	must(t, n.LeaderboardCreate(ctx, "unranked", false, "desc", "best", "", nil, false))
	rec, err = n.LeaderboardRecordWrite(ctx, "unranked", os[0], "", 5, 0, nil, nil)
	must(t, err)
	if rec.Rank != 0 {
		t.Fatalf("unranked board reports rank %d", rec.Rank)
	}
	wantSentinel(t, n.LeaderboardRanksDisable(ctx, "missing"), runtime.ErrLeaderboardNotFound)
	must(t, n.TournamentCreate(ctx, "cup", false, "desc", "best", "", nil, "", "", 0, 0, 0, 60, 0, 0, false, true))
	wantSentinel(t, n.LeaderboardRanksDisable(ctx, "cup"), runtime.ErrLeaderboardNotFound)
}

func TestCronNextPrev(t *testing.T) {
	e := newEnv(t)
	at := time.Date(2026, 3, 10, 11, 30, 15, 0, time.UTC).Unix()
	next, err := e.nk.CronNext("0 12 * * *", at)
	must(t, err)
	prev, err := e.nk.CronPrev("0 12 * * *", at)
	must(t, err)
	noon := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC).Unix()
	if next != noon || prev != noon-86400 {
		t.Fatalf("next %d prev %d, want %d %d", next, prev, noon, noon-86400)
	}
	// Strictly after and before: a time on the schedule gives the neighbouring ones.
	if next, _ := e.nk.CronNext("0 12 * * *", noon); next != noon+86400 {
		t.Fatalf("next from a firing time: %d", next)
	}
	if prev, _ := e.nk.CronPrev("0 12 * * *", noon); prev != noon-86400 {
		t.Fatalf("prev from a firing time: %d", prev)
	}
}

func errOf5[A, B, C, D any](_ A, _ B, _ C, _ D, err error) error { return err }
