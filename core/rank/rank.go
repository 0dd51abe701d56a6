// Package rank keeps, in memory, the rank order of every live leaderboard period so that a
// record's rank is an O(log n) lookup instead of a count over the table. Each period (a
// leaderboard id and the expiry time its records share) is an indexable skip list ordered
// best first, with a map from owner to entry. The cache is rebuilt from the database at
// start-up and updated by core after each committed write or delete; core serialises
// writes to one record, so updates to one owner arrive in commit order.
package rank

import (
	"bytes"
	"sync"

	"github.com/google/uuid"
)

// Period names one leaderboard period: records that share a leaderboard and an expiry time
// (Unix seconds; 0 for boards that never reset).
type Period struct {
	Leaderboard string
	Expiry      int64
}

// Cache holds the rank order of many periods. It is safe for concurrent use.
type Cache struct {
	mu      sync.RWMutex
	periods map[Period]*Set
}

// New returns an empty cache.
func New() *Cache {
	return &Cache{periods: make(map[Period]*Set)}
}

// set returns the period's set, making it with the given order when create is set.
func (c *Cache) set(p Period, descending, create bool) *Set {
	c.mu.RLock()
	s := c.periods[p]
	c.mu.RUnlock()
	if s != nil || !create {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s = c.periods[p]; s == nil {
		s = NewSet(descending)
		c.periods[p] = s
	}
	return s
}

// Insert places or moves owner's record in the period and returns its rank (1 is best).
func (c *Cache) Insert(p Period, descending bool, owner uuid.UUID, score, subscore int64) int64 {
	return c.set(p, descending, true).Insert(owner, score, subscore)
}

// InsertUnless is Insert unless refuse, asked under the period's lock, reports true: then
// the owner's record is taken out of the period instead (the writer is undoing it), and ok
// is false. It orders a write with a concurrent DeleteOwner: a deletion that makes refuse
// true before it calls DeleteOwner either takes the period's lock first (the insert then
// sees refuse true) or second (it then removes what was inserted); a period made after
// DeleteOwner listed them is locked by the insert after refuse became true. Either way
// the deleted owner is not left in the cache.
func (c *Cache) InsertUnless(p Period, descending bool, owner uuid.UUID, score, subscore int64, refuse func() bool) (rank int64, ok bool) {
	s := c.set(p, descending, true)
	s.mu.Lock()
	defer s.mu.Unlock()
	if refuse() {
		s.deleteLocked(owner)
		return 0, false
	}
	return s.insertLocked(owner, score, subscore), true
}

// Rank returns owner's rank in the period, or 0 when the owner has no record there.
func (c *Cache) Rank(p Period, owner uuid.UUID) int64 {
	s := c.set(p, false, false)
	if s == nil {
		return 0
	}
	return s.Rank(owner)
}

// Count returns the number of ranked records in the period.
func (c *Cache) Count(p Period) int64 {
	s := c.set(p, false, false)
	if s == nil {
		return 0
	}
	return int64(s.Len())
}

// At returns the record at a rank (1 is best) of the period, if there is one.
func (c *Cache) At(p Period, rank int64) (Entry, bool) {
	s := c.set(p, false, false)
	if s == nil {
		return Entry{}, false
	}
	return s.At(rank)
}

// Delete removes owner's record from the period.
func (c *Cache) Delete(p Period, owner uuid.UUID) {
	if s := c.set(p, false, false); s != nil {
		s.Delete(owner)
	}
}

// DeleteOwner removes owner from every period (account deletion). Periods made after it
// has looked at the periods are not visited: see InsertUnless and LoadUnless.
func (c *Cache) DeleteOwner(owner uuid.UUID) {
	c.mu.RLock()
	sets := make([]*Set, 0, len(c.periods))
	for _, s := range c.periods {
		sets = append(sets, s)
	}
	c.mu.RUnlock()
	for _, s := range sets {
		s.Delete(owner)
	}
}

// DeleteLeaderboard drops every period of a leaderboard.
func (c *Cache) DeleteLeaderboard(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.periods {
		if p.Leaderboard == id {
			delete(c.periods, p)
		}
	}
}

// DeleteExpired drops periods that ended at or before now (Unix seconds), whose records
// can no longer change.
func (c *Cache) DeleteExpired(now int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.periods {
		if p.Expiry != 0 && p.Expiry <= now {
			delete(c.periods, p)
		}
	}
}

// Entry is one ranked record.
type Entry struct {
	Owner    uuid.UUID
	Score    int64
	Subscore int64
}

// Load replaces the period's contents with entries in one pass (start-up). It sorts
// entries in place unless they are already in rank order.
func (c *Cache) Load(p Period, descending bool, entries []Entry) {
	c.LoadUnless(p, descending, entries, nil)
}

// LoadUnless is Load leaving out the owners refuse (if not nil) reports true, asked while
// the cache's lock is held: DeleteOwner lists the periods under that lock, so either it
// lists the loaded period, or the owner it removes was marked refused before the load
// asked.
func (c *Cache) LoadUnless(p Period, descending bool, entries []Entry, refuse func(owner uuid.UUID) bool) {
	s := newSetSized(descending, len(entries))
	s.build(entries)
	c.mu.Lock()
	defer c.mu.Unlock()
	if refuse != nil {
		for owner := range s.owners {
			if refuse(owner) {
				s.deleteLocked(owner)
			}
		}
	}
	c.periods[p] = s
}

// Set is one period's records in rank order.
type Set struct {
	mu         sync.RWMutex
	descending bool
	list       skiplist
	owners     map[uuid.UUID]*node
}

// NewSet returns an empty set ordered highest first when descending, lowest first otherwise.
func NewSet(descending bool) *Set {
	return newSetSized(descending, 0)
}

func newSetSized(descending bool, n int) *Set {
	s := &Set{descending: descending, owners: make(map[uuid.UUID]*node, n)}
	s.list.init(s.better)
	return s
}

// better reports whether a ranks before b: by score, then subscore, then owner id, all in
// the board's direction (Nakama's tie order).
func (s *Set) better(a, b *Entry) bool {
	if a.Score != b.Score {
		return (a.Score > b.Score) == s.descending
	}
	if a.Subscore != b.Subscore {
		return (a.Subscore > b.Subscore) == s.descending
	}
	c := bytes.Compare(a.Owner[:], b.Owner[:])
	if s.descending {
		return c > 0
	}
	return c < 0
}

// Insert places or moves owner's record and returns its rank.
func (s *Set) Insert(owner uuid.UUID, score, subscore int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insertLocked(owner, score, subscore)
}

func (s *Set) insertLocked(owner uuid.UUID, score, subscore int64) int64 {
	e := Entry{Owner: owner, Score: score, Subscore: subscore}
	if n := s.owners[owner]; n != nil {
		if n.entry == e {
			return s.list.rank(&e)
		}
		s.list.remove(&n.entry)
	}
	n, rank := s.list.insert(e)
	s.owners[owner] = n
	return rank
}

// Rank returns owner's rank, or 0 when absent.
func (s *Set) Rank(owner uuid.UUID) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := s.owners[owner]
	if n == nil {
		return 0
	}
	return s.list.rank(&n.entry)
}

// At returns the record at a rank (1 is best), if there is one.
func (s *Set) At(rank int64) (Entry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := s.list.at(rank)
	if n == nil {
		return Entry{}, false
	}
	return n.entry, true
}

// Delete removes owner's record.
func (s *Set) Delete(owner uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteLocked(owner)
}

func (s *Set) deleteLocked(owner uuid.UUID) {
	if n := s.owners[owner]; n != nil {
		s.list.remove(&n.entry)
		delete(s.owners, owner)
	}
}

// Len returns the number of records.
func (s *Set) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.list.length
}

// Entries returns every record in rank order (tests compare it with the database).
func (s *Set) Entries() []Entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Entry, 0, s.list.length)
	for n := s.list.head.next[0].to; n != nil; n = n.next[0].to {
		out = append(out, n.entry)
	}
	return out
}

// Entries returns the period's records in rank order, or nil.
func (c *Cache) Entries(p Period) []Entry {
	s := c.set(p, false, false)
	if s == nil {
		return nil
	}
	return s.Entries()
}

// Window is the stretch of a period that a listing around one owner shows.
type Window struct {
	Owner int64 // the owner's rank
	Count int64 // records in the period
	First int64 // rank of the window's first record
	Size  int   // records in the window
	// Prev and Next say whether the listing offers cursors before and after the window.
	Prev, Next bool
	// After is the record ranked just above the window (a listing reads the window as the
	// page that follows it); nil when the window starts at rank 1.
	After *Entry
}

// Window places up to limit records around owner's as Nakama's haystack does: it takes up
// to limit better records and limit/2 worse ones (more worse ones when fewer better ones
// exist), then keeps the last limit of them, or the first limit near the top. Next is set
// when more worse records exist than were taken, which near the top can leave one record
// past the window without a cursor, as in Nakama. ok is false when owner has no record.
func (c *Cache) Window(p Period, owner uuid.UUID, limit int) (w Window, ok bool) {
	s := c.set(p, false, false)
	if s == nil || limit < 1 {
		return Window{}, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := s.owners[owner]
	if n == nil {
		return Window{}, false
	}
	w.Owner = s.list.rank(&n.entry)
	w.Count = int64(s.list.length)
	better, worse := int(w.Owner-1), int(w.Count-w.Owner)
	taken := min(better, limit)
	want := limit / 2
	if taken < want {
		want = limit - taken
	}
	total := taken + 1 + min(worse, want)
	start := total - limit
	if start < 0 || taken < want {
		start = 0
	}
	w.First = w.Owner - int64(taken) + int64(start)
	w.Size = min(start+limit, total) - start
	w.Prev = w.First > 1
	w.Next = worse > want
	if w.First > 1 {
		e := s.list.at(w.First - 1).entry
		w.After = &e
	}
	return w, true
}
