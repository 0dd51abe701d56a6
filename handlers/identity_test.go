package handlers

import (
	"net/url"
	"strings"
	"testing"
)

func TestLinkUnlinkOverREST(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, _ := h.authDevice("rest-link-device-1")
	h.authDevice("rest-link-device-9")
	ok := func(method, path, body string) {
		t.Helper()
		r := h.do(method, path, bearer(token), body)
		if r.status != 200 || strings.TrimSpace(string(r.body)) != "{}" {
			t.Fatalf("%s %s: %d %s", method, path, r.status, r.body)
		}
	}
	ok("POST", "/v2/account/link/custom", `{"id":"rest-custom-1"}`)
	ok("POST", "/v2/account/link/email", `{"email":"rest@example.com","password":"password-1"}`)
	ok("POST", "/v2/account/link/device", `{"id":"rest-link-device-2"}`)
	wantError(t, h.do("POST", "/v2/account/link/device", bearer(token), `{"id":"rest-link-device-9"}`), 409, 6, "Device ID already in use.")
	wantError(t, h.do("POST", "/v2/account/link/custom", bearer(token), `{"id":"x"}`), 400, 3, "Invalid custom ID, must be 6-128 bytes.")
	wantError(t, h.do("POST", "/v2/account/link/custom", noAuth, `{"id":"rest-custom-2"}`), 401, 16, "Auth token required")

	a := h.do("GET", "/v2/account", bearer(token), "").json(t)
	if a["custom_id"] != "rest-custom-1" || a["email"] != "rest@example.com" || len(a["devices"].([]any)) != 2 {
		t.Fatalf("account after links = %v", a)
	}
	ok("POST", "/v2/account/unlink/custom", `{"id":"rest-custom-1"}`)
	ok("POST", "/v2/account/unlink/email", `{}`)
	ok("POST", "/v2/account/unlink/device", `{"id":"rest-link-device-2"}`)
	msg := "Cannot unlink last account identifier. Check profile exists and is not last link."
	wantError(t, h.do("POST", "/v2/account/unlink/device", bearer(token), `{"id":"rest-link-device-1"}`), 403, 7, msg)
	wantError(t, h.do("POST", "/v2/account/unlink/custom", bearer(token), `{}`), 403, 7, msg)
	wantError(t, h.do("POST", "/v2/account/unlink/device", bearer(token), `{}`), 400, 3, "A device ID must be supplied.")
}

func TestSocialProvidersNotConfigured(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, _ := h.authDevice("social-none-device")
	cases := []struct{ path, body, message string }{
		{"/v2/account/authenticate/apple", `{"token":"x"}`, "Apple authentication is not configured."},
		{"/v2/account/authenticate/steam", `{"token":"abcd"}`, "Steam authentication is not configured."},
		{"/v2/account/authenticate/facebookinstantgame", `{"signed_player_info":"a.b"}`, "Facebook Instant Game authentication is not configured."},
	}
	for _, tc := range cases {
		wantError(t, h.do("POST", tc.path, serverKey(testServerKey), tc.body), 400, 9, tc.message)
	}
	wantError(t, h.do("POST", "/v2/account/link/apple", bearer(token), `{"token":"x"}`), 400, 9, "Apple authentication is not configured.")
	wantError(t, h.do("POST", "/v2/account/link/steam", bearer(token), `{"account":{"token":"abcd"},"sync":true}`), 400, 9, "Steam authentication is not configured.")
	wantError(t, h.do("POST", "/v2/account/authenticate/google", serverKey(testServerKey), `{}`), 400, 3, "Google access token is required.")
	wantError(t, h.do("POST", "/v2/account/authenticate/gamecenter", serverKey(testServerKey), `{"player_id":"p"}`), 400, 3, "GameCenter bundle ID is required.")
	wantError(t, h.do("POST", "/v2/account/authenticate/gamecenter", serverKey(testServerKey),
		`{"player_id":"p","bundle_id":"b","public_key_url":"https://static.gc.apple.com/x.cer","salt":"c2FsdA==","signature":"c2ln","timestamp_seconds":"nope"}`),
		400, 3, `Invalid value for field "timestamp_seconds": must be a whole number within int64 range.`)
}

func TestLogoutOverREST(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, refresh := h.authDevice("rest-logout-device")
	r := h.do("POST", "/v2/session/logout", bearer(token), `{"token":"`+token+`","refresh_token":"`+refresh+`"}`)
	if r.status != 200 {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	wantError(t, h.do("GET", "/v2/account", bearer(token), ""), 401, 16, "Auth token invalid")
	wantError(t, h.do("POST", "/v2/account/session/refresh", serverKey(testServerKey), `{"token":"`+refresh+`"}`), 401, 16, "Refresh token invalid or expired.")

	other, _ := h.authDevice("rest-logout-other")
	wantError(t, h.do("POST", "/v2/session/logout", bearer(other), `{"token":"`+token+`"}`), 400, 3, "Session token invalid.")
}

func TestGetUsersAndDeleteAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, _ := h.authDevice("rest-users-device-1")
	h.do("POST", "/v2/account/authenticate/device?username=findme", serverKey(testServerKey), `{"id":"rest-users-device-2"}`)
	me := h.do("GET", "/v2/account", bearer(token), "").json(t)["user"].(map[string]any)

	q := url.Values{"ids": {me["id"].(string), "00000000-0000-0000-0000-0000000000aa"}, "usernames": {"findme", me["username"].(string)}}
	r := h.do("GET", "/v2/user?"+q.Encode(), bearer(token), "")
	users := r.json(t)["users"].([]any)
	if r.status != 200 || len(users) != 2 {
		t.Fatalf("get users: %d %s", r.status, r.body)
	}
	// camelCase query names work too.
	r = h.do("GET", "/v2/user?facebookIds=nope&usernames=findme", bearer(token), "")
	if users := r.json(t)["users"].([]any); len(users) != 1 || users[0].(map[string]any)["username"] != "findme" {
		t.Fatalf("get users by camelCase params: %s", r.body)
	}
	if r := h.do("GET", "/v2/user", bearer(token), ""); r.status != 200 || strings.TrimSpace(string(r.body)) != "{}" {
		t.Fatalf("no selectors: %d %s", r.status, r.body)
	}
	wantError(t, h.do("GET", "/v2/user?ids=not-a-uuid", bearer(token), ""), 400, 3, "ID 'not-a-uuid' is not a valid system ID.")

	if r := h.do("DELETE", "/v2/account", bearer(token), ""); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	wantError(t, h.do("GET", "/v2/account", bearer(token), ""), 401, 16, "Auth token invalid")
}
