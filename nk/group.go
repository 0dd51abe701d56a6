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

func metadataJSON(metadata map[string]any) (*string, error) {
	if metadata == nil {
		return nil, nil
	}
	raw, err := json.Marshal(metadata)
	if err != nil {
		return nil, errors.New("expects metadata to be JSON-encodable")
	}
	s := string(raw)
	return &s, nil
}

// GroupCreate creates a group whose superadmin is userID.
func (m *Module) GroupCreate(ctx context.Context, userID, name, creatorID, langTag, description, avatarUrl string, open bool, metadata map[string]any, maxCount int) (*api.Group, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errors.New("expects group name not be empty")
	}
	meta, err := metadataJSON(metadata)
	if err != nil {
		return nil, err
	}
	in := core.GroupCreateInput{Name: name, Description: description, AvatarURL: avatarUrl, LangTag: langTag, Open: open, MaxCount: maxCount}
	if meta != nil {
		in.Metadata = *meta
	}
	g, err := m.core.GroupCreate(ctx, id, in)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return apiGroup(g), nil
}

// GroupUpdate changes a group; empty strings, nil metadata and maxCount 0 leave a field
// as it is. userID "" acts as the server.
func (m *Module) GroupUpdate(ctx context.Context, id, userID, name, creatorID, langTag, description, avatarUrl string, open bool, metadata map[string]any, maxCount int) error {
	caller, err := parseOptionalUserID(userID)
	if err != nil {
		return err
	}
	meta, err := metadataJSON(metadata)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.GroupUpdate(ctx, caller, id, core.GroupUpdateInput{
		Name: nonEmpty(name), Description: nonEmpty(description), AvatarURL: nonEmpty(avatarUrl),
		LangTag: nonEmpty(langTag), Metadata: meta, Open: &open, MaxCount: maxCount,
	}))
}

// GroupDelete deletes a group as the server.
func (m *Module) GroupDelete(ctx context.Context, id string) error {
	return m.fromCore(m.core.GroupDelete(ctx, uuid.Nil, id))
}

// GroupsGetId returns groups by id.
func (m *Module) GroupsGetId(ctx context.Context, groupIDs []string) ([]*api.Group, error) {
	if len(groupIDs) == 0 {
		return make([]*api.Group, 0), nil
	}
	gs, err := m.core.GroupsGet(ctx, groupIDs)
	if err != nil {
		return nil, m.fromCore(err)
	}
	out := make([]*api.Group, len(gs))
	for i, g := range gs {
		out[i] = apiGroup(g)
	}
	return out, nil
}

// GroupsList lists groups by name prefix, language, member count and openness.
func (m *Module) GroupsList(ctx context.Context, name, langTag string, members *int, open *bool, limit int, cursor string) ([]*api.Group, string, error) {
	if limit < 1 || limit > 100 {
		return nil, "", errors.New("expects limit to be 1-100")
	}
	in := core.GroupListInput{Name: name, LangTag: langTag, Open: open, Limit: limit, Cursor: cursor, Members: -1}
	if members != nil {
		in.Members = *members
	}
	list, err := m.core.GroupsList(ctx, in)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := make([]*api.Group, len(list.Groups))
	for i, g := range list.Groups {
		out[i] = apiGroup(g)
	}
	return out, list.Cursor, nil
}

// GroupsGetRandom returns up to count groups picked at random.
func (m *Module) GroupsGetRandom(ctx context.Context, count int) ([]*api.Group, error) {
	if count == 0 {
		return make([]*api.Group, 0), nil
	}
	if count < 0 || count > 1000 {
		return nil, errInvalidCount
	}
	groups, err := m.core.GroupsGetRandom(ctx, count)
	if err != nil {
		return nil, m.fromCore(err)
	}
	out := make([]*api.Group, len(groups))
	for i, g := range groups {
		out[i] = apiGroup(g)
	}
	return out, nil
}

// GroupUserJoin joins a user to a group (or asks to, for a closed group).
func (m *Module) GroupUserJoin(ctx context.Context, groupID, userID, username string) error {
	me, err := friendCaller(userID, username)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.GroupJoin(ctx, me, groupID))
}

// GroupUserLeave removes a user from a group.
func (m *Module) GroupUserLeave(ctx context.Context, groupID, userID, username string) error {
	me, err := friendCaller(userID, username)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.GroupLeave(ctx, me, groupID))
}

type groupMemberOp func(ctx context.Context, caller uuid.UUID, groupID string, userIDs []string) error

func (m *Module) groupMembers(ctx context.Context, op groupMemberOp, callerID, groupID string, userIDs []string) error {
	caller, err := parseOptionalUserID(callerID)
	if err != nil {
		return err
	}
	if len(userIDs) == 0 {
		return nil
	}
	if _, err := userIDList(userIDs); err != nil {
		return err
	}
	return m.fromCore(op(ctx, caller, groupID, userIDs))
}

// GroupUsersAdd adds users to a group; callerID "" acts as the server.
func (m *Module) GroupUsersAdd(ctx context.Context, callerID, groupID string, userIDs []string) error {
	return m.groupMembers(ctx, m.core.GroupUsersAdd, callerID, groupID, userIDs)
}

// GroupUsersBan bans users from a group.
func (m *Module) GroupUsersBan(ctx context.Context, callerID, groupID string, userIDs []string) error {
	return m.groupMembers(ctx, m.core.GroupUsersBan, callerID, groupID, userIDs)
}

// GroupUsersKick removes users from a group.
func (m *Module) GroupUsersKick(ctx context.Context, callerID, groupID string, userIDs []string) error {
	return m.groupMembers(ctx, m.core.GroupUsersKick, callerID, groupID, userIDs)
}

// GroupUsersPromote raises members' roles.
func (m *Module) GroupUsersPromote(ctx context.Context, callerID, groupID string, userIDs []string) error {
	return m.groupMembers(ctx, m.core.GroupUsersPromote, callerID, groupID, userIDs)
}

// GroupUsersDemote lowers members' roles.
func (m *Module) GroupUsersDemote(ctx context.Context, callerID, groupID string, userIDs []string) error {
	return m.groupMembers(ctx, m.core.GroupUsersDemote, callerID, groupID, userIDs)
}

func stateFilter(state *int, max int) (*int32, error) {
	if state == nil {
		return nil, nil
	}
	if *state < 0 || *state > max {
		return nil, errors.New("expects state to be a valid group membership state")
	}
	s := int32(*state)
	return &s, nil
}

// GroupUsersList lists a group's members.
func (m *Module) GroupUsersList(ctx context.Context, id string, limit int, state *int, cursor string) ([]*api.GroupUserList_GroupUser, string, error) {
	if limit < 1 || limit > 100 {
		return nil, "", errors.New("expects limit to be 1-100")
	}
	st, err := stateFilter(state, 4)
	if err != nil {
		return nil, "", err
	}
	list, err := m.core.GroupUsersList(ctx, id, limit, st, cursor)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := make([]*api.GroupUserList_GroupUser, len(list.Users))
	for i, u := range list.Users {
		out[i] = &api.GroupUserList_GroupUser{User: apiUser(u.User), State: wrapperspb.Int32(u.State)}
	}
	return out, list.Cursor, nil
}

// UserGroupsList lists the groups a user is in.
func (m *Module) UserGroupsList(ctx context.Context, userID string, limit int, state *int, cursor string) ([]*api.UserGroupList_UserGroup, string, error) {
	if _, err := parseUserID(userID); err != nil {
		return nil, "", err
	}
	if limit < 1 || limit > 100 {
		return nil, "", errors.New("expects limit to be 1-100")
	}
	st, err := stateFilter(state, 4)
	if err != nil {
		return nil, "", err
	}
	list, err := m.core.UserGroupsList(ctx, userID, limit, st, cursor)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := make([]*api.UserGroupList_UserGroup, len(list.Groups))
	for i, g := range list.Groups {
		out[i] = &api.UserGroupList_UserGroup{Group: apiGroup(g.Group), State: wrapperspb.Int32(g.State)}
	}
	return out, list.Cursor, nil
}
