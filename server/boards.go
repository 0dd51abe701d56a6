package server

import (
	"context"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/hearth-server/hearth/core"
)

// boardFile is the leaderboard.declare_file format: the leaderboards and tournaments a
// deployment wants, created at start-up unless they exist (the same calls Nakama games make
// from server code in their init functions). Field names follow the runtime's arguments.
type boardFile struct {
	Leaderboards []struct {
		ID            string         `yaml:"id"`
		Authoritative bool           `yaml:"authoritative"`
		SortOrder     string         `yaml:"sort_order"`
		Operator      string         `yaml:"operator"`
		ResetSchedule string         `yaml:"reset_schedule"`
		Metadata      map[string]any `yaml:"metadata"`
	} `yaml:"leaderboards"`
	Tournaments []struct {
		ID            string         `yaml:"id"`
		Authoritative *bool          `yaml:"authoritative"`
		SortOrder     string         `yaml:"sort_order"`
		Operator      string         `yaml:"operator"`
		ResetSchedule string         `yaml:"reset_schedule"`
		Metadata      map[string]any `yaml:"metadata"`
		Title         string         `yaml:"title"`
		Description   string         `yaml:"description"`
		Category      int            `yaml:"category"`
		StartTime     int64          `yaml:"start_time"`
		EndTime       int64          `yaml:"end_time"`
		Duration      int64          `yaml:"duration"`
		MaxSize       int            `yaml:"max_size"`
		MaxNumScore   int            `yaml:"max_num_score"`
		JoinRequired  bool           `yaml:"join_required"`
	} `yaml:"tournaments"`
}

// declareBoards creates the boards the file names. An empty path declares nothing.
func declareBoards(ctx context.Context, c *core.Core, path string) error {
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("leaderboard.declare_file: %w", err)
	}
	var f boardFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		return fmt.Errorf("leaderboard.declare_file %s: %w", path, err)
	}
	for _, l := range f.Leaderboards {
		order, op, err := boardOrder(l.SortOrder, l.Operator)
		if err != nil {
			return fmt.Errorf("leaderboard %q: %w", l.ID, err)
		}
		if _, err := c.LeaderboardCreate(ctx, core.LeaderboardConfig{ID: l.ID, Authoritative: l.Authoritative, SortOrder: order,
			Operator: op, ResetSchedule: l.ResetSchedule, Metadata: l.Metadata}); err != nil {
			return fmt.Errorf("leaderboard %q: %w", l.ID, err)
		}
	}
	for _, t := range f.Tournaments {
		order, op, err := boardOrder(t.SortOrder, t.Operator)
		if err != nil {
			return fmt.Errorf("tournament %q: %w", t.ID, err)
		}
		auth := true // the runtime's TournamentCreate default
		if t.Authoritative != nil {
			auth = *t.Authoritative
		}
		if _, err := c.TournamentCreate(ctx, core.TournamentConfig{ID: t.ID, Authoritative: auth, SortOrder: order, Operator: op,
			ResetSchedule: t.ResetSchedule, Metadata: t.Metadata, Title: t.Title, Description: t.Description, Category: t.Category,
			StartTime: t.StartTime, EndTime: t.EndTime, Duration: t.Duration, MaxSize: t.MaxSize, MaxNumScore: t.MaxNumScore,
			JoinRequired: t.JoinRequired}); err != nil {
			return fmt.Errorf("tournament %q: %w", t.ID, err)
		}
	}
	return nil
}

// boardOrder reads the runtime's spellings: "asc"/"desc" (default desc) and
// "best"/"set"/"incr"/"decr" (default best).
func boardOrder(order, op string) (int, core.Operator, error) {
	o := core.SortDescending
	switch order {
	case "", "desc", "descending":
	case "asc", "ascending":
		o = core.SortAscending
	default:
		return 0, 0, fmt.Errorf("sort_order %q: want asc or desc", order)
	}
	switch op {
	case "", "best":
		return o, core.OperatorBest, nil
	case "set":
		return o, core.OperatorSet, nil
	case "incr", "increment":
		return o, core.OperatorIncrement, nil
	case "decr", "decrement":
		return o, core.OperatorDecrement, nil
	}
	return 0, 0, fmt.Errorf("operator %q: want best, set, incr or decr", op)
}
