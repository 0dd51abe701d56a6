package core

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"hash/maphash"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core/rank"
	"github.com/hearth-server/hearth/gen/db"
)

// Record is one owner's entry in one leaderboard period. ExpiryTime is zero for boards that
// never reset. Rank is 0 when unknown.
type Record struct {
	LeaderboardID string
	OwnerID       uuid.UUID
	Username      string
	Score         int64
	Subscore      int64
	NumScore      int32
	MaxNumScore   int32
	Metadata      string
	CreateTime    time.Time
	UpdateTime    time.Time
	ExpiryTime    time.Time
	Rank          int64
}

// RecordList is a page of records in rank order, the records of the owners asked for, and
// the number of ranked records in the period.
type RecordList struct {
	Records      []Record
	OwnerRecords []Record
	NextCursor   string
	PrevCursor   string
	RankCount    int64
}

// RecordWrite is one score submission. Server writes come from server code (the runtime)
// and may write to authoritative boards; client writes may not.
type RecordWrite struct {
	LeaderboardID string
	OwnerID       uuid.UUID
	Username      string
	Score         int64
	Subscore      int64
	// Metadata is JSON object text; empty keeps the record's metadata.
	Metadata string
	// Override replaces the board's operator for this write; nil uses the board's.
	Override *Operator
	Server   bool
}

// recordLocks serialise writes and deletes of one record within this process, so the
// rank cache sees each record's changes in commit order (the row lock alone would let a
// later commit's cache update overtake an earlier one's).
type recordLocks struct {
	seed  maphash.Seed
	locks [1024]sync.Mutex
}

func (r *recordLocks) lock(board string, owner uuid.UUID) func() {
	var h maphash.Hash
	h.SetSeed(r.seed)
	h.WriteString(board)
	h.Write(owner[:])
	m := &r.locks[h.Sum64()%uint64(len(r.locks))]
	m.Lock()
	return m.Unlock
}

// recordRow is every record query's row shape.
type recordRow = db.LeaderboardRecordsAscendingRow

func recordFromRow(l *Leaderboard, expiry int64, r recordRow) Record {
	rec := Record{
		LeaderboardID: l.ID, OwnerID: r.OwnerID, Username: deref(r.Username),
		Score: r.Score, Subscore: r.Subscore, NumScore: r.NumScore, MaxNumScore: r.MaxNumScore,
		Metadata: r.Metadata, CreateTime: r.CreateTime, UpdateTime: r.UpdateTime,
	}
	if expiry != 0 {
		rec.ExpiryTime = expiryTime(expiry)
	}
	return rec
}

// validRecordMetadata accepts empty text or a JSON object PostgreSQL can store (jsonb
// refuses NUL characters and invalid UTF-8, which would otherwise fail as internal errors).
func validRecordMetadata(s string) bool {
	if s == "" {
		return true
	}
	b := bytes.TrimSpace([]byte(s))
	return len(b) > 0 && b[0] == '{' && json.Valid(b) && utf8.Valid(b) && !bytes.Contains(b, []byte(`\u0000`))
}

// maxRecordsPage is the largest page of records the runtime may ask for.
const maxRecordsPage = 10000

var (
	errRecordsLimit   = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 0 and 10000.")
	errRecordScore    = Errorf(CodeInvalidArgument, "Invalid score value, must be >= 0.")
	errRecordSubscore = Errorf(CodeInvalidArgument, "Invalid subscore value, must be >= 0.")
)

// checkScores refuses writes whose stored score or subscore would be negative: a negative
// value to store, or (increment) a negative result, which the table's checks refuse.
func checkScores(err error) error {
	switch checkViolation(err) {
	case "leaderboard_record_score_check":
		return errRecordScore
	case "leaderboard_record_subscore_check":
		return errRecordSubscore
	}
	return err
}

// LeaderboardRecordWrite submits a score to a leaderboard under its operator (or the
// write's override) and returns the record with its rank.
func (c *Core) LeaderboardRecordWrite(ctx context.Context, w RecordWrite) (Record, error) {
	if w.LeaderboardID == "" {
		return Record{}, errLeaderboardID
	}
	if !validRecordMetadata(w.Metadata) {
		return Record{}, errLeaderboardMetadata
	}
	l := c.boards.get(w.LeaderboardID)
	if l == nil || l.IsTournament() {
		return Record{}, ErrLeaderboardNotFound
	}
	if l.Authoritative && !w.Server {
		return Record{}, errLeaderboardAuthoritative
	}
	expiry := l.periodExpiry(c.now())
	unlock := c.recordLocks.lock(l.ID, w.OwnerID)
	defer unlock()
	mark := c.deletions.begin() // before the statement: see rankInsert
	defer c.deletions.end(mark)
	row, _, err := c.recordUpsert(ctx, c.q, l, w, expiry, false)
	if err = checkScores(err); err != nil {
		return Record{}, AsErrorOr(err, "Error writing score to leaderboard.")
	}
	rec := recordFromRow(l, expiry, row)
	rec.Rank = c.rankInsert(ctx, l, expiry, w.OwnerID, row.Score, row.Subscore, mark)
	return rec, nil
}

// recordUpsert applies w to the owner's record of the period and returns the record as
// stored. A write that changes nothing leaves the record (and num_score) as it was; with
// checkMax, so does one past the record's max_num_score. changed reports whether the
// write was stored.
func (c *Core) recordUpsert(ctx context.Context, q *db.Queries, l *Leaderboard, w RecordWrite, expiry int64, checkMax bool) (recordRow, bool, error) {
	op := l.Operator
	if w.Override != nil {
		op = *w.Override
	}
	p := db.LeaderboardRecordWriteParams{
		LeaderboardID: l.ID, OwnerID: w.OwnerID, Score: w.Score, Subscore: w.Subscore,
		ExpiryTime: expiryTime(expiry), MaxNumScore: int32(l.MaxNumScore), Operator: int16(op),
		Descending: l.descending(), CheckMax: checkMax,
	}
	if w.Username != "" {
		p.Username = &w.Username
	}
	if w.Metadata != "" {
		p.Metadata = []byte(w.Metadata)
	}
	switch op {
	case OperatorIncrement:
		p.ScoreDelta, p.SubscoreDelta = w.Score, w.Subscore
	case OperatorDecrement:
		p.ScoreDelta, p.SubscoreDelta = w.Score, w.Subscore
		p.Score, p.Subscore = 0, 0
	}
	row, err := q.LeaderboardRecordWrite(ctx, p)
	if err == nil {
		return recordRow{OwnerID: w.OwnerID, Username: row.Username, Score: row.Score, Subscore: row.Subscore,
			NumScore: row.NumScore, MaxNumScore: row.MaxNumScore, Metadata: row.Metadata,
			CreateTime: row.CreateTime, UpdateTime: row.UpdateTime}, true, nil
	}
	if !isNotFound(err) {
		return recordRow{}, false, err
	}
	got, err := q.LeaderboardRecordGet(ctx, db.LeaderboardRecordGetParams{LeaderboardID: l.ID, ExpiryTime: p.ExpiryTime, OwnerID: w.OwnerID})
	if err != nil {
		return recordRow{}, false, err
	}
	return recordRow{OwnerID: w.OwnerID, Username: got.Username, Score: got.Score, Subscore: got.Subscore,
		NumScore: got.NumScore, MaxNumScore: got.MaxNumScore, Metadata: got.Metadata,
		CreateTime: got.CreateTime, UpdateTime: got.UpdateTime}, false, nil
}

// LeaderboardRecordDelete deletes the owner's record of the current period, if any.
func (c *Core) LeaderboardRecordDelete(ctx context.Context, id string, owner uuid.UUID, server bool) error {
	if id == "" {
		return errLeaderboardID
	}
	l := c.boards.get(id)
	if l == nil || l.IsTournament() {
		return ErrLeaderboardNotFound
	}
	if l.Authoritative && !server {
		return errLeaderboardDeleteAuth
	}
	return c.recordDelete(ctx, l, owner, "Error deleting score from leaderboard.")
}

func (c *Core) recordDelete(ctx context.Context, l *Leaderboard, owner uuid.UUID, failure string) error {
	expiry := l.periodExpiry(c.now())
	unlock := c.recordLocks.lock(l.ID, owner)
	defer unlock()
	if _, err := c.q.LeaderboardRecordDelete(ctx, db.LeaderboardRecordDeleteParams{LeaderboardID: l.ID, ExpiryTime: expiryTime(expiry), OwnerID: owner}); err != nil {
		return Internal(failure, err)
	}
	c.ranks.Delete(rank.Period{Leaderboard: l.ID, Expiry: expiry}, owner)
	return nil
}

// listExpiry is the period a listing reads: the current one, or the one the caller names
// by its expiry. ok is false when a tournament's current period has already ended.
func (c *Core) listExpiry(l *Leaderboard, override int64) (expiry int64, ok bool) {
	if override != 0 {
		return override, true
	}
	now := c.now()
	expiry = l.periodExpiry(now)
	if l.IsTournament() && expiry != 0 && expiry <= now.Unix() {
		return 0, false
	}
	return expiry, true
}

// LeaderboardRecordsList lists a period's records in rank order, limit at a time (0: no
// page, only the owners' records), and the records of ownerIDs. override names an older
// period by its expiry (Unix seconds); 0 is the current one.
func (c *Core) LeaderboardRecordsList(ctx context.Context, id string, ownerIDs []uuid.UUID, limit int, cursor string, override int64) (RecordList, error) {
	if id == "" {
		return RecordList{}, errLeaderboardID
	}
	l := c.boards.get(id)
	if l == nil {
		return RecordList{}, ErrLeaderboardNotFound
	}
	expiry, ok := c.listExpiry(l, override)
	if !ok {
		return RecordList{}, nil
	}
	return c.recordsList(ctx, l, expiry, ownerIDs, limit, cursor, "Error listing records from leaderboard.")
}

func (c *Core) recordsList(ctx context.Context, l *Leaderboard, expiry int64, ownerIDs []uuid.UUID, limit int, cursor, failure string) (RecordList, error) {
	// Clients list at most 100 (their front doors check); server code up to 10000, as in Nakama.
	if limit < 0 || limit > maxRecordsPage {
		return RecordList{}, errRecordsLimit
	}
	var out RecordList
	period := rank.Period{Leaderboard: l.ID, Expiry: expiry}
	if limit > 0 {
		var from *recordCursor
		if cursor != "" {
			rc, err := decodeRecordCursor(cursor)
			if err != nil || rc.leaderboard != l.ID || rc.expiry != expiry {
				return RecordList{}, ErrRecordCursor
			}
			from = &rc
		}
		page, err := c.recordsPage(ctx, l, expiry, from, limit)
		if err != nil {
			return RecordList{}, Internal(failure, err)
		}
		out = page
	}
	if len(ownerIDs) > 0 {
		rows, err := c.q.LeaderboardRecordsByOwners(ctx, db.LeaderboardRecordsByOwnersParams{LeaderboardID: l.ID, ExpiryTime: expiryTime(expiry), OwnerIds: ownerIDs})
		if err != nil {
			return RecordList{}, Internal(failure, err)
		}
		for _, r := range rows {
			rec := recordFromRow(l, expiry, recordRow(r))
			rec.Rank = c.rankOf(l, period, r.OwnerID)
			out.OwnerRecords = append(out.OwnerRecords, rec)
		}
		sortRecords(l, out.OwnerRecords)
	}
	out.RankCount = c.rankCount(l, period)
	return out, nil
}

// sortRecords puts records in the board's rank order.
func sortRecords(l *Leaderboard, recs []Record) {
	slices.SortFunc(recs, func(a, b Record) int {
		c := cmpRecord(a, b)
		if l.descending() {
			return -c
		}
		return c
	})
}

func cmpRecord(a, b Record) int {
	switch {
	case a.Score != b.Score:
		return cmp.Compare(a.Score, b.Score)
	case a.Subscore != b.Subscore:
		return cmp.Compare(a.Subscore, b.Subscore)
	}
	return bytes.Compare(a.OwnerID[:], b.OwnerID[:])
}

// recordsPage reads one page in rank order from a cursor position (nil: the top). Ranks
// count on from the cursor's rank, as Nakama's listing does.
func (c *Core) recordsPage(ctx context.Context, l *Leaderboard, expiry int64, from *recordCursor, limit int) (RecordList, error) {
	forward := from == nil || from.next
	// Going forward on a descending board, or backward on an ascending one, reads the
	// index high to low.
	highToLow := forward == l.descending()
	rows, err := c.recordRows(ctx, l.ID, expiry, from, highToLow, limit+1)
	if err != nil {
		return RecordList{}, err
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	base := int64(0)
	if from != nil {
		base = from.rank
	}
	var out RecordList
	out.Records = make([]Record, len(rows))
	for i, r := range rows {
		rec := recordFromRow(l, expiry, r)
		if forward {
			rec.Rank = base + int64(i) + 1
			out.Records[i] = rec
		} else {
			rec.Rank = base - int64(i) - 1
			out.Records[len(rows)-1-i] = rec
		}
	}
	if len(out.Records) == 0 {
		return out, nil
	}
	first, last := out.Records[0], out.Records[len(out.Records)-1]
	cursorAt := func(r Record, next bool) string {
		return recordCursor{next: next, leaderboard: l.ID, expiry: expiry, score: r.Score, subscore: r.Subscore, owner: r.OwnerID, rank: r.Rank}.encode()
	}
	if forward {
		if more {
			out.NextCursor = cursorAt(last, true)
		}
		if from != nil {
			out.PrevCursor = cursorAt(first, false)
		}
	} else {
		if more {
			out.PrevCursor = cursorAt(first, false)
		}
		out.NextCursor = cursorAt(last, true)
	}
	return out, nil
}

// recordRows reads up to n records of a period from a position, high to low or low to high.
func (c *Core) recordRows(ctx context.Context, id string, expiry int64, from *recordCursor, highToLow bool, n int) ([]recordRow, error) {
	e := expiryTime(expiry)
	var rows []recordRow
	switch {
	case from == nil && highToLow:
		rs, err := c.q.LeaderboardRecordsDescending(ctx, db.LeaderboardRecordsDescendingParams{LeaderboardID: id, ExpiryTime: e, RowLimit: int32(n)})
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			rows = append(rows, recordRow(r))
		}
	case from == nil:
		rs, err := c.q.LeaderboardRecordsAscending(ctx, db.LeaderboardRecordsAscendingParams{LeaderboardID: id, ExpiryTime: e, RowLimit: int32(n)})
		if err != nil {
			return nil, err
		}
		rows = rs
	case highToLow:
		return c.recordsBelow(ctx, id, e, from.score, from.subscore, from.owner, n)
	default:
		return c.recordsAbove(ctx, id, e, from.score, from.subscore, from.owner, n)
	}
	return rows, nil
}

// recordsBelow reads records ordered before (score, subscore, owner), high to low.
func (c *Core) recordsBelow(ctx context.Context, id string, e time.Time, score, subscore int64, owner uuid.UUID, n int) ([]recordRow, error) {
	rs, err := c.q.LeaderboardRecordsDescendingBefore(ctx, db.LeaderboardRecordsDescendingBeforeParams{
		LeaderboardID: id, ExpiryTime: e, Score: score, Subscore: subscore, OwnerID: owner, RowLimit: int32(n)})
	if err != nil {
		return nil, err
	}
	rows := make([]recordRow, len(rs))
	for i, r := range rs {
		rows[i] = recordRow(r)
	}
	return rows, nil
}

// recordsAbove reads records ordered after (score, subscore, owner), low to high.
func (c *Core) recordsAbove(ctx context.Context, id string, e time.Time, score, subscore int64, owner uuid.UUID, n int) ([]recordRow, error) {
	rs, err := c.q.LeaderboardRecordsAscendingAfter(ctx, db.LeaderboardRecordsAscendingAfterParams{
		LeaderboardID: id, ExpiryTime: e, Score: score, Subscore: subscore, OwnerID: owner, RowLimit: int32(n)})
	if err != nil {
		return nil, err
	}
	rows := make([]recordRow, len(rs))
	for i, r := range rs {
		rows[i] = recordRow(r)
	}
	return rows, nil
}

// LeaderboardRecordsAroundOwner lists up to limit records around the owner's: the owner's
// record with the ones just better and just worse (Nakama's haystack). With a cursor it is
// an ordinary page. override names an older period as in LeaderboardRecordsList.
func (c *Core) LeaderboardRecordsAroundOwner(ctx context.Context, id string, owner uuid.UUID, limit int, cursor string, override int64) (RecordList, error) {
	if id == "" {
		return RecordList{}, errLeaderboardID
	}
	l := c.boards.get(id)
	if l == nil {
		return RecordList{}, ErrLeaderboardNotFound
	}
	expiry, ok := c.listExpiry(l, override)
	if !ok {
		return RecordList{}, nil
	}
	return c.aroundOwner(ctx, l, expiry, owner, limit, cursor, "Error querying records from leaderboard.")
}

func (c *Core) aroundOwner(ctx context.Context, l *Leaderboard, expiry int64, owner uuid.UUID, limit int, cursor, failure string) (RecordList, error) {
	if limit < 1 || limit > 100 {
		return RecordList{}, errLeaderboardLimit
	}
	if cursor != "" {
		return c.recordsList(ctx, l, expiry, nil, limit, cursor, failure)
	}
	// The rank cache knows where the window starts, so one page read from there serves
	// it; the three reads below are for owners the cache lacks or a write that raced it.
	period := rank.Period{Leaderboard: l.ID, Expiry: expiry}
	if w, ok := c.ranks.Window(period, owner, limit); ok && !l.RanksDisabled {
		out, ok, err := c.windowPage(ctx, l, expiry, owner, w)
		if err != nil {
			return RecordList{}, Internal(failure, err)
		}
		if ok {
			return out, nil
		}
	}
	e := expiryTime(expiry)
	got, err := c.q.LeaderboardRecordGet(ctx, db.LeaderboardRecordGetParams{LeaderboardID: l.ID, ExpiryTime: e, OwnerID: owner})
	if isNotFound(err) {
		return RecordList{}, nil
	}
	if err != nil {
		return RecordList{}, Internal(failure, err)
	}
	own := recordFromRow(l, expiry, recordRow{OwnerID: owner, Username: got.Username, Score: got.Score, Subscore: got.Subscore,
		NumScore: got.NumScore, MaxNumScore: got.MaxNumScore, Metadata: got.Metadata, CreateTime: got.CreateTime, UpdateTime: got.UpdateTime})

	// Nakama's window: up to limit/2 worse records below the owner and better ones above
	// to fill the rest; when fewer than limit/2 better ones exist, more worse ones instead.
	// Reading the worse half first bounds each query to the rows that can be shown.
	better, worse := c.recordsAbove, c.recordsBelow
	if !l.descending() {
		better, worse = c.recordsBelow, c.recordsAbove
	}
	half := limit / 2
	below, err := worse(ctx, l.ID, e, own.Score, own.Subscore, owner, half+1)
	if err != nil {
		return RecordList{}, Internal(failure, err)
	}
	setNext := len(below) > half
	below = below[:min(len(below), half)]
	room := limit - 1 - len(below)
	above, err := better(ctx, l.ID, e, own.Score, own.Subscore, owner, room+1)
	if err != nil {
		return RecordList{}, Internal(failure, err)
	}
	setPrev := len(above) > room
	nearTop := len(above) < half // room+1 ≥ half, so this counts every better record
	above = above[:min(len(above), room)]
	if nearTop {
		// Near the top: the rest of the window comes from below.
		more := limit - len(above)
		if below, err = worse(ctx, l.ID, e, own.Score, own.Subscore, owner, more+1); err != nil {
			return RecordList{}, Internal(failure, err)
		}
		setNext = len(below) > more
		below = below[:min(len(below), limit-1-len(above))]
	}
	slices.Reverse(above)
	recs := make([]Record, 0, len(above)+1+len(below))
	for _, r := range above {
		recs = append(recs, recordFromRow(l, expiry, r))
	}
	recs = append(recs, own)
	for _, r := range below {
		recs = append(recs, recordFromRow(l, expiry, r))
	}
	// The window is contiguous in rank order, so one lookup ranks it all.
	if first := c.rankOf(l, period, recs[0].OwnerID); first > 0 {
		for i := range recs {
			recs[i].Rank = first + int64(i)
		}
	}
	out := RecordList{Records: recs, RankCount: c.rankCount(l, period)}
	cursorAt := func(r Record, next bool) string {
		return recordCursor{next: next, leaderboard: l.ID, expiry: expiry, score: r.Score, subscore: r.Subscore, owner: r.OwnerID, rank: r.Rank}.encode()
	}
	if setPrev {
		out.PrevCursor = cursorAt(recs[0], false)
	}
	if setNext {
		out.NextCursor = cursorAt(recs[len(recs)-1], true)
	}
	return out, nil
}

// windowPage reads the window the rank cache placed around owner as one page: the records
// that follow the one ranked just above it, in rank order. ok is false when the page does
// not hold the owner where the cache said (a write landed between the two).
func (c *Core) windowPage(ctx context.Context, l *Leaderboard, expiry int64, owner uuid.UUID, w rank.Window) (RecordList, bool, error) {
	var rows []recordRow
	var err error
	switch after := w.After; {
	case after == nil:
		rows, err = c.recordRows(ctx, l.ID, expiry, nil, l.descending(), w.Size)
	case l.descending():
		rows, err = c.recordsBelow(ctx, l.ID, expiryTime(expiry), after.Score, after.Subscore, after.Owner, w.Size)
	default:
		rows, err = c.recordsAbove(ctx, l.ID, expiryTime(expiry), after.Score, after.Subscore, after.Owner, w.Size)
	}
	if err != nil {
		return RecordList{}, false, err
	}
	at := int(w.Owner - w.First)
	if len(rows) != w.Size || rows[at].OwnerID != owner {
		return RecordList{}, false, nil
	}
	out := RecordList{Records: make([]Record, len(rows)), RankCount: w.Count}
	for i, r := range rows {
		out.Records[i] = recordFromRow(l, expiry, r)
		out.Records[i].Rank = w.First + int64(i)
	}
	cursorAt := func(r Record, next bool) string {
		return recordCursor{next: next, leaderboard: l.ID, expiry: expiry, score: r.Score, subscore: r.Subscore, owner: r.OwnerID, rank: r.Rank}.encode()
	}
	if w.Prev {
		out.PrevCursor = cursorAt(out.Records[0], false)
	}
	if w.Next {
		out.NextCursor = cursorAt(out.Records[len(out.Records)-1], true)
	}
	return out, true, nil
}

// leaderboardCleanup removes a deleted account's records; the rank cache follows after
// the deletion commits (AccountDelete).
func leaderboardCleanup(ctx context.Context, q *db.Queries, userID uuid.UUID) error {
	if _, err := q.LeaderboardRecordsDeleteOwner(ctx, userID); err != nil {
		return err
	}
	return nil
}

type exportedRecord struct {
	LeaderboardID string          `json:"leaderboard_id"`
	Username      string          `json:"username,omitempty"`
	Score         int64           `json:"score"`
	Subscore      int64           `json:"subscore"`
	NumScore      int32           `json:"num_score"`
	MaxNumScore   int32           `json:"max_num_score"`
	Metadata      json.RawMessage `json:"metadata"`
	CreateTime    time.Time       `json:"create_time"`
	UpdateTime    time.Time       `json:"update_time"`
	ExpiryTime    *time.Time      `json:"expiry_time,omitempty"`
}

func (c *Core) exportLeaderboardRecords(ctx context.Context, userID uuid.UUID) (string, any, error) {
	rows, err := c.q.ExportLeaderboardRecords(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	out := make([]exportedRecord, len(rows))
	for i, r := range rows {
		out[i] = exportedRecord{r.LeaderboardID, deref(r.Username), r.Score, r.Subscore, r.NumScore, r.MaxNumScore,
			json.RawMessage(r.Metadata), r.CreateTime, r.UpdateTime, nil}
		if r.ExpiryTime.Unix() > 0 {
			e := r.ExpiryTime
			out[i].ExpiryTime = &e
		}
	}
	return "leaderboard_records", out, nil
}
