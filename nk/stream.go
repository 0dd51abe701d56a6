package nk

import (
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
)

// Streams and presence: built with the realtime socket; until wired, every call returns
// a "not supported yet" runtime error (code 12).

// StreamUserList is not supported yet.
func (m *Module) StreamUserList(mode uint8, subject, subcontext, label string, includeHidden, includeNotHidden bool) ([]runtime.Presence, error) {
	return nil, notSupported("StreamUserList")
}

// StreamUserGet is not supported yet.
func (m *Module) StreamUserGet(mode uint8, subject, subcontext, label, userID, sessionID string) (runtime.PresenceMeta, error) {
	return nil, notSupported("StreamUserGet")
}

// StreamUserJoin is not supported yet.
func (m *Module) StreamUserJoin(mode uint8, subject, subcontext, label, userID, sessionID string, hidden, persistence bool, status string) (bool, error) {
	return false, notSupported("StreamUserJoin")
}

// StreamUserUpdate is not supported yet.
func (m *Module) StreamUserUpdate(mode uint8, subject, subcontext, label, userID, sessionID string, hidden, persistence bool, status string) error {
	return notSupported("StreamUserUpdate")
}

// StreamUserLeave is not supported yet.
func (m *Module) StreamUserLeave(mode uint8, subject, subcontext, label, userID, sessionID string) error {
	return notSupported("StreamUserLeave")
}

// StreamUserKick is not supported yet.
func (m *Module) StreamUserKick(mode uint8, subject, subcontext, label string, presence runtime.Presence) error {
	return notSupported("StreamUserKick")
}

// StreamCount is not supported yet.
func (m *Module) StreamCount(mode uint8, subject, subcontext, label string) (int, error) {
	return 0, notSupported("StreamCount")
}

// StreamClose is not supported yet.
func (m *Module) StreamClose(mode uint8, subject, subcontext, label string) error {
	return notSupported("StreamClose")
}

// StreamSend is not supported yet.
func (m *Module) StreamSend(mode uint8, subject, subcontext, label, data string, presences []runtime.Presence, reliable bool) error {
	return notSupported("StreamSend")
}

// StreamSendRaw is not supported yet.
func (m *Module) StreamSendRaw(mode uint8, subject, subcontext, label string, msg *rtapi.Envelope, presences []runtime.Presence, reliable bool) error {
	return notSupported("StreamSendRaw")
}

// StatusFollow is not supported yet.
func (m *Module) StatusFollow(sessionID string, userIDs []string) error {
	return notSupported("StatusFollow")
}

// StatusUnfollow is not supported yet.
func (m *Module) StatusUnfollow(sessionID string, userIDs []string) error {
	return notSupported("StatusUnfollow")
}
