package realtime

import (
	"context"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
)

// statusMax is the longest status text, in bytes, as Nakama limits it.
const statusMax = 2048

// statusFollow follows users by id and username; the reply lists their current status
// presences. A user cannot follow themselves (they already do) or the system user;
// unknown users are skipped, as in Nakama.
func (srv *Server) statusFollow(ctx context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	m := in.GetStatusFollow()
	ids := make([]string, 0, len(m.UserIds))
	for _, id := range m.UserIds {
		u, err := uuid.Parse(id)
		if err != nil {
			return nil, errInvalidUserID
		}
		if u != s.userID {
			ids = append(ids, u.String())
		}
	}
	names := make([]string, 0, len(m.Usernames))
	for _, n := range m.Usernames {
		if n == "" {
			return nil, errInvalidUsername
		}
		if n != s.username {
			names = append(names, n)
		}
	}
	status := &rtapi.Status{}
	if len(ids) == 0 && len(names) == 0 {
		return &rtapi.Envelope{Message: &rtapi.Envelope_Status{Status: status}}, nil
	}
	users, err := srv.core.UsersGet(ctx, core.UsersGetInput{IDs: ids, Usernames: names})
	if err != nil {
		if core.AsError(err).Code == core.CodeInternal {
			return nil, core.Internal("Could not check users", err) // Nakama's text for a failed lookup
		}
		return nil, err
	}
	follow := make([]uuid.UUID, 0, len(users))
	for _, u := range users {
		if u.ID != s.userID {
			follow = append(follow, u.ID)
		}
	}
	for _, p := range srv.tracker.Follow(s.id, s.format, follow) {
		status.Presences = append(status.Presences, presence.StatusPresence(p))
	}
	return &rtapi.Envelope{Message: &rtapi.Envelope_Status{Status: status}}, nil
}

// statusUnfollow stops following users.
func (srv *Server) statusUnfollow(_ context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	m := in.GetStatusUnfollow()
	ids := make([]uuid.UUID, 0, len(m.UserIds))
	for _, id := range m.UserIds {
		u, err := uuid.Parse(id)
		if err != nil {
			return nil, errInvalidUserID
		}
		if u != s.userID {
			ids = append(ids, u)
		}
	}
	srv.tracker.Unfollow(s.id, ids)
	return ack(), nil
}

// statusUpdate sets the session's status; no status at all makes it appear offline.
func (srv *Server) statusUpdate(_ context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	m := in.GetStatusUpdate()
	stream := presence.Stream{Mode: presence.ModeStatus, Subject: s.userID}
	if m.GetStatus() == nil {
		srv.tracker.Untrack(s.id, stream, runtime.PresenceReasonLeave)
		return ack(), nil
	}
	if len(m.Status.Value) > statusMax {
		return nil, errStatusTooLong
	}
	srv.tracker.Update(s.id, s.userID, s.format, stream, presence.Meta{Username: s.username, Status: m.Status.Value})
	return ack(), nil
}
