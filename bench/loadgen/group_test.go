package main

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// fakeGroups is the fake server's group names.
type fakeGroups struct {
	names map[string]bool
}

// serveGroups answers group creation and name-prefix listing the way Nakama does, well
// enough to check the group scenarios.
func (f *fakeNakama) serveGroups(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.tokens[tok]; !ok {
		http.Error(w, `{"code":16,"message":"Auth token invalid"}`, http.StatusUnauthorized)
		return
	}
	if f.groups.names == nil {
		f.groups.names = map[string]bool{}
	}
	switch r.Method {
	case http.MethodPost:
		var body struct{ Name string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == "" {
			http.Error(w, `{"code":3,"message":"Group name must be set."}`, http.StatusBadRequest)
			return
		}
		if f.groups.names[body.Name] {
			http.Error(w, `{"code":6,"message":"Group name is in use."}`, http.StatusConflict)
			return
		}
		f.groups.names[body.Name] = true
		json.NewEncoder(w).Encode(map[string]any{"id": "g-" + body.Name, "name": body.Name})
	case http.MethodGet:
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		prefix := strings.TrimSuffix(q.Get("name"), "%")
		var names []string
		for n := range f.groups.names {
			if strings.HasPrefix(n, prefix) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		out := []map[string]any{}
		for _, n := range names[:min(limit, len(names))] {
			out = append(out, map[string]any{"name": n})
		}
		json.NewEncoder(w).Encode(map[string]any{"groups": out})
	}
}
