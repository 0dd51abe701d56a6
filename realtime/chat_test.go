package realtime_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
	"github.com/hearth-server/hearth/nk"
	"github.com/hearth-server/hearth/realtime"
)

// Chat over real sockets, in both formats: joins, presence events, messages, group
// events, direct messages; refusals with Nakama's codes and messages.

func joinEnv(target string, typ rtapi.ChannelJoin_Type, persistence *bool, hidden bool) *rtapi.Envelope {
	m := &rtapi.ChannelJoin{Target: target, Type: int32(typ)}
	if persistence != nil {
		m.Persistence = wrapperspb.Bool(*persistence)
	}
	if hidden {
		m.Hidden = wrapperspb.Bool(true)
	}
	return &rtapi.Envelope{Message: &rtapi.Envelope_ChannelJoin{ChannelJoin: m}}
}

// join joins a channel and returns the reply's channel, failing on an error.
func (c *client) join(target string, typ rtapi.ChannelJoin_Type) *rtapi.Channel {
	c.t.Helper()
	return c.joinWith(joinEnv(target, typ, nil, false))
}

func (c *client) joinWith(env *rtapi.Envelope) *rtapi.Channel {
	c.t.Helper()
	// The join's presence event is announced by the tracker's own goroutine and may be
	// queued before the reply: what comes first is kept for chatWait, as ack does.
	cid := c.send(env)
	var reply *rtapi.Envelope
	for reply == nil {
		if e := c.next(); e.Cid == cid {
			reply = e
		} else {
			c.pending = append(c.pending, e)
		}
	}
	if reply.GetChannel() == nil {
		c.t.Fatalf("join reply %v", reply)
	}
	return reply.GetChannel()
}

func leaveEnv(channelID string) *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_ChannelLeave{ChannelLeave: &rtapi.ChannelLeave{ChannelId: channelID}}}
}

func sendEnv(channelID, content string) *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_ChannelMessageSend{ChannelMessageSend: &rtapi.ChannelMessageSend{ChannelId: channelID, Content: content}}}
}

func updateEnv(channelID, messageID, content string) *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_ChannelMessageUpdate{ChannelMessageUpdate: &rtapi.ChannelMessageUpdate{ChannelId: channelID, MessageId: messageID, Content: content}}}
}

func removeEnv(channelID, messageID string) *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_ChannelMessageRemove{ChannelMessageRemove: &rtapi.ChannelMessageRemove{ChannelId: channelID, MessageId: messageID}}}
}

// ack sends a chat message envelope and returns its ack, failing on an error. What
// arrives before the ack (the sender's own message) is kept for chatWait.
func (c *client) ack(env *rtapi.Envelope) *rtapi.ChannelMessageAck {
	c.t.Helper()
	cid := c.send(env)
	for {
		e := c.next()
		if e.Cid != cid {
			c.pending = append(c.pending, e)
			continue
		}
		if e.GetChannelMessageAck() == nil {
			c.t.Fatalf("want ack, got %v", e)
		}
		return e.GetChannelMessageAck()
	}
}

// chatWait returns the first envelope kept by ack, or else read, that match accepts.
func (c *client) chatWait(match func(*rtapi.Envelope) bool) *rtapi.Envelope {
	c.t.Helper()
	for i, e := range c.pending {
		if match(e) {
			c.pending = append(c.pending[:i:i], c.pending[i+1:]...)
			return e
		}
	}
	return c.waitFor(match)
}

// message waits for a channel_message on the channel with the code and content.
func (c *client) message(channelID string, code int32, content string) *api.ChannelMessage {
	c.t.Helper()
	return c.chatWait(func(e *rtapi.Envelope) bool {
		m := e.GetChannelMessage()
		return m != nil && m.ChannelId == channelID && m.Code.GetValue() == code && m.Content == content
	}).GetChannelMessage()
}

// presenceEvent waits for the next channel_presence_event on the channel.
func (c *client) presenceEvent(channelID string) *rtapi.ChannelPresenceEvent {
	c.t.Helper()
	return c.chatWait(func(e *rtapi.Envelope) bool {
		return e.GetChannelPresenceEvent().GetChannelId() == channelID
	}).GetChannelPresenceEvent()
}

// noneBefore pings and fails if anything matching arrives before the pong. Pushes to a
// socket are queued before the reply of whatever caused them, and presence events are
// flushed first, so a push caused earlier would be read first.
func (c *client) noneBefore(match func(*rtapi.Envelope) bool) {
	c.t.Helper()
	c.tracker.Flush()
	for _, e := range c.pending {
		if match(e) {
			c.t.Fatalf("unexpected envelope: %v", e)
		}
	}
	c.pending = nil
	cid := c.send(ping())
	for {
		env := c.next()
		if env.Cid == cid {
			return
		}
		if match(env) {
			c.t.Fatalf("unexpected envelope: %v", env)
		}
	}
}

// drain reads and drops everything received so far.
func (c *client) drain() {
	c.t.Helper()
	c.pending = nil
	c.ok()
}

func anyChat(channelID string) func(*rtapi.Envelope) bool {
	return func(e *rtapi.Envelope) bool {
		return e.GetChannelMessage().GetChannelId() == channelID || e.GetChannelPresenceEvent().GetChannelId() == channelID
	}
}

func sessionIDs(ps []*rtapi.UserPresence) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.SessionId
	}
	return out
}

func history(t *testing.T, h *harness, caller uuid.UUID, channelID string) []core.ChannelMessage {
	t.Helper()
	l, err := h.core.ChannelMessagesList(context.Background(), caller, channelID, 100, true, "")
	if err != nil {
		t.Fatal(err)
	}
	return l.Messages
}

func boolp(b bool) *bool { return &b }

func TestChatRoomJoinAndPresence(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ua, ub, uc := h.user("ra"), h.user("rb"), h.user("rc")
		a := h.dial(ua, format, false)
		a.ok()
		sa := sessionOf(t, h, ua)

		// Room names: 1-64 bytes, no control characters; unknown types refused.
		for _, tc := range []struct {
			target  string
			typ     rtapi.ChannelJoin_Type
			message string
		}{
			{"", rtapi.ChannelJoin_ROOM, "Invalid channel target"},
			{strings.Repeat("n", 65), rtapi.ChannelJoin_ROOM, "Channel name is required and must be 1-64 chars: Invalid channel target"},
			{"tab\there", rtapi.ChannelJoin_ROOM, "Channel name must not contain control chars: Invalid channel target"},
			{"del\x7f", rtapi.ChannelJoin_TYPE_UNSPECIFIED, "Channel name must not contain control chars: Invalid channel target"},
			{"room", 9, "Invalid channel type"},
		} {
			wantError(t, a.call(joinEnv(tc.target, tc.typ, nil, false)), rtapi.Error_BAD_INPUT, tc.message)
		}
		if ch := a.join(strings.Repeat("n", 64), rtapi.ChannelJoin_TYPE_UNSPECIFIED); ch.Id != "2..."+strings.Repeat("n", 64) {
			t.Fatalf("64-byte room, unspecified type: %v", ch)
		}
		a.presenceEvent("2..." + strings.Repeat("n", 64)) // its own join

		// A joins: the reply names the room and A itself, and lists nobody else; A sees
		// its own join.
		room := "lobby-" + format
		ch := a.join(room, rtapi.ChannelJoin_ROOM)
		id := "2..." + room
		if ch.Id != id || ch.RoomName != room || ch.GroupId != "" || ch.UserIdOne != "" || len(ch.Presences) != 0 ||
			ch.Self.GetUserId() != ua.id.String() || ch.Self.SessionId != sa.String() || ch.Self.Username != ua.username || !ch.Self.Persistence {
			t.Fatalf("join reply %v", ch)
		}
		if ev := a.presenceEvent(id); ev.RoomName != room || len(ev.Joins) != 1 || ev.Joins[0].SessionId != sa.String() || len(ev.Leaves) != 0 {
			t.Fatalf("own join %v", ev)
		}

		// B joins: B's reply lists A; A and B see B's join.
		b := h.dial(ub, format, false)
		b.ok()
		sb := sessionOf(t, h, ub)
		ch = b.join(room, rtapi.ChannelJoin_ROOM)
		if len(ch.Presences) != 1 || ch.Presences[0].SessionId != sa.String() || ch.Presences[0].Username != ua.username || !ch.Presences[0].Persistence {
			t.Fatalf("B's join reply %v", ch)
		}
		for _, c := range []*client{a, b} {
			if ev := c.presenceEvent(id); len(ev.Joins) != 1 || ev.Joins[0].SessionId != sb.String() || ev.Joins[0].UserId != ub.id.String() {
				t.Fatalf("B's join event %v", ev)
			}
		}
		// Joining again changes nothing: no event, and the reply lists A itself too.
		if ch := a.join(room, rtapi.ChannelJoin_ROOM); len(ch.Presences) != 2 {
			t.Fatalf("rejoin reply %v", ch)
		}

		// The same user on a second device is a second presence.
		a2 := h.dial(ua, "json", false)
		a2.ok()
		var sa2 uuid.UUID
		for _, s := range sessionsOf(h, ua) {
			if s != sa {
				sa2 = s
			}
		}
		ch = a2.join(room, rtapi.ChannelJoin_ROOM)
		if got := strings.Join(sessionIDs(ch.Presences), ","); !strings.Contains(got, sa.String()) || !strings.Contains(got, sb.String()) || len(ch.Presences) != 2 {
			t.Fatalf("second device reply %v", ch)
		}
		for _, c := range []*client{a, b} {
			if ev := c.presenceEvent(id); len(ev.Joins) != 1 || ev.Joins[0].SessionId != sa2.String() || ev.Joins[0].UserId != ua.id.String() {
				t.Fatalf("second device join %v", ev)
			}
		}

		// C joins hidden: nobody hears of it, C is listed nowhere, but C sends and receives.
		c := h.dial(uc, format, false)
		c.ok()
		ch = c.joinWith(joinEnv(room, rtapi.ChannelJoin_ROOM, nil, true))
		if len(ch.Presences) != 3 || ch.Self.UserId != uc.id.String() {
			t.Fatalf("hidden join reply %v", ch)
		}
		if got := c.ack(sendEnv(id, `{"from":"hidden"}`)); got.Code.GetValue() != 0 {
			t.Fatalf("hidden send %v", got)
		}
		for _, cl := range []*client{a, b, c} {
			cl.message(id, 0, `{"from":"hidden"}`)
		}
		a.noneBefore(func(e *rtapi.Envelope) bool { return e.GetChannelPresenceEvent() != nil })
		if visible := h.tracker.List(presence.Stream{Mode: presence.ModeChannel, Label: room}, false, true); len(visible) != 3 {
			t.Fatalf("visible presences %v", visible)
		}

		// The second device leaves: the others see that session go, A's first stays.
		if env := a2.call(leaveEnv(id)); env.Message != nil {
			t.Fatalf("leave reply %v", env)
		}
		for _, cl := range []*client{a, b} {
			if ev := cl.presenceEvent(id); len(ev.Leaves) != 1 || ev.Leaves[0].SessionId != sa2.String() || len(ev.Joins) != 0 {
				t.Fatalf("leave event %v", ev)
			}
		}
		a.ack(sendEnv(id, `{"still":"here"}`))
		b.message(id, 0, `{"still":"here"}`)
		// A socket that closes leaves every channel.
		_ = b.conn.Close()
		if ev := a.presenceEvent(id); len(ev.Leaves) != 1 || ev.Leaves[0].SessionId != sb.String() {
			t.Fatalf("disconnect leave %v", ev)
		}

		// After leaving, sending is refused; leaving again or a channel never joined is
		// not an error; a malformed id is.
		wantError(t, a2.call(sendEnv(id, `{}`)), rtapi.Error_BAD_INPUT, "Must join channel before sending messages")
		if env := a2.call(leaveEnv(id)); env.Message != nil {
			t.Fatalf("second leave %v", env)
		}
		if env := a2.call(leaveEnv("2...never-joined")); env.Message != nil {
			t.Fatalf("leave unjoined %v", env)
		}
		wantError(t, a2.call(leaveEnv("9.x")), rtapi.Error_BAD_INPUT, "Invalid channel identifier")

		// The hidden member's leave makes no event either.
		c.call(leaveEnv(id))
		a.noneBefore(func(e *rtapi.Envelope) bool { return e.GetChannelPresenceEvent() != nil })
	})
}

func TestChatMessages(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ua, ub := h.user("ma"), h.user("mb")
		a, b := h.dial(ua, format, false), h.dial(ub, format, false)
		room := "talk-" + format
		id := a.join(room, rtapi.ChannelJoin_ROOM).Id
		b.join(room, rtapi.ChannelJoin_ROOM)

		// Content must be a JSON object.
		for _, content := range []string{"", "hello", "[1,2]", `"text"`, "42", `{"open":`} {
			wantError(t, a.call(sendEnv(id, content)), rtapi.Error_BAD_INPUT, "Message content must be a valid JSON object")
		}
		// The socket's message size limit applies to chat as to every message; the
		// refusal cannot carry the cid, which is in the unread part.
		a.send(sendEnv(id, `{"big":"`+strings.Repeat("x", 5000)+`"}`))
		wantError(t, a.waitFor(func(e *rtapi.Envelope) bool { return e.GetError() != nil }), rtapi.Error_BAD_INPUT, "Message exceeds the maximum size.")

		// The ack and what members receive.
		sent := a.ack(sendEnv(id, `{"text":"hi"}`))
		if sent.ChannelId != id || sent.MessageId == "" || sent.Code.GetValue() != 0 || sent.Username != ua.username ||
			sent.CreateTime == nil || sent.UpdateTime == nil || !sent.CreateTime.AsTime().Equal(sent.UpdateTime.AsTime()) ||
			sent.CreateTime.Nanos != 0 || !sent.Persistent.GetValue() || sent.RoomName != room {
			t.Fatalf("ack %v", sent)
		}
		for _, c := range []*client{a, b} {
			m := c.message(id, 0, `{"text":"hi"}`)
			if m.MessageId != sent.MessageId || m.SenderId != ua.id.String() || m.Username != ua.username || m.RoomName != room ||
				!m.Persistent.GetValue() || !m.CreateTime.AsTime().Equal(sent.CreateTime.AsTime()) {
				t.Fatalf("delivered %v", m)
			}
		}

		// Only the sender may update or remove it.
		wantError(t, b.call(updateEnv(id, sent.MessageId, `{"text":"forged"}`)), rtapi.Error_BAD_INPUT, "Could not find message to update in channel history")
		wantError(t, b.call(removeEnv(id, sent.MessageId)), rtapi.Error_BAD_INPUT, "Could not find message to remove in channel history")
		wantError(t, a.call(updateEnv(id, "not-an-id", `{}`)), rtapi.Error_BAD_INPUT, "Invalid message identifier")
		wantError(t, a.call(removeEnv(id, "not-an-id")), rtapi.Error_BAD_INPUT, "Invalid message identifier")
		wantError(t, a.call(updateEnv(id, sent.MessageId, "[]")), rtapi.Error_BAD_INPUT, "Message content must be a valid JSON object")
		wantError(t, a.call(updateEnv(id, uuid.NewString(), `{}`)), rtapi.Error_BAD_INPUT, "Could not find message to update in channel history")

		updated := a.ack(updateEnv(id, sent.MessageId, `{"text":"hi!"}`))
		if updated.MessageId != sent.MessageId || updated.Code.GetValue() != 1 || updated.Username != ua.username || !updated.Persistent.GetValue() {
			t.Fatalf("update ack %v", updated)
		}
		for _, c := range []*client{a, b} {
			if m := c.message(id, 1, `{"text":"hi!"}`); m.MessageId != sent.MessageId || m.SenderId != ua.id.String() {
				t.Fatalf("update delivered %v", m)
			}
		}
		if hs := history(t, h, ub.id, id); len(hs) != 1 || hs[0].Content != `{"text": "hi!"}` || hs[0].Code != 0 {
			t.Fatalf("history after update %+v", hs)
		}

		removed := a.ack(removeEnv(id, sent.MessageId))
		if removed.MessageId != sent.MessageId || removed.Code.GetValue() != 2 {
			t.Fatalf("remove ack %v", removed)
		}
		for _, c := range []*client{a, b} {
			c.message(id, 2, "{}")
		}
		if hs := history(t, h, ub.id, id); len(hs) != 0 {
			t.Fatalf("history after remove %+v", hs)
		}
		wantError(t, a.call(removeEnv(id, sent.MessageId)), rtapi.Error_BAD_INPUT, "Could not find message to remove in channel history")

		// Persistence off: delivered, acknowledged as not persistent, never stored.
		c := h.dial(h.user("mc"), format, false)
		c.joinWith(joinEnv(room, rtapi.ChannelJoin_ROOM, boolp(false), false))
		eph := c.ack(sendEnv(id, `{"gone":true}`))
		if eph.Persistent.GetValue() {
			t.Fatalf("ephemeral ack %v", eph)
		}
		if m := a.message(id, 0, `{"gone":true}`); m.Persistent.GetValue() {
			t.Fatalf("ephemeral delivery %v", m)
		}
		if hs := history(t, h, ua.id, id); len(hs) != 0 {
			t.Fatalf("ephemeral message stored %+v", hs)
		}

		// Refusals on a channel not joined, after Nakama's earlier checks.
		other := "2...elsewhere"
		wantError(t, a.call(sendEnv(other, `{}`)), rtapi.Error_BAD_INPUT, "Must join channel before sending messages")
		wantError(t, a.call(updateEnv(other, sent.MessageId, `{}`)), rtapi.Error_BAD_INPUT, "Must join channel before updating messages")
		wantError(t, a.call(removeEnv(other, sent.MessageId)), rtapi.Error_BAD_INPUT, "Must join channel before removing messages")
		wantError(t, a.call(sendEnv(other, "nope")), rtapi.Error_BAD_INPUT, "Message content must be a valid JSON object")
		wantError(t, a.call(sendEnv("2..", `{}`)), rtapi.Error_BAD_INPUT, "Invalid channel identifier")
		wantError(t, a.call(updateEnv("x", "y", `{}`)), rtapi.Error_BAD_INPUT, "Invalid message identifier")
	})
}

func TestChatDirectMessages(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ua, ub, uc := h.user("da"), h.user("db"), h.user("dc")
		a, b, c := h.dial(ua, format, false), h.dial(ub, format, false), h.dial(uc, format, false)
		a.ok()
		b.ok()
		c.ok()
		ctx := context.Background()

		wantError(t, a.call(joinEnv("not-a-user", rtapi.ChannelJoin_DIRECT_MESSAGE, nil, false)), rtapi.Error_BAD_INPUT, "Invalid user ID in direct message join: Invalid channel target")
		wantError(t, a.call(joinEnv(uuid.Nil.String(), rtapi.ChannelJoin_DIRECT_MESSAGE, nil, false)), rtapi.Error_BAD_INPUT, "Invalid user ID in direct message join: Invalid channel target")
		wantError(t, a.call(joinEnv(uuid.NewString(), rtapi.ChannelJoin_DIRECT_MESSAGE, nil, false)), rtapi.Error_BAD_INPUT, "User ID not found: Invalid channel target")

		// A opens a DM with B: the channel id orders the two ids, and B, not there, is
		// invited with a notification.
		one, two := ua.id.String(), ub.id.String()
		if one > two {
			one, two = two, one
		}
		id := "4." + one + "." + two + "."
		ch := a.join(ub.id.String(), rtapi.ChannelJoin_DIRECT_MESSAGE)
		if ch.Id != id || ch.UserIdOne != one || ch.UserIdTwo != two || ch.RoomName != "" || len(ch.Presences) != 0 {
			t.Fatalf("DM join %v", ch)
		}
		n := b.waitFor(func(e *rtapi.Envelope) bool { return e.GetNotifications() != nil }).GetNotifications().Notifications
		if len(n) != 1 || n[0].Code != core.NotificationCodeDMRequest || n[0].Subject != ua.username+" wants to chat" ||
			n[0].Content != `{"username":"`+ua.username+`"}` || n[0].SenderId != ua.id.String() || !n[0].Persistent {
			t.Fatalf("invitation %v", n)
		}

		// Until B joins, A's messages reach only A.
		a.ack(sendEnv(id, `{"n":1}`))
		a.message(id, 0, `{"n":1}`)
		b.noneBefore(anyChat(id))

		// B joins from its side: the same channel; A is there, so A gets no invitation.
		ch = b.join(ua.id.String(), rtapi.ChannelJoin_DIRECT_MESSAGE)
		if ch.Id != id || len(ch.Presences) != 1 || ch.Presences[0].UserId != ua.id.String() {
			t.Fatalf("B's DM join %v", ch)
		}
		a.presenceEvent(id)
		b.ack(sendEnv(id, `{"n":2}`))
		for _, cl := range []*client{a, b} {
			if m := cl.message(id, 0, `{"n":2}`); m.UserIdOne != one || m.UserIdTwo != two || m.SenderId != ub.id.String() {
				t.Fatalf("DM delivery %v", m)
			}
		}
		a.noneBefore(func(e *rtapi.Envelope) bool { return e.GetNotifications() != nil })

		// The id both joined with reads the history (GET /v2/channel's core call), for both.
		for _, u := range []user{ua, ub} {
			if hs := history(t, h, u.id, id); len(hs) != 2 || hs[0].Content != `{"n": 1}` || hs[1].SenderID != ub.id {
				t.Fatalf("history for %s: %+v", u.username, hs)
			}
		}

		// C cannot post into A and B's channel (joining it would need to be one of them).
		wantError(t, c.call(sendEnv(id, `{}`)), rtapi.Error_BAD_INPUT, "Must join channel before sending messages")

		// A user who blocked another cannot be messaged by them.
		if err := h.core.FriendsBlock(ctx, core.Caller{UserID: ua.id, Username: ua.username}, core.FriendTargets{IDs: []string{uc.id.String()}}); err != nil {
			t.Fatal(err)
		}
		wantError(t, c.call(joinEnv(ua.id.String(), rtapi.ChannelJoin_DIRECT_MESSAGE, nil, false)), rtapi.Error_BAD_INPUT, "User ID not found: Invalid channel target")
	})
}

func TestChatGroupChannel(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ctx := context.Background()
		ua, ub, uc, ud, ue := h.user("ga"), h.user("gb"), h.user("gc"), h.user("gd"), h.user("ge")
		caller := func(u user) core.Caller { return core.Caller{UserID: u.id, Username: u.username} }
		g, err := h.core.GroupCreate(ctx, ua.id, core.GroupCreateInput{Name: "guild-" + uuid.NewString(), Open: true, MaxCount: 10})
		if err != nil {
			t.Fatal(err)
		}
		gid := g.ID.String()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(h.core.GroupJoin(ctx, caller(ub), gid))
		must(h.core.GroupJoin(ctx, caller(ud), gid))
		a, b, c, d := h.dial(ua, format, false), h.dial(ub, format, false), h.dial(uc, format, false), h.dial(ud, format, false)

		// Members only; a bad id is refused as Nakama words it.
		wantError(t, c.call(joinEnv(gid, rtapi.ChannelJoin_GROUP, nil, false)), rtapi.Error_BAD_INPUT, "Group not found: Invalid channel target")
		wantError(t, c.call(joinEnv("not-a-group", rtapi.ChannelJoin_GROUP, nil, false)), rtapi.Error_BAD_INPUT, "Invalid group ID in group channel join: Invalid channel target")
		wantError(t, c.call(joinEnv(uuid.NewString(), rtapi.ChannelJoin_GROUP, nil, false)), rtapi.Error_BAD_INPUT, "Group not found: Invalid channel target")
		wantError(t, c.call(sendEnv(core.GroupChannelID(g.ID), `{}`)), rtapi.Error_BAD_INPUT, "Must join channel before sending messages")

		ch := a.join(gid, rtapi.ChannelJoin_GROUP)
		id := core.GroupChannelID(g.ID)
		if ch.Id != id || ch.GroupId != gid || ch.RoomName != "" {
			t.Fatalf("group join %v", ch)
		}
		b.join(gid, rtapi.ChannelJoin_GROUP)
		d.join(gid, rtapi.ChannelJoin_GROUP)
		b.ack(sendEnv(id, `{"hello":"group"}`))
		a.message(id, 0, `{"hello":"group"}`)

		// Membership changes arrive live on the group channel, about the user concerned.
		event := func(code int32, about user) {
			t.Helper()
			m := a.message(id, code, "{}")
			if m.SenderId != about.id.String() || m.Username != about.username || m.GroupId != gid || !m.Persistent.GetValue() {
				t.Fatalf("event %d: %v", code, m)
			}
		}
		must(h.core.GroupJoin(ctx, caller(uc), gid))
		event(core.ChannelMessageCodeGroupJoin, uc)
		must(h.core.GroupUsersAdd(ctx, ua.id, gid, []string{ue.id.String()}))
		event(core.ChannelMessageCodeGroupAdd, ue)
		must(h.core.GroupUsersPromote(ctx, ua.id, gid, []string{ue.id.String()}))
		event(core.ChannelMessageCodeGroupPromote, ue)
		must(h.core.GroupUsersDemote(ctx, ua.id, gid, []string{ue.id.String()}))
		event(core.ChannelMessageCodeGroupDemote, ue)
		must(h.core.GroupLeave(ctx, caller(ue), gid))
		event(core.ChannelMessageCodeGroupLeave, ue)

		// A kicked member sees the kick, then is off the channel: no more messages, no
		// sending, no joining back.
		must(h.core.GroupUsersKick(ctx, ua.id, gid, []string{ud.id.String()}))
		event(core.ChannelMessageCodeGroupKick, ud)
		d.message(id, core.ChannelMessageCodeGroupKick, "{}")
		// (The members' earlier join events may still be waiting; the leave is what counts.)
		leave := a.chatWait(func(e *rtapi.Envelope) bool {
			ev := e.GetChannelPresenceEvent()
			return ev.GetChannelId() == id && len(ev.GetLeaves()) > 0
		}).GetChannelPresenceEvent()
		if len(leave.Leaves) != 1 || leave.Leaves[0].UserId != ud.id.String() {
			t.Fatalf("kick leave event %v", leave)
		}
		// The same for a ban.
		must(h.core.GroupUsersBan(ctx, ua.id, gid, []string{ub.id.String()}))
		event(core.ChannelMessageCodeGroupBan, ub)
		b.message(id, core.ChannelMessageCodeGroupBan, "{}")
		for _, cl := range []*client{b, d} {
			cl.drain()
		}
		a.ack(sendEnv(id, `{"after":"removals"}`))
		for _, cl := range []*client{b, d} {
			cl.noneBefore(anyChat(id))
			wantError(t, cl.call(sendEnv(id, `{}`)), rtapi.Error_BAD_INPUT, "Must join channel before sending messages")
			wantError(t, cl.call(joinEnv(gid, rtapi.ChannelJoin_GROUP, nil, false)), rtapi.Error_BAD_INPUT, "Group not found: Invalid channel target")
		}
		// A member who leaves is taken off the channel too.
		c.join(gid, rtapi.ChannelJoin_GROUP)
		must(h.core.GroupLeave(ctx, caller(uc), gid))
		c.message(id, core.ChannelMessageCodeGroupLeave, "{}")
		c.drain()
		a.ack(sendEnv(id, `{"after":"leave"}`))
		c.noneBefore(anyChat(id))
		wantError(t, c.call(sendEnv(id, `{}`)), rtapi.Error_BAD_INPUT, "Must join channel before sending messages")

		// The history holds the chat and the events, in order (after the members' first
		// joins).
		var codes []int32
		for _, m := range history(t, h, ua.id, id) {
			codes = append(codes, m.Code)
		}
		want := []int32{0, 3, 4, 7, 9, 5, 6, 8, 0, 5, 0}
		if len(codes) < len(want) || fmt.Sprint(codes[len(codes)-len(want):]) != fmt.Sprint(want) {
			t.Fatalf("history codes %v, want them to end with %v", codes, want)
		}
	})
}

// TestChatGroupJoinRacesKick kicks a member from the group after their channel_join
// was authorised but before they were tracked on the channel: the kick finds no
// presence to remove, so the join itself must notice (it re-checks membership after
// tracking) and refuse, leaving the user off the channel.
func TestChatGroupJoinRacesKick(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ctx := context.Background()
		owner, member := h.user("ko"), h.user("km")
		g, err := h.core.GroupCreate(ctx, owner.id, core.GroupCreateInput{Name: "race-" + uuid.NewString(), Open: true, MaxCount: 10})
		if err != nil {
			t.Fatal(err)
		}
		var kickNext atomic.Bool
		realtime.SetJoinAuthorizedHook(h.srv, func() {
			if kickNext.CompareAndSwap(true, false) {
				if err := h.core.GroupUsersKick(ctx, owner.id, g.ID.String(), []string{member.id.String()}); err != nil {
					t.Error(err)
				}
			}
		})
		o, c := h.dial(owner, format, false), h.dial(member, format, false)
		o.join(g.ID.String(), rtapi.ChannelJoin_GROUP)
		if err := h.core.GroupJoin(ctx, core.Caller{UserID: member.id, Username: member.username}, g.ID.String()); err != nil {
			t.Fatal(err)
		}
		kickNext.Store(true)
		wantError(t, c.call(joinEnv(g.ID.String(), rtapi.ChannelJoin_GROUP, nil, false)), rtapi.Error_BAD_INPUT, "Group not found: Invalid channel target")
		if _, ok := h.tracker.Get(sessionOf(t, h, member), presence.Stream{Mode: presence.ModeGroup, Subject: g.ID}); ok {
			t.Fatal("kicked member left on the group channel")
		}
		o.message(core.GroupChannelID(g.ID), core.ChannelMessageCodeGroupKick, "{}")
		o.ack(sendEnv(core.GroupChannelID(g.ID), `{"after":"kick"}`))
		c.noneBefore(func(e *rtapi.Envelope) bool { return e.GetChannelMessage() != nil })
	})
}

// TestChatFilter runs the chat guide's filter (seed 003) in a real runtime: a
// ChannelMessageSend before-hook that rejects one word and masks another.
func TestChatFilter(t *testing.T) {
	filter := func(ctx context.Context, logger runtime.Logger, db *sql.DB, n runtime.NakamaModule, init runtime.Initializer) error {
		return init.RegisterBeforeRt("ChannelMessageSend", func(ctx context.Context, logger runtime.Logger, db *sql.DB, n runtime.NakamaModule, env *rtapi.Envelope) (*rtapi.Envelope, error) {
			m := env.GetChannelMessageSend()
			if strings.Contains(m.Content, "bad word") {
				return nil, runtime.NewError("profanity detected", 3)
			}
			m.Content = strings.ReplaceAll(m.Content, "darn", "****")
			return env, nil
		})
	}
	h := newHarness(t, harnessOptions{modules: []nk.InitModule{filter}})
	each(t, func(t *testing.T, format string) {
		ua, ub := h.user("fa"), h.user("fb")
		a, b := h.dial(ua, format, false), h.dial(ub, format, false)
		room := "filtered-" + format
		id := a.join(room, rtapi.ChannelJoin_ROOM).Id
		b.join(room, rtapi.ChannelJoin_ROOM)

		wantError(t, a.call(sendEnv(id, `{"t":"a bad word"}`)), rtapi.Error_RUNTIME_FUNCTION_EXCEPTION, "profanity detected")
		a.ack(sendEnv(id, `{"t":"darn it"}`))
		b.message(id, 0, `{"t":"**** it"}`)
		hs := history(t, h, ub.id, id)
		if len(hs) != 1 || hs[0].Content != `{"t": "**** it"}` {
			t.Fatalf("stored %+v", hs)
		}
		// Updates are not filtered by a send hook.
		a.ack(updateEnv(id, hs[0].ID.String(), `{"t":"darn"}`))
		b.message(id, 1, `{"t":"darn"}`)
	})
}
