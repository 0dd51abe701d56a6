package nk

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core"
)

var errInvalidCount = errors.New("expects count to be 1-1000")

func apiFriend(f core.Friend) *api.Friend {
	return &api.Friend{User: apiUser(f.User), State: wrapperspb.Int32(f.State), UpdateTime: ts(f.UpdateTime), Metadata: f.Metadata}
}

// FriendsList lists a user's friends, invitations and blocks (state filters; nil: all).
func (m *Module) FriendsList(ctx context.Context, userID string, limit int, state *int, cursor string) ([]*api.Friend, string, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return nil, "", err
	}
	if limit < 1 || limit > 1000 {
		return nil, "", errors.New("expects limit to be 1-1000")
	}
	var st *int32
	if state != nil {
		if *state < 0 || *state > 3 {
			return nil, "", errors.New("expects state to be 0-3")
		}
		s := int32(*state)
		st = &s
	}
	list, err := m.core.FriendsList(ctx, id, limit, st, cursor)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := make([]*api.Friend, len(list.Friends))
	for i, f := range list.Friends {
		out[i] = apiFriend(f)
	}
	return out, list.Cursor, nil
}

// FriendsOfFriendsList lists the friends of a user's friends.
func (m *Module) FriendsOfFriendsList(ctx context.Context, userID string, limit int, cursor string) ([]*api.FriendsOfFriendsList_FriendOfFriend, string, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return nil, "", err
	}
	if limit < 1 || limit > 1000 {
		return nil, "", errors.New("expects limit to be 1-1000")
	}
	list, err := m.core.FriendsOfFriendsList(ctx, id, limit, cursor)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := make([]*api.FriendsOfFriendsList_FriendOfFriend, len(list.FriendsOfFriends))
	for i, f := range list.FriendsOfFriends {
		out[i] = &api.FriendsOfFriendsList_FriendOfFriend{Referrer: f.Referrer.String(), User: apiUser(f.User)}
	}
	return out, list.Cursor, nil
}

func friendCaller(userID, username string) (core.Caller, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return core.Caller{}, err
	}
	if username == "" {
		return core.Caller{}, errors.New("expects a username string")
	}
	return core.Caller{UserID: id, Username: username}, nil
}

// FriendsAdd sends friend requests from a user (or accepts theirs).
func (m *Module) FriendsAdd(ctx context.Context, userID string, username string, ids []string, usernames []string, metadata map[string]any) error {
	me, err := friendCaller(userID, username)
	if err != nil {
		return err
	}
	if len(ids) == 0 && len(usernames) == 0 {
		return nil
	}
	meta := ""
	if metadata != nil {
		raw, err := json.Marshal(metadata)
		if err != nil {
			return errors.New("expects metadata to be JSON-encodable")
		}
		meta = string(raw)
	}
	return m.fromCore(m.core.FriendsAdd(ctx, me, core.FriendTargets{IDs: ids, Usernames: usernames}, meta))
}

// FriendsDelete removes friends, invitations or blocks.
func (m *Module) FriendsDelete(ctx context.Context, userID string, username string, ids []string, usernames []string) error {
	me, err := friendCaller(userID, username)
	if err != nil {
		return err
	}
	if len(ids) == 0 && len(usernames) == 0 {
		return nil
	}
	return m.fromCore(m.core.FriendsDelete(ctx, me, core.FriendTargets{IDs: ids, Usernames: usernames}))
}

// FriendsBlock blocks users.
func (m *Module) FriendsBlock(ctx context.Context, userID string, username string, ids []string, usernames []string) error {
	me, err := friendCaller(userID, username)
	if err != nil {
		return err
	}
	if len(ids) == 0 && len(usernames) == 0 {
		return nil
	}
	return m.fromCore(m.core.FriendsBlock(ctx, me, core.FriendTargets{IDs: ids, Usernames: usernames}))
}

// FriendMetadataUpdate replaces the metadata the user keeps on its edge to another user.
func (m *Module) FriendMetadataUpdate(ctx context.Context, userID string, friendUserId string, metadata map[string]any) error {
	id, err := uuid.Parse(userID)
	if err != nil {
		return errors.New("expects user ID to be a valid identifier")
	}
	other, err := uuid.Parse(friendUserId)
	if err != nil {
		return errors.New("expects friend user ID to be a valid identifier")
	}
	return m.fromCore(m.core.FriendMetadataUpdate(ctx, id, other, metadata))
}
