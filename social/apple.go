package social

import (
	"context"
	"fmt"
)

// appleIssuer is the iss of every Sign in with Apple ID token.
const appleIssuer = "https://appleid.apple.com"

// Apple verifies a Sign in with Apple ID token: RS256 signature by a key from Apple's
// JWKS, issuer https://appleid.apple.com, audience one of social.apple.bundle_id, an
// unexpired exp, and a subject. The profile carries the subject as ID and the email and
// email_verified claims when present (Apple sends the email only on first sign-in and
// may relay it through a private address); Nakama imports that email on account
// creation.
//
// Without a bundle ID it answers ErrNotConfigured, as Nakama refuses Apple
// authentication then. Nakama checks no audience at all; Hearth does, so a token Apple
// issued to another app is not a login to this one.
func (c *Client) Apple(ctx context.Context, idToken string) (Profile, error) {
	if len(c.appleAudiences) == 0 {
		return Profile{}, fmt.Errorf("apple: %w: social.apple.bundle_id is empty", ErrNotConfigured)
	}
	claims, err := c.verifyIDToken(ctx, idToken, idTokenRules{
		provider:  "apple",
		keys:      c.appleKeys,
		issuers:   []string{appleIssuer},
		audiences: c.appleAudiences,
	})
	if err != nil {
		return Profile{}, err
	}
	return Profile{
		ID:            claims.Subject,
		Email:         claims.Email,
		EmailVerified: bool(claims.EmailVerified),
	}, nil
}
