package nk

import (
	"context"
	"github.com/heroiclabs/nakama-common/api"
)

// Matches and parties: not built yet; every call returns a "not supported yet" runtime
// error (code 12).

// MatchCreate is not supported yet.
func (m *Module) MatchCreate(ctx context.Context, module string, params map[string]interface{}) (string, error) {
	return "", notSupported("MatchCreate")
}

// MatchGet is not supported yet.
func (m *Module) MatchGet(ctx context.Context, id string) (*api.Match, error) {
	return nil, notSupported("MatchGet")
}

// MatchList is not supported yet.
func (m *Module) MatchList(ctx context.Context, limit int, authoritative bool, label string, minSize, maxSize *int, query string) ([]*api.Match, error) {
	return nil, notSupported("MatchList")
}

// MatchSignal is not supported yet.
func (m *Module) MatchSignal(ctx context.Context, id string, data string) (string, error) {
	return "", notSupported("MatchSignal")
}

// PartyList is not supported yet.
func (m *Module) PartyList(ctx context.Context, limit int, open *bool, showHidden bool, query, cursor string) ([]*api.Party, string, error) {
	return nil, "", notSupported("PartyList")
}
