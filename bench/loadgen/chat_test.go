package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// fakeChat is the fake server's group channels: group id -> how many event messages.
type fakeChat struct {
	events map[string]int
}

// isChatPath reports whether serveChat answers a path.
func isChatPath(path string) bool {
	return strings.HasPrefix(path, "/v2/channel/") || (strings.HasPrefix(path, "/v2/group/") && strings.HasSuffix(path, "/join"))
}

// serveChat answers group joins (each adds an event message to the group's channel) and
// channel history, the way Nakama does, well enough to check the chat scenario.
func (f *fakeNakama) serveChat(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.tokens[tok]; !ok {
		http.Error(w, `{"code":16,"message":"Auth token invalid"}`, http.StatusUnauthorized)
		return
	}
	if f.chat.events == nil {
		f.chat.events = map[string]int{}
	}
	if group, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/v2/group/"), "/join"); ok && r.Method == http.MethodPost {
		f.chat.events[group]++
		w.Write([]byte("{}"))
		return
	}
	group := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v2/channel/3."), "..")
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	out := []map[string]any{}
	for i := range min(limit, f.chat.events[group]) {
		out = append(out, map[string]any{"message_id": fmt.Sprint(i), "code": 3})
	}
	json.NewEncoder(w).Encode(map[string]any{"messages": out})
}
