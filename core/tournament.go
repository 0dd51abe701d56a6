package core

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Tournament is a tournament with its active window computed for a moment, as Nakama
// reports it: the current (or next) period is active from StartActive to EndActive, and
// its records expire at NextReset (0: never). CanEnter is false outside the window or
// when the tournament is full.
type Tournament struct {
	Leaderboard
	StartActive int64
	EndActive   int64
	NextReset   int64
	PrevReset   int64
	CanEnter    bool
}

// TournamentConfig is what TournamentCreate needs (the runtime's TournamentCreate). Times
// are Unix seconds: StartTime 0 starts now, EndTime 0 never ends. MaxSize and MaxNumScore
// 0 mean no practical limit.
type TournamentConfig struct {
	ID            string
	Authoritative bool
	SortOrder     int
	Operator      Operator
	ResetSchedule string
	Metadata      map[string]any
	Title         string
	Description   string
	Category      int
	StartTime     int64
	EndTime       int64
	Duration      int64
	MaxSize       int
	MaxNumScore   int
	JoinRequired  bool
	DisableRanks  bool
}

// Tournament refusals the runtime tells apart (nk maps each to the error Nakama's runtime
// returns in its place); their codes and messages are what REST clients see.
var (
	// ErrTournamentNotFound refuses an id that names no tournament.
	ErrTournamentNotFound = Errorf(CodeNotFound, "Tournament not found.")
	// ErrTournamentEnded refuses a write to a tournament past its end time.
	ErrTournamentEnded = Errorf(CodeNotFound, "Tournament not found or has ended.")
	// ErrTournamentListEnded refuses listing the current period of a tournament that has ended.
	ErrTournamentListEnded = Errorf(CodeNotFound, "Tournament has ended.")
	// ErrTournamentInactive refuses a write or added attempts outside the active window.
	ErrTournamentInactive = Errorf(CodeFailedPrecondition, "Tournament is not active and cannot accept new scores.")
	// ErrTournamentJoinInactive refuses a join outside the active window.
	ErrTournamentJoinInactive = Errorf(CodeInvalidArgument, "Tournament is not active and cannot accept new joins.")
	// ErrTournamentFull refuses a first write to a tournament at its max size.
	ErrTournamentFull = Errorf(CodeFailedPrecondition, "Tournament has reached max size.")
	// ErrTournamentJoinFull refuses a join to a tournament at its max size.
	ErrTournamentJoinFull = Errorf(CodeInvalidArgument, "Tournament cannot be joined as it has reached its max size.")
	// ErrTournamentMaxScore refuses a write past the owner's allowed number of attempts.
	ErrTournamentMaxScore = Errorf(CodeFailedPrecondition, "Reached allowed max number of score attempts.")
	// ErrTournamentJoinRequired refuses a write by an owner who has not joined.
	ErrTournamentJoinRequired = Errorf(CodeFailedPrecondition, "Must join tournament before attempting to write value.")
	// ErrTournamentIDInUse refuses creating a tournament whose id is a leaderboard's.
	ErrTournamentIDInUse = Errorf(CodeAlreadyExists, "Cannot create tournament as leaderboard is already in use.")
	// ErrTournamentEndBeforeReset refuses creating a scheduled tournament that would end
	// before its first period begins.
	ErrTournamentEndBeforeReset = Errorf(CodeInvalidArgument, "Tournament end time cannot be before first reset schedule.")
)

var (
	errTournamentID          = Errorf(CodeInvalidArgument, "Invalid tournament ID.")
	errTournamentIDMissing   = Errorf(CodeInvalidArgument, "Tournament ID must be provided")
	errTournamentAuth        = Errorf(CodePermissionDenied, "Tournament only allows authoritative score submissions.")
	errTournamentDeleteAuth  = Errorf(CodePermissionDenied, "Tournament only allows authoritative score deletions.")
	errTournamentCategory    = Errorf(CodeInvalidArgument, "Tournament category end must be >=0 and <128.")
	errTournamentCategoryEnd = Errorf(CodeInvalidArgument, "Tournament category end must be greater than category start.")
	errTournamentTimes       = Errorf(CodeInvalidArgument, "Tournament end time must be greater than start time.")
	errTournamentListLimit   = Errorf(CodeInvalidArgument, "Limit must be between 1 and 100.")
)

// TournamentCreate creates a tournament unless one with the id exists, in which case
// nothing changes. It reports whether it created one. An id that is a leaderboard's is
// refused (ErrTournamentIDInUse), as in Nakama.
func (c *Core) TournamentCreate(ctx context.Context, cfg TournamentConfig) (bool, error) {
	if cfg.Duration <= 0 {
		return false, Errorf(CodeInvalidArgument, "Tournament duration must be greater than 0.")
	}
	if cfg.Category < 0 || cfg.Category > 127 {
		return false, Errorf(CodeInvalidArgument, "Tournament category must be 0-127.")
	}
	// Nakama compares the end time with the start time as given (a start of 0, meaning now,
	// counts as 0), so a tournament may be created with its end already past, as in Nakama;
	// with a schedule, the end must come after the first reset following that start.
	if cfg.EndTime > 0 && cfg.EndTime < cfg.StartTime {
		return false, Errorf(CodeInvalidArgument, "Tournament end time cannot be before its start time.")
	}
	if s, err := parseSchedule(cfg.ResetSchedule); err == nil && s != nil && cfg.EndTime > 0 &&
		cfg.EndTime <= s.Next(time.Unix(cfg.StartTime, 0)).Unix() {
		return false, ErrTournamentEndBeforeReset
	}
	start := c.now().UTC()
	if cfg.StartTime > 0 {
		start = time.Unix(cfg.StartTime, 0).UTC()
	}
	end := time.Unix(0, 0).UTC()
	if cfg.EndTime > 0 {
		end = time.Unix(cfg.EndTime, 0).UTC()
	}
	if cfg.MaxSize <= 0 {
		cfg.MaxSize = 100000000
	}
	if cfg.MaxNumScore <= 0 {
		cfg.MaxNumScore = 1000000
	}
	if len(cfg.Title) > 255 || len(cfg.Description) > 255 {
		return false, Errorf(CodeInvalidArgument, "Tournament title and description must be at most 255 bytes.")
	}
	return c.boardCreate(ctx, db.LeaderboardInsertParams{
		ID: cfg.ID, Authoritative: cfg.Authoritative, SortOrder: int16(cfg.SortOrder), Operator: int16(cfg.Operator),
		ResetSchedule: cfg.ResetSchedule, Category: int16(cfg.Category), Description: cfg.Description,
		Duration: int32(cfg.Duration), EndTime: end, JoinRequired: cfg.JoinRequired, MaxSize: int32(cfg.MaxSize),
		MaxNumScore: int32(cfg.MaxNumScore), Title: cfg.Title, StartTime: start, EnableRanks: !cfg.DisableRanks,
	}, cfg.Metadata)
}

// TournamentDelete deletes a tournament and its records. An id that names no tournament
// (none, or a plain leaderboard) changes nothing, as in Nakama.
func (c *Core) TournamentDelete(ctx context.Context, id string) error {
	if l := c.boards.get(id); l == nil || !l.IsTournament() {
		return nil
	}
	return c.LeaderboardDelete(ctx, id)
}

// deadlines returns the active window and expiry of the tournament period at now, as
// Nakama computes them: with a schedule, the period started at the last reset (or at the
// reset that now falls on, or the first reset after the start time) and is active for the
// duration, capped at the next reset and the end time; without one, the only period runs
// from the start time for the duration and expires at the end time (0: never).
func (l *Leaderboard) deadlines(now time.Time) (startActive, endActive, expiry int64) {
	t := now.UTC().Unix()
	start := l.StartTime.Unix()
	end := int64(0)
	if !l.EndTime.IsZero() {
		end = l.EndTime.Unix()
	}
	if l.schedule == nil {
		endActive = start + l.Duration
		if end > 0 && endActive > end {
			endActive = end
		}
		return start, endActive, end
	}
	s := l.schedule
	switch {
	case t < start:
		startActive = s.Next(time.Unix(start, 0)).Unix()
	case s.Next(time.Unix(t-1, 0)).Unix() == t:
		startActive = t
	default:
		startActive = s.Last(time.Unix(t, 0)).Unix()
	}
	endActive = startActive + l.Duration
	expiry = s.Next(time.Unix(startActive, 0)).Unix()
	if endActive > expiry {
		endActive = expiry
	}
	if start > endActive {
		first := s.Next(time.Unix(start, 0))
		startActive = first.Unix()
		endActive = startActive + l.Duration
		expiry = s.Next(first).Unix()
		if endActive > expiry {
			endActive = expiry
		}
	} else if start > startActive {
		startActive = start
	}
	if end > 0 && expiry > end {
		expiry = end
		if endActive > expiry {
			endActive = expiry
		}
	}
	return startActive, endActive, expiry
}

// tournamentAt computes the tournament's window at now.
func tournamentAt(l *Leaderboard, now time.Time) Tournament {
	t := Tournament{Leaderboard: *l}
	t.StartActive, t.EndActive, t.NextReset = l.deadlines(now)
	if t.sizeExpiry != t.NextReset {
		t.Size = 0 // the count is of an earlier period: nobody has entered this one yet
	}
	n := now.Unix()
	t.CanEnter = !(t.StartActive > n || (t.EndActive != 0 && t.EndActive < n)) && t.Size < t.MaxSize
	if l.schedule != nil && !l.StartTime.After(now) {
		t.PrevReset = l.schedule.Last(now).Unix()
	}
	return t
}

// tournament returns the tournament with its current size, or nil.
func (c *Core) tournament(ctx context.Context, id string) (*Leaderboard, error) {
	l := c.boards.get(id)
	if l == nil || !l.IsTournament() {
		return nil, nil
	}
	row, err := c.q.LeaderboardGet(ctx, id)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return leaderboardFromRow(row), nil
}

// TournamentsGet returns the tournaments among ids that exist, in the order asked, each
// once.
func (c *Core) TournamentsGet(ctx context.Context, ids []string) ([]Tournament, error) {
	out := []Tournament{}
	now := c.now()
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue // each tournament once, as Nakama returns them
		}
		seen[id] = true
		l, err := c.tournament(ctx, id)
		if err != nil {
			return nil, Internal("Error retrieving tournaments.", err)
		}
		if l != nil {
			out = append(out, tournamentAt(l, now))
		}
	}
	return out, nil
}

// TournamentListFilter selects tournaments: categories in [CategoryStart, CategoryEnd];
// StartTime (when ≥ 0) keeps those starting at or after it; EndTime (when ≥ 0) keeps
// those ending at or before it, 0 keeping only those with no end. With neither time set
// only tournaments that have not ended are listed.
type TournamentListFilter struct {
	CategoryStart int
	CategoryEnd   int
	StartTime     int64
	EndTime       int64
	Limit         int
	Cursor        string
}

// TournamentsList lists tournaments by (category, start time, id), Limit at a time.
func (c *Core) TournamentsList(ctx context.Context, f TournamentListFilter) ([]Tournament, string, error) {
	if f.CategoryEnd > 127 || f.CategoryEnd < 0 || f.CategoryStart < 0 {
		return nil, "", errTournamentCategory
	}
	if f.CategoryEnd < f.CategoryStart {
		return nil, "", errTournamentCategoryEnd
	}
	if f.EndTime > 0 && f.EndTime < f.StartTime {
		return nil, "", errTournamentTimes
	}
	if f.Limit < 1 || f.Limit > 100 {
		return nil, "", errTournamentListLimit
	}
	after := db.TournamentsListParams{CategoryStart: int16(f.CategoryStart), CategoryEnd: int16(f.CategoryEnd),
		AfterCategory: -1, AfterStart: time.Unix(0, 0).UTC()}
	if f.Cursor != "" {
		cat, start, id, err := decodeTournamentCursor(f.Cursor)
		if err != nil {
			return nil, "", ErrBoardListCursor
		}
		after.AfterCategory, after.AfterStart, after.AfterID = cat, start, id
	}
	rows, err := c.q.TournamentsList(ctx, after)
	if err != nil {
		return nil, "", Internal("Error listing tournaments.", err)
	}
	now := c.now()
	out := []Tournament{}
	cursor := ""
	for _, r := range rows {
		l := leaderboardFromRow(db.LeaderboardGetRow(r))
		end := int64(0)
		if !l.EndTime.IsZero() {
			end = l.EndTime.Unix()
		}
		switch {
		case f.StartTime >= 0 && l.StartTime.Unix() < f.StartTime:
			continue
		case f.EndTime == 0 && end != 0:
			continue
		case f.EndTime > 0 && (end == 0 || end > f.EndTime):
			continue
		case f.StartTime < 0 && f.EndTime < 0 && end != 0 && end <= now.Unix():
			continue
		}
		if len(out) == f.Limit {
			last := out[len(out)-1]
			cursor = encodeTournamentCursor(int16(last.Category), last.StartTime, last.ID)
			break
		}
		out = append(out, tournamentAt(l, now))
	}
	return out, cursor, nil
}

func encodeTournamentCursor(category int16, start time.Time, id string) string {
	b := make([]byte, 10, 10+len(id))
	binary.BigEndian.PutUint16(b, uint16(category))
	binary.BigEndian.PutUint64(b[2:], uint64(start.UnixMicro()))
	return base64.URLEncoding.EncodeToString(append(b, id...))
}

func decodeTournamentCursor(s string) (int16, time.Time, string, error) {
	b, err := base64.URLEncoding.DecodeString(s)
	if err != nil || len(b) < 10 {
		return 0, time.Time{}, "", errBadCursor
	}
	return int16(binary.BigEndian.Uint16(b)), time.UnixMicro(int64(binary.BigEndian.Uint64(b[2:]))).UTC(), string(b[10:]), nil
}

// activeTournament returns the tournament for a join or write at now, with its window.
func (c *Core) activeTournament(id string, now time.Time) (*Leaderboard, int64, int64, int64, error) {
	l := c.boards.get(id)
	if l == nil || !l.IsTournament() {
		return nil, 0, 0, 0, ErrTournamentNotFound
	}
	start, endActive, expiry := l.deadlines(now)
	return l, start, endActive, expiry, nil
}

// TournamentJoin enters the owner into the tournament's current period, or its first one
// before it starts (players sign up ahead, as in Nakama). Joining again is a no-op, and so
// is joining a tournament that does not require it, whenever (as in Nakama).
func (c *Core) TournamentJoin(ctx context.Context, id string, owner uuid.UUID, username string) error {
	if id == "" {
		return errTournamentIDMissing
	}
	now := c.now()
	l, _, endActive, expiry, err := c.activeTournament(id, now)
	if err != nil {
		return err
	}
	if !l.JoinRequired {
		return nil
	}
	if endActive <= now.Unix() {
		return ErrTournamentJoinInactive
	}
	unlock := c.recordLocks.lock(l.ID, owner)
	defer unlock()
	mark := c.deletions.begin() // before the statements: see rankInsert
	defer c.deletions.end(mark)
	joined := false
	err = c.inTx(ctx, func(q *db.Queries) error {
		var name *string
		if username != "" {
			name = &username
		}
		n, err := q.TournamentJoinRecord(ctx, db.TournamentJoinRecordParams{LeaderboardID: l.ID, OwnerID: owner, Username: name,
			MaxNumScore: int32(l.MaxNumScore), ExpiryTime: expiryTime(expiry)})
		if err != nil || n == 0 {
			return err
		}
		added, err := q.TournamentSizeAdd(ctx, db.TournamentSizeAddParams{ID: l.ID, ExpiryTime: expiryTime(expiry)})
		if err != nil {
			return err
		}
		if added == 0 {
			return ErrTournamentJoinFull
		}
		joined = true
		return nil
	})
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			return ce
		}
		return Internal("Error while trying to join tournament.", err)
	}
	if joined {
		c.rankInsert(ctx, l, expiry, owner, 0, 0, mark)
	}
	return nil
}

// TournamentRecordWrite submits a score to the tournament's current period, within its
// active window, after joining when the tournament requires it, and within the owner's
// allowed number of attempts.
func (c *Core) TournamentRecordWrite(ctx context.Context, w RecordWrite) (Record, error) {
	if w.LeaderboardID == "" {
		return Record{}, Errorf(CodeInvalidArgument, "Tournament ID must be provided.")
	}
	if !validRecordMetadata(w.Metadata) {
		return Record{}, errLeaderboardMetadata
	}
	now := c.now()
	l, start, endActive, expiry, err := c.activeTournament(w.LeaderboardID, now)
	if err != nil {
		return Record{}, err
	}
	if !l.EndTime.IsZero() && l.EndTime.Unix() <= now.Unix() {
		return Record{}, ErrTournamentEnded
	}
	if l.Authoritative && !w.Server {
		return Record{}, errTournamentAuth
	}
	if start > now.Unix() || endActive <= now.Unix() {
		return Record{}, ErrTournamentInactive
	}
	unlock := c.recordLocks.lock(l.ID, w.OwnerID)
	defer unlock()
	mark := c.deletions.begin() // before the statements: see rankInsert
	defer c.deletions.end(mark)
	var row recordRow
	err = c.inTx(ctx, func(q *db.Queries) error {
		exists, err := q.TournamentRecordExists(ctx, db.TournamentRecordExistsParams{LeaderboardID: l.ID, ExpiryTime: expiryTime(expiry), OwnerID: w.OwnerID})
		if err != nil {
			return err
		}
		if !exists {
			if l.JoinRequired {
				return ErrTournamentJoinRequired
			}
			added, err := q.TournamentSizeAdd(ctx, db.TournamentSizeAddParams{ID: l.ID, ExpiryTime: expiryTime(expiry)})
			if err != nil {
				return err
			}
			if added == 0 {
				return ErrTournamentFull
			}
		}
		var changed bool
		row, changed, err = c.recordUpsert(ctx, q, l, w, expiry, true)
		if err != nil {
			return checkScores(err)
		}
		if !changed && row.NumScore >= row.MaxNumScore {
			return ErrTournamentMaxScore
		}
		return nil
	})
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			return Record{}, ce
		}
		return Record{}, Internal("Error writing score to tournament.", err)
	}
	rec := recordFromRow(l, expiry, row)
	rec.Rank = c.rankInsert(ctx, l, expiry, w.OwnerID, row.Score, row.Subscore, mark)
	return rec, nil
}

// TournamentAddAttempt changes the owner's allowed number of attempts in the current
// period by count (which may be negative), while the period's window is open. An owner
// with no record yet is not changed.
func (c *Core) TournamentAddAttempt(ctx context.Context, id string, owner uuid.UUID, count int) error {
	now := c.now()
	l, _, endActive, expiry, err := c.activeTournament(id, now)
	if err != nil {
		return err
	}
	if endActive <= now.Unix() {
		return ErrTournamentInactive
	}
	if _, err := c.q.TournamentAddAttempt(ctx, db.TournamentAddAttemptParams{LeaderboardID: l.ID, ExpiryTime: expiryTime(expiry),
		OwnerID: owner, Count: int32(count)}); err != nil {
		return Internal("Error adding tournament attempts.", err)
	}
	return nil
}

// TournamentRecordDelete deletes the owner's record of the current period, if any.
func (c *Core) TournamentRecordDelete(ctx context.Context, id string, owner uuid.UUID, server bool) error {
	if id == "" {
		return errTournamentID
	}
	l := c.boards.get(id)
	if l == nil || !l.IsTournament() {
		return ErrTournamentNotFound
	}
	if l.Authoritative && !server {
		return errTournamentDeleteAuth
	}
	return c.recordDelete(ctx, l, owner, "Error deleting score from tournament.")
}

// TournamentRecordsList lists a tournament period's records as LeaderboardRecordsList
// does; a tournament whose current period has ended answers "Tournament has ended.".
func (c *Core) TournamentRecordsList(ctx context.Context, id string, ownerIDs []uuid.UUID, limit int, cursor string, override int64) (RecordList, error) {
	if id == "" {
		return RecordList{}, errTournamentIDMissing
	}
	l := c.boards.get(id)
	if l == nil || !l.IsTournament() {
		return RecordList{}, ErrTournamentNotFound
	}
	expiry, ok := c.listExpiry(l, override)
	if !ok {
		return RecordList{}, ErrTournamentListEnded
	}
	return c.recordsList(ctx, l, expiry, ownerIDs, limit, cursor, "Error listing records from tournament.")
}

// TournamentRecordsAroundOwner lists records around the owner's as
// LeaderboardRecordsAroundOwner does.
func (c *Core) TournamentRecordsAroundOwner(ctx context.Context, id string, owner uuid.UUID, limit int, cursor string, override int64) (RecordList, error) {
	if id == "" {
		return RecordList{}, errTournamentID
	}
	l := c.boards.get(id)
	if l == nil || !l.IsTournament() {
		return RecordList{}, ErrTournamentNotFound
	}
	expiry, ok := c.listExpiry(l, override)
	if !ok {
		return RecordList{}, nil
	}
	return c.aroundOwner(ctx, l, expiry, owner, limit, cursor, "Error querying records from leaderboard.")
}
