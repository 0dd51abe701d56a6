package core

import (
	"context"
	"encoding/json"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core/rank"
	"github.com/hearth-server/hearth/gen/db"
)

// Sort orders, numbered as Nakama numbers them.
const (
	SortAscending  = 0
	SortDescending = 1
)

// Operator says how a write combines with an existing record. The numbers are Nakama's
// stored ones (the wire enum is shifted by one, with 0 meaning "no override").
type Operator int

// The operators.
const (
	OperatorBest      Operator = 0
	OperatorSet       Operator = 1
	OperatorIncrement Operator = 2
	OperatorDecrement Operator = 3
)

// Leaderboard is a board's configuration. Tournaments are leaderboards with a Duration;
// their extra fields are zero on plain leaderboards.
type Leaderboard struct {
	ID            string
	Authoritative bool
	SortOrder     int
	Operator      Operator
	ResetSchedule string
	Metadata      string
	CreateTime    time.Time

	Category     int
	Description  string
	Duration     int64 // seconds a tournament period is active; 0 for leaderboards
	StartTime    time.Time
	EndTime      time.Time // zero: no end
	JoinRequired bool
	MaxSize      int
	MaxNumScore  int
	Title        string
	Size         int // a tournament's entrants in its current period (tournamentAt)
	// RanksDisabled boards (the runtime's RanksDisable) keep no rank cache and report no
	// ranks for their records, as in Nakama.
	RanksDisabled bool

	schedule   *schedule
	sizeExpiry int64 // the end of the period whose entrants Size counted when read
}

// IsTournament reports whether the board is a tournament (has a duration), as Nakama tells them apart.
func (l *Leaderboard) IsTournament() bool { return l.Duration > 0 }

func (l *Leaderboard) descending() bool { return l.SortOrder == SortDescending }

// LeaderboardConfig is what LeaderboardCreate needs (the runtime's LeaderboardCreate).
type LeaderboardConfig struct {
	ID            string
	Authoritative bool
	SortOrder     int
	Operator      Operator
	ResetSchedule string
	Metadata      map[string]any
	DisableRanks  bool // the runtime's enableRanks, inverted so the zero value keeps ranks
}

// LeaderboardReset is called once a leaderboard's period has ended (the runtime's
// leaderboard reset hook), with the board and the period's end (Unix seconds).
type LeaderboardReset func(ctx context.Context, l Leaderboard, reset int64)

// TournamentEnd and TournamentReset are called when a tournament period's active window
// ends and when the period itself ends (the runtime's tournament end and reset hooks),
// with the period's end (Unix seconds).
type (
	TournamentEnd   func(ctx context.Context, t Tournament, end, reset int64)
	TournamentReset func(ctx context.Context, t Tournament, end, reset int64)
)

// Refusals the runtime tells apart (nk maps each to the error Nakama's runtime returns in
// its place); their codes and messages are what REST clients see.
var (
	// ErrLeaderboardNotFound refuses an id that names no board of the kind asked for.
	ErrLeaderboardNotFound = Errorf(CodeNotFound, "Leaderboard not found.")
	// ErrRecordCursor refuses a records listing's cursor that is malformed or belongs to
	// another board or period.
	ErrRecordCursor = Errorf(CodeInvalidArgument, "Cursor is invalid or expired.")
	// ErrBoardListCursor refuses a malformed cursor of a leaderboard or tournament listing.
	ErrBoardListCursor = Errorf(CodeInvalidArgument, "Cursor is invalid or expired.")
)

var (
	errLeaderboardID            = Errorf(CodeInvalidArgument, "Invalid leaderboard ID.")
	errLeaderboardSortOrder     = Errorf(CodeInvalidArgument, "Invalid sort order, must be 'asc' or 'desc'.")
	errLeaderboardOperator      = Errorf(CodeInvalidArgument, "Invalid operator, must be 'best', 'set', 'incr' or 'decr'.")
	errLeaderboardSchedule      = Errorf(CodeInvalidArgument, "Invalid reset schedule, must be a valid cron expression.")
	errLeaderboardMetadata      = Errorf(CodeInvalidArgument, "Metadata value must be JSON, if provided.")
	errLeaderboardAuthoritative = Errorf(CodePermissionDenied, "Leaderboard only allows authoritative score submissions.")
	errLeaderboardDeleteAuth    = Errorf(CodePermissionDenied, "Leaderboard only allows authoritative score deletions.")
	errLeaderboardLimit         = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
)

// boards is the in-memory copy of every board's configuration (writes read it on every
// call). Tournament sizes change with joins and are read from the database when shown.
type boards struct {
	mu sync.RWMutex
	m  map[string]*Leaderboard
}

func (b *boards) get(id string) *Leaderboard {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.m[id]
}

func (b *boards) put(l *Leaderboard) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[l.ID] = l
}

func (b *boards) remove(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.m, id)
}

func (b *boards) all() []*Leaderboard {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]*Leaderboard, 0, len(b.m))
	for _, l := range b.m {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func leaderboardFromRow(r db.LeaderboardGetRow) *Leaderboard {
	l := &Leaderboard{
		ID: r.ID, Authoritative: r.Authoritative, SortOrder: int(r.SortOrder), Operator: Operator(r.Operator),
		ResetSchedule: r.ResetSchedule, Metadata: r.Metadata, CreateTime: r.CreateTime,
		Category: int(r.Category), Description: r.Description, Duration: int64(r.Duration),
		StartTime: r.StartTime, JoinRequired: r.JoinRequired, MaxSize: int(r.MaxSize),
		MaxNumScore: int(r.MaxNumScore), Title: r.Title, Size: int(r.Size), RanksDisabled: !r.EnableRanks,
		sizeExpiry: r.SizeExpiry.Unix(),
	}
	if r.EndTime.Unix() > 0 {
		l.EndTime = r.EndTime
	}
	// Stored schedules were validated on create.
	l.schedule, _ = parseSchedule(r.ResetSchedule)
	return l
}

// loadBoards reads every board into memory and the live records of each into the rank
// cache (start-up).
func (c *Core) loadBoards(ctx context.Context) error {
	rows, err := c.q.LeaderboardsAll(ctx)
	if err != nil {
		return err
	}
	for _, r := range rows {
		c.boards.put(leaderboardFromRow(db.LeaderboardGetRow(r)))
	}
	return c.loadRanks(ctx)
}

// loadRanks rebuilds the rank cache with the current period of every board: the only
// periods writes change (ended periods are never cached, later ones have no records yet).
// It races account deletions as writes do (it may read records just before their owner's
// account goes), so it counts as a write and leaves out owners deleted since it began.
func (c *Core) loadRanks(ctx context.Context) error {
	started := time.Now()
	mark := c.deletions.begin()
	defer c.deletions.end(mark)
	refuse := func(owner uuid.UUID) bool { return c.deletions.deletedSince(owner, mark) }
	now := c.now()
	total := 0
	for _, l := range c.boards.all() {
		if l.RanksDisabled {
			continue
		}
		p := rank.Period{Leaderboard: l.ID, Expiry: l.periodExpiry(now)}
		rows, err := c.q.LeaderboardRecordsRankLoad(ctx, db.LeaderboardRecordsRankLoadParams{LeaderboardID: l.ID, ExpiryTime: expiryTime(p.Expiry)})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			continue
		}
		entries := make([]rank.Entry, len(rows))
		for i, r := range rows {
			entries[i] = rank.Entry{Owner: r.OwnerID, Score: r.Score, Subscore: r.Subscore}
		}
		if c.beforeRankLoad != nil {
			c.beforeRankLoad()
		}
		c.ranks.LoadUnless(p, l.descending(), entries, refuse)
		total += len(rows)
	}
	c.log.Info("rank cache loaded", "records", total, "duration_ms", time.Since(started).Milliseconds())
	return nil
}

func expiryTime(unix int64) time.Time {
	return time.Unix(unix, 0).UTC()
}

// LeaderboardCreate creates a leaderboard unless one with the id exists, in which case
// nothing changes (as in Nakama). It reports whether it created one.
func (c *Core) LeaderboardCreate(ctx context.Context, cfg LeaderboardConfig) (bool, error) {
	return c.boardCreate(ctx, db.LeaderboardInsertParams{
		ID: cfg.ID, Authoritative: cfg.Authoritative, SortOrder: int16(cfg.SortOrder),
		Operator: int16(cfg.Operator), ResetSchedule: cfg.ResetSchedule,
		EndTime: time.Unix(0, 0).UTC(), MaxSize: 100000000, MaxNumScore: 1000000,
		StartTime: c.now().UTC(), EnableRanks: !cfg.DisableRanks,
	}, cfg.Metadata)
}

func (c *Core) boardCreate(ctx context.Context, p db.LeaderboardInsertParams, metadata map[string]any) (bool, error) {
	if p.ID == "" || len(p.ID) > 128 {
		return false, errLeaderboardID
	}
	if p.SortOrder != SortAscending && p.SortOrder != SortDescending {
		return false, errLeaderboardSortOrder
	}
	if p.Operator < int16(OperatorBest) || p.Operator > int16(OperatorDecrement) {
		return false, errLeaderboardOperator
	}
	if _, err := parseSchedule(p.ResetSchedule); err != nil {
		return false, errLeaderboardSchedule
	}
	if metadata == nil {
		metadata = map[string]any{}
	}
	meta, err := json.Marshal(metadata)
	if err != nil {
		return false, errLeaderboardMetadata
	}
	p.Metadata = meta
	n, err := c.q.LeaderboardInsert(ctx, p)
	if err != nil {
		return false, Internal("Error creating leaderboard.", err)
	}
	row, err := c.q.LeaderboardGet(ctx, p.ID)
	if err != nil {
		return false, Internal("Error creating leaderboard.", err)
	}
	c.boards.put(leaderboardFromRow(row))
	// Creating a leaderboard whose id is a tournament's changes nothing; creating a
	// tournament whose id is a leaderboard's is refused (Nakama's cache does both).
	if p.Duration > 0 && row.Duration <= 0 {
		return false, ErrTournamentIDInUse
	}
	return n > 0, nil
}

// LeaderboardDelete deletes a leaderboard (or tournament) and all its records. Deleting
// one that does not exist is not an error.
func (c *Core) LeaderboardDelete(ctx context.Context, id string) error {
	if _, err := c.q.LeaderboardDelete(ctx, id); err != nil {
		return Internal("Error deleting leaderboard.", err)
	}
	c.boards.remove(id)
	c.ranks.DeleteLeaderboard(id)
	return nil
}

// LeaderboardGet returns a leaderboard (not a tournament) by id, or nil.
func (c *Core) LeaderboardGet(id string) *Leaderboard {
	l := c.boards.get(id)
	if l == nil || l.IsTournament() {
		return nil
	}
	cp := *l
	return &cp
}

// LeaderboardsGet returns the leaderboards (not tournaments) among ids that exist, in
// the order asked.
func (c *Core) LeaderboardsGet(ids []string) []Leaderboard {
	out := []Leaderboard{}
	for _, id := range ids {
		if l := c.LeaderboardGet(id); l != nil {
			out = append(out, *l)
		}
	}
	return out
}

// LeaderboardList lists leaderboards (not tournaments) by id, limit at a time, after the
// id in cursor (an opaque string: the last id listed).
func (c *Core) LeaderboardList(limit int, cursor string) ([]Leaderboard, string, error) {
	if limit < 1 || limit > 10000 {
		return nil, "", Errorf(CodeInvalidArgument, "limit must be 1-10000.")
	}
	after, err := decodeBoardCursor(cursor)
	if err != nil {
		return nil, "", ErrBoardListCursor
	}
	out := []Leaderboard{}
	next := ""
	for _, l := range c.boards.all() {
		if l.IsTournament() || l.ID <= after {
			continue
		}
		if len(out) == limit {
			next = encodeBoardCursor(out[len(out)-1].ID)
			break
		}
		out = append(out, *l)
	}
	return out, next, nil
}

// LeaderboardResets returns a leaderboard's previous and next reset times (Unix seconds;
// 0 when it has no schedule), as Nakama computes them for its listings.
func (l *Leaderboard) LeaderboardResets(now time.Time) (prev, next int64) {
	if l.schedule == nil {
		return 0, 0
	}
	if !l.CreateTime.After(now) {
		prev = l.schedule.Last(now).Unix()
	}
	return prev, l.schedule.Next(now).Unix()
}

// periodExpiry is the end of the leaderboard period now falls in (0: the board never resets).
func (l *Leaderboard) periodExpiry(now time.Time) int64 {
	if l.IsTournament() {
		_, _, expiry := l.deadlines(now)
		return expiry
	}
	if l.schedule == nil {
		return 0
	}
	return l.schedule.Next(now).Unix()
}
