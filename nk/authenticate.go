package nk

import (
	"context"
	"errors"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/social"
)

// Authenticate* find or create an account as the REST calls do (same checks, same
// refusals) and return its id, username and whether it was created. No session is
// issued: AuthenticateTokenGenerate does that when a module wants one.

func authResult(s core.Session, err error, m *Module) (string, string, bool, error) {
	if err != nil {
		return "", "", false, m.fromCore(err)
	}
	return s.UserID.String(), s.Username, s.Created, nil
}

// AuthenticateDevice finds or creates the account of a device id.
func (m *Module) AuthenticateDevice(ctx context.Context, id, username string, create bool) (string, string, bool, error) {
	if id == "" {
		return "", "", false, errors.New("expects id string")
	}
	s, err := m.core.AuthenticateDevice(ctx, id, core.AuthInput{Username: username, Create: create})
	return authResult(s, err, m)
}

// AuthenticateCustom finds or creates the account of a custom id.
func (m *Module) AuthenticateCustom(ctx context.Context, id, username string, create bool) (string, string, bool, error) {
	if id == "" {
		return "", "", false, errors.New("expects id string")
	}
	s, err := m.core.AuthenticateCustom(ctx, id, core.AuthInput{Username: username, Create: create})
	return authResult(s, err, m)
}

// AuthenticateEmail finds or creates the account of an email and password.
func (m *Module) AuthenticateEmail(ctx context.Context, email, password, username string, create bool) (string, string, bool, error) {
	if email == "" {
		return "", "", false, errors.New("expects email string")
	}
	if password == "" {
		return "", "", false, errors.New("expects password string")
	}
	s, err := m.core.AuthenticateEmail(ctx, email, password, core.AuthInput{Username: username, Create: create})
	return authResult(s, err, m)
}

func (m *Module) authenticateSocial(ctx context.Context, p core.Provider, cred core.SocialCredential, sync bool, username string, create bool) (string, string, bool, error) {
	s, err := m.core.AuthenticateSocial(ctx, p, cred, sync, core.AuthInput{Username: username, Create: create})
	return authResult(s, err, m)
}

// AuthenticateApple finds or creates the account of an Apple identity token.
func (m *Module) AuthenticateApple(ctx context.Context, token, username string, create bool) (string, string, bool, error) {
	if token == "" {
		return "", "", false, errors.New("expects token string")
	}
	return m.authenticateSocial(ctx, core.ProviderApple, core.SocialCredential{Token: token}, false, username, create)
}

// AuthenticateFacebook finds or creates the account of a Facebook token, importing the
// user's Facebook friends when importFriends is set.
func (m *Module) AuthenticateFacebook(ctx context.Context, token string, importFriends bool, username string, create bool) (string, string, bool, error) {
	if token == "" {
		return "", "", false, errors.New("expects access token string")
	}
	return m.authenticateSocial(ctx, core.ProviderFacebook, core.SocialCredential{Token: token}, importFriends, username, create)
}

// AuthenticateFacebookInstantGame finds or creates the account of signed player info.
func (m *Module) AuthenticateFacebookInstantGame(ctx context.Context, signedPlayerInfo string, username string, create bool) (string, string, bool, error) {
	if signedPlayerInfo == "" {
		return "", "", false, errors.New("expects signed player info")
	}
	return m.authenticateSocial(ctx, core.ProviderFacebookInstantGame, core.SocialCredential{Token: signedPlayerInfo}, false, username, create)
}

// AuthenticateGameCenter finds or creates the account of a Game Center identity.
func (m *Module) AuthenticateGameCenter(ctx context.Context, playerID, bundleID string, timestamp int64, salt, signature, publicKeyUrl, username string, create bool) (string, string, bool, error) {
	if playerID == "" {
		return "", "", false, errors.New("expects player ID string")
	}
	cred := gameCenter(playerID, bundleID, timestamp, salt, signature, publicKeyUrl)
	return m.authenticateSocial(ctx, core.ProviderGameCenter, cred, false, username, create)
}

// AuthenticateGoogle finds or creates the account of a Google ID token.
func (m *Module) AuthenticateGoogle(ctx context.Context, token, username string, create bool) (string, string, bool, error) {
	if token == "" {
		return "", "", false, errors.New("expects ID token string")
	}
	return m.authenticateSocial(ctx, core.ProviderGoogle, core.SocialCredential{Token: token}, false, username, create)
}

// AuthenticateSteam finds or creates the account of a Steam session ticket.
func (m *Module) AuthenticateSteam(ctx context.Context, token, username string, create bool) (string, string, bool, error) {
	if token == "" {
		return "", "", false, errors.New("expects token string")
	}
	return m.authenticateSocial(ctx, core.ProviderSteam, core.SocialCredential{Token: token}, false, username, create)
}

// AuthenticateTokenGenerate issues a session token for a user; exp is a unix time, 0 for
// the configured lifetime. It returns the token and its expiry.
func (m *Module) AuthenticateTokenGenerate(userID, username string, exp int64, vars map[string]string) (string, int64, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return "", 0, err
	}
	if username == "" {
		return "", 0, errors.New("expects username")
	}
	token, expiry, err := m.core.AuthenticateTokenGenerate(context.Background(), id, username, exp, vars)
	return token, expiry, m.fromCore(err)
}

func gameCenter(playerID, bundleID string, timestamp int64, salt, signature, publicKeyURL string) core.SocialCredential {
	return core.SocialCredential{GameCenter: social.GameCenterInput{
		PlayerID: playerID, BundleID: bundleID, Timestamp: timestamp,
		Salt: salt, Signature: signature, PublicKeyURL: publicKeyURL,
	}}
}
