package core_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/db"
)

// The hot lists read their rows by hand (rowscan.go). These tests hold each reader equal
// to the generated method over the same query, with every nullable column both set and
// NULL, and across page boundaries.

func TestFriendsListReadsAsGenerated(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	q := db.New(pool)
	owner := newPlayer(t, c, "rowscan-owner")
	for i := range 23 {
		p := newPlayer(t, c, fmt.Sprintf("rowscan-%02d", i))
		if i%2 == 0 { // every other profile has every optional column set
			if _, err := pool.Exec(ctx, `UPDATE users SET display_name = $2, avatar_url = $3, lang_tag = NULL,
				location = 'Lyon', timezone = 'Europe/Paris', metadata = '{"lvl": 3, "ü": "\u00e9"}',
				facebook_id = $2, google_id = $2, gamecenter_id = $2, steam_id = $2, apple_id = $2,
				facebook_instant_game_id = $2 WHERE id = $1`, p.UserID, "Ünïcode "+p.id, "https://a/"+p.id); err != nil {
				t.Fatal(err)
			}
		}
		var err error
		switch i % 4 {
		case 0: // invitation sent
			err = c.FriendsAdd(ctx, owner.Caller, ids(p), `{"note":"hi"}`)
		case 1: // invitation received
			err = c.FriendsAdd(ctx, p.Caller, ids(owner), "")
		case 2: // friends
			if err = c.FriendsAdd(ctx, owner.Caller, ids(p), ""); err == nil {
				err = c.FriendsAdd(ctx, p.Caller, ids(owner), "")
			}
		case 3:
			err = c.FriendsBlock(ctx, owner.Caller, ids(p))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	state := func(s int32) *int32 { return &s }
	for _, state := range []*int32{nil, state(0), state(1), state(2), state(3)} {
		for _, limit := range []int{1, 5, 100} {
			filter, afterState := int16(-1), int16(-1)
			if state != nil {
				filter = int16(*state)
			}
			var afterPosition int64
			var afterID uuid.UUID
			cursor, pages := "", 0
			for {
				got, err := c.FriendsList(ctx, owner.UserID, limit, state, cursor)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := q.FriendsList(ctx, db.FriendsListParams{UserID: owner.UserID, State: filter,
					AfterState: afterState, AfterPosition: afterPosition, AfterID: afterID, RowLimit: int32(limit)})
				if err != nil {
					t.Fatal(err)
				}
				want := make([]core.Friend, len(rows))
				for i, r := range rows {
					want[i] = core.Friend{User: userFromProfile(r.UserProfile), State: int32(r.State), UpdateTime: r.EdgeUpdateTime, Metadata: r.EdgeMetadata}
				}
				if diff := cmp.Diff(want, got.Friends); diff != "" {
					t.Fatalf("state %v limit %d page %d (-generated +read):\n%s", state, limit, pages, diff)
				}
				pages++
				if got.Cursor == "" {
					break
				}
				last := rows[len(rows)-1]
				afterState, afterPosition, afterID = last.State, last.Position, last.UserProfile.ID
				cursor = got.Cursor
			}
			if limit == 1 && state == nil && pages != 23 {
				t.Errorf("limit 1 listed %d pages, want 23", pages)
			}
		}
	}
}

func TestGroupsByPrefixReadsAsGenerated(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	q := db.New(pool)
	owner := newPlayer(t, c, "rowscan-groups")
	for i := range 12 {
		in := core.GroupCreateInput{Name: fmt.Sprintf("scan-%02d", i), Open: i%3 == 0}
		if i%2 == 0 {
			in.Description, in.AvatarURL, in.LangTag, in.Metadata = "Dé "+in.Name, "https://g/"+in.Name, "fr", `{"k":[1,2]}`
		}
		if _, err := c.GroupCreate(ctx, owner.UserID, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GroupCreate(ctx, owner.UserID, core.GroupCreateInput{Name: "other"}); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{1, 5, 100} {
		cursor, after, seen := "", "", 0
		for {
			got, err := c.GroupsList(ctx, core.GroupListInput{Name: "scan-%", Members: -1, Limit: limit, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := q.GroupsListByPrefix(ctx, db.GroupsListByPrefixParams{NameFrom: "scan-", NameTo: "scan.", AfterName: after, RowLimit: int32(limit)})
			if err != nil {
				t.Fatal(err)
			}
			want := make([]core.Group, len(rows))
			for i, r := range rows {
				want[i] = core.Group{ID: r.ID, CreatorID: r.CreatorID, Name: r.Name, Description: r.Description,
					AvatarURL: r.AvatarUrl, LangTag: r.LangTag, Metadata: r.Metadata, Open: r.State == 0,
					EdgeCount: r.EdgeCount, MaxCount: r.MaxCount, CreateTime: r.CreateTime, UpdateTime: r.UpdateTime}
			}
			if diff := cmp.Diff(want, got.Groups); diff != "" {
				t.Fatalf("limit %d after %q (-generated +read):\n%s", limit, after, diff)
			}
			seen += len(got.Groups)
			if got.Cursor == "" {
				break
			}
			after, cursor = rows[len(rows)-1].Name, got.Cursor
		}
		if seen != 12 {
			t.Errorf("limit %d listed %d groups, want 12", limit, seen)
		}
	}
}

func TestUsersGetReadsAsGenerated(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	var in core.UsersGetInput
	var ids []uuid.UUID
	for i := range 6 {
		p := newPlayer(t, c, fmt.Sprintf("rowscan-user-%d", i))
		if i%2 == 1 {
			if _, err := pool.Exec(ctx, `UPDATE users SET display_name = 'D', avatar_url = 'A', location = 'L',
				timezone = 'T', metadata = '{"m":1}', steam_id = $2, apple_id = $2 WHERE id = $1`, p.UserID, "s"+p.id); err != nil {
				t.Fatal(err)
			}
		}
		if i < 4 {
			in.IDs, ids = append(in.IDs, p.id), append(ids, p.UserID)
		} else {
			in.Usernames = append(in.Usernames, p.Username)
		}
	}
	in.IDs = append(in.IDs, uuid.NewString()) // unknown: absent
	got, err := c.UsersGet(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.New(pool).UsersGet(ctx, db.UsersGetParams{Ids: ids, Usernames: in.Usernames, FacebookIds: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]core.User, len(rows))
	for i, r := range rows {
		want[i] = userFromProfile(r.UserProfile)
	}
	byID := func(a, b core.User) int { return strings.Compare(a.ID.String(), b.ID.String()) }
	slices.SortFunc(got, byID)
	slices.SortFunc(want, byID)
	if len(got) != 6 {
		t.Fatalf("%d users, want 6", len(got))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-generated +read):\n%s", diff)
	}
}

// userFromProfile is core's mapping of a generated profile row.
func userFromProfile(p db.UserProfile) core.User {
	s := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	return core.User{
		ID: p.ID, Username: p.Username, DisplayName: s(p.DisplayName), AvatarURL: s(p.AvatarUrl),
		LangTag: s(p.LangTag), Location: s(p.Location), Timezone: s(p.Timezone), Metadata: p.Metadata,
		FacebookID: s(p.FacebookID), GoogleID: s(p.GoogleID), GamecenterID: s(p.GamecenterID),
		SteamID: s(p.SteamID), AppleID: s(p.AppleID), FacebookInstantGameID: s(p.FacebookInstantGameID),
		EdgeCount: p.EdgeCount, CreateTime: p.CreateTime, UpdateTime: p.UpdateTime,
	}
}
