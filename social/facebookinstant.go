package social

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Signed player info limits.
const (
	fbigMaxLength = 16 << 10      // real ones are a few hundred bytes
	fbigAlgorithm = "HMAC-SHA256" // the only algorithm Facebook signs player info with
)

// FacebookInstant verifies a Facebook Instant Games signed player info
// (FBInstant.player.getSignedPlayerInfoAsync) and returns the player ID it vouches for.
// The credential is "<signature>.<payload>", both base64url; the signature must be
// HMAC-SHA256 of the payload segment keyed with social.facebook_instant_game.app_secret
// (compared in constant time), the payload's algorithm must be HMAC-SHA256, player_id
// must be present, and issued_at must be within issued_at_max_age_sec of now.
//
// Without an app secret it answers ErrNotConfigured. Nakama does not refuse then: it
// verifies against an empty key, which anyone can sign with. Nakama also checks no
// issued_at, so its signed player infos never expire.
func (c *Client) FacebookInstant(signedPlayerInfo string) (string, error) {
	secret := c.cfg.FacebookInstantGame.AppSecret
	if secret == "" {
		return "", fmt.Errorf("facebook instant game: %w: social.facebook_instant_game.app_secret is empty", ErrNotConfigured)
	}
	if len(signedPlayerInfo) > fbigMaxLength {
		return "", fmt.Errorf("facebook instant game: %w: signed player info is %d bytes long", ErrInvalid, len(signedPlayerInfo))
	}
	sigPart, payloadPart, ok := strings.Cut(signedPlayerInfo, ".")
	if !ok || strings.Contains(payloadPart, ".") {
		return "", fmt.Errorf("facebook instant game: %w: not signature.payload", ErrInvalid)
	}
	sig, err := decodeB64URL(sigPart)
	if err != nil {
		return "", fmt.Errorf("facebook instant game: %w: signature: %w", ErrInvalid, err)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(payloadPart)) // the signature covers the encoded segment as sent
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return "", fmt.Errorf("facebook instant game: %w: signature mismatch", ErrInvalid)
	}

	raw, err := decodeB64URL(payloadPart)
	if err != nil {
		return "", fmt.Errorf("facebook instant game: %w: payload: %w", ErrInvalid, err)
	}
	var payload struct {
		Algorithm string `json:"algorithm"`
		PlayerID  string `json:"player_id"`
		IssuedAt  int64  `json:"issued_at"`
	}
	if err := json.Unmarshal(raw, &payload); err != nil {
		return "", fmt.Errorf("facebook instant game: %w: payload: %w", ErrInvalid, err)
	}
	if !strings.EqualFold(payload.Algorithm, fbigAlgorithm) {
		return "", fmt.Errorf("facebook instant game: %w: algorithm %q", ErrInvalid, payload.Algorithm)
	}
	if payload.PlayerID == "" {
		return "", fmt.Errorf("facebook instant game: %w: no player_id", ErrInvalid)
	}
	if maxAge := c.cfg.FacebookInstantGame.MaxAgeSec; maxAge > 0 {
		if payload.IssuedAt <= 0 || outsideWindow(c.now(), time.Unix(payload.IssuedAt, 0), maxAge) {
			return "", fmt.Errorf("facebook instant game: %w: issued_at %d outside the accepted %ds", ErrInvalid, payload.IssuedAt, maxAge)
		}
	}
	return payload.PlayerID, nil
}
