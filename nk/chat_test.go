package nk_test

import (
	"testing"

	"github.com/heroiclabs/nakama-common/runtime"
)

func TestChat(t *testing.T) {
	e := newEnv(t)
	alice, aliceName := e.user(t)
	bob, _ := e.user(t)

	// Ids: rooms by name, DMs the same from both sides, groups by id.
	room, err := e.nk.ChannelIdBuild(ctx, alice, "lobby", runtime.Room)
	if err != nil || room != "2...lobby" {
		t.Fatalf("room id %q %v", room, err)
	}
	dm1, err := e.nk.ChannelIdBuild(ctx, alice, bob, runtime.DirectMessage)
	must(t, err)
	dm2, err := e.nk.ChannelIdBuild(ctx, bob, alice, runtime.DirectMessage)
	if err != nil || dm1 != dm2 {
		t.Fatalf("DM ids differ by side: %q %q %v", dm1, dm2, err)
	}
	g, err := e.nk.GroupCreate(ctx, alice, "Chatters", "", "en", "", "", true, nil, 10)
	must(t, err)
	group, err := e.nk.ChannelIdBuild(ctx, alice, g.Id, runtime.Group)
	if err != nil || group != "3."+g.Id+".." {
		t.Fatalf("group id %q %v", group, err)
	}
	wantArgError(t, mustErr(e.nk.ChannelIdBuild(ctx, "not-a-uuid", "lobby", runtime.Room)))
	wantCode(t, mustErr(e.nk.ChannelIdBuild(ctx, alice, "", runtime.Room)), 3)

	// Send, update, remove: the ack carries the channel and the sender's name.
	ack, err := e.nk.ChannelMessageSend(ctx, room, map[string]any{"text": "hello"}, alice, aliceName, true)
	if err != nil || ack.ChannelId != room || ack.Username != aliceName || !ack.Persistent.GetValue() || ack.RoomName != "lobby" {
		t.Fatalf("send ack %v %v", ack, err)
	}
	up, err := e.nk.ChannelMessageUpdate(ctx, room, ack.MessageId, map[string]any{"text": "hello!"}, alice, aliceName, true)
	if err != nil || up.MessageId != ack.MessageId || up.Code.GetValue() != 1 {
		t.Fatalf("update ack %v %v", up, err)
	}
	wantCode(t, mustErr(e.nk.ChannelMessageUpdate(ctx, room, ack.MessageId, map[string]any{"text": "mine now"}, bob, "bob", true)), 3)
	system, err := e.nk.ChannelMessageSend(ctx, room, map[string]any{"text": "server says"}, "", "", true)
	if err != nil || system.Username != "" {
		t.Fatalf("system send %v %v", system, err)
	}
	wantArgError(t, mustErr(e.nk.ChannelMessageSend(ctx, room, nil, "nope", "", true)))
	wantCode(t, mustErr(e.nk.ChannelMessageSend(ctx, "not-a-channel", map[string]any{}, alice, aliceName, true)), 3)

	msgs, next, _, err := e.nk.ChannelMessagesList(ctx, room, 10, true, "")
	if err != nil || len(msgs) != 2 || next != "" {
		t.Fatalf("list %d %q %v", len(msgs), next, err)
	}
	if msgs[0].Content != `{"text": "hello!"}` || msgs[0].SenderId != alice || msgs[1].Content != `{"text": "server says"}` { // as jsonb prints them
		t.Fatalf("history %v", msgs)
	}
	if _, err := e.nk.ChannelMessageRemove(ctx, room, ack.MessageId, alice, aliceName, true); err != nil {
		t.Fatal(err)
	}
	msgs, _, _, err = e.nk.ChannelMessagesList(ctx, room, 10, true, "")
	if err != nil || len(msgs) != 1 {
		t.Fatalf("after remove %d %v", len(msgs), err)
	}
	_, _, _, err = e.nk.ChannelMessagesList(ctx, room, 0, true, "")
	wantCode(t, err, 3)

	// Group channels: members only, and the group's events are in its history.
	wantCode(t, mustErr(e.nk.ChannelMessageSend(ctx, group, map[string]any{}, bob, "bob", true)), 3)
	if _, err := e.nk.ChannelMessageSend(ctx, group, map[string]any{"text": "members only"}, alice, aliceName, true); err != nil {
		t.Fatal(err)
	}
}
