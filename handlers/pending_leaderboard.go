package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Leaderboards and tournaments. These operations answer 501 with code 12 until the area lands,
// so a client gets a clear refusal instead of a wrong answer (README.md lists them).

// NakamaDeleteLeaderboardRecord is not built yet.
func (s *Server) NakamaDeleteLeaderboardRecord(context.Context, api.NakamaDeleteLeaderboardRecordRequestObject) (api.NakamaDeleteLeaderboardRecordResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListLeaderboardRecords is not built yet.
func (s *Server) NakamaListLeaderboardRecords(context.Context, api.NakamaListLeaderboardRecordsRequestObject) (api.NakamaListLeaderboardRecordsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaWriteLeaderboardRecord is not built yet.
func (s *Server) NakamaWriteLeaderboardRecord(context.Context, api.NakamaWriteLeaderboardRecordRequestObject) (api.NakamaWriteLeaderboardRecordResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListLeaderboardRecordsAroundOwner is not built yet.
func (s *Server) NakamaListLeaderboardRecordsAroundOwner(context.Context, api.NakamaListLeaderboardRecordsAroundOwnerRequestObject) (api.NakamaListLeaderboardRecordsAroundOwnerResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListTournaments is not built yet.
func (s *Server) NakamaListTournaments(context.Context, api.NakamaListTournamentsRequestObject) (api.NakamaListTournamentsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDeleteTournamentRecord is not built yet.
func (s *Server) NakamaDeleteTournamentRecord(context.Context, api.NakamaDeleteTournamentRecordRequestObject) (api.NakamaDeleteTournamentRecordResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListTournamentRecords is not built yet.
func (s *Server) NakamaListTournamentRecords(context.Context, api.NakamaListTournamentRecordsRequestObject) (api.NakamaListTournamentRecordsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaWriteTournamentRecord2 is not built yet.
func (s *Server) NakamaWriteTournamentRecord2(context.Context, api.NakamaWriteTournamentRecord2RequestObject) (api.NakamaWriteTournamentRecord2ResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaWriteTournamentRecord is not built yet.
func (s *Server) NakamaWriteTournamentRecord(context.Context, api.NakamaWriteTournamentRecordRequestObject) (api.NakamaWriteTournamentRecordResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaJoinTournament is not built yet.
func (s *Server) NakamaJoinTournament(context.Context, api.NakamaJoinTournamentRequestObject) (api.NakamaJoinTournamentResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListTournamentRecordsAroundOwner is not built yet.
func (s *Server) NakamaListTournamentRecordsAroundOwner(context.Context, api.NakamaListTournamentRecordsAroundOwnerRequestObject) (api.NakamaListTournamentRecordsAroundOwnerResponseObject, error) {
	return nil, errNotBuilt
}
