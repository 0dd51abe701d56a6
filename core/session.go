package core

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
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

// issueSession signs a session token and its refresh token under one token id, with the
// user's current generation.
func (c *Core) issueSession(tokenID string, userID uuid.UUID, username string, vars map[string]string, created bool) (Session, error) {
	now := c.now()
	o := c.tokens.opts
	return c.signSession(tokenID, userID, username, vars, created, now.Add(o.TokenExpiry).Unix(), now.Add(o.RefreshTokenExpiry).Unix())
}

func (c *Core) signSession(tokenID string, userID uuid.UUID, username string, vars map[string]string, created bool, exp, refreshExp int64) (Session, error) {
	o := c.tokens.opts
	gen := c.revoked.generation(userID)
	token, err := c.tokens.sign(o.EncryptionKey, exp, tokenID, userID, username, vars, gen)
	if err != nil {
		return Session{}, Internal("Error generating session.", err)
	}
	refresh, err := c.tokens.sign(o.RefreshEncryptionKey, refreshExp, tokenID, userID, username, vars, gen)
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

// SessionVerify checks a session token's signature, algorithm, expiry and revocation and
// returns who it belongs to. It touches no database (revocations are held in memory on
// every node); a token's signature is checked on its first use and remembered after.
func (c *Core) SessionVerify(token string) (Caller, error) {
	verified, ok := c.verified.get(token, c.now())
	if !ok {
		claims, userID, err := c.tokens.parse(c.tokens.opts.EncryptionKey, token)
		if err != nil {
			return Caller{}, &Error{Code: CodeUnauthenticated, Message: ErrSessionInvalid.Message, Err: err}
		}
		verified = verifiedSession{claims: claims, userID: userID}
		c.verified.put(token, verified)
	}
	claims, userID := verified.claims, verified.userID
	if !c.revoked.allowed(userID, claims.Generation, claims.TokenID, kindSession) {
		return Caller{}, &Error{Code: CodeUnauthenticated, Message: ErrSessionInvalid.Message, Err: errors.New("session revoked")}
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
	if err == nil && !c.revoked.allowed(userID, claims.Generation, claims.TokenID, kindRefresh) {
		err = errors.New("refresh token revoked")
	}
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
	tokenID := claims.TokenID
	if !c.revoked.allowed(userID, claims.Generation, tokenID, kindSession) {
		// The session token alone was logged out; its refresh token may still start a new
		// session, which needs an id of its own.
		tokenID = newTokenID()
	}
	return c.issueSession(tokenID, userID, user.Username, vars, false)
}

// banned reports whether a disable_time marks the account as banned. Nakama stores the
// epoch for "not banned", so both NULL and the epoch mean active.
func banned(disableTime *time.Time) bool {
	return disableTime != nil && disableTime.Unix() != 0
}

// SessionLogout ends sessions of userID. With a session token and/or refresh token, those
// stop working at once; with neither, every session the user holds ends (as Nakama's
// runtime SessionLogout does). Tokens must belong to userID.
func (c *Core) SessionLogout(ctx context.Context, userID uuid.UUID, token, refreshToken string) error {
	type revocation struct {
		tokenID string
		kind    int16
		exp     int64
	}
	var revoke []revocation
	if token != "" {
		claims, owner, err := c.tokens.parse(c.tokens.opts.EncryptionKey, token)
		if err != nil || owner != userID {
			return &Error{Code: CodeInvalidArgument, Message: "Session token invalid.", Err: err}
		}
		revoke = append(revoke, revocation{claims.TokenID, kindSession, claims.ExpiresAt})
	}
	if refreshToken != "" {
		claims, owner, err := c.tokens.parse(c.tokens.opts.RefreshEncryptionKey, refreshToken)
		if err != nil || owner != userID {
			return &Error{Code: CodeInvalidArgument, Message: "Refresh token invalid.", Err: err}
		}
		revoke = append(revoke, revocation{claims.TokenID, kindRefresh, claims.ExpiresAt})
	}
	var events []string
	err := c.inTx(ctx, func(q *db.Queries) error {
		events = events[:0]
		if len(revoke) == 0 {
			_, event, err := bumpGeneration(ctx, q, userID)
			events = append(events, event)
			return err
		}
		for _, r := range revoke {
			event, err := revokeToken(ctx, q, userID, r.tokenID, r.kind, r.exp)
			if err != nil {
				return err
			}
			events = append(events, event)
		}
		return nil
	})
	if err != nil {
		return Internal("Error processing session logout.", err)
	}
	c.applyRevocations(events)
	return nil
}

// applyRevocations updates this node's copy right after commit, so the caller's next
// request already sees the change; the notification that follows is idempotent.
func (c *Core) applyRevocations(events []string) {
	for _, e := range events {
		c.revoked.apply(e)
	}
}

// endAllSessions raises the user's generation: every token issued so far stops working.
func (c *Core) endAllSessions(ctx context.Context, userID uuid.UUID) error {
	var event string
	err := c.inTx(ctx, func(q *db.Queries) error {
		var err error
		_, event, err = bumpGeneration(ctx, q, userID)
		return err
	})
	if err != nil {
		return err
	}
	c.applyRevocations([]string{event})
	return nil
}

// startSession issues tokens after a successful authenticate. Under single_session the
// user's older sessions end first.
func (c *Core) startSession(ctx context.Context, who authenticated, vars map[string]string) (Session, error) {
	if c.single {
		if err := c.endAllSessions(ctx, who.userID); err != nil {
			return Session{}, Internal("Error generating session.", err)
		}
	}
	return c.issueSession(newTokenID(), who.userID, who.username, vars, who.created)
}

// AuthenticateTokenGenerate mints a session for an existing user, as the runtime's
// AuthenticateTokenGenerate does. expiresAt is a unix time; 0 means the configured token
// lifetime. An empty username means the account's own.
func (c *Core) AuthenticateTokenGenerate(ctx context.Context, userID uuid.UUID, username string, expiresAt int64, vars map[string]string) (string, int64, error) {
	user, err := c.q.UserByID(ctx, userID)
	if isNotFound(err) {
		return "", 0, ErrAccountNotFound
	}
	if err != nil {
		return "", 0, Internal("Error finding user account.", err)
	}
	if banned(user.DisableTime) {
		return "", 0, ErrAccountBanned
	}
	if username == "" {
		username = user.Username
	}
	now := c.now()
	if expiresAt == 0 {
		expiresAt = now.Add(c.tokens.opts.TokenExpiry).Unix()
	}
	if expiresAt <= now.Unix() {
		return "", 0, Errorf(CodeInvalidArgument, "Expiry must be in the future.")
	}
	s, err := c.signSession(newTokenID(), userID, username, vars, false, expiresAt, now.Add(c.tokens.opts.RefreshTokenExpiry).Unix())
	if err != nil {
		return "", 0, err
	}
	return s.Token, expiresAt, nil
}
