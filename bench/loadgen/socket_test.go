package main

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
)

// fakeSockets answers the socket scenarios' messages as Hearth does, for one user shared
// by every socket: ping → pong; a status change (connecting with status=true, or
// status_update) → a status_presence_event to every socket.
type fakeSockets struct {
	mu    sync.Mutex
	conns map[*fakeSocket]bool
}

type fakeSocket struct {
	mu sync.Mutex
	c  *websocket.Conn
}

func (s *fakeSocket) write(v any) {
	b, _ := json.Marshal(v)
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = s.c.WriteMessage(websocket.TextMessage, b)
}

func (f *fakeSockets) broadcast(status string) {
	f.mu.Lock()
	all := make([]*fakeSocket, 0, len(f.conns))
	for s := range f.conns {
		all = append(all, s)
	}
	f.mu.Unlock()
	ev := map[string]any{"status_presence_event": map[string]any{"joins": []any{map[string]any{"user_id": "u", "status": status}}}}
	for _, s := range all {
		s.write(ev)
	}
}

func (f *fakeSockets) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("token") == "" {
		http.Error(w, "Missing or invalid token", http.StatusUnauthorized)
		return
	}
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s := &fakeSocket{c: c}
	f.mu.Lock()
	if f.conns == nil {
		f.conns = map[*fakeSocket]bool{}
	}
	f.conns[s] = true
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, s)
		f.mu.Unlock()
		c.Close()
	}()
	if r.URL.Query().Get("status") == "true" {
		f.broadcast("")
	}
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		var in struct {
			Cid          string    `json:"cid"`
			Ping         *struct{} `json:"ping"`
			StatusUpdate *struct {
				Status string `json:"status"`
			} `json:"status_update"`
		}
		if json.Unmarshal(data, &in) != nil {
			continue
		}
		switch {
		case in.Ping != nil:
			s.write(map[string]any{"cid": in.Cid, "pong": map[string]any{}})
		case in.StatusUpdate != nil:
			s.write(map[string]any{"cid": in.Cid})
			f.broadcast(in.StatusUpdate.Status)
		}
	}
}
