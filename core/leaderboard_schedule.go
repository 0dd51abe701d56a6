package core

import (
	"context"
	"sync"
	"time"
)

// scheduleState remembers, per board, what the previous pass saw, so each period's reset
// and each active window's end is reported once.
type scheduleState struct {
	expiry  map[string]int64      // leaderboards: the period's end last seen
	last    map[string]Tournament // tournaments: the window last seen
	endDone map[string]int64      // tournaments: the period whose window end was reported

	// hooks counts the hook calls still running, for LeaderboardSchedules' callers.
	hooks sync.WaitGroup
}

// fire runs one board's hook calls of a pass, in order, on their own goroutine: a module's
// reset function that pays out rewards for minutes must not hold back the next second's
// pass, other boards' hooks, or the rank cache's trimming (Nakama, too, calls each
// callback on its own goroutine). One board's calls keep their order, so a tournament
// whose window end and period end fall in one pass reports the end before the reset.
func (st *scheduleState) fire(calls []func()) {
	if len(calls) == 0 {
		return
	}
	st.hooks.Add(1)
	go func() {
		defer st.hooks.Done()
		for _, call := range calls {
			call()
		}
	}()
}

func newScheduleState() *scheduleState {
	return &scheduleState{expiry: map[string]int64{}, last: map[string]Tournament{}, endDone: map[string]int64{}}
}

// runSchedules checks board schedules every second until ctx ends.
func (c *Core) runSchedules(ctx context.Context) {
	st := newScheduleState()
	c.checkSchedules(ctx, st)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			c.checkSchedules(ctx, st)
		}
	}
}

// LeaderboardSchedules returns a function that runs one pass of the schedule checker, as
// Start runs every second: it calls the reset and end hooks for periods and windows that
// ended since the previous pass and drops ended periods from the rank cache. Unlike
// Start's passes it returns only once the hooks it called have returned. Tests drive it
// with an injected clock.
func (c *Core) LeaderboardSchedules() func(ctx context.Context) {
	st := newScheduleState()
	return func(ctx context.Context) {
		c.checkSchedules(ctx, st)
		st.hooks.Wait()
	}
}

func (c *Core) checkSchedules(ctx context.Context, st *scheduleState) {
	now := c.now()
	n := now.Unix()
	for _, l := range c.boards.all() {
		if l.IsTournament() {
			c.checkTournament(ctx, st, l, now)
			continue
		}
		if l.schedule == nil {
			continue
		}
		expiry := l.schedule.Next(now).Unix()
		if prev, known := st.expiry[l.ID]; known && prev != expiry && c.leaderboardHook != nil {
			board, hook := *l, c.leaderboardHook
			st.fire([]func(){func() { hook(ctx, board, prev) }})
		}
		st.expiry[l.ID] = expiry
	}
	c.ranks.DeleteExpired(n)
}

func (c *Core) checkTournament(ctx context.Context, st *scheduleState, l *Leaderboard, now time.Time) {
	n := now.Unix()
	t := tournamentAt(l, now)
	prev, known := st.last[l.ID]
	switch {
	case known:
		var calls []func()
		if prev.EndActive <= n && st.endDone[l.ID] != prev.NextReset {
			st.endDone[l.ID] = prev.NextReset
			if hook := c.tournamentEnd; hook != nil {
				calls = append(calls, func() { hook(ctx, c.withPeriodSize(ctx, prev), prev.EndActive, prev.NextReset) })
			}
		}
		if prev.NextReset != 0 && prev.NextReset <= n && prev.NextReset != t.NextReset && c.tournamentReset != nil {
			hook := c.tournamentReset
			calls = append(calls, func() { hook(ctx, c.withPeriodSize(ctx, prev), prev.EndActive, prev.NextReset) })
		}
		st.fire(calls)
	case t.EndActive <= n:
		st.endDone[l.ID] = t.NextReset // ended before this process looked
	}
	st.last[l.ID] = t
}

// withPeriodSize gives a tournament handed to a hook the number of entrants of the period
// it describes, read as the hook runs: the boards in memory carry the size of when they
// were loaded. (Nakama, too, reads the tournament's row before each callback.)
func (c *Core) withPeriodSize(ctx context.Context, t Tournament) Tournament {
	row, err := c.q.LeaderboardGet(ctx, t.ID)
	if err != nil {
		c.log.Warn("tournament hook: reading the period's size", "tournament", t.ID, "err", err)
		return t
	}
	t.Size = 0
	if row.SizeExpiry.Unix() == t.NextReset {
		t.Size = int(row.Size)
	}
	return t
}
