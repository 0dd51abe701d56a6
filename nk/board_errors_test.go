package nk_test

import (
	"errors"
	"testing"
	"time"

	"github.com/heroiclabs/nakama-common/runtime"
)

// TestBoardErrors holds every leaderboard and tournament function's refusals to the errors
// Nakama's Go runtime returns for them: nakama-common's sentinels by identity where Nakama
// returns one, and otherwise plain errors by text (Nakama's server-package leaderboard
// errors among them, which are not runtime's sentinels of the same text). Cases run in
// order: the earlier ones set up what later ones refuse.
func TestBoardErrors(t *testing.T) {
	clk := newClock(time.Now().Truncate(time.Second))
	e := newEnvWith(t, envOptions{now: clk.now})
	n := e.nk
	now := int(clk.now().Unix())
	os := owners(2)
	a, b := os[0], os[1]

	must(t, n.LeaderboardCreate(ctx, "lb", false, "desc", "best", "", nil, true))
	// join required, one entrant, one attempt, open for an hour
	must(t, n.TournamentCreate(ctx, "t", true, "desc", "best", "", nil, "", "", 0, now, 0, 3600, 1, 1, true, true))
	// no join, one entrant, one attempt
	must(t, n.TournamentCreate(ctx, "open", true, "desc", "best", "", nil, "", "", 0, now, 0, 3600, 1, 1, false, true))
	// starts tomorrow
	must(t, n.TournamentCreate(ctx, "later", true, "desc", "best", "", nil, "", "", 0, now+86400, 0, 60, 0, 0, false, true))
	// ended an hour ago; join required, so Nakama refuses its joins too
	must(t, n.TournamentCreate(ctx, "ended", true, "desc", "best", "", nil, "", "", 0, now-7200, now-3600, 600, 0, 0, true, true))
	must(t, n.TournamentJoin(ctx, "t", a, "a"))
	must(t, errOf2(n.TournamentRecordWrite(ctx, "open", a, "", 1, 0, nil, nil)))

	const (
		lbNotFound      = "leaderboard not found"
		recordCursor    = "leaderboard cursor invalid"
		listCursor      = "expects cursor to be valid when provided"
		idInUse         = "cannot create tournament as leaderboard is already in use"
		endBeforeReset  = "tournament end time cannot be before first reset schedule - either increase end time or change/disable reset schedule"
		endBeforeStart  = "endTime must be >= startTime"
		noError         = ""
		tNotFound       = "tournament not found"
		outsideDuration = "tournament outside of duration"
	)
	cases := []struct {
		name string
		err  error
		// is is the nakama-common sentinel Nakama returns (nil: a plain error, or none).
		is error
		// text is the error's text ("": no error).
		text string
	}{
		{"LeaderboardCreate id of a tournament", n.LeaderboardCreate(ctx, "t", false, "desc", "best", "", nil, true), nil, noError},
		{"LeaderboardDelete missing", n.LeaderboardDelete(ctx, "missing"), nil, noError},
		{"LeaderboardList bad cursor", errOf2(n.LeaderboardList(10, "!!")), nil, listCursor},
		{"LeaderboardRanksDisable missing", n.LeaderboardRanksDisable(ctx, "missing"), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRanksDisable tournament", n.LeaderboardRanksDisable(ctx, "t"), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRecordsList missing", errOf5(n.LeaderboardRecordsList(ctx, "missing", nil, 10, "", 0)), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRecordsList bad cursor", errOf5(n.LeaderboardRecordsList(ctx, "lb", nil, 10, "garbage", 0)), nil, recordCursor},
		{"LeaderboardRecordsListCursorFromRank missing", errOf2(n.LeaderboardRecordsListCursorFromRank("missing", 2, 0)), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRecordWrite missing", errOf2(n.LeaderboardRecordWrite(ctx, "missing", a, "", 1, 0, nil, nil)), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRecordWrite tournament", errOf2(n.LeaderboardRecordWrite(ctx, "open", a, "", 1, 0, nil, nil)), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRecordDelete missing", n.LeaderboardRecordDelete(ctx, "missing", a), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRecordDelete tournament", n.LeaderboardRecordDelete(ctx, "open", a), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRecordsHaystack missing", errOf2(n.LeaderboardRecordsHaystack(ctx, "missing", a, 10, "", 0)), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"LeaderboardRecordsHaystack bad cursor", errOf2(n.LeaderboardRecordsHaystack(ctx, "lb", a, 10, "garbage", 0)), nil, recordCursor},

		{"TournamentCreate id of a leaderboard", n.TournamentCreate(ctx, "lb", true, "desc", "best", "", nil, "", "", 0, 0, 0, 60, 0, 0, false, true), nil, idInUse},
		{"TournamentCreate existing", n.TournamentCreate(ctx, "t", false, "asc", "set", "", nil, "", "", 0, 0, 0, 60, 0, 0, false, true), nil, noError},
		{"TournamentCreate end before first reset", n.TournamentCreate(ctx, "daily", true, "desc", "best", "0 12 * * *", nil, "", "", 0, now, now+1, 60, 0, 0, false, true), nil, endBeforeReset},
		{"TournamentDelete missing", n.TournamentDelete(ctx, "missing"), nil, noError},
		{"TournamentDelete leaderboard", n.TournamentDelete(ctx, "lb"), nil, noError},
		{"TournamentAddAttempt missing", n.TournamentAddAttempt(ctx, "missing", a, 1), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentAddAttempt leaderboard", n.TournamentAddAttempt(ctx, "lb", a, 1), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentAddAttempt ended", n.TournamentAddAttempt(ctx, "ended", a, 1), runtime.ErrTournamentOutsideDuration, outsideDuration},
		{"TournamentJoin missing", n.TournamentJoin(ctx, "missing", b, "b"), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentJoin leaderboard", n.TournamentJoin(ctx, "lb", b, "b"), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentJoin full", n.TournamentJoin(ctx, "t", b, "b"), runtime.ErrTournamentMaxSizeReached, "tournament max size reached"},
		{"TournamentJoin ended", n.TournamentJoin(ctx, "ended", b, "b"), runtime.ErrTournamentOutsideDuration, outsideDuration},
		{"TournamentList end before start", errOf2(n.TournamentList(ctx, 0, 127, 100, 50, 10, "")), nil, endBeforeStart},
		{"TournamentList end 0 before start", errOf2(n.TournamentList(ctx, 0, 127, 100, 0, 10, "")), nil, endBeforeStart},
		{"TournamentList bad cursor", errOf2(n.TournamentList(ctx, 0, 127, 0, 0, 10, "!!")), nil, listCursor},
		{"TournamentRecordsList missing", errOf5(n.TournamentRecordsList(ctx, "missing", nil, 10, "", 0)), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentRecordsList leaderboard", errOf5(n.TournamentRecordsList(ctx, "lb", nil, 10, "", 0)), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentRecordsList ended", errOf5(n.TournamentRecordsList(ctx, "ended", nil, 10, "", 0)), runtime.ErrTournamentOutsideDuration, outsideDuration},
		{"TournamentRecordsList bad cursor", errOf5(n.TournamentRecordsList(ctx, "open", nil, 10, "garbage", 0)), nil, recordCursor},
		{"TournamentRecordWrite missing", errOf2(n.TournamentRecordWrite(ctx, "missing", a, "", 1, 0, nil, nil)), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentRecordWrite leaderboard", errOf2(n.TournamentRecordWrite(ctx, "lb", a, "", 1, 0, nil, nil)), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentRecordWrite not joined", errOf2(n.TournamentRecordWrite(ctx, "t", b, "", 1, 0, nil, nil)), runtime.ErrTournamentWriteJoinRequired, "required to join before writing tournament record"},
		{"TournamentRecordWrite attempts used", errOf2(n.TournamentRecordWrite(ctx, "open", a, "", 2, 0, nil, nil)), runtime.ErrTournamentWriteMaxNumScoreReached, "max number score count reached"},
		{"TournamentRecordWrite full", errOf2(n.TournamentRecordWrite(ctx, "open", b, "", 1, 0, nil, nil)), runtime.ErrTournamentMaxSizeReached, "tournament max size reached"},
		{"TournamentRecordWrite before start", errOf2(n.TournamentRecordWrite(ctx, "later", a, "", 1, 0, nil, nil)), runtime.ErrTournamentOutsideDuration, outsideDuration},
		{"TournamentRecordWrite ended", errOf2(n.TournamentRecordWrite(ctx, "ended", a, "", 1, 0, nil, nil)), runtime.ErrTournamentOutsideDuration, outsideDuration},
		{"TournamentRecordDelete missing", n.TournamentRecordDelete(ctx, "missing", a), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentRecordDelete leaderboard", n.TournamentRecordDelete(ctx, "lb", a), runtime.ErrTournamentNotFound, tNotFound},
		// Nakama's haystack refuses a missing tournament with its leaderboard error.
		{"TournamentRecordsHaystack missing", errOf2(n.TournamentRecordsHaystack(ctx, "missing", a, 10, "", 0)), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"TournamentRecordsHaystack leaderboard", errOf2(n.TournamentRecordsHaystack(ctx, "lb", a, 10, "", 0)), runtime.ErrLeaderboardNotFound, lbNotFound},
		{"TournamentRecordsHaystack bad cursor", errOf2(n.TournamentRecordsHaystack(ctx, "open", a, 10, "garbage", 0)), nil, recordCursor},
		{"TournamentRanksDisable missing", n.TournamentRanksDisable(ctx, "missing"), runtime.ErrTournamentNotFound, tNotFound},
		{"TournamentRanksDisable leaderboard", n.TournamentRanksDisable(ctx, "lb"), runtime.ErrTournamentNotFound, tNotFound},
	}
	sentinels := []error{runtime.ErrLeaderboardNotFound, runtime.ErrTournamentNotFound, runtime.ErrTournamentAuthoritative,
		runtime.ErrTournamentMaxSizeReached, runtime.ErrTournamentOutsideDuration, runtime.ErrTournamentWriteMaxNumScoreReached,
		runtime.ErrTournamentWriteJoinRequired}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.text == noError {
				if tc.err != nil {
					t.Fatalf("got %v, want no error", tc.err)
				}
				return
			}
			if tc.err == nil {
				t.Fatalf("got no error, want %q", tc.text)
			}
			if tc.err.Error() != tc.text {
				t.Fatalf("got %q, want %q", tc.err.Error(), tc.text)
			}
			var re *runtime.Error
			if errors.As(tc.err, &re) {
				t.Fatalf("got a *runtime.Error (code %d), want a plain error as Nakama returns", re.Code)
			}
			if tc.is != nil && tc.err != tc.is {
				t.Fatalf("got %v, want nakama-common's sentinel itself", tc.err)
			}
			for _, s := range sentinels {
				if s != tc.is && errors.Is(tc.err, s) {
					t.Fatalf("errors.Is(err, %q) is true; on Nakama it is false", s)
				}
			}
		})
	}

	// TournamentsGetId answers each tournament once, as Nakama does; LeaderboardsGetId
	// answers each id as often as it is asked, as Nakama does.
	ts, err := n.TournamentsGetId(ctx, []string{"t", "open", "t", "lb", "open"})
	must(t, err)
	if len(ts) != 2 || ts[0].Id != "t" || ts[1].Id != "open" {
		t.Fatalf("TournamentsGetId with repeated ids: %v", ts)
	}
	ls, err := n.LeaderboardsGetId(ctx, []string{"lb", "lb", "t"})
	must(t, err)
	if len(ls) != 2 {
		t.Fatalf("LeaderboardsGetId with repeated ids: %v", ls)
	}
	// TournamentCreate over a leaderboard left the leaderboard as it was.
	if ls[0].Id != "lb" || ls[0].Authoritative {
		t.Fatalf("leaderboard after TournamentCreate: %v", ls[0])
	}
	// A scheduled tournament that ends after its first reset is created; so is one created
	// already ended, as in Nakama (its end is only compared with the start given).
	must(t, n.TournamentCreate(ctx, "daily", true, "desc", "best", "0 12 * * *", nil, "", "", 0, now, now+3*86400, 60, 0, 0, false, true))
	must(t, n.TournamentCreate(ctx, "past", true, "desc", "best", "", nil, "", "", 0, 0, now-60, 60, 0, 0, false, true))
}

// wantSentinel asserts err is the nakama-common sentinel itself, as Nakama returns it.
func wantSentinel(t *testing.T, err, sentinel error) {
	t.Helper()
	if err != sentinel {
		t.Fatalf("got %v (%T), want nakama-common's %q", err, err, sentinel)
	}
}
