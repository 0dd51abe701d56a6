package core

import (
	"testing"
	"time"
)

func TestScheduleNextLast(t *testing.T) {
	s, err := parseSchedule("0 12 * * *")
	if err != nil {
		t.Fatal(err)
	}
	at := func(v string) time.Time {
		tm, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	cases := []struct{ now, next, last string }{
		{"2026-03-10T11:59:59Z", "2026-03-10T12:00:00Z", "2026-03-09T12:00:00Z"},
		{"2026-03-10T12:00:00Z", "2026-03-11T12:00:00Z", "2026-03-09T12:00:00Z"},
		{"2026-03-10T12:00:01Z", "2026-03-11T12:00:00Z", "2026-03-10T12:00:00Z"},
		{"2026-03-10T12:00:30Z", "2026-03-11T12:00:00Z", "2026-03-10T12:00:00Z"},
	}
	for _, tc := range cases {
		if got := s.Next(at(tc.now)); !got.Equal(at(tc.next)) {
			t.Errorf("Next(%s) = %s, want %s", tc.now, got, tc.next)
		}
		if got := s.Last(at(tc.now)); !got.Equal(at(tc.last)) {
			t.Errorf("Last(%s) = %s, want %s", tc.now, got, tc.last)
		}
	}
	w, _ := parseSchedule("0 0 * * 1")
	if got := w.Next(at("2026-03-10T00:00:00Z")); !got.Equal(at("2026-03-16T00:00:00Z")) {
		t.Errorf("weekly Next = %s", got)
	}
	for _, bad := range []string{"not cron", "* * * *", "61 * * * *"} {
		if _, err := parseSchedule(bad); err == nil {
			t.Errorf("parseSchedule(%q) accepted", bad)
		}
	}
}

func BenchmarkScheduleNext(b *testing.B) {
	s, _ := parseSchedule("0 0 * * 1")
	t := time.Date(2026, 3, 10, 13, 37, 12, 0, time.UTC)
	for i := 0; i < b.N; i++ {
		s.Next(t)
	}
}
