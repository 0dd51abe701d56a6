package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/gorilla/websocket"
)

// fakeSockets answers the socket scenarios' messages as Hearth does, for one user shared
// by every socket: ping → pong; a status change (connecting with status=true, or
// status_update) → a status_presence_event to every socket; rpc "echo" → its payload;
// channel_join of a room → the channel, and a channel_presence_event to its members;
// channel_message_send → an ack, and the channel_message to every member.
type fakeSockets struct {
	mu    sync.Mutex
	conns map[*fakeSocket]bool
	rooms map[string]map[*fakeSocket]bool
}

// toRoom sends v to every member of a room.
func (f *fakeSockets) toRoom(room string, v any) {
	f.mu.Lock()
	members := make([]*fakeSocket, 0, len(f.rooms[room]))
	for s := range f.rooms[room] {
		members = append(members, s)
	}
	f.mu.Unlock()
	for _, s := range members {
		s.write(v)
	}
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
		for _, members := range f.rooms {
			delete(members, s)
		}
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
			RPC *struct {
				ID      string `json:"id"`
				Payload string `json:"payload"`
			} `json:"rpc"`
			ChannelJoin *struct {
				Target string `json:"target"`
			} `json:"channel_join"`
			ChannelMessageSend *struct {
				ChannelID string `json:"channel_id"`
				Content   string `json:"content"`
			} `json:"channel_message_send"`
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
		case in.RPC != nil && in.RPC.ID == "echo":
			s.write(map[string]any{"cid": in.Cid, "rpc": map[string]any{"id": in.RPC.ID, "payload": in.RPC.Payload}})
		case in.RPC != nil:
			s.write(map[string]any{"cid": in.Cid, "error": map[string]any{"code": 6, "message": "RPC function not found"}})
		case in.ChannelJoin != nil:
			room := in.ChannelJoin.Target
			f.mu.Lock()
			if f.rooms == nil {
				f.rooms = map[string]map[*fakeSocket]bool{}
			}
			if f.rooms[room] == nil {
				f.rooms[room] = map[*fakeSocket]bool{}
			}
			f.rooms[room][s] = true
			f.mu.Unlock()
			s.write(map[string]any{"cid": in.Cid, "channel": map[string]any{"id": "2..." + room, "room_name": room}})
			f.toRoom(room, map[string]any{"channel_presence_event": map[string]any{
				"channel_id": "2..." + room, "room_name": room, "joins": []any{map[string]any{"user_id": "u", "session_id": "s"}}}})
		case in.ChannelMessageSend != nil:
			room := strings.TrimPrefix(in.ChannelMessageSend.ChannelID, "2...")
			s.write(map[string]any{"cid": in.Cid, "channel_message_ack": map[string]any{"channel_id": in.ChannelMessageSend.ChannelID, "code": 0}})
			f.toRoom(room, map[string]any{"channel_message": map[string]any{
				"channel_id": in.ChannelMessageSend.ChannelID, "room_name": room, "code": 0, "content": in.ChannelMessageSend.Content}})
		}
	}
}
