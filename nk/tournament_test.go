package nk_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/nk"
)

// tournament creates a tournament with the given window and limits, no reset schedule.
func tournament(t *testing.T, e *env, id string, start, duration, maxSize, maxNumScore int, joinRequired bool) {
	t.Helper()
	must(t, e.nk.TournamentCreate(ctx, id, true, "desc", "best", "", nil, "Title "+id, "", 1, start, 0, duration, maxSize, maxNumScore, joinRequired, true))
}

func TestTournamentCreateGetListDelete(t *testing.T) {
	e := newEnv(t)
	n := e.nk
	create := func(id, sort, oper, cron string, category, start, end, duration, maxSize, maxNumScore int) error {
		return n.TournamentCreate(ctx, id, true, sort, oper, cron, nil, "", "", category, start, end, duration, maxSize, maxNumScore, false, true)
	}
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"no id":         {create("", "desc", "best", "", 0, 0, 0, 60, 0, 0), "expects a tournament ID string"},
		"sort":          {create("t", "up", "best", "", 0, 0, 0, 60, 0, 0), "expects sort order to be 'asc' or 'desc'"},
		"operator":      {create("t", "desc", "most", "", 0, 0, 0, 60, 0, 0), "expects sort order to be 'best', 'set', 'incr' or 'decr'"},
		"cron":          {create("t", "desc", "best", "noon", 0, 0, 0, 60, 0, 0), "expects reset schedule to be a valid CRON expression"},
		"category":      {create("t", "desc", "best", "", 128, 0, 0, 60, 0, 0), "category must be 0-127"},
		"category -1":   {create("t", "desc", "best", "", -1, 0, 0, 60, 0, 0), "category must be 0-127"},
		"start":         {create("t", "desc", "best", "", 0, -1, 0, 60, 0, 0), "startTime must be >= 0"},
		"end":           {create("t", "desc", "best", "", 0, 0, -1, 60, 0, 0), "endTime must be >= 0"},
		"end < start":   {create("t", "desc", "best", "", 0, 2000000000, 1900000000, 60, 0, 0), "endTime must be >= startTime"},
		"duration":      {create("t", "desc", "best", "", 0, 0, 0, 0, 0, 0), "duration must be > 0"},
		"max size":      {create("t", "desc", "best", "", 0, 0, 0, 60, -1, 0), "maxSize must be >= 0"},
		"max num score": {create("t", "desc", "best", "", 0, 0, 0, 60, 0, -1), "maxNumScore must be >= 0"},
	} {
		t.Run(name, func(t *testing.T) { wantArgMessage(t, tc.err, tc.want) })
	}

	now := int(e.core.Now().Unix())
	must(t, n.TournamentCreate(ctx, "daily", true, "asc", "incr", "0 12 * * *", map[string]any{"m": 1}, "Daily", "A day", 7, 0, 0, 3600, 50, 3, true, true))
	for i := range 3 {
		must(t, create(fmt.Sprintf("c%d", i), "desc", "best", "", 2, now+i, 0, 60, 0, 0))
	}
	must(t, n.LeaderboardCreate(ctx, "plain", false, "desc", "best", "", nil, true))

	if got, err := n.TournamentsGetId(ctx, nil); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("no ids: %v %v", got, err)
	}
	got, err := n.TournamentsGetId(ctx, []string{"daily", "plain", "missing"})
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("TournamentsGetId: %v", got)
	}
	d := got[0]
	if d.Id != "daily" || d.Title != "Daily" || d.Description != "A day" || d.Category != 7 || d.SortOrder != 0 ||
		d.Operator != api.Operator_INCREMENT || d.MaxSize != 50 || d.MaxNumScore != 3 || d.Duration != 3600 ||
		!d.JoinRequired || !d.Authoritative || d.Metadata != `{"m": 1}` || d.NextReset == 0 || d.EndTime != nil ||
		d.StartTime == nil || d.CreateTime == nil || d.EndActive > d.NextReset {
		t.Fatalf("daily: %v", d)
	}

	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"category start": {errOf2(n.TournamentList(ctx, 128, 127, 0, 0, 10, "")), "categoryStart must be 0-127"},
		"category end":   {errOf2(n.TournamentList(ctx, 0, -1, 0, 0, 10, "")), "categoryEnd must be 0-127"},
		"start":          {errOf2(n.TournamentList(ctx, 0, 127, -1, 0, 10, "")), "startTime must be >= 0"},
		"end":            {errOf2(n.TournamentList(ctx, 0, 127, 0, -1, 10, "")), "endTime must be >= 0"},
		"end < start":    {errOf2(n.TournamentList(ctx, 0, 127, 10, 5, 10, "")), "endTime must be >= startTime"},
		"limit":          {errOf2(n.TournamentList(ctx, 0, 127, 0, 0, 0, "")), "limit must be 1-100"},
		"limit 101":      {errOf2(n.TournamentList(ctx, 0, 127, 0, 0, 101, "")), "limit must be 1-100"},
	} {
		t.Run(name, func(t *testing.T) { wantArgMessage(t, tc.err, tc.want) })
	}
	var listed []string
	cursor := ""
	for {
		page, err := n.TournamentList(ctx, 0, 127, 0, 0, 2, cursor)
		must(t, err)
		for _, tr := range page.Tournaments {
			listed = append(listed, tr.Id)
		}
		if cursor = page.Cursor; cursor == "" {
			break
		}
	}
	if diff := cmp.Diff([]string{"c0", "c1", "c2", "daily"}, listed); diff != "" {
		t.Fatalf("TournamentList pages (-want +got):\n%s", diff)
	}
	only, err := n.TournamentList(ctx, 7, 7, 0, 0, 10, "")
	must(t, err)
	if len(only.Tournaments) != 1 || only.Tournaments[0].Id != "daily" {
		t.Fatalf("category 7: %v", only.Tournaments)
	}
	wantArgMessage(t, errOf2(n.TournamentList(ctx, 0, 127, 0, 0, 2, "!!")), "expects cursor to be valid when provided")

	wantArgMessage(t, n.TournamentDelete(ctx, ""), "expects a tournament ID string")
	must(t, n.TournamentDelete(ctx, "c1"))
	must(t, n.TournamentDelete(ctx, "c1"))
	must(t, n.TournamentDelete(ctx, "plain")) // not a tournament: left alone
	if got, _ := n.TournamentsGetId(ctx, []string{"c1"}); len(got) != 0 {
		t.Fatalf("deleted tournament: %v", got)
	}
	if got, _ := n.LeaderboardsGetId(ctx, []string{"plain"}); len(got) != 1 {
		t.Fatal("TournamentDelete deleted a leaderboard")
	}
}

func TestTournamentJoinWriteAttempts(t *testing.T) {
	clk := newClock(time.Now().Truncate(time.Second))
	e := newEnvWith(t, envOptions{now: clk.now})
	n := e.nk
	start := int(clk.now().Unix())
	tournament(t, e, "t", start, 3600, 2, 2, true)
	os := owners(3)
	a, b, c := os[0], os[1], os[2]

	wantSentinel(t, errOf2(n.TournamentRecordWrite(ctx, "t", a, "", 10, 0, nil, nil)), runtime.ErrTournamentWriteJoinRequired)
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"join no id":     {n.TournamentJoin(ctx, "", a, "a"), "expects a tournament ID string"},
		"join no owner":  {n.TournamentJoin(ctx, "t", "", "a"), "expects a owner ID string"},
		"join bad owner": {n.TournamentJoin(ctx, "t", badID, "a"), "expects owner ID to be a valid identifier"},
		"join username":  {n.TournamentJoin(ctx, "t", a, ""), "expects a username string"},
		"write no id":    {errOf2(n.TournamentRecordWrite(ctx, "", a, "", 1, 0, nil, nil)), "expects a tournament ID string"},
		"write owner":    {errOf2(n.TournamentRecordWrite(ctx, "t", badID, "", 1, 0, nil, nil)), "expects owner ID to be a valid identifier"},
		"write operator": {errOf2(n.TournamentRecordWrite(ctx, "t", a, "", 1, 0, nil, op(9))), "invalid operator"},
		"attempt no id":  {n.TournamentAddAttempt(ctx, "", a, 1), "expects a tournament ID string"},
		"attempt owner":  {n.TournamentAddAttempt(ctx, "t", "", 1), "expects a owner ID string"},
		"attempt bad":    {n.TournamentAddAttempt(ctx, "t", badID, 1), "expects owner ID to be a valid identifier"},
		"attempt zero":   {n.TournamentAddAttempt(ctx, "t", a, 0), "expects an attempt count number != 0"},
	} {
		t.Run(name, func(t *testing.T) { wantArgMessage(t, tc.err, tc.want) })
	}
	wantSentinel(t, n.TournamentJoin(ctx, "missing", a, "a"), runtime.ErrTournamentNotFound)
	wantSentinel(t, errOf2(n.TournamentRecordWrite(ctx, "missing", a, "", 1, 0, nil, nil)), runtime.ErrTournamentNotFound)
	wantSentinel(t, n.TournamentAddAttempt(ctx, "missing", a, 1), runtime.ErrTournamentNotFound)

	must(t, n.TournamentJoin(ctx, "t", a, "alice"))
	must(t, n.TournamentJoin(ctx, "t", a, "alice")) // again: succeeds
	must(t, n.TournamentJoin(ctx, "t", b, "bob"))
	wantSentinel(t, n.TournamentJoin(ctx, "t", c, "carol"), runtime.ErrTournamentMaxSizeReached)
	got, err := n.TournamentsGetId(ctx, []string{"t"})
	must(t, err)
	if got[0].Size != 2 || got[0].CanEnter {
		t.Fatalf("full tournament: size %d can_enter %v", got[0].Size, got[0].CanEnter)
	}

	// The tournament is authoritative: the server writes to it. Two attempts each.
	for i, score := range []int64{10, 20} {
		rec, err := n.TournamentRecordWrite(ctx, "t", a, "", score, 0, map[string]any{"try": i}, nil)
		must(t, err)
		if rec.Score != score || rec.NumScore != int32(i+1) || rec.MaxNumScore != 2 || rec.Rank != 1 || rec.Username.GetValue() != "alice" {
			t.Fatalf("write %d: %v", i, rec)
		}
	}
	wantSentinel(t, errOf2(n.TournamentRecordWrite(ctx, "t", a, "", 30, 0, nil, nil)), runtime.ErrTournamentWriteMaxNumScoreReached)
	must(t, n.TournamentAddAttempt(ctx, "t", a, 1))
	rec, err := n.TournamentRecordWrite(ctx, "t", a, "", 30, 0, nil, op(2)) // set
	must(t, err)
	if rec.Score != 30 || rec.MaxNumScore != 3 || rec.Metadata != `{"try": 1}` { // no metadata: kept (COMPAT 59)
		t.Fatalf("after an extra attempt: %v", rec)
	}
	must(t, n.TournamentAddAttempt(ctx, "t", b, -2)) // takes b's attempts away
	wantSentinel(t, errOf2(n.TournamentRecordWrite(ctx, "t", b, "", 5, 0, nil, nil)), runtime.ErrTournamentWriteMaxNumScoreReached)

	// After the window: no writes, attempts or joins.
	clk.advance(3601 * time.Second)
	wantSentinel(t, errOf2(n.TournamentRecordWrite(ctx, "t", a, "", 40, 0, nil, nil)), runtime.ErrTournamentOutsideDuration)
	wantSentinel(t, n.TournamentAddAttempt(ctx, "t", a, 1), runtime.ErrTournamentOutsideDuration)
	wantSentinel(t, n.TournamentJoin(ctx, "t", c, "carol"), runtime.ErrTournamentOutsideDuration)

	// Before the window.
	tournament(t, e, "later", start+86400, 60, 0, 0, false)
	wantSentinel(t, errOf2(n.TournamentRecordWrite(ctx, "later", a, "", 1, 0, nil, nil)), runtime.ErrTournamentOutsideDuration)

	// Without joining, entrants count towards the size as they first write.
	tournament(t, e, "open", int(clk.now().Unix()), 60, 1, 0, false)
	must(t, errOf2(n.TournamentRecordWrite(ctx, "open", a, "", 1, 0, nil, nil)))
	wantSentinel(t, errOf2(n.TournamentRecordWrite(ctx, "open", b, "", 1, 0, nil, nil)), runtime.ErrTournamentMaxSizeReached)
}

func TestTournamentRecordsListHaystackDelete(t *testing.T) {
	e := newEnv(t)
	n := e.nk
	tournament(t, e, "t", 0, 3600, 0, 0, false)
	os := owners(6)
	for i, o := range os {
		_, err := n.TournamentRecordWrite(ctx, "t", o, "", int64(100-10*i), 0, nil, nil)
		must(t, err)
	}
	recs, own, prev, next, err := n.TournamentRecordsList(ctx, "t", []string{os[4]}, 2, "", 0)
	must(t, err)
	if diff := cmp.Diff([]string{os[0][:8] + ":1", os[1][:8] + ":2"}, ids(recs)); diff != "" || prev != "" || next == "" {
		t.Fatalf("first page (-want +got):\n%s prev=%q next=%q", diff, prev, next)
	}
	if len(own) != 1 || own[0].Rank != 5 {
		t.Fatalf("owner records: %v", own)
	}
	recs, _, prev, next, err = n.TournamentRecordsList(ctx, "t", nil, 2, next, 0)
	must(t, err)
	if diff := cmp.Diff([]string{os[2][:8] + ":3", os[3][:8] + ":4"}, ids(recs)); diff != "" || prev == "" || next == "" {
		t.Fatalf("second page (-want +got):\n%s", diff)
	}
	back, _, _, _, err := n.TournamentRecordsList(ctx, "t", nil, 2, prev, 0)
	must(t, err)
	if diff := cmp.Diff([]string{os[0][:8] + ":1", os[1][:8] + ":2"}, ids(back)); diff != "" {
		t.Fatalf("back (-want +got):\n%s", diff)
	}
	// A cursor from a rank works on tournaments too.
	c, err := n.LeaderboardRecordsListCursorFromRank("t", 5, 0)
	must(t, err)
	recs, _, _, _, err = n.TournamentRecordsList(ctx, "t", nil, 5, c, 0)
	must(t, err)
	if diff := cmp.Diff([]string{os[4][:8] + ":5", os[5][:8] + ":6"}, ids(recs)); diff != "" {
		t.Fatalf("from rank 5 (-want +got):\n%s", diff)
	}

	hay, err := n.TournamentRecordsHaystack(ctx, "t", os[3], 3, "", 0)
	must(t, err)
	if diff := cmp.Diff([]string{os[2][:8] + ":3", os[3][:8] + ":4", os[4][:8] + ":5"}, ids(hay.Records)); diff != "" || hay.RankCount != 6 {
		t.Fatalf("haystack (-want +got):\n%s", diff)
	}
	// The previous cursor pages back (COMPAT 60).
	before, err := n.TournamentRecordsHaystack(ctx, "t", os[3], 3, hay.PrevCursor, 0)
	must(t, err)
	if diff := cmp.Diff([]string{os[0][:8] + ":1", os[1][:8] + ":2"}, ids(before.Records)); diff != "" {
		t.Fatalf("haystack back (-want +got):\n%s", diff)
	}

	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"list no id":   {errOf5(n.TournamentRecordsList(ctx, "", nil, 1, "", 0)), "expects a tournament ID strings"},
		"list owners":  {errOf5(n.TournamentRecordsList(ctx, "t", []string{badID}, 1, "", 0)), "One or more ownerIDs are invalid."},
		"list limit":   {errOf5(n.TournamentRecordsList(ctx, "t", nil, 10001, "", 0)), "expects limit to be 0-10000"},
		"list expiry":  {errOf5(n.TournamentRecordsList(ctx, "t", nil, 1, "", -1)), "expects expiry to equal or greater than 0"},
		"hay no id":    {errOf2(n.TournamentRecordsHaystack(ctx, "", os[0], 1, "", 0)), "expects a tournament ID string"},
		"hay owner":    {errOf2(n.TournamentRecordsHaystack(ctx, "t", "", 1, "", 0)), "expects owner ID to be a valid identifier"},
		"hay limit":    {errOf2(n.TournamentRecordsHaystack(ctx, "t", os[0], 0, "", 0)), "limit must be 1-100"},
		"hay expiry":   {errOf2(n.TournamentRecordsHaystack(ctx, "t", os[0], 1, "", -5)), "expiry should be time since epoch in seconds and has to be a positive integer"},
		"delete no id": {n.TournamentRecordDelete(ctx, "", os[0]), "expects a tournament ID string"},
		"delete owner": {n.TournamentRecordDelete(ctx, "t", badID), "expects owner ID to be a valid identifier"},
	} {
		t.Run(name, func(t *testing.T) { wantArgMessage(t, tc.err, tc.want) })
	}
	wantSentinel(t, errOf5(n.TournamentRecordsList(ctx, "missing", nil, 1, "", 0)), runtime.ErrTournamentNotFound)
	wantArgMessage(t, errOf2(n.TournamentRecordsHaystack(ctx, "missing", os[0], 1, "", 0)), "leaderboard not found") // Nakama's haystack answers so
	wantSentinel(t, n.TournamentRecordDelete(ctx, "missing", os[0]), runtime.ErrTournamentNotFound)

	// The tournament is authoritative: the server deletes from it.
	must(t, n.TournamentRecordDelete(ctx, "t", os[0]))
	recs, _, _, _, err = n.TournamentRecordsList(ctx, "t", nil, 10, "", 0)
	must(t, err)
	if len(recs) != 5 || recs[0].OwnerId != os[1] || recs[0].Rank != 1 {
		t.Fatalf("after delete: %v", ids(recs))
	}

	must(t, n.TournamentRanksDisable(ctx, "t"))
	rec, err := n.TournamentRecordWrite(ctx, "t", os[5], "", 1000, 0, nil, nil)
	must(t, err)
	hay, err = n.TournamentRecordsHaystack(ctx, "t", os[5], 3, "", 0)
	must(t, err)
	if rec.Rank != 0 || hay.RankCount != 0 || hay.Records[0].Rank != 0 {
		t.Fatalf("ranks disabled: write %v haystack %v", rec, hay)
	}
	wantSentinel(t, n.TournamentRanksDisable(ctx, "missing"), runtime.ErrTournamentNotFound)
	must(t, n.LeaderboardCreate(ctx, "plain", false, "desc", "best", "", nil, true))
	wantSentinel(t, n.TournamentRanksDisable(ctx, "plain"), runtime.ErrTournamentNotFound)
}

// TestScheduleHooks drives core's schedule checker across a leaderboard reset and a
// tournament's window end and reset, and sees the module's registered functions run.
func TestScheduleHooks(t *testing.T) {
	var mu sync.Mutex
	var events []string
	var lastBoard *api.Leaderboard
	var lastTournament *api.Tournament
	record := func(ctx context.Context, s string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, fmt.Sprintf("%s %s", ctx.Value(runtime.RUNTIME_CTX_MODE), s))
	}
	module := func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, init runtime.Initializer) error {
		must(t, init.RegisterLeaderboardReset(func(ctx context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, l *api.Leaderboard, reset int64) error {
			lastBoard = l
			record(ctx, fmt.Sprintf("%s %d", l.Id, reset))
			return nil
		}))
		must(t, init.RegisterTournamentEnd(func(ctx context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, tr *api.Tournament, end, reset int64) error {
			lastTournament = tr
			record(ctx, fmt.Sprintf("%s %d %d", tr.Id, end, reset))
			return nil
		}))
		return init.RegisterTournamentReset(func(ctx context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, tr *api.Tournament, end, reset int64) error {
			record(ctx, fmt.Sprintf("%s %d %d", tr.Id, end, reset))
			return fmt.Errorf("only logged")
		})
	}
	// Next year: the board's create time (the database's clock) is before the checker's.
	year := time.Now().Year() + 1
	clk := newClock(time.Date(year, 3, 10, 11, 0, 0, 0, time.UTC))
	hooks := &nk.ScheduleHooks{}
	e := newEnvWith(t, envOptions{now: clk.now, hooks: hooks, modules: []nk.InitModule{module}, noStart: true})
	must(t, e.nk.LeaderboardCreate(ctx, "daily", false, "desc", "best", "0 12 * * *", nil, true))
	must(t, e.nk.TournamentCreate(ctx, "cup", false, "desc", "best", "0 12 * * *", nil, "Cup", "", 3, int(clk.now().Unix())-86400, 0, 3600, 0, 0, true, true))

	check := e.core.LeaderboardSchedules()
	noon := time.Date(year, 3, 10, 12, 0, 0, 0, time.UTC).Unix()
	var passes [][]string
	for _, step := range []time.Duration{0, time.Hour, time.Hour, 23*time.Hour + time.Minute} {
		clk.advance(step)
		check(ctx) // returns once the pass's hooks have
		mu.Lock()
		slices.Sort(events) // boards' hooks run side by side
		passes, events = append(passes, events), nil
		mu.Unlock()
	}
	want := [][]string{
		nil, // 11:00: nothing ended since the checker first looked
		{ // 12:00: the board's period and yesterday's tournament period end
			fmt.Sprintf("leaderboard_reset daily %d", noon),
			fmt.Sprintf("tournament_reset cup %d %d", noon-86400+3600, noon),
		},
		{fmt.Sprintf("tournament_end cup %d %d", noon+3600, noon+86400)}, // 13:00: today's window closes
		{ // just after noon the next day
			fmt.Sprintf("leaderboard_reset daily %d", noon+86400),
			fmt.Sprintf("tournament_reset cup %d %d", noon+3600, noon+86400),
		},
	}
	if diff := cmp.Diff(want, passes); diff != "" {
		t.Fatalf("hooks (-want +got):\n%s", diff)
	}
	// The module sees the board and the tournament as LeaderboardsGetId and
	// TournamentsGetId show them.
	if lastBoard.Id != "daily" || lastBoard.SortOrder != 1 || lastBoard.Operator != api.Operator_BEST ||
		lastBoard.PrevReset != uint32(noon+86400) || lastBoard.NextReset != uint32(noon+2*86400) {
		t.Fatalf("leaderboard: %v", lastBoard)
	}
	if lastTournament.Id != "cup" || lastTournament.Title != "Cup" || lastTournament.Category != 3 || !lastTournament.JoinRequired ||
		lastTournament.Duration != 3600 || lastTournament.StartActive != uint32(noon) || lastTournament.EndActive != uint32(noon+3600) {
		t.Fatalf("tournament: %v", lastTournament)
	}
}
