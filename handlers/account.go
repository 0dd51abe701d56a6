package handlers

import (
	"context"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// NakamaGetAccount returns the caller's own account.
func (s *Server) NakamaGetAccount(ctx context.Context, _ api.NakamaGetAccountRequestObject) (api.NakamaGetAccountResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	acct, err := s.Core.AccountGet(ctx, who.UserID)
	if err != nil {
		return nil, err
	}
	return api.NakamaGetAccount200JSONResponse(wireAccount(acct)), nil
}

// NakamaUpdateAccount changes the caller's profile.
func (s *Server) NakamaUpdateAccount(ctx context.Context, req api.NakamaUpdateAccountRequestObject) (api.NakamaUpdateAccountResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var body api.ApiUpdateAccountRequest
	if req.Body != nil {
		body = *req.Body
	}
	err = s.Core.AccountUpdate(ctx, who.UserID, core.AccountUpdate{
		Username:    body.Username,
		DisplayName: body.DisplayName,
		AvatarURL:   body.AvatarUrl,
		LangTag:     body.LangTag,
		Location:    body.Location,
		Timezone:    body.Timezone,
	})
	if err != nil {
		return nil, err
	}
	return api.NakamaUpdateAccount200JSONResponse{}, nil
}
