package core

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// TokenOptions configure session and refresh tokens.
type TokenOptions struct {
	EncryptionKey        []byte
	RefreshEncryptionKey []byte
	TokenExpiry          time.Duration
	RefreshTokenExpiry   time.Duration
}

// SessionClaims are the claims inside session and refresh tokens. The short names are the
// ones Nakama issues and official clients decode (nakama-js reads uid, usn, vrs and exp to
// fill Session.user_id, username, vars and expires_at).
type SessionClaims struct {
	TokenID   string            `json:"tid,omitempty"`
	UserID    string            `json:"uid,omitempty"`
	Username  string            `json:"usn,omitempty"`
	Vars      map[string]string `json:"vrs,omitempty"`
	ExpiresAt int64             `json:"exp,omitempty"`
	IssuedAt  int64             `json:"iat,omitempty"`
	// Generation is Hearth's own claim: tokens issued before the user's generation rose
	// (log out everywhere, ban, deletion, single-session login) are refused.
	Generation int64 `json:"gen,omitempty"`
}

// The jwt.Claims methods: only exp matters for validity, and it is required.
func (c *SessionClaims) GetExpirationTime() (*jwt.NumericDate, error) {
	if c.ExpiresAt == 0 {
		return nil, nil
	}
	return jwt.NewNumericDate(time.Unix(c.ExpiresAt, 0)), nil
}
func (c *SessionClaims) GetIssuedAt() (*jwt.NumericDate, error)  { return nil, nil }
func (c *SessionClaims) GetNotBefore() (*jwt.NumericDate, error) { return nil, nil }
func (c *SessionClaims) GetIssuer() (string, error)              { return "", nil }
func (c *SessionClaims) GetSubject() (string, error)             { return "", nil }
func (c *SessionClaims) GetAudience() (jwt.ClaimStrings, error)  { return nil, nil }

// tokenSigner issues and checks HS256 tokens with separate keys for session and refresh
// tokens, so a refresh token can never pass as a session token or the other way round.
type tokenSigner struct {
	opts   TokenOptions
	now    func() time.Time
	parser *jwt.Parser
}

func newTokenSigner(o TokenOptions, now func() time.Time) tokenSigner {
	return tokenSigner{
		opts: o,
		now:  now,
		// Only HS256 is accepted: "none", RS256-with-the-HMAC-key and other algorithm
		// confusion tricks fail here before any claim is looked at.
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithExpirationRequired(),
			jwt.WithTimeFunc(now),
		),
	}
}

var errTokenInvalid = errors.New("token invalid")

func (s tokenSigner) sign(key []byte, exp int64, tokenID string, userID uuid.UUID, username string, vars map[string]string, generation int64) (string, error) {
	claims := &SessionClaims{
		TokenID:    tokenID,
		UserID:     userID.String(),
		Username:   username,
		Vars:       vars,
		ExpiresAt:  exp,
		IssuedAt:   s.now().Unix(),
		Generation: generation,
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return signed, nil
}

func (s tokenSigner) parse(key []byte, token string) (*SessionClaims, uuid.UUID, error) {
	claims := &SessionClaims{}
	_, err := s.parser.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return key, nil })
	if err != nil {
		return nil, uuid.Nil, fmt.Errorf("%w: %v", errTokenInvalid, err)
	}
	userID, err := uuid.Parse(claims.UserID)
	if err != nil || claims.TokenID == "" {
		return nil, uuid.Nil, fmt.Errorf("%w: missing user or token id", errTokenInvalid)
	}
	return claims, userID, nil
}

// newTokenID returns a random id shared by a session token and its refresh token.
func newTokenID() string {
	return uuid.NewString()
}

// usernameAlphabet is what generated usernames are drawn from, as in Nakama: ten letters.
const usernameAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

func generateUsername() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		b[i] = usernameAlphabet[int(b[i])%len(usernameAlphabet)]
	}
	return string(b)
}
