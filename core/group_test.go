package core_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
)

// setGroupState gives a user a membership state in a group directly, fixing the count,
// so role-based rules can be tested before the membership operations exist.
func setGroupState(t *testing.T, pool *pgxpool.Pool, groupID uuid.UUID, p player, state int32) {
	t.Helper()
	_, err := pool.Exec(ctx, `
INSERT INTO group_edge (group_id, user_id, state, position) VALUES ($1, $2, $3, 0)
ON CONFLICT (group_id, user_id) DO UPDATE SET state = excluded.state`, groupID, p.UserID, state)
	if err == nil {
		_, err = pool.Exec(ctx, `UPDATE groups SET edge_count = (SELECT count(*) FROM group_edge WHERE group_id = $1 AND state <= 2) WHERE id = $1`, groupID)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func mustCreateGroup(t *testing.T, c *core.Core, owner player, in core.GroupCreateInput) core.Group {
	t.Helper()
	g, err := c.GroupCreate(ctx, owner.UserID, in)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func getGroup(t *testing.T, c *core.Core, id uuid.UUID) (core.Group, bool) {
	t.Helper()
	gs, err := c.GroupsGet(ctx, []string{id.String()})
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) == 0 {
		return core.Group{}, false
	}
	return gs[0], true
}

func TestGroupCreate(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	a := newPlayer(t, c, "a")

	g := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "Knights", Description: "d", AvatarURL: "u"})
	want := core.Group{
		ID: g.ID, CreatorID: a.UserID, Name: "Knights", Description: "d", AvatarURL: "u", LangTag: "en",
		Metadata: "{}", Open: false, EdgeCount: 1, MaxCount: 100, CreateTime: g.CreateTime, UpdateTime: g.UpdateTime,
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Fatalf("created (-want +got):\n%s", diff)
	}
	got, ok := getGroup(t, c, g.ID)
	if !ok {
		t.Fatal("created group not found")
	}
	if diff := cmp.Diff(g.Name, got.Name); diff != "" || got.EdgeCount != 1 {
		t.Fatalf("get = %+v", got)
	}
	g2 := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "Open", LangTag: "fr", Open: true, MaxCount: 5, Metadata: `{"k":1}`})
	if !g2.Open || g2.LangTag != "fr" || g2.MaxCount != 5 || g2.Metadata != `{"k": 1}` {
		t.Fatalf("created %+v", g2)
	}

	for _, tc := range []struct {
		name string
		in   core.GroupCreateInput
		code core.Code
		msg  string
	}{
		{"no name", core.GroupCreateInput{}, core.CodeInvalidArgument, "Group name must be set."},
		{"name taken", core.GroupCreateInput{Name: "Knights"}, core.CodeAlreadyExists, "Group name is in use."},
		{"negative max", core.GroupCreateInput{Name: "x", MaxCount: -1}, core.CodeInvalidArgument, "Group max count must be >= 1 when set."},
		{"long name", core.GroupCreateInput{Name: strings.Repeat("é", 256)}, core.CodeInvalidArgument, "Group name must be at most 255 characters."},
		{"nul name", core.GroupCreateInput{Name: "a\x00b"}, core.CodeInvalidArgument, "Group name must be at most 255 characters."},
		{"long lang", core.GroupCreateInput{Name: "x", LangTag: strings.Repeat("e", 19)}, core.CodeInvalidArgument, "Group language must be at most 18 characters."},
		{"bad metadata", core.GroupCreateInput{Name: "x", Metadata: "[]"}, core.CodeInvalidArgument, "Metadata must be a valid JSON object."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.GroupCreate(ctx, a.UserID, tc.in)
			wantCode(t, err, tc.code, tc.msg)
		})
	}
	if _, err := c.GroupCreate(ctx, a.UserID, core.GroupCreateInput{Name: strings.Repeat("é", 255)}); err != nil {
		t.Fatalf("255-character name: %v", err)
	}
}

// TestGroupPermissions is the role matrix for update (admins and up) and delete
// (superadmins only); a user outside the group is refused like an unknown group.
func TestGroupPermissions(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	owner := newPlayer(t, c, "owner")
	roles := []struct {
		name              string
		state             int32 // -1: not in the group
		canUpdate, canDel bool
	}{
		{"superadmin", core.GroupStateSuperadmin, true, true},
		{"admin", core.GroupStateAdmin, true, false},
		{"member", core.GroupStateMember, false, false},
		{"join request", core.GroupStateJoinRequest, false, false},
		{"banned", core.GroupStateBanned, false, false},
		{"outsider", -1, false, false},
	}
	for i, r := range roles {
		t.Run(r.name, func(t *testing.T) {
			g := mustCreateGroup(t, c, owner, core.GroupCreateInput{Name: fmt.Sprintf("perm-%d", i)})
			u := newPlayer(t, c, fmt.Sprintf("perm-user-%d", i))
			if r.state >= 0 {
				setGroupState(t, pool, g.ID, u, r.state)
			}
			desc := "changed"
			err := c.GroupUpdate(ctx, u.UserID, g.ID.String(), core.GroupUpdateInput{Description: &desc})
			if r.canUpdate {
				if err != nil {
					t.Fatalf("update: %v", err)
				}
				if got, _ := getGroup(t, c, g.ID); got.Description != "changed" {
					t.Fatalf("description = %q", got.Description)
				}
			} else {
				wantCode(t, err, core.CodeNotFound, "Group not found or you're not allowed to update.")
			}
			err = c.GroupDelete(ctx, u.UserID, g.ID.String())
			if r.canDel {
				if err != nil {
					t.Fatalf("delete: %v", err)
				}
				if _, ok := getGroup(t, c, g.ID); ok {
					t.Fatal("group still there")
				}
			} else {
				wantCode(t, err, core.CodeInvalidArgument, "Group not found or you're not allowed to delete.")
				if _, ok := getGroup(t, c, g.ID); !ok {
					t.Fatal("group gone")
				}
			}
		})
	}
}

func TestGroupUpdate(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	a := newPlayer(t, c, "a")
	g := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "one", Description: "d", AvatarURL: "u"})
	mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "two"})
	str := func(s string) *string { return &s }
	yes := true

	if err := c.GroupUpdate(ctx, a.UserID, g.ID.String(), core.GroupUpdateInput{
		Name: str("uno"), Description: str(""), LangTag: str("es"), Open: &yes,
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := getGroup(t, c, g.ID)
	if got.Name != "uno" || got.Description != "" || got.AvatarURL != "u" || got.LangTag != "es" || !got.Open {
		t.Fatalf("after update %+v", got)
	}
	// The server may set metadata and max_count.
	if err := c.GroupUpdate(ctx, uuid.Nil, g.ID.String(), core.GroupUpdateInput{Metadata: str(`{"a":true}`), MaxCount: 7}); err != nil {
		t.Fatal(err)
	}
	got, _ = getGroup(t, c, g.ID)
	if got.Metadata != `{"a": true}` || got.MaxCount != 7 {
		t.Fatalf("after server update %+v", got)
	}

	for _, tc := range []struct {
		name string
		id   string
		in   core.GroupUpdateInput
		code core.Code
		msg  string
	}{
		{"no id", "", core.GroupUpdateInput{Name: str("x")}, core.CodeInvalidArgument, "Group ID must be set."},
		{"bad id", "nope", core.GroupUpdateInput{Name: str("x")}, core.CodeInvalidArgument, "Group ID must be a valid ID."},
		{"empty name", g.ID.String(), core.GroupUpdateInput{Name: str("")}, core.CodeInvalidArgument, "Group name cannot be empty."},
		{"empty lang", g.ID.String(), core.GroupUpdateInput{LangTag: str("")}, core.CodeInvalidArgument, "Group language cannot be empty."},
		{"nothing", g.ID.String(), core.GroupUpdateInput{}, core.CodeInvalidArgument, "Specify at least one field to update."},
		{"name taken", g.ID.String(), core.GroupUpdateInput{Name: str("two")}, core.CodeInvalidArgument, "Group name is in use."},
		{"unknown group", uuid.NewString(), core.GroupUpdateInput{Name: str("x")}, core.CodeNotFound, "Group not found or you're not allowed to update."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, c.GroupUpdate(ctx, a.UserID, tc.id, tc.in), tc.code, tc.msg)
		})
	}
}

func names(l core.GroupList) []string {
	out := make([]string, len(l.Groups))
	for i, g := range l.Groups {
		out[i] = g.Name
	}
	return out
}

// listAllGroups pages through a listing and returns every name in order.
func listAllGroups(t *testing.T, c *core.Core, in core.GroupListInput) []string {
	t.Helper()
	var all []string
	for page := 0; page < 100; page++ {
		l, err := c.GroupsList(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, names(l)...)
		if l.Cursor == "" {
			return all
		}
		in.Cursor = l.Cursor
	}
	t.Fatal("listing did not end")
	return nil
}

func TestGroupsList(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	a := newPlayer(t, c, "a")
	b := newPlayer(t, c, "b")
	for _, n := range []string{"heroes-b", "heroes-a", "heroesc", "villains", "hero", "héroes", "100% fun", "heroes_x"} {
		mustCreateGroup(t, c, a, core.GroupCreateInput{Name: n, Open: n != "villains", LangTag: map[bool]string{true: "fr", false: ""}[n == "hero"]})
	}
	big := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "heroes-big", Open: true})
	setGroupState(t, pool, big.ID, b, core.GroupStateMember)

	for _, tc := range []struct {
		name string
		in   core.GroupListInput
		want []string
	}{
		{"prefix", core.GroupListInput{Name: "heroes%", Limit: 2, Members: -1},
			[]string{"heroes-a", "heroes-b", "heroes-big", "heroes_x", "heroesc"}},
		{"prefix with escaped wildcard", core.GroupListInput{Name: `heroes\_%`, Limit: 100, Members: -1}, []string{"heroes_x"}},
		{"single-character wildcard", core.GroupListInput{Name: "heroe_-a", Limit: 100, Members: -1}, []string{"heroes-a"}},
		{"contains", core.GroupListInput{Name: "%oes%", Limit: 3, Members: -1},
			[]string{"heroes-a", "heroes-b", "heroes-big", "heroes_x", "heroesc", "héroes"}},
		{"exact", core.GroupListInput{Name: "hero", Limit: 1, Members: -1}, []string{"hero"}},
		{"unicode prefix", core.GroupListInput{Name: "hé%", Limit: 1, Members: -1}, []string{"héroes"}},
		{"literal percent", core.GroupListInput{Name: `100\%%`, Limit: 5, Members: -1}, []string{"100% fun"}},
		{"closed", core.GroupListInput{Open: new(bool), Limit: 5, Members: -1}, []string{"villains"}},
		{"lang", core.GroupListInput{LangTag: "fr", Limit: 5, Members: -1}, []string{"hero"}},
		{"members", core.GroupListInput{Name: "heroes%", Members: 1, Limit: 5}, []string{"heroes-a", "heroes-b", "heroes_x", "heroesc"}},
		{"name and open", core.GroupListInput{Name: "%s", Open: new(bool), Limit: 5, Members: -1}, []string{"villains"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, listAllGroups(t, c, tc.in)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}

	// Without a name: (lang_tag, edge_count, id) order; every group once across pages.
	all := listAllGroups(t, c, core.GroupListInput{Limit: 1, Members: -1})
	if len(all) != 9 || all[len(all)-1] != "hero" {
		t.Fatalf("all = %v", all)
	}
	first, err := c.GroupsList(ctx, core.GroupListInput{Limit: 8, Members: -1})
	if err != nil || len(first.Groups) != 8 || first.Groups[7].Name != "heroes-big" {
		t.Fatalf("en groups, biggest last: %v %v", names(first), err)
	}

	for _, tc := range []struct {
		name string
		in   core.GroupListInput
		msg  string
	}{
		{"limit 0", core.GroupListInput{Limit: 0}, "Invalid limit - limit must be between 1 and 100."},
		{"limit 101", core.GroupListInput{Limit: 101}, "Invalid limit - limit must be between 1 and 100."},
		{"garbage cursor", core.GroupListInput{Limit: 1, Cursor: "!!"}, "Malformed cursor was used."},
		{"cursor of other filters", core.GroupListInput{Limit: 1, Name: "x%", Cursor: first.Cursor}, "Malformed cursor was used."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.GroupsList(ctx, tc.in)
			wantCode(t, err, core.CodeInvalidArgument, tc.msg)
		})
	}
	l, err := c.GroupsList(ctx, core.GroupListInput{Name: `trailing\`, Limit: 1, Members: -1})
	if err != nil || len(l.Groups) != 0 {
		t.Fatalf("trailing escape: %v %v", names(l), err)
	}
}

func TestGroupAccountDeleteAndExport(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	a, b, d := newPlayer(t, c, "a"), newPlayer(t, c, "b"), newPlayer(t, c, "d")
	solo := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "solo"})
	withMembers := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "with-members"})
	setGroupState(t, pool, withMembers.ID, b, core.GroupStateMember)
	shared := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "shared"})
	setGroupState(t, pool, shared.ID, b, core.GroupStateSuperadmin)
	setGroupState(t, pool, shared.ID, d, core.GroupStateJoinRequest)
	bs := mustCreateGroup(t, c, b, core.GroupCreateInput{Name: "b's"})
	setGroupState(t, pool, bs.ID, a, core.GroupStateAdmin)

	export, err := c.AccountExport(ctx, a.UserID)
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Groups []struct {
			Name  string `json:"name"`
			State int    `json:"state"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(export), &ex); err != nil {
		t.Fatal(err)
	}
	gotExport := map[string]int{}
	for _, g := range ex.Groups {
		gotExport[g.Name] = g.State
	}
	if diff := cmp.Diff(map[string]int{"solo": 0, "with-members": 0, "shared": 0, "b's": 1}, gotExport); diff != "" {
		t.Fatalf("export (-want +got):\n%s", diff)
	}

	if err := c.AccountDelete(ctx, a.UserID, false); err != nil {
		t.Fatal(err)
	}
	// As in Nakama: a group whose only superadmin goes is deleted, members or not.
	for _, gone := range []core.Group{solo, withMembers} {
		if _, ok := getGroup(t, c, gone.ID); ok {
			t.Fatalf("%s survived", gone.Name)
		}
	}
	for id, count := range map[uuid.UUID]int32{shared.ID: 1, bs.ID: 1} {
		g, ok := getGroup(t, c, id)
		if !ok || g.EdgeCount != count {
			t.Fatalf("group %v: %+v, want edge_count %d", ok, g, count)
		}
	}
	var edges int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM group_edge WHERE group_id = $1`, withMembers.ID).Scan(&edges); err != nil || edges != 0 {
		t.Fatalf("memberships of a deleted group: %d %v", edges, err)
	}
}

// TestGroupDeleteByUserRemovesMemberships checks a deleted group takes its memberships
// and join requests with it.
func TestGroupDeleteByUserRemovesMemberships(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	a, b := newPlayer(t, c, "a"), newPlayer(t, c, "b")
	g := mustCreateGroup(t, c, a, core.GroupCreateInput{Name: "g"})
	setGroupState(t, pool, g.ID, b, core.GroupStateJoinRequest)
	if err := c.GroupDelete(ctx, a.UserID, g.ID.String()); err != nil {
		t.Fatal(err)
	}
	var edges int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM group_edge WHERE group_id = $1`, g.ID).Scan(&edges); err != nil || edges != 0 {
		t.Fatalf("memberships left: %d %v", edges, err)
	}
	if err := c.GroupDelete(ctx, uuid.Nil, g.ID.String()); err != nil {
		t.Fatalf("server delete of an unknown group: %v", err)
	}
	wantCode(t, c.GroupDelete(ctx, a.UserID, "x"), core.CodeInvalidArgument, "Group ID must be a valid ID.")
}
