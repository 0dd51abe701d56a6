package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

func TestMetrics(t *testing.T) {
	m := New(nil, nil)
	m.Request("GetAccount", 200, 3*time.Millisecond)
	m.SessionOpened()
	m.SessionOpened()
	m.SessionClosed()
	m.CounterAdd("game.matches-played", map[string]string{"mode": "ranked"}, 2)
	m.CounterAdd("game.matches-played", map[string]string{"mode": "ranked"}, 1)
	m.CounterAdd("game.matches-played", map[string]string{"other": "labels"}, 1) // refused, logged
	m.CounterAdd("game.matches-played", nil, -1)                                 // counters never go down
	m.GaugeSet("queue_depth", nil, 7)
	m.GaugeSet("game.matches-played", map[string]string{"mode": "ranked"}, 1) // another kind: refused
	m.TimerRecord("turn_time", map[string]string{"mode": "ranked"}, 0.25)

	got := scrape(t, m)
	for _, want := range []string{
		`hearth_api_requests_total{operation="GetAccount",status="200"} 1`,
		`hearth_api_request_duration_seconds_count{operation="GetAccount"} 1`,
		`hearth_sessions 1`,
		`game_matches_played{mode="ranked"} 3`,
		`queue_depth 7`,
		`turn_time_sum{mode="ranked"} 0.25`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}
