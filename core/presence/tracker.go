// Package presence tracks who is connected to what: every live socket session holds
// presences on streams (mode, subject, subcontext, label). Chat channels, user status,
// notifications, matches and parties are all streams. The tracker keeps the presences in
// memory on this node, tells a stream's members when others join or leave, and delivers
// server messages to a stream's members through the session registry it is attached to.
//
// It is in-memory state, so it lives in its own package beside core; the realtime front
// door attaches its session registry, and the runtime's Stream* and SessionDisconnect
// functions are methods here.
package presence

import (
	"log/slog"
	"sync"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
)

// Stream modes, numbered as Nakama numbers them (clients see them in stream events and
// channel ids).
const (
	ModeNotifications      uint8 = 0
	ModeStatus             uint8 = 1
	ModeChannel            uint8 = 2
	ModeGroup              uint8 = 3
	ModeDM                 uint8 = 4
	ModeMatchRelayed       uint8 = 5
	ModeMatchAuthoritative uint8 = 6
	ModeParty              uint8 = 7
)

// Stream identifies a set of presences. Subject and Subcontext are ids (zero when
// unused); Label is free text (a chat room's name).
type Stream struct {
	Mode       uint8
	Subject    uuid.UUID
	Subcontext uuid.UUID
	Label      string
}

// Meta is what a presence carries besides who it is.
type Meta struct {
	// Hidden presences are tracked (they receive the stream's messages) but are never
	// listed to others and make no join or leave events.
	Hidden bool
	// Persistence is the chat channel's "store messages" choice of this member.
	Persistence bool
	Username    string
	Status      string
	Reason      runtime.PresenceReason
}

// Presence is one session on one stream.
type Presence struct {
	SessionID uuid.UUID
	UserID    uuid.UUID
	Stream    Stream
	Meta      Meta
}

// Format is how a session encodes envelopes; deliveries encode once per format.
type Format uint8

// The two socket formats.
const (
	FormatJSON Format = iota
	FormatProtobuf
)

// Sessions is what the tracker needs from the socket front door's session registry.
// Implementations must not call back into the tracker and must never block: a session
// that cannot take a message is disconnected.
type Sessions interface {
	// Session reports whether sessionID is connected on this node, for userID, and
	// in which format it speaks. It is called with the tracker's lock held, so the
	// registry must drop a closing session before untracking it (UntrackAll).
	Session(sessionID, userID uuid.UUID) (Format, bool)
	// Deliver sends env to each of the sessions. The envelope must not be changed
	// afterwards (it may be encoded later, once per format).
	Deliver(recipients []Recipient, env *rtapi.Envelope)
	// Disconnect closes a session, as a server-side disconnect.
	Disconnect(sessionID uuid.UUID, reason runtime.PresenceReason) bool
}

// Recipient is a session a message goes to.
type Recipient struct {
	SessionID uuid.UUID
	Format    Format
}

// EventBuilder turns presence changes on a stream into the envelope its members receive,
// or nil for none. Builders are registered per mode (see SetEventBuilder).
type EventBuilder func(stream Stream, joins, leaves []Presence) *rtapi.Envelope

// member is one presence held on a stream.
type member struct {
	userID uuid.UUID
	format Format
	meta   Meta
}

// Tracker holds every presence on this node.
type Tracker struct {
	log *slog.Logger

	mu       sync.RWMutex
	streams  map[Stream]map[uuid.UUID]*member  // stream -> session -> member
	sessions map[uuid.UUID]map[Stream]struct{} // session -> streams it is on
	follows  follows
	builders map[uint8]EventBuilder
	out      Sessions

	events eventQueue
}

// New builds an empty tracker. Attach connects it to the session registry.
func New(log *slog.Logger) *Tracker {
	if log == nil {
		log = slog.Default()
	}
	t := &Tracker{
		log:      log,
		streams:  make(map[Stream]map[uuid.UUID]*member),
		sessions: make(map[uuid.UUID]map[Stream]struct{}),
		follows:  newFollows(),
		builders: make(map[uint8]EventBuilder),
		out:      noSessions{},
	}
	t.builders[ModeNotifications] = func(Stream, []Presence, []Presence) *rtapi.Envelope { return nil }
	t.builders[ModeChannel] = channelEvent
	t.builders[ModeGroup] = channelEvent
	t.builders[ModeDM] = channelEvent
	t.events.init(t.dispatch)
	return t
}

// Attach connects the tracker to the sessions it delivers to. Call it once, before the
// first socket connects.
func (t *Tracker) Attach(s Sessions) {
	t.mu.Lock()
	t.out = s
	t.mu.Unlock()
}

// SetEventBuilder replaces how presence changes on streams of mode are announced. The
// default for modes without a builder is a stream_presence_event; status changes go to
// followers (not members) and cannot be replaced.
func (t *Tracker) SetEventBuilder(mode uint8, b EventBuilder) {
	t.mu.Lock()
	t.builders[mode] = b
	t.mu.Unlock()
}

// Track adds a session's presence to a stream (an existing one stays as it is). It
// reports whether the presence is new. Visible new presences make a join event.
func (t *Tracker) Track(sessionID, userID uuid.UUID, format Format, stream Stream, meta Meta) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.trackLocked(sessionID, userID, format, stream, meta, false)
}

// trackLocked adds a presence; an existing one is left alone, or changed when update.
func (t *Tracker) trackLocked(sessionID, userID uuid.UUID, format Format, stream Stream, meta Meta, update bool) bool {
	members := t.streams[stream]
	if members == nil {
		members = make(map[uuid.UUID]*member, 1)
		t.streams[stream] = members
	}
	if old, ok := members[sessionID]; ok {
		if !update || old.meta == meta {
			return false
		}
		t.updateLocked(sessionID, old, stream, meta)
		return false
	}
	members[sessionID] = &member{userID: userID, format: format, meta: meta}
	ss := t.sessions[sessionID]
	if ss == nil {
		ss = make(map[Stream]struct{}, 2)
		t.sessions[sessionID] = ss
	}
	ss[stream] = struct{}{}
	if !meta.Hidden {
		meta.Reason = runtime.PresenceReasonJoin
		t.events.push(event{stream: stream, joins: []Presence{{SessionID: sessionID, UserID: userID, Stream: stream, Meta: meta}}})
	}
	return true
}

// Update changes a presence's meta, tracking it when absent. A visible change is
// announced as a leave of the old presence and a join of the new one, as Nakama does.
func (t *Tracker) Update(sessionID, userID uuid.UUID, format Format, stream Stream, meta Meta) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.trackLocked(sessionID, userID, format, stream, meta, true)
}

func (t *Tracker) updateLocked(sessionID uuid.UUID, m *member, stream Stream, meta Meta) {
	old := m.meta
	m.meta = meta
	var ev event
	if !old.Hidden {
		old.Reason = runtime.PresenceReasonUpdate
		ev.leaves = []Presence{{SessionID: sessionID, UserID: m.userID, Stream: stream, Meta: old}}
	}
	if !meta.Hidden {
		meta.Reason = runtime.PresenceReasonUpdate
		ev.joins = []Presence{{SessionID: sessionID, UserID: m.userID, Stream: stream, Meta: meta}}
	}
	if ev.joins != nil || ev.leaves != nil {
		ev.stream = stream
		t.events.push(ev)
	}
}

// Untrack removes a session's presence from a stream; a visible one makes a leave event.
func (t *Tracker) Untrack(sessionID uuid.UUID, stream Stream, reason runtime.PresenceReason) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.untrackLocked(sessionID, stream, reason)
}

func (t *Tracker) untrackLocked(sessionID uuid.UUID, stream Stream, reason runtime.PresenceReason) bool {
	members := t.streams[stream]
	m, ok := members[sessionID]
	if !ok {
		return false
	}
	delete(members, sessionID)
	if len(members) == 0 {
		delete(t.streams, stream)
	}
	if ss := t.sessions[sessionID]; ss != nil {
		delete(ss, stream)
		if len(ss) == 0 {
			delete(t.sessions, sessionID)
		}
	}
	if !m.meta.Hidden {
		meta := m.meta
		meta.Reason = reason
		t.events.push(event{stream: stream, leaves: []Presence{{SessionID: sessionID, UserID: m.userID, Stream: stream, Meta: meta}}})
	}
	return true
}

// UntrackAll removes every presence of a session (it disconnected) and its follows.
func (t *Tracker) UntrackAll(sessionID uuid.UUID, reason runtime.PresenceReason) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for stream := range t.sessions[sessionID] {
		t.untrackLocked(sessionID, stream, reason)
	}
	t.follows.unfollowAll(sessionID)
}

// UntrackStream removes every presence from a stream (it closed).
func (t *Tracker) UntrackStream(stream Stream, reason runtime.PresenceReason) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for sessionID := range t.streams[stream] {
		t.untrackLocked(sessionID, stream, reason)
	}
}

// Get returns one session's presence on a stream.
func (t *Tracker) Get(sessionID uuid.UUID, stream Stream) (Presence, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m, ok := t.streams[stream][sessionID]
	if !ok {
		return Presence{}, false
	}
	return Presence{SessionID: sessionID, UserID: m.userID, Stream: stream, Meta: m.meta}, true
}

// List returns a stream's presences, visible ones and/or hidden ones.
func (t *Tracker) List(stream Stream, includeHidden, includeVisible bool) []Presence {
	t.mu.RLock()
	defer t.mu.RUnlock()
	members := t.streams[stream]
	out := make([]Presence, 0, len(members))
	for sid, m := range members {
		if (m.meta.Hidden && includeHidden) || (!m.meta.Hidden && includeVisible) {
			out = append(out, Presence{SessionID: sid, UserID: m.userID, Stream: stream, Meta: m.meta})
		}
	}
	return out
}

// Count returns how many presences (hidden included) a stream holds.
func (t *Tracker) Count(stream Stream) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.streams[stream])
}

// UserOnline reports whether a user appears online: at least one of their sessions
// shows a status. It is the lookup behind `online` in user, friend and group user lists.
func (t *Tracker) UserOnline(userID uuid.UUID) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.streams[Stream{Mode: ModeStatus, Subject: userID}]) > 0
}

// SessionStreams returns the streams a session is on.
func (t *Tracker) SessionStreams(sessionID uuid.UUID) []Stream {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]Stream, 0, len(t.sessions[sessionID]))
	for s := range t.sessions[sessionID] {
		out = append(out, s)
	}
	return out
}

// Send delivers env to every presence on the stream, hidden ones included.
func (t *Tracker) Send(stream Stream, env *rtapi.Envelope) {
	t.mu.RLock()
	members := t.streams[stream]
	rs := make([]Recipient, 0, len(members))
	for sid, m := range members {
		rs = append(rs, Recipient{SessionID: sid, Format: m.format})
	}
	out := t.out
	t.mu.RUnlock()
	if len(rs) > 0 {
		out.Deliver(rs, env)
	}
}

// SendSessions delivers env to the sessions named, wherever they are tracked; ids of
// sessions not connected are skipped.
func (t *Tracker) SendSessions(sessionIDs []uuid.UUID, env *rtapi.Envelope) {
	t.mu.RLock()
	rs := make([]Recipient, 0, len(sessionIDs))
	for _, sid := range sessionIDs {
		if format, ok := t.sessionFormatLocked(sid); ok {
			rs = append(rs, Recipient{SessionID: sid, Format: format})
		}
	}
	out := t.out
	t.mu.RUnlock()
	if len(rs) > 0 {
		out.Deliver(rs, env)
	}
}

// noSessions is the registry of a tracker not yet attached: nobody is connected.
type noSessions struct{}

func (noSessions) Session(uuid.UUID, uuid.UUID) (Format, bool)       { return 0, false }
func (noSessions) Deliver([]Recipient, *rtapi.Envelope)              {}
func (noSessions) Disconnect(uuid.UUID, runtime.PresenceReason) bool { return false }

// SendAll delivers env to every session holding a presence on any stream of the mode
// (mode 0, notifications, reaches every connected session).
func (t *Tracker) SendAll(mode uint8, env *rtapi.Envelope) {
	t.mu.RLock()
	var rs []Recipient
	for s, members := range t.streams {
		if s.Mode != mode {
			continue
		}
		for sid, m := range members {
			rs = append(rs, Recipient{SessionID: sid, Format: m.format})
		}
	}
	out := t.out
	t.mu.RUnlock()
	if len(rs) > 0 {
		out.Deliver(rs, env)
	}
}
