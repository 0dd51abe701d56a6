package handlers

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/hearth-server/hearth/core"
)

func TestLeaderboardREST(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.core.LeaderboardCreate(ctx, core.LeaderboardConfig{ID: "board", SortOrder: core.SortDescending, Operator: core.OperatorBest}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.LeaderboardCreate(ctx, core.LeaderboardConfig{ID: "auth", Authoritative: true}); err != nil {
		t.Fatal(err)
	}
	a, _ := h.authDevice("leaderboard-device-a")
	b, _ := h.authDevice("leaderboard-device-b")

	r := h.do("POST", "/v2/leaderboard/board", bearer(a), `{"score":"10","subscore":1,"metadata":"{\"x\":1}"}`)
	if r.status != http.StatusOK {
		t.Fatalf("write: %d %s", r.status, r.body)
	}
	rec := r.json(t)
	if rec["score"] != "10" || rec["subscore"] != "1" || rec["rank"] != "1" || rec["num_score"] != float64(1) || rec["metadata"] != `{"x": 1}` {
		t.Fatalf("record: %s", r.body)
	}
	// Operator override by name (INCREMENT) from the second player.
	r = h.do("POST", "/v2/leaderboard/board", bearer(b), `{"score":"20","operator":"INCREMENT"}`)
	if r.status != http.StatusOK || r.json(t)["rank"] != "1" {
		t.Fatalf("write b: %d %s", r.status, r.body)
	}
	r = h.do("GET", "/v2/leaderboard/board?limit=1", bearer(a), "")
	page := r.json(t)
	if r.status != http.StatusOK || page["next_cursor"] == nil || page["rank_count"] != "2" {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	r = h.do("GET", "/v2/leaderboard/board?limit=1&cursor="+url.QueryEscape(page["next_cursor"].(string)), bearer(a), "")
	recs := r.json(t)["records"].([]any)
	if len(recs) != 1 || recs[0].(map[string]any)["score"] != "10" || recs[0].(map[string]any)["rank"] != "2" {
		t.Fatalf("second page: %s", r.body)
	}
	aID := rec["owner_id"].(string)
	r = h.do("GET", "/v2/leaderboard/board/owner/"+aID+"?limit=2", bearer(b), "")
	if r.status != http.StatusOK || len(r.json(t)["records"].([]any)) != 2 {
		t.Fatalf("around owner: %d %s", r.status, r.body)
	}

	wantError(t, h.do("POST", "/v2/leaderboard/auth", bearer(a), `{"score":"1"}`), 403, 7, "Leaderboard only allows authoritative score submissions.")
	wantError(t, h.do("POST", "/v2/leaderboard/nope", bearer(a), `{"score":"1"}`), 404, 5, "Leaderboard not found.")
	wantError(t, h.do("POST", "/v2/leaderboard/board", bearer(a), `{"score":"1","metadata":"[1]"}`), 400, 3, "Metadata value must be JSON, if provided.")
	wantError(t, h.do("GET", "/v2/leaderboard/board?limit=101", bearer(a), ""), 400, 3, "Invalid limit - limit must be between 1 and 100.")
	wantError(t, h.do("GET", "/v2/leaderboard/board?owner_ids=nope", bearer(a), ""), 400, 3, "One or more owner IDs are invalid.")
	wantError(t, h.do("GET", "/v2/leaderboard/board?cursor=xyz", bearer(a), ""), 400, 3, "Cursor is invalid or expired.")
	wantError(t, h.do("GET", "/v2/leaderboard/board/owner/nope", bearer(a), ""), 400, 3, "Invalid owner ID provided.")
	wantError(t, h.do("GET", "/v2/leaderboard/board?expiry=abc", bearer(a), ""), 400, 3, "Invalid expiry - must be a number of seconds since the epoch.")

	r = h.do("DELETE", "/v2/leaderboard/board", bearer(a), "")
	if r.status != http.StatusOK {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	r = h.do("GET", "/v2/leaderboard/board?owner_ids="+aID, bearer(a), "")
	if r.json(t)["owner_records"] != nil {
		t.Fatalf("deleted record listed: %s", r.body)
	}
}

func TestTournamentREST(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.core.TournamentCreate(ctx, core.TournamentConfig{ID: "cup", Title: "Cup", Category: 3, SortOrder: core.SortDescending,
		Duration: 3600, JoinRequired: true, MaxNumScore: 2}); err != nil {
		t.Fatal(err)
	}
	a, _ := h.authDevice("tournament-device-a")
	r := h.do("GET", "/v2/tournament?category_start=3&category_end=3", bearer(a), "")
	if r.status != http.StatusOK {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	ts := r.json(t)["tournaments"].([]any)
	tr := ts[0].(map[string]any)
	if len(ts) != 1 || tr["id"] != "cup" || tr["can_enter"] != true || tr["duration"] != float64(3600) || tr["join_required"] != true {
		t.Fatalf("tournament: %s", r.body)
	}
	wantError(t, h.do("PUT", "/v2/tournament/cup", bearer(a), `{"score":"1"}`), 400, 9, "Must join tournament before attempting to write value.")
	for i := 0; i < 2; i++ {
		if r := h.do("POST", "/v2/tournament/cup/join", bearer(a), ""); r.status != http.StatusOK {
			t.Fatalf("join: %d %s", r.status, r.body)
		}
	}
	for i, m := range []string{"PUT", "POST"} {
		if r := h.do(m, "/v2/tournament/cup", bearer(a), `{"score":"`+string(rune('5'+i))+`"}`); r.status != http.StatusOK {
			t.Fatalf("%s write: %d %s", m, r.status, r.body)
		}
	}
	wantError(t, h.do("POST", "/v2/tournament/cup", bearer(a), `{"score":"9"}`), 400, 9, "Reached allowed max number of score attempts.")
	r = h.do("GET", "/v2/tournament/cup", bearer(a), "")
	recs := r.json(t)["records"].([]any)
	if r.status != http.StatusOK || len(recs) != 1 || recs[0].(map[string]any)["max_num_score"] != float64(2) {
		t.Fatalf("records: %d %s", r.status, r.body)
	}
	owner := recs[0].(map[string]any)["owner_id"].(string)
	if r := h.do("GET", "/v2/tournament/cup/owner/"+owner, bearer(a), ""); r.status != http.StatusOK {
		t.Fatalf("around owner: %d %s", r.status, r.body)
	}
	wantError(t, h.do("POST", "/v2/tournament/none/join", bearer(a), ""), 404, 5, "Tournament not found.")
	wantError(t, h.do("GET", "/v2/tournament?category_end=200", bearer(a), ""), 400, 3, "Tournament category end must be >=0 and <128.")
	if r := h.do("DELETE", "/v2/tournament/cup", bearer(a), ""); r.status != http.StatusOK {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
}
