package core_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
)

// player is a test account and the caller it acts as.
type player struct {
	core.Caller
	id string
}

func newPlayer(t *testing.T, c *core.Core, name string) player {
	t.Helper()
	s, err := c.AuthenticateCustom(ctx, "custom-"+name, core.AuthInput{Username: name, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	return player{Caller: core.Caller{UserID: s.UserID, Username: s.Username}, id: s.UserID.String()}
}

func ids(ps ...player) core.FriendTargets {
	var t core.FriendTargets
	for _, p := range ps {
		t.IDs = append(t.IDs, p.id)
	}
	return t
}

// states returns the caller's list as username -> state.
func states(t *testing.T, c *core.Core, p player) map[string]int32 {
	t.Helper()
	list, err := c.FriendsList(ctx, p.UserID, 1000, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int32{}
	for _, f := range list.Friends {
		out[f.User.Username] = f.State
	}
	return out
}

func edgeCount(t *testing.T, pool *pgxpool.Pool, p player) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(ctx, "SELECT edge_count FROM users WHERE id = $1", p.UserID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkCounts fails unless every player's edge_count equals its number of edges.
func checkCounts(t *testing.T, pool *pgxpool.Pool, ps ...player) {
	t.Helper()
	for _, p := range ps {
		var edges int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM user_edge WHERE source_id = $1", p.UserID).Scan(&edges); err != nil {
			t.Fatal(err)
		}
		if got := edgeCount(t, pool, p); got != edges {
			t.Errorf("%s edge_count = %d, edges = %d", p.Username, got, edges)
		}
	}
}

func TestFriendRefusals(t *testing.T) {
	t.Parallel()
	c, _, _ := newCoreWithPool(t)
	a := newPlayer(t, c, "alice")
	tests := []struct {
		name    string
		call    func() error
		code    core.Code
		message string
	}{
		{"add self by id", func() error { return c.FriendsAdd(ctx, a.Caller, ids(a), "") }, core.CodeInvalidArgument, "Cannot add self as friend."},
		{"add self by username", func() error {
			return c.FriendsAdd(ctx, a.Caller, core.FriendTargets{Usernames: []string{"alice"}}, "")
		}, core.CodeInvalidArgument, "Cannot add self as friend."},
		{"add bad id", func() error { return c.FriendsAdd(ctx, a.Caller, core.FriendTargets{IDs: []string{"nope"}}, "") }, core.CodeInvalidArgument, "Invalid user ID 'nope'."},
		{"add nil id", func() error {
			return c.FriendsAdd(ctx, a.Caller, core.FriendTargets{IDs: []string{uuid.Nil.String()}}, "")
		}, core.CodeInvalidArgument, "Invalid user ID '00000000-0000-0000-0000-000000000000'."},
		{"add empty username", func() error {
			return c.FriendsAdd(ctx, a.Caller, core.FriendTargets{Usernames: []string{""}}, "")
		}, core.CodeInvalidArgument, "Username must not be empty."},
		{"add unknown username", func() error {
			return c.FriendsAdd(ctx, a.Caller, core.FriendTargets{Usernames: []string{"nobody"}}, "")
		}, core.CodeInvalidArgument, "No valid ID or username was provided."},
		{"add bad metadata", func() error {
			return c.FriendsAdd(ctx, a.Caller, ids(player{id: uuid.NewString()}), "[1]")
		}, core.CodeInvalidArgument, "Metadata must be a valid JSON object."},
		{"delete self", func() error { return c.FriendsDelete(ctx, a.Caller, ids(a)) }, core.CodeInvalidArgument, "Cannot delete self."},
		{"delete bad id", func() error { return c.FriendsDelete(ctx, a.Caller, core.FriendTargets{IDs: []string{"x"}}) }, core.CodeInvalidArgument, "Invalid user ID 'x'."},
		{"block self", func() error { return c.FriendsBlock(ctx, a.Caller, ids(a)) }, core.CodeInvalidArgument, "Cannot block self."},
		{"block empty username", func() error {
			return c.FriendsBlock(ctx, a.Caller, core.FriendTargets{Usernames: []string{""}})
		}, core.CodeInvalidArgument, "Username must not be empty."},
		{"block unknown username", func() error {
			return c.FriendsBlock(ctx, a.Caller, core.FriendTargets{Usernames: []string{"nobody"}})
		}, core.CodeInvalidArgument, "No valid ID or username was provided."},
		{"list limit 0", func() error { _, err := c.FriendsList(ctx, a.UserID, 0, nil, ""); return err }, core.CodeInvalidArgument, "Invalid limit - limit must be between 1 and 1000."},
		{"list limit 1001", func() error { _, err := c.FriendsList(ctx, a.UserID, 1001, nil, ""); return err }, core.CodeInvalidArgument, "Invalid limit - limit must be between 1 and 1000."},
		{"list state 4", func() error { s := int32(4); _, err := c.FriendsList(ctx, a.UserID, 10, &s, ""); return err }, core.CodeInvalidArgument, "Invalid state - state must be between 0 and 3."},
		{"list bad cursor", func() error { _, err := c.FriendsList(ctx, a.UserID, 10, nil, "garbage"); return err }, core.CodeInvalidArgument, "Cursor is invalid."},
		{"fof limit 101", func() error { _, err := c.FriendsOfFriendsList(ctx, a.UserID, 101, ""); return err }, core.CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100."},
		{"fof bad cursor", func() error { _, err := c.FriendsOfFriendsList(ctx, a.UserID, 10, "AAAA"); return err }, core.CodeInvalidArgument, "Cursor is invalid."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.call(), tc.code, tc.message)
		})
	}
	// Nothing given is a no-op, as in Nakama.
	for _, err := range []error{
		c.FriendsAdd(ctx, a.Caller, core.FriendTargets{}, ""),
		c.FriendsDelete(ctx, a.Caller, core.FriendTargets{}),
		c.FriendsBlock(ctx, a.Caller, core.FriendTargets{}),
		c.FriendsDelete(ctx, a.Caller, core.FriendTargets{Usernames: []string{"nobody"}}),
	} {
		if err != nil {
			t.Fatalf("empty request: %v", err)
		}
	}
}

func TestFriendLifecycle(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	a, b, x := newPlayer(t, c, "alice"), newPlayer(t, c, "bob"), newPlayer(t, c, "xavier")

	// Invite by username with metadata; unknown ids are skipped silently.
	if err := c.FriendsAdd(ctx, a.Caller, core.FriendTargets{Usernames: []string{"bob"}, IDs: []string{uuid.NewString()}}, `{"met":"park"}`); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"bob": 1}, states(t, c, a)); diff != "" {
		t.Fatalf("alice (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int32{"alice": 2}, states(t, c, b)); diff != "" {
		t.Fatalf("bob (-want +got):\n%s", diff)
	}
	list, _ := c.FriendsList(ctx, a.UserID, 10, nil, "")
	if list.Friends[0].Metadata != `{"met": "park"}` {
		t.Fatalf("metadata = %q", list.Friends[0].Metadata)
	}
	// Inviting again changes nothing and sends nothing.
	if err := c.FriendsAdd(ctx, a.Caller, ids(b), ""); err != nil {
		t.Fatal(err)
	}
	n, _ := c.NotificationsList(ctx, b.UserID, 100, "")
	if len(n.Notifications) != 1 || n.Notifications[0].Code != core.NotificationCodeFriendRequest ||
		n.Notifications[0].Subject != "alice wants to add you as a friend" || n.Notifications[0].Content != `{"username": "alice"}` ||
		n.Notifications[0].SenderID != a.UserID || !n.Notifications[0].Persistent {
		t.Fatalf("bob's notifications = %+v", n.Notifications)
	}

	// Bob accepts by adding back.
	if err := c.FriendsAdd(ctx, b.Caller, ids(a), `{"from":"bob"}`); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"bob": 0}, states(t, c, a)); diff != "" {
		t.Fatalf("alice after accept (-want +got):\n%s", diff)
	}
	n, _ = c.NotificationsList(ctx, a.UserID, 100, "")
	if len(n.Notifications) != 1 || n.Notifications[0].Code != core.NotificationCodeFriendAccept || n.Notifications[0].Subject != "bob accepted your friend request" {
		t.Fatalf("alice's notifications = %+v", n.Notifications)
	}
	if edgeCount(t, pool, a) != 1 || edgeCount(t, pool, b) != 1 {
		t.Fatalf("edge counts %d %d", edgeCount(t, pool, a), edgeCount(t, pool, b))
	}
	// State filter.
	zero := int32(0)
	if l, _ := c.FriendsList(ctx, a.UserID, 10, &zero, ""); len(l.Friends) != 1 {
		t.Fatalf("friends in state 0 = %d", len(l.Friends))
	}

	// Xavier blocks Alice: Alice cannot invite him, and his block survives her delete.
	if err := c.FriendsBlock(ctx, x.Caller, ids(a)); err != nil {
		t.Fatal(err)
	}
	if err := c.FriendsAdd(ctx, a.Caller, ids(x), ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"bob": 0}, states(t, c, a)); diff != "" {
		t.Fatalf("alice after blocked invite (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int32{"alice": 3}, states(t, c, x)); diff != "" {
		t.Fatalf("xavier (-want +got):\n%s", diff)
	}
	if err := c.FriendsDelete(ctx, a.Caller, ids(x)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"alice": 3}, states(t, c, x)); diff != "" {
		t.Fatalf("xavier after alice's delete (-want +got):\n%s", diff)
	}
	// Xavier cannot invite someone he blocked either (his own block stays).
	if err := c.FriendsAdd(ctx, x.Caller, ids(a), ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"alice": 3}, states(t, c, x)); diff != "" {
		t.Fatalf("xavier after inviting whom he blocked (-want +got):\n%s", diff)
	}

	// Blocking a friend removes the other side; the blocker keeps a block edge.
	if err := c.FriendsBlock(ctx, b.Caller, core.FriendTargets{Usernames: []string{"alice"}}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{}, states(t, c, a)); diff != "" {
		t.Fatalf("alice after bob's block (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int32{"alice": 3}, states(t, c, b)); diff != "" {
		t.Fatalf("bob after block (-want +got):\n%s", diff)
	}
	checkCounts(t, pool, a, b, x)

	// Bob unblocks (delete), then they can start over.
	if err := c.FriendsDelete(ctx, b.Caller, ids(a)); err != nil {
		t.Fatal(err)
	}
	if err := c.FriendsAdd(ctx, a.Caller, ids(b), ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"alice": 2}, states(t, c, b)); diff != "" {
		t.Fatalf("bob after re-invite (-want +got):\n%s", diff)
	}
	checkCounts(t, pool, a, b, x)
}

func TestFriendsConcurrentMutualAdd(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	for round := range 10 {
		a, b := newPlayer(t, c, fmt.Sprintf("a%d", round)), newPlayer(t, c, fmt.Sprintf("b%d", round))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() { defer wg.Done(); errs[0] = c.FriendsAdd(ctx, a.Caller, ids(b), "") }()
		go func() { defer wg.Done(); errs[1] = c.FriendsAdd(ctx, b.Caller, ids(a), "") }()
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		if diff := cmp.Diff(map[string]int32{b.Username: 0}, states(t, c, a)); diff != "" {
			t.Fatalf("round %d: a (-want +got):\n%s", round, diff)
		}
		if diff := cmp.Diff(map[string]int32{a.Username: 0}, states(t, c, b)); diff != "" {
			t.Fatalf("round %d: b (-want +got):\n%s", round, diff)
		}
		checkCounts(t, pool, a, b)
	}
}

func TestFriendsListPaging(t *testing.T) {
	t.Parallel()
	c, _, _ := newCoreWithPool(t)
	me := newPlayer(t, c, "me")
	want := map[string]int32{}
	for i := range 25 {
		p := newPlayer(t, c, fmt.Sprintf("p%02d", i))
		switch i % 3 {
		case 0: // I invited them
			if err := c.FriendsAdd(ctx, me.Caller, ids(p), ""); err != nil {
				t.Fatal(err)
			}
			want[p.Username] = 1
		case 1: // they invited me
			if err := c.FriendsAdd(ctx, p.Caller, ids(me), ""); err != nil {
				t.Fatal(err)
			}
			want[p.Username] = 2
		default:
			if err := c.FriendsBlock(ctx, me.Caller, ids(p)); err != nil {
				t.Fatal(err)
			}
			want[p.Username] = 3
		}
	}
	for _, limit := range []int{1, 4, 7, 25, 100} {
		got := map[string]int32{}
		cursor, pages, lastState := "", 0, int32(-1)
		for {
			page, err := c.FriendsList(ctx, me.UserID, limit, nil, cursor)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, f := range page.Friends {
				if _, dup := got[f.User.Username]; dup {
					t.Fatalf("limit %d: %s listed twice", limit, f.User.Username)
				}
				if f.State < lastState {
					t.Fatalf("limit %d: state %d after %d", limit, f.State, lastState)
				}
				lastState = f.State
				got[f.User.Username] = f.State
			}
			if page.Cursor == "" {
				break
			}
			cursor = page.Cursor
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("limit %d (-want +got):\n%s", limit, diff)
		}
		if wantPages := (25 + limit - 1) / limit; pages != max(wantPages, 1) {
			t.Fatalf("limit %d: %d pages, want %d", limit, pages, wantPages)
		}
	}
	// A filtered cursor continues only its own filter.
	two := int32(2)
	page, _ := c.FriendsList(ctx, me.UserID, 2, &two, "")
	if len(page.Friends) != 2 || page.Cursor == "" {
		t.Fatalf("filtered page = %+v", page)
	}
	_, err := c.FriendsList(ctx, me.UserID, 2, nil, page.Cursor)
	wantCode(t, err, core.CodeInvalidArgument, "Cursor is invalid.")
	one := int32(1)
	_, err = c.FriendsList(ctx, me.UserID, 2, &one, page.Cursor)
	wantCode(t, err, core.CodeInvalidArgument, "Cursor is invalid.")
}

func befriend(t *testing.T, c *core.Core, a, b player) {
	t.Helper()
	if err := c.FriendsAdd(ctx, a.Caller, ids(b), ""); err != nil {
		t.Fatal(err)
	}
	if err := c.FriendsAdd(ctx, b.Caller, ids(a), ""); err != nil {
		t.Fatal(err)
	}
}

func TestFriendsOfFriends(t *testing.T) {
	t.Parallel()
	c, _, _ := newCoreWithPool(t)
	me, f1, f2 := newPlayer(t, c, "me"), newPlayer(t, c, "f1"), newPlayer(t, c, "f2")
	befriend(t, c, me, f1)
	befriend(t, c, me, f2)
	befriend(t, c, f1, f2) // my friends know each other: neither is listed
	var want []string
	for i := range 6 {
		p := newPlayer(t, c, fmt.Sprintf("ff%d", i))
		befriend(t, c, f1, p)
		want = append(want, f1.id+">"+p.id)
		if i%2 == 0 {
			befriend(t, c, f2, p)
			want = append(want, f2.id+">"+p.id)
		}
	}
	pending := newPlayer(t, c, "pending")
	if err := c.FriendsAdd(ctx, f1.Caller, ids(pending), ""); err != nil { // invites are not friendships
		t.Fatal(err)
	}
	for _, limit := range []int{1, 2, 5, 100} {
		var got []string
		cursor := ""
		for {
			page, err := c.FriendsOfFriendsList(ctx, me.UserID, limit, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range page.FriendsOfFriends {
				got = append(got, f.Referrer.String()+">"+f.User.ID.String())
			}
			if page.Cursor == "" {
				break
			}
			cursor = page.Cursor
		}
		if diff := cmp.Diff(len(want), len(got)); diff != "" {
			t.Fatalf("limit %d: count (-want +got):\n%s\n%v", limit, diff, got)
		}
		seen := map[string]bool{}
		for _, g := range got {
			seen[g] = true
		}
		for _, w := range want {
			if !seen[w] {
				t.Fatalf("limit %d: missing %s", limit, w)
			}
		}
	}
}

func TestFriendLimit(t *testing.T) {
	t.Parallel()
	c2, pool := coreWithMaxFriends(t, 2)
	a := newPlayer(t, c2, "a")
	b, d, e := newPlayer(t, c2, "b"), newPlayer(t, c2, "d"), newPlayer(t, c2, "e")
	if err := c2.FriendsAdd(ctx, a.Caller, ids(b, d), ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, c2.FriendsAdd(ctx, a.Caller, ids(e), ""), core.CodeFailedPrecondition, "Friend limit reached.")
	// Invites to a full list are skipped.
	if err := c2.FriendsAdd(ctx, e.Caller, ids(a), ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{}, states(t, c2, e)); diff != "" {
		t.Fatalf("e (-want +got):\n%s", diff)
	}
	// Accepting is always allowed.
	if err := c2.FriendsAdd(ctx, b.Caller, ids(a), ""); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, pool, a, b, d, e)
}

func coreWithMaxFriends(t *testing.T, max int) (*core.Core, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.Pool(t)
	c := core.New(core.Options{
		Pool: pool, MaxFriends: max, BcryptCost: 4,
		Tokens: core.TokenOptions{EncryptionKey: []byte("k"), RefreshEncryptionKey: []byte("r"), TokenExpiry: 60e9, RefreshTokenExpiry: 3600e9},
	})
	runCtx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	if err := c.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	return c, pool
}

func TestFriendAccountDeleteAndExport(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	a, b, d := newPlayer(t, c, "a"), newPlayer(t, c, "b"), newPlayer(t, c, "d")
	befriend(t, c, a, b)
	if err := c.FriendsAdd(ctx, d.Caller, ids(a), ""); err != nil {
		t.Fatal(err)
	}
	if err := c.FriendsBlock(ctx, b.Caller, ids(d)); err != nil {
		t.Fatal(err)
	}
	export, err := c.AccountExport(ctx, a.UserID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"friends":[`, b.id, d.id, `"notifications":[`, "b accepted your friend request", "d wants to add you as a friend"} {
		if !strings.Contains(export, want) {
			t.Fatalf("export lacks %q: %s", want, export)
		}
	}
	if err := c.AccountDelete(ctx, a.UserID, false); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"d": 3}, states(t, c, b)); diff != "" {
		t.Fatalf("b after a's deletion (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int32{}, states(t, c, d)); diff != "" {
		t.Fatalf("d after a's deletion (-want +got):\n%s", diff)
	}
	checkCounts(t, pool, b, d)
	var left int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM notification WHERE user_id = $1", a.UserID).Scan(&left); err != nil || left != 0 {
		t.Fatalf("notifications left: %d %v", left, err)
	}
}
