package social

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const testAppSecret = "fbig-app-secret"

// signPlayerInfo builds signed player info as Facebook does: base64url HMAC-SHA256 of the
// base64url payload, a dot, the payload.
func signPlayerInfo(t testing.TB, secret string, payload map[string]any) string {
	t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	p := base64.RawURLEncoding.EncodeToString(raw)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(p))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)) + "." + p
}

func TestFacebookInstant(t *testing.T) {
	c, clock := newTestClient(t, Config{FacebookInstantGame: FacebookInstantGameConfig{AppSecret: testAppSecret}}, noNetwork(t))
	now := clock.Now()
	payload := func(change func(map[string]any)) map[string]any {
		p := map[string]any{
			"algorithm":       "HMAC-SHA256",
			"issued_at":       now.Unix(),
			"player_id":       "1841137985980345",
			"request_payload": "my_metadata",
		}
		if change != nil {
			change(p)
		}
		return p
	}
	valid := signPlayerInfo(t, testAppSecret, payload(nil))
	sig, body, _ := strings.Cut(valid, ".")

	for _, tc := range []struct {
		name string
		info string
		want error
	}{
		{"valid", valid, nil},
		{"padded base64", func() string {
			p := body + strings.Repeat("=", (4-len(body)%4)%4)
			mac := hmac.New(sha256.New, []byte(testAppSecret))
			mac.Write([]byte(p)) // the signature covers the segment as sent, padding and all
			return base64.URLEncoding.EncodeToString(mac.Sum(nil)) + "." + p
		}(), nil},
		{"padded signature", sig + "=." + body, nil},
		{"a little in the future", signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { p["issued_at"] = now.Add(time.Minute).Unix() })), nil},
		{"nearly an hour old", signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { p["issued_at"] = now.Add(-59 * time.Minute).Unix() })), nil},
		{"wrong secret", signPlayerInfo(t, "another-secret", payload(nil)), ErrInvalid},
		{"tampered payload", sig + "." + strings.SplitN(signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { p["player_id"] = "1" })), ".", 2)[1], ErrInvalid},
		{"tampered signature", "A" + sig[1:] + "." + body, ErrInvalid},
		{"stale", signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { p["issued_at"] = now.Add(-2 * time.Hour).Unix() })), ErrInvalid},
		{"far future", signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { p["issued_at"] = now.Add(time.Hour).Unix() })), ErrInvalid},
		{"no issued_at", signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { delete(p, "issued_at") })), ErrInvalid},
		{"no player_id", signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { delete(p, "player_id") })), ErrInvalid},
		{"other algorithm", signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { p["algorithm"] = "HMAC-SHA1" })), ErrInvalid},
		{"no algorithm", signPlayerInfo(t, testAppSecret, payload(func(p map[string]any) { delete(p, "algorithm") })), ErrInvalid},
		{"signed but not json", func() string {
			p := base64.RawURLEncoding.EncodeToString([]byte("not json"))
			mac := hmac.New(sha256.New, []byte(testAppSecret))
			mac.Write([]byte(p))
			return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)) + "." + p
		}(), ErrInvalid},
		{"no dot", sig + body, ErrInvalid},
		{"three segments", valid + ".x", ErrInvalid},
		{"bad base64 signature", "!!!." + body, ErrInvalid},
		{"empty", "", ErrInvalid},
		{"huge", strings.Repeat("a", 20<<10) + "." + body, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, err := c.FacebookInstant(tc.info)
			wantKind(t, err, tc.want)
			if err == nil && id != "1841137985980345" {
				t.Fatalf("player id = %q", id)
			}
		})
	}
}

func TestFacebookInstantNoAgeLimit(t *testing.T) {
	c, clock := newTestClient(t, Config{FacebookInstantGame: FacebookInstantGameConfig{AppSecret: testAppSecret, MaxAgeSec: -1}}, noNetwork(t))
	info := signPlayerInfo(t, testAppSecret, map[string]any{
		"algorithm": "HMAC-SHA256", "player_id": "42", "issued_at": clock.Now().Add(-30 * 24 * time.Hour).Unix(),
	})
	if id, err := c.FacebookInstant(info); err != nil || id != "42" {
		t.Fatalf("FacebookInstant = %q, %v", id, err)
	}
}

func TestFacebookInstantNotConfigured(t *testing.T) {
	// Nakama verifies against an empty key here, so anyone could sign; Hearth refuses.
	c := New(Config{}, noNetwork(t))
	_, err := c.FacebookInstant(signPlayerInfo(t, "", map[string]any{
		"algorithm": "HMAC-SHA256", "player_id": "42", "issued_at": time.Now().Unix(),
	}))
	wantKind(t, err, ErrNotConfigured)
}

// FuzzFacebookInstant checks that no input panics, every refusal is ErrInvalid, and
// nothing is accepted unless it carries the app secret's signature.
func FuzzFacebookInstant(f *testing.F) {
	now := time.Now()
	f.Add(signPlayerInfo(f, testAppSecret, map[string]any{"algorithm": "HMAC-SHA256", "player_id": "1", "issued_at": now.Unix()}))
	f.Add(signPlayerInfo(f, "x", map[string]any{"algorithm": "HMAC-SHA256", "player_id": "1", "issued_at": now.Unix()}))
	f.Add("a.b")
	f.Add(".")
	f.Add("")
	f.Fuzz(func(t *testing.T, info string) {
		c := New(Config{FacebookInstantGame: FacebookInstantGameConfig{AppSecret: testAppSecret}}, nil)
		c.now = func() time.Time { return now }
		id, err := c.FacebookInstant(info)
		if err != nil {
			wantKind(t, err, ErrInvalid)
			return
		}
		sig, payload, _ := strings.Cut(info, ".")
		mac := hmac.New(sha256.New, []byte(testAppSecret))
		mac.Write([]byte(payload))
		got, _ := decodeB64URL(sig)
		if id == "" || !hmac.Equal(got, mac.Sum(nil)) {
			t.Fatalf("accepted %q as %q without a valid signature", info, id)
		}
	})
}
