package core_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
)

// liveLog records what a Core delivers live.
type liveLog struct {
	mu            sync.Mutex
	messages      []core.ChannelMessage
	notifications []core.Notification
}

func (l *liveLog) pushMessages(_ context.Context, ms []core.ChannelMessage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.messages = append(l.messages, ms...)
}

func (l *liveLog) pushNotifications(_ context.Context, ns []core.Notification) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.notifications = append(l.notifications, ns...)
}

func (l *liveLog) take() []core.ChannelMessage {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.messages
	l.messages = nil
	return out
}

func chatCore(t *testing.T) (*core.Core, *liveLog) {
	t.Helper()
	live := &liveLog{}
	c := core.New(core.Options{
		Pool: dbtest.Pool(t), BcryptCost: 4,
		ChannelMessagePush: live.pushMessages, NotificationPush: live.pushNotifications,
		Tokens: core.TokenOptions{EncryptionKey: []byte("k"), RefreshEncryptionKey: []byte("r"), TokenExpiry: time.Minute, RefreshTokenExpiry: time.Hour},
	})
	return c, live
}

func TestChannelIDs(t *testing.T) {
	t.Parallel()
	c, _ := chatCore(t)
	a, b := newPlayer(t, c, "ann"), newPlayer(t, c, "ben")
	g := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "guild", Open: true})

	room, err := c.ChannelIDBuild(ctx, a.UserID, "lobby", core.ChannelTypeRoom)
	if err != nil || room.ID != "2...lobby" || room.RoomName() != "lobby" || room.GroupID() != "" {
		t.Fatalf("room = %+v, %v", room, err)
	}
	if unspecified, _ := c.ChannelIDBuild(ctx, a.UserID, "lobby", 0); unspecified != room {
		t.Fatalf("type 0 = %+v, want the room", unspecified)
	}
	group, err := c.ChannelIDBuild(ctx, a.UserID, g.ID.String(), core.ChannelTypeGroup)
	if err != nil || group.ID != "3."+g.ID.String()+".." || group.GroupID() != g.ID.String() {
		t.Fatalf("group = %+v, %v", group, err)
	}
	ab, err := c.ChannelIDBuild(ctx, a.UserID, b.id, core.ChannelTypeDirect)
	if err != nil {
		t.Fatal(err)
	}
	ba, err := c.ChannelIDBuild(ctx, b.UserID, a.id, core.ChannelTypeDirect)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := a.id, b.id
	if lo > hi {
		lo, hi = hi, lo
	}
	if ab != ba || ab.ID != "4."+lo+"."+hi+"." || ab.UserIDOne() != lo || ab.UserIDTwo() != hi {
		t.Fatalf("direct channels %+v and %+v", ab, ba)
	}
	// The system may name any group, not a direct message (it has no side of its own).
	if sys, err := c.ChannelIDBuild(ctx, uuid.Nil, uuid.NewString(), core.ChannelTypeGroup); err != nil || sys.Stream.Mode != core.ChannelModeGroup {
		t.Fatalf("system group channel %+v, %v", sys, err)
	}
	_, err = c.ChannelIDBuild(ctx, uuid.Nil, b.id, core.ChannelTypeDirect)
	wantCode(t, err, core.CodeInvalidArgument, "A direct message channel needs a sender user ID: Invalid channel target")

	for _, ch := range []core.Channel{room, group, ab} {
		if back, err := core.ParseChannelID(ch.ID); err != nil || back != ch {
			t.Fatalf("parse %q = %+v, %v", ch.ID, back, err)
		}
	}
	// Other spellings of the ids name the same channel; the id comes back canonical.
	if back, err := core.ParseChannelID("3." + strings.ToUpper(g.ID.String()) + ".."); err != nil || back != group {
		t.Fatalf("upper-case group id: %+v, %v", back, err)
	}
	for _, bad := range []string{"", "2..lobby", "2...", "2..." + strings.Repeat("x", 65), "2.x..lobby", "3.nope..", "3." + g.ID.String() + ".x.",
		"3..." + "x", "4." + lo + "." + hi + ".x", "4.nope..", "1...a", "02...a", "2...\xff", "2...a\x00"} {
		_, err := core.ParseChannelID(bad)
		wantCode(t, err, core.CodeInvalidArgument, "Invalid channel identifier")
	}
	// As in Nakama, labels may hold dots, and empty subjects parse (to channels nobody
	// can join).
	if ch, err := core.ParseChannelID("2...a.b"); err != nil || ch.RoomName() != "a.b" {
		t.Fatalf("dotted room %+v, %v", ch, err)
	}
	if ch, err := core.ParseChannelID("4..."); err != nil || ch.Stream.Mode != core.ChannelModeDirect {
		t.Fatalf("empty direct %+v, %v", ch, err)
	}
}

func TestChannelJoinRules(t *testing.T) {
	t.Parallel()
	c, live := chatCore(t)
	me, other, blocker, blocked := newPlayer(t, c, "me"), newPlayer(t, c, "other"), newPlayer(t, c, "blocker"), newPlayer(t, c, "blocked")
	if err := c.FriendsBlock(ctx, blocker.Caller, ids(me)); err != nil {
		t.Fatal(err)
	}
	if err := c.FriendsBlock(ctx, me.Caller, ids(blocked)); err != nil {
		t.Fatal(err)
	}
	owner := newPlayer(t, c, "owner")
	open := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "open", Open: true})
	closed := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "closed"})
	banned := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "banned", Open: true})
	if err := c.GroupJoin(ctx, me.Caller, closed.ID.String()); err != nil { // a join request only
		t.Fatal(err)
	}
	if err := c.GroupJoin(ctx, me.Caller, banned.ID.String()); err != nil {
		t.Fatal(err)
	}
	if err := c.GroupUsersBan(ctx, owner.UserID, banned.ID.String(), []string{me.id}); err != nil {
		t.Fatal(err)
	}

	const target = ": Invalid channel target"
	for _, tc := range []struct {
		name    string
		target  string
		typ     core.ChannelType
		message string
	}{
		{"no target", "", core.ChannelTypeRoom, "Invalid channel target"},
		{"no target, bad type", "", 9, "Invalid channel target"},
		{"room name too long", strings.Repeat("x", 65), core.ChannelTypeRoom, "Channel name is required and must be 1-64 chars" + target},
		{"room name with a control character", "a\tb", core.ChannelTypeRoom, "Channel name must not contain control chars" + target},
		{"room name with DEL", "a\x7fb", 0, "Channel name must not contain control chars" + target},
		{"room name not UTF-8", "a\xffb", core.ChannelTypeRoom, "Channel name must only contain valid UTF-8 bytes" + target},
		{"unknown type", "x", 4, "Invalid channel type"},
		{"direct to a non-id", "bob", core.ChannelTypeDirect, "Invalid user ID in direct message join" + target},
		{"direct to the nil id", uuid.Nil.String(), core.ChannelTypeDirect, "Invalid user ID in direct message join" + target},
		{"direct to nobody", uuid.NewString(), core.ChannelTypeDirect, "User ID not found" + target},
		{"direct to a user who blocked me", blocker.id, core.ChannelTypeDirect, "User ID not found" + target},
		{"group non-id", "guild", core.ChannelTypeGroup, "Invalid group ID in group channel join" + target},
		{"group that does not exist", uuid.NewString(), core.ChannelTypeGroup, "Group not found" + target},
		{"group I am not in", open.ID.String(), core.ChannelTypeGroup, "Group not found" + target},
		{"group I asked to join", closed.ID.String(), core.ChannelTypeGroup, "Group not found" + target},
		{"group I am banned from", banned.ID.String(), core.ChannelTypeGroup, "Group not found" + target},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.ChannelJoin(ctx, me.Caller, tc.target, tc.typ, nil, false)
			wantCode(t, err, core.CodeInvalidArgument, tc.message)
		})
	}

	// Allowed: a 64-byte room (persistence defaults to on), a user I blocked (only the
	// target's block counts, as in Nakama), myself, a group I am a member of.
	no := false
	room, err := c.ChannelJoin(ctx, me.Caller, strings.Repeat("é", 32), core.ChannelTypeRoom, &no, true)
	if err != nil || room.Persistence || !room.Hidden || room.Channel.RoomName() != strings.Repeat("é", 32) {
		t.Fatalf("room join %+v, %v", room, err)
	}
	if j, err := c.ChannelJoin(ctx, me.Caller, "x", core.ChannelTypeRoom, nil, false); err != nil || !j.Persistence || j.Hidden {
		t.Fatalf("default flags %+v, %v", j, err)
	}
	if _, err := c.ChannelJoin(ctx, me.Caller, blocked.id, core.ChannelTypeDirect, nil, false); err != nil {
		t.Fatal(err)
	}
	self, err := c.ChannelJoin(ctx, me.Caller, me.id, core.ChannelTypeDirect, nil, false)
	if err != nil || self.Channel.ID != "4."+me.id+"."+me.id+"." {
		t.Fatalf("self direct %+v, %v", self, err)
	}
	if err := c.GroupJoin(ctx, me.Caller, open.ID.String()); err != nil {
		t.Fatal(err)
	}
	if j, err := c.ChannelJoin(ctx, me.Caller, open.ID.String(), core.ChannelTypeGroup, nil, false); err != nil || j.Channel.GroupID() != open.ID.String() {
		t.Fatalf("member join %+v, %v", j, err)
	}

	// The direct message invitation: one persistent notification to the other user.
	dm, err := c.ChannelJoin(ctx, me.Caller, other.id, core.ChannelTypeDirect, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	live.notifications = nil
	if err := c.ChannelDirectInvite(ctx, me.Caller, dm.Channel); err != nil {
		t.Fatal(err)
	}
	if err := c.ChannelDirectInvite(ctx, me.Caller, self.Channel); err != nil { // nobody to invite
		t.Fatal(err)
	}
	if err := c.ChannelDirectInvite(ctx, me.Caller, room.Channel); err != nil { // not a DM
		t.Fatal(err)
	}
	if len(live.notifications) != 1 {
		t.Fatalf("notifications %+v", live.notifications)
	}
	n := live.notifications[0]
	if n.UserID != other.UserID || n.Code != core.NotificationCodeDMRequest || n.Subject != "me wants to chat" ||
		n.Content != `{"username":"me"}` || n.SenderID != me.UserID || !n.Persistent {
		t.Fatalf("invitation %+v", n)
	}
	stored, err := c.NotificationsList(ctx, other.UserID, 10, "")
	if err != nil || len(stored.Notifications) != 1 {
		t.Fatalf("stored invitations %+v, %v", stored, err)
	}
}

// ackOf is the part of a message the sender's ack carries.
type ackOf struct {
	Channel  string
	Code     int32
	Username string
	Persist  bool
}

func ack(m core.ChannelMessage) ackOf {
	return ackOf{m.Channel.ID, m.Code, m.Username, m.Persistent}
}

func TestChannelMessageSendUpdateRemove(t *testing.T) {
	t.Parallel()
	c, live := chatCore(t)
	a, b := newPlayer(t, c, "ann"), newPlayer(t, c, "ben")
	room := "2...lobby"

	sent, err := c.ChannelMessageSend(ctx, a.Caller, room, `{"text":"hi"}`, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ackOf{room, 0, "ann", true}, ack(sent)); diff != "" {
		t.Fatalf("ack (-want +got):\n%s", diff)
	}
	if sent.ID.Version() != 7 || sent.CreateTime.IsZero() || !sent.UpdateTime.Equal(sent.CreateTime) || sent.Channel.RoomName() != "lobby" {
		t.Fatalf("ack %+v", sent)
	}
	if got := live.take(); len(got) != 1 || got[0] != sent {
		t.Fatalf("live %+v, want the sent message", got)
	}

	// Only the sender may update or remove, and only in the channel it was sent to.
	_, err = c.ChannelMessageUpdate(ctx, b.Caller, room, sent.ID.String(), `{"text":"mine now"}`, true)
	wantCode(t, err, core.CodeInvalidArgument, "Could not find message to update in channel history")
	_, err = c.ChannelMessageUpdate(ctx, b.Caller, room, sent.ID.String(), `{"text":"mine now"}`, false)
	wantCode(t, err, core.CodeInvalidArgument, "Could not find message to update in channel history")
	_, err = c.ChannelMessageUpdate(ctx, a.Caller, "2...elsewhere", sent.ID.String(), `{"text":"moved"}`, true)
	wantCode(t, err, core.CodeInvalidArgument, "Could not find message to update in channel history")
	_, err = c.ChannelMessageRemove(ctx, b.Caller, room, sent.ID.String(), true)
	wantCode(t, err, core.CodeInvalidArgument, "Could not find message to remove in channel history")
	_, err = c.ChannelMessageRemove(ctx, b.Caller, room, sent.ID.String(), false)
	wantCode(t, err, core.CodeInvalidArgument, "Could not find message to remove in channel history")
	if got := live.take(); len(got) != 0 {
		t.Fatalf("refusals delivered %+v", got)
	}

	time.Sleep(2 * time.Millisecond)
	upd, err := c.ChannelMessageUpdate(ctx, a.Caller, room, sent.ID.String(), `{"text":"hello"}`, true)
	if err != nil {
		t.Fatal(err)
	}
	if upd.Code != core.ChannelMessageCodeUpdate || upd.ID != sent.ID || !upd.CreateTime.Equal(sent.CreateTime) || !upd.UpdateTime.After(sent.CreateTime) {
		t.Fatalf("update ack %+v", upd)
	}
	if got := live.take(); len(got) != 1 || got[0].Code != 1 || got[0].Content != `{"text":"hello"}` {
		t.Fatalf("live update %+v", got)
	}
	hist := history(t, c, room)
	if len(hist) != 1 || hist[0].Content != `{"text": "hello"}` || hist[0].Code != 0 {
		t.Fatalf("history after update %+v", hist)
	}

	// Persistence off: delivered, acked as not persistent, nothing written.
	off, err := c.ChannelMessageSend(ctx, b.Caller, room, `{"text":"fleeting"}`, false)
	if err != nil || off.Persistent {
		t.Fatalf("unpersisted send %+v, %v", off, err)
	}
	if _, err := c.ChannelMessageUpdate(ctx, b.Caller, room, off.ID.String(), `{"text":"still fleeting"}`, false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ChannelMessageRemove(ctx, a.Caller, room, sent.ID.String(), false); err != nil {
		t.Fatal(err)
	}
	if got := live.take(); len(got) != 3 || got[0].Persistent || got[2].Code != core.ChannelMessageCodeRemove || got[2].Content != "{}" {
		t.Fatalf("live unpersisted %+v", got)
	}
	if hist := history(t, c, room); len(hist) != 1 || hist[0].ID != sent.ID {
		t.Fatalf("history after unpersisted changes %+v", hist)
	}

	rm, err := c.ChannelMessageRemove(ctx, a.Caller, room, sent.ID.String(), true)
	if err != nil || rm.Code != core.ChannelMessageCodeRemove || !rm.CreateTime.Equal(sent.CreateTime) {
		t.Fatalf("remove %+v, %v", rm, err)
	}
	if hist := history(t, c, room); len(hist) != 0 {
		t.Fatalf("history after remove %+v", hist)
	}
	_, err = c.ChannelMessageRemove(ctx, a.Caller, room, sent.ID.String(), true)
	wantCode(t, err, core.CodeInvalidArgument, "Could not find message to remove in channel history")

	// Malformed input.
	for _, content := range []string{"", "[]", `"x"`, "{", " 1", `{"a":1}x`, "{\"a\":\"\xff\"}"} {
		_, err := c.ChannelMessageSend(ctx, a.Caller, room, content, true)
		wantCode(t, err, core.CodeInvalidArgument, "Message content must be a valid JSON object")
	}
	// JSON that jsonb cannot hold is the client's mistake too, and nothing is stored.
	for _, content := range []string{`{"a":"\u0000"}`, `{"a":"\ud800"}`, `{"a":1e1000000}`} {
		_, err := c.ChannelMessageSend(ctx, a.Caller, room, content, true)
		wantCode(t, err, core.CodeInvalidArgument, "Message content must be a valid JSON object")
	}
	_, err = c.ChannelMessageSend(ctx, a.Caller, "room", "{}", true)
	wantCode(t, err, core.CodeInvalidArgument, "Invalid channel identifier")
	_, err = c.ChannelMessageSend(ctx, core.Caller{Username: strings.Repeat("n", 129)}, room, "{}", true)
	wantCode(t, err, core.CodeInvalidArgument, "Sender username must be at most 128 characters of UTF-8 text.")
	_, err = c.ChannelMessageUpdate(ctx, a.Caller, room, "nope", "{}", true)
	wantCode(t, err, core.CodeInvalidArgument, "Invalid message identifier")
	_, err = c.ChannelMessageRemove(ctx, a.Caller, "bad", "nope", true)
	wantCode(t, err, core.CodeInvalidArgument, "Invalid message identifier")
	_, err = c.ChannelMessageUpdate(ctx, a.Caller, room, sent.ID.String(), "[]", true)
	wantCode(t, err, core.CodeInvalidArgument, "Message content must be a valid JSON object")
	if hist := history(t, c, room); len(hist) != 0 {
		t.Fatalf("refused sends stored %+v", hist)
	}
}

func TestChannelMessageMembership(t *testing.T) {
	t.Parallel()
	c, live := chatCore(t)
	owner, member, outsider := newPlayer(t, c, "owner"), newPlayer(t, c, "member"), newPlayer(t, c, "outsider")
	g := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "guild", Open: true})
	if err := c.GroupJoin(ctx, member.Caller, g.ID.String()); err != nil {
		t.Fatal(err)
	}
	ch := core.GroupChannelID(g.ID)

	m, err := c.ChannelMessageSend(ctx, member.Caller, ch, `{"n":1}`, true)
	if err != nil || m.Channel.GroupID() != g.ID.String() {
		t.Fatalf("member send %+v, %v", m, err)
	}
	for _, persist := range []bool{true, false} {
		_, err = c.ChannelMessageSend(ctx, outsider.Caller, ch, `{"n":2}`, persist)
		wantCode(t, err, core.CodeInvalidArgument, "Must join channel before sending messages")
	}
	// A member who is kicked can no longer send, change or remove (even while the
	// socket still has them in the channel).
	if err := c.GroupUsersKick(ctx, owner.UserID, g.ID.String(), []string{member.id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.ChannelMessageSend(ctx, member.Caller, ch, `{"n":3}`, true)
	wantCode(t, err, core.CodeInvalidArgument, "Must join channel before sending messages")
	_, err = c.ChannelMessageUpdate(ctx, member.Caller, ch, m.ID.String(), `{"n":4}`, true)
	wantCode(t, err, core.CodeInvalidArgument, "Must join channel before updating messages")
	_, err = c.ChannelMessageRemove(ctx, member.Caller, ch, m.ID.String(), true)
	wantCode(t, err, core.CodeInvalidArgument, "Must join channel before removing messages")

	// Server events cannot be changed, not even by the user they are about.
	if err := c.GroupJoin(ctx, outsider.Caller, g.ID.String()); err != nil {
		t.Fatal(err)
	}
	events, err := c.GroupChannelMessages(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	joinEvent := events[len(events)-1]
	if joinEvent.Code != core.ChannelMessageCodeGroupJoin || joinEvent.SenderID != outsider.UserID {
		t.Fatalf("join event %+v", joinEvent)
	}
	_, err = c.ChannelMessageUpdate(ctx, outsider.Caller, ch, joinEvent.ID.String(), `{"fake":true}`, true)
	wantCode(t, err, core.CodeInvalidArgument, "Could not find message to update in channel history")
	_, err = c.ChannelMessageRemove(ctx, outsider.Caller, ch, joinEvent.ID.String(), true)
	wantCode(t, err, core.CodeInvalidArgument, "Could not find message to remove in channel history")
	if err := c.GroupLeave(ctx, outsider.Caller, g.ID.String()); err != nil {
		t.Fatal(err)
	}

	// The system sends anywhere there is a group; its messages have no sender.
	sys, err := c.ChannelMessageSend(ctx, core.Caller{}, ch, `{"notice":true}`, true)
	if err != nil || sys.SenderID != uuid.Nil || sys.Username != "" {
		t.Fatalf("system send %+v, %v", sys, err)
	}
	_, err = c.ChannelMessageSend(ctx, core.Caller{}, core.GroupChannelID(uuid.New()), `{}`, true)
	wantCode(t, err, core.CodeInvalidArgument, "Group not found: Invalid channel target")

	// Direct messages: only the two users.
	dm := core.DirectChannel(owner.UserID, member.UserID).ID
	if _, err := c.ChannelMessageSend(ctx, member.Caller, dm, `{}`, true); err != nil {
		t.Fatal(err)
	}
	_, err = c.ChannelMessageSend(ctx, outsider.Caller, dm, `{}`, true)
	wantCode(t, err, core.CodeInvalidArgument, "Must join channel before sending messages")

	// Every delivery, group events included, went through the one pusher.
	var codes []int32
	for _, m := range live.take() {
		codes = append(codes, m.Code)
	}
	want := []int32{core.ChannelMessageCodeGroupJoin, 0, core.ChannelMessageCodeGroupKick,
		core.ChannelMessageCodeGroupJoin, core.ChannelMessageCodeGroupLeave, 0, 0}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Fatalf("live codes (-want +got):\n%s", diff)
	}

	// Deleting a group takes its history along.
	if err := c.GroupDelete(ctx, owner.UserID, g.ID.String()); err != nil {
		t.Fatal(err)
	}
	if hist := history(t, c, ch); len(hist) != 0 {
		t.Fatalf("history of a deleted group %+v", hist)
	}
}

// history lists a whole channel as the runtime would, oldest first.
func history(t *testing.T, c *core.Core, channelID string) []core.ChannelMessage {
	t.Helper()
	var out []core.ChannelMessage
	cursor := ""
	for {
		page, err := c.ChannelMessagesList(ctx, uuid.Nil, channelID, 100, true, cursor)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Messages...)
		if page.NextCursor == "" {
			return out
		}
		cursor = page.NextCursor
	}
}

func contents(ms []core.ChannelMessage) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Content
	}
	return out
}

func TestChannelHistoryPaging(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	a := newPlayer(t, c, "ann")
	const room = "2...paging"
	var want []string
	for i := range 7 {
		content := `{"n": ` + string(rune('0'+i)) + `}`
		if _, err := c.ChannelMessageSend(ctx, a.Caller, room, content, true); err != nil {
			t.Fatal(err)
		}
		want = append(want, content)
	}
	// Every message of the same instant: only the id orders them.
	if _, err := pool.Exec(ctx, `UPDATE message SET create_time = '2026-01-02 03:04:05+00' WHERE channel_id = $1`, room); err != nil {
		t.Fatal(err)
	}
	list := func(limit int, forward bool, cursor string) core.ChannelMessageList {
		t.Helper()
		page, err := c.ChannelMessagesList(ctx, a.UserID, room, limit, forward, cursor)
		if err != nil {
			t.Fatal(err)
		}
		return page
	}

	// Forward in threes: 0-2, 3-5, 6; no previous cursor on the first page.
	p1 := list(3, true, "")
	if diff := cmp.Diff(want[0:3], contents(p1.Messages)); diff != "" || p1.PrevCursor != "" || p1.NextCursor == "" {
		t.Fatalf("page 1 (-want +got):\n%s\n%+v", diff, p1)
	}
	p2 := list(3, true, p1.NextCursor)
	if diff := cmp.Diff(want[3:6], contents(p2.Messages)); diff != "" || p2.PrevCursor == "" {
		t.Fatalf("page 2 (-want +got):\n%s", diff)
	}
	p3 := list(3, true, p2.NextCursor)
	if diff := cmp.Diff(want[6:], contents(p3.Messages)); diff != "" || p3.NextCursor != "" {
		t.Fatalf("page 3 (-want +got):\n%s", diff)
	}
	// Back from page 3 is page 2, and back from there page 1 (which has no way back).
	back2 := list(3, true, p3.PrevCursor)
	if diff := cmp.Diff(want[3:6], contents(back2.Messages)); diff != "" || back2.NextCursor == "" || back2.PrevCursor == "" {
		t.Fatalf("back to page 2 (-want +got):\n%s", diff)
	}
	back1 := list(3, true, back2.PrevCursor)
	if diff := cmp.Diff(want[0:3], contents(back1.Messages)); diff != "" || back1.PrevCursor != "" {
		t.Fatalf("back to page 1 (-want +got):\n%s\n%+v", diff, back1)
	}
	if again := list(3, true, back1.NextCursor); cmp.Diff(want[3:6], contents(again.Messages)) != "" {
		t.Fatalf("forward again %v", contents(again.Messages))
	}

	// Backward: newest first, 6-4, 3-1, 0, and back again.
	reverse := func(s []string) []string {
		out := make([]string, len(s))
		for i := range s {
			out[i] = s[len(s)-1-i]
		}
		return out
	}
	b1 := list(3, false, "")
	if diff := cmp.Diff(reverse(want[4:7]), contents(b1.Messages)); diff != "" || b1.NextCursor == "" {
		t.Fatalf("backward page 1 (-want +got):\n%s", diff)
	}
	b2 := list(3, false, b1.NextCursor)
	if diff := cmp.Diff(reverse(want[1:4]), contents(b2.Messages)); diff != "" {
		t.Fatalf("backward page 2 (-want +got):\n%s", diff)
	}
	b3 := list(3, false, b2.NextCursor)
	if diff := cmp.Diff(want[0:1], contents(b3.Messages)); diff != "" || b3.NextCursor != "" {
		t.Fatalf("backward page 3 (-want +got):\n%s", diff)
	}
	if bb := list(3, false, b3.PrevCursor); cmp.Diff(reverse(want[1:4]), contents(bb.Messages)) != "" {
		t.Fatalf("backward back %v", contents(bb.Messages))
	}

	// Cursors are bound to their direction and channel.
	_, err := c.ChannelMessagesList(ctx, a.UserID, room, 3, false, p1.NextCursor)
	wantCode(t, err, core.CodeInvalidArgument, "Cursor is invalid or expired.")
	_, err = c.ChannelMessagesList(ctx, a.UserID, "2...other", 3, true, p1.NextCursor)
	wantCode(t, err, core.CodeInvalidArgument, "Cursor is invalid or expired.")
	for _, bad := range []string{"x", "AAAA", p1.NextCursor + "A", strings.ToUpper(p1.NextCursor)} {
		_, err = c.ChannelMessagesList(ctx, a.UserID, room, 3, true, bad)
		wantCode(t, err, core.CodeInvalidArgument, "Cursor is invalid or expired.")
	}
}

func TestChannelHistoryCacheableCursor(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	a := newPlayer(t, c, "ann")
	const room = "2...cache"
	send := func(content string) {
		t.Helper()
		if _, err := c.ChannelMessageSend(ctx, a.Caller, room, content, true); err != nil {
			t.Fatal(err)
		}
	}
	list := func(limit int, forward bool, cursor string) core.ChannelMessageList {
		t.Helper()
		page, err := c.ChannelMessagesList(ctx, a.UserID, room, limit, forward, cursor)
		if err != nil {
			t.Fatal(err)
		}
		return page
	}

	// An empty channel still gives a cursor to poll with.
	empty := list(10, false, "")
	if empty.CacheableCursor == "" || len(empty.Messages) != 0 {
		t.Fatalf("empty channel %+v", empty)
	}
	send(`{"n": 1}`)
	send(`{"n": 2}`)
	if got := list(10, true, empty.CacheableCursor); cmp.Diff([]string{`{"n": 1}`, `{"n": 2}`}, contents(got.Messages)) != "" {
		t.Fatalf("from the empty channel's cursor %v", contents(got.Messages))
	}
	// The most recent messages, newest first (the recommended first view): the cursor
	// marks the newest of them, so it gives only what comes after.
	recent := list(1, false, "")
	send(`{"n": 3}`)
	send(`{"n": 4}`)
	// Messages of the same instant as the newest seen are not skipped.
	if _, err := pool.Exec(ctx, `UPDATE message SET create_time = (SELECT max(create_time) FROM message WHERE content = '{"n": 2}') WHERE channel_id = $1`, room); err != nil {
		t.Fatal(err)
	}
	newer := list(10, true, recent.CacheableCursor)
	if diff := cmp.Diff([]string{`{"n": 3}`, `{"n": 4}`}, contents(newer.Messages)); diff != "" {
		t.Fatalf("newer than the recent page (-want +got):\n%s", diff)
	}
	// Nothing newer: the cursor stays where it was and keeps working.
	idle := list(10, true, newer.CacheableCursor)
	if len(idle.Messages) != 0 || idle.CacheableCursor != newer.CacheableCursor {
		t.Fatalf("idle poll %+v", idle)
	}
	send(`{"n": 5}`)
	if got := list(10, true, idle.CacheableCursor); cmp.Diff([]string{`{"n": 5}`}, contents(got.Messages)) != "" {
		t.Fatalf("after idle %v", contents(got.Messages))
	}
	// A removed message does not break a cursor pointing at it.
	all := list(10, true, "")
	last := all.Messages[len(all.Messages)-1]
	if _, err := c.ChannelMessageRemove(ctx, a.Caller, room, last.ID.String(), true); err != nil {
		t.Fatal(err)
	}
	if got := list(10, true, all.CacheableCursor); len(got.Messages) != 0 {
		t.Fatalf("after removal %v", contents(got.Messages))
	}
}

func TestChannelHistoryAccess(t *testing.T) {
	t.Parallel()
	c, _ := chatCore(t)
	owner, member, outsider := newPlayer(t, c, "owner"), newPlayer(t, c, "member"), newPlayer(t, c, "outsider")
	g := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "guild", Open: true})
	if err := c.GroupJoin(ctx, member.Caller, g.ID.String()); err != nil {
		t.Fatal(err)
	}
	dm := core.DirectChannel(owner.UserID, member.UserID).ID
	if _, err := c.ChannelMessageSend(ctx, owner.Caller, dm, `{}`, true); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ChannelMessageSend(ctx, owner.Caller, "2...open", `{}`, true); err != nil {
		t.Fatal(err)
	}
	group := core.GroupChannelID(g.ID)
	count := func(caller uuid.UUID, ch string) (int, error) {
		page, err := c.ChannelMessagesList(ctx, caller, ch, 100, true, "")
		return len(page.Messages), err
	}
	for _, tc := range []struct {
		name    string
		caller  uuid.UUID
		channel string
		n       int
		message string
	}{
		{"room, never joined", outsider.UserID, "2...open", 1, ""},
		{"group member", member.UserID, group, 1, ""}, // member's join event
		{"group outsider", outsider.UserID, group, 0, "Group not found."},
		{"group that does not exist", member.UserID, core.GroupChannelID(uuid.New()), 0, "Group not found."},
		{"direct, one of the two", member.UserID, dm, 1, ""},
		{"direct, someone else", outsider.UserID, dm, 0, "Channel not found."},
		{"runtime reads anything", uuid.Nil, dm, 1, ""},
		{"malformed id", member.UserID, "3.x..", 0, "Invalid channel ID."},
		{"empty id", member.UserID, "", 0, "Invalid channel ID."},
		{"room name not UTF-8", member.UserID, "2...\xff", 0, "Invalid channel ID."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := count(tc.caller, tc.channel)
			if tc.message != "" {
				wantCode(t, err, core.CodeInvalidArgument, tc.message)
				return
			}
			if err != nil || n != tc.n {
				t.Fatalf("%d messages, %v; want %d", n, err, tc.n)
			}
		})
	}
	for _, limit := range []int{0, 101} {
		_, err := c.ChannelMessagesList(ctx, member.UserID, group, limit, true, "")
		wantCode(t, err, core.CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
	}
	// After leaving, the history is closed to the former member.
	if err := c.GroupLeave(ctx, member.Caller, g.ID.String()); err != nil {
		t.Fatal(err)
	}
	_, err := count(member.UserID, group)
	wantCode(t, err, core.CodeInvalidArgument, "Group not found.")
}

func TestChatAccountDeleteAndExport(t *testing.T) {
	t.Parallel()
	c, _ := chatCore(t)
	a, b := newPlayer(t, c, "ann"), newPlayer(t, c, "ben")
	dm := core.DirectChannel(a.UserID, b.UserID).ID
	for _, p := range []player{a, b} {
		if _, err := c.ChannelMessageSend(ctx, p.Caller, dm, `{"from":"`+p.Username+`"}`, true); err != nil {
			t.Fatal(err)
		}
	}
	export, err := c.AccountExport(ctx, a.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(export, `"messages":[{"channel_id":"`+dm+`"`) || !strings.Contains(export, `"content":{"from":"ann"}`) || strings.Contains(export, "ben") {
		t.Fatalf("export %s", export)
	}
	if err := c.AccountDelete(ctx, a.UserID, false); err != nil {
		t.Fatal(err)
	}
	// The deleted account's messages go; the other user's stay with them.
	if hist := history(t, c, dm); len(hist) != 1 || hist[0].SenderID != b.UserID {
		t.Fatalf("history after deletion %+v", hist)
	}
}
