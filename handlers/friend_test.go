package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// named authenticates a device account with a chosen username and returns its token and id.
func named(t *testing.T, h *harness, device, username string) (token, id string) {
	t.Helper()
	r := h.do("POST", "/v2/account/authenticate/device?username="+url.QueryEscape(username), serverKey(testServerKey), `{"id":"`+device+`"}`)
	if r.status != http.StatusOK {
		t.Fatalf("authenticate %s: %d %s", username, r.status, r.body)
	}
	token = r.json(t)["token"].(string)
	return token, jwtClaims(t, token)["uid"].(string)
}

type friendReply struct {
	Friends []struct {
		User     map[string]any `json:"user"`
		State    *int           `json:"state"`
		Metadata string         `json:"metadata"`
	} `json:"friends"`
	FriendsOfFriends []struct {
		Referrer string         `json:"referrer"`
		User     map[string]any `json:"user"`
	} `json:"friends_of_friends"`
	Notifications []map[string]any `json:"notifications"`
	Cursor        string           `json:"cursor"`
	Cacheable     string           `json:"cacheable_cursor"`
}

func (r response) friends(t *testing.T) friendReply {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out friendReply
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("reply %s: %v", r.body, err)
	}
	return out
}

func (f friendReply) states() map[string]int {
	out := map[string]int{}
	for _, fr := range f.Friends {
		out[fr.User["username"].(string)] = *fr.State
	}
	return out
}

func wantOK(t *testing.T, r response) {
	t.Helper()
	if r.status != http.StatusOK || strings.TrimSpace(string(r.body)) != "{}" {
		t.Fatalf("got %d %s, want 200 {}", r.status, r.body)
	}
}

func TestFriendsREST(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, aliceID := named(t, h, "friends-alice-01", "alice")
	bob, bobID := named(t, h, "friends-bob-0001", "bob")
	carol, carolID := named(t, h, "friends-carol-01", "carol")

	wantOK(t, h.do("POST", "/v2/friend?usernames=bob&metadata="+url.QueryEscape(`{"note":"hi"}`), bearer(alice), ""))
	got := h.do("GET", "/v2/friend", bearer(alice), "").friends(t)
	if diff := cmp.Diff(map[string]int{"bob": 1}, got.states()); diff != "" {
		t.Fatalf("alice (-want +got):\n%s", diff)
	}
	if got.Friends[0].Metadata != `{"note": "hi"}` {
		t.Fatalf("metadata = %q", got.Friends[0].Metadata)
	}
	// Bob sees the invite and its notification, then accepts.
	if diff := cmp.Diff(map[string]int{"alice": 2}, h.do("GET", "/v2/friend?state=2", bearer(bob), "").friends(t).states()); diff != "" {
		t.Fatalf("bob (-want +got):\n%s", diff)
	}
	n := h.do("GET", "/v2/notification?limit=10", bearer(bob), "").friends(t)
	if len(n.Notifications) != 1 || n.Notifications[0]["code"] != float64(-2) || n.Notifications[0]["sender_id"] != aliceID ||
		n.Notifications[0]["persistent"] != true || n.Notifications[0]["content"] != `{"username": "alice"}` {
		t.Fatalf("bob's notifications = %v", n.Notifications)
	}
	wantOK(t, h.do("POST", "/v2/friend?ids="+aliceID, bearer(bob), ""))
	// Friends are listed with state 0 present on the wire.
	r := h.do("GET", "/v2/friend", bearer(alice), "")
	if diff := cmp.Diff(map[string]int{"bob": 0}, r.friends(t).states()); diff != "" {
		t.Fatalf("alice after accept (-want +got):\n%s", diff)
	}
	// Friends of friends: carol is bob's friend.
	wantOK(t, h.do("POST", "/v2/friend?ids="+carolID, bearer(bob), ""))
	wantOK(t, h.do("POST", "/v2/friend?ids="+bobID, bearer(carol), ""))
	fof := h.do("GET", "/v2/friend/friends", bearer(alice), "").friends(t)
	if len(fof.FriendsOfFriends) != 1 || fof.FriendsOfFriends[0].Referrer != bobID || fof.FriendsOfFriends[0].User["id"] != carolID {
		t.Fatalf("friends of friends = %+v", fof)
	}
	// Paging with limit 1.
	first := h.do("GET", "/v2/friend?limit=1", bearer(bob), "").friends(t)
	if len(first.Friends) != 1 || first.Cursor == "" {
		t.Fatalf("first page = %+v", first)
	}
	second := h.do("GET", "/v2/friend?limit=1&cursor="+url.QueryEscape(first.Cursor), bearer(bob), "").friends(t)
	if len(second.Friends) != 1 || second.Cursor != "" || second.Friends[0].User["id"] == first.Friends[0].User["id"] {
		t.Fatalf("second page = %+v", second)
	}
	// Carol blocks alice; alice's invite is then ignored.
	wantOK(t, h.do("POST", "/v2/friend/block?usernames=alice", bearer(carol), ""))
	wantOK(t, h.do("POST", "/v2/friend?ids="+carolID, bearer(alice), ""))
	if diff := cmp.Diff(map[string]int{"bob": 0}, h.do("GET", "/v2/friend", bearer(alice), "").friends(t).states()); diff != "" {
		t.Fatalf("alice after blocked invite (-want +got):\n%s", diff)
	}
	// Delete.
	wantOK(t, h.do("DELETE", "/v2/friend?ids="+bobID, bearer(alice), ""))
	if got := h.do("GET", "/v2/friend", bearer(alice), "").friends(t); len(got.Friends) != 0 {
		t.Fatalf("after delete = %+v", got)
	}
	// Nothing named is a no-op.
	wantOK(t, h.do("POST", "/v2/friend", bearer(alice), ""))
	wantOK(t, h.do("DELETE", "/v2/friend", bearer(alice), ""))
	wantOK(t, h.do("POST", "/v2/friend/block", bearer(alice), ""))
}

func TestFriendsRESTRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, aliceID := named(t, h, "refuse-alice-01", "alice")
	tests := []struct {
		method, target string
		status, code   int
		message        string
	}{
		{"POST", "/v2/friend?ids=" + aliceID, 400, 3, "Cannot add self as friend."},
		{"POST", "/v2/friend?usernames=alice", 400, 3, "Cannot add self as friend."},
		{"POST", "/v2/friend?ids=bad", 400, 3, "Invalid user ID 'bad'."},
		{"POST", "/v2/friend?usernames=nobody", 400, 3, "No valid ID or username was provided."},
		{"POST", "/v2/friend?usernames=x&metadata=" + url.QueryEscape("[1]"), 400, 3, "Metadata must be a valid JSON object."},
		{"DELETE", "/v2/friend?ids=" + aliceID, 400, 3, "Cannot delete self."},
		{"POST", "/v2/friend/block?usernames=alice", 400, 3, "Cannot block self."},
		{"POST", "/v2/friend/block?usernames=nobody", 400, 3, "No valid ID or username was provided."},
		{"GET", "/v2/friend?limit=0", 400, 3, "Invalid limit - limit must be between 1 and 1000."},
		{"GET", "/v2/friend?limit=1001", 400, 3, "Invalid limit - limit must be between 1 and 1000."},
		{"GET", "/v2/friend?state=4", 400, 3, "Invalid state - state must be between 0 and 3."},
		{"GET", "/v2/friend?state=-1", 400, 3, "Invalid state - state must be between 0 and 3."},
		{"GET", "/v2/friend?cursor=xyz", 400, 3, "Cursor is invalid."},
		{"GET", "/v2/friend/friends?limit=101", 400, 3, "Invalid limit - limit must be between 1 and 100."},
		{"GET", "/v2/friend/friends?cursor=xyz", 400, 3, "Cursor is invalid."},
		{"GET", "/v2/notification?limit=0", 400, 3, "Invalid limit - limit must be between 1 and 100."},
		{"GET", "/v2/notification?limit=101", 400, 3, "Invalid limit - limit must be between 1 and 100."},
		{"GET", "/v2/notification?cacheable_cursor=xyz", 400, 3, "Malformed cursor was used."},
		{"POST", "/v2/friend/facebook", 400, 3, "Facebook token is required."},
		{"POST", "/v2/friend/facebook?reset=true", 400, 3, "Facebook token is required."},
		{"POST", "/v2/friend/steam", 400, 9, "Steam authentication is not configured."},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			body := ""
			if tc.method == "POST" && strings.Contains(tc.target, "/v2/friend/") && !strings.Contains(tc.target, "block") {
				body = `{}`
			}
			wantError(t, h.do(tc.method, tc.target, bearer(alice), body), tc.status, tc.code, tc.message)
		})
	}
}

func TestNotificationsREST(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, aliceID := named(t, h, "notes-alice-001", "alice")
	for _, name := range []string{"sendera", "senderb", "senderc"} {
		token, _ := named(t, h, "notes-"+name+"-00", name)
		wantOK(t, h.do("POST", "/v2/friend?ids="+aliceID, bearer(token), ""))
	}
	// No limit: one notification, the oldest, and a cacheable cursor.
	first := h.do("GET", "/v2/notification", bearer(alice), "").friends(t)
	if len(first.Notifications) != 1 || first.Notifications[0]["subject"] != "sendera wants to add you as a friend" || first.Cacheable == "" {
		t.Fatalf("first = %+v", first)
	}
	// The cursor (either spelling) returns only newer ones.
	rest := h.do("GET", "/v2/notification?limit=100&cacheableCursor="+url.QueryEscape(first.Cacheable), bearer(alice), "").friends(t)
	if len(rest.Notifications) != 2 || rest.Notifications[1]["subject"] != "senderc wants to add you as a friend" {
		t.Fatalf("rest = %+v", rest)
	}
	none := h.do("GET", "/v2/notification?limit=100&cacheable_cursor="+url.QueryEscape(rest.Cacheable), bearer(alice), "").friends(t)
	if len(none.Notifications) != 0 || none.Cacheable != rest.Cacheable {
		t.Fatalf("caught up = %+v", none)
	}
	// Delete: another user's ids and malformed ids change nothing.
	other, _ := named(t, h, "notes-other-0001", "other")
	id := first.Notifications[0]["id"].(string)
	wantOK(t, h.do("DELETE", "/v2/notification?ids="+id, bearer(other), ""))
	wantOK(t, h.do("DELETE", "/v2/notification?ids=not-an-id", bearer(alice), ""))
	if n := h.do("GET", "/v2/notification?limit=100", bearer(alice), "").friends(t); len(n.Notifications) != 3 {
		t.Fatalf("after foreign delete: %d", len(n.Notifications))
	}
	wantOK(t, h.do("DELETE", "/v2/notification?ids="+id, bearer(alice), ""))
	wantOK(t, h.do("DELETE", "/v2/notification", bearer(alice), ""))
	if n := h.do("GET", "/v2/notification?limit=100", bearer(alice), "").friends(t); len(n.Notifications) != 2 {
		t.Fatalf("after delete: %d", len(n.Notifications))
	}
}

// Empty string query values reach the handlers, as through Nakama's gateway, so the
// refusal is Nakama's own message rather than a validator's.
func TestEmptyQueryValues(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, _ := h.authDevice("empty-query-values")
	wantError(t, h.do("POST", "/v2/friend?usernames=", bearer(token), ""), 400, 3, "Username must not be empty.")
	if r := h.do("GET", "/v2/user?usernames=", bearer(token), ""); r.status != 200 {
		t.Fatalf("GET /v2/user?usernames= : %d %s", r.status, r.body)
	}
	// An empty username on authenticate means "generate one".
	r := h.do("POST", "/v2/account/authenticate/device?username=", serverKey(testServerKey), `{"id":"empty-username-device"}`)
	if r.status != 200 {
		t.Fatalf("authenticate with username= : %d %s", r.status, r.body)
	}
	wantError(t, h.do("POST", "/v2/account/authenticate/device?create=", serverKey(testServerKey), `{"id":"empty-create-device"}`), 400, 3, `Invalid value for parameter "create": must not be empty.`)
}
