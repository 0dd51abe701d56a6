package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Chat scenarios: reading a channel's history, as a chat window does when it opens.

// chatHistoryMembers join one group, so its channel has that many event messages (the
// REST API cannot post chat messages; the socket does).
const chatHistoryMembers = 150

func channelHistoryList() Scenario {
	var (
		tokens  []string
		channel string
	)
	return Scenario{
		Name: "channel-history-list",
		Doc:  "GET /v2/channel/{id}?limit=100&forward=false: the newest 100 messages of a group channel with 149 (its members' join events)",
		Setup: func(ctx context.Context, env *Env) error {
			var err error
			if tokens, err = benchTokens(ctx, env, "ch", chatHistoryMembers); err != nil {
				return err
			}
			groupID, err := env.Target.createGroupID(ctx, tokens[0], fmt.Sprintf("bench-%s-chat", env.RunID), chatHistoryMembers+1)
			if err != nil {
				return err
			}
			channel = "3." + groupID + ".."
			// Joins one at a time, so the history's order is the members' order.
			for _, tok := range tokens[1:] {
				if err := env.Target.post(ctx, "/v2/group/"+groupID+"/join", tok); err != nil {
					return err
				}
			}
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			path := "/v2/channel/" + url.PathEscape(channel) + "?limit=100&forward=false"
			n, err := w.Target.channelMessages(ctx, path, tokens[w.Rand.IntN(len(tokens))])
			if err == nil && n != 100 {
				return fmt.Errorf("GET /v2/channel: %d messages, want 100", n)
			}
			return err
		},
	}
}

// createGroupID creates an open group of the given size (POST /v2/group) and returns
// its id.
func (t *Target) createGroupID(ctx context.Context, token, name string, maxCount int) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.BaseURL+"/v2/group",
		strings.NewReader(fmt.Sprintf(`{"name":%q,"open":true,"max_count":%d}`, name, maxCount)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return "", fmt.Errorf("POST /v2/group: %w", err)
	}
	var out struct {
		ID string `json:"id"`
	}
	if status != http.StatusOK || json.Unmarshal(rb, &out) != nil || out.ID == "" {
		return "", &httpError{Op: "POST /v2/group", Status: status, Body: snippet(rb)}
	}
	return out.ID, nil
}

// post makes a bodiless authenticated POST that must answer 200.
func (t *Target) post(ctx context.Context, path, token string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.BaseURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	status, rb, err := t.do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	if status != http.StatusOK {
		return &httpError{Op: "POST " + path, Status: status, Body: snippet(rb)}
	}
	return nil
}

// channelMessages lists channel history (GET path) and returns how many messages came
// back.
func (t *Target) channelMessages(ctx context.Context, path, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return 0, fmt.Errorf("GET /v2/channel: %w", err)
	}
	if status != http.StatusOK {
		return 0, &httpError{Op: "GET /v2/channel", Status: status, Body: snippet(rb)}
	}
	var out struct {
		Messages []struct {
			MessageID string `json:"message_id"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(rb, &out); err != nil {
		return 0, &httpError{Op: "GET /v2/channel (reply not JSON)", Status: status, Body: snippet(rb)}
	}
	return len(out.Messages), nil
}
