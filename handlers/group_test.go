package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type groupReply struct {
	ID        string `json:"id"`
	CreatorID string `json:"creator_id"`
	Name      string `json:"name"`
	LangTag   string `json:"lang_tag"`
	Open      *bool  `json:"open"`
	EdgeCount int    `json:"edge_count"`
	MaxCount  int    `json:"max_count"`
	Metadata  string `json:"metadata"`
	Groups    []struct {
		Name string `json:"name"`
	} `json:"groups"`
	GroupUsers []struct {
		User  map[string]any `json:"user"`
		State *int           `json:"state"`
	} `json:"group_users"`
	UserGroups []struct {
		Group map[string]any `json:"group"`
		State *int           `json:"state"`
	} `json:"user_groups"`
	Cursor string `json:"cursor"`
}

func (r response) group(t *testing.T) groupReply {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out groupReply
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("reply %s: %v", r.body, err)
	}
	return out
}

func TestGroupsREST(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, aliceID := named(t, h, "groups-alice-01", "alice")
	bob, bobID := named(t, h, "groups-bob-0001", "bob")
	carol, carolID := named(t, h, "groups-carol-01", "carol")

	g := h.do("POST", "/v2/group", bearer(alice), `{"name":"Knights","description":"d","open":false}`).group(t)
	if g.CreatorID != aliceID || g.Name != "Knights" || g.LangTag != "en" || g.Open == nil || *g.Open || g.EdgeCount != 1 || g.MaxCount != 100 || g.Metadata != "{}" {
		t.Fatalf("created %+v", g)
	}
	open := h.do("POST", "/v2/group", bearer(bob), `{"name":"Knaves","open":true,"max_count":3,"lang_tag":"fr"}`).group(t)
	wantError(t, h.do("POST", "/v2/group", bearer(bob), `{"name":"Knights"}`), 409, 6, "Group name is in use.")
	wantError(t, h.do("POST", "/v2/group", bearer(bob), `{}`), 400, 3, "Group name must be set.")

	// Listing: Nakama's default page is one group.
	first := h.do("GET", "/v2/group?name="+url.QueryEscape("Kn%"), bearer(carol), "").group(t)
	if len(first.Groups) != 1 || first.Groups[0].Name != "Knaves" || first.Cursor == "" {
		t.Fatalf("first page %+v", first)
	}
	second := h.do("GET", "/v2/group?name="+url.QueryEscape("Kn%")+"&cursor="+url.QueryEscape(first.Cursor), bearer(carol), "").group(t)
	if len(second.Groups) != 1 || second.Groups[0].Name != "Knights" || second.Cursor != "" {
		t.Fatalf("second page %+v", second)
	}
	if got := h.do("GET", "/v2/group?limit=10&open=true&lang_tag=fr", bearer(carol), "").group(t); len(got.Groups) != 1 || got.Groups[0].Name != "Knaves" {
		t.Fatalf("filtered %+v", got)
	}
	wantError(t, h.do("GET", "/v2/group?limit=0", bearer(carol), ""), 400, 3, "Invalid limit - limit must be between 1 and 100.")

	// Membership.
	wantOK(t, h.do("POST", "/v2/group/"+open.ID+"/join", bearer(carol), ""))
	wantOK(t, h.do("POST", "/v2/group/"+g.ID+"/join", bearer(bob), ""))
	wantOK(t, h.do("POST", "/v2/group/"+g.ID+"/add?user_ids="+bobID+"&user_ids="+carolID, bearer(alice), ""))
	wantOK(t, h.do("POST", "/v2/group/"+g.ID+"/promote?user_ids="+bobID, bearer(alice), ""))
	users := h.do("GET", "/v2/group/"+g.ID+"/user", bearer(carol), "").group(t)
	states := map[string]int{}
	for _, u := range users.GroupUsers {
		states[u.User["username"].(string)] = *u.State
	}
	if diff := cmp.Diff(map[string]int{"alice": 0, "bob": 1, "carol": 2}, states); diff != "" {
		t.Fatalf("group users (-want +got):\n%s", diff)
	}
	wantOK(t, h.do("POST", "/v2/group/"+g.ID+"/demote?user_ids="+bobID, bearer(alice), ""))
	wantError(t, h.do("POST", "/v2/group/"+g.ID+"/kick?user_ids="+carolID, bearer(bob), ""), 404, 5, "Group not found or permission denied.")
	wantOK(t, h.do("POST", "/v2/group/"+g.ID+"/ban?user_ids="+carolID, bearer(alice), ""))
	wantOK(t, h.do("POST", "/v2/group/"+g.ID+"/join", bearer(carol), ""))
	banned := h.do("GET", "/v2/group/"+g.ID+"/user?state=4", bearer(carol), "").group(t)
	if len(banned.GroupUsers) != 1 || banned.GroupUsers[0].User["id"] != carolID {
		t.Fatalf("banned %+v", banned)
	}
	mine := h.do("GET", "/v2/user/"+carolID+"/group", bearer(alice), "").group(t)
	if len(mine.UserGroups) != 1 || mine.UserGroups[0].Group["name"] != "Knaves" || *mine.UserGroups[0].State != 2 {
		t.Fatalf("carol's groups %+v", mine)
	}
	wantOK(t, h.do("POST", "/v2/group/"+g.ID+"/leave", bearer(bob), ""))
	wantError(t, h.do("POST", "/v2/group/"+open.ID+"/leave", bearer(bob), ""), 400, 3, "Cannot leave group when you are the last superadmin.")
	wantError(t, h.do("POST", "/v2/group/"+g.ID+"/demote", bearer(alice), ""), 400, 3, "User IDs must be set.")
	wantError(t, h.do("GET", "/v2/group/"+g.ID+"/user?state=5", bearer(alice), ""), 400, 3, "Invalid state - state must be between 0 and 4.")
	wantError(t, h.do("GET", "/v2/user/nope/group", bearer(alice), ""), 400, 3, "Group ID must be a valid ID.")
	wantError(t, h.do("POST", "/v2/group/nope/join", bearer(alice), ""), 400, 3, "Group ID must be a valid ID.")

	// Update and delete.
	wantOK(t, h.do("PUT", "/v2/group/"+g.ID, bearer(alice), `{"name":"Paladins","open":true}`))
	wantError(t, h.do("PUT", "/v2/group/"+g.ID, bearer(carol), `{"name":"Mine"}`), 404, 5, "Group not found or you're not allowed to update.")
	wantError(t, h.do("PUT", "/v2/group/"+g.ID, bearer(alice), `{}`), 400, 3, "Specify at least one field to update.")
	wantError(t, h.do("PUT", "/v2/group/"+g.ID, bearer(alice), `{"name":"Knaves"}`), 400, 3, "Group name is in use.")
	wantError(t, h.do("DELETE", "/v2/group/"+open.ID, bearer(carol), ""), 400, 3, "Group not found or you're not allowed to delete.")
	wantOK(t, h.do("DELETE", "/v2/group/"+g.ID, bearer(alice), ""))
	if got := h.do("GET", "/v2/group?name=Paladins", bearer(alice), "").group(t); len(got.Groups) != 0 {
		t.Fatalf("deleted group still listed %+v", got)
	}
}
