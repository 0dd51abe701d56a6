package nk

import (
	"context"
	"github.com/heroiclabs/nakama-common/api"
)

// Tournaments: built by the leaderboard area; until wired, every call returns a
// "not supported yet" runtime error (code 12).

// TournamentCreate is not supported yet.
func (m *Module) TournamentCreate(ctx context.Context, id string, authoritative bool, sortOrder, operator, resetSchedule string, metadata map[string]interface{}, title, description string, category, startTime, endTime, duration, maxSize, maxNumScore int, joinRequired, enableRanks bool) error {
	return notSupported("TournamentCreate")
}

// TournamentDelete is not supported yet.
func (m *Module) TournamentDelete(ctx context.Context, id string) error {
	return notSupported("TournamentDelete")
}

// TournamentAddAttempt is not supported yet.
func (m *Module) TournamentAddAttempt(ctx context.Context, id, ownerID string, count int) error {
	return notSupported("TournamentAddAttempt")
}

// TournamentJoin is not supported yet.
func (m *Module) TournamentJoin(ctx context.Context, id, ownerID, username string) error {
	return notSupported("TournamentJoin")
}

// TournamentsGetId is not supported yet.
func (m *Module) TournamentsGetId(ctx context.Context, tournamentIDs []string) ([]*api.Tournament, error) {
	return nil, notSupported("TournamentsGetId")
}

// TournamentList is not supported yet.
func (m *Module) TournamentList(ctx context.Context, categoryStart, categoryEnd, startTime, endTime, limit int, cursor string) (*api.TournamentList, error) {
	return nil, notSupported("TournamentList")
}

// TournamentRanksDisable is not supported yet.
func (m *Module) TournamentRanksDisable(ctx context.Context, id string) error {
	return notSupported("TournamentRanksDisable")
}

// TournamentRecordsList is not supported yet.
func (m *Module) TournamentRecordsList(ctx context.Context, tournamentId string, ownerIDs []string, limit int, cursor string, overrideExpiry int64) (records []*api.LeaderboardRecord, ownerRecords []*api.LeaderboardRecord, prevCursor string, nextCursor string, err error) {
	return nil, nil, "", "", notSupported("TournamentRecordsList")
}

// TournamentRecordWrite is not supported yet.
func (m *Module) TournamentRecordWrite(ctx context.Context, id, ownerID, username string, score, subscore int64, metadata map[string]interface{}, operatorOverride *int) (*api.LeaderboardRecord, error) {
	return nil, notSupported("TournamentRecordWrite")
}

// TournamentRecordDelete is not supported yet.
func (m *Module) TournamentRecordDelete(ctx context.Context, id, ownerID string) error {
	return notSupported("TournamentRecordDelete")
}

// TournamentRecordsHaystack is not supported yet.
func (m *Module) TournamentRecordsHaystack(ctx context.Context, id, ownerID string, limit int, cursor string, expiry int64) (*api.TournamentRecordList, error) {
	return nil, notSupported("TournamentRecordsHaystack")
}
