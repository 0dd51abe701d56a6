package nk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core"
)

// Leaderboards through core's leaderboards, the functions REST uses. Writes and deletes
// come from the server, so authoritative boards accept them.

// Nakama's runtime answers its leaderboard and tournament refusals with plain errors:
// nakama-common's sentinels for the tournament ones, and for the leaderboard ones errors
// of Nakama's own server package, with the same texts as nakama-common's. boardErrors
// maps each of core's refusals to that error (by identity, never by message), so a module
// comparing errors (errors.Is(err, runtime.ErrTournamentNotFound), err.Error() ==
// "leaderboard not found") sees what it sees on Nakama; anything else goes through
// fromCore as a *runtime.Error. A missing leaderboard answers nakama-common's sentinel
// itself, so errors.Is works for it too (COMPAT 69).
var (
	errRecordCursor = errors.New("leaderboard cursor invalid")
	errListCursor   = errors.New("expects cursor to be valid when provided")

	boardErrors = map[*core.Error]error{
		core.ErrLeaderboardNotFound:      runtime.ErrLeaderboardNotFound, // COMPAT 69
		core.ErrRecordCursor:             errRecordCursor,
		core.ErrBoardListCursor:          errListCursor,
		core.ErrTournamentNotFound:       runtime.ErrTournamentNotFound,
		core.ErrTournamentInactive:       runtime.ErrTournamentOutsideDuration,
		core.ErrTournamentJoinInactive:   runtime.ErrTournamentOutsideDuration,
		core.ErrTournamentEnded:          runtime.ErrTournamentOutsideDuration,
		core.ErrTournamentListEnded:      runtime.ErrTournamentOutsideDuration,
		core.ErrTournamentFull:           runtime.ErrTournamentMaxSizeReached,
		core.ErrTournamentJoinFull:       runtime.ErrTournamentMaxSizeReached,
		core.ErrTournamentMaxScore:       runtime.ErrTournamentWriteMaxNumScoreReached,
		core.ErrTournamentJoinRequired:   runtime.ErrTournamentWriteJoinRequired,
		core.ErrTournamentIDInUse:        errors.New("cannot create tournament as leaderboard is already in use"),
		core.ErrTournamentEndBeforeReset: errors.New("tournament end time cannot be before first reset schedule - either increase end time or change/disable reset schedule"),
	}
)

// boardError is the error a module sees for a leaderboard or tournament call's error.
func (m *Module) boardError(err error) error {
	var ce *core.Error
	if errors.As(err, &ce) {
		if mapped, ok := boardErrors[ce]; ok {
			return mapped
		}
	}
	return m.fromCore(err)
}

var (
	errLeaderboardIDArg = errors.New("expects a leaderboard ID string")
	errOwnerIDArg       = errors.New("expects owner ID to be a valid identifier")
	errSortOrderArg     = errors.New("expects sort order to be 'asc' or 'desc'")
	errScheduleArg      = errors.New("expects reset schedule to be a valid CRON expression")
	errInvalidOperator  = errors.New("invalid operator")
	errRecordsLimitArg  = errors.New("expects limit to be 0-10000")
	errExpiryArg        = errors.New("expects expiry to equal or greater than 0")
	errHaystackLimitArg = errors.New("limit must be 1-100")
	errHaystackExpiry   = errors.New("expiry should be time since epoch in seconds and has to be a positive integer")
)

// LeaderboardCreate creates a leaderboard unless one with the id exists (its
// configuration is then left as it is).
func (m *Module) LeaderboardCreate(ctx context.Context, id string, authoritative bool, sortOrder, operator, resetSchedule string, metadata map[string]interface{}, enableRanks bool) error {
	if id == "" {
		return errLeaderboardIDArg
	}
	cfg, err := boardArgs(sortOrder, operator, resetSchedule, metadata, errors.New("expects operator to be 'best', 'set', 'incr' or 'decr'"))
	if err != nil {
		return err
	}
	_, err = m.core.LeaderboardCreate(ctx, core.LeaderboardConfig{ID: id, Authoritative: authoritative, SortOrder: cfg.SortOrder,
		Operator: cfg.Operator, ResetSchedule: resetSchedule, Metadata: metadata, DisableRanks: !enableRanks})
	return m.boardError(err)
}

// boardArgs checks the arguments leaderboards and tournaments share, with Nakama's
// spellings ("asc"/"ascending", "incr"/"increment", ...). badOperator is the caller's
// message (Nakama words it differently for tournaments).
func boardArgs(sortOrder, operator, resetSchedule string, metadata map[string]any, badOperator error) (core.LeaderboardConfig, error) {
	var cfg core.LeaderboardConfig
	switch sortOrder {
	case "desc", "descending":
		cfg.SortOrder = core.SortDescending
	case "asc", "ascending":
		cfg.SortOrder = core.SortAscending
	default:
		return cfg, errSortOrderArg
	}
	switch operator {
	case "best":
		cfg.Operator = core.OperatorBest
	case "set":
		cfg.Operator = core.OperatorSet
	case "incr", "increment":
		cfg.Operator = core.OperatorIncrement
	case "decr", "decrement":
		cfg.Operator = core.OperatorDecrement
	default:
		return cfg, badOperator
	}
	if resetSchedule != "" && !core.ValidCron(resetSchedule) {
		return cfg, errScheduleArg
	}
	if _, err := json.Marshal(metadata); err != nil {
		return cfg, fmt.Errorf("error encoding metadata: %v", err)
	}
	return cfg, nil
}

// LeaderboardDelete deletes a leaderboard and all its records.
func (m *Module) LeaderboardDelete(ctx context.Context, id string) error {
	if id == "" {
		return errLeaderboardIDArg
	}
	return m.boardError(m.core.LeaderboardDelete(ctx, id))
}

// LeaderboardList lists leaderboards (not tournaments) by id, limit at a time.
func (m *Module) LeaderboardList(limit int, cursor string) (*api.LeaderboardList, error) {
	if limit < 1 || limit > 100 {
		return nil, errors.New("limit must be 1-100")
	}
	boards, next, err := m.core.LeaderboardList(limit, cursor)
	if err != nil {
		return nil, m.boardError(err)
	}
	return &api.LeaderboardList{Leaderboards: m.apiLeaderboards(boards), Cursor: next}, nil
}

// LeaderboardRanksDisable stops keeping ranks for a leaderboard; its records report none.
// Nakama runs its tournament variant here (COMPAT 59); Hearth runs the leaderboard one
// Nakama has beside it, refusing as that one does, with runtime's ErrLeaderboardNotFound.
func (m *Module) LeaderboardRanksDisable(ctx context.Context, id string) error {
	err := m.core.LeaderboardRanksDisable(ctx, id)
	if errors.Is(err, core.ErrLeaderboardNotFound) {
		return runtime.ErrLeaderboardNotFound
	}
	return m.boardError(err)
}

// LeaderboardRecordsList lists a board's records in rank order, limit at a time (0: only
// the owners' records), and the records of ownerIDs. expiry names an older period.
func (m *Module) LeaderboardRecordsList(ctx context.Context, id string, ownerIDs []string, limit int, cursor string, expiry int64) (records []*api.LeaderboardRecord, ownerRecords []*api.LeaderboardRecord, nextCursor string, prevCursor string, err error) {
	if id == "" {
		return nil, nil, "", "", errLeaderboardIDArg
	}
	owners, err := ownerIDsArg(ownerIDs, errors.New("expects each owner ID to be a valid identifier"))
	if err != nil {
		return nil, nil, "", "", err
	}
	if limit < 0 || limit > 10000 {
		return nil, nil, "", "", errRecordsLimitArg
	}
	if expiry < 0 {
		return nil, nil, "", "", errExpiryArg
	}
	list, err := m.core.LeaderboardRecordsList(ctx, id, owners, limit, cursor, expiry)
	if err != nil {
		return nil, nil, "", "", m.boardError(err)
	}
	return apiRecords(list.Records), apiRecords(list.OwnerRecords), list.NextCursor, list.PrevCursor, nil
}

func ownerIDsArg(ss []string, bad error) ([]uuid.UUID, error) {
	var out []uuid.UUID
	for _, s := range ss {
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, bad
		}
		out = append(out, id)
	}
	return out, nil
}

// LeaderboardRecordsListCursorFromRank returns a cursor with which LeaderboardRecordsList
// starts at rank.
func (m *Module) LeaderboardRecordsListCursorFromRank(id string, rank, overrideExpiry int64) (string, error) {
	if id == "" {
		return "", errors.New("invalid leaderboard id")
	}
	if rank < 1 {
		return "", errors.New("invalid rank - must be > 1")
	}
	if overrideExpiry < 0 {
		return "", errExpiryArg
	}
	cursor, err := m.core.LeaderboardRecordsCursorFromRank(id, rank, overrideExpiry)
	switch {
	case err == nil:
		return cursor, nil
	case errors.Is(err, core.ErrLeaderboardNotFound):
		return "", m.boardError(err)
	default:
		// Nakama's other refusals here are plain errors: a module sees only their text.
		return "", errors.New(core.AsError(err).Message)
	}
}

// LeaderboardRecordWrite submits a score for an owner under the board's operator or
// overrideOperator (0 none, 1 best, 2 set, 3 increment, 4 decrement).
func (m *Module) LeaderboardRecordWrite(ctx context.Context, id, ownerID, username string, score, subscore int64, metadata map[string]interface{}, overrideOperator *int) (*api.LeaderboardRecord, error) {
	if id == "" {
		return nil, errLeaderboardIDArg
	}
	owner, err := uuid.Parse(ownerID)
	if err != nil {
		return nil, errOwnerIDArg
	}
	if score < 0 {
		return nil, errors.New("expects score to be >= 0")
	}
	if subscore < 0 {
		return nil, errors.New("expects subscore to be >= 0")
	}
	w, err := recordWriteArgs(id, owner, username, score, subscore, metadata, overrideOperator)
	if err != nil {
		return nil, err
	}
	rec, err := m.core.LeaderboardRecordWrite(ctx, w)
	if err != nil {
		return nil, m.boardError(err)
	}
	return apiRecord(rec), nil
}

// recordWriteArgs builds a server write. Without metadata the record keeps its own.
func recordWriteArgs(id string, owner uuid.UUID, username string, score, subscore int64, metadata map[string]any, override *int) (core.RecordWrite, error) {
	w := core.RecordWrite{LeaderboardID: id, OwnerID: owner, Username: username, Score: score, Subscore: subscore, Server: true}
	if metadata != nil {
		b, err := json.Marshal(metadata)
		if err != nil {
			return w, fmt.Errorf("error encoding metadata: %v", err)
		}
		w.Metadata = string(b)
	}
	if override != nil {
		if *override < int(api.Operator_NO_OVERRIDE) || *override > int(api.Operator_DECREMENT) {
			return w, errInvalidOperator
		}
		if *override != int(api.Operator_NO_OVERRIDE) {
			op := core.Operator(*override - 1) // api BEST=1 ... DECREMENT=4; core BEST=0 ... DECREMENT=3
			w.Override = &op
		}
	}
	return w, nil
}

// LeaderboardRecordDelete deletes an owner's record of the current period, if any.
func (m *Module) LeaderboardRecordDelete(ctx context.Context, id, ownerID string) error {
	if id == "" {
		return errLeaderboardIDArg
	}
	owner, err := uuid.Parse(ownerID)
	if err != nil {
		return errOwnerIDArg
	}
	return m.boardError(m.core.LeaderboardRecordDelete(ctx, id, owner, true))
}

// LeaderboardsGetId returns the leaderboards (not tournaments) among ids that exist.
func (m *Module) LeaderboardsGetId(ctx context.Context, ids []string) ([]*api.Leaderboard, error) {
	return m.apiLeaderboards(m.core.LeaderboardsGet(ids)), nil
}

// LeaderboardRecordsHaystack lists up to limit records around the owner's (with a
// cursor, an ordinary page). expiry names an older period; 0 is the current one.
func (m *Module) LeaderboardRecordsHaystack(ctx context.Context, id, ownerID string, limit int, cursor string, expiry int64) (*api.LeaderboardRecordList, error) {
	if id == "" {
		return nil, errLeaderboardIDArg
	}
	owner, err := haystackArgs(ownerID, limit, expiry)
	if err != nil {
		return nil, err
	}
	list, err := m.core.LeaderboardRecordsAroundOwner(ctx, id, owner, limit, cursor, expiry)
	if err != nil {
		return nil, m.boardError(err)
	}
	return apiRecordList(list), nil
}

func haystackArgs(ownerID string, limit int, expiry int64) (uuid.UUID, error) {
	owner, err := uuid.Parse(ownerID)
	if err != nil {
		return uuid.Nil, errOwnerIDArg
	}
	if limit < 1 || limit > 100 {
		return uuid.Nil, errHaystackLimitArg
	}
	if expiry < 0 {
		return uuid.Nil, errHaystackExpiry
	}
	return owner, nil
}

// CronNext returns the next time (Unix seconds, UTC) after timestamp that the cron
// expression fires.
func (m *Module) CronNext(expression string, timestamp int64) (int64, error) {
	next, err := core.CronNext(expression, timestamp)
	if err != nil {
		return 0, errors.New("expects a valid cron string")
	}
	return next, nil
}

// CronPrev returns the last time (Unix seconds, UTC) before timestamp that the cron
// expression fired.
func (m *Module) CronPrev(expression string, timestamp int64) (int64, error) {
	prev, err := core.CronPrev(expression, timestamp)
	if err != nil {
		return 0, errors.New("expects a valid cron string")
	}
	return prev, nil
}

// seconds is a time as boards and records show it: whole seconds, absent when zero.
func seconds(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return &timestamppb.Timestamp{Seconds: t.Unix()}
}

// apiOperator is the api enum of a stored operator (the enum counts from NO_OVERRIDE).
func apiOperator(op core.Operator) api.Operator { return api.Operator(op + 1) }

func (m *Module) apiLeaderboards(ls []core.Leaderboard) []*api.Leaderboard {
	now := m.core.Now()
	out := make([]*api.Leaderboard, len(ls))
	for i := range ls {
		out[i] = apiLeaderboard(&ls[i], now)
	}
	return out
}

// apiLeaderboard shows a leaderboard with its previous and next resets at now.
func apiLeaderboard(l *core.Leaderboard, now time.Time) *api.Leaderboard {
	prev, next := l.LeaderboardResets(now)
	return &api.Leaderboard{
		Id:            l.ID,
		SortOrder:     uint32(l.SortOrder),
		Operator:      apiOperator(l.Operator),
		PrevReset:     uint32(prev),
		NextReset:     uint32(next),
		Metadata:      l.Metadata,
		CreateTime:    seconds(l.CreateTime),
		Authoritative: l.Authoritative,
	}
}

func apiRecord(r core.Record) *api.LeaderboardRecord {
	out := &api.LeaderboardRecord{
		LeaderboardId: r.LeaderboardID,
		OwnerId:       r.OwnerID.String(),
		Score:         r.Score,
		Subscore:      r.Subscore,
		NumScore:      r.NumScore,
		MaxNumScore:   uint32(r.MaxNumScore),
		Metadata:      r.Metadata,
		CreateTime:    seconds(r.CreateTime),
		UpdateTime:    seconds(r.UpdateTime),
		ExpiryTime:    seconds(r.ExpiryTime),
		Rank:          r.Rank,
	}
	if r.Username != "" {
		out.Username = wrapperspb.String(r.Username)
	}
	return out
}

// apiRecords converts records; empty lists are empty slices, as Nakama returns them.
func apiRecords(rs []core.Record) []*api.LeaderboardRecord {
	out := make([]*api.LeaderboardRecord, len(rs))
	for i, r := range rs {
		out[i] = apiRecord(r)
	}
	return out
}

func apiRecordList(l core.RecordList) *api.LeaderboardRecordList {
	return &api.LeaderboardRecordList{
		Records:      apiRecords(l.Records),
		OwnerRecords: apiRecords(l.OwnerRecords),
		NextCursor:   l.NextCursor,
		PrevCursor:   l.PrevCursor,
		RankCount:    l.RankCount,
	}
}
