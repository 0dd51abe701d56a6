package handlers

import (
	"context"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// tournamentRecordsDefault and tournamentAroundDefault are Nakama's page sizes when a
// tournament listing gives no limit (unlike leaderboards, which default to 1).
const (
	tournamentRecordsDefault = 10
	tournamentAroundDefault  = 100
	tournamentListDefault    = 100
)

// NakamaListTournaments lists tournaments by category and time range.
func (s *Server) NakamaListTournaments(ctx context.Context, req api.NakamaListTournamentsRequestObject) (api.NakamaListTournamentsResponseObject, error) {
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	p := req.Params
	f := core.TournamentListFilter{CategoryEnd: 127, StartTime: -1, EndTime: -1, Limit: tournamentListDefault, Cursor: deref(p.Cursor)}
	if p.CategoryStart != nil {
		f.CategoryStart = int(*p.CategoryStart)
	}
	if p.CategoryEnd != nil {
		f.CategoryEnd = int(*p.CategoryEnd)
	}
	if p.StartTime != nil {
		f.StartTime = *p.StartTime
	}
	if p.EndTime != nil {
		f.EndTime = *p.EndTime
	}
	if p.Limit != nil {
		f.Limit = int(*p.Limit)
	}
	list, cursor, err := s.Core.TournamentsList(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ApiTournamentList{Cursor: str(cursor)}
	if len(list) > 0 {
		ts := make([]api.ApiTournament, len(list))
		for i, t := range list {
			ts[i] = wireTournament(t)
		}
		out.Tournaments = &ts
	}
	return api.NakamaListTournaments200JSONResponse(out), nil
}

func wireTournament(t core.Tournament) api.ApiTournament {
	op := api.ApiOperator(t.Operator + 1)
	n := func(v int64) *int64 {
		if v == 0 {
			return nil
		}
		return &v
	}
	return api.ApiTournament{
		Id:            str(t.ID),
		Title:         str(t.Title),
		Description:   str(t.Description),
		Category:      n(int64(t.Category)),
		SortOrder:     n(int64(t.SortOrder)),
		Size:          n(int64(t.Size)),
		MaxSize:       n(int64(t.MaxSize)),
		MaxNumScore:   n(int64(t.MaxNumScore)),
		CanEnter:      flag(t.CanEnter),
		EndActive:     n(t.EndActive),
		NextReset:     n(t.NextReset),
		Metadata:      str(t.Metadata),
		CreateTime:    timestamp(t.CreateTime),
		StartTime:     timestamp(t.StartTime),
		EndTime:       timestamp(t.EndTime),
		Duration:      n(t.Duration),
		StartActive:   n(t.StartActive),
		PrevReset:     n(t.PrevReset),
		Operator:      &op,
		Authoritative: flag(t.Authoritative),
		JoinRequired:  flag(t.JoinRequired),
	}
}

// NakamaJoinTournament enters the caller into a tournament.
func (s *Server) NakamaJoinTournament(ctx context.Context, req api.NakamaJoinTournamentRequestObject) (api.NakamaJoinTournamentResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.TournamentJoin(ctx, req.TournamentId, who.UserID, who.Username); err != nil {
		return nil, err
	}
	return api.NakamaJoinTournament200JSONResponse{}, nil
}

// NakamaWriteTournamentRecord submits the caller's score to a tournament (PUT).
func (s *Server) NakamaWriteTournamentRecord(ctx context.Context, req api.NakamaWriteTournamentRecordRequestObject) (api.NakamaWriteTournamentRecordResponseObject, error) {
	rec, err := s.writeTournamentRecord(ctx, req.TournamentId, (*api.WriteTournamentRecordRequestTournamentRecordWrite)(req.Body))
	if err != nil {
		return nil, err
	}
	return api.NakamaWriteTournamentRecord200JSONResponse(rec), nil
}

// NakamaWriteTournamentRecord2 is the same write under POST.
func (s *Server) NakamaWriteTournamentRecord2(ctx context.Context, req api.NakamaWriteTournamentRecord2RequestObject) (api.NakamaWriteTournamentRecord2ResponseObject, error) {
	rec, err := s.writeTournamentRecord(ctx, req.TournamentId, (*api.WriteTournamentRecordRequestTournamentRecordWrite)(req.Body))
	if err != nil {
		return nil, err
	}
	return api.NakamaWriteTournamentRecord2200JSONResponse(rec), nil
}

func (s *Server) writeTournamentRecord(ctx context.Context, id string, b *api.WriteTournamentRecordRequestTournamentRecordWrite) (api.ApiLeaderboardRecord, error) {
	who, err := caller(ctx)
	if err != nil {
		return api.ApiLeaderboardRecord{}, err
	}
	if b == nil {
		return api.ApiLeaderboardRecord{}, errRecordRequired
	}
	w, err := recordWrite(id, who, b.Score, b.Subscore, b.Metadata, b.Operator)
	if err != nil {
		return api.ApiLeaderboardRecord{}, err
	}
	rec, err := s.Core.TournamentRecordWrite(ctx, w)
	if err != nil {
		return api.ApiLeaderboardRecord{}, err
	}
	return wireRecord(rec), nil
}

// NakamaDeleteTournamentRecord deletes the caller's record in the current period.
func (s *Server) NakamaDeleteTournamentRecord(ctx context.Context, req api.NakamaDeleteTournamentRecordRequestObject) (api.NakamaDeleteTournamentRecordResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.TournamentRecordDelete(ctx, req.TournamentId, who.UserID, false); err != nil {
		return nil, err
	}
	return api.NakamaDeleteTournamentRecord200JSONResponse{}, nil
}

// NakamaListTournamentRecords lists a tournament's records in rank order.
func (s *Server) NakamaListTournamentRecords(ctx context.Context, req api.NakamaListTournamentRecordsRequestObject) (api.NakamaListTournamentRecordsResponseObject, error) {
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	p := req.Params
	owners, limit, expiry, err := listParams(p.OwnerIds, p.Limit, p.Cursor, p.Expiry, tournamentRecordsDefault)
	if err != nil {
		return nil, err
	}
	if p.Limit == nil {
		// Unlike leaderboards, Nakama pages a tournament listing unless it names owners and
		// carries a cursor.
		limit = 0
		if len(owners) == 0 || deref(p.Cursor) == "" {
			limit = tournamentRecordsDefault
		}
	}
	list, err := s.Core.TournamentRecordsList(ctx, req.TournamentId, owners, limit, deref(p.Cursor), expiry)
	if err != nil {
		return nil, err
	}
	return writeRecordList(list), nil
}

// NakamaListTournamentRecordsAroundOwner lists the records around an owner's.
func (s *Server) NakamaListTournamentRecordsAroundOwner(ctx context.Context, req api.NakamaListTournamentRecordsAroundOwnerRequestObject) (api.NakamaListTournamentRecordsAroundOwnerResponseObject, error) {
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	owner, limit, err := aroundParams(req.OwnerId, req.Params.Limit, tournamentAroundDefault)
	if err != nil {
		return nil, err
	}
	expiry, err := expiryParam(req.Params.Expiry)
	if err != nil {
		return nil, err
	}
	list, err := s.Core.TournamentRecordsAroundOwner(ctx, req.TournamentId, owner, limit, deref(req.Params.Cursor), expiry)
	if err != nil {
		return nil, err
	}
	return writeRecordList(list), nil
}
