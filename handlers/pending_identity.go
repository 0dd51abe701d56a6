package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Identity: the other authentication providers, link/unlink, logout, account deletion and users. These operations answer 501 with code 12 until the area lands,
// so a client gets a clear refusal instead of a wrong answer (README.md lists them).

// NakamaDeleteAccount is not built yet.
func (s *Server) NakamaDeleteAccount(context.Context, api.NakamaDeleteAccountRequestObject) (api.NakamaDeleteAccountResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateApple is not built yet.
func (s *Server) NakamaAuthenticateApple(context.Context, api.NakamaAuthenticateAppleRequestObject) (api.NakamaAuthenticateAppleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateFacebook is not built yet.
func (s *Server) NakamaAuthenticateFacebook(context.Context, api.NakamaAuthenticateFacebookRequestObject) (api.NakamaAuthenticateFacebookResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateFacebookInstantGame is not built yet.
func (s *Server) NakamaAuthenticateFacebookInstantGame(context.Context, api.NakamaAuthenticateFacebookInstantGameRequestObject) (api.NakamaAuthenticateFacebookInstantGameResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateGameCenter is not built yet.
func (s *Server) NakamaAuthenticateGameCenter(context.Context, api.NakamaAuthenticateGameCenterRequestObject) (api.NakamaAuthenticateGameCenterResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateGoogle is not built yet.
func (s *Server) NakamaAuthenticateGoogle(context.Context, api.NakamaAuthenticateGoogleRequestObject) (api.NakamaAuthenticateGoogleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateSteam is not built yet.
func (s *Server) NakamaAuthenticateSteam(context.Context, api.NakamaAuthenticateSteamRequestObject) (api.NakamaAuthenticateSteamResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkApple is not built yet.
func (s *Server) NakamaLinkApple(context.Context, api.NakamaLinkAppleRequestObject) (api.NakamaLinkAppleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkCustom is not built yet.
func (s *Server) NakamaLinkCustom(context.Context, api.NakamaLinkCustomRequestObject) (api.NakamaLinkCustomResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkDevice is not built yet.
func (s *Server) NakamaLinkDevice(context.Context, api.NakamaLinkDeviceRequestObject) (api.NakamaLinkDeviceResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkEmail is not built yet.
func (s *Server) NakamaLinkEmail(context.Context, api.NakamaLinkEmailRequestObject) (api.NakamaLinkEmailResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkFacebook is not built yet.
func (s *Server) NakamaLinkFacebook(context.Context, api.NakamaLinkFacebookRequestObject) (api.NakamaLinkFacebookResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkFacebookInstantGame is not built yet.
func (s *Server) NakamaLinkFacebookInstantGame(context.Context, api.NakamaLinkFacebookInstantGameRequestObject) (api.NakamaLinkFacebookInstantGameResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkGameCenter is not built yet.
func (s *Server) NakamaLinkGameCenter(context.Context, api.NakamaLinkGameCenterRequestObject) (api.NakamaLinkGameCenterResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkGoogle is not built yet.
func (s *Server) NakamaLinkGoogle(context.Context, api.NakamaLinkGoogleRequestObject) (api.NakamaLinkGoogleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkSteam is not built yet.
func (s *Server) NakamaLinkSteam(context.Context, api.NakamaLinkSteamRequestObject) (api.NakamaLinkSteamResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkApple is not built yet.
func (s *Server) NakamaUnlinkApple(context.Context, api.NakamaUnlinkAppleRequestObject) (api.NakamaUnlinkAppleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkCustom is not built yet.
func (s *Server) NakamaUnlinkCustom(context.Context, api.NakamaUnlinkCustomRequestObject) (api.NakamaUnlinkCustomResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkDevice is not built yet.
func (s *Server) NakamaUnlinkDevice(context.Context, api.NakamaUnlinkDeviceRequestObject) (api.NakamaUnlinkDeviceResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkEmail is not built yet.
func (s *Server) NakamaUnlinkEmail(context.Context, api.NakamaUnlinkEmailRequestObject) (api.NakamaUnlinkEmailResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkFacebook is not built yet.
func (s *Server) NakamaUnlinkFacebook(context.Context, api.NakamaUnlinkFacebookRequestObject) (api.NakamaUnlinkFacebookResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkFacebookInstantGame is not built yet.
func (s *Server) NakamaUnlinkFacebookInstantGame(context.Context, api.NakamaUnlinkFacebookInstantGameRequestObject) (api.NakamaUnlinkFacebookInstantGameResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkGameCenter is not built yet.
func (s *Server) NakamaUnlinkGameCenter(context.Context, api.NakamaUnlinkGameCenterRequestObject) (api.NakamaUnlinkGameCenterResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkGoogle is not built yet.
func (s *Server) NakamaUnlinkGoogle(context.Context, api.NakamaUnlinkGoogleRequestObject) (api.NakamaUnlinkGoogleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkSteam is not built yet.
func (s *Server) NakamaUnlinkSteam(context.Context, api.NakamaUnlinkSteamRequestObject) (api.NakamaUnlinkSteamResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaSessionLogout is not built yet.
func (s *Server) NakamaSessionLogout(context.Context, api.NakamaSessionLogoutRequestObject) (api.NakamaSessionLogoutResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaGetUsers is not built yet.
func (s *Server) NakamaGetUsers(context.Context, api.NakamaGetUsersRequestObject) (api.NakamaGetUsersResponseObject, error) {
	return nil, errNotBuilt
}
