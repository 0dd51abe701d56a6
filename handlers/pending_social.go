package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Social graph: groups. These operations answer 501 with code 12 until the area lands, so a client gets a
// clear refusal instead of a wrong answer (README.md lists them).

// NakamaListGroups is not built yet.
func (s *Server) NakamaListGroups(context.Context, api.NakamaListGroupsRequestObject) (api.NakamaListGroupsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaCreateGroup is not built yet.
func (s *Server) NakamaCreateGroup(context.Context, api.NakamaCreateGroupRequestObject) (api.NakamaCreateGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDeleteGroup is not built yet.
func (s *Server) NakamaDeleteGroup(context.Context, api.NakamaDeleteGroupRequestObject) (api.NakamaDeleteGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUpdateGroup is not built yet.
func (s *Server) NakamaUpdateGroup(context.Context, api.NakamaUpdateGroupRequestObject) (api.NakamaUpdateGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAddGroupUsers is not built yet.
func (s *Server) NakamaAddGroupUsers(context.Context, api.NakamaAddGroupUsersRequestObject) (api.NakamaAddGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaBanGroupUsers is not built yet.
func (s *Server) NakamaBanGroupUsers(context.Context, api.NakamaBanGroupUsersRequestObject) (api.NakamaBanGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDemoteGroupUsers is not built yet.
func (s *Server) NakamaDemoteGroupUsers(context.Context, api.NakamaDemoteGroupUsersRequestObject) (api.NakamaDemoteGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaJoinGroup is not built yet.
func (s *Server) NakamaJoinGroup(context.Context, api.NakamaJoinGroupRequestObject) (api.NakamaJoinGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaKickGroupUsers is not built yet.
func (s *Server) NakamaKickGroupUsers(context.Context, api.NakamaKickGroupUsersRequestObject) (api.NakamaKickGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLeaveGroup is not built yet.
func (s *Server) NakamaLeaveGroup(context.Context, api.NakamaLeaveGroupRequestObject) (api.NakamaLeaveGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaPromoteGroupUsers is not built yet.
func (s *Server) NakamaPromoteGroupUsers(context.Context, api.NakamaPromoteGroupUsersRequestObject) (api.NakamaPromoteGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListGroupUsers is not built yet.
func (s *Server) NakamaListGroupUsers(context.Context, api.NakamaListGroupUsersRequestObject) (api.NakamaListGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListUserGroups is not built yet.
func (s *Server) NakamaListUserGroups(context.Context, api.NakamaListUserGroupsRequestObject) (api.NakamaListUserGroupsResponseObject, error) {
	return nil, errNotBuilt
}
