package handlers

import (
	"encoding/json"
	"math/rand/v2"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// The hand-written list bodies must say exactly what encoding/json says of the generated
// types built by the wire conversions, for every shape of value: empty and full fields,
// zero states, escapes, invalid UTF-8, pages with and without cursors.
func TestListJSONMatchesGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		users := make([]core.User, rng.IntN(4))
		for i := range users {
			users[i] = randomUser(rng)
		}
		friends := core.FriendList{Cursor: randomString(rng)}
		groupUsers := core.GroupUserList{Cursor: randomString(rng)}
		for _, u := range users {
			friends.Friends = append(friends.Friends, core.Friend{User: u, State: rng.Int32N(4), UpdateTime: randomTime(rng), Metadata: randomString(rng)})
			groupUsers.Users = append(groupUsers.Users, core.GroupUser{User: u, State: rng.Int32N(4)})
		}
		groups := core.GroupList{Cursor: randomString(rng)}
		userGroups := core.UserGroupList{Cursor: randomString(rng)}
		for range rng.IntN(4) {
			g := randomGroup(rng)
			groups.Groups = append(groups.Groups, g)
			userGroups.Groups = append(userGroups.Groups, core.UserGroup{Group: g, State: rng.Int32N(4)})
		}

		var wantFriends api.ApiFriendList
		wantFriends.Cursor = str(friends.Cursor)
		if len(friends.Friends) > 0 {
			wire := make([]api.ApiFriend, len(friends.Friends))
			for i, f := range friends.Friends {
				user := wireUser(f.User)
				wire[i] = api.ApiFriend{User: &user, State: state(f.State), UpdateTime: timestamp(f.UpdateTime), Metadata: str(f.Metadata)}
			}
			wantFriends.Friends = &wire
		}
		sameJSON(t, round, wantFriends, writeFriendList(friends).jsonBody)

		wantGroups := api.ApiGroupList{Cursor: str(groups.Cursor)}
		if len(groups.Groups) > 0 {
			wire := make([]api.ApiGroup, len(groups.Groups))
			for i, g := range groups.Groups {
				wire[i] = wireGroup(g)
			}
			wantGroups.Groups = &wire
		}
		sameJSON(t, round, wantGroups, writeGroupList(groups).jsonBody)

		wantGroupUsers := api.ApiGroupUserList{Cursor: str(groupUsers.Cursor)}
		if len(groupUsers.Users) > 0 {
			wire := make([]api.GroupUserListGroupUser, len(groupUsers.Users))
			for i, u := range groupUsers.Users {
				user := wireUser(u.User)
				wire[i] = api.GroupUserListGroupUser{User: &user, State: state(u.State)}
			}
			wantGroupUsers.GroupUsers = &wire
		}
		sameJSON(t, round, wantGroupUsers, writeGroupUserList(groupUsers).jsonBody)

		wantUserGroups := api.ApiUserGroupList{Cursor: str(userGroups.Cursor)}
		if len(userGroups.Groups) > 0 {
			wire := make([]api.UserGroupListUserGroup, len(userGroups.Groups))
			for i, g := range userGroups.Groups {
				group := wireGroup(g.Group)
				wire[i] = api.UserGroupListUserGroup{Group: &group, State: state(g.State)}
			}
			wantUserGroups.UserGroups = &wire
		}
		sameJSON(t, round, wantUserGroups, writeUserGroupList(userGroups).jsonBody)

		records := core.RecordList{NextCursor: randomString(rng), PrevCursor: randomString(rng), RankCount: rng.Int64N(3) * rng.Int64()}
		for range rng.IntN(4) {
			records.Records = append(records.Records, randomRecord(rng))
		}
		for range rng.IntN(3) {
			records.OwnerRecords = append(records.OwnerRecords, randomRecord(rng))
		}
		sameJSON(t, round, wireRecordList(records), writeRecordList(records).jsonBody)

		var wantUsers api.ApiUsers
		if len(users) > 0 {
			wire := make([]api.ApiUser, len(users))
			for i, u := range users {
				wire[i] = wireUser(u)
			}
			wantUsers.Users = &wire
		}
		sameJSON(t, round, wantUsers, writeUsers(users).jsonBody)
	}
}

// The body goes out whole, as a JSON response, and the pooled buffer is reusable after.
func TestListJSONVisit(t *testing.T) {
	for range 3 {
		w := httptest.NewRecorder()
		if err := writeUsers([]core.User{{ID: uuid.New(), Username: "a<b>"}}).VisitNakamaGetUsersResponse(w); err != nil {
			t.Fatal(err)
		}
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("got %d %q", w.Code, w.Header().Get("Content-Type"))
		}
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got["users"].([]any)[0].(map[string]any)["username"] != "a<b>" {
			t.Fatalf("body %s: %v", w.Body, err)
		}
	}
}

func sameJSON(t *testing.T, round int, want any, got *jsonBody) {
	t.Helper()
	wantRaw, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var w, g any
	if err := json.Unmarshal(wantRaw, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got.B, &g); err != nil {
		t.Fatalf("round %d: hand-written body is not JSON: %v\n%s", round, err, got.B)
	}
	if !reflect.DeepEqual(w, g) {
		t.Fatalf("round %d:\nwant %s\ngot  %s", round, wantRaw, got.B)
	}
}

var awkwardStrings = []string{"", "", "", "plain", `{"k":"v"}`, "quote\"back\\slash", "tab\tnewline\n", "\x00\x1f", "<&>", "ünïcødé 🎮", "\u2028\u2029", "bad\xffutf8", "\xc3"}

func randomRecord(rng *rand.Rand) core.Record {
	signed := func() int64 { return rng.Int64N(3) * (rng.Int64() - rng.Int64()) } // often 0, either sign
	return core.Record{
		LeaderboardID: randomString(rng), OwnerID: uuid.New(), Username: randomString(rng),
		Score: signed(), Subscore: signed(), NumScore: rng.Int32N(3), MaxNumScore: rng.Int32N(3) - 1,
		Metadata: randomString(rng), CreateTime: randomTime(rng), UpdateTime: randomTime(rng),
		ExpiryTime: randomTime(rng), Rank: signed(),
	}
}

func randomString(rng *rand.Rand) string { return awkwardStrings[rng.IntN(len(awkwardStrings))] }

func randomTime(rng *rand.Rand) time.Time {
	if rng.IntN(4) == 0 {
		return time.Time{}
	}
	return time.Unix(rng.Int64N(3e11)-6e10, rng.Int64N(1e9)).In(time.FixedZone("x", 3600*rng.IntN(5)))
}

func randomUser(rng *rand.Rand) core.User {
	return core.User{
		ID: uuid.New(), Username: randomString(rng), DisplayName: randomString(rng), AvatarURL: randomString(rng),
		LangTag: randomString(rng), Location: randomString(rng), Timezone: randomString(rng), Metadata: randomString(rng),
		FacebookID: randomString(rng), GoogleID: randomString(rng), GamecenterID: randomString(rng), SteamID: randomString(rng),
		AppleID: randomString(rng), FacebookInstantGameID: randomString(rng), Online: rng.IntN(2) == 0,
		EdgeCount: rng.Int32N(3) - 1, CreateTime: randomTime(rng), UpdateTime: randomTime(rng),
	}
}

func randomGroup(rng *rand.Rand) core.Group {
	g := core.Group{
		ID: uuid.New(), Name: randomString(rng), Description: randomString(rng), AvatarURL: randomString(rng),
		LangTag: randomString(rng), Metadata: randomString(rng), Open: rng.IntN(2) == 0,
		EdgeCount: rng.Int32N(3), MaxCount: rng.Int32N(3), CreateTime: randomTime(rng), UpdateTime: randomTime(rng),
	}
	if rng.IntN(2) == 0 {
		g.CreatorID = uuid.New()
	}
	return g
}
