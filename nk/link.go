package nk

import (
	"context"
	"errors"

	"github.com/hearth-server/hearth/core"
)

// Link* and Unlink* attach and detach identities as the REST calls do, for any user.

// LinkDevice links a device id to a user.
func (m *Module) LinkDevice(ctx context.Context, userID, deviceID string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.LinkDevice(ctx, id, deviceID))
}

// LinkCustom links a custom id to a user.
func (m *Module) LinkCustom(ctx context.Context, userID, customID string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.LinkCustom(ctx, id, customID))
}

// LinkEmail links an email and password to a user.
func (m *Module) LinkEmail(ctx context.Context, userID, email, password string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.LinkEmail(ctx, id, email, password))
}

func (m *Module) linkSocial(ctx context.Context, userID string, p core.Provider, cred core.SocialCredential, sync bool) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.LinkSocial(ctx, id, p, cred, sync))
}

func (m *Module) unlinkSocial(ctx context.Context, userID string, p core.Provider, cred core.SocialCredential) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.UnlinkSocial(ctx, id, p, cred))
}

// LinkApple links an Apple identity to a user.
func (m *Module) LinkApple(ctx context.Context, userID, token string) error {
	return m.linkSocial(ctx, userID, core.ProviderApple, core.SocialCredential{Token: token}, false)
}

// LinkFacebook links a Facebook identity, importing friends when importFriends is set.
func (m *Module) LinkFacebook(ctx context.Context, userID, username, token string, importFriends bool) error {
	return m.linkSocial(ctx, userID, core.ProviderFacebook, core.SocialCredential{Token: token}, importFriends)
}

// LinkFacebookInstantGame links a Facebook Instant Games identity.
func (m *Module) LinkFacebookInstantGame(ctx context.Context, userID, signedPlayerInfo string) error {
	return m.linkSocial(ctx, userID, core.ProviderFacebookInstantGame, core.SocialCredential{Token: signedPlayerInfo}, false)
}

// LinkGameCenter links a Game Center identity.
func (m *Module) LinkGameCenter(ctx context.Context, userID, playerID, bundleID string, timestamp int64, salt, signature, publicKeyUrl string) error {
	return m.linkSocial(ctx, userID, core.ProviderGameCenter, gameCenter(playerID, bundleID, timestamp, salt, signature, publicKeyUrl), false)
}

// LinkGoogle links a Google identity.
func (m *Module) LinkGoogle(ctx context.Context, userID, token string) error {
	return m.linkSocial(ctx, userID, core.ProviderGoogle, core.SocialCredential{Token: token}, false)
}

// LinkSteam links a Steam identity, importing friends when importFriends is set.
func (m *Module) LinkSteam(ctx context.Context, userID, username, token string, importFriends bool) error {
	return m.linkSocial(ctx, userID, core.ProviderSteam, core.SocialCredential{Token: token}, importFriends)
}

// UnlinkDevice removes a device id from a user.
func (m *Module) UnlinkDevice(ctx context.Context, userID, deviceID string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	if deviceID == "" {
		return errors.New("expects a device ID")
	}
	return m.fromCore(m.core.UnlinkDevice(ctx, id, deviceID))
}

// UnlinkCustom removes a custom id from a user.
func (m *Module) UnlinkCustom(ctx context.Context, userID, customID string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.UnlinkCustom(ctx, id, customID))
}

// UnlinkEmail removes an email from a user.
func (m *Module) UnlinkEmail(ctx context.Context, userID, email string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.UnlinkEmail(ctx, id, email))
}

// UnlinkApple removes an Apple identity.
func (m *Module) UnlinkApple(ctx context.Context, userID, token string) error {
	return m.unlinkSocial(ctx, userID, core.ProviderApple, core.SocialCredential{Token: token})
}

// UnlinkFacebook removes a Facebook identity.
func (m *Module) UnlinkFacebook(ctx context.Context, userID, token string) error {
	return m.unlinkSocial(ctx, userID, core.ProviderFacebook, core.SocialCredential{Token: token})
}

// UnlinkFacebookInstantGame removes a Facebook Instant Games identity.
func (m *Module) UnlinkFacebookInstantGame(ctx context.Context, userID, signedPlayerInfo string) error {
	return m.unlinkSocial(ctx, userID, core.ProviderFacebookInstantGame, core.SocialCredential{Token: signedPlayerInfo})
}

// UnlinkGameCenter removes a Game Center identity.
func (m *Module) UnlinkGameCenter(ctx context.Context, userID, playerID, bundleID string, timestamp int64, salt, signature, publicKeyUrl string) error {
	return m.unlinkSocial(ctx, userID, core.ProviderGameCenter, gameCenter(playerID, bundleID, timestamp, salt, signature, publicKeyUrl))
}

// UnlinkGoogle removes a Google identity.
func (m *Module) UnlinkGoogle(ctx context.Context, userID, token string) error {
	return m.unlinkSocial(ctx, userID, core.ProviderGoogle, core.SocialCredential{Token: token})
}

// UnlinkSteam removes a Steam identity.
func (m *Module) UnlinkSteam(ctx context.Context, userID, token string) error {
	return m.unlinkSocial(ctx, userID, core.ProviderSteam, core.SocialCredential{Token: token})
}
