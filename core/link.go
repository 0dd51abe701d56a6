package core

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/hearth-server/hearth/gen/db"
)

// Provider names a kind of login identifier an account can hold. The values double as
// the kind argument of the UserLink query.
type Provider string

// The identifier kinds, one column (or, for devices, one table) each.
const (
	ProviderDevice              Provider = "device"
	ProviderCustom              Provider = "custom"
	ProviderEmail               Provider = "email"
	ProviderApple               Provider = "apple"
	ProviderFacebook            Provider = "facebook"
	ProviderFacebookInstantGame Provider = "facebook_instant_game"
	ProviderGoogle              Provider = "google"
	ProviderGameCenter          Provider = "gamecenter"
	ProviderSteam               Provider = "steam"
)

// ErrLastIdentifier refuses an unlink that would leave the account with no way to log in,
// or that names an identifier the account does not hold (Nakama's wording for both).
var ErrLastIdentifier = Errorf(CodePermissionDenied, "Cannot unlink last account identifier. Check profile exists and is not last link.")

// linkConstraint maps each identifier's unique constraint to Nakama's refusal.
var linkConstraint = map[string]string{
	"users_custom_id_key":                "Custom ID is already in use.",
	"users_email_key":                    "Email is already in use.",
	"users_apple_id_key":                 "Apple ID is already in use.",
	"users_facebook_id_key":              "Facebook ID is already in use.",
	"users_facebook_instant_game_id_key": "Facebook Instant Game ID is already in use.",
	"users_google_id_key":                "Google ID is already in use.",
	"users_gamecenter_id_key":            "GameCenter ID is already in use.",
	"users_steam_id_key":                 "Steam ID is already in use.",
}

// link sets one identifier on the caller's account. Linking an identifier the account
// already holds is a no-op; one another account holds is refused.
func (c *Core) link(ctx context.Context, userID uuid.UUID, kind Provider, value string, password []byte) error {
	err := c.q.UserLink(ctx, db.UserLinkParams{ID: userID, Kind: string(kind), Value: &value, Password: password})
	if msg, ok := linkConstraint[uniqueViolation(err)]; ok {
		return &Error{Code: CodeAlreadyExists, Message: msg, Err: err}
	}
	if err != nil {
		return Internal("Error while trying to link "+string(kind)+".", err)
	}
	return nil
}

// LinkDevice adds a device id to the caller's account.
func (c *Core) LinkDevice(ctx context.Context, userID uuid.UUID, deviceID string) error {
	if err := checkIdentifier(deviceID, "Device ID", 10, 128, "10-128"); err != nil {
		return err
	}
	err := c.q.DeviceLink(ctx, db.DeviceLinkParams{ID: deviceID, UserID: userID})
	if uniqueViolation(err) == "user_device_pkey" {
		owner, ownerErr := c.q.DeviceOwner(ctx, deviceID)
		if ownerErr == nil && owner == userID {
			return nil // already linked here
		}
		return &Error{Code: CodeAlreadyExists, Message: "Device ID already in use.", Err: err}
	}
	if err != nil {
		return Internal("Error linking Device ID.", err)
	}
	if err := c.q.UserTouch(ctx, userID); err != nil {
		return Internal("Error linking Device ID.", err)
	}
	return nil
}

// LinkCustom sets the caller's custom id.
func (c *Core) LinkCustom(ctx context.Context, userID uuid.UUID, customID string) error {
	// Nakama words these checks differently from its authenticate call.
	switch {
	case customID == "":
		return Errorf(CodeInvalidArgument, "Custom ID is required.")
	case invalidIdentifierChars.MatchString(customID):
		return Errorf(CodeInvalidArgument, "Invalid custom ID, no spaces or control characters allowed.")
	case len(customID) < 6 || len(customID) > 128:
		return Errorf(CodeInvalidArgument, "Invalid custom ID, must be 6-128 bytes.")
	}
	return c.link(ctx, userID, ProviderCustom, customID, nil)
}

// LinkEmail sets the caller's email and password.
func (c *Core) LinkEmail(ctx context.Context, userID uuid.UUID, email, password string) error {
	switch {
	case email == "" || password == "":
		return Errorf(CodeInvalidArgument, "Email address and password is required.")
	case invalidIdentifierChars.MatchString(email):
		return Errorf(CodeInvalidArgument, "Invalid email address, no spaces or control characters allowed.")
	case len(password) < 8:
		return Errorf(CodeInvalidArgument, "Password must be at least 8 characters long.")
	case len(password) > bcryptMaxPassword:
		return Errorf(CodeInvalidArgument, "Password must be at most 72 bytes long.")
	case !emailShape.MatchString(email):
		return Errorf(CodeInvalidArgument, "Invalid email address format.")
	case len(email) < 10 || len(email) > 255:
		return Errorf(CodeInvalidArgument, "Invalid email address, must be 10-255 bytes.")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), c.bcryptCost)
	if err != nil {
		return Internal("Error while trying to link email.", err)
	}
	return c.link(ctx, userID, ProviderEmail, strings.ToLower(email), hash)
}

// unlink removes one identifier from the caller's account. A non-empty value must be the
// one the account holds. The account row is locked for the check, so two concurrent
// unlinks can never together remove the last identifier.
func (c *Core) unlink(ctx context.Context, userID uuid.UUID, kind Provider, value string) error {
	err := c.inTx(ctx, func(q *db.Queries) error {
		if _, err := q.UserLock(ctx, userID); err != nil {
			if isNotFound(err) {
				return ErrLastIdentifier
			}
			return err
		}
		row, err := q.UserIdentifiers(ctx, userID)
		if err != nil {
			return err
		}
		held := map[Provider]string{
			ProviderCustom: deref(row.CustomID), ProviderEmail: deref(row.Email), ProviderApple: deref(row.AppleID),
			ProviderFacebook: deref(row.FacebookID), ProviderFacebookInstantGame: deref(row.FacebookInstantGameID),
			ProviderGoogle: deref(row.GoogleID), ProviderGameCenter: deref(row.GamecenterID), ProviderSteam: deref(row.SteamID),
		}
		remaining := len(row.Devices)
		for _, v := range held {
			if v != "" {
				remaining++
			}
		}
		if kind == ProviderDevice {
			if !contains(row.Devices, value) || remaining < 2 {
				return ErrLastIdentifier
			}
			if _, err := q.DeviceUnlink(ctx, db.DeviceUnlinkParams{ID: value, UserID: userID}); err != nil {
				return err
			}
			return q.UserTouch(ctx, userID)
		}
		current := held[kind]
		if current == "" || (value != "" && value != current) || remaining < 2 {
			return ErrLastIdentifier
		}
		return q.UserLink(ctx, db.UserLinkParams{ID: userID, Kind: string(kind)})
	})
	var coreErr *Error
	if errors.As(err, &coreErr) {
		return coreErr
	}
	if err != nil {
		return Internal("Error while trying to unlink "+string(kind)+".", err)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// UnlinkDevice removes a device id from the caller's account.
func (c *Core) UnlinkDevice(ctx context.Context, userID uuid.UUID, deviceID string) error {
	if deviceID == "" {
		return Errorf(CodeInvalidArgument, "A device ID must be supplied.")
	}
	return c.unlink(ctx, userID, ProviderDevice, deviceID)
}

// UnlinkCustom removes the caller's custom id (the given one, when not empty).
func (c *Core) UnlinkCustom(ctx context.Context, userID uuid.UUID, customID string) error {
	return c.unlink(ctx, userID, ProviderCustom, customID)
}

// UnlinkEmail removes the caller's email and password (the given email, when not empty).
func (c *Core) UnlinkEmail(ctx context.Context, userID uuid.UUID, email string) error {
	return c.unlink(ctx, userID, ProviderEmail, strings.ToLower(email))
}
