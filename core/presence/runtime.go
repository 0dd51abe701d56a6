package presence

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
)

// The runtime's stream and session functions. Their signatures are those of
// nakama-common's runtime.NakamaModule, so the nk front door forwards to them as they are.

// Refusals of the runtime stream functions, worded as Nakama words them.
var (
	ErrUserID          = errors.New("expects valid user id")
	ErrSessionID       = errors.New("expects valid session id")
	ErrStreamSubject   = errors.New("stream subject must be a valid identifier")
	ErrStreamSubctx    = errors.New("stream subcontext must be a valid identifier")
	ErrSessionNotFound = errors.New("session not found")
	ErrEnvelope        = errors.New("expects a valid message")
	ErrPresence        = errors.New("expects a valid presence")
	// ErrPresenceSessionID refuses StreamSend/StreamSendRaw presences naming no session.
	ErrPresenceSessionID = errors.New("expects each presence session id to be a valid identifier")
)

// Node is the node name presences report (GetNodeId); one node for now.
const Node = "hearth"

// The runtime.Presence view of a Presence.
func (p Presence) GetHidden() bool                   { return p.Meta.Hidden }
func (p Presence) GetPersistence() bool              { return p.Meta.Persistence }
func (p Presence) GetUsername() string               { return p.Meta.Username }
func (p Presence) GetStatus() string                 { return p.Meta.Status }
func (p Presence) GetReason() runtime.PresenceReason { return p.Meta.Reason }
func (p Presence) GetUserId() string                 { return p.UserID.String() }
func (p Presence) GetSessionId() string              { return p.SessionID.String() }
func (p Presence) GetNodeId() string                 { return Node }

var _ runtime.Presence = Presence{}

// ParseStream checks a runtime stream's subject and subcontext, which must be ids or "".
func ParseStream(mode uint8, subject, subcontext, label string) (Stream, error) {
	s := Stream{Mode: mode, Label: label}
	var err error
	if subject != "" {
		if s.Subject, err = uuid.Parse(subject); err != nil {
			return Stream{}, ErrStreamSubject
		}
	}
	if subcontext != "" {
		if s.Subcontext, err = uuid.Parse(subcontext); err != nil {
			return Stream{}, ErrStreamSubctx
		}
	}
	return s, nil
}

func parseIDs(userID, sessionID string) (uuid.UUID, uuid.UUID, error) {
	u, err := uuid.Parse(userID)
	if err != nil {
		return uuid.Nil, uuid.Nil, ErrUserID
	}
	s, err := uuid.Parse(sessionID)
	if err != nil {
		return uuid.Nil, uuid.Nil, ErrSessionID
	}
	return u, s, nil
}

// StreamUserList lists a stream's presences.
func (t *Tracker) StreamUserList(mode uint8, subject, subcontext, label string, includeHidden, includeNotHidden bool) ([]runtime.Presence, error) {
	s, err := ParseStream(mode, subject, subcontext, label)
	if err != nil {
		return nil, err
	}
	ps := t.List(s, includeHidden, includeNotHidden)
	out := make([]runtime.Presence, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out, nil
}

// StreamUserGet returns a session's presence meta on a stream, nil when it has none.
func (t *Tracker) StreamUserGet(mode uint8, subject, subcontext, label, userID, sessionID string) (runtime.PresenceMeta, error) {
	u, sid, err := parseIDs(userID, sessionID)
	if err != nil {
		return nil, err
	}
	s, err := ParseStream(mode, subject, subcontext, label)
	if err != nil {
		return nil, err
	}
	p, ok := t.Get(sid, s)
	if !ok || p.UserID != u {
		return nil, nil
	}
	return p, nil
}

// StreamUserJoin puts a connected session on a stream; it reports whether the presence
// is new (an existing one is left unchanged).
func (t *Tracker) StreamUserJoin(mode uint8, subject, subcontext, label, userID, sessionID string, hidden, persistence bool, status string) (bool, error) {
	return t.streamUserPut(mode, subject, subcontext, label, userID, sessionID, hidden, persistence, status, false)
}

// StreamUserUpdate changes (or creates) a connected session's presence on a stream.
func (t *Tracker) StreamUserUpdate(mode uint8, subject, subcontext, label, userID, sessionID string, hidden, persistence bool, status string) error {
	_, err := t.streamUserPut(mode, subject, subcontext, label, userID, sessionID, hidden, persistence, status, true)
	return err
}

func (t *Tracker) streamUserPut(mode uint8, subject, subcontext, label, userID, sessionID string, hidden, persistence bool, status string, update bool) (bool, error) {
	u, sid, err := parseIDs(userID, sessionID)
	if err != nil {
		return false, err
	}
	s, err := ParseStream(mode, subject, subcontext, label)
	if err != nil {
		return false, err
	}
	// The session is looked up under the lock that tracking takes: a socket leaves the
	// registry before it untracks everything (under this lock), so a session found here
	// is untracked after this presence is added, and one not found stays off the stream.
	// Checked before taking the lock, a session closing in between would leave a
	// presence nobody removes.
	t.mu.Lock()
	defer t.mu.Unlock()
	format, ok := t.out.Session(sid, u)
	if !ok {
		return false, ErrSessionNotFound
	}
	meta := Meta{Hidden: hidden, Persistence: persistence, Status: status, Username: t.usernameLocked(sid, u)}
	return t.trackLocked(sid, u, format, s, meta, update), nil
}

// usernameLocked finds the session's username from its notification presence, which
// every connected session holds.
func (t *Tracker) usernameLocked(sessionID, userID uuid.UUID) string {
	if m := t.streams[Stream{Mode: ModeNotifications, Subject: userID}][sessionID]; m != nil {
		return m.meta.Username
	}
	return ""
}

// StreamUserLeave takes a session off a stream. As in Nakama, a presence is named by
// session and user together: naming another user's session leaves its presence alone,
// and a session that is not on the stream (or not connected) is no error.
func (t *Tracker) StreamUserLeave(mode uint8, subject, subcontext, label, userID, sessionID string) error {
	u, sid, err := parseIDs(userID, sessionID)
	if err != nil {
		return err
	}
	s, err := ParseStream(mode, subject, subcontext, label)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if m := t.streams[s][sid]; m != nil && m.userID == u {
		t.untrackLocked(sid, s, runtime.PresenceReasonLeave)
	}
	return nil
}

// StreamUserKick takes a presence off a stream. A nil presence is refused (Nakama
// dereferences it and panics).
func (t *Tracker) StreamUserKick(mode uint8, subject, subcontext, label string, presence runtime.Presence) error {
	if presence == nil {
		return ErrPresence
	}
	return t.StreamUserLeave(mode, subject, subcontext, label, presence.GetUserId(), presence.GetSessionId())
}

// StreamCount counts a stream's presences.
func (t *Tracker) StreamCount(mode uint8, subject, subcontext, label string) (int, error) {
	s, err := ParseStream(mode, subject, subcontext, label)
	if err != nil {
		return 0, err
	}
	return t.Count(s), nil
}

// StreamClose removes every presence from a stream.
func (t *Tracker) StreamClose(mode uint8, subject, subcontext, label string) error {
	s, err := ParseStream(mode, subject, subcontext, label)
	if err != nil {
		return err
	}
	t.UntrackStream(s, runtime.PresenceReasonLeave)
	return nil
}

// StreamSend sends data to a stream's presences as a stream_data message: to all of
// them when presences is empty, otherwise to the sessions named, as Nakama does.
func (t *Tracker) StreamSend(mode uint8, subject, subcontext, label, data string, presences []runtime.Presence, reliable bool) error {
	s, err := ParseStream(mode, subject, subcontext, label)
	if err != nil {
		return err
	}
	env := &rtapi.Envelope{Message: &rtapi.Envelope_StreamData{StreamData: &rtapi.StreamData{Stream: WireStream(s), Data: data, Reliable: reliable}}}
	return t.sendTo(s, env, presences)
}

// StreamSendRaw sends an envelope to a stream's presences (all of them when presences
// is empty, otherwise the sessions named).
func (t *Tracker) StreamSendRaw(mode uint8, subject, subcontext, label string, msg *rtapi.Envelope, presences []runtime.Presence, reliable bool) error {
	s, err := ParseStream(mode, subject, subcontext, label)
	if err != nil {
		return err
	}
	if msg == nil || msg.Message == nil {
		return ErrEnvelope
	}
	return t.sendTo(s, msg, presences)
}

// sendTo delivers to the whole stream, or, when presences are given, to those sessions
// by id: like Nakama, the presences' user ids are not read and the sessions need not
// be on the stream.
func (t *Tracker) sendTo(s Stream, env *rtapi.Envelope, presences []runtime.Presence) error {
	if len(presences) == 0 {
		t.Send(s, env)
		return nil
	}
	ids := make([]uuid.UUID, 0, len(presences))
	for _, p := range presences {
		sid, err := uuid.Parse(p.GetSessionId())
		if err != nil {
			return ErrPresenceSessionID
		}
		ids = append(ids, sid)
	}
	t.SendSessions(ids, env)
	return nil
}

// SessionDisconnect closes a connected session from the server side; a session that is
// not connected (any more) is not an error, as in Nakama.
func (t *Tracker) SessionDisconnect(_ context.Context, sessionID string, reason ...runtime.PresenceReason) error {
	sid, err := uuid.Parse(sessionID)
	if err != nil {
		return ErrSessionID
	}
	r := runtime.PresenceReasonDisconnect
	if len(reason) > 0 {
		r = reason[0]
	}
	t.mu.RLock()
	out := t.out
	t.mu.RUnlock()
	out.Disconnect(sid, r)
	return nil
}

// sessionFormatLocked is the format of a connected session: every socket holds a
// presence on its user's notification stream from connect to close.
func (t *Tracker) sessionFormatLocked(sessionID uuid.UUID) (Format, bool) {
	for s := range t.sessions[sessionID] {
		if m := t.streams[s][sessionID]; m != nil {
			return m.format, true
		}
	}
	return 0, false
}

// StatusFollow makes a connected session follow users' status (the runtime's
// StatusFollow): it receives their status events from now on. The session is looked up
// under the lock the follow is recorded under, so a session closing meanwhile (its
// follows are dropped under the same lock) keeps none.
func (t *Tracker) StatusFollow(sessionID string, userIDs []string) error {
	sid, ids, err := parseSessionAndUsers(sessionID, userIDs)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	format, ok := t.sessionFormatLocked(sid)
	if !ok {
		return ErrSessionNotFound
	}
	for _, u := range ids {
		t.follows.follow(sid, format, u)
	}
	return nil
}

// StatusUnfollow stops a session following users' status (the runtime's StatusUnfollow).
func (t *Tracker) StatusUnfollow(sessionID string, userIDs []string) error {
	sid, ids, err := parseSessionAndUsers(sessionID, userIDs)
	if err != nil {
		return err
	}
	t.Unfollow(sid, ids)
	return nil
}

func parseSessionAndUsers(sessionID string, userIDs []string) (uuid.UUID, []uuid.UUID, error) {
	sid, err := uuid.Parse(sessionID)
	if err != nil {
		return uuid.Nil, nil, ErrSessionID
	}
	ids := make([]uuid.UUID, 0, len(userIDs))
	for _, s := range userIDs {
		id, err := uuid.Parse(s)
		if err != nil || id == uuid.Nil {
			return uuid.Nil, nil, ErrUserID
		}
		ids = append(ids, id)
	}
	return sid, ids, nil
}
