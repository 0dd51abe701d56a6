package core

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Session is a freshly issued pair of tokens.
type Session struct {
	Created          bool // the account was created by this call
	Token            string
	RefreshToken     string
	UserID           uuid.UUID
	Username         string
	Vars             map[string]string
	ExpiresAt        int64
	RefreshExpiresAt int64
}

// Caller is the verified identity behind a session token.
type Caller struct {
	UserID    uuid.UUID
	Username  string
	Vars      map[string]string
	ExpiresAt int64
	TokenID   string
}

// issueSession signs a session token and its refresh token under one token id.
func (c *Core) issueSession(tokenID string, userID uuid.UUID, username string, vars map[string]string, created bool) (Session, error) {
	o := c.tokens.opts
	token, exp, err := c.tokens.sign(o.EncryptionKey, o.TokenExpiry, tokenID, userID, username, vars)
	if err != nil {
		return Session{}, Internal("Error generating session.", err)
	}
	refresh, refreshExp, err := c.tokens.sign(o.RefreshEncryptionKey, o.RefreshTokenExpiry, tokenID, userID, username, vars)
	if err != nil {
		return Session{}, Internal("Error generating session.", err)
	}
	return Session{
		Created:          created,
		Token:            token,
		RefreshToken:     refresh,
		UserID:           userID,
		Username:         username,
		Vars:             vars,
		ExpiresAt:        exp,
		RefreshExpiresAt: refreshExp,
	}, nil
}

// ErrSessionInvalid is the refusal for a missing, malformed, forged or expired session
// token.
var ErrSessionInvalid = Errorf(CodeUnauthenticated, "Auth token invalid")

// SessionVerify checks a session token's signature, algorithm and expiry and returns who
// it belongs to. It touches no database, so every authenticated request pays only an
// HMAC check.
func (c *Core) SessionVerify(token string) (Caller, error) {
	claims, userID, err := c.tokens.parse(c.tokens.opts.EncryptionKey, token)
	if err != nil {
		return Caller{}, &Error{Code: CodeUnauthenticated, Message: ErrSessionInvalid.Message, Err: err}
	}
	return Caller{
		UserID:    userID,
		Username:  claims.Username,
		Vars:      claims.Vars,
		ExpiresAt: claims.ExpiresAt,
		TokenID:   claims.TokenID,
	}, nil
}

// SessionRefreshInput is a refresh request. Vars nil keeps the vars the refresh token
// carries; non-nil replaces them, as in Nakama.
type SessionRefreshInput struct {
	RefreshToken string
	Vars         map[string]string
}

// SessionRefresh trades a valid refresh token for a new session token and a re-issued
// refresh token. The token id carries over, so a refresh within the same second as the
// original issue yields byte-identical tokens, as Nakama's does.
func (c *Core) SessionRefresh(ctx context.Context, in SessionRefreshInput) (Session, error) {
	if in.RefreshToken == "" {
		return Session{}, Errorf(CodeInvalidArgument, "Refresh token is required.")
	}
	claims, userID, err := c.tokens.parse(c.tokens.opts.RefreshEncryptionKey, in.RefreshToken)
	if err != nil {
		return Session{}, &Error{Code: CodeUnauthenticated, Message: "Refresh token invalid or expired.", Err: err}
	}
	user, err := c.q.UserByID(ctx, userID)
	if isNotFound(err) {
		return Session{}, ErrAccountNotFound
	}
	if err != nil {
		return Session{}, Internal("Error finding user account.", err)
	}
	if banned(user.DisableTime) {
		return Session{}, ErrAccountBanned
	}
	vars := in.Vars
	if vars == nil {
		vars = claims.Vars
	}
	return c.issueSession(claims.TokenID, userID, user.Username, vars, false)
}

// banned reports whether a disable_time marks the account as banned. Nakama stores the
// epoch for "not banned", so both NULL and the epoch mean active.
func banned(disableTime *time.Time) bool {
	return disableTime != nil && disableTime.Unix() != 0
}
