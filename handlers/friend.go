package handlers

import (
	"context"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// Friends over REST: the caller acts on its own side of each relationship.

// friendListDefault and friendsOfFriendsDefault are Nakama's page sizes when the client
// gives no limit.
const (
	friendListDefault       = 1000
	friendsOfFriendsDefault = 10
)

func friendTargets(ids, usernames *[]string) core.FriendTargets {
	var t core.FriendTargets
	if ids != nil {
		t.IDs = *ids
	}
	if usernames != nil {
		t.Usernames = *usernames
	}
	return t
}

// NakamaAddFriends invites the named users, or accepts their invites.
func (s *Server) NakamaAddFriends(ctx context.Context, req api.NakamaAddFriendsRequestObject) (api.NakamaAddFriendsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.FriendsAdd(ctx, who, friendTargets(req.Params.Ids, req.Params.Usernames), deref(req.Params.Metadata)); err != nil {
		return nil, err
	}
	return api.NakamaAddFriends200JSONResponse{}, nil
}

// NakamaDeleteFriends removes the caller's relationships with the named users.
func (s *Server) NakamaDeleteFriends(ctx context.Context, req api.NakamaDeleteFriendsRequestObject) (api.NakamaDeleteFriendsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.FriendsDelete(ctx, who, friendTargets(req.Params.Ids, req.Params.Usernames)); err != nil {
		return nil, err
	}
	return api.NakamaDeleteFriends200JSONResponse{}, nil
}

// NakamaBlockFriends blocks the named users.
func (s *Server) NakamaBlockFriends(ctx context.Context, req api.NakamaBlockFriendsRequestObject) (api.NakamaBlockFriendsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Core.FriendsBlock(ctx, who, friendTargets(req.Params.Ids, req.Params.Usernames)); err != nil {
		return nil, err
	}
	return api.NakamaBlockFriends200JSONResponse{}, nil
}

// NakamaListFriends lists the caller's friends, invites and blocks.
func (s *Server) NakamaListFriends(ctx context.Context, req api.NakamaListFriendsRequestObject) (api.NakamaListFriendsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	limit := friendListDefault
	if req.Params.Limit != nil {
		limit = int(*req.Params.Limit)
	}
	list, err := s.Core.FriendsList(ctx, who.UserID, limit, req.Params.State, deref(req.Params.Cursor))
	if err != nil {
		return nil, err
	}
	return writeFriendList(list), nil
}

// NakamaListFriendsOfFriends lists users the caller's friends are friends with.
func (s *Server) NakamaListFriendsOfFriends(ctx context.Context, req api.NakamaListFriendsOfFriendsRequestObject) (api.NakamaListFriendsOfFriendsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	limit := friendsOfFriendsDefault
	if req.Params.Limit != nil {
		limit = int(*req.Params.Limit)
	}
	list, err := s.Core.FriendsOfFriendsList(ctx, who.UserID, limit, deref(req.Params.Cursor))
	if err != nil {
		return nil, err
	}
	out := api.ApiFriendsOfFriendsList{Cursor: str(list.Cursor)}
	if len(list.FriendsOfFriends) > 0 {
		wire := make([]api.FriendsOfFriendsListFriendOfFriend, len(list.FriendsOfFriends))
		for i, f := range list.FriendsOfFriends {
			user := wireUser(f.User)
			wire[i] = api.FriendsOfFriendsListFriendOfFriend{Referrer: str(f.Referrer.String()), User: &user}
		}
		out.FriendsOfFriends = &wire
	}
	return api.NakamaListFriendsOfFriends200JSONResponse(out), nil
}

// NakamaImportFacebookFriends befriends the caller's Facebook friends who play.
func (s *Server) NakamaImportFacebookFriends(ctx context.Context, req api.NakamaImportFacebookFriendsRequestObject) (api.NakamaImportFacebookFriendsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	token := ""
	if req.Body != nil {
		token = deref(req.Body.Token)
	}
	reset := req.Params.Reset != nil && *req.Params.Reset
	if err := s.Core.FriendsImportFacebook(ctx, who, token, reset); err != nil {
		return nil, err
	}
	return api.NakamaImportFacebookFriends200JSONResponse{}, nil
}

// NakamaImportSteamFriends befriends the caller's Steam friends who play.
func (s *Server) NakamaImportSteamFriends(ctx context.Context, req api.NakamaImportSteamFriendsRequestObject) (api.NakamaImportSteamFriendsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	token := ""
	if req.Body != nil {
		token = deref(req.Body.Token)
	}
	reset := req.Params.Reset != nil && *req.Params.Reset
	if err := s.Core.FriendsImportSteam(ctx, who, token, reset); err != nil {
		return nil, err
	}
	return api.NakamaImportSteamFriends200JSONResponse{}, nil
}
