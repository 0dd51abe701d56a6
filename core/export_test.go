package core

import (
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core/rank"
)

// SetRankHooks sets the test hooks of c (nil leaves one unset): beforeInsert runs after a
// record write commits, before its rank cache update; beforeLoad after the start-up load
// reads a board's records, before it loads them. Set them before c is used concurrently.
func SetRankHooks(c *Core, beforeInsert func(owner uuid.UUID), beforeLoad func()) {
	c.beforeRankInsert, c.beforeRankLoad = beforeInsert, beforeLoad
}

// AddAccountCleanup appends fn to the parts of account deletion, run in its transaction
// after the others (the leaderboard records are deleted by then).
func AddAccountCleanup(c *Core, fn AccountCleanup) {
	c.accountCleanups = append(c.accountCleanups, fn)
}

// RankEntries returns the rank cache's entries of the board's current period, in rank
// order.
func RankEntries(c *Core, board string) []rank.Entry {
	l := c.boards.get(board)
	if l == nil {
		return nil
	}
	return c.ranks.Entries(rank.Period{Leaderboard: l.ID, Expiry: l.periodExpiry(c.now())})
}
