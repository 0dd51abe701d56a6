package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
)

// Storage scenarios: the calls a game makes to save and load player data.

// storageObjects is the part of a read or list reply the load generator checks.
type storageObjects struct {
	Objects []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"objects"`
	Acks []struct {
		Version string `json:"version"`
	} `json:"acks"`
}

// storageCall sends one storage request with a session token and decodes the reply. Any
// status but 200 is an error.
func (t *Target) storageCall(ctx context.Context, op, method, path, token string, body []byte) (storageObjects, error) {
	req, err := http.NewRequestWithContext(ctx, method, t.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return storageObjects{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return storageObjects{}, fmt.Errorf("%s: %w", op, err)
	}
	if status != http.StatusOK {
		return storageObjects{}, &httpError{Op: op, Status: status, Body: snippet(rb)}
	}
	var out storageObjects
	if err := json.Unmarshal(rb, &out); err != nil {
		return storageObjects{}, &httpError{Op: op + " (reply not JSON)", Status: status, Body: snippet(rb)}
	}
	return out, nil
}

// storageWriteBody is a write request for objects of one collection, with the values given.
func storageWriteBody(collection string, permissionRead int, keys, values []string) []byte {
	type object struct {
		Collection     string `json:"collection"`
		Key            string `json:"key"`
		Value          string `json:"value"`
		PermissionRead int    `json:"permission_read"`
	}
	objs := make([]object, len(keys))
	for i := range keys {
		objs[i] = object{Collection: collection, Key: keys[i], Value: values[i], PermissionRead: permissionRead}
	}
	b, _ := json.Marshal(map[string]any{"objects": objs}) // plain strings and ints always encode
	return b
}

// StorageWrite calls PUT /v2/storage and requires one ack per object.
func (t *Target) StorageWrite(ctx context.Context, token string, body []byte, objects int) error {
	res, err := t.storageCall(ctx, "PUT /v2/storage", http.MethodPut, "/v2/storage", token, body)
	if err == nil && len(res.Acks) != objects {
		return fmt.Errorf("PUT /v2/storage: %d acks for %d objects", len(res.Acks), objects)
	}
	return err
}

// benchTokens authenticates n devices for a scenario and returns their session tokens.
func benchTokens(ctx context.Context, env *Env, tag string, n int) ([]string, error) {
	tokens := make([]string, n)
	err := parallel(ctx, n, env.Workers, func(ctx context.Context, i int) error {
		res, err := env.Target.AuthDevice(ctx, fmt.Sprintf("bench-%s-%s-%06d", env.RunID, tag, i), true)
		tokens[i] = res.Token
		return err
	})
	return tokens, err
}

func storageWrite() Scenario {
	var tokens []string
	var seq atomic.Uint64
	return Scenario{
		Name: "storage-write",
		Doc:  "PUT /v2/storage: one object (one of 10 save slots, a new value each time) for one of N accounts",
		Ref:  Reference{NakamaOpsPerSec: 1726, NakamaServerUsOp: 558, TargetServerUsOp: 250},
		Setup: func(ctx context.Context, env *Env) (err error) {
			tokens, err = benchTokens(ctx, env, "sw", env.Accounts)
			return err
		},
		Op: func(ctx context.Context, w *Worker) error {
			n := seq.Add(1)
			key := fmt.Sprintf("slot-%d", w.Rand.IntN(10))
			value := fmt.Sprintf(`{"level":%d,"hp":100,"inventory":["sword","shield"],"seq":%d}`, w.Rand.IntN(50), n)
			return w.Target.StorageWrite(ctx, tokens[w.Rand.IntN(len(tokens))], storageWriteBody("saves", 1, []string{key}, []string{value}), 1)
		},
	}
}

func storageRead() Scenario {
	type account struct{ token, body string }
	var accounts []account
	return Scenario{
		Name: "storage-read",
		Doc:  "POST /v2/storage: read one's own object (one per account, N accounts)",
		Ref:  Reference{NakamaOpsPerSec: 2332, NakamaServerUsOp: 497, TargetServerUsOp: 150},
		Setup: func(ctx context.Context, env *Env) error {
			tokens, err := benchTokens(ctx, env, "sr", env.Accounts)
			if err != nil {
				return err
			}
			accounts = make([]account, len(tokens))
			return parallel(ctx, len(tokens), env.Workers, func(ctx context.Context, i int) error {
				uid, err := tokenUserID(tokens[i])
				if err != nil {
					return err
				}
				accounts[i] = account{token: tokens[i], body: `{"object_ids":[{"collection":"profile","key":"main","user_id":"` + uid + `"}]}`}
				return env.Target.StorageWrite(ctx, tokens[i], storageWriteBody("profile", 1, []string{"main"},
					[]string{`{"level":12,"hp":100,"inventory":["sword","shield"],"name":"player"}`}), 1)
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			a := accounts[w.Rand.IntN(len(accounts))]
			res, err := w.Target.storageCall(ctx, "POST /v2/storage", http.MethodPost, "/v2/storage", a.token, []byte(a.body))
			if err == nil && (len(res.Objects) != 1 || res.Objects[0].Key != "main") {
				return fmt.Errorf("POST /v2/storage: %d objects, want the one written", len(res.Objects))
			}
			return err
		},
	}
}

// storageListOwners is how many accounts hold 100 objects each for storage-list.
const storageListOwners = 20

func storageList() Scenario {
	type owner struct{ token, path string }
	var owners []owner
	return Scenario{
		Name: "storage-list",
		Doc:  "GET /v2/storage/{collection}?user_id=<own>&limit=100: a page of 100 of one's own objects (20 accounts × 100 objects)",
		Setup: func(ctx context.Context, env *Env) error {
			tokens, err := benchTokens(ctx, env, "sl", storageListOwners)
			if err != nil {
				return err
			}
			owners = make([]owner, len(tokens))
			return parallel(ctx, len(tokens), env.Workers, func(ctx context.Context, i int) error {
				uid, err := tokenUserID(tokens[i])
				if err != nil {
					return err
				}
				owners[i] = owner{token: tokens[i], path: "/v2/storage/items?limit=100&user_id=" + url.QueryEscape(uid)}
				keys, values := make([]string, 100), make([]string, 100)
				for k := range keys {
					keys[k] = fmt.Sprintf("item-%03d", k)
					values[k] = fmt.Sprintf(`{"kind":"potion","count":%d}`, k)
				}
				return env.Target.StorageWrite(ctx, tokens[i], storageWriteBody("items", 1, keys, values), 100)
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			o := owners[w.Rand.IntN(len(owners))]
			res, err := w.Target.storageCall(ctx, "GET /v2/storage/items", http.MethodGet, o.path, o.token, nil)
			if err == nil && len(res.Objects) != 100 {
				return fmt.Errorf("GET /v2/storage/items: %d objects, want 100", len(res.Objects))
			}
			return err
		},
	}
}

// tokenUserID reads the user id (uid claim) from a session token without verifying it,
// as clients do.
func tokenUserID(token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("session token is not a JWT")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", fmt.Errorf("session token claims: %w", err)
	}
	var claims struct {
		UID string `json:"uid"`
	}
	if err := json.Unmarshal(raw, &claims); err != nil || claims.UID == "" {
		return "", fmt.Errorf("session token has no uid claim")
	}
	return claims.UID, nil
}
