package nk

import (
	"context"
)

// SessionLogout ends a user's session: the given tokens, or with neither every session.
func (m *Module) SessionLogout(userID, token, refreshToken string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.SessionLogout(context.Background(), id, token, refreshToken))
}
