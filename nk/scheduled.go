package nk

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/heroiclabs/nakama-common/api"

	"github.com/hearth-server/hearth/core"
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

// ScheduleHooks connects core's schedule checker to a runtime. Core is built (and its
// checker started) before modules load, so core.Options takes these methods and the
// runtime is attached once it exists; until then, and with no runtime, they do nothing.
type ScheduleHooks struct {
	rt atomic.Pointer[Runtime]
}

// Attach makes the hooks run r's registered functions.
func (h *ScheduleHooks) Attach(r *Runtime) { h.rt.Store(r) }

// LeaderboardReset is a core.LeaderboardReset: it shows the board as LeaderboardsGetId
// would and runs the module's RegisterLeaderboardReset function.
func (h *ScheduleHooks) LeaderboardReset(ctx context.Context, l core.Leaderboard, reset int64) {
	if r := h.rt.Load(); r != nil {
		r.logHook("leaderboard reset", l.ID, r.LeaderboardReset(ctx, apiLeaderboard(&l, r.nk.core.Now()), reset))
	}
}

// TournamentEnd is a core.TournamentEnd running the module's RegisterTournamentEnd function.
func (h *ScheduleHooks) TournamentEnd(ctx context.Context, t core.Tournament, end, reset int64) {
	if r := h.rt.Load(); r != nil {
		r.logHook("tournament end", t.ID, r.TournamentEnd(ctx, apiTournament(&t), end, reset))
	}
}

// TournamentReset is a core.TournamentReset running the module's RegisterTournamentReset
// function.
func (h *ScheduleHooks) TournamentReset(ctx context.Context, t core.Tournament, end, reset int64) {
	if r := h.rt.Load(); r != nil {
		r.logHook("tournament reset", t.ID, r.TournamentReset(ctx, apiTournament(&t), end, reset))
	}
}

func (r *Runtime) logHook(what, board string, err error) {
	if err != nil {
		r.log.Error("runtime "+what+" function failed", slog.String("id", board), slog.Any("error", err))
	}
}
