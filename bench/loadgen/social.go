package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Social scenarios: the lists a game reads on its friends and inbox screens.

// socialList is the part of a friend or notification list reply the load generator checks.
type socialList struct {
	Friends []struct {
		State int `json:"state"`
	} `json:"friends"`
	Notifications []struct {
		ID string `json:"id"`
	} `json:"notifications"`
	CacheableCursor string `json:"cacheable_cursor"`
}

// socialCall sends one request with a session token and decodes the reply; any status
// but 200 is an error.
func (t *Target) socialCall(ctx context.Context, op, method, path, token string) (socialList, error) {
	req, err := http.NewRequestWithContext(ctx, method, t.BaseURL+path, nil)
	if err != nil {
		return socialList{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return socialList{}, fmt.Errorf("%s: %w", op, err)
	}
	if status != http.StatusOK {
		return socialList{}, &httpError{Op: op, Status: status, Body: snippet(rb)}
	}
	var out socialList
	if err := json.Unmarshal(rb, &out); err != nil {
		return socialList{}, &httpError{Op: op + " (reply not JSON)", Status: status, Body: snippet(rb)}
	}
	return out, nil
}

// addFriends invites the users with these ids (POST /v2/friend?ids=...).
func (t *Target) addFriends(ctx context.Context, token string, ids []string) error {
	q := url.Values{"ids": ids}
	_, err := t.socialCall(ctx, "POST /v2/friend", http.MethodPost, "/v2/friend?"+q.Encode(), token)
	return err
}

// benchUserIDs authenticates n devices and returns their tokens and user ids.
func benchUserIDs(ctx context.Context, env *Env, tag string, n int) (tokens, ids []string, err error) {
	tokens, err = benchTokens(ctx, env, tag, n)
	if err != nil {
		return nil, nil, err
	}
	ids = make([]string, n)
	for i, tok := range tokens {
		if ids[i], err = tokenUserID(tok); err != nil {
			return nil, nil, err
		}
	}
	return tokens, ids, nil
}

// friendListOwners hold friendListEdges edges each for friends-list.
const (
	friendListOwners = 10
	friendListEdges  = 100
)

func friendsList() Scenario {
	var owners []string
	return Scenario{
		Name: "friends-list",
		Doc:  "GET /v2/friend?limit=100: a page of one's 100 friend edges (10 accounts × 100 invites sent)",
		Ref:  Reference{TargetServerUsOp: 300},
		Setup: func(ctx context.Context, env *Env) error {
			var err error
			if owners, _, err = benchUserIDs(ctx, env, "fo", friendListOwners); err != nil {
				return err
			}
			_, others, err := benchUserIDs(ctx, env, "ft", friendListEdges)
			if err != nil {
				return err
			}
			return parallel(ctx, len(owners), env.Workers, func(ctx context.Context, i int) error {
				return env.Target.addFriends(ctx, owners[i], others)
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			res, err := w.Target.socialCall(ctx, "GET /v2/friend", http.MethodGet, "/v2/friend?limit=100", owners[w.Rand.IntN(len(owners))])
			if err == nil && len(res.Friends) != friendListEdges {
				return fmt.Errorf("GET /v2/friend: %d friends, want %d", len(res.Friends), friendListEdges)
			}
			return err
		},
	}
}

// notificationRecipients each receive notificationSenders friend-request notifications
// for notifications-list; clients catch up from a cursor cached after the first half.
const (
	notificationRecipients = 20
	notificationSenders    = 50
)

func notificationsList() Scenario {
	type inbox struct{ token, path string }
	var inboxes []inbox
	return Scenario{
		Name: "notifications-list",
		Doc:  "GET /v2/notification?limit=100&cacheable_cursor=<cached>: the 25 notifications newer than a cached cursor (20 accounts × 50)",
		Ref:  Reference{TargetServerUsOp: 300},
		Setup: func(ctx context.Context, env *Env) error {
			tokens, ids, err := benchUserIDs(ctx, env, "nr", notificationRecipients)
			if err != nil {
				return err
			}
			senders, _, err := benchUserIDs(ctx, env, "ns", notificationSenders)
			if err != nil {
				return err
			}
			// One sender at a time, so every inbox gets them in the same order.
			for _, s := range senders {
				if err := env.Target.addFriends(ctx, s, ids); err != nil {
					return err
				}
			}
			inboxes = make([]inbox, len(tokens))
			return parallel(ctx, len(tokens), env.Workers, func(ctx context.Context, i int) error {
				half, err := env.Target.socialCall(ctx, "GET /v2/notification", http.MethodGet,
					fmt.Sprintf("/v2/notification?limit=%d", notificationSenders/2), tokens[i])
				if err != nil {
					return err
				}
				if half.CacheableCursor == "" || len(half.Notifications) != notificationSenders/2 {
					return fmt.Errorf("GET /v2/notification: %d notifications, cursor %q", len(half.Notifications), half.CacheableCursor)
				}
				inboxes[i] = inbox{token: tokens[i], path: "/v2/notification?limit=100&cacheable_cursor=" + url.QueryEscape(half.CacheableCursor)}
				return nil
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			in := inboxes[w.Rand.IntN(len(inboxes))]
			res, err := w.Target.socialCall(ctx, "GET /v2/notification", http.MethodGet, in.path, in.token)
			if want := notificationSenders - notificationSenders/2; err == nil && len(res.Notifications) != want {
				return fmt.Errorf("GET /v2/notification: %d notifications after the cursor, want %d", len(res.Notifications), want)
			}
			return err
		},
	}
}
