package social

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// idTokenFixture signs ID tokens the way a provider would, with keys its JWKS publishes.
type idTokenFixture struct {
	t     *testing.T
	key   *rsa.PrivateKey // published as kid
	other *rsa.PrivateKey // never published
	kid   string
	now   time.Time
	iss   string
	aud   string
}

// claims are a valid token's claims; cases change them.
func (f *idTokenFixture) claims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":   f.iss,
		"aud":   f.aud,
		"sub":   "user-1",
		"iat":   f.now.Unix(),
		"exp":   f.now.Add(10 * time.Minute).Unix(),
		"email": "player@example.com",
	}
}

func (f *idTokenFixture) sign(claims jwt.MapClaims) string {
	return signRS256(f.t, f.key, f.kid, claims)
}

func (f *idTokenFixture) with(change func(jwt.MapClaims)) string {
	c := f.claims()
	change(c)
	return f.sign(c)
}

// idTokenCase is one token and the kind of answer it must get.
type idTokenCase struct {
	name  string
	token func(f *idTokenFixture) string
	want  error
}

// commonIDTokenCases apply to every provider whose credential is an RS256 ID token with
// a configured audience.
func commonIDTokenCases() []idTokenCase {
	return []idTokenCase{
		{"valid", func(f *idTokenFixture) string { return f.sign(f.claims()) }, nil},
		{"wrong audience", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["aud"] = "someone-else" })
		}, ErrInvalid},
		{"several audiences including ours", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["aud"] = []string{f.aud, "someone-else"} })
		}, ErrInvalid},
		{"no audience", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { delete(c, "aud") })
		}, ErrInvalid},
		{"wrong issuer", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" })
		}, ErrInvalid},
		{"expired", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["exp"] = f.now.Add(-time.Second).Unix() })
		}, ErrInvalid},
		{"no expiry", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { delete(c, "exp") })
		}, ErrInvalid},
		{"not yet valid", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["nbf"] = f.now.Add(time.Hour).Unix() })
		}, ErrInvalid},
		{"no subject", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { delete(c, "sub") })
		}, ErrInvalid},
		{"unknown kid", func(f *idTokenFixture) string {
			return signRS256(f.t, f.other, "unpublished", f.claims())
		}, ErrInvalid},
		{"published kid, another key", func(f *idTokenFixture) string {
			return signRS256(f.t, f.other, f.kid, f.claims())
		}, ErrInvalid},
		{"no kid", func(f *idTokenFixture) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, f.claims())
			s, err := tok.SignedString(f.key)
			if err != nil {
				f.t.Fatal(err)
			}
			return s
		}, ErrInvalid},
		{"HS256 keyed with the public key (algorithm confusion)", func(f *idTokenFixture) string {
			der, err := x509.MarshalPKIXPublicKey(&f.key.PublicKey)
			if err != nil {
				f.t.Fatal(err)
			}
			pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
			tok := jwt.NewWithClaims(jwt.SigningMethodHS256, f.claims())
			tok.Header["kid"] = f.kid
			s, err := tok.SignedString(pemKey)
			if err != nil {
				f.t.Fatal(err)
			}
			return s
		}, ErrInvalid},
		{"alg none", func(f *idTokenFixture) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodNone, f.claims())
			tok.Header["kid"] = f.kid
			s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
			if err != nil {
				f.t.Fatal(err)
			}
			return s
		}, ErrInvalid},
		{"RS512 by the published key", func(f *idTokenFixture) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS512, f.claims())
			tok.Header["kid"] = f.kid
			s, err := tok.SignedString(f.key)
			if err != nil {
				f.t.Fatal(err)
			}
			return s
		}, ErrInvalid},
		{"tampered payload", func(f *idTokenFixture) string {
			return tamper(f.t, f.sign(f.claims()), func(c jwt.MapClaims) { c["sub"] = "user-2" })
		}, ErrInvalid},
		{"tampered signature", func(f *idTokenFixture) string {
			// Another base64url letter, not a flipped bit: a flip can make '-' a '.', which
			// is no longer a three-part token (and, for Facebook, reads as a Graph token).
			s := []byte(f.sign(f.claims()))
			if i := len(s) - 5; s[i] == 'A' {
				s[i] = 'B'
			} else {
				s[i] = 'A'
			}
			return string(s)
		}, ErrInvalid},
		{"malformed", func(*idTokenFixture) string { return "not-a-jwt" }, ErrInvalid},
		{"malformed segments", func(*idTokenFixture) string { return "a.b.c" }, ErrInvalid},
		{"empty", func(*idTokenFixture) string { return "" }, ErrInvalid},
		{"huge", func(*idTokenFixture) string { return string(make([]byte, 64<<10)) }, ErrInvalid},
	}
}

// runIDTokenCases checks each case against verify, on a fresh client each time so a
// case cannot lean on keys an earlier one cached.
func runIDTokenCases(t *testing.T, cases []idTokenCase, setup func(t *testing.T) (*idTokenFixture, func(ctx context.Context, token string) error)) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, verify := setup(t)
			wantKind(t, verify(context.Background(), tc.token(f)), tc.want)
		})
	}
}
