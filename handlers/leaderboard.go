package handlers

import (
	"context"
	"strconv"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

var (
	errRecordRequired = core.Errorf(core.CodeInvalidArgument, "Invalid input, record score value is required.")
	errExpiry         = core.Errorf(core.CodeInvalidArgument, "Invalid expiry - must be a number of seconds since the epoch.")
	errOwnerIDs       = core.Errorf(core.CodeInvalidArgument, "One or more owner IDs are invalid.")
	errHaystackOwner  = core.Errorf(core.CodeInvalidArgument, "Owner ID must be provided for a haystack query.")
	errOwnerID        = core.Errorf(core.CodeInvalidArgument, "Invalid owner ID provided.")
	errListLimit      = core.Errorf(core.CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
)

// NakamaWriteLeaderboardRecord submits the caller's score to a leaderboard.
func (s *Server) NakamaWriteLeaderboardRecord(ctx context.Context, req api.NakamaWriteLeaderboardRecordRequestObject) (api.NakamaWriteLeaderboardRecordResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if req.Body == nil {
		return nil, errRecordRequired
	}
	b := req.Body
	w, err := recordWrite(req.LeaderboardId, who, b.Score, b.Subscore, b.Metadata, b.Operator)
	if err != nil {
		return nil, err
	}
	rec, err := s.Core.LeaderboardRecordWrite(ctx, w)
	if err != nil {
		return nil, err
	}
	return api.NakamaWriteLeaderboardRecord200JSONResponse(wireRecord(rec)), nil
}

// recordWrite converts a client's score submission. The edge has already checked that
// score and subscore are int64 strings and the operator a known value.
func recordWrite(board string, who core.Caller, score, subscore, metadata *string, op *api.ApiOperator) (core.RecordWrite, error) {
	w := core.RecordWrite{LeaderboardID: board, OwnerID: who.UserID, Username: who.Username, Metadata: deref(metadata)}
	var err error
	if w.Score, err = int64Field(score); err != nil {
		return w, err
	}
	if w.Subscore, err = int64Field(subscore); err != nil {
		return w, err
	}
	if op != nil && *op != api.ApiOperatorNOOVERRIDE {
		o := core.Operator(*op - 1) // wire BEST=1 ... DECREMENT=4; core BEST=0 ... DECREMENT=3
		w.Override = &o
	}
	return w, nil
}

func int64Field(s *string) (int64, error) {
	if s == nil || *s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(*s, 10, 64)
	if err != nil {
		return 0, core.Errorf(core.CodeInvalidArgument, "Invalid score value, must be a 64-bit integer.")
	}
	return n, nil
}

// NakamaDeleteLeaderboardRecord deletes the caller's record in the current period.
func (s *Server) NakamaDeleteLeaderboardRecord(ctx context.Context, req api.NakamaDeleteLeaderboardRecordRequestObject) (api.NakamaDeleteLeaderboardRecordResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.LeaderboardRecordDelete(ctx, req.LeaderboardId, who.UserID, false); err != nil {
		return nil, err
	}
	return api.NakamaDeleteLeaderboardRecord200JSONResponse{}, nil
}

// NakamaListLeaderboardRecords lists a leaderboard's records in rank order and the
// records of the owners asked for.
func (s *Server) NakamaListLeaderboardRecords(ctx context.Context, req api.NakamaListLeaderboardRecordsRequestObject) (api.NakamaListLeaderboardRecordsResponseObject, error) {
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	p := req.Params
	owners, limit, expiry, err := listParams(p.OwnerIds, p.Limit, p.Cursor, p.Expiry, 1)
	if err != nil {
		return nil, err
	}
	list, err := s.Core.LeaderboardRecordsList(ctx, req.LeaderboardId, owners, limit, deref(p.Cursor), expiry)
	if err != nil {
		return nil, err
	}
	return writeRecordList(list), nil
}

// listParams checks a record listing's parameters as Nakama does: without a limit, a
// listing that names no owners, or carries a cursor, reads a page of defaultLimit.
func listParams(ownerIDs *[]string, limit *int32, cursor, expiry *string, defaultLimit int) ([]uuid.UUID, int, int64, error) {
	var owners []uuid.UUID
	if ownerIDs != nil {
		for _, s := range *ownerIDs {
			id, err := uuid.Parse(s)
			if err != nil {
				return nil, 0, 0, errOwnerIDs
			}
			owners = append(owners, id)
		}
	}
	n := 0
	switch {
	case limit != nil:
		if *limit < 1 || *limit > 100 {
			return nil, 0, 0, errListLimit
		}
		n = int(*limit)
	case len(owners) == 0 || deref(cursor) != "":
		n = defaultLimit
	}
	e, err := expiryParam(expiry)
	return owners, n, e, err
}

func expiryParam(s *string) (int64, error) {
	if s == nil || *s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(*s, 10, 64)
	if err != nil || n < 0 {
		return 0, errExpiry
	}
	return n, nil
}

// aroundParams checks an around-owner listing's owner and limit.
func aroundParams(ownerID string, limit *int64, defaultLimit int) (uuid.UUID, int, error) {
	n := defaultLimit
	if limit != nil {
		if *limit < 1 || *limit > 100 {
			return uuid.Nil, 0, errListLimit
		}
		n = int(*limit)
	}
	if ownerID == "" {
		return uuid.Nil, 0, errHaystackOwner
	}
	id, err := uuid.Parse(ownerID)
	if err != nil {
		return uuid.Nil, 0, errOwnerID
	}
	return id, n, nil
}

// NakamaListLeaderboardRecordsAroundOwner lists the records around an owner's.
func (s *Server) NakamaListLeaderboardRecordsAroundOwner(ctx context.Context, req api.NakamaListLeaderboardRecordsAroundOwnerRequestObject) (api.NakamaListLeaderboardRecordsAroundOwnerResponseObject, error) {
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	if req.LeaderboardId == "" {
		return nil, core.Errorf(core.CodeInvalidArgument, "Invalid leaderboard ID.")
	}
	owner, limit, err := aroundParams(req.OwnerId, req.Params.Limit, 1)
	if err != nil {
		return nil, err
	}
	expiry, err := expiryParam(req.Params.Expiry)
	if err != nil {
		return nil, err
	}
	list, err := s.Core.LeaderboardRecordsAroundOwner(ctx, req.LeaderboardId, owner, limit, deref(req.Params.Cursor), expiry)
	if err != nil {
		return nil, err
	}
	return writeRecordList(list), nil
}

func wireRecord(r core.Record) api.ApiLeaderboardRecord {
	out := api.ApiLeaderboardRecord{
		LeaderboardId: str(r.LeaderboardID),
		OwnerId:       str(r.OwnerID.String()),
		Username:      str(r.Username),
		Score:         int64String(r.Score),
		Subscore:      int64String(r.Subscore),
		NumScore:      i32(r.NumScore),
		Metadata:      str(r.Metadata),
		CreateTime:    timestamp(r.CreateTime),
		UpdateTime:    timestamp(r.UpdateTime),
		ExpiryTime:    timestamp(r.ExpiryTime),
		Rank:          int64String(r.Rank),
	}
	if r.MaxNumScore > 0 {
		m := int64(r.MaxNumScore)
		out.MaxNumScore = &m
	}
	return out
}

func int64String(n int64) *string {
	if n == 0 {
		return nil
	}
	s := strconv.FormatInt(n, 10)
	return &s
}

func wireRecords(rs []core.Record) *[]api.ApiLeaderboardRecord {
	if len(rs) == 0 {
		return nil
	}
	out := make([]api.ApiLeaderboardRecord, len(rs))
	for i, r := range rs {
		out[i] = wireRecord(r)
	}
	return &out
}

// wireRecordList is a record page as the generated types shape it: the reference that
// TestListJSONMatchesGenerated holds writeRecordList, which serves the responses, equal to.
func wireRecordList(l core.RecordList) api.ApiLeaderboardRecordList {
	return api.ApiLeaderboardRecordList{
		Records:      wireRecords(l.Records),
		OwnerRecords: wireRecords(l.OwnerRecords),
		NextCursor:   str(l.NextCursor),
		PrevCursor:   str(l.PrevCursor),
		RankCount:    int64String(l.RankCount),
	}
}
