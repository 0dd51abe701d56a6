package social

import (
	"context"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

const (
	webClient     = "web-client.apps.googleusercontent.com"
	androidClient = "android-client.apps.googleusercontent.com"
)

func googleSetup(t *testing.T, clientIDs string) (*Client, *idTokenFixture) {
	t.Helper()
	keys := testKeys()
	srv := newJWKSServer(t)
	srv.publish("g-1", &keys[0].PublicKey)
	c, clock := newTestClient(t, Config{Google: GoogleConfig{ClientIDs: clientIDs, KeysURL: srv.URL}}, nil)
	f := &idTokenFixture{t: t, key: keys[0], other: keys[1], kid: "g-1", now: clock.Now(), iss: "https://accounts.google.com", aud: webClient}
	return c, f
}

func TestGoogle(t *testing.T) {
	cases := append(commonIDTokenCases(),
		idTokenCase{"issuer without scheme", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["iss"] = "accounts.google.com" })
		}, nil},
		idTokenCase{"apple's issuer", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["iss"] = appleIssuer })
		}, ErrInvalid},
		idTokenCase{"authorized party is the audience", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["azp"] = webClient })
		}, nil},
		idTokenCase{"authorized party is another accepted client", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["azp"] = androidClient })
		}, nil},
		idTokenCase{"authorized party not accepted", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["azp"] = "other.apps.googleusercontent.com" })
		}, ErrInvalid},
		idTokenCase{"authorized party not a string", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["azp"] = 1 })
		}, ErrInvalid},
		idTokenCase{"other accepted client as audience", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["aud"] = androidClient })
		}, nil},
	)
	runIDTokenCases(t, cases, func(t *testing.T) (*idTokenFixture, func(context.Context, string) error) {
		c, f := googleSetup(t, webClient+","+androidClient)
		return f, func(ctx context.Context, tok string) error {
			_, err := c.Google(ctx, tok)
			return err
		}
	})
}

func TestGoogleProfile(t *testing.T) {
	c, f := googleSetup(t, webClient)
	got, err := c.Google(context.Background(), f.with(func(c jwt.MapClaims) {
		c["sub"] = "1098765"
		c["email_verified"] = true
		c["name"] = "Ada Player"
		c["picture"] = "https://lh3.googleusercontent.com/a/photo"
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{ID: "1098765", Email: "player@example.com", EmailVerified: true, Name: "Ada Player", AvatarURL: "https://lh3.googleusercontent.com/a/photo"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("profile (-want +got):\n%s", diff)
	}
}

// Without client IDs Nakama accepts any audience; Hearth does too, and says so.
func TestGoogleNoClientIDs(t *testing.T) {
	c, f := googleSetup(t, "")
	for _, aud := range []any{"any-client", []string{"a", "b"}} {
		if _, err := c.Google(context.Background(), f.with(func(c jwt.MapClaims) { c["aud"] = aud; c["azp"] = "whoever" })); err != nil {
			t.Fatalf("audience %v: %v", aud, err)
		}
	}
	// Everything but the audience is still checked.
	_, err := c.Google(context.Background(), f.with(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }))
	wantKind(t, err, ErrInvalid)
	if len(c.Warnings()) == 0 {
		t.Fatal("no warning about unchecked Google audiences")
	}
}
