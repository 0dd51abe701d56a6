package core

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
	"github.com/hearth-server/hearth/social"
)

// providerName is how Nakama's messages name each social provider.
var providerName = map[Provider]string{
	ProviderApple:               "Apple",
	ProviderFacebook:            "Facebook",
	ProviderFacebookInstantGame: "Facebook Instant Game",
	ProviderGoogle:              "Google",
	ProviderGameCenter:          "GameCenter",
	ProviderSteam:               "Steam",
}

// FriendImporter imports a user's friends from Facebook or Steam after authenticate or
// link with sync/import set. The social graph supplies it; without one, sync is a no-op.
type FriendImporter func(ctx context.Context, userID uuid.UUID, p Provider, credential string) error

// verifyFailure maps a provider client error to the client-facing refusal.
func verifyFailure(p Provider, err error) error {
	name := providerName[p]
	switch {
	case errors.Is(err, social.ErrNotConfigured):
		return &Error{Code: CodeFailedPrecondition, Message: name + " authentication is not configured.", Err: err}
	case errors.Is(err, social.ErrUnavailable):
		// Nakama answers every provider failure as "could not authenticate"; an outage is
		// not the player's fault, so Hearth says so and clients may retry.
		return &Error{Code: CodeUnavailable, Message: name + " is unavailable, try again later.", Err: err}
	default:
		return &Error{Code: CodeUnauthenticated, Message: "Could not authenticate " + name + " profile.", Err: err}
	}
}

// SocialCredential is what a client presents for one of the social providers: a token
// for Apple, Facebook, Google and Steam, the signed player info for Facebook Instant
// Games, the signature bundle for Game Center.
type SocialCredential struct {
	Token      string
	GameCenter social.GameCenterInput
}

// verify checks a credential with the provider and returns the profile it proves.
func (c *Core) verify(ctx context.Context, p Provider, cred SocialCredential) (social.Profile, error) {
	if c.social == nil {
		return social.Profile{}, verifyFailure(p, social.ErrNotConfigured)
	}
	var profile social.Profile
	var err error
	switch p {
	case ProviderApple:
		profile, err = c.social.Apple(ctx, cred.Token)
	case ProviderFacebook:
		profile, err = c.social.Facebook(ctx, cred.Token)
	case ProviderFacebookInstantGame:
		profile.ID, err = c.social.FacebookInstant(cred.Token)
	case ProviderGoogle:
		profile, err = c.social.Google(ctx, cred.Token)
	case ProviderGameCenter:
		err = c.social.GameCenter(ctx, cred.GameCenter)
		profile.ID = cred.GameCenter.PlayerID
	case ProviderSteam:
		profile, err = c.social.Steam(ctx, cred.Token)
	default:
		return social.Profile{}, Internal("Unknown provider.", errors.New(string(p)))
	}
	if err != nil {
		return social.Profile{}, verifyFailure(p, err)
	}
	return profile, nil
}

// checkCredential applies Nakama's required-field checks, in Nakama's order.
func checkCredential(p Provider, cred SocialCredential) error {
	if p == ProviderGameCenter {
		g := cred.GameCenter
		switch {
		case g.BundleID == "":
			return Errorf(CodeInvalidArgument, "GameCenter bundle ID is required.")
		case g.PlayerID == "":
			return Errorf(CodeInvalidArgument, "GameCenter player ID is required.")
		case g.PublicKeyURL == "":
			return Errorf(CodeInvalidArgument, "GameCenter public key URL is required.")
		case g.Salt == "":
			return Errorf(CodeInvalidArgument, "GameCenter salt is required.")
		case g.Signature == "":
			return Errorf(CodeInvalidArgument, "GameCenter signature is required.")
		case g.Timestamp == 0:
			return Errorf(CodeInvalidArgument, "GameCenter timestamp is required.")
		}
		return nil
	}
	if cred.Token != "" {
		return nil
	}
	switch p {
	case ProviderApple:
		return Errorf(CodeInvalidArgument, "Apple ID token is required.")
	case ProviderFacebook:
		return Errorf(CodeInvalidArgument, "Facebook access token is required.")
	case ProviderFacebookInstantGame:
		return Errorf(CodeInvalidArgument, "Signed Player Info for a Facebook Instant Game is required.")
	case ProviderGoogle:
		return Errorf(CodeInvalidArgument, "Google access token is required.")
	default:
		return Errorf(CodeInvalidArgument, "Steam access token is required.")
	}
}

// checkConfigured answers "not configured" before anything else for the providers Nakama
// checks first (Apple, Steam), and Facebook Instant Games, whose secret is the only way to
// verify anything.
func (c *Core) checkConfigured(p Provider) error {
	if c.social == nil {
		return verifyFailure(p, social.ErrNotConfigured)
	}
	if !c.social.Configured(string(p)) {
		return verifyFailure(p, social.ErrNotConfigured)
	}
	return nil
}

// providerLookup finds the account holding a provider id.
func (c *Core) providerLookup(ctx context.Context, p Provider, id string) (authenticated, *string, *string, error) {
	var (
		uid                 uuid.UUID
		name                string
		displayName, avatar *string
		err                 error
		disable             bool
	)
	switch p {
	case ProviderApple:
		r, e := c.q.UserByAppleID(ctx, id)
		uid, name, displayName, avatar, disable, err = r.ID, r.Username, r.DisplayName, r.AvatarUrl, banned(r.DisableTime), e
	case ProviderFacebook:
		r, e := c.q.UserByFacebookID(ctx, id)
		uid, name, displayName, avatar, disable, err = r.ID, r.Username, r.DisplayName, r.AvatarUrl, banned(r.DisableTime), e
	case ProviderFacebookInstantGame:
		r, e := c.q.UserByFacebookInstantGameID(ctx, id)
		uid, name, displayName, avatar, disable, err = r.ID, r.Username, r.DisplayName, r.AvatarUrl, banned(r.DisableTime), e
	case ProviderGoogle:
		r, e := c.q.UserByGoogleID(ctx, id)
		uid, name, displayName, avatar, disable, err = r.ID, r.Username, r.DisplayName, r.AvatarUrl, banned(r.DisableTime), e
	case ProviderGameCenter:
		r, e := c.q.UserByGamecenterID(ctx, id)
		uid, name, displayName, avatar, disable, err = r.ID, r.Username, r.DisplayName, r.AvatarUrl, banned(r.DisableTime), e
	case ProviderSteam:
		r, e := c.q.UserBySteamID(ctx, id)
		uid, name, displayName, avatar, disable, err = r.ID, r.Username, r.DisplayName, r.AvatarUrl, banned(r.DisableTime), e
	}
	if err != nil {
		return authenticated{}, nil, nil, err
	}
	if disable {
		return authenticated{}, nil, nil, ErrAccountBanned
	}
	return authenticated{userID: uid, username: name}, displayName, avatar, nil
}

// profileFields are the parts of a provider profile Nakama records: names and pictures
// from Facebook and Google (within the column widths), email from Apple, Facebook and
// Google.
func profileFields(p Provider, profile social.Profile) (displayName, avatar *string, email string) {
	if p == ProviderFacebook || p == ProviderGoogle {
		if profile.Name != "" && len(profile.Name) <= 255 {
			displayName = &profile.Name
		}
		if profile.AvatarURL != "" && len(profile.AvatarURL) <= 512 {
			avatar = &profile.AvatarURL
		}
	}
	if p == ProviderApple || p == ProviderFacebook || p == ProviderGoogle {
		email = profile.Email
	}
	return displayName, avatar, email
}

// importProfile records provider profile fields the account lacks. It never overwrites:
// an email another account holds, or one the account already has, is left alone.
func (c *Core) importProfile(ctx context.Context, userID uuid.UUID, p Provider, profile social.Profile) error {
	displayName, avatar, email := profileFields(p, profile)
	if displayName != nil || avatar != nil {
		if err := c.q.UserImportProfile(ctx, db.UserImportProfileParams{ID: userID, DisplayName: displayName, AvatarUrl: avatar}); err != nil {
			return err
		}
	}
	if email != "" && len(email) <= 255 {
		if _, err := c.q.UserImportEmail(ctx, db.UserImportEmailParams{ID: userID, Email: email}); err != nil && uniqueViolation(err) == "" {
			return err
		}
	}
	return nil
}

// AuthenticateSocial logs in or registers with a social provider credential. sync asks
// for a Facebook or Steam friend import afterwards (failures there do not fail the login,
// as in Nakama).
func (c *Core) AuthenticateSocial(ctx context.Context, p Provider, cred SocialCredential, sync bool, in AuthInput) (Session, error) {
	if p == ProviderApple || p == ProviderSteam {
		if err := c.checkConfigured(p); err != nil {
			return Session{}, err
		}
	}
	if err := checkCredential(p, cred); err != nil {
		return Session{}, err
	}
	username, err := checkUsername(in.Username)
	if err != nil {
		return Session{}, err
	}
	profile, err := c.verify(ctx, p, cred)
	if err != nil {
		return Session{}, err
	}
	displayName, avatar, _ := profileFields(p, profile)
	who, err := c.findOrCreate(ctx, in.Create,
		func() (authenticated, error) {
			found, _, _, err := c.providerLookup(ctx, p, profile.ID)
			return found, err
		},
		func(id uuid.UUID) error {
			params := db.UserCreateWithProviderParams{ID: id, Username: username, DisplayName: displayName, AvatarUrl: avatar}
			pid := &profile.ID
			switch p {
			case ProviderApple:
				params.AppleID = pid
			case ProviderFacebook:
				params.FacebookID = pid
			case ProviderFacebookInstantGame:
				params.FacebookInstantGameID = pid
			case ProviderGoogle:
				params.GoogleID = pid
			case ProviderGameCenter:
				params.GamecenterID = pid
			case ProviderSteam:
				params.SteamID = pid
			}
			return c.q.UserCreateWithProvider(ctx, params)
		}, username, "users_"+providerColumn[p]+"_key")
	if err != nil {
		return Session{}, err
	}
	if err := c.importProfile(ctx, who.userID, p, profile); err != nil {
		c.log.Warn("importing provider profile", "provider", string(p), "user", who.userID, "error", err)
	}
	if sync {
		c.importFriends(ctx, who.userID, p, cred, profile)
	}
	return c.startSession(ctx, who, in.Vars)
}

// providerColumn is the users column (and unique-constraint stem) of each identifier.
var providerColumn = map[Provider]string{
	ProviderCustom: "custom_id", ProviderEmail: "email", ProviderApple: "apple_id", ProviderFacebook: "facebook_id",
	ProviderFacebookInstantGame: "facebook_instant_game_id", ProviderGoogle: "google_id",
	ProviderGameCenter: "gamecenter_id", ProviderSteam: "steam_id",
}

func (c *Core) importFriends(ctx context.Context, userID uuid.UUID, p Provider, cred SocialCredential, profile social.Profile) {
	if c.friends == nil || (p != ProviderFacebook && p != ProviderSteam) {
		return
	}
	credential := cred.Token
	if p == ProviderSteam {
		credential = profile.ID // Steam friends are listed by Steam id
	}
	if err := c.friends(ctx, userID, p, credential); err != nil {
		c.log.Warn("friend import failed", "provider", string(p), "user", userID, "error", err)
	}
}

// LinkSocial adds a social identity to the caller's account after verifying it.
func (c *Core) LinkSocial(ctx context.Context, userID uuid.UUID, p Provider, cred SocialCredential, sync bool) error {
	if p == ProviderApple || p == ProviderSteam {
		if err := c.checkConfigured(p); err != nil {
			return err
		}
	}
	if err := checkCredential(p, cred); err != nil {
		return err
	}
	profile, err := c.verify(ctx, p, cred)
	if err != nil {
		return err
	}
	if err := c.link(ctx, userID, p, profile.ID, nil); err != nil {
		return err
	}
	if err := c.importProfile(ctx, userID, p, profile); err != nil {
		c.log.Warn("importing provider profile", "provider", string(p), "user", userID, "error", err)
	}
	if sync {
		c.importFriends(ctx, userID, p, cred, profile)
	}
	return nil
}

// UnlinkSocial removes a social identity from the caller's account. With a credential it
// must prove the identity the account holds; without one, whatever is linked is removed
// (as in Nakama). The last identifier can never be removed.
func (c *Core) UnlinkSocial(ctx context.Context, userID uuid.UUID, p Provider, cred SocialCredential) error {
	value := ""
	present := cred.Token != ""
	if p == ProviderGameCenter {
		g := cred.GameCenter
		present = g.BundleID != "" && g.PlayerID != "" && g.PublicKeyURL != "" && g.Salt != "" && g.Signature != "" && g.Timestamp != 0
	}
	if present {
		profile, err := c.verify(ctx, p, cred)
		if err != nil {
			return err
		}
		value = profile.ID
	}
	return c.unlink(ctx, userID, p, value)
}
