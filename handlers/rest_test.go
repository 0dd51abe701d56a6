package handlers

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestHealthcheckNeedsNoAuth(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.do("GET", "/healthcheck", noAuth, "")
	if r.status != 200 || strings.TrimSpace(string(r.body)) != "{}" {
		t.Fatalf("healthcheck = %d %s", r.status, r.body)
	}
}

func TestServesSpec(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	resp, err := http.Get(h.srv.URL + "/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "yaml") {
		t.Fatalf("GET /openapi.yaml = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestAuthenticateDeviceFlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// lowerCamelCase and snake_case both work; vars keys are data and keep their casing.
	r := h.do("POST", "/v2/account/authenticate/device?create=true&username=alice", serverKey(testServerKey),
		`{"id":"alice-device-1","vars":{"someKey":"v"},"unknownField":1}`)
	if r.status != 200 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if m["created"] != true || m["token"] == nil || m["refresh_token"] == nil {
		t.Fatalf("create session = %s", r.body)
	}
	claims := jwtClaims(t, m["token"].(string))
	if claims["usn"] != "alice" || claims["vrs"].(map[string]any)["someKey"] != "v" || claims["uid"] == nil || claims["tid"] == nil || claims["exp"] == nil || claims["iat"] == nil {
		t.Fatalf("claims = %v", claims)
	}

	r = h.do("POST", "/v2/account/authenticate/device", serverKey(testServerKey), `{"id":"alice-device-1"}`)
	m2 := r.json(t)
	if r.status != 200 || m2["created"] != nil {
		t.Fatalf("login: %d %s (created must be omitted when false)", r.status, r.body)
	}
	if jwtClaims(t, m2["token"].(string))["uid"] != claims["uid"] {
		t.Fatal("login landed on another account")
	}

	acct := h.do("GET", "/v2/account", bearer(m2["token"].(string)), "")
	if acct.status != 200 {
		t.Fatalf("get account: %d %s", acct.status, acct.body)
	}
	a := acct.json(t)
	user := a["user"].(map[string]any)
	if user["id"] != claims["uid"] || user["username"] != "alice" || a["wallet"] != "{}" || user["metadata"] != "{}" || user["lang_tag"] != "en" {
		t.Fatalf("account = %s", acct.body)
	}
	if devices := a["devices"].([]any); len(devices) != 1 || devices[0].(map[string]any)["id"] != "alice-device-1" {
		t.Fatalf("devices = %v", a["devices"])
	}
	// Nakama renders REST times in whole seconds.
	if ct := user["create_time"].(string); strings.Contains(ct, ".") || !strings.HasSuffix(ct, "Z") {
		t.Fatalf("create_time = %q, want whole-second RFC 3339 UTC", ct)
	}
	for _, absent := range []string{"email", "custom_id", "verify_time", "disable_time"} {
		if _, ok := a[absent]; ok {
			t.Fatalf("account has %q; zero values must be omitted: %s", absent, acct.body)
		}
	}
}

func TestAuthenticateEmailAndCustom(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.do("POST", "/v2/account/authenticate/email?create=true", serverKey(testServerKey), `{"email":"Mixed.Case@Example.com","password":"password123"}`)
	if r.status != 200 || r.json(t)["created"] != true {
		t.Fatalf("email create: %d %s", r.status, r.body)
	}
	token := r.json(t)["token"].(string)
	a := h.do("GET", "/v2/account", bearer(token), "").json(t)
	if a["email"] != "mixed.case@example.com" {
		t.Fatalf("email = %v", a["email"])
	}
	wantError(t, h.do("POST", "/v2/account/authenticate/email", serverKey(testServerKey), `{"email":"mixed.case@example.com","password":"wrong-password"}`),
		401, 16, "Invalid credentials.")

	r = h.do("POST", "/v2/account/authenticate/custom?username=custom%20person", serverKey(testServerKey), `{"id":"custom-id-1"}`)
	if r.status != 200 {
		t.Fatalf("custom: %d %s", r.status, r.body)
	}
	a = h.do("GET", "/v2/account", bearer(r.json(t)["token"].(string)), "").json(t)
	if a["custom_id"] != "custom-id-1" || a["user"].(map[string]any)["username"] != "custom person" {
		t.Fatalf("custom account = %v", a)
	}
}

func TestAuthenticateRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.authDevice("existing-device-1")
	h.do("POST", "/v2/account/authenticate/device?username=taken", serverKey(testServerKey), `{"id":"existing-device-2"}`)
	tests := []struct {
		name    string
		path    string
		cred    credential
		body    string
		status  int
		code    int
		message string
	}{
		{"no server key", "/v2/account/authenticate/device", noAuth, `{"id":"device-000001"}`, 401, 16, "Server key required"},
		{"wrong server key", "/v2/account/authenticate/device", serverKey("nope"), `{"id":"device-000001"}`, 401, 16, "Server key invalid"},
		{"bearer instead of basic", "/v2/account/authenticate/device", header("Bearer x"), `{"id":"device-000001"}`, 401, 16, "Server key invalid"},
		{"basic not base64", "/v2/account/authenticate/device", header("Basic !!!"), `{"id":"device-000001"}`, 401, 16, "Server key invalid"},
		{"short device id", "/v2/account/authenticate/device", serverKey(testServerKey), `{"id":"short"}`, 400, 3, "Device ID invalid, must be 10-128 bytes."},
		{"missing device id", "/v2/account/authenticate/device", serverKey(testServerKey), `{}`, 400, 3, "Device ID is required."},
		{"empty body", "/v2/account/authenticate/device", serverKey(testServerKey), ``, 400, 3, "Device ID is required."},
		{"null device id", "/v2/account/authenticate/device", serverKey(testServerKey), `{"id":null}`, 400, 3, "Device ID is required."},
		{"device id wrong type", "/v2/account/authenticate/device", serverKey(testServerKey), `{"id":12345678901}`, 400, 3, `Invalid value for field "id": value must be a string.`},
		{"vars wrong type", "/v2/account/authenticate/device", serverKey(testServerKey), `{"id":"device-000001","vars":{"a":1}}`, 400, 3, `Invalid value for field "vars.a": value must be a string.`},
		{"body not an object", "/v2/account/authenticate/device", serverKey(testServerKey), `"device-000001"`, 400, 3, `Invalid value for field "body": value must be an object.`},
		{"malformed json", "/v2/account/authenticate/device", serverKey(testServerKey), `{"id":`, 400, 3, "Request body is not valid JSON."},
		{"create not boolean", "/v2/account/authenticate/device?create=maybe", serverKey(testServerKey), `{"id":"device-000001"}`, 400, 3, `Invalid value for parameter "create": value has the wrong type.`},
		{"no create, unknown", "/v2/account/authenticate/device?create=false", serverKey(testServerKey), `{"id":"device-unknown1"}`, 404, 5, "User account not found."},
		{"username taken", "/v2/account/authenticate/device?username=taken", serverKey(testServerKey), `{"id":"device-new-001"}`, 409, 6, "Username is already in use."},
		{"username with newline", "/v2/account/authenticate/device?username=a%0Ab", serverKey(testServerKey), `{"id":"device-new-002"}`, 400, 3, "Username invalid, no spaces or control characters allowed."},
		{"custom id short", "/v2/account/authenticate/custom", serverKey(testServerKey), `{"id":"abc"}`, 400, 3, "Custom ID invalid, must be 6-128 bytes."},
		{"email malformed", "/v2/account/authenticate/email", serverKey(testServerKey), `{"email":"nobody-at-all","password":"password1"}`, 400, 3, "Invalid email address format."},
		{"password short", "/v2/account/authenticate/email", serverKey(testServerKey), `{"email":"someone@example.com","password":"1234"}`, 400, 3, "Password must be at least 8 characters long."},
		{"body too large", "/v2/account/authenticate/device", serverKey(testServerKey), `{"id":"device-000001","vars":{"x":"` + strings.Repeat("x", 5000) + `"}}`, 400, 3, "Request body too large."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h.do("POST", tc.path, tc.cred, tc.body), tc.status, tc.code, tc.message)
		})
	}
}

func TestBearerRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, refresh := h.authDevice("bearer-device-1")
	parts := strings.Split(token, ".")
	tests := []struct {
		name    string
		cred    credential
		message string
	}{
		{"missing", noAuth, "Auth token required"},
		{"garbage", bearer("garbage"), "Auth token invalid"},
		{"no scheme", header(token), "Auth token invalid"},
		{"basic", serverKey(testServerKey), "Auth token invalid"},
		{"refresh token", bearer(refresh), "Auth token invalid"},
		{"tampered", bearer(parts[0] + "." + parts[1] + "x." + parts[2]), "Auth token invalid"},
		{"alg none", bearer(parts[0][:0] + base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."), "Auth token invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h.do("GET", "/v2/account", tc.cred, ""), 401, 16, tc.message)
		})
	}
}

func TestSessionRefresh(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, refresh := h.authDevice("refresh-device-1")
	r := h.do("POST", "/v2/account/session/refresh", serverKey(testServerKey), `{"token":"`+refresh+`","vars":{"level":"3"}}`)
	if r.status != 200 {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if jwtClaims(t, m["token"].(string))["uid"] != jwtClaims(t, token)["uid"] || jwtClaims(t, m["token"].(string))["vrs"].(map[string]any)["level"] != "3" {
		t.Fatalf("refreshed session = %s", r.body)
	}
	if h.do("GET", "/v2/account", bearer(m["token"].(string)), "").status != 200 {
		t.Fatal("refreshed token refused")
	}
	wantError(t, h.do("POST", "/v2/account/session/refresh", serverKey(testServerKey), `{"token":"`+token+`"}`), 401, 16, "Refresh token invalid or expired.")
	wantError(t, h.do("POST", "/v2/account/session/refresh", serverKey(testServerKey), `{}`), 400, 3, "Refresh token is required.")
	wantError(t, h.do("POST", "/v2/account/session/refresh", noAuth, `{"token":"`+refresh+`"}`), 401, 16, "Server key required")
}

func TestUpdateAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, _ := h.authDevice("update-device-1")
	h.do("POST", "/v2/account/authenticate/device?username=occupied", serverKey(testServerKey), `{"id":"update-device-2"}`)

	r := h.do("PUT", "/v2/account", bearer(token), `{"username":"renamed","displayName":"Display","avatar_url":"https://a/b.png","langTag":"pt-BR","location":"Lisbon","timezone":"Europe/Lisbon"}`)
	if r.status != 200 || strings.TrimSpace(string(r.body)) != "{}" {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	u := h.do("GET", "/v2/account", bearer(token), "").json(t)["user"].(map[string]any)
	want := map[string]string{"username": "renamed", "display_name": "Display", "avatar_url": "https://a/b.png", "lang_tag": "pt-BR", "location": "Lisbon", "timezone": "Europe/Lisbon"}
	for k, v := range want {
		if u[k] != v {
			t.Fatalf("user.%s = %v, want %q (user %v)", k, u[k], v, u)
		}
	}
	wantError(t, h.do("PUT", "/v2/account", bearer(token), `{"username":"occupied"}`), 400, 3, "Username is already in use.")
	wantError(t, h.do("PUT", "/v2/account", bearer(token), `{}`), 400, 3, "No fields to update.")
	wantError(t, h.do("PUT", "/v2/account", bearer(token), `{"display_name":"a","displayName":"b"}`), 400, 3, `Invalid value for field "display_name": given more than once (in two spellings).`)
	wantError(t, h.do("PUT", "/v2/account", bearer(token), `{"display_name":7}`), 400, 3, `Invalid value for field "display_name": value must be a string.`)
	wantError(t, h.do("PUT", "/v2/account", bearer(token), `{"lang_tag":"`+strings.Repeat("x", 19)+`"}`), 400, 3, "Lang tag invalid, must be at most 18 characters.")
	wantError(t, h.do("PUT", "/v2/account", noAuth, `{"username":"x"}`), 401, 16, "Auth token required")
}

func TestRoutingErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, _ := h.authDevice("routing-device-1")
	wantError(t, h.do("GET", "/v2/no/such/path", bearer(token), ""), 404, 5, "Not Found")
	wantError(t, h.do("POST", "/v2/account", bearer(token), "{}"), 501, 12, "Method Not Allowed")
	wantError(t, h.do("PATCH", "/healthcheck", noAuth, ""), 501, 12, "Method Not Allowed")
	// Operations of areas not built yet refuse clearly rather than answer wrongly.
	wantError(t, h.do("GET", "/v2/match", bearer(token), ""), 501, 12, "Not implemented yet.")
	// Trailing bytes after the JSON body are accepted, as in Nakama.
	if r := h.do("PUT", "/v2/account", bearer(token), `{"location":"here"} trailing`); r.status != 200 {
		t.Fatalf("trailing bytes: %d %s", r.status, r.body)
	}
}

// jwtClaims decodes a token's claims without verifying it, as clients do.
func jwtClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
