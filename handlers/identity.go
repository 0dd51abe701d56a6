package handlers

import (
	"context"
	"strconv"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
	"github.com/hearth-server/hearth/social"
)

// The social-provider authenticate, link and unlink operations, logout, account deletion
// and user lookup. Each converts its body to a core.SocialCredential (or plain values)
// and calls core once.

func token(s *string) core.SocialCredential { return core.SocialCredential{Token: deref(s)} }

func gameCenter(a *api.ApiAccountGameCenter) core.SocialCredential {
	if a == nil {
		return core.SocialCredential{}
	}
	// The edge validated timestamp_seconds as an int64 string.
	ts, _ := strconv.ParseInt(deref(a.TimestampSeconds), 10, 64)
	return core.SocialCredential{GameCenter: social.GameCenterInput{
		PlayerID: deref(a.PlayerId), BundleID: deref(a.BundleId), Timestamp: ts,
		Salt: deref(a.Salt), Signature: deref(a.Signature), PublicKeyURL: deref(a.PublicKeyUrl),
	}}
}

// syncFlag reads Nakama's sync/import flag, which defaults to on.
func syncFlag(b *bool) bool { return b == nil || *b }

func (s *Server) authSocial(ctx context.Context, p core.Provider, cred core.SocialCredential, syncFriends bool, create *bool, username *string, v *map[string]string) (api.ApiSession, error) {
	in := authInput(create, username, v)
	in.ClientIP = clientIP(ctx)
	sess, err := s.Core.AuthenticateSocial(ctx, p, cred, syncFriends, in)
	if err != nil {
		return api.ApiSession{}, err
	}
	return wireSession(sess), nil
}

// NakamaAuthenticateApple logs in or registers with a Sign in with Apple ID token.
func (s *Server) NakamaAuthenticateApple(ctx context.Context, req api.NakamaAuthenticateAppleRequestObject) (api.NakamaAuthenticateAppleResponseObject, error) {
	b := orZero(req.Body)
	out, err := s.authSocial(ctx, core.ProviderApple, token(b.Token), false, req.Params.Create, req.Params.Username, b.Vars)
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateApple200JSONResponse(out), nil
}

// NakamaAuthenticateFacebook logs in or registers with a Facebook token.
func (s *Server) NakamaAuthenticateFacebook(ctx context.Context, req api.NakamaAuthenticateFacebookRequestObject) (api.NakamaAuthenticateFacebookResponseObject, error) {
	b := orZero(req.Body)
	out, err := s.authSocial(ctx, core.ProviderFacebook, token(b.Token), syncFlag(req.Params.Sync), req.Params.Create, req.Params.Username, b.Vars)
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateFacebook200JSONResponse(out), nil
}

// NakamaAuthenticateFacebookInstantGame logs in or registers with signed player info.
func (s *Server) NakamaAuthenticateFacebookInstantGame(ctx context.Context, req api.NakamaAuthenticateFacebookInstantGameRequestObject) (api.NakamaAuthenticateFacebookInstantGameResponseObject, error) {
	b := orZero(req.Body)
	out, err := s.authSocial(ctx, core.ProviderFacebookInstantGame, token(b.SignedPlayerInfo), false, req.Params.Create, req.Params.Username, b.Vars)
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateFacebookInstantGame200JSONResponse(out), nil
}

// NakamaAuthenticateGameCenter logs in or registers with a Game Center signature.
func (s *Server) NakamaAuthenticateGameCenter(ctx context.Context, req api.NakamaAuthenticateGameCenterRequestObject) (api.NakamaAuthenticateGameCenterResponseObject, error) {
	b := orZero(req.Body)
	out, err := s.authSocial(ctx, core.ProviderGameCenter, gameCenter(&b), false, req.Params.Create, req.Params.Username, b.Vars)
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateGameCenter200JSONResponse(out), nil
}

// NakamaAuthenticateGoogle logs in or registers with a Google ID token.
func (s *Server) NakamaAuthenticateGoogle(ctx context.Context, req api.NakamaAuthenticateGoogleRequestObject) (api.NakamaAuthenticateGoogleResponseObject, error) {
	b := orZero(req.Body)
	out, err := s.authSocial(ctx, core.ProviderGoogle, token(b.Token), false, req.Params.Create, req.Params.Username, b.Vars)
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateGoogle200JSONResponse(out), nil
}

// NakamaAuthenticateSteam logs in or registers with a Steam session ticket.
func (s *Server) NakamaAuthenticateSteam(ctx context.Context, req api.NakamaAuthenticateSteamRequestObject) (api.NakamaAuthenticateSteamResponseObject, error) {
	b := orZero(req.Body)
	out, err := s.authSocial(ctx, core.ProviderSteam, token(b.Token), syncFlag(req.Params.Sync), req.Params.Create, req.Params.Username, b.Vars)
	if err != nil {
		return nil, err
	}
	return api.NakamaAuthenticateSteam200JSONResponse(out), nil
}

// orZero dereferences an optional body; an absent body is an empty message.
func orZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// withUser runs fn for the authenticated caller's user id.
func withUser(ctx context.Context, fn func(uuid.UUID) error) error {
	who, err := caller(ctx)
	if err != nil {
		return err
	}
	return fn(who.UserID)
}

// NakamaLinkApple adds an Apple identity to the caller's account.
func (s *Server) NakamaLinkApple(ctx context.Context, req api.NakamaLinkAppleRequestObject) (api.NakamaLinkAppleResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.LinkSocial(ctx, id, core.ProviderApple, token(orZero(req.Body).Token), false)
	})
	return api.NakamaLinkApple200JSONResponse{}, err
}

// NakamaLinkCustom adds a custom id to the caller's account.
func (s *Server) NakamaLinkCustom(ctx context.Context, req api.NakamaLinkCustomRequestObject) (api.NakamaLinkCustomResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error { return s.Core.LinkCustom(ctx, id, deref(orZero(req.Body).Id)) })
	return api.NakamaLinkCustom200JSONResponse{}, err
}

// NakamaLinkDevice adds a device id to the caller's account.
func (s *Server) NakamaLinkDevice(ctx context.Context, req api.NakamaLinkDeviceRequestObject) (api.NakamaLinkDeviceResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error { return s.Core.LinkDevice(ctx, id, deref(orZero(req.Body).Id)) })
	return api.NakamaLinkDevice200JSONResponse{}, err
}

// NakamaLinkEmail adds an email and password to the caller's account.
func (s *Server) NakamaLinkEmail(ctx context.Context, req api.NakamaLinkEmailRequestObject) (api.NakamaLinkEmailResponseObject, error) {
	b := orZero(req.Body)
	err := withUser(ctx, func(id uuid.UUID) error { return s.Core.LinkEmail(ctx, id, deref(b.Email), deref(b.Password)) })
	return api.NakamaLinkEmail200JSONResponse{}, err
}

// NakamaLinkFacebook adds a Facebook identity to the caller's account.
func (s *Server) NakamaLinkFacebook(ctx context.Context, req api.NakamaLinkFacebookRequestObject) (api.NakamaLinkFacebookResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.LinkSocial(ctx, id, core.ProviderFacebook, token(orZero(req.Body).Token), syncFlag(req.Params.Sync))
	})
	return api.NakamaLinkFacebook200JSONResponse{}, err
}

// NakamaLinkFacebookInstantGame adds a Facebook Instant Games identity.
func (s *Server) NakamaLinkFacebookInstantGame(ctx context.Context, req api.NakamaLinkFacebookInstantGameRequestObject) (api.NakamaLinkFacebookInstantGameResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.LinkSocial(ctx, id, core.ProviderFacebookInstantGame, token(orZero(req.Body).SignedPlayerInfo), false)
	})
	return api.NakamaLinkFacebookInstantGame200JSONResponse{}, err
}

// NakamaLinkGameCenter adds a Game Center identity to the caller's account.
func (s *Server) NakamaLinkGameCenter(ctx context.Context, req api.NakamaLinkGameCenterRequestObject) (api.NakamaLinkGameCenterResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.LinkSocial(ctx, id, core.ProviderGameCenter, gameCenter(req.Body), false)
	})
	return api.NakamaLinkGameCenter200JSONResponse{}, err
}

// NakamaLinkGoogle adds a Google identity to the caller's account.
func (s *Server) NakamaLinkGoogle(ctx context.Context, req api.NakamaLinkGoogleRequestObject) (api.NakamaLinkGoogleResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.LinkSocial(ctx, id, core.ProviderGoogle, token(orZero(req.Body).Token), false)
	})
	return api.NakamaLinkGoogle200JSONResponse{}, err
}

// NakamaLinkSteam adds a Steam identity to the caller's account.
func (s *Server) NakamaLinkSteam(ctx context.Context, req api.NakamaLinkSteamRequestObject) (api.NakamaLinkSteamResponseObject, error) {
	b := orZero(req.Body)
	err := withUser(ctx, func(id uuid.UUID) error {
		// Unlike authenticate, linking imports Steam friends only when asked.
		return s.Core.LinkSocial(ctx, id, core.ProviderSteam, token(orZero(b.Account).Token), b.Sync != nil && *b.Sync)
	})
	return api.NakamaLinkSteam200JSONResponse{}, err
}

// NakamaUnlinkApple removes the caller's Apple identity.
func (s *Server) NakamaUnlinkApple(ctx context.Context, req api.NakamaUnlinkAppleRequestObject) (api.NakamaUnlinkAppleResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.UnlinkSocial(ctx, id, core.ProviderApple, token(orZero(req.Body).Token))
	})
	return api.NakamaUnlinkApple200JSONResponse{}, err
}

// NakamaUnlinkCustom removes the caller's custom id.
func (s *Server) NakamaUnlinkCustom(ctx context.Context, req api.NakamaUnlinkCustomRequestObject) (api.NakamaUnlinkCustomResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error { return s.Core.UnlinkCustom(ctx, id, deref(orZero(req.Body).Id)) })
	return api.NakamaUnlinkCustom200JSONResponse{}, err
}

// NakamaUnlinkDevice removes a device id from the caller's account.
func (s *Server) NakamaUnlinkDevice(ctx context.Context, req api.NakamaUnlinkDeviceRequestObject) (api.NakamaUnlinkDeviceResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error { return s.Core.UnlinkDevice(ctx, id, deref(orZero(req.Body).Id)) })
	return api.NakamaUnlinkDevice200JSONResponse{}, err
}

// NakamaUnlinkEmail removes the caller's email and password.
func (s *Server) NakamaUnlinkEmail(ctx context.Context, req api.NakamaUnlinkEmailRequestObject) (api.NakamaUnlinkEmailResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error { return s.Core.UnlinkEmail(ctx, id, deref(orZero(req.Body).Email)) })
	return api.NakamaUnlinkEmail200JSONResponse{}, err
}

// NakamaUnlinkFacebook removes the caller's Facebook identity.
func (s *Server) NakamaUnlinkFacebook(ctx context.Context, req api.NakamaUnlinkFacebookRequestObject) (api.NakamaUnlinkFacebookResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.UnlinkSocial(ctx, id, core.ProviderFacebook, token(orZero(req.Body).Token))
	})
	return api.NakamaUnlinkFacebook200JSONResponse{}, err
}

// NakamaUnlinkFacebookInstantGame removes the caller's Facebook Instant Games identity.
func (s *Server) NakamaUnlinkFacebookInstantGame(ctx context.Context, req api.NakamaUnlinkFacebookInstantGameRequestObject) (api.NakamaUnlinkFacebookInstantGameResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.UnlinkSocial(ctx, id, core.ProviderFacebookInstantGame, token(orZero(req.Body).SignedPlayerInfo))
	})
	return api.NakamaUnlinkFacebookInstantGame200JSONResponse{}, err
}

// NakamaUnlinkGameCenter removes the caller's Game Center identity.
func (s *Server) NakamaUnlinkGameCenter(ctx context.Context, req api.NakamaUnlinkGameCenterRequestObject) (api.NakamaUnlinkGameCenterResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.UnlinkSocial(ctx, id, core.ProviderGameCenter, gameCenter(req.Body))
	})
	return api.NakamaUnlinkGameCenter200JSONResponse{}, err
}

// NakamaUnlinkGoogle removes the caller's Google identity.
func (s *Server) NakamaUnlinkGoogle(ctx context.Context, req api.NakamaUnlinkGoogleRequestObject) (api.NakamaUnlinkGoogleResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.UnlinkSocial(ctx, id, core.ProviderGoogle, token(orZero(req.Body).Token))
	})
	return api.NakamaUnlinkGoogle200JSONResponse{}, err
}

// NakamaUnlinkSteam removes the caller's Steam identity.
func (s *Server) NakamaUnlinkSteam(ctx context.Context, req api.NakamaUnlinkSteamRequestObject) (api.NakamaUnlinkSteamResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.UnlinkSocial(ctx, id, core.ProviderSteam, token(orZero(req.Body).Token))
	})
	return api.NakamaUnlinkSteam200JSONResponse{}, err
}

// NakamaSessionLogout ends the given session and refresh tokens (or, with neither, all of
// the caller's sessions).
func (s *Server) NakamaSessionLogout(ctx context.Context, req api.NakamaSessionLogoutRequestObject) (api.NakamaSessionLogoutResponseObject, error) {
	b := orZero(req.Body)
	err := withUser(ctx, func(id uuid.UUID) error {
		return s.Core.SessionLogout(ctx, id, deref(b.Token), deref(b.RefreshToken))
	})
	return api.NakamaSessionLogout200JSONResponse{}, err
}

// NakamaDeleteAccount deletes the caller's account and everything it owns.
func (s *Server) NakamaDeleteAccount(ctx context.Context, _ api.NakamaDeleteAccountRequestObject) (api.NakamaDeleteAccountResponseObject, error) {
	err := withUser(ctx, func(id uuid.UUID) error { return s.Core.AccountDelete(ctx, id, false) })
	return api.NakamaDeleteAccount200JSONResponse{}, err
}

// NakamaGetUsers looks users up by id, username and Facebook id.
func (s *Server) NakamaGetUsers(ctx context.Context, req api.NakamaGetUsersRequestObject) (api.NakamaGetUsersResponseObject, error) {
	users, err := s.Core.UsersGet(ctx, core.UsersGetInput{
		IDs: orZero(req.Params.Ids), Usernames: orZero(req.Params.Usernames), FacebookIDs: orZero(req.Params.FacebookIds),
	})
	if err != nil {
		return nil, err
	}
	return writeUsers(users), nil
}
