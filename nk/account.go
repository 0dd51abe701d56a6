package nk

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/heroiclabs/nakama-common/api"

	"github.com/hearth-server/hearth/core"
)

// AccountGetId returns a user's account.
func (m *Module) AccountGetId(ctx context.Context, userID string) (*api.Account, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return nil, err
	}
	a, err := m.core.AccountGet(ctx, id)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return apiAccount(a), nil
}

// AccountsGetId returns the accounts of the users and of the owners of the device ids,
// each once; unknown ids are left out.
func (m *Module) AccountsGetId(ctx context.Context, userIDs, deviceIDs []string) ([]*api.Account, error) {
	if len(userIDs) == 0 && len(deviceIDs) == 0 {
		return make([]*api.Account, 0), nil
	}
	ids, err := userIDList(userIDs)
	if err != nil {
		return nil, err
	}
	for _, d := range deviceIDs {
		if d == "" {
			return nil, errors.New("each device id must be a non-empty string")
		}
	}
	accounts, err := m.core.AccountsGet(ctx, ids, deviceIDs)
	if err != nil {
		return nil, m.fromCore(err)
	}
	out := make([]*api.Account, len(accounts))
	for i, a := range accounts {
		out[i] = apiAccount(a)
	}
	return out, nil
}

// AccountUpdateId changes a user's profile; empty strings and nil metadata leave a field
// as it is, as in Nakama.
func (m *Module) AccountUpdateId(ctx context.Context, userID, username string, metadata map[string]any, displayName, timezone, location, langTag, avatarUrl string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	change := core.AccountChange{UserID: id, Metadata: metadata, Profile: core.AccountUpdate{
		Username:    nonEmpty(username),
		DisplayName: nonEmpty(displayName),
		Timezone:    nonEmpty(timezone),
		Location:    nonEmpty(location),
		LangTag:     nonEmpty(langTag),
		AvatarURL:   nonEmpty(avatarUrl),
	}}
	_, _, err = m.core.MultiUpdate(ctx, []core.AccountChange{change}, nil, nil, nil, false)
	return m.fromCore(err)
}

// AccountDeleteId deletes an account and everything it owns; recorded keeps a tombstone.
func (m *Module) AccountDeleteId(ctx context.Context, userID string, recorded bool) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.AccountDelete(ctx, id, recorded))
}

// AccountExportId returns everything held about an account, as JSON.
func (m *Module) AccountExportId(ctx context.Context, userID string) (string, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return "", err
	}
	out, err := m.core.AccountExport(ctx, id)
	return out, m.fromCore(err)
}

// AccountImportId is not supported yet.
func (m *Module) AccountImportId(ctx context.Context, data, userID string) (*api.Account, error) {
	return nil, notSupported("AccountImportId")
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// userIDList checks a list of user id arguments.
func userIDList(ss []string) ([]uuid.UUID, error) {
	ids, err := parseUserIDs(ss)
	if err != nil {
		return nil, errors.New("each user id must be a valid id string")
	}
	return ids, nil
}
