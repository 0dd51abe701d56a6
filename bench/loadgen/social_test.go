package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// fakeSocial is the fake server's friend edges and notifications.
type fakeSocial struct {
	edges map[string][]string // user id -> ids invited, in order
	inbox map[string][]string // user id -> notification ids, oldest first
}

// isSocialPath reports whether serveSocial answers a path.
func isSocialPath(path string) bool {
	return path == "/v2/friend" || path == "/v2/notification"
}

// serveSocial answers friend invites, friend lists and notification lists the way Nakama
// does, well enough to check the social scenarios. The fake's cacheable cursor is the
// count of notifications already seen.
func (f *fakeNakama) serveSocial(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	uid, ok := f.tokens[tok]
	if !ok {
		http.Error(w, `{"code":16,"message":"Auth token invalid"}`, http.StatusUnauthorized)
		return
	}
	s := &f.social
	if s.edges == nil {
		s.edges, s.inbox = map[string][]string{}, map[string][]string{}
	}
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v2/friend":
		for _, id := range q["ids"] {
			s.edges[uid] = append(s.edges[uid], id)
			s.inbox[id] = append(s.inbox[id], fmt.Sprintf("n-%s-%d", id, len(s.inbox[id])))
		}
		w.Write([]byte("{}"))
	case r.Method == http.MethodGet && r.URL.Path == "/v2/friend":
		friends := []map[string]any{}
		for range s.edges[uid] {
			friends = append(friends, map[string]any{"state": 1})
		}
		json.NewEncoder(w).Encode(map[string]any{"friends": friends})
	case r.Method == http.MethodGet && r.URL.Path == "/v2/notification":
		limit, _ := strconv.Atoi(q.Get("limit"))
		seen, _ := strconv.Atoi(q.Get("cacheable_cursor"))
		all := s.inbox[uid]
		end := min(len(all), seen+limit)
		out := []map[string]any{}
		for _, id := range all[seen:end] {
			out = append(out, map[string]any{"id": id})
		}
		json.NewEncoder(w).Encode(map[string]any{"notifications": out, "cacheable_cursor": strconv.Itoa(end)})
	default:
		http.Error(w, `{"code":5,"message":"Not Found"}`, http.StatusNotFound)
	}
}
