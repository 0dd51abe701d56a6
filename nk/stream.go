package nk

import (
	"context"

	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
)

// Streams, status follows and socket disconnects go to the node's presence tracker,
// which the realtime socket delivers through. Its functions already have the runtime's
// shapes; these methods only hand them on.

// StreamUserList lists a stream's presences.
func (m *Module) StreamUserList(mode uint8, subject, subcontext, label string, includeHidden, includeNotHidden bool) ([]runtime.Presence, error) {
	return m.streams.StreamUserList(mode, subject, subcontext, label, includeHidden, includeNotHidden)
}

// StreamUserGet returns a session's presence meta on a stream, nil when it has none.
func (m *Module) StreamUserGet(mode uint8, subject, subcontext, label, userID, sessionID string) (runtime.PresenceMeta, error) {
	return m.streams.StreamUserGet(mode, subject, subcontext, label, userID, sessionID)
}

// StreamUserJoin puts a connected session on a stream; false when it already was.
func (m *Module) StreamUserJoin(mode uint8, subject, subcontext, label, userID, sessionID string, hidden, persistence bool, status string) (bool, error) {
	return m.streams.StreamUserJoin(mode, subject, subcontext, label, userID, sessionID, hidden, persistence, status)
}

// StreamUserUpdate changes a session's presence meta on a stream.
func (m *Module) StreamUserUpdate(mode uint8, subject, subcontext, label, userID, sessionID string, hidden, persistence bool, status string) error {
	return m.streams.StreamUserUpdate(mode, subject, subcontext, label, userID, sessionID, hidden, persistence, status)
}

// StreamUserLeave takes a session off a stream.
func (m *Module) StreamUserLeave(mode uint8, subject, subcontext, label, userID, sessionID string) error {
	return m.streams.StreamUserLeave(mode, subject, subcontext, label, userID, sessionID)
}

// StreamUserKick takes a presence off a stream.
func (m *Module) StreamUserKick(mode uint8, subject, subcontext, label string, presence runtime.Presence) error {
	return m.streams.StreamUserKick(mode, subject, subcontext, label, presence)
}

// StreamCount counts a stream's presences.
func (m *Module) StreamCount(mode uint8, subject, subcontext, label string) (int, error) {
	return m.streams.StreamCount(mode, subject, subcontext, label)
}

// StreamClose takes every presence off a stream.
func (m *Module) StreamClose(mode uint8, subject, subcontext, label string) error {
	return m.streams.StreamClose(mode, subject, subcontext, label)
}

// StreamSend sends data to a stream's presences (all, or those given) as stream_data.
func (m *Module) StreamSend(mode uint8, subject, subcontext, label, data string, presences []runtime.Presence, reliable bool) error {
	return m.streams.StreamSend(mode, subject, subcontext, label, data, presences, reliable)
}

// StreamSendRaw sends an envelope to a stream's presences (all, or those given).
func (m *Module) StreamSendRaw(mode uint8, subject, subcontext, label string, msg *rtapi.Envelope, presences []runtime.Presence, reliable bool) error {
	return m.streams.StreamSendRaw(mode, subject, subcontext, label, msg, presences, reliable)
}

// StatusFollow makes a connected session follow users' status.
func (m *Module) StatusFollow(sessionID string, userIDs []string) error {
	return m.streams.StatusFollow(sessionID, userIDs)
}

// StatusUnfollow stops a session following users' status.
func (m *Module) StatusUnfollow(sessionID string, userIDs []string) error {
	return m.streams.StatusUnfollow(sessionID, userIDs)
}

// SessionDisconnect closes a connected socket session.
func (m *Module) SessionDisconnect(ctx context.Context, sessionID string, reason ...runtime.PresenceReason) error {
	return m.streams.SessionDisconnect(ctx, sessionID, reason...)
}
