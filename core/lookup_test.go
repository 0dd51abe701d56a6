package core_test

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
)

// Tests of the runtime's lookups by id: accounts by device, friend status, random groups
// and notifications by id, and the updates of friend metadata and notifications.

func TestAccountsGetByDevice(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	a, err := c.AuthenticateDevice(ctx, "device-aaaaaaaa", core.AuthInput{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthenticateDevice(ctx, "device-bbbbbbbb", core.AuthInput{Create: true}); err != nil {
		t.Fatal(err)
	}
	if err := c.LinkDevice(ctx, a.UserID, "device-cccccccc"); err != nil {
		t.Fatal(err)
	}
	got, err := c.AccountsGet(ctx, []uuid.UUID{a.UserID}, []string{"device-aaaaaaaa", "device-cccccccc", "device-unknown"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].User.ID != a.UserID || !cmp.Equal(got[0].DeviceIDs, []string{"device-aaaaaaaa", "device-cccccccc"}) {
		t.Fatalf("accounts: %+v", got)
	}
	got, err = c.AccountsGet(ctx, nil, []string{"device-bbbbbbbb", "device-cccccccc"})
	if err != nil || len(got) != 2 {
		t.Fatalf("two owners: %d accounts, %v", len(got), err)
	}
	got, err = c.AccountsGet(ctx, nil, nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("nothing asked: %v, %v", got, err)
	}
}

func TestFriendStatusAndMetadata(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	a, b, d, x := newPlayer(t, c, "a"), newPlayer(t, c, "b"), newPlayer(t, c, "d"), newPlayer(t, c, "x")
	if err := c.FriendsAdd(ctx, a.Caller, ids(b, d), `{"via":"invite"}`); err != nil {
		t.Fatal(err)
	}
	if err := c.FriendsBlock(ctx, x.Caller, ids(a)); err != nil {
		t.Fatal(err)
	}
	status := func(p player, others ...player) map[string]core.Friend {
		t.Helper()
		var idList []uuid.UUID
		for _, o := range others {
			idList = append(idList, o.UserID)
		}
		fs, err := c.FriendStatus(ctx, p.UserID, idList)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]core.Friend{}
		for _, f := range fs {
			out[f.User.Username] = f
		}
		return out
	}
	got := status(a, b, d, x, a)
	if len(got) != 2 || got["b"].State != 1 || got["d"].State != 1 || got["b"].Metadata != `{"via": "invite"}` {
		t.Fatalf("a's status: %+v", got)
	}
	if got := status(x, a, b); len(got) != 1 || got["a"].State != 3 {
		t.Fatalf("x's status: %+v", got)
	}
	if got := status(b, a); got["a"].State != 2 || got["a"].Metadata != "{}" {
		t.Fatalf("b's status: %+v", got)
	}

	before := status(a, b)["b"].UpdateTime
	if err := c.FriendMetadataUpdate(ctx, a.UserID, b.UserID, map[string]any{"rank": 2}); err != nil {
		t.Fatal(err)
	}
	after := status(a, b)["b"]
	if after.Metadata != `{"rank": 2}` || after.State != 1 || !after.UpdateTime.Equal(before) {
		t.Fatalf("after update: %+v (update time before %v)", after, before)
	}
	if got := status(b, a)["a"].Metadata; got != "{}" {
		t.Fatalf("the other side changed: %s", got)
	}
	if err := c.FriendMetadataUpdate(ctx, a.UserID, b.UserID, nil); err != nil {
		t.Fatal(err)
	}
	if got := status(a, b)["b"].Metadata; got != "{}" {
		t.Fatalf("nil metadata: %s", got)
	}
	if err := c.FriendMetadataUpdate(ctx, x.UserID, a.UserID, map[string]any{"why": "spam"}); err != nil {
		t.Fatal(err) // a block is an edge too
	}
	wantCode(t, c.FriendMetadataUpdate(ctx, b.UserID, d.UserID, map[string]any{}), core.CodeNotFound, "Friend not found.")
	wantCode(t, c.FriendMetadataUpdate(ctx, a.UserID, b.UserID, map[string]any{"nul": "\x00"}), core.CodeInvalidArgument, "Metadata must be a valid JSON object.")
}

func TestGroupsGetRandom(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	owner := newPlayer(t, c, "owner")
	wantCode(t, errOf(c.GroupsGetRandom(ctx, 0)), core.CodeInvalidArgument, "Count must be 1-1000.")
	wantCode(t, errOf(c.GroupsGetRandom(ctx, 1001)), core.CodeInvalidArgument, "Count must be 1-1000.")
	if got, err := c.GroupsGetRandom(ctx, 3); err != nil || len(got) != 0 {
		t.Fatalf("no groups: %v, %v", got, err)
	}
	var all []string
	for _, name := range []string{"g1", "g2", "g3", "g4", "g5"} {
		all = append(all, mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: name, MaxCount: 10}).ID.String())
	}
	sort.Strings(all)
	seen := map[string]bool{}
	for range 20 {
		got, err := c.GroupsGetRandom(ctx, 2)
		if err != nil || len(got) != 2 || got[0].ID == got[1].ID {
			t.Fatalf("two groups: %+v, %v", got, err)
		}
		for _, g := range got {
			seen[g.ID.String()] = true
		}
	}
	if len(seen) < 3 {
		t.Fatalf("20 draws of 2 from 5 groups saw only %d groups", len(seen))
	}
	got, err := c.GroupsGetRandom(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []string
	for _, g := range got {
		gotIDs = append(gotIDs, g.ID.String())
	}
	sort.Strings(gotIDs)
	if diff := cmp.Diff(all, gotIDs); diff != "" {
		t.Fatalf("all groups (-want +got):\n%s", diff)
	}
}

func errOf[T any](_ T, err error) error { return err }

func TestNotificationsGetAndUpdate(t *testing.T) {
	t.Parallel()
	c, push := coreWithPush(t)
	a, b := newPlayer(t, c, "a"), newPlayer(t, c, "b")
	err := c.NotificationsSend(ctx, []core.NotificationSend{
		{UserID: a.UserID, Subject: "one", Content: map[string]any{"n": 1}, Code: 1, SenderID: b.UserID, Persistent: true},
		{UserID: a.UserID, Subject: "two", Code: 2, Persistent: true},
		{UserID: b.UserID, Subject: "for b", Code: 3, Persistent: true},
		{UserID: a.UserID, Subject: "live only", Code: 4},
	})
	if err != nil {
		t.Fatal(err)
	}
	pushed := push.calls[0]
	one, two, forB, live := pushed[0].ID, pushed[1].ID, pushed[2].ID, pushed[3].ID

	names := func(ns []core.Notification) []string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = n.Subject
		}
		return out
	}
	got, err := c.NotificationsGet(ctx, uuid.Nil, []uuid.UUID{forB, two, one, live, uuid.New()})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"one", "two", "for b"}, names(got)); diff != "" {
		t.Fatalf("anyone's (-want +got):\n%s", diff)
	}
	if got[0].UserID != a.UserID || got[0].SenderID != b.UserID || got[0].Content != `{"n": 1}` || !got[0].Persistent || got[0].CreateTime.IsZero() {
		t.Fatalf("first: %+v", got[0])
	}
	got, err = c.NotificationsGet(ctx, b.UserID, []uuid.UUID{one, forB})
	if err != nil || len(got) != 1 || got[0].ID != forB {
		t.Fatalf("b's: %+v, %v", got, err)
	}

	subject, system := "uno", uuid.Nil
	err = c.NotificationsUpdate(ctx, []core.NotificationUpdate{
		{ID: one, Subject: &subject, SenderID: &system},
		{ID: two, Content: map[string]any{"changed": true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err = c.NotificationsGet(ctx, a.UserID, []uuid.UUID{one, two})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Subject != "uno" || got[0].SenderID != uuid.Nil || got[0].Content != `{"n": 1}` || got[0].Code != 1 ||
		got[1].Subject != "two" || got[1].Content != `{"changed": true}` {
		t.Fatalf("after update: %+v", got)
	}

	// All or nothing.
	again := "again"
	wantCode(t, c.NotificationsUpdate(ctx, []core.NotificationUpdate{{ID: one, Subject: &again}, {ID: live, Subject: &again}}),
		core.CodeNotFound, "Notification not found.")
	long := string(make([]rune, 256))
	for _, bad := range []core.NotificationUpdate{{ID: one, Subject: new(string)}, {ID: one, Subject: &long}} {
		wantCode(t, c.NotificationsUpdate(ctx, []core.NotificationUpdate{bad}), core.CodeInvalidArgument, "Notification subject must be 1-255 characters.")
	}
	wantCode(t, c.NotificationsUpdate(ctx, []core.NotificationUpdate{{ID: one, Content: map[string]any{"nul": "\x00"}}}),
		core.CodeInvalidArgument, "Notification content must be a JSON object.")
	got, err = c.NotificationsGet(ctx, a.UserID, []uuid.UUID{one})
	if err != nil || got[0].Subject != "uno" {
		t.Fatalf("refused updates changed it: %+v, %v", got, err)
	}
	if err := c.NotificationsUpdate(ctx, nil); err != nil {
		t.Fatal(err)
	}
}
