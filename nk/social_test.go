package nk_test

import (
	"testing"

	"github.com/heroiclabs/nakama-common/runtime"
)

func intp(i int) *int { return &i }

func TestFriends(t *testing.T) {
	e := newEnv(t)
	a, an := e.user(t)
	b, bn := e.user(t)
	c, _ := e.user(t)
	must(t, e.nk.FriendsAdd(ctx, a, an, []string{b}, nil, map[string]any{"met": "lobby"}))
	friends, _, err := e.nk.FriendsList(ctx, a, 10, nil, "")
	must(t, err)
	if len(friends) != 1 || friends[0].User.Id != b || friends[0].State.GetValue() != 1 {
		t.Fatalf("a's list: %v", friends)
	}
	must(t, e.nk.FriendsAdd(ctx, b, bn, nil, []string{an}, nil)) // accept by username
	friends, _, err = e.nk.FriendsList(ctx, b, 10, intp(0), "")
	must(t, err)
	if len(friends) != 1 || friends[0].User.Id != a {
		t.Fatalf("b's friends: %v", friends)
	}
	wantCode(t, e.nk.FriendsAdd(ctx, a, an, []string{a}, nil, nil), 3) // self
	wantArgError(t, e.nk.FriendsAdd(ctx, a, "", []string{b}, nil, nil))
	wantArgError(t, errOf3(e.nk.FriendsList(ctx, a, 0, nil, "")))
	wantArgError(t, errOf3(e.nk.FriendsList(ctx, a, 10, intp(7), "")))

	// Friends of friends: c befriends b, so a sees c through b.
	must(t, e.nk.FriendsAdd(ctx, c, "c", []string{b}, nil, nil))
	must(t, e.nk.FriendsAdd(ctx, b, bn, []string{c}, nil, nil))
	fof, _, err := e.nk.FriendsOfFriendsList(ctx, a, 10, "")
	must(t, err)
	if len(fof) != 1 || fof[0].User.Id != c || fof[0].Referrer != b {
		t.Fatalf("friends of friends: %v", fof)
	}
	wantArgError(t, errOf3(e.nk.FriendsOfFriendsList(ctx, badID, 10, "")))

	must(t, e.nk.FriendsBlock(ctx, a, an, []string{c}, nil))
	blocked, _, err := e.nk.FriendsList(ctx, a, 10, intp(3), "")
	must(t, err)
	if len(blocked) != 1 || blocked[0].User.Id != c {
		t.Fatalf("blocked: %v", blocked)
	}
	wantCode(t, e.nk.FriendsBlock(ctx, a, an, []string{a}, nil), 3)
	must(t, e.nk.FriendsDelete(ctx, a, an, []string{b, c}, nil))
	friends, _, _ = e.nk.FriendsList(ctx, a, 10, nil, "")
	if len(friends) != 0 {
		t.Fatalf("after delete: %v", friends)
	}
	wantCode(t, e.nk.FriendsDelete(ctx, a, an, []string{a}, nil), 3)
	wantArgError(t, e.nk.FriendsDelete(ctx, badID, an, []string{b}, nil))
}

func TestGroups(t *testing.T) {
	e := newEnv(t)
	owner, ownerName := e.user(t)
	member, memberName := e.user(t)
	third, _ := e.user(t)

	g, err := e.nk.GroupCreate(ctx, owner, "Knights", "", "en", "brave", "", true, map[string]any{"tier": 1}, 10)
	must(t, err)
	if g.Name != "Knights" || g.CreatorId != owner || !g.Open.GetValue() || g.MaxCount != 10 || g.EdgeCount != 1 {
		t.Fatalf("created: %v", g)
	}
	wantCode(t, mustErr(e.nk.GroupCreate(ctx, owner, "Knights", "", "en", "", "", true, nil, 10)), 6)
	wantArgError(t, mustErr(e.nk.GroupCreate(ctx, owner, "", "", "en", "", "", true, nil, 10)))
	wantArgError(t, mustErr(e.nk.GroupCreate(ctx, badID, "Other", "", "en", "", "", true, nil, 10)))

	must(t, e.nk.GroupUpdate(ctx, g.Id, "", "Knights II", "", "", "braver", "", false, nil, 0))
	got, err := e.nk.GroupsGetId(ctx, []string{g.Id})
	must(t, err)
	if len(got) != 1 || got[0].Name != "Knights II" || got[0].Description != "braver" || got[0].Open.GetValue() {
		t.Fatalf("updated: %v", got)
	}
	wantCode(t, e.nk.GroupUpdate(ctx, g.Id, member, "Stolen", "", "", "", "", true, nil, 0), 5) // not an admin
	wantCode(t, mustErr(e.nk.GroupsGetId(ctx, []string{"bad"})), 3)

	list, _, err := e.nk.GroupsList(ctx, "Knights%", "", nil, nil, 10, "")
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("list: %v", list)
	}
	wantArgError(t, errOf3(e.nk.GroupsList(ctx, "", "", nil, nil, 0, "")))

	// Closed group: joining is a request, which the owner accepts by adding.
	must(t, e.nk.GroupUserJoin(ctx, g.Id, member, memberName))
	users, _, err := e.nk.GroupUsersList(ctx, g.Id, 10, intp(3), "")
	must(t, err)
	if len(users) != 1 || users[0].User.Id != member {
		t.Fatalf("join requests: %v", users)
	}
	must(t, e.nk.GroupUsersAdd(ctx, owner, g.Id, []string{member, third}))
	users, _, err = e.nk.GroupUsersList(ctx, g.Id, 10, nil, "")
	must(t, err)
	if len(users) != 3 {
		t.Fatalf("members: %v", users)
	}
	wantCode(t, e.nk.GroupUsersAdd(ctx, third, g.Id, []string{owner}), 5) // members cannot add: looks like no group, as in Nakama
	wantArgError(t, e.nk.GroupUsersAdd(ctx, owner, g.Id, []string{badID}))

	must(t, e.nk.GroupUsersPromote(ctx, "", g.Id, []string{member}))
	users, _, _ = e.nk.GroupUsersList(ctx, g.Id, 10, intp(1), "")
	if len(users) != 1 || users[0].User.Id != member {
		t.Fatalf("admins after promote: %v", users)
	}
	must(t, e.nk.GroupUsersDemote(ctx, owner, g.Id, []string{member}))
	users, _, _ = e.nk.GroupUsersList(ctx, g.Id, 10, intp(1), "")
	if len(users) != 0 {
		t.Fatalf("admins after demote: %v", users)
	}
	wantCode(t, e.nk.GroupUsersPromote(ctx, third, g.Id, []string{member}), 5)

	must(t, e.nk.GroupUsersKick(ctx, owner, g.Id, []string{third}))
	mine, _, err := e.nk.UserGroupsList(ctx, third, 10, nil, "")
	must(t, err)
	if len(mine) != 0 {
		t.Fatalf("kicked user's groups: %v", mine)
	}
	must(t, e.nk.GroupUsersBan(ctx, owner, g.Id, []string{member}))
	banned, _, err := e.nk.GroupUsersList(ctx, g.Id, 10, intp(4), "")
	must(t, err)
	if len(banned) != 1 || banned[0].User.Id != member {
		t.Fatalf("banned: %v", banned)
	}
	mine, _, err = e.nk.UserGroupsList(ctx, owner, 10, nil, "")
	must(t, err)
	if len(mine) != 1 || mine[0].State.GetValue() != 0 || mine[0].Group.Id != g.Id {
		t.Fatalf("owner's groups: %v", mine)
	}
	wantCode(t, e.nk.GroupUsersKick(ctx, member, g.Id, []string{owner}), 5)
	wantCode(t, e.nk.GroupUsersBan(ctx, member, g.Id, []string{owner}), 5)
	wantCode(t, e.nk.GroupUsersDemote(ctx, member, g.Id, []string{owner}), 5)
	wantArgError(t, errOf3(e.nk.UserGroupsList(ctx, badID, 10, nil, "")))
	wantArgError(t, errOf3(e.nk.GroupUsersList(ctx, g.Id, 10, intp(9), "")))

	must(t, e.nk.GroupUserLeave(ctx, g.Id, third, "nobody")) // not in the group: nothing to do
	wantArgError(t, e.nk.GroupUserLeave(ctx, g.Id, third, ""))
	must(t, e.nk.GroupUserLeave(ctx, g.Id, owner, ownerName)) // the only member left: the group goes
	gone, err := e.nk.GroupsGetId(ctx, []string{g.Id})
	must(t, err)
	if len(gone) != 0 {
		t.Fatalf("group should be gone: %v", gone)
	}

	g2, err := e.nk.GroupCreate(ctx, owner, "Temporary", "", "en", "", "", true, nil, 0)
	must(t, err)
	must(t, e.nk.GroupDelete(ctx, g2.Id))
	must(t, e.nk.GroupDelete(ctx, g2.Id)) // the server deleting a missing group is no error
	wantCode(t, e.nk.GroupDelete(ctx, "not-an-id"), 3)
}

func TestNotifications(t *testing.T) {
	e := newEnv(t)
	a, _ := e.user(t)
	b, _ := e.user(t)
	must(t, e.nk.NotificationSend(ctx, a, "hello", map[string]any{"n": 1}, 1, "", true))
	must(t, e.nk.NotificationsSend(ctx, []*runtime.NotificationSend{
		{UserID: a, Subject: "second", Content: map[string]any{}, Code: 2, Sender: b, Persistent: true},
		{UserID: b, Subject: "for b", Content: map[string]any{}, Code: 2, Persistent: true},
	}))
	must(t, e.nk.NotificationSendAll(ctx, "everyone", map[string]any{"all": true}, 3, true))

	list, cursor, err := e.nk.NotificationsList(ctx, a, 10, "")
	must(t, err)
	if len(list) != 3 || list[0].Subject != "hello" || list[1].SenderId != b || cursor == "" {
		t.Fatalf("a's notifications: %v", list)
	}
	more, _, err := e.nk.NotificationsList(ctx, a, 10, cursor)
	must(t, err)
	if len(more) != 0 {
		t.Fatalf("after the cacheable cursor: %v", more)
	}
	wantArgError(t, e.nk.NotificationSend(ctx, a, "", map[string]any{}, 1, "", true))
	wantArgError(t, e.nk.NotificationSend(ctx, a, "s", nil, 1, "", true))
	wantArgError(t, e.nk.NotificationSend(ctx, a, "s", map[string]any{}, -5, "", true))
	wantArgError(t, e.nk.NotificationsSend(ctx, []*runtime.NotificationSend{{UserID: badID, Subject: "s", Content: map[string]any{}}}))
	wantArgError(t, e.nk.NotificationSendAll(ctx, "", map[string]any{}, 1, true))
	wantCode(t, errOf3(e.nk.NotificationsList(ctx, a, 10, "garbage")), 3)

	must(t, e.nk.NotificationsDeleteId(ctx, a, []string{list[0].Id}))
	must(t, e.nk.NotificationsDelete(ctx, []*runtime.NotificationDelete{{UserID: a, NotificationID: list[1].Id}}))
	left, _, err := e.nk.NotificationsList(ctx, a, 10, "")
	must(t, err)
	if len(left) != 1 || left[0].Subject != "everyone" {
		t.Fatalf("left: %v", left)
	}
	wantArgError(t, e.nk.NotificationsDeleteId(ctx, badID, []string{list[0].Id}))
	wantArgError(t, e.nk.NotificationsDelete(ctx, []*runtime.NotificationDelete{{UserID: a, NotificationID: "bad"}}))
}

func TestUsersGetFriendStatusAndMetadata(t *testing.T) {
	e := newEnv(t)
	a, an := e.user(t)
	b, bn := e.user(t)
	c, _ := e.user(t)
	d, _ := e.user(t)
	must(t, e.nk.FriendsAdd(ctx, a, an, []string{b, c}, nil, map[string]any{"met": "lobby"}))
	must(t, e.nk.FriendsAdd(ctx, b, bn, []string{a}, nil, nil)) // b accepts

	status, err := e.nk.UsersGetFriendStatus(ctx, a, []string{b, c, d, unknownID})
	must(t, err)
	states := map[string]int32{}
	for _, f := range status {
		states[f.User.Id] = f.State.GetValue()
	}
	if len(status) != 2 || states[b] != 0 || states[c] != 1 {
		t.Fatalf("a's status with b, c, d: %v", status)
	}
	status, err = e.nk.UsersGetFriendStatus(ctx, c, []string{a})
	must(t, err)
	if len(status) != 1 || status[0].State.GetValue() != 2 || status[0].User.Id != a {
		t.Fatalf("c's status with a: %v", status)
	}
	status, err = e.nk.UsersGetFriendStatus(ctx, a, nil)
	if err != nil || len(status) != 0 {
		t.Fatalf("no users: %v, %v", status, err)
	}
	wantArgError(t, mustErr(e.nk.UsersGetFriendStatus(ctx, badID, []string{b})))
	wantArgError(t, mustErr(e.nk.UsersGetFriendStatus(ctx, a, []string{badID})))

	// Metadata: only a's side of the edge changes.
	must(t, e.nk.FriendMetadataUpdate(ctx, a, b, map[string]any{"note": "best"}))
	status, err = e.nk.UsersGetFriendStatus(ctx, a, []string{b})
	must(t, err)
	if len(status) != 1 || status[0].Metadata != `{"note": "best"}` || status[0].State.GetValue() != 0 {
		t.Fatalf("after metadata update: %v", status)
	}
	status, err = e.nk.UsersGetFriendStatus(ctx, b, []string{a})
	must(t, err)
	if len(status) != 1 || status[0].Metadata != "{}" {
		t.Fatalf("b's side changed: %v", status)
	}
	must(t, e.nk.FriendMetadataUpdate(ctx, a, c, nil)) // an invitation is an edge too
	wantCode(t, e.nk.FriendMetadataUpdate(ctx, a, d, map[string]any{"x": 1}), 5)
	wantCode(t, e.nk.FriendMetadataUpdate(ctx, a, a, map[string]any{"x": 1}), 5)
	wantCode(t, e.nk.FriendMetadataUpdate(ctx, a, b, map[string]any{"bad": "\x00"}), 3)
	wantArgError(t, e.nk.FriendMetadataUpdate(ctx, badID, b, nil))
	wantArgError(t, e.nk.FriendMetadataUpdate(ctx, a, badID, nil))
}

func TestGroupsGetRandom(t *testing.T) {
	e := newEnv(t)
	owner, _ := e.user(t)
	got, err := e.nk.GroupsGetRandom(ctx, 5)
	if err != nil || len(got) != 0 {
		t.Fatalf("no groups: %v, %v", got, err)
	}
	made := map[string]bool{}
	for _, name := range []string{"Red", "Green", "Blue"} {
		g, err := e.nk.GroupCreate(ctx, owner, name, "", "en", "", "", true, nil, 10)
		must(t, err)
		made[g.Id] = true
	}
	got, err = e.nk.GroupsGetRandom(ctx, 2)
	must(t, err)
	if len(got) != 2 || !made[got[0].Id] || !made[got[1].Id] || got[0].Id == got[1].Id {
		t.Fatalf("two random groups: %v", got)
	}
	got, err = e.nk.GroupsGetRandom(ctx, 1000)
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("all groups: got %d, want 3", len(got))
	}
	got, err = e.nk.GroupsGetRandom(ctx, 0)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("count 0: %v, %v", got, err)
	}
	wantArgError(t, mustErr(e.nk.GroupsGetRandom(ctx, -1)))
	wantArgError(t, mustErr(e.nk.GroupsGetRandom(ctx, 1001)))
}

func TestNotificationsGetIdAndUpdate(t *testing.T) {
	e := newEnv(t)
	a, _ := e.user(t)
	b, _ := e.user(t)
	must(t, e.nk.NotificationsSend(ctx, []*runtime.NotificationSend{
		{UserID: a, Subject: "first", Content: map[string]any{"n": 1}, Code: 1, Sender: b, Persistent: true},
		{UserID: a, Subject: "second", Content: map[string]any{"n": 2}, Code: 2, Persistent: true},
		{UserID: b, Subject: "for b", Content: map[string]any{}, Code: 3, Persistent: true},
	}))
	listA, _, err := e.nk.NotificationsList(ctx, a, 10, "")
	must(t, err)
	listB, _, err := e.nk.NotificationsList(ctx, b, 10, "")
	must(t, err)
	first, second, forB := listA[0].Id, listA[1].Id, listB[0].Id

	got, err := e.nk.NotificationsGetId(ctx, "", []string{second, first, forB, unknownID})
	must(t, err)
	if len(got) != 3 || got[0].Id != first || got[0].UserID != a || got[0].Sender != b || got[0].Code != 1 ||
		got[0].Content["n"] != float64(1) || !got[0].Persistent || got[0].CreateTime == nil || got[1].Sender != "" {
		t.Fatalf("by id: %+v", got)
	}
	got, err = e.nk.NotificationsGetId(ctx, a, []string{first, forB})
	must(t, err)
	if len(got) != 1 || got[0].Id != first {
		t.Fatalf("scoped to a: %+v", got)
	}
	got, err = e.nk.NotificationsGetId(ctx, a, nil)
	if err != nil || len(got) != 0 {
		t.Fatalf("no ids: %v, %v", got, err)
	}
	wantArgError(t, mustErr(e.nk.NotificationsGetId(ctx, a, []string{badID})))
	wantArgError(t, mustErr(e.nk.NotificationsGetId(ctx, badID, []string{first})))

	subject, system := "renamed", ""
	must(t, e.nk.NotificationsUpdate(ctx,
		runtime.NotificationUpdate{Id: first, Subject: &subject, Sender: &system},
		runtime.NotificationUpdate{Id: second, Content: map[string]any{"n": 20}},
	))
	got, err = e.nk.NotificationsGetId(ctx, a, []string{first, second})
	must(t, err)
	if got[0].Subject != "renamed" || got[0].Sender != "" || got[0].Content["n"] != float64(1) ||
		got[1].Subject != "second" || got[1].Content["n"] != float64(20) {
		t.Fatalf("after update: %+v %+v", got[0], got[1])
	}
	// All or nothing: an unknown id refuses the batch and the first update is undone.
	again := "again"
	wantCode(t, e.nk.NotificationsUpdate(ctx,
		runtime.NotificationUpdate{Id: first, Subject: &again},
		runtime.NotificationUpdate{Id: unknownID, Subject: &again},
	), 5)
	got, err = e.nk.NotificationsGetId(ctx, a, []string{first})
	must(t, err)
	if got[0].Subject != "renamed" {
		t.Fatalf("refused batch changed a notification: %+v", got[0])
	}
	empty := ""
	wantCode(t, e.nk.NotificationsUpdate(ctx, runtime.NotificationUpdate{Id: first, Subject: &empty}), 3)
	bad := badID
	wantArgError(t, e.nk.NotificationsUpdate(ctx, runtime.NotificationUpdate{Id: badID}))
	wantArgError(t, e.nk.NotificationsUpdate(ctx, runtime.NotificationUpdate{Id: first, Sender: &bad}))
	must(t, e.nk.NotificationsUpdate(ctx))
}
