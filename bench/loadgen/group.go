package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Group scenarios: searching the group directory by name, as a game's "find a clan"
// screen does.

// groupsPerAccount scales the directory with -accounts: the default 1000 accounts give
// 100k groups. groupOwners accounts create them all (Nakama has no per-user group cap).
const (
	groupsPerAccount = 100
	groupOwners      = 20
	groupBuckets     = 100 // name prefixes; each matches groups/groupBuckets groups
)

// groupName is the i-th bench group's name: its bucket leads, so a bucket is one prefix.
func groupName(runID string, i int) string {
	return fmt.Sprintf("bench-%s-g-%02d-%06d", runID, i%groupBuckets, i/groupBuckets)
}

// createGroup creates an open group (POST /v2/group).
func (t *Target) createGroup(ctx context.Context, token, name string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.BaseURL+"/v2/group",
		strings.NewReader(fmt.Sprintf(`{"name":%q,"open":true}`, name)))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return fmt.Errorf("POST /v2/group: %w", err)
	}
	if status != http.StatusOK {
		return &httpError{Op: "POST /v2/group", Status: status, Body: snippet(rb)}
	}
	return nil
}

func groupsListByName() Scenario {
	var (
		tokens []string
		runID  string
		want   int
	)
	return Scenario{
		Name: "groups-list-name",
		Doc:  "GET /v2/group?name=<prefix>%&limit=100: a page of groups whose names start with a prefix matching 1% of the directory (100k groups at -accounts 1000, seeded through POST /v2/group)",
		Ref:  Reference{TargetServerUsOp: 300},
		Setup: func(ctx context.Context, env *Env) error {
			var err error
			if tokens, _, err = benchUserIDs(ctx, env, "go", groupOwners); err != nil {
				return err
			}
			runID = env.RunID
			groups := env.Accounts * groupsPerAccount
			want = min(100, groups/groupBuckets)
			return parallel(ctx, groups, env.Workers, func(ctx context.Context, i int) error {
				return env.Target.createGroup(ctx, tokens[i%len(tokens)], groupName(runID, i))
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			prefix := fmt.Sprintf("bench-%s-g-%02d-%%", runID, w.Rand.IntN(groupBuckets))
			path := "/v2/group?limit=100&name=" + url.QueryEscape(prefix)
			res, err := w.Target.groupCall(ctx, path, tokens[w.Rand.IntN(len(tokens))])
			if err == nil && res != want {
				return fmt.Errorf("GET /v2/group: %d groups, want %d", res, want)
			}
			return err
		},
	}
}

// groupCall lists groups (GET path) and returns how many came back.
func (t *Target) groupCall(ctx context.Context, path, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return 0, fmt.Errorf("GET /v2/group: %w", err)
	}
	if status != http.StatusOK {
		return 0, &httpError{Op: "GET /v2/group", Status: status, Body: snippet(rb)}
	}
	var out struct {
		Groups []struct {
			Name string `json:"name"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(rb, &out); err != nil {
		return 0, &httpError{Op: "GET /v2/group (reply not JSON)", Status: status, Body: snippet(rb)}
	}
	return len(out.Groups), nil
}
