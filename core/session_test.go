package core_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/hearth-server/hearth/core"
)

func TestSessionVerifyRejectsBadTokens(t *testing.T) {
	t.Parallel()
	c, clk := newCore(t)
	s, err := c.AuthenticateDevice(ctx, "verify-device-1", core.AuthInput{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims{"tid": "t", "uid": s.UserID.String(), "usn": s.Username, "exp": clk.now().Add(time.Hour).Unix()}
	sign := func(method jwt.SigningMethod, key any) string {
		tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	parts := strings.Split(s.Token, ".")
	tests := map[string]string{
		"garbage":          "not-a-token",
		"empty":            "",
		"wrong key":        sign(jwt.SigningMethodHS256, []byte("some-other-key")),
		"refresh as token": s.RefreshToken,
		"alg none":         sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType),
		"alg HS512":        sign(jwt.SigningMethodHS512, []byte("test-session-key")),
		"tampered claims":  parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2],
		"no expiry": func() string {
			delete(claims, "exp")
			defer func() { claims["exp"] = clk.now().Add(time.Hour).Unix() }()
			return sign(jwt.SigningMethodHS256, []byte("test-session-key"))
		}(),
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := c.SessionVerify(tok)
			wantCode(t, err, core.CodeUnauthenticated, "Auth token invalid")
		})
	}

	// A correctly signed token passes until it expires.
	if _, err := c.SessionVerify(sign(jwt.SigningMethodHS256, []byte("test-session-key"))); err != nil {
		t.Fatalf("valid hand-made token refused: %v", err)
	}
	// Verified tokens are remembered; a remembered token still expires on the clock
	// and still falls to a logout.
	for range 2 {
		if _, err := c.SessionVerify(s.Token); err != nil {
			t.Fatalf("fresh session refused: %v", err)
		}
	}
	clk.advance(61 * time.Second)
	_, err = c.SessionVerify(s.Token)
	wantCode(t, err, core.CodeUnauthenticated, "Auth token invalid")

	later, err := c.AuthenticateDevice(ctx, "verify-device-1", core.AuthInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SessionVerify(later.Token); err != nil {
		t.Fatalf("fresh session refused: %v", err)
	}
	if err := c.SessionLogout(ctx, later.UserID, later.Token, ""); err != nil {
		t.Fatal(err)
	}
	_, err = c.SessionVerify(later.Token)
	wantCode(t, err, core.CodeUnauthenticated, "Auth token invalid")
}

func TestSessionRefresh(t *testing.T) {
	t.Parallel()
	c, clk := newCore(t)
	s, err := c.AuthenticateDevice(ctx, "refresh-device-1", core.AuthInput{Create: true, Vars: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}

	// Same second, same claims: Nakama hands back byte-identical tokens.
	same, err := c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: s.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	if same.Token != s.Token || same.RefreshToken != s.RefreshToken || same.Created {
		t.Fatalf("refresh in the same second changed the tokens")
	}

	clk.advance(2 * time.Minute) // the session token has expired; the refresh token has not
	if _, err := c.SessionVerify(s.Token); err == nil {
		t.Fatal("expired session token still verifies")
	}
	kept, err := c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: s.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	caller, err := c.SessionVerify(kept.Token)
	if err != nil {
		t.Fatal(err)
	}
	if caller.UserID != s.UserID || caller.Vars["a"] != "1" || kept.RefreshExpiresAt <= s.RefreshExpiresAt {
		t.Fatalf("refreshed caller = %+v, want same user and vars and a later refresh expiry", caller)
	}

	replaced, err := c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: kept.RefreshToken, Vars: map[string]string{"b": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	caller, err = c.SessionVerify(replaced.Token)
	if err != nil {
		t.Fatal(err)
	}
	if len(caller.Vars) != 1 || caller.Vars["b"] != "2" {
		t.Fatalf("vars = %v, want replaced by {b:2}", caller.Vars)
	}

	_, err = c.SessionRefresh(ctx, core.SessionRefreshInput{})
	wantCode(t, err, core.CodeInvalidArgument, "Refresh token is required.")
	_, err = c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: s.Token})
	wantCode(t, err, core.CodeUnauthenticated, "Refresh token invalid or expired.")
	clk.advance(2 * time.Hour)
	_, err = c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: replaced.RefreshToken})
	wantCode(t, err, core.CodeUnauthenticated, "Refresh token invalid or expired.")
}
