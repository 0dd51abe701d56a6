package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Group membership over REST: join, leave, the admin operations on other users, and the
// two membership lists.

// groupUserListDefault is Nakama's page size for membership lists when the client gives
// no limit.
const groupUserListDefault = 100

func userIDs(ids *[]string) []string {
	if ids == nil {
		return nil
	}
	return *ids
}

// NakamaJoinGroup joins an open group, or asks to join a closed one.
func (s *Server) NakamaJoinGroup(ctx context.Context, req api.NakamaJoinGroupRequestObject) (api.NakamaJoinGroupResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.GroupJoin(ctx, who, req.GroupId); err != nil {
		return nil, err
	}
	return api.NakamaJoinGroup200JSONResponse{}, nil
}

// NakamaLeaveGroup leaves a group.
func (s *Server) NakamaLeaveGroup(ctx context.Context, req api.NakamaLeaveGroupRequestObject) (api.NakamaLeaveGroupResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.GroupLeave(ctx, who, req.GroupId); err != nil {
		return nil, err
	}
	return api.NakamaLeaveGroup200JSONResponse{}, nil
}

// NakamaAddGroupUsers adds users to a group or accepts their join requests.
func (s *Server) NakamaAddGroupUsers(ctx context.Context, req api.NakamaAddGroupUsersRequestObject) (api.NakamaAddGroupUsersResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.GroupUsersAdd(ctx, who.UserID, req.GroupId, userIDs(req.Params.UserIds)); err != nil {
		return nil, err
	}
	return api.NakamaAddGroupUsers200JSONResponse{}, nil
}

// NakamaKickGroupUsers removes users from a group or declines their join requests.
func (s *Server) NakamaKickGroupUsers(ctx context.Context, req api.NakamaKickGroupUsersRequestObject) (api.NakamaKickGroupUsersResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.GroupUsersKick(ctx, who.UserID, req.GroupId, userIDs(req.Params.UserIds)); err != nil {
		return nil, err
	}
	return api.NakamaKickGroupUsers200JSONResponse{}, nil
}

// NakamaBanGroupUsers bans users from a group.
func (s *Server) NakamaBanGroupUsers(ctx context.Context, req api.NakamaBanGroupUsersRequestObject) (api.NakamaBanGroupUsersResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.GroupUsersBan(ctx, who.UserID, req.GroupId, userIDs(req.Params.UserIds)); err != nil {
		return nil, err
	}
	return api.NakamaBanGroupUsers200JSONResponse{}, nil
}

// NakamaPromoteGroupUsers moves users one role up.
func (s *Server) NakamaPromoteGroupUsers(ctx context.Context, req api.NakamaPromoteGroupUsersRequestObject) (api.NakamaPromoteGroupUsersResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.GroupUsersPromote(ctx, who.UserID, req.GroupId, userIDs(req.Params.UserIds)); err != nil {
		return nil, err
	}
	return api.NakamaPromoteGroupUsers200JSONResponse{}, nil
}

// NakamaDemoteGroupUsers moves users one role down.
func (s *Server) NakamaDemoteGroupUsers(ctx context.Context, req api.NakamaDemoteGroupUsersRequestObject) (api.NakamaDemoteGroupUsersResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.GroupUsersDemote(ctx, who.UserID, req.GroupId, userIDs(req.Params.UserIds)); err != nil {
		return nil, err
	}
	return api.NakamaDemoteGroupUsers200JSONResponse{}, nil
}

func listLimit(limit *int32) int {
	if limit == nil {
		return groupUserListDefault
	}
	return int(*limit)
}

// state renders a membership state; Nakama wraps it, so 0 (superadmin) is sent too.
func state(n int32) *int32 { return &n }

// NakamaListGroupUsers lists a group's users with their roles.
func (s *Server) NakamaListGroupUsers(ctx context.Context, req api.NakamaListGroupUsersRequestObject) (api.NakamaListGroupUsersResponseObject, error) {
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	p := req.Params
	list, err := s.Core.GroupUsersList(ctx, req.GroupId, listLimit(p.Limit), p.State, deref(p.Cursor))
	if err != nil {
		return nil, err
	}
	return writeGroupUserList(list), nil
}

// NakamaListUserGroups lists the groups of a user with the user's role in each.
func (s *Server) NakamaListUserGroups(ctx context.Context, req api.NakamaListUserGroupsRequestObject) (api.NakamaListUserGroupsResponseObject, error) {
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	p := req.Params
	list, err := s.Core.UserGroupsList(ctx, req.UserId, listLimit(p.Limit), p.State, deref(p.Cursor))
	if err != nil {
		return nil, err
	}
	return writeUserGroupList(list), nil
}
