package core

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Account is a user's own view of their account.
type Account struct {
	User        User
	Wallet      string // JSON object text
	Email       string
	DeviceIDs   []string
	CustomID    string
	VerifyTime  time.Time // zero when unverified
	DisableTime time.Time // zero when active
}

// User is the public profile of an account.
type User struct {
	ID                    uuid.UUID
	Username              string
	DisplayName           string
	AvatarURL             string
	LangTag               string
	Location              string
	Timezone              string
	Metadata              string // JSON object text
	FacebookID            string
	GoogleID              string
	GamecenterID          string
	SteamID               string
	AppleID               string
	FacebookInstantGameID string
	Online                bool
	EdgeCount             int32
	CreateTime            time.Time
	UpdateTime            time.Time
}

// AccountGet returns the account of userID.
func (c *Core) AccountGet(ctx context.Context, userID uuid.UUID) (Account, error) {
	row, err := c.q.AccountGet(ctx, userID)
	if isNotFound(err) {
		return Account{}, Errorf(CodeNotFound, "Account not found.")
	}
	if err != nil {
		return Account{}, Internal("Error retrieving user account.", err)
	}
	return accountFromRow(row), nil
}

func accountFromRow(r db.AccountGetRow) Account {
	return Account{
		User: User{
			ID:                    r.ID,
			Username:              r.Username,
			DisplayName:           deref(r.DisplayName),
			AvatarURL:             deref(r.AvatarUrl),
			LangTag:               deref(r.LangTag),
			Location:              deref(r.Location),
			Timezone:              deref(r.Timezone),
			Metadata:              r.Metadata,
			FacebookID:            deref(r.FacebookID),
			GoogleID:              deref(r.GoogleID),
			GamecenterID:          deref(r.GamecenterID),
			SteamID:               deref(r.SteamID),
			AppleID:               deref(r.AppleID),
			FacebookInstantGameID: deref(r.FacebookInstantGameID),
			EdgeCount:             r.EdgeCount,
			CreateTime:            r.CreateTime,
			UpdateTime:            r.UpdateTime,
		},
		Wallet:      r.Wallet,
		Email:       deref(r.Email),
		DeviceIDs:   r.Devices,
		CustomID:    deref(r.CustomID),
		VerifyTime:  activeTime(r.VerifyTime),
		DisableTime: activeTime(r.DisableTime),
	}
}

// AccountUpdate is a profile change. A nil field is left as it is; an empty string clears
// the field (the username cannot be cleared).
type AccountUpdate struct {
	Username    *string
	DisplayName *string
	AvatarURL   *string
	LangTag     *string
	Location    *string
	Timezone    *string
}

// Column widths of the users table; checked here so an over-long value is a clear 400,
// not a database error.
var profileLimits = []struct {
	name  string
	max   int
	value func(AccountUpdate) *string
}{
	{"Display name", 255, func(u AccountUpdate) *string { return u.DisplayName }},
	{"Avatar URL", 512, func(u AccountUpdate) *string { return u.AvatarURL }},
	{"Lang tag", 18, func(u AccountUpdate) *string { return u.LangTag }},
	{"Location", 255, func(u AccountUpdate) *string { return u.Location }},
	{"Timezone", 255, func(u AccountUpdate) *string { return u.Timezone }},
}

// AccountUpdate changes the caller's profile. Nothing changes unless every field is
// valid; a change to a username another account holds is refused.
func (c *Core) AccountUpdate(ctx context.Context, userID uuid.UUID, u AccountUpdate) error {
	if u.Username != nil {
		switch name := *u.Username; {
		case len(name) < 1 || len(name) > 128:
			return Errorf(CodeInvalidArgument, "Username invalid, must be 1-128 bytes.")
		case invalidUsernameChars.MatchString(name):
			return Errorf(CodeInvalidArgument, "Username invalid, no spaces or control characters allowed.")
		}
	}
	changes := 0
	if u.Username != nil {
		changes++
	}
	for _, l := range profileLimits {
		v := l.value(u)
		if v == nil {
			continue
		}
		changes++
		if utf8.RuneCountInString(*v) > l.max {
			return Errorf(CodeInvalidArgument, l.name+" invalid, must be at most "+strconv.Itoa(l.max)+" characters.")
		}
		// PostgreSQL text cannot hold NUL; refuse it rather than fail in the database.
		if strings.IndexByte(*v, 0) >= 0 {
			return Errorf(CodeInvalidArgument, l.name+" invalid, no null characters allowed.")
		}
	}
	if changes == 0 {
		return Errorf(CodeInvalidArgument, "No fields to update.")
	}
	_, err := c.q.AccountUpdate(ctx, db.AccountUpdateParams{
		ID:          userID,
		Username:    u.Username,
		DisplayName: u.DisplayName,
		AvatarUrl:   u.AvatarURL,
		LangTag:     u.LangTag,
		Location:    u.Location,
		Timezone:    u.Timezone,
	})
	if uniqueViolation(err) == "users_username_key" {
		// Nakama sends this refusal as code 3 with a Go error string for its message; the
		// code is kept for clients that branch on it, the message is the clean text.
		return &Error{Code: CodeInvalidArgument, Message: ErrUsernameTaken.Message, Err: err}
	}
	if err != nil {
		return Internal("Error while trying to update account.", err)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// activeTime maps NULL and Nakama's epoch placeholder to the zero time.
func activeTime(t *time.Time) time.Time {
	if t == nil || t.Unix() == 0 {
		return time.Time{}
	}
	return *t
}

// userFromProfile converts the user_profile view's row, which every user listing selects;
// Online comes from live presence.
func (c *Core) userFromProfile(p db.UserProfile) User {
	return User{
		ID: p.ID, Username: p.Username, DisplayName: deref(p.DisplayName), AvatarURL: deref(p.AvatarUrl),
		LangTag: deref(p.LangTag), Location: deref(p.Location), Timezone: deref(p.Timezone), Metadata: p.Metadata,
		FacebookID: deref(p.FacebookID), GoogleID: deref(p.GoogleID), GamecenterID: deref(p.GamecenterID),
		SteamID: deref(p.SteamID), AppleID: deref(p.AppleID), FacebookInstantGameID: deref(p.FacebookInstantGameID),
		EdgeCount: p.EdgeCount, CreateTime: p.CreateTime, UpdateTime: p.UpdateTime, Online: c.online(p.ID),
	}
}
