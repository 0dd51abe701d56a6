package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
)

type channelMessageReply struct {
	Messages []struct {
		ChannelID  string `json:"channel_id"`
		MessageID  string `json:"message_id"`
		Code       *int   `json:"code"`
		SenderID   string `json:"sender_id"`
		Username   string `json:"username"`
		Content    string `json:"content"`
		CreateTime string `json:"create_time"`
		UpdateTime string `json:"update_time"`
		Persistent *bool  `json:"persistent"`
		RoomName   string `json:"room_name"`
		GroupID    string `json:"group_id"`
		UserIDOne  string `json:"user_id_one"`
		UserIDTwo  string `json:"user_id_two"`
	} `json:"messages"`
	NextCursor      string `json:"next_cursor"`
	PrevCursor      string `json:"prev_cursor"`
	CacheableCursor string `json:"cacheable_cursor"`
}

func (r response) channelMessages(t *testing.T) channelMessageReply {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out channelMessageReply
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("reply %s: %v", r.body, err)
	}
	return out
}

func (r channelMessageReply) contents() []string {
	out := make([]string, len(r.Messages))
	for i, m := range r.Messages {
		out[i] = m.Content
	}
	return out
}

func TestChannelMessagesREST(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, aliceID := named(t, h, "chat-alice-0001", "alice")
	bob, bobID := named(t, h, "chat-bob-000001", "bob")
	carol, _ := named(t, h, "chat-carol-0001", "carol")
	send := func(userID, username, channelID, content string) {
		t.Helper()
		if _, err := h.core.ChannelMessageSend(context.Background(), core.Caller{UserID: uuid.MustParse(userID), Username: username}, channelID, content, true); err != nil {
			t.Fatal(err)
		}
	}
	path := func(channelID, query string) string {
		return "/v2/channel/" + url.PathEscape(channelID) + "?" + query
	}

	// A room, read without joining; a name with a slash and a space survives the path.
	room := "2...lobby/main hall"
	send(aliceID, "alice", room, `{"n":1}`)
	send(aliceID, "alice", room, `{"n":2}`)
	send(bobID, "bob", room, `{"n":3}`)

	// Nakama's default: forward, one message.
	first := h.do("GET", path(room, ""), bearer(carol), "").channelMessages(t)
	if len(first.Messages) != 1 || first.NextCursor == "" || first.PrevCursor != "" || first.CacheableCursor == "" {
		t.Fatalf("default page %+v", first)
	}
	m := first.Messages[0]
	if m.ChannelID != room || m.Code == nil || *m.Code != 0 || m.SenderID != aliceID || m.Username != "alice" || m.Content != `{"n": 1}` ||
		m.Persistent == nil || !*m.Persistent || m.RoomName != "lobby/main hall" || m.GroupID != "" || m.UserIDOne != "" || m.CreateTime == "" || m.UpdateTime == "" {
		t.Fatalf("message %+v", m)
	}
	rest := h.do("GET", path(room, "limit=10&cursor="+url.QueryEscape(first.NextCursor)), bearer(carol), "").channelMessages(t)
	if diff := cmp.Diff([]string{`{"n": 2}`, `{"n": 3}`}, rest.contents()); diff != "" || rest.NextCursor != "" || rest.PrevCursor == "" {
		t.Fatalf("rest (-want +got):\n%s", diff)
	}
	back := h.do("GET", path(room, "limit=2&forward=false"), bearer(carol), "").channelMessages(t)
	if diff := cmp.Diff([]string{`{"n": 3}`, `{"n": 2}`}, back.contents()); diff != "" {
		t.Fatalf("backward (-want +got):\n%s", diff)
	}
	send(bobID, "bob", room, `{"n":4}`)
	newer := h.do("GET", path(room, "limit=10&cursor="+url.QueryEscape(back.CacheableCursor)), bearer(carol), "").channelMessages(t)
	if diff := cmp.Diff([]string{`{"n": 4}`}, newer.contents()); diff != "" {
		t.Fatalf("cacheable (-want +got):\n%s", diff)
	}

	// A direct message channel: only its two users.
	dm := core.DirectChannel(uuid.MustParse(aliceID), uuid.MustParse(bobID)).ID
	send(bobID, "bob", dm, `{"hi":"alice"}`)
	got := h.do("GET", path(dm, "limit=5"), bearer(alice), "").channelMessages(t)
	if len(got.Messages) != 1 || got.Messages[0].UserIDOne == "" || got.Messages[0].UserIDTwo == "" || got.Messages[0].RoomName != "" {
		t.Fatalf("direct %+v", got)
	}
	wantError(t, h.do("GET", path(dm, "limit=5"), bearer(carol), ""), 400, 3, "Channel not found.")

	// A group channel: its event messages are history too; only members read it.
	g := h.do("POST", "/v2/group", bearer(alice), `{"name":"Chatters","open":true}`).group(t)
	wantOK(t, h.do("POST", "/v2/group/"+g.ID+"/join", bearer(bob), ""))
	events := h.do("GET", path("3."+g.ID+"..", "limit=10"), bearer(bob), "").channelMessages(t)
	if len(events.Messages) != 1 || events.Messages[0].Code == nil || *events.Messages[0].Code != 3 || events.Messages[0].GroupID != g.ID || events.Messages[0].Content != "{}" {
		t.Fatalf("group history %+v", events)
	}
	wantError(t, h.do("GET", path("3."+g.ID+"..", ""), bearer(carol), ""), 400, 3, "Group not found.")

	// Refusals.
	wantError(t, h.do("GET", path(room, "limit=0"), bearer(carol), ""), 400, 3, "Invalid limit - limit must be between 1 and 100.")
	wantError(t, h.do("GET", path(room, "limit=101"), bearer(carol), ""), 400, 3, "Invalid limit - limit must be between 1 and 100.")
	wantError(t, h.do("GET", path("lobby", ""), bearer(carol), ""), 400, 3, "Invalid channel ID.")
	wantError(t, h.do("GET", path("2...", ""), bearer(carol), ""), 400, 3, "Invalid channel ID.")
	wantError(t, h.do("GET", path(room, "cursor=nope"), bearer(carol), ""), 400, 3, "Cursor is invalid or expired.")
	wantError(t, h.do("GET", path(room, "forward=false&cursor="+url.QueryEscape(first.NextCursor)), bearer(carol), ""), 400, 3, "Cursor is invalid or expired.")
	wantError(t, h.do("GET", path(room, ""), noAuth, ""), 401, 16, "Auth token required")
}
