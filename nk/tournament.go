package nk

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
)

// Tournaments through core's tournaments, the functions REST uses. Writes and deletes
// come from the server, so authoritative tournaments accept them.

var (
	errTournamentIDArg = errors.New("expects a tournament ID string")
	errOwnerIDEmptyArg = errors.New("expects a owner ID string")
)

// TournamentCreate creates a tournament unless one with the id exists (its configuration
// is then left as it is; an id that is a leaderboard's is refused, as in Nakama).
// startTime 0 starts now, endTime 0 never ends.
func (m *Module) TournamentCreate(ctx context.Context, id string, authoritative bool, sortOrder, operator, resetSchedule string, metadata map[string]interface{}, title, description string, category, startTime, endTime, duration, maxSize, maxNumScore int, joinRequired, enableRanks bool) error {
	if id == "" {
		return errTournamentIDArg
	}
	// Nakama words a bad tournament operator as a sort order.
	cfg, err := boardArgs(sortOrder, operator, resetSchedule, metadata, errors.New("expects sort order to be 'best', 'set', 'incr' or 'decr'"))
	if err != nil {
		return err
	}
	switch {
	case category < 0 || category >= 128:
		return errors.New("category must be 0-127")
	case startTime < 0:
		return errors.New("startTime must be >= 0")
	case endTime < 0:
		return errors.New("endTime must be >= 0")
	case endTime != 0 && endTime < startTime:
		return errors.New("endTime must be >= startTime")
	case duration <= 0:
		return errors.New("duration must be > 0")
	case maxSize < 0:
		return errors.New("maxSize must be >= 0")
	case maxNumScore < 0:
		return errors.New("maxNumScore must be >= 0")
	}
	_, err = m.core.TournamentCreate(ctx, core.TournamentConfig{
		ID: id, Authoritative: authoritative, SortOrder: cfg.SortOrder, Operator: cfg.Operator,
		ResetSchedule: resetSchedule, Metadata: metadata, Title: title, Description: description,
		Category: category, StartTime: int64(startTime), EndTime: int64(endTime), Duration: int64(duration),
		MaxSize: maxSize, MaxNumScore: maxNumScore, JoinRequired: joinRequired, DisableRanks: !enableRanks,
	})
	return m.boardError(err)
}

// TournamentDelete deletes a tournament and all its records.
func (m *Module) TournamentDelete(ctx context.Context, id string) error {
	if id == "" {
		return errTournamentIDArg
	}
	return m.boardError(m.core.TournamentDelete(ctx, id))
}

// TournamentAddAttempt changes the owner's allowed number of attempts in the current
// period by count (negative takes attempts away).
func (m *Module) TournamentAddAttempt(ctx context.Context, id, ownerID string, count int) error {
	if id == "" {
		return errTournamentIDArg
	}
	owner, err := ownerArg(ownerID)
	if err != nil {
		return err
	}
	if count == 0 {
		return errors.New("expects an attempt count number != 0")
	}
	return m.boardError(m.core.TournamentAddAttempt(ctx, id, owner, count))
}

// ownerArg parses an owner id that must be given.
func ownerArg(ownerID string) (uuid.UUID, error) {
	if ownerID == "" {
		return uuid.Nil, errOwnerIDEmptyArg
	}
	owner, err := uuid.Parse(ownerID)
	if err != nil {
		return uuid.Nil, errOwnerIDArg
	}
	return owner, nil
}

// TournamentJoin enters the owner into the tournament; joining again succeeds.
func (m *Module) TournamentJoin(ctx context.Context, id, ownerID, username string) error {
	if id == "" {
		return errTournamentIDArg
	}
	owner, err := ownerArg(ownerID)
	if err != nil {
		return err
	}
	if username == "" {
		return errors.New("expects a username string")
	}
	return m.boardError(m.core.TournamentJoin(ctx, id, owner, username))
}

// TournamentsGetId returns the tournaments among ids that exist, each once.
func (m *Module) TournamentsGetId(ctx context.Context, tournamentIDs []string) ([]*api.Tournament, error) {
	if len(tournamentIDs) == 0 {
		return []*api.Tournament{}, nil
	}
	ts, err := m.core.TournamentsGet(ctx, tournamentIDs)
	if err != nil {
		return nil, m.boardError(err)
	}
	return apiTournaments(ts), nil
}

// TournamentList lists tournaments in a category range that start at or after startTime
// and end at or before endTime (0: those that never end), limit at a time.
func (m *Module) TournamentList(ctx context.Context, categoryStart, categoryEnd, startTime, endTime, limit int, cursor string) (*api.TournamentList, error) {
	switch {
	case categoryStart < 0 || categoryStart >= 128:
		return nil, errors.New("categoryStart must be 0-127")
	case categoryEnd < 0 || categoryEnd >= 128:
		return nil, errors.New("categoryEnd must be 0-127")
	case startTime < 0:
		return nil, errors.New("startTime must be >= 0")
	case endTime < 0:
		return nil, errors.New("endTime must be >= 0")
	case endTime < startTime:
		return nil, errors.New("endTime must be >= startTime")
	case limit < 1 || limit > 100:
		return nil, errors.New("limit must be 1-100")
	}
	ts, next, err := m.core.TournamentsList(ctx, core.TournamentListFilter{CategoryStart: categoryStart, CategoryEnd: categoryEnd,
		StartTime: int64(startTime), EndTime: int64(endTime), Limit: limit, Cursor: cursor})
	if err != nil {
		return nil, m.boardError(err)
	}
	return &api.TournamentList{Tournaments: apiTournaments(ts), Cursor: next}, nil
}

// TournamentRanksDisable stops keeping ranks for a tournament; its records report none.
func (m *Module) TournamentRanksDisable(ctx context.Context, id string) error {
	return m.boardError(m.core.TournamentRanksDisable(ctx, id))
}

// TournamentRecordsList lists a tournament's records in rank order and the records of
// ownerIDs. Note the order of the cursors, previous first, as in Nakama.
func (m *Module) TournamentRecordsList(ctx context.Context, tournamentId string, ownerIDs []string, limit int, cursor string, overrideExpiry int64) (records []*api.LeaderboardRecord, ownerRecords []*api.LeaderboardRecord, prevCursor string, nextCursor string, err error) {
	if tournamentId == "" {
		return nil, nil, "", "", errors.New("expects a tournament ID strings")
	}
	//lint:ignore ST1005 Nakama's exact text
	owners, err := ownerIDsArg(ownerIDs, errors.New("One or more ownerIDs are invalid."))
	if err != nil {
		return nil, nil, "", "", err
	}
	if limit < 0 || limit > 10000 {
		return nil, nil, "", "", errRecordsLimitArg
	}
	if overrideExpiry < 0 {
		return nil, nil, "", "", errExpiryArg
	}
	list, err := m.core.TournamentRecordsList(ctx, tournamentId, owners, limit, cursor, overrideExpiry)
	if err != nil {
		return nil, nil, "", "", m.boardError(err)
	}
	return apiRecords(list.Records), apiRecords(list.OwnerRecords), list.PrevCursor, list.NextCursor, nil
}

// TournamentRecordWrite submits a score for an owner within the tournament's active
// window, under its operator or operatorOverride (as in LeaderboardRecordWrite).
func (m *Module) TournamentRecordWrite(ctx context.Context, id, ownerID, username string, score, subscore int64, metadata map[string]interface{}, operatorOverride *int) (*api.LeaderboardRecord, error) {
	if id == "" {
		return nil, errTournamentIDArg
	}
	owner, err := uuid.Parse(ownerID)
	if err != nil {
		return nil, errOwnerIDArg
	}
	w, err := recordWriteArgs(id, owner, username, score, subscore, metadata, operatorOverride)
	if err != nil {
		return nil, err
	}
	rec, err := m.core.TournamentRecordWrite(ctx, w)
	if err != nil {
		return nil, m.boardError(err)
	}
	return apiRecord(rec), nil
}

// TournamentRecordDelete deletes an owner's record of the current period, if any.
func (m *Module) TournamentRecordDelete(ctx context.Context, id, ownerID string) error {
	if id == "" {
		return errTournamentIDArg
	}
	owner, err := uuid.Parse(ownerID)
	if err != nil {
		return errOwnerIDArg
	}
	return m.boardError(m.core.TournamentRecordDelete(ctx, id, owner, true))
}

// TournamentRecordsHaystack lists up to limit records around the owner's.
func (m *Module) TournamentRecordsHaystack(ctx context.Context, id, ownerID string, limit int, cursor string, expiry int64) (*api.TournamentRecordList, error) {
	if id == "" {
		return nil, errTournamentIDArg
	}
	owner, err := haystackArgs(ownerID, limit, expiry)
	if err != nil {
		return nil, err
	}
	list, err := m.core.TournamentRecordsAroundOwner(ctx, id, owner, limit, cursor, expiry)
	if errors.Is(err, core.ErrTournamentNotFound) {
		return nil, runtime.ErrLeaderboardNotFound // Nakama's haystack refuses with the leaderboard error
	}
	if err != nil {
		return nil, m.boardError(err)
	}
	l := apiRecordList(list)
	return &api.TournamentRecordList{Records: l.Records, OwnerRecords: l.OwnerRecords, NextCursor: l.NextCursor, PrevCursor: l.PrevCursor, RankCount: l.RankCount}, nil
}

func apiTournaments(ts []core.Tournament) []*api.Tournament {
	out := make([]*api.Tournament, len(ts))
	for i := range ts {
		out[i] = apiTournament(&ts[i])
	}
	return out
}

// apiTournament shows a tournament with its window as core computed it, field for field
// as REST shows it.
func apiTournament(t *core.Tournament) *api.Tournament {
	return &api.Tournament{
		Id:            t.ID,
		Title:         t.Title,
		Description:   t.Description,
		Category:      uint32(t.Category),
		SortOrder:     uint32(t.SortOrder),
		Size:          uint32(t.Size),
		MaxSize:       uint32(t.MaxSize),
		MaxNumScore:   uint32(t.MaxNumScore),
		CanEnter:      t.CanEnter,
		EndActive:     uint32(t.EndActive),
		NextReset:     uint32(t.NextReset),
		Metadata:      t.Metadata,
		CreateTime:    seconds(t.CreateTime),
		StartTime:     seconds(t.StartTime),
		EndTime:       seconds(t.EndTime),
		Duration:      uint32(t.Duration),
		StartActive:   uint32(t.StartActive),
		PrevReset:     uint32(t.PrevReset),
		Operator:      apiOperator(t.Operator),
		Authoritative: t.Authoritative,
		JoinRequired:  t.JoinRequired,
	}
}
