package handlers

import (
	"context"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// Groups over REST. Group metadata is not settable here, as in Nakama: only the server
// (core callers such as the runtime) sets it.

// groupListDefault is Nakama's page size when the client gives no limit.
const groupListDefault = 1

// NakamaCreateGroup creates a group with the caller as its superadmin.
func (s *Server) NakamaCreateGroup(ctx context.Context, req api.NakamaCreateGroupRequestObject) (api.NakamaCreateGroupResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var body api.ApiCreateGroupRequest
	if req.Body != nil {
		body = api.ApiCreateGroupRequest(*req.Body)
	}
	in := core.GroupCreateInput{
		Name: deref(body.Name), Description: deref(body.Description), AvatarURL: deref(body.AvatarUrl),
		LangTag: deref(body.LangTag), Open: body.Open != nil && *body.Open,
	}
	if body.MaxCount != nil {
		in.MaxCount = int(*body.MaxCount)
	}
	g, err := s.Core.GroupCreate(ctx, who.UserID, in)
	if err != nil {
		return nil, err
	}
	return api.NakamaCreateGroup200JSONResponse(wireGroup(g)), nil
}

// NakamaUpdateGroup changes a group's fields; the caller must be one of its admins.
func (s *Server) NakamaUpdateGroup(ctx context.Context, req api.NakamaUpdateGroupRequestObject) (api.NakamaUpdateGroupResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var in core.GroupUpdateInput
	if b := req.Body; b != nil {
		in = core.GroupUpdateInput{Name: b.Name, Description: b.Description, AvatarURL: b.AvatarUrl, LangTag: b.LangTag, Open: b.Open}
	}
	if err := s.Core.GroupUpdate(ctx, who.UserID, req.GroupId, in); err != nil {
		return nil, err
	}
	return api.NakamaUpdateGroup200JSONResponse{}, nil
}

// NakamaDeleteGroup deletes a group; the caller must be one of its superadmins.
func (s *Server) NakamaDeleteGroup(ctx context.Context, req api.NakamaDeleteGroupRequestObject) (api.NakamaDeleteGroupResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.GroupDelete(ctx, who.UserID, req.GroupId); err != nil {
		return nil, err
	}
	return api.NakamaDeleteGroup200JSONResponse{}, nil
}

// NakamaListGroups lists groups by name pattern, language, size and openness.
func (s *Server) NakamaListGroups(ctx context.Context, req api.NakamaListGroupsRequestObject) (api.NakamaListGroupsResponseObject, error) {
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	p := req.Params
	in := core.GroupListInput{
		Name: deref(p.Name), LangTag: deref(p.LangTag), Open: p.Open, Members: -1,
		Limit: groupListDefault, Cursor: deref(p.Cursor),
	}
	if p.Limit != nil {
		in.Limit = int(*p.Limit)
	}
	if p.Members != nil {
		in.Members = int(*p.Members)
	}
	list, err := s.Core.GroupsList(ctx, in)
	if err != nil {
		return nil, err
	}
	return writeGroupList(list), nil
}

// wireGroup renders a group as Nakama does. open is a wrapped boolean in Nakama's
// protobuf, so it is sent even when false.
func wireGroup(g core.Group) api.ApiGroup {
	open := g.Open
	creator := ""
	if g.CreatorID != uuid.Nil {
		creator = g.CreatorID.String()
	}
	return api.ApiGroup{
		Id:          str(g.ID.String()),
		CreatorId:   str(creator),
		Name:        str(g.Name),
		Description: str(g.Description),
		AvatarUrl:   str(g.AvatarURL),
		LangTag:     str(g.LangTag),
		Metadata:    str(g.Metadata),
		Open:        &open,
		EdgeCount:   i32(g.EdgeCount),
		MaxCount:    i32(g.MaxCount),
		CreateTime:  timestamp(g.CreateTime),
		UpdateTime:  timestamp(g.UpdateTime),
	}
}
