package presence

import "github.com/google/uuid"

// follows records which sessions follow which users' status. Every session follows its
// own user from the moment it connects, so a user sees their own status changes, as in
// Nakama. Guarded by the tracker's lock.
type follows struct {
	byUser    map[uuid.UUID]map[uuid.UUID]Format // followed user -> follower session -> format
	bySession map[uuid.UUID]map[uuid.UUID]struct{}
}

func newFollows() follows {
	return follows{byUser: make(map[uuid.UUID]map[uuid.UUID]Format), bySession: make(map[uuid.UUID]map[uuid.UUID]struct{})}
}

func (f *follows) follow(sessionID uuid.UUID, format Format, userID uuid.UUID) {
	fs := f.byUser[userID]
	if fs == nil {
		fs = make(map[uuid.UUID]Format, 1)
		f.byUser[userID] = fs
	}
	fs[sessionID] = format
	us := f.bySession[sessionID]
	if us == nil {
		us = make(map[uuid.UUID]struct{}, 1)
		f.bySession[sessionID] = us
	}
	us[userID] = struct{}{}
}

func (f *follows) unfollow(sessionID, userID uuid.UUID) {
	if fs := f.byUser[userID]; fs != nil {
		delete(fs, sessionID)
		if len(fs) == 0 {
			delete(f.byUser, userID)
		}
	}
	if us := f.bySession[sessionID]; us != nil {
		delete(us, userID)
		if len(us) == 0 {
			delete(f.bySession, sessionID)
		}
	}
}

func (f *follows) unfollowAll(sessionID uuid.UUID) {
	for userID := range f.bySession[sessionID] {
		f.unfollow(sessionID, userID)
	}
}

func (f *follows) recipients(userID uuid.UUID) []Recipient {
	fs := f.byUser[userID]
	out := make([]Recipient, 0, len(fs))
	for sid, format := range fs {
		out = append(out, Recipient{SessionID: sid, Format: format})
	}
	return out
}

// Follow makes a session receive status events of the users, and returns their
// current status presences.
func (t *Tracker) Follow(sessionID uuid.UUID, format Format, userIDs []uuid.UUID) []Presence {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Presence
	for _, u := range userIDs {
		t.follows.follow(sessionID, format, u)
		s := Stream{Mode: ModeStatus, Subject: u}
		for sid, m := range t.streams[s] {
			if !m.meta.Hidden {
				out = append(out, Presence{SessionID: sid, UserID: m.userID, Stream: s, Meta: m.meta})
			}
		}
	}
	return out
}

// Unfollow stops status events of the users for a session.
func (t *Tracker) Unfollow(sessionID uuid.UUID, userIDs []uuid.UUID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, u := range userIDs {
		t.follows.unfollow(sessionID, u)
	}
}
