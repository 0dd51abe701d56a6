package nk

import (
	"context"

	"github.com/heroiclabs/nakama-common/api"
)

// Callbacks the leaderboard and tournament schedulers fire. Each runs the function a
// module registered (none: nothing happens) in the matching execution mode, and returns
// its error for the scheduler to log.

// LeaderboardReset runs the RegisterLeaderboardReset function for a board that reset.
func (r *Runtime) LeaderboardReset(ctx context.Context, lb *api.Leaderboard, reset int64) (err error) {
	fn := r.later.LeaderboardReset
	if fn == nil {
		return nil
	}
	ctx = r.moduleContext(ctx, modeLeaderboardReset, nil)
	r.safely("leaderboard reset", func() { err = fn(ctx, r.rtlog, r.db, r.nk, lb, reset) })
	return err
}

// TournamentEnd runs the RegisterTournamentEnd function for a tournament that ended.
func (r *Runtime) TournamentEnd(ctx context.Context, t *api.Tournament, end, reset int64) (err error) {
	fn := r.later.TournamentEnd
	if fn == nil {
		return nil
	}
	ctx = r.moduleContext(ctx, modeTournamentEnd, nil)
	r.safely("tournament end", func() { err = fn(ctx, r.rtlog, r.db, r.nk, t, end, reset) })
	return err
}

// TournamentReset runs the RegisterTournamentReset function for a tournament that reset.
func (r *Runtime) TournamentReset(ctx context.Context, t *api.Tournament, end, reset int64) (err error) {
	fn := r.later.TournamentReset
	if fn == nil {
		return nil
	}
	ctx = r.moduleContext(ctx, modeTournamentReset, nil)
	r.safely("tournament reset", func() { err = fn(ctx, r.rtlog, r.db, r.nk, t, end, reset) })
	return err
}
