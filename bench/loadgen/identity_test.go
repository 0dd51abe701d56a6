package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeBcrypt stands in for one bcrypt comparison: longer than emailMinSignIn, so the
// scenario's check that the server hashes at a realistic cost passes.
const fakeBcrypt = 2 * emailMinSignIn

// fakeEmailPasswords holds the fake's email passwords (fakeNakama has no field for them).
var fakeEmailPasswords = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// isIdentityPath reports whether serveIdentity answers r.
func isIdentityPath(r *http.Request) bool {
	switch r.URL.Path {
	case "/v2/account/session/refresh", "/v2/account/authenticate/email", "/v2/user":
		return true
	}
	return false
}

// serveIdentity answers session refresh, email authenticate and GET /v2/user the way
// Nakama does, well enough to check the identity scenarios. Email accounts live in
// f.devices under "email:<address>".
func (f *fakeNakama) serveIdentity(w http.ResponseWriter, r *http.Request) {
	basic := func() bool {
		if u, p, ok := r.BasicAuth(); !ok || u != "defaultkey" || p != "" {
			http.Error(w, `{"code":16,"message":"Server key invalid"}`, http.StatusUnauthorized)
			return false
		}
		return true
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v2/account/session/refresh":
		if !basic() {
			return
		}
		var body struct{ Token string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Token != "r" {
			http.Error(w, `{"code":16,"message":"Refresh token invalid or expired."}`, http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"token": fakeToken("user-refreshed"), "refresh_token": "r"})
	case r.Method == http.MethodPost && r.URL.Path == "/v2/account/authenticate/email":
		if !basic() {
			return
		}
		var body struct{ Email, Password string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Email == "" || len(body.Password) < 8 {
			http.Error(w, `{"code":3,"message":"Invalid email address format."}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		uid, found := f.devices["email:"+body.Email]
		if !found && r.URL.Query().Get("create") == "true" {
			uid = "user-" + strconv.Itoa(len(f.devices))
			f.devices["email:"+body.Email] = uid
			fakeEmailPasswords.Lock()
			fakeEmailPasswords.m[body.Email] = body.Password
			fakeEmailPasswords.Unlock()
		}
		var tok string
		if uid != "" {
			tok = fakeToken(uid)
			f.tokens[tok] = uid
		}
		f.mu.Unlock()
		if uid == "" {
			http.Error(w, `{"code":5,"message":"User account not found."}`, http.StatusNotFound)
			return
		}
		if found {
			time.Sleep(fakeBcrypt)
			fakeEmailPasswords.Lock()
			ok := fakeEmailPasswords.m[body.Email] == body.Password
			fakeEmailPasswords.Unlock()
			if !ok {
				http.Error(w, `{"code":16,"message":"Invalid credentials."}`, http.StatusUnauthorized)
				return
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"token": tok, "refresh_token": "r", "created": !found})
	case r.Method == http.MethodGet && r.URL.Path == "/v2/user":
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.tokens[tok]; !ok {
			http.Error(w, `{"code":16,"message":"Auth token invalid"}`, http.StatusUnauthorized)
			return
		}
		known := map[string]bool{}
		for _, uid := range f.devices {
			known[uid] = true
		}
		users := []map[string]string{}
		seen := map[string]bool{}
		for _, id := range r.URL.Query()["ids"] {
			if known[id] && !seen[id] {
				seen[id] = true
				users = append(users, map[string]string{"id": id, "username": "u-" + id})
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"users": users})
	default:
		http.Error(w, `{"code":5,"message":"Not Found"}`, http.StatusNotFound)
	}
}

// TestIdentityScenariosAgainstFake runs the identity scenarios' setup and one short run
// against the fake, with identity routes answered by serveIdentity.
func TestIdentityScenariosAgainstFake(t *testing.T) {
	fake := &fakeNakama{devices: map[string]string{}, tokens: map[string]string{}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isIdentityPath(r) {
			fake.serveIdentity(w, r)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer ts.Close()
	target := newTarget(strings.TrimPrefix(ts.URL, "http://"), "defaultkey", 4, 5*time.Second)
	cfg := LoadConfig{Clients: 4, Warmup: 50 * time.Millisecond, Duration: 500 * time.Millisecond, MaxOps: 1_000_000}
	sampler := &cpuSampler{fs: procFS{Root: "/proc"}}

	for _, sc := range []Scenario{sessionRefresh(), usersGet10(), authEmailExisting()} {
		t.Run(sc.Name, func(t *testing.T) {
			env := &Env{Target: target, RunID: randomID(), Accounts: 20, Workers: 4}
			if err := sc.Setup(context.Background(), env); err != nil {
				t.Fatalf("setup: %v", err)
			}
			res, err := runOnce(context.Background(), sc, target, cfg, sampler, 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			if res.Ops == 0 || res.Errors != 0 || len(res.ErrorSamples) != 0 {
				t.Fatalf("ops %d errors %d %q, want ops and no errors", res.Ops, res.Errors, res.ErrorSamples)
			}
		})
	}
}

// TestAuthEmailRefusesLowCost: a server that answers a password sign-in faster than any
// bcrypt at cost 13 could fails the scenario's setup instead of producing numbers.
func TestAuthEmailRefusesLowCost(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"token": fakeToken("u"), "refresh_token": "r",
			"created": r.URL.Query().Get("create") == "true"})
	}))
	defer ts.Close()
	target := newTarget(strings.TrimPrefix(ts.URL, "http://"), "defaultkey", 4, 5*time.Second)
	err := authEmailExisting().Setup(context.Background(), &Env{Target: target, RunID: randomID(), Accounts: 20, Workers: 4})
	if err == nil || !strings.Contains(err.Error(), "bcrypt cost is far below 13") {
		t.Fatalf("setup error %v, want the low bcrypt cost refusal", err)
	}
}

// TestAuthEmailRefusesCostFromEnvironment: the started server inherits the environment.
func TestAuthEmailRefusesCostFromEnvironment(t *testing.T) {
	t.Setenv("HEARTH_SECURITY_BCRYPT_COST", "4")
	err := authEmailExisting().Setup(context.Background(), &Env{RunID: randomID(), Accounts: 20, Workers: 4})
	if err == nil || !strings.Contains(err.Error(), "HEARTH_SECURITY_BCRYPT_COST=4") {
		t.Fatalf("setup error %v, want the environment refusal", err)
	}
}
