package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeNakama answers the calls the scenarios make, the way Nakama does, well enough to
// check the load generator's own logic.
type fakeNakama struct {
	mu      sync.Mutex
	devices map[string]string // device id -> user id
	tokens  map[string]string // token -> user id
	failGet bool
	storage map[string]map[string]string // user id -> collection/key -> value
	social  fakeSocial
	groups  fakeGroups
	chat    fakeChat
	sockets fakeSockets
}

// fakeToken is shaped like a session token: the user id in a uid claim.
func fakeToken(uid string) string {
	return "h." + base64.RawURLEncoding.EncodeToString([]byte(`{"uid":"`+uid+`"}`)) + ".s"
}

// serveStorage answers the storage calls for the caller's own objects.
func (f *fakeNakama) serveStorage(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	uid, ok := f.tokens[tok]
	if !ok {
		http.Error(w, `{"code":16,"message":"Auth token invalid"}`, http.StatusUnauthorized)
		return
	}
	if f.storage == nil {
		f.storage = map[string]map[string]string{}
	}
	if f.storage[uid] == nil {
		f.storage[uid] = map[string]string{}
	}
	mine := f.storage[uid]
	type object struct {
		Collection string `json:"collection"`
		Key        string `json:"key"`
		Value      string `json:"value,omitempty"`
	}
	switch {
	case r.Method == http.MethodPut && r.URL.Path == "/v2/storage":
		var body struct{ Objects []object }
		json.NewDecoder(r.Body).Decode(&body)
		acks := []map[string]string{}
		for _, o := range body.Objects {
			mine[o.Collection+"/"+o.Key] = o.Value
			acks = append(acks, map[string]string{"collection": o.Collection, "key": o.Key, "version": "v"})
		}
		json.NewEncoder(w).Encode(map[string]any{"acks": acks})
	case r.Method == http.MethodPost && r.URL.Path == "/v2/storage":
		var body struct {
			ObjectIDs []object `json:"object_ids"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		var out []object
		for _, o := range body.ObjectIDs {
			if v, ok := mine[o.Collection+"/"+o.Key]; ok {
				out = append(out, object{o.Collection, o.Key, v})
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"objects": out})
	case r.Method == http.MethodGet:
		collection := strings.TrimPrefix(r.URL.Path, "/v2/storage/")
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		var out []object
		for ck, v := range mine {
			if c, k, _ := strings.Cut(ck, "/"); c == collection && len(out) < limit {
				out = append(out, object{c, k, v})
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"objects": out})
	default:
		http.Error(w, `{"code":12,"message":"Method Not Allowed"}`, http.StatusNotImplemented)
	}
}

func (f *fakeNakama) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/ws":
		f.sockets.serve(w, r)
	case r.URL.Path == "/healthcheck":
		w.Write([]byte("{}"))
	case r.Method == http.MethodPost && r.URL.Path == "/v2/account/authenticate/device":
		if u, p, ok := r.BasicAuth(); !ok || u != "defaultkey" || p != "" {
			http.Error(w, `{"code":16,"message":"Server key invalid"}`, http.StatusUnauthorized)
			return
		}
		var body struct{ ID string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body.ID) < 10 {
			http.Error(w, `{"code":3,"message":"Device ID invalid, must be 10-128 bytes."}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		uid, found := f.devices[body.ID]
		created := false
		if !found {
			uid = fmt.Sprintf("user-%d", len(f.devices))
			f.devices[body.ID] = uid
			created = true
		}
		tok := fakeToken(uid)
		f.tokens[tok] = uid
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"token": tok, "refresh_token": "r", "created": created})
	case r.Method == http.MethodGet && r.URL.Path == "/v2/account":
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.mu.Lock()
		uid, ok := f.tokens[tok]
		f.mu.Unlock()
		if !ok || f.failGet {
			http.Error(w, `{"code":16,"message":"Auth token invalid"}`, http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"user": map[string]any{"id": uid}})
	case strings.HasPrefix(r.URL.Path, "/v2/storage"):
		f.serveStorage(w, r)
	case isIdentityPath(r):
		f.serveIdentity(w, r)
	case isSocialPath(r.URL.Path):
		f.serveSocial(w, r)
	case r.URL.Path == "/v2/group":
		f.serveGroups(w, r)
	case isChatPath(r.URL.Path):
		f.serveChat(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/v2/rpc/echo":
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.mu.Lock()
		_, ok := f.tokens[tok]
		f.mu.Unlock()
		var payload string
		if err := json.NewDecoder(r.Body).Decode(&payload); !ok || err != nil {
			http.Error(w, `{"code":16,"message":"Auth token invalid"}`, http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"payload": payload})
	default:
		http.Error(w, `{"code":5,"message":"Not Found"}`, http.StatusNotFound)
	}
}

func TestRunOnceAgainstFake(t *testing.T) {
	fake := &fakeNakama{devices: map[string]string{}, tokens: map[string]string{}}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	target := newTarget(strings.TrimPrefix(ts.URL, "http://"), "defaultkey", 4, 5*time.Second)
	cfg := LoadConfig{Clients: 4, Warmup: 50 * time.Millisecond, Duration: 300 * time.Millisecond, MaxOps: 1_000_000}
	sampler := &cpuSampler{fs: procFS{Root: "/proc"}}
	wsSettle = 5 * time.Millisecond

	for _, sc := range scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			env := &Env{Target: target, RunID: randomID(), Accounts: 20, Workers: 4}
			if err := sc.Setup(context.Background(), env); err != nil {
				t.Fatalf("setup: %v", err)
			}
			c := cfg
			if strings.HasPrefix(sc.Name, "ws-") {
				c.Duration = 2 * time.Second // operations of many sockets each; room on a busy machine
				if raceDetector {
					c.Duration = 8 * time.Second
				}
			}
			res, err := runOnce(context.Background(), sc, target, c, sampler, 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			if res.Ops == 0 || res.Errors != 0 || len(res.ErrorSamples) != 0 {
				t.Fatalf("ops %d errors %d %q, want ops and no errors", res.Ops, res.Errors, res.ErrorSamples)
			}
			if res.P50Ms <= 0 || res.P99Ms < res.P50Ms || res.MaxMs < res.P99Ms {
				t.Errorf("latencies p50 %v p99 %v max %v are not ordered", res.P50Ms, res.P99Ms, res.MaxMs)
			}
			if sc.Name == "ws-chat-fanout-200" && (res.Extra == nil || *res.Extra <= 0) {
				t.Errorf("p99 delivery latency %v, want measured", res.Extra)
			}
			if res.ServerUsPerOp != nil || res.ClientUsPerOp == nil {
				t.Errorf("server µs/op %v (no pid: want nil), client µs/op %v (want measured)", res.ServerUsPerOp, res.ClientUsPerOp)
			}
		})
	}

	t.Run("errors are counted and sampled", func(t *testing.T) {
		sc := accountGet()
		env := &Env{Target: target, RunID: randomID(), Accounts: 5, Workers: 2}
		if err := sc.Setup(context.Background(), env); err != nil {
			t.Fatal(err)
		}
		fake.mu.Lock()
		fake.failGet = true
		fake.mu.Unlock()
		res, err := runOnce(context.Background(), sc, target, cfg, sampler, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if res.Ops != 0 || res.Errors == 0 || len(res.ErrorSamples) == 0 || len(res.ErrorSamples) > 5 {
			t.Fatalf("ops %d errors %d samples %d, want 0 ops, errors, 1..5 samples", res.Ops, res.Errors, len(res.ErrorSamples))
		}
		if !strings.Contains(res.ErrorSamples[0], "HTTP 401") {
			t.Errorf("error sample %q does not show the status", res.ErrorSamples[0])
		}
	})

	t.Run("max-ops bounds a run", func(t *testing.T) {
		sc := authDeviceCreate()
		if err := sc.Setup(context.Background(), &Env{RunID: randomID()}); err != nil {
			t.Fatal(err)
		}
		capped := LoadConfig{Clients: 2, Duration: time.Second, MaxOps: 10}
		res, err := runOnce(context.Background(), sc, target, capped, sampler, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Capped || res.Ops > 12 {
			t.Errorf("capped %v ops %d, want capped at about 10", res.Capped, res.Ops)
		}
	})
}

func TestSelectScenarios(t *testing.T) {
	all := scenarios()
	got, err := selectScenarios(all, " account-get,auth-device-create,account-get")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "account-get" || got[1].Name != "auth-device-create" {
		t.Errorf("selected %d scenarios, want account-get then auth-device-create", len(got))
	}
	if _, err := selectScenarios(all, "nope"); err == nil {
		t.Error("unknown scenario: want an error")
	}
	if got, _ := selectScenarios(all, ""); len(got) != len(all) {
		t.Errorf("empty list selected %d, want all %d", len(got), len(all))
	}
}
