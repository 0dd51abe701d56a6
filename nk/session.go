package nk

import (
	"context"

	"github.com/heroiclabs/nakama-common/runtime"
)

// SessionLogout ends a user's session: the given tokens, or with neither every session.
func (m *Module) SessionLogout(userID, token, refreshToken string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.SessionLogout(context.Background(), id, token, refreshToken))
}

// SessionDisconnect is not supported yet: it needs the realtime socket's session registry.
func (m *Module) SessionDisconnect(ctx context.Context, sessionID string, reason ...runtime.PresenceReason) error {
	return notSupported("SessionDisconnect")
}
