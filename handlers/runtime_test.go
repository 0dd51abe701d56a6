package handlers

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	nkapi "github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/hooks"
	"github.com/hearth-server/hearth/nk"
)

// testModule registers what the runtime REST tests drive: RPCs that echo, report their
// context and fail in each way, hooks that change, reject and observe requests, and an
// event handler.
type testModule struct {
	events   chan *nkapi.Event
	eventCtx chan context.Context
	after    chan string
}

func (m *testModule) init(ctx context.Context, logger runtime.Logger, db *sql.DB, n runtime.NakamaModule, init runtime.Initializer) error {
	rpcs := map[string]func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, payload string) (string, error){
		"Echo": func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, payload string) (string, error) {
			return payload, nil
		},
		"whoami": func(ctx context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, _ string) (string, error) {
			out := map[string]any{}
			for _, k := range []string{runtime.RUNTIME_CTX_USER_ID, runtime.RUNTIME_CTX_USERNAME, runtime.RUNTIME_CTX_MODE, runtime.RUNTIME_CTX_NODE, runtime.RUNTIME_CTX_CLIENT_IP, runtime.RUNTIME_CTX_USER_SESSION_EXP, runtime.RUNTIME_CTX_QUERY_PARAMS, runtime.RUNTIME_CTX_ENV} {
				out[k] = ctx.Value(k)
			}
			if h, ok := ctx.Value(runtime.RUNTIME_CTX_HEADERS).(map[string][]string); ok {
				out["x-test"] = h["X-Test"]
			}
			raw, err := json.Marshal(out)
			return string(raw), err
		},
		"refuse": func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, string) (string, error) {
			return "", runtime.NewError("not today", 7)
		},
		"badcode": func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, string) (string, error) {
			return "", runtime.NewError("odd code", 99)
		},
		"plain": func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, string) (string, error) {
			return "", errors.New("plain failure")
		},
		"panics": func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, string) (string, error) {
			panic("module bug")
		},
		"account": func(ctx context.Context, _ runtime.Logger, _ *sql.DB, n runtime.NakamaModule, _ string) (string, error) {
			id, _ := ctx.Value(runtime.RUNTIME_CTX_USER_ID).(string)
			a, err := n.AccountGetId(ctx, id)
			if err != nil {
				return "", err
			}
			return a.User.Username, nil
		},
	}
	for id, fn := range rpcs {
		if err := init.RegisterRpc(id, fn); err != nil {
			return err
		}
	}
	if err := init.RegisterBeforeAuthenticateCustom(func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, in *nkapi.AuthenticateCustomRequest) (*nkapi.AuthenticateCustomRequest, error) {
		switch in.Account.Id {
		case "blocked-custom-id":
			return nil, runtime.NewError("This id is blocked.", 3)
		case "disabled-custom-id":
			return nil, nil
		}
		in.Username = "hooked-" + in.Account.Id // the hook changes the request
		return in, nil
	}); err != nil {
		return err
	}
	if err := init.RegisterAfterGetAccount(func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, out *nkapi.Account) error {
		m.after <- out.User.Username
		return errors.New("after hooks' errors are only logged")
	}); err != nil {
		return err
	}
	if err := init.RegisterAfterGetUsers(func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, out *nkapi.Users, in *nkapi.GetUsersRequest) error {
		// GetUsers answers with a hand-written body (listjson.go): the hook still sees it.
		if len(out.Users) == 1 && len(in.Usernames) == 1 {
			m.after <- "users:" + out.Users[0].Username
		}
		return nil
	}); err != nil {
		return err
	}
	if err := init.RegisterBeforeUpdateAccount(func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, in *nkapi.UpdateAccountRequest) (*nkapi.UpdateAccountRequest, error) {
		if in.DisplayName != nil {
			in.DisplayName.Value = strings.ToUpper(in.DisplayName.Value)
		}
		return in, nil
	}); err != nil {
		return err
	}
	return init.RegisterEvent(func(ctx context.Context, _ runtime.Logger, evt *nkapi.Event) {
		m.eventCtx <- ctx
		m.events <- evt
	})
}

func newRuntimeHarness(t *testing.T) (*harness, *testModule) {
	t.Helper()
	m := &testModule{events: make(chan *nkapi.Event, 4), eventCtx: make(chan context.Context, 4), after: make(chan string, 4)}
	h := newHarnessWith(t, func(c *core.Core) hooks.REST {
		rt, err := nk.New(context.Background(), nk.Options{
			Core: c, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Node: "test-node",
			Env: map[string]string{"region": "eu"}, Modules: []nk.InitModule{m.init},
		})
		if err != nil {
			t.Fatal(err)
		}
		rt.Start()
		t.Cleanup(func() { rt.Stop(context.Background()) })
		return rt
	})
	return h, m
}

func TestRPC(t *testing.T) {
	h, _ := newRuntimeHarness(t)
	token, _ := h.authDevice("rpc-device-01")

	r := h.do("POST", "/v2/rpc/echo", bearer(token), `"{\"hello\":\"world\"}"`)
	if r.status != 200 || r.json(t)["payload"] != `{"hello":"world"}` {
		t.Fatalf("echo: %d %s", r.status, r.body)
	}
	r = h.do("POST", "/v2/rpc/ECHO?http_key="+testHTTPKey, noAuth, `"x"`)
	if r.status != 200 || r.json(t)["payload"] != "x" {
		t.Fatalf("echo with http_key, id in capitals: %d %s", r.status, r.body)
	}
	r = h.do("GET", "/v2/rpc/echo?payload=%22q%22", bearer(token), "")
	if r.status != 200 || r.json(t)["payload"] != `"q"` {
		t.Fatalf("GET echo passes the payload: %d %s", r.status, r.body)
	}
	r = h.do("POST", "/v2/rpc/echo", bearer(token), "")
	if r.status != 200 || r.json(t)["payload"] != nil {
		t.Fatalf("empty body is an empty payload: %d %s", r.status, r.body)
	}
	r = h.do("POST", "/v2/rpc/account", bearer(token), `""`)
	if r.status != 200 || r.json(t)["payload"] == "" {
		t.Fatalf("nk call inside an RPC: %d %s", r.status, r.body)
	}

	wantError(t, h.do("POST", "/v2/rpc/refuse", bearer(token), `""`), 403, 7, "not today")
	wantError(t, h.do("POST", "/v2/rpc/badcode", bearer(token), `""`), 500, 13, "odd code")
	wantError(t, h.do("POST", "/v2/rpc/plain", bearer(token), `""`), 500, 13, "plain failure")
	wantError(t, h.do("POST", "/v2/rpc/panics", bearer(token), `""`), 500, 13, "Internal server error.")
	wantError(t, h.do("POST", "/v2/rpc/missing", bearer(token), `""`), 404, 5, "RPC function not found")
	wantError(t, h.do("POST", "/v2/rpc/echo", noAuth, `""`), 401, 16, "Auth token or HTTP key required")
	wantError(t, h.do("POST", "/v2/rpc/echo?http_key=wrong", noAuth, `""`), 401, 16, "HTTP key invalid")
	wantError(t, h.do("POST", "/v2/rpc/echo", bearer("garbage"), `""`), 401, 16, "Auth token invalid")
	if r := h.do("POST", "/v2/rpc/echo", bearer(token), `{"not":"a string"}`); r.status != 400 {
		t.Fatalf("object body: %d %s", r.status, r.body)
	}
}

func TestRPCContext(t *testing.T) {
	h, _ := newRuntimeHarness(t)
	token, _ := h.authDevice("rpc-device-02")
	claims := jwtClaims(t, token)

	req, _ := http.NewRequest("POST", h.srv.URL+"/v2/rpc/whoami?a=1&http_key=ignored", strings.NewReader(`""`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Test", "yes")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var wrapped struct{ Payload string }
	if err := json.NewDecoder(resp.Body).Decode(&wrapped); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(wrapped.Payload), &got); err != nil {
		t.Fatalf("%v: %q", err, wrapped.Payload)
	}
	if got["user_id"] != claims["uid"] || got["execution_mode"] != "rpc" || got["node"] != "test-node" || got["client_ip"] != "127.0.0.1" {
		t.Fatalf("context: %v", got)
	}
	if exp, _ := got["user_session_exp"].(float64); int64(exp) != int64(claims["exp"].(float64)) {
		t.Fatalf("expiry: %v", got)
	}
	q, _ := got["query_params"].(map[string]any)
	if _, leaked := q["http_key"]; leaked || q["a"] == nil {
		t.Fatalf("query params: %v", q)
	}
	if env, _ := got["env"].(map[string]any); env["region"] != "eu" {
		t.Fatalf("env: %v", got["env"])
	}
	if x, _ := got["x-test"].([]any); len(x) != 1 || x[0] != "yes" {
		t.Fatalf("headers: %v", got)
	}
}

func TestRPCUnwrapped(t *testing.T) {
	h, _ := newRuntimeHarness(t)
	req, _ := http.NewRequest("POST", h.srv.URL+"/v2/rpc/echo?unwrap&http_key="+testHTTPKey, strings.NewReader(`{"raw":true}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != `{"raw":true}` || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("unwrap: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, err = http.Post(h.srv.URL+"/v2/rpc/refuse?unwrap&http_key="+testHTTPKey, "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("unwrapped refusal: %d", resp.StatusCode)
	}
}

func TestRESTHooks(t *testing.T) {
	h, m := newRuntimeHarness(t)

	r := h.do("POST", "/v2/account/authenticate/custom?create=true", serverKey(testServerKey), `{"id":"custom-hooked-1"}`)
	if r.status != 200 {
		t.Fatalf("authenticate: %d %s", r.status, r.body)
	}
	token := r.json(t)["token"].(string)
	if got := jwtClaims(t, token)["usn"]; got != "hooked-custom-hooked-1" {
		t.Fatalf("before hook should set the username, got %v", got)
	}
	wantError(t, h.do("POST", "/v2/account/authenticate/custom", serverKey(testServerKey), `{"id":"blocked-custom-id"}`), 400, 3, "This id is blocked.")
	wantError(t, h.do("POST", "/v2/account/authenticate/custom", serverKey(testServerKey), `{"id":"disabled-custom-id"}`), 404, 5, "Requested resource was not found.")

	if r := h.do("PUT", "/v2/account", bearer(token), `{"display_name":"quiet"}`); r.status != 200 {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	r = h.do("GET", "/v2/account", bearer(token), "")
	if r.status != 200 {
		t.Fatalf("get account: %d %s", r.status, r.body)
	}
	if user := r.json(t)["user"].(map[string]any); user["display_name"] != "QUIET" {
		t.Fatalf("before hook should change the update: %v", user)
	}
	select {
	case name := <-m.after:
		if name != "hooked-custom-hooked-1" {
			t.Fatalf("after hook saw %q", name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("after hook did not run")
	}

	if r := h.do("GET", "/v2/user?usernames=hooked-custom-hooked-1", bearer(token), ""); r.status != 200 {
		t.Fatalf("get users: %d %s", r.status, r.body)
	}
	select {
	case got := <-m.after:
		if got != "users:hooked-custom-hooked-1" {
			t.Fatalf("after hook of a hand-written list saw %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("after hook of a hand-written list did not run")
	}
}

func TestEvent(t *testing.T) {
	h, m := newRuntimeHarness(t)
	token, _ := h.authDevice("event-device-1")
	r := h.do("POST", "/v2/event", bearer(token), `{"name":"level_up","properties":{"level":"3"}}`)
	if r.status != 200 {
		t.Fatalf("event: %d %s", r.status, r.body)
	}
	select {
	case evt := <-m.events:
		if evt.Name != "level_up" || evt.Properties["level"] != "3" || !evt.External || evt.Timestamp == nil {
			t.Fatalf("event: %v", evt)
		}
		ctx := <-m.eventCtx
		if ctx.Value(runtime.RUNTIME_CTX_USER_ID) != jwtClaims(t, token)["uid"] || ctx.Value(runtime.RUNTIME_CTX_MODE) != "event" {
			t.Fatalf("event context user %v mode %v", ctx.Value(runtime.RUNTIME_CTX_USER_ID), ctx.Value(runtime.RUNTIME_CTX_MODE))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("event handler did not run")
	}
}
