package nk

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"

	"github.com/hearth-server/hearth/core"
)

func apiUsers(us []core.User) []*api.User {
	out := make([]*api.User, len(us))
	for i, u := range us {
		out[i] = apiUser(u)
	}
	return out
}

// UsersGetId returns the public profiles of users by id and by Facebook id.
func (m *Module) UsersGetId(ctx context.Context, userIDs []string, facebookIDs []string) ([]*api.User, error) {
	if _, err := userIDList(userIDs); err != nil {
		return nil, err
	}
	us, err := m.core.UsersGet(ctx, core.UsersGetInput{IDs: userIDs, FacebookIDs: facebookIDs})
	if err != nil {
		return nil, m.fromCore(err)
	}
	return apiUsers(us), nil
}

// UsersGetUsername returns the public profiles of users by username.
func (m *Module) UsersGetUsername(ctx context.Context, usernames []string) ([]*api.User, error) {
	us, err := m.core.UsersGet(ctx, core.UsersGetInput{Usernames: usernames})
	if err != nil {
		return nil, m.fromCore(err)
	}
	return apiUsers(us), nil
}

// UsersGetFriendStatus returns the user's friend states with each of the users; users
// it has no edge with are left out.
func (m *Module) UsersGetFriendStatus(ctx context.Context, userID string, userIDs []string) ([]*api.Friend, error) {
	errID := errors.New("expects user ID to be a valid identifier")
	id, err := uuid.Parse(userID)
	if err != nil {
		return nil, errID
	}
	others := make([]uuid.UUID, len(userIDs))
	for i, s := range userIDs {
		if others[i], err = uuid.Parse(s); err != nil {
			return nil, errID
		}
	}
	friends, err := m.core.FriendStatus(ctx, id, others)
	if err != nil {
		return nil, m.fromCore(err)
	}
	out := make([]*api.Friend, len(friends))
	for i, f := range friends {
		out[i] = apiFriend(f)
	}
	return out, nil
}

// UsersGetRandom returns up to count random users.
func (m *Module) UsersGetRandom(ctx context.Context, count int) ([]*api.User, error) {
	if count == 0 {
		return make([]*api.User, 0), nil
	}
	if count < 0 || count > 1000 {
		return nil, errInvalidCount
	}
	us, err := m.core.UsersGetRandom(ctx, count)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return apiUsers(us), nil
}

// UsersBanId bans users: they cannot log in and their sessions end.
func (m *Module) UsersBanId(ctx context.Context, userIDs []string) error {
	ids, err := userIDList(userIDs)
	if err != nil || len(ids) == 0 {
		return err
	}
	return m.fromCore(m.core.UsersBan(ctx, ids))
}

// UsersUnbanId lifts bans.
func (m *Module) UsersUnbanId(ctx context.Context, userIDs []string) error {
	ids, err := userIDList(userIDs)
	if err != nil || len(ids) == 0 {
		return err
	}
	return m.fromCore(m.core.UsersUnban(ctx, ids))
}
