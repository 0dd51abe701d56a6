package core

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/adhocore/gronx"
)

// schedule is a leaderboard or tournament reset schedule: a standard five-field cron
// expression, read in UTC as Nakama reads it.
type schedule struct {
	expr string

	// The last Next answer and the instant it was asked for: every instant in [from, next)
	// has the same answer, so writes within a period skip the cron arithmetic.
	mu         sync.Mutex
	from, next time.Time
}

// parseSchedule validates expr; an empty expr means no schedule (nil).
func parseSchedule(expr string) (*schedule, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return nil, nil
	}
	if len(strings.Fields(expr)) != 5 || !gronx.IsValid(expr) {
		return nil, fmt.Errorf("invalid cron expression %q", expr)
	}
	return &schedule{expr: expr}, nil
}

// Next returns the first time the schedule fires strictly after t.
func (s *schedule) Next(t time.Time) time.Time {
	t = t.UTC()
	s.mu.Lock()
	if !s.next.IsZero() && !t.Before(s.from) && t.Before(s.next) {
		n := s.next
		s.mu.Unlock()
		return n
	}
	s.mu.Unlock()
	n := s.next1(t)
	if !n.IsZero() {
		s.mu.Lock()
		s.from, s.next = t, n
		s.mu.Unlock()
	}
	return n
}

func (s *schedule) next1(t time.Time) time.Time {
	from := t.Truncate(time.Minute)
	n, err := gronx.NextTickAfter(s.expr, from, false)
	for err == nil && !n.After(t) {
		n, err = gronx.NextTickAfter(s.expr, n, false)
	}
	if err != nil {
		return time.Time{}
	}
	return n.UTC()
}

// Last returns the last time the schedule fired strictly before t.
func (s *schedule) Last(t time.Time) time.Time {
	t = t.UTC()
	from := t.Truncate(time.Minute)
	if from.Equal(t) {
		from = from.Add(-time.Minute)
	}
	p, err := gronx.PrevTickBefore(s.expr, from, true)
	if err != nil {
		return time.Time{}
	}
	return p.UTC()
}

var errCron = errors.New("invalid cron expression")

// CronNext returns the first time (Unix seconds) after t that the five-field cron
// expression fires, read in UTC (the runtime's CronNext).
func CronNext(expr string, t int64) (int64, error) {
	s, err := parseSchedule(expr)
	if err != nil || s == nil {
		return 0, errCron
	}
	return s.Next(time.Unix(t, 0)).Unix(), nil
}

// CronPrev returns the last time (Unix seconds) before t that the expression fired (the
// runtime's CronPrev).
func CronPrev(expr string, t int64) (int64, error) {
	s, err := parseSchedule(expr)
	if err != nil || s == nil {
		return 0, errCron
	}
	return s.Last(time.Unix(t, 0)).Unix(), nil
}

// ValidCron reports whether expr is a reset schedule boards accept ("" is none).
func ValidCron(expr string) bool {
	_, err := parseSchedule(expr)
	return err == nil
}
