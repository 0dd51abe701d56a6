package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Matches, the matchmaker and parties. These operations answer 501 with code 12 until the area lands,
// so a client gets a clear refusal instead of a wrong answer (README.md lists them).

// NakamaListMatches is not built yet.
func (s *Server) NakamaListMatches(context.Context, api.NakamaListMatchesRequestObject) (api.NakamaListMatchesResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaGetMatchmakerStats is not built yet.
func (s *Server) NakamaGetMatchmakerStats(context.Context, api.NakamaGetMatchmakerStatsRequestObject) (api.NakamaGetMatchmakerStatsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListParties is not built yet.
func (s *Server) NakamaListParties(context.Context, api.NakamaListPartiesRequestObject) (api.NakamaListPartiesResponseObject, error) {
	return nil, errNotBuilt
}
