package core

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core/rank"
	"github.com/hearth-server/hearth/gen/db"
)

// errRankExpiry refuses a cursor from a rank of a tournament period that has ended. The
// cursor's refusals are worded as Nakama's runtime words them: no client call reaches
// them, only modules, which may compare the text.
var errRankExpiry = Errorf(CodeInvalidArgument, "invalid expiry")

// rankInsert places a written record in the rank cache and returns its rank; boards with
// ranks disabled keep no cache and report rank 0. The flag is read again after the insert:
// a disable that ran meanwhile may have dropped the board's cache before this insert
// re-created it, so the cache is dropped again.
//
// m is where the write began (ownerDeletions.begin, before its statements). A write that
// overlapped the deletion of its owner's account (began before the deletion settled) is
// undone instead of ranked: its row may have been committed after the deletion's DELETE.
// Together the write and the deletion leave neither row nor rank: the deletion records
// the owner, takes it out of the cache, then deletes its records again before it
// settles. A write that checks before the owner is recorded committed before that second
// DELETE, and its entry is taken out by DeleteOwner (InsertUnless orders the two); one
// that checks after undoes its own row. The caller holds the record's lock, so the undo
// cannot remove a later write of the record made on this node.
func (c *Core) rankInsert(ctx context.Context, l *Leaderboard, expiry int64, owner uuid.UUID, score, subscore int64, m writeMark) int64 {
	if c.beforeRankInsert != nil {
		c.beforeRankInsert(owner)
	}
	p := rank.Period{Leaderboard: l.ID, Expiry: expiry}
	refuse := func() bool { return c.deletions.deletedSince(owner, m) }
	if ranksOff(c.boards.get(l.ID)) {
		if refuse() {
			c.recordUndo(ctx, p, owner)
		}
		return 0
	}
	r, ok := c.ranks.InsertUnless(p, l.descending(), owner, score, subscore, refuse)
	if !ok {
		c.recordUndo(ctx, p, owner)
		return 0
	}
	if ranksOff(c.boards.get(l.ID)) {
		c.ranks.DeleteLeaderboard(l.ID)
		return 0
	}
	return r
}

// recordUndo deletes the record of a write that overlapped its owner's account deletion
// (the write itself succeeded: it is ordered before the deletion). It runs even when the
// caller has gone, or the record would outlive the account.
func (c *Core) recordUndo(ctx context.Context, p rank.Period, owner uuid.UUID) {
	_, err := c.q.LeaderboardRecordDelete(context.WithoutCancel(ctx), db.LeaderboardRecordDeleteParams{
		LeaderboardID: p.Leaderboard, ExpiryTime: expiryTime(p.Expiry), OwnerID: owner})
	if err != nil {
		c.log.Error("deleting the record of a deleted account", "leaderboard", p.Leaderboard, "owner", owner, "error", err)
	}
}

// rankOwnerDeleted takes a deleted account out of the rank cache, and deletes again the
// records writes committed during the deletion's transaction after its DELETE: those
// writes were ranked before the owner was recorded (so DeleteOwner took them out of the
// cache) but their rows survived. Writes ranked later undo their own (rankInsert). The
// caller has recorded the owner (ownerDeletions.deleting) and settles the deletion after.
func (c *Core) rankOwnerDeleted(ctx context.Context, userID uuid.UUID) {
	c.ranks.DeleteOwner(userID)
	if _, err := c.q.LeaderboardRecordsDeleteOwner(context.WithoutCancel(ctx), userID); err != nil {
		c.log.Error("deleting the records of a deleted account", "owner", userID, "error", err)
	}
}

func ranksOff(l *Leaderboard) bool { return l == nil || l.RanksDisabled }

// rankOf is the owner's rank in the period, 0 when the board's ranks are disabled.
func (c *Core) rankOf(l *Leaderboard, p rank.Period, owner uuid.UUID) int64 {
	if l.RanksDisabled {
		return 0
	}
	return c.ranks.Rank(p, owner)
}

// rankCount is the number of ranked records in the period, 0 when ranks are disabled.
func (c *Core) rankCount(l *Leaderboard, p rank.Period) int64 {
	if l.RanksDisabled {
		return 0
	}
	return c.ranks.Count(p)
}

// LeaderboardRanksDisable stops keeping ranks for a leaderboard (not a tournament) and
// frees its rank cache; disabling again changes nothing.
func (c *Core) LeaderboardRanksDisable(ctx context.Context, id string) error {
	l := c.boards.get(id)
	if l == nil || l.IsTournament() {
		return ErrLeaderboardNotFound
	}
	return c.ranksDisable(ctx, l)
}

// TournamentRanksDisable is LeaderboardRanksDisable for a tournament.
func (c *Core) TournamentRanksDisable(ctx context.Context, id string) error {
	l := c.boards.get(id)
	if l == nil || !l.IsTournament() {
		return ErrTournamentNotFound
	}
	return c.ranksDisable(ctx, l)
}

func (c *Core) ranksDisable(ctx context.Context, l *Leaderboard) error {
	if l.RanksDisabled {
		return nil
	}
	if _, err := c.q.LeaderboardRanksDisable(ctx, l.ID); err != nil {
		return Internal("Error disabling leaderboard ranks.", err)
	}
	off := *l
	off.RanksDisabled = true
	c.boards.put(&off)
	c.ranks.DeleteLeaderboard(l.ID)
	return nil
}

// LeaderboardRecordsCursorFromRank returns a next cursor with which a records listing of
// the board (leaderboard or tournament) starts at the given rank (1 is the top, which
// needs no cursor: ""). override names an older period as in LeaderboardRecordsList. It
// reads the rank cache, so boards with ranks disabled have none.
func (c *Core) LeaderboardRecordsCursorFromRank(id string, at, override int64) (string, error) {
	l := c.boards.get(id)
	if l == nil {
		return "", ErrLeaderboardNotFound
	}
	expiry, ok := c.listExpiry(l, override)
	if !ok {
		return "", errRankExpiry
	}
	// The cursor sits on the record just above the rank, so the listing includes it.
	before := at - 1
	if before <= 0 {
		return "", nil
	}
	if l.RanksDisabled {
		return "", Errorf(CodeFailedPrecondition, "failed to get cursor from rank: rank cache is disabled for leaderboard: "+l.ID)
	}
	p := rank.Period{Leaderboard: l.ID, Expiry: expiry}
	e, found := c.ranks.At(p, before)
	if !found {
		// A period nobody has written to has no rank cache at all in Nakama.
		if c.ranks.Count(p) == 0 {
			return "", Errorf(CodeNotFound, fmt.Sprintf("failed to get cursor from rank: rank cache for leaderboard %q with expiry %d not found", l.ID, expiry))
		}
		return "", Errorf(CodeNotFound, fmt.Sprintf("failed to get cursor from rank: rank entry %d not found for leaderboard %q with expiry %d", before, l.ID, expiry))
	}
	return recordCursor{next: true, leaderboard: l.ID, expiry: expiry, score: e.Score, subscore: e.Subscore, owner: e.Owner, rank: before}.encode(), nil
}
