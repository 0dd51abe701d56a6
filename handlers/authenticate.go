package handlers

import (
	"context"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// authInput reads the query parameters every authenticate call shares. create defaults
// to true, as in Nakama.
func authInput(create *bool, username *string, v *map[string]string) core.AuthInput {
	in := core.AuthInput{Create: create == nil || *create, Vars: vars(v)}
	if username != nil {
		in.Username = *username
	}
	return in
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// NakamaAuthenticateDevice logs in or registers with a device id.
func (s *Server) NakamaAuthenticateDevice(ctx context.Context, req api.NakamaAuthenticateDeviceRequestObject) (api.NakamaAuthenticateDeviceResponseObject, error) {
	var body api.ApiAccountDevice
	if req.Body != nil {
		body = *req.Body
	}
	sess, err := s.Core.AuthenticateDevice(ctx, deref(body.Id), authInput(req.Params.Create, req.Params.Username, body.Vars))
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateDevice200JSONResponse(wireSession(sess)), nil
}

// NakamaAuthenticateCustom logs in or registers with a custom id.
func (s *Server) NakamaAuthenticateCustom(ctx context.Context, req api.NakamaAuthenticateCustomRequestObject) (api.NakamaAuthenticateCustomResponseObject, error) {
	var body api.ApiAccountCustom
	if req.Body != nil {
		body = *req.Body
	}
	sess, err := s.Core.AuthenticateCustom(ctx, deref(body.Id), authInput(req.Params.Create, req.Params.Username, body.Vars))
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateCustom200JSONResponse(wireSession(sess)), nil
}

// NakamaAuthenticateEmail logs in or registers with an email and password, or logs in
// with a username and password.
func (s *Server) NakamaAuthenticateEmail(ctx context.Context, req api.NakamaAuthenticateEmailRequestObject) (api.NakamaAuthenticateEmailResponseObject, error) {
	var body api.ApiAccountEmail
	if req.Body != nil {
		body = *req.Body
	}
	in := authInput(req.Params.Create, req.Params.Username, body.Vars)
	in.ClientIP = clientIP(ctx)
	sess, err := s.Core.AuthenticateEmail(ctx, deref(body.Email), deref(body.Password), in)
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateEmail200JSONResponse(wireSession(sess)), nil
}

// NakamaSessionRefresh trades a refresh token for a new session.
func (s *Server) NakamaSessionRefresh(ctx context.Context, req api.NakamaSessionRefreshRequestObject) (api.NakamaSessionRefreshResponseObject, error) {
	var body api.ApiSessionRefreshRequest
	if req.Body != nil {
		body = *req.Body
	}
	sess, err := s.Core.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: deref(body.Token), Vars: vars(body.Vars)})
	if err != nil {
		return nil, err
	}
	return api.NakamaSessionRefresh200JSONResponse(wireSession(sess)), nil
}
