package social

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

const testBundleID = "com.example.game"

// appleSetup is a client trusting a fake Apple whose JWKS publishes one key.
func appleSetup(t *testing.T) (*Client, *idTokenFixture, *jwksServer) {
	t.Helper()
	keys := testKeys()
	srv := newJWKSServer(t)
	srv.publish("apple-1", &keys[0].PublicKey)
	c, clock := newTestClient(t, Config{Apple: AppleConfig{BundleID: testBundleID, KeysURL: srv.URL}}, nil)
	f := &idTokenFixture{t: t, key: keys[0], other: keys[1], kid: "apple-1", now: clock.Now(), iss: appleIssuer, aud: testBundleID}
	return c, f, srv
}

func TestApple(t *testing.T) {
	cases := append(commonIDTokenCases(),
		idTokenCase{"email_verified as a string", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["email_verified"] = "true" })
		}, nil},
		idTokenCase{"email_verified neither bool nor string", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["email_verified"] = 1 })
		}, ErrInvalid},
		idTokenCase{"google's issuer", func(f *idTokenFixture) string {
			return f.with(func(c jwt.MapClaims) { c["iss"] = "https://accounts.google.com" })
		}, ErrInvalid},
	)
	runIDTokenCases(t, cases, func(t *testing.T) (*idTokenFixture, func(context.Context, string) error) {
		c, f, _ := appleSetup(t)
		return f, func(ctx context.Context, tok string) error {
			_, err := c.Apple(ctx, tok)
			return err
		}
	})
}

func TestAppleProfile(t *testing.T) {
	c, f, srv := appleSetup(t)
	tok := f.with(func(c jwt.MapClaims) {
		c["sub"] = "001234.abcd"
		c["email"] = "x@privaterelay.appleid.com"
		c["email_verified"] = "true"
	})
	for range 3 {
		got, err := c.Apple(context.Background(), tok)
		if err != nil {
			t.Fatal(err)
		}
		want := Profile{ID: "001234.abcd", Email: "x@privaterelay.appleid.com", EmailVerified: true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("profile (-want +got):\n%s", diff)
		}
	}
	if n := srv.hits.Load(); n != 1 {
		t.Fatalf("JWKS fetched %d times, want once", n)
	}
}

func TestAppleSeveralBundleIDs(t *testing.T) {
	keys := testKeys()
	srv := newJWKSServer(t)
	srv.publish("k", &keys[0].PublicKey)
	c, clock := newTestClient(t, Config{Apple: AppleConfig{BundleID: "com.example.game, com.example.web", KeysURL: srv.URL}}, nil)
	f := &idTokenFixture{t: t, key: keys[0], kid: "k", now: clock.Now(), iss: appleIssuer, aud: "com.example.web"}
	if _, err := c.Apple(context.Background(), f.sign(f.claims())); err != nil {
		t.Fatal(err)
	}
}

func TestAppleNotConfigured(t *testing.T) {
	c := New(Config{}, noNetwork(t))
	_, err := c.Apple(context.Background(), "a.b.c")
	wantKind(t, err, ErrNotConfigured)
}

func TestAppleKeysUnavailable(t *testing.T) {
	keys := testKeys()
	sign := func(t *testing.T, now time.Time) string {
		f := &idTokenFixture{t: t, key: keys[0], kid: "apple-1", now: now, iss: appleIssuer, aud: testBundleID}
		return f.sign(f.claims())
	}
	t.Run("connection refused", func(t *testing.T) {
		c, clock := newTestClient(t, Config{Apple: AppleConfig{BundleID: testBundleID, KeysURL: closedURL(t)}}, nil)
		_, err := c.Apple(context.Background(), sign(t, clock.Now()))
		wantKind(t, err, ErrUnavailable)
	})
	t.Run("server error", func(t *testing.T) {
		srv := newJWKSServer(t)
		srv.setStatus(http.StatusBadGateway)
		c, clock := newTestClient(t, Config{Apple: AppleConfig{BundleID: testBundleID, KeysURL: srv.URL}}, nil)
		_, err := c.Apple(context.Background(), sign(t, clock.Now()))
		wantKind(t, err, ErrUnavailable)
	})
	t.Run("slow server", func(t *testing.T) {
		srv := slowServer(t)
		c, clock := newTestClient(t, Config{Apple: AppleConfig{BundleID: testBundleID, KeysURL: srv.URL}, TimeoutMs: 100}, nil)
		start := time.Now()
		_, err := c.Apple(context.Background(), sign(t, clock.Now()))
		wantKind(t, err, ErrUnavailable)
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Fatalf("took %v with a 100ms timeout", elapsed)
		}
	})
	t.Run("caller gives up", func(t *testing.T) {
		srv := slowServer(t)
		c, clock := newTestClient(t, Config{Apple: AppleConfig{BundleID: testBundleID, KeysURL: srv.URL}}, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Apple(ctx, sign(t, clock.Now()))
		wantKind(t, err, ErrUnavailable)
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Fatalf("took %v after the caller's deadline", elapsed)
		}
	})
}
