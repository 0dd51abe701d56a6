package core

import (
	"context"
	"time"
)

// scheduleState remembers, per board, what the previous pass saw, so each period's reset
// and each active window's end is reported once.
type scheduleState struct {
	expiry  map[string]int64      // leaderboards: the period's end last seen
	last    map[string]Tournament // tournaments: the window last seen
	endDone map[string]int64      // tournaments: the period whose window end was reported
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
// ended since the previous pass and drops ended periods from the rank cache. Tests drive
// it with an injected clock.
func (c *Core) LeaderboardSchedules() func(ctx context.Context) {
	st := newScheduleState()
	return func(ctx context.Context) { c.checkSchedules(ctx, st) }
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
			c.leaderboardHook(ctx, *l, prev)
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
		if prev.EndActive <= n && st.endDone[l.ID] != prev.NextReset {
			st.endDone[l.ID] = prev.NextReset
			if c.tournamentEnd != nil {
				c.tournamentEnd(ctx, prev, prev.EndActive, prev.NextReset)
			}
		}
		if prev.NextReset != 0 && prev.NextReset <= n && prev.NextReset != t.NextReset && c.tournamentReset != nil {
			c.tournamentReset(ctx, prev, prev.EndActive, prev.NextReset)
		}
	case t.EndActive <= n:
		st.endDone[l.ID] = t.NextReset // ended before this process looked
	}
	st.last[l.ID] = t
}
