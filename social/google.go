package social

import (
	"context"
	"fmt"
	"slices"
)

// googleIssuers are the two spellings Google uses for iss.
var googleIssuers = []string{"accounts.google.com", "https://accounts.google.com"}

// Google verifies a Google Sign-In ID token: RS256 signature by a key from Google's JWKS,
// issuer accounts.google.com (with or without https://), an unexpired exp and a subject.
// When client IDs are configured the audience must be exactly one of them and the
// authorized party (azp), if present, must be one too — an Android app presents a token
// whose aud is the web client and whose azp is the Android client, so both get listed.
// Without client IDs any audience is accepted, as Nakama does (Warnings says so).
//
// The profile carries sub, email, email_verified, name and picture. Nakama fills the new
// account's display name (at most 255 bytes) and avatar URL (at most 512) from name and
// picture, imports the email, and on later logins fills display name and avatar only
// where the account has none.
//
// Nakama also accepts a Google Play Games server auth code here, exchanging it with the
// credentials in google_auth.credentials_json; Hearth does not, and such a code is
// ErrInvalid.
func (c *Client) Google(ctx context.Context, idToken string) (Profile, error) {
	claims, err := c.verifyIDToken(ctx, idToken, idTokenRules{
		provider:  "google",
		keys:      c.googleKeys,
		issuers:   googleIssuers,
		audiences: c.googleClientIDs,
	})
	if err != nil {
		return Profile{}, err
	}
	if len(c.googleClientIDs) > 0 && claims.AuthorizedParty != "" && !slices.Contains(c.googleClientIDs, claims.AuthorizedParty) {
		return Profile{}, fmt.Errorf("google id token: %w: authorized party %q not accepted", ErrInvalid, claims.AuthorizedParty)
	}
	return Profile{
		ID:            claims.Subject,
		Email:         claims.Email,
		EmailVerified: bool(claims.EmailVerified),
		Name:          claims.Name,
		AvatarURL:     claims.Picture,
	}, nil
}
