package core_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
)

// stateOf returns p's state in the group, -1 when p has none.
func stateOf(t *testing.T, pool *pgxpool.Pool, groupID uuid.UUID, p player) int32 {
	t.Helper()
	var s int32 = -1
	err := pool.QueryRow(ctx, `SELECT COALESCE((SELECT state::int FROM group_edge WHERE group_id = $1 AND user_id = $2), -1)`, groupID, p.UserID).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func groupEdgeCount(t *testing.T, c *core.Core, id uuid.UUID) int32 {
	t.Helper()
	g, ok := getGroup(t, c, id)
	if !ok {
		t.Fatalf("group %s is gone", id)
	}
	return g.EdgeCount
}

func eventCodes(t *testing.T, c *core.Core, id uuid.UUID) []string {
	t.Helper()
	ms, err := c.GroupChannelMessages(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		if m.Channel.ID != "3."+id.String()+".." || m.Content != "{}" {
			t.Fatalf("message %+v", m)
		}
		out[i] = fmt.Sprintf("%d:%s", m.Code, m.Username)
	}
	return out
}

// TestGroupRoleMatrix checks, for each operation, what a caller of each role does to a
// target in each state. The group always has a separate owner (a superadmin), so the
// last-superadmin rule is not what decides these cases.
func TestGroupRoleMatrix(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	owner, caller, target := newPlayer(t, c, "owner"), newPlayer(t, c, "caller"), newPlayer(t, c, "target")
	targets := []int32{0, 1, 2, 3, 4, -1}
	ops := []struct {
		name string
		fn   func(context.Context, uuid.UUID, string, []string) error
		// want[callerRole][i] is the target's state afterwards, for targets[i].
		want map[int32][]int32
	}{
		{"add", c.GroupUsersAdd, map[int32][]int32{0: {0, 1, 2, 2, 4, 2}, 1: {0, 1, 2, 2, 4, 2}}},
		{"kick", c.GroupUsersKick, map[int32][]int32{0: {-1, -1, -1, -1, -1, -1}, 1: {0, 1, -1, -1, -1, -1}}},
		{"ban", c.GroupUsersBan, map[int32][]int32{0: {4, 4, 4, 4, 4, -1}, 1: {0, 1, 4, 4, 4, -1}}},
		{"promote", c.GroupUsersPromote, map[int32][]int32{0: {0, 0, 1, 2, 3, -1}, 1: {0, 1, 1, 2, 3, -1}}},
		{"demote", c.GroupUsersDemote, map[int32][]int32{0: {1, 2, 2, 3, 4, -1}, 1: {0, 2, 2, 3, 4, -1}}},
	}
	n := 0
	for _, op := range ops {
		for _, role := range []int32{0, 1, 2, 3, 4, -1} {
			for i, st := range targets {
				n++
				name := fmt.Sprintf("%s/caller %d/target %d", op.name, role, st)
				g := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: fmt.Sprintf("matrix-%d", n)})
				if role >= 0 {
					setGroupState(t, pool, g.ID, caller, role)
				}
				if st >= 0 {
					setGroupState(t, pool, g.ID, target, st)
				}
				err := op.fn(ctx, caller.UserID, g.ID.String(), []string{target.id})
				want, allowed := op.want[role]
				if !allowed {
					if err == nil {
						t.Fatalf("%s: allowed", name)
					}
					wantCode(t, err, core.CodeNotFound, "Group not found or permission denied.")
					if got := stateOf(t, pool, g.ID, target); got != st {
						t.Fatalf("%s: refused but target state %d -> %d", name, st, got)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got := stateOf(t, pool, g.ID, target); got != want[i] {
					t.Fatalf("%s: target state %d, want %d", name, got, want[i])
				}
				var members int32
				for _, p := range []player{owner, caller, target} {
					if s := stateOf(t, pool, g.ID, p); s >= 0 && s <= 2 {
						members++
					}
				}
				if got := groupEdgeCount(t, c, g.ID); got != members {
					t.Fatalf("%s: edge_count %d, members %d", name, got, members)
				}
			}
		}
	}
}

func TestGroupJoinLeave(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	push := &pushLog{}
	var live []core.ChannelMessage
	c := core.New(core.Options{
		Pool: pool, NotificationPush: push.push, BcryptCost: 4,
		ChannelMessagePush: func(_ context.Context, ms []core.ChannelMessage) { live = append(live, ms...) },
		Tokens:             core.TokenOptions{EncryptionKey: []byte("k"), RefreshEncryptionKey: []byte("r"), TokenExpiry: 60e9, RefreshTokenExpiry: 3600e9},
	})
	owner, b, d := newPlayer(t, c, "owner"), newPlayer(t, c, "bee"), newPlayer(t, c, "dee")
	open := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "open", Open: true})

	if err := c.GroupJoin(ctx, b.Caller, open.ID.String()); err != nil {
		t.Fatal(err)
	}
	if err := c.GroupJoin(ctx, b.Caller, open.ID.String()); err != nil { // again: nothing changes
		t.Fatal(err)
	}
	if stateOf(t, pool, open.ID, b) != core.GroupStateMember || groupEdgeCount(t, c, open.ID) != 2 {
		t.Fatal("join of an open group did not make a member")
	}
	// The live hook gets the event after commit: one join, the second join changed nothing.
	if len(live) != 1 || live[0].Code != core.ChannelMessageCodeGroupJoin || live[0].SenderID != b.UserID ||
		live[0].Username != "bee" || live[0].Channel.ID != core.GroupChannelID(open.ID) || live[0].Content != "{}" {
		t.Fatalf("live messages = %+v", live)
	}
	if err := c.GroupLeave(ctx, b.Caller, open.ID.String()); err != nil {
		t.Fatal(err)
	}
	if stateOf(t, pool, open.ID, b) != -1 || groupEdgeCount(t, c, open.ID) != 1 {
		t.Fatal("leave did not remove")
	}
	if diff := cmp.Diff([]string{"3:bee", "5:bee"}, eventCodes(t, c, open.ID)); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}

	// A closed group: joining asks, the owner is told, and adding accepts.
	closed := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "closed"})
	push.calls = nil
	if err := c.GroupJoin(ctx, d.Caller, closed.ID.String()); err != nil {
		t.Fatal(err)
	}
	if stateOf(t, pool, closed.ID, d) != core.GroupStateJoinRequest || groupEdgeCount(t, c, closed.ID) != 1 {
		t.Fatal("join of a closed group did not make a request")
	}
	if len(push.calls) != 1 || push.calls[0][0].UserID != owner.UserID || push.calls[0][0].Code != core.NotificationCodeGroupJoinRequest ||
		push.calls[0][0].Subject != "User dee wants to join your group" || push.calls[0][0].Content != `{"username":"dee"}` {
		t.Fatalf("join request notifications = %+v", push.calls)
	}
	if err := c.GroupUsersAdd(ctx, owner.UserID, closed.ID.String(), []string{d.id}); err != nil {
		t.Fatal(err)
	}
	if stateOf(t, pool, closed.ID, d) != core.GroupStateMember || groupEdgeCount(t, c, closed.ID) != 2 {
		t.Fatal("add did not accept the request")
	}
	last := push.calls[len(push.calls)-1][0]
	if last.UserID != d.UserID || last.Code != core.NotificationCodeGroupAdd || last.Subject != "You've been added to group closed" || last.Content != `{"name":"closed"}` {
		t.Fatalf("add notification = %+v", last)
	}

	// The last superadmin cannot leave while others remain; the only member can, and the
	// group goes with them.
	wantCode(t, c.GroupLeave(ctx, owner.Caller, closed.ID.String()), core.CodeInvalidArgument, "Cannot leave group when you are the last superadmin.")
	if err := c.GroupLeave(ctx, owner.Caller, open.ID.String()); err != nil {
		t.Fatal(err)
	}
	if _, ok := getGroup(t, c, open.ID); ok {
		t.Fatal("group whose only member left survived")
	}
	if got := eventCodes(t, c, open.ID); len(got) != 0 {
		t.Fatalf("a deleted group's history survived: %v", got)
	}

	// Banned users cannot rejoin, and leaving does not lift the ban.
	if err := c.GroupUsersBan(ctx, owner.UserID, closed.ID.String(), []string{d.id}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []func(core.Caller, string) error{
		func(p core.Caller, g string) error { return c.GroupJoin(ctx, p, g) },
		func(p core.Caller, g string) error { return c.GroupLeave(ctx, p, g) },
		func(p core.Caller, g string) error { return c.GroupJoin(ctx, p, g) },
	} {
		if err := f(d.Caller, closed.ID.String()); err != nil {
			t.Fatal(err)
		}
		if stateOf(t, pool, closed.ID, d) != core.GroupStateBanned {
			t.Fatal("ban lifted")
		}
	}
	// Re-added by an admin, a banned user stays banned (as in Nakama).
	if err := c.GroupUsersAdd(ctx, owner.UserID, closed.ID.String(), []string{d.id}); err != nil || stateOf(t, pool, closed.ID, d) != core.GroupStateBanned {
		t.Fatalf("add of a banned user: %v", err)
	}
	if diff := cmp.Diff([]string{"4:dee", "8:dee"}, eventCodes(t, c, closed.ID)); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}

	wantCode(t, c.GroupJoin(ctx, b.Caller, uuid.NewString()), core.CodeNotFound, "Group not found.")
	wantCode(t, c.GroupJoin(ctx, b.Caller, ""), core.CodeInvalidArgument, "Group ID must be set.")
	if err := c.GroupLeave(ctx, b.Caller, uuid.NewString()); err != nil {
		t.Fatalf("leave of an unknown group: %v", err)
	}
}

func TestGroupMembershipRefusals(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	owner, b, d := newPlayer(t, c, "owner"), newPlayer(t, c, "bee"), newPlayer(t, c, "dee")
	g := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "small", Open: true, MaxCount: 2})
	gid := g.ID.String()
	if err := c.GroupJoin(ctx, b.Caller, gid); err != nil {
		t.Fatal(err)
	}
	wantCode(t, c.GroupJoin(ctx, d.Caller, gid), core.CodeInvalidArgument, "Group is full.")
	wantCode(t, c.GroupUsersAdd(ctx, owner.UserID, gid, []string{d.id}), core.CodeInvalidArgument, "Group is full.")
	setGroupState(t, pool, g.ID, d, core.GroupStateJoinRequest)
	wantCode(t, c.GroupUsersPromote(ctx, owner.UserID, gid, []string{d.id}), core.CodeInvalidArgument, "Group is full.")
	wantCode(t, c.GroupUsersAdd(ctx, owner.UserID, gid, []string{uuid.NewString()}), core.CodeInvalidArgument, "One or more users not found.")
	wantCode(t, c.GroupUsersAdd(ctx, owner.UserID, gid, []string{"x"}), core.CodeInvalidArgument, "User ID must be a valid ID.")
	wantCode(t, c.GroupUsersKick(ctx, owner.UserID, uuid.NewString(), []string{b.id}), core.CodeNotFound, "Group not found or permission denied.")
	wantCode(t, c.GroupUsersDemote(ctx, owner.UserID, gid, nil), core.CodeInvalidArgument, "User IDs must be set.")
	for _, f := range []func(context.Context, uuid.UUID, string, []string) error{c.GroupUsersAdd, c.GroupUsersKick, c.GroupUsersBan, c.GroupUsersPromote} {
		if err := f(ctx, b.UserID, gid, nil); err != nil { // nothing named: nothing checked, as in Nakama
			t.Fatalf("empty list: %v", err)
		}
	}
	// The last superadmin cannot be kicked, banned or demoted, even by the server.
	for _, f := range []func(context.Context, uuid.UUID, string, []string) error{c.GroupUsersKick, c.GroupUsersBan, c.GroupUsersDemote} {
		if err := f(ctx, uuid.Nil, gid, []string{owner.id}); err != nil {
			t.Fatal(err)
		}
		if stateOf(t, pool, g.ID, owner) != core.GroupStateSuperadmin {
			t.Fatal("last superadmin removed")
		}
	}
	// Kicking a join request declines it without touching the count or the history.
	if err := c.GroupUsersKick(ctx, owner.UserID, gid, []string{d.id}); err != nil || stateOf(t, pool, g.ID, d) != -1 || groupEdgeCount(t, c, g.ID) != 2 {
		t.Fatalf("decline: %v", err)
	}
	if diff := cmp.Diff([]string{"3:bee"}, eventCodes(t, c, g.ID)); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
}

// TestGroupConcurrentJoins checks concurrent joins never take a group past max_count.
func TestGroupConcurrentJoins(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	owner := newPlayer(t, c, "owner")
	g := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "race", Open: true, MaxCount: 5})
	players := make([]player, 16)
	for i := range players {
		players[i] = newPlayer(t, c, fmt.Sprintf("racer-%02d", i))
	}
	var ok, full atomic.Int32
	var wg sync.WaitGroup
	for _, p := range players {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.GroupJoin(ctx, p.Caller, g.ID.String())
			if err == nil {
				ok.Add(1)
			} else if e, isCore := err.(*core.Error); isCore && e.Message == "Group is full." {
				full.Add(1)
			} else {
				t.Errorf("join: %v", err)
			}
		}()
	}
	wg.Wait()
	var members int32
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM group_edge WHERE group_id = $1 AND state <= 2`, g.ID).Scan(&members); err != nil {
		t.Fatal(err)
	}
	if ok.Load() != 4 || full.Load() != 12 || members != 5 || groupEdgeCount(t, c, g.ID) != 5 {
		t.Fatalf("joined %d, full %d, members %d, edge_count %d", ok.Load(), full.Load(), members, groupEdgeCount(t, c, g.ID))
	}
}

func TestGroupMembershipLists(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	owner, b, d, e := newPlayer(t, c, "owner"), newPlayer(t, c, "bee"), newPlayer(t, c, "dee"), newPlayer(t, c, "eee")
	g := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: "g", Open: true})
	for _, p := range []player{b, d} {
		if err := c.GroupJoin(ctx, p.Caller, g.ID.String()); err != nil {
			t.Fatal(err)
		}
	}
	setGroupState(t, pool, g.ID, e, core.GroupStateBanned)

	var all []string
	cursor := ""
	for range 10 {
		l, err := c.GroupUsersList(ctx, g.ID.String(), 1, nil, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range l.Users {
			all = append(all, fmt.Sprintf("%s:%d", u.User.Username, u.State))
		}
		if cursor = l.Cursor; cursor == "" {
			break
		}
	}
	if diff := cmp.Diff([]string{"owner:0", "bee:2", "dee:2"}, all); diff != "" {
		t.Fatalf("group users (-want +got):\n%s", diff)
	}
	banned := int32(4)
	l, err := c.GroupUsersList(ctx, g.ID.String(), 100, &banned, "")
	if err != nil || len(l.Users) != 1 || l.Users[0].User.Username != "eee" {
		t.Fatalf("banned list %+v %v", l, err)
	}
	first, _ := c.GroupUsersList(ctx, g.ID.String(), 1, nil, "")
	member := int32(2)
	_, err = c.GroupUsersList(ctx, g.ID.String(), 1, &member, first.Cursor)
	wantCode(t, err, core.CodeInvalidArgument, "Cursor is invalid.")
	bad := int32(5)
	_, err = c.GroupUsersList(ctx, g.ID.String(), 1, &bad, "")
	wantCode(t, err, core.CodeInvalidArgument, "Invalid state - state must be between 0 and 4.")
	_, err = c.GroupUsersList(ctx, g.ID.String(), 101, nil, "")
	wantCode(t, err, core.CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")

	g2 := mustCreateGroup(t, c, b, core.GroupCreateInput{Name: "g2"})
	ug, err := c.UserGroupsList(ctx, b.id, 100, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int32{}
	for _, x := range ug.Groups {
		got[x.Group.Name] = x.State
	}
	if diff := cmp.Diff(map[string]int32{"g": 2, "g2": 0}, got); diff != "" || ug.Groups[0].Group.ID != g2.ID {
		t.Fatalf("user groups (-want +got):\n%s", diff)
	}
	page, err := c.UserGroupsList(ctx, b.id, 1, nil, "")
	if err != nil || len(page.Groups) != 1 || page.Cursor == "" {
		t.Fatalf("page %+v %v", page, err)
	}
	page, err = c.UserGroupsList(ctx, b.id, 1, nil, page.Cursor)
	if err != nil || len(page.Groups) != 1 || page.Cursor != "" || page.Groups[0].Group.Name != "g" {
		t.Fatalf("second page %+v %v", page, err)
	}
	_, err = c.UserGroupsList(ctx, "nope", 1, nil, "")
	wantCode(t, err, core.CodeInvalidArgument, "Group ID must be a valid ID.")
}
