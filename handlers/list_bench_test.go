package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
)

// The list benchmarks run a page of 100 through the whole front door in process (edge,
// router, handler, core, PostgreSQL, encoding), so a CPU profile shows where a page goes.
// `make bench` measures the same pages over the network against the binary.

func BenchmarkListFriends100(b *testing.B) {
	h := newHarness(b)
	token, _ := h.authDevice("bench-lister-000000")
	ids := make([]string, 100)
	for i := range ids {
		t, _ := h.authDevice(fmt.Sprintf("bench-friend-%06d", i))
		ids[i] = h.do("GET", "/v2/account", bearer(t), "").json(b)["user"].(map[string]any)["id"].(string)
	}
	if r := h.do("POST", "/v2/friend?ids="+strings.Join(ids, "&ids="), bearer(token), ""); r.status != http.StatusOK {
		b.Fatalf("add friends: %d %s", r.status, r.body)
	}
	benchmarkGet(b, h, "/v2/friend?limit=100", token)
}

func BenchmarkListGroups100(b *testing.B) {
	h := newHarness(b)
	token, _ := h.authDevice("bench-lister-000000")
	for i := range 150 {
		body := fmt.Sprintf(`{"name":"bench-group-%04d","description":"a group for the benchmark","lang_tag":"en","open":true,"max_count":100}`, i)
		if r := h.do("POST", "/v2/group", bearer(token), body); r.status != http.StatusOK {
			b.Fatalf("create group: %d %s", r.status, r.body)
		}
	}
	benchmarkGet(b, h, "/v2/group?limit=100&name=bench-group-%25", token)
}

func benchmarkGet(b *testing.B, h *harness, target, token string) {
	b.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if r := h.do("GET", target, bearer(token), ""); r.status != http.StatusOK || !strings.Contains(string(r.body), "99") {
		b.Fatalf("probe: %d %s", r.status, r.body)
	}
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.edge.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64((processCPU()-start).Microseconds())/float64(b.N), "cpu-µs/op")
}

// processCPU is the CPU time this process has used, user and system: the in-process
// counterpart of the server CPU per operation that `make bench` reports.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLeaderboardREST runs leaderboard operations through the REST front door on a
// board of 5,000 records, so the front door's share (routing, validation, JSON) can be
// added to core's BenchmarkLeaderboard1M figures: the board's size changes PostgreSQL's
// work, not this process's.
func BenchmarkLeaderboardREST(b *testing.B) {
	h := newHarness(b)
	ctx := context.Background()
	if _, err := h.core.LeaderboardCreate(ctx, core.LeaderboardConfig{ID: "bench", SortOrder: core.SortDescending, Operator: core.OperatorBest}); err != nil {
		b.Fatal(err)
	}
	token, _ := h.authDevice("bench-leaderboard-000000")
	owner := h.do("GET", "/v2/account", bearer(token), "").json(b)["user"].(map[string]any)["id"].(string)
	for i := range 5000 {
		if _, err := h.core.LeaderboardRecordWrite(ctx, core.RecordWrite{LeaderboardID: "bench", OwnerID: uuid.New(),
			Username: fmt.Sprintf("player%d", i), Score: int64(i * 7 % 5000), Subscore: int64(i % 10), Server: true}); err != nil {
			b.Fatal(err)
		}
	}
	if r := h.do("POST", "/v2/leaderboard/bench", bearer(token), `{"score":"2500"}`); r.status != http.StatusOK {
		b.Fatalf("write: %d %s", r.status, r.body)
	}
	next := h.do("GET", "/v2/leaderboard/bench?limit=100", bearer(token), "").json(b)["next_cursor"].(string)
	b.Run("list-100", func(b *testing.B) {
		benchmarkGet(b, h, "/v2/leaderboard/bench?limit=100&cursor="+url.QueryEscape(next), token)
	})
	b.Run("around-owner-100", func(b *testing.B) {
		benchmarkGet(b, h, "/v2/leaderboard/bench/owner/"+owner+"?limit=100", token)
	})
	b.Run("write", func(b *testing.B) {
		b.ReportAllocs()
		start := processCPU()
		for i := 0; b.Loop(); i++ {
			w := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/v2/leaderboard/bench", strings.NewReader(fmt.Sprintf(`{"score":"%d"}`, i%5000)))
			req.Header.Set("Authorization", "Bearer "+token)
			h.edge.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
		b.ReportMetric(float64((processCPU()-start).Microseconds())/float64(b.N), "cpu-µs/op")
	})
}
