package nk

import (
	"context"
	"github.com/heroiclabs/nakama-common/api"
)

// Leaderboards: built by the leaderboard area; until wired, every call returns a
// "not supported yet" runtime error (code 12).

// LeaderboardCreate is not supported yet.
func (m *Module) LeaderboardCreate(ctx context.Context, id string, authoritative bool, sortOrder, operator, resetSchedule string, metadata map[string]interface{}, enableRanks bool) error {
	return notSupported("LeaderboardCreate")
}

// LeaderboardDelete is not supported yet.
func (m *Module) LeaderboardDelete(ctx context.Context, id string) error {
	return notSupported("LeaderboardDelete")
}

// LeaderboardList is not supported yet.
func (m *Module) LeaderboardList(limit int, cursor string) (*api.LeaderboardList, error) {
	return nil, notSupported("LeaderboardList")
}

// LeaderboardRanksDisable is not supported yet.
func (m *Module) LeaderboardRanksDisable(ctx context.Context, id string) error {
	return notSupported("LeaderboardRanksDisable")
}

// LeaderboardRecordsList is not supported yet.
func (m *Module) LeaderboardRecordsList(ctx context.Context, id string, ownerIDs []string, limit int, cursor string, expiry int64) (records []*api.LeaderboardRecord, ownerRecords []*api.LeaderboardRecord, nextCursor string, prevCursor string, err error) {
	return nil, nil, "", "", notSupported("LeaderboardRecordsList")
}

// LeaderboardRecordsListCursorFromRank is not supported yet.
func (m *Module) LeaderboardRecordsListCursorFromRank(id string, rank, overrideExpiry int64) (string, error) {
	return "", notSupported("LeaderboardRecordsListCursorFromRank")
}

// LeaderboardRecordWrite is not supported yet.
func (m *Module) LeaderboardRecordWrite(ctx context.Context, id, ownerID, username string, score, subscore int64, metadata map[string]interface{}, overrideOperator *int) (*api.LeaderboardRecord, error) {
	return nil, notSupported("LeaderboardRecordWrite")
}

// LeaderboardRecordDelete is not supported yet.
func (m *Module) LeaderboardRecordDelete(ctx context.Context, id, ownerID string) error {
	return notSupported("LeaderboardRecordDelete")
}

// LeaderboardsGetId is not supported yet.
func (m *Module) LeaderboardsGetId(ctx context.Context, ids []string) ([]*api.Leaderboard, error) {
	return nil, notSupported("LeaderboardsGetId")
}

// LeaderboardRecordsHaystack is not supported yet.
func (m *Module) LeaderboardRecordsHaystack(ctx context.Context, id, ownerID string, limit int, cursor string, expiry int64) (*api.LeaderboardRecordList, error) {
	return nil, notSupported("LeaderboardRecordsHaystack")
}
