package rank

import (
	"bytes"
	stdcmp "cmp"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

// reference ranks entries the slow, obvious way.
func reference(descending bool, m map[uuid.UUID]Entry) []Entry {
	out := make([]Entry, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		c := 0
		switch {
		case a.Score != b.Score:
			c = stdcmp.Compare(a.Score, b.Score)
		case a.Subscore != b.Subscore:
			c = stdcmp.Compare(a.Subscore, b.Subscore)
		default:
			c = bytes.Compare(a.Owner[:], b.Owner[:])
		}
		if descending {
			return -c
		}
		return c
	})
	return out
}

func TestSetMatchesSortedOrder(t *testing.T) {
	for _, descending := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(1, 2))
		owners := make([]uuid.UUID, 300)
		for i := range owners {
			owners[i] = uuid.New()
		}
		s := NewSet(descending)
		want := map[uuid.UUID]Entry{}
		for step := 0; step < 20000; step++ {
			o := owners[rng.IntN(len(owners))]
			if rng.IntN(5) == 0 {
				s.Delete(o)
				delete(want, o)
				continue
			}
			// Few distinct scores, so ties on score and subscore are common.
			e := Entry{Owner: o, Score: int64(rng.IntN(10)), Subscore: int64(rng.IntN(3))}
			want[o] = e
			got := s.Insert(o, e.Score, e.Subscore)
			ref := reference(descending, want)
			if wantRank := int64(slices.Index(ref, e) + 1); got != wantRank {
				t.Fatalf("descending=%v step %d: insert rank %d, want %d", descending, step, got, wantRank)
			}
		}
		ref := reference(descending, want)
		if diff := cmp.Diff(ref, s.Entries()); diff != "" {
			t.Fatalf("descending=%v order (-want +got):\n%s", descending, diff)
		}
		for i, e := range ref {
			if r := s.Rank(e.Owner); r != int64(i+1) {
				t.Fatalf("rank of %d-th = %d", i+1, r)
			}
		}
		if s.Len() != len(ref) {
			t.Fatalf("len %d, want %d", s.Len(), len(ref))
		}
		for i, e := range ref {
			if got, ok := s.At(int64(i + 1)); !ok || got != e {
				t.Fatalf("At(%d) = %v %v, want %v", i+1, got, ok, e)
			}
		}
		for _, r := range []int64{0, -1, int64(len(ref) + 1)} {
			if _, ok := s.At(r); ok {
				t.Fatalf("At(%d) found an entry", r)
			}
		}
	}
}

func TestLoadMatchesInserts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := map[uuid.UUID]Entry{}
	var entries []Entry
	for i := 0; i < 5000; i++ {
		e := Entry{Owner: uuid.New(), Score: int64(rng.IntN(50)), Subscore: int64(rng.IntN(5))}
		m[e.Owner] = e
		entries = append(entries, e)
	}
	c := New()
	p := Period{Leaderboard: "b", Expiry: 0}
	c.Load(p, true, entries)
	ref := reference(true, m)
	if diff := cmp.Diff(ref, c.Entries(p)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	for i, e := range ref {
		if r := c.Rank(p, e.Owner); r != int64(i+1) {
			t.Fatalf("rank of %d-th = %d", i+1, r)
		}
		if got, ok := c.At(p, int64(i+1)); !ok || got != e {
			t.Fatalf("At(%d) after load = %v %v", i+1, got, ok)
		}
	}
	if _, ok := c.At(Period{Leaderboard: "other"}, 1); ok {
		t.Fatal("At in a period with no set")
	}
	// The loaded list keeps working under changes.
	for i := 0; i < 2000; i++ {
		e := ref[rng.IntN(len(ref))]
		e.Score = int64(rng.IntN(50))
		m[e.Owner] = e
		c.Insert(p, true, e.Owner, e.Score, e.Subscore)
	}
	if diff := cmp.Diff(reference(true, m), c.Entries(p)); diff != "" {
		t.Fatalf("after changes (-want +got):\n%s", diff)
	}
	c.DeleteExpired(10)
	if c.Count(p) != int64(len(m)) {
		t.Fatal("a period that never expires was dropped")
	}
	c.DeleteLeaderboard("b")
	if c.Count(p) != 0 || c.Rank(p, ref[0].Owner) != 0 {
		t.Fatal("leaderboard not dropped")
	}
}

func BenchmarkLoad1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	base := make([]Entry, 1_000_000)
	for i := range base {
		base[i] = Entry{Owner: uuid.New(), Score: rng.Int64N(1_000_000), Subscore: rng.Int64N(10)}
	}
	entries := make([]Entry, len(base))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(entries, base)
		New().Load(Period{Leaderboard: "b"}, true, entries)
	}
}

func BenchmarkInsert1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	entries := make([]Entry, 1_000_000)
	for i := range entries {
		entries[i] = Entry{Owner: uuid.New(), Score: rng.Int64N(1_000_000)}
	}
	c := New()
	p := Period{Leaderboard: "b"}
	c.Load(p, true, slices.Clone(entries))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := entries[i%len(entries)]
		c.Insert(p, true, e.Owner, rng.Int64N(1_000_000), 0)
	}
}

// TestWindowMatchesHaystackArithmetic checks at (select by rank) and Window against the
// reference order for every owner and limit of a small period, after random changes.
func TestWindowMatchesHaystackArithmetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	c := New()
	p := Period{Leaderboard: "w"}
	m := map[uuid.UUID]Entry{}
	for i := 0; i < 40; i++ {
		e := Entry{Owner: uuid.New(), Score: int64(rng.IntN(8)), Subscore: int64(rng.IntN(2))}
		m[e.Owner] = e
		c.Insert(p, false, e.Owner, e.Score, e.Subscore)
	}
	ref := reference(false, m)
	s := c.set(p, false, false)
	for i, e := range ref {
		if got := s.list.at(int64(i + 1)); got == nil || got.entry != e {
			t.Fatalf("at(%d) = %v, want %v", i+1, got, e)
		}
	}
	if s.list.at(0) != nil || s.list.at(int64(len(ref)+1)) != nil {
		t.Fatal("at out of range returned a node")
	}
	n := len(ref)
	for idx, e := range ref {
		for limit := 1; limit <= n+1; limit++ {
			w, ok := c.Window(p, e.Owner, limit)
			if !ok {
				t.Fatal("owner not found")
			}
			// The arithmetic spelled out over positions, as core's database test does.
			above, below := idx, n-1-idx
			a := min(above, limit)
			want := limit / 2
			if a < want {
				want = limit - a
			}
			b := min(below, want)
			total := a + 1 + b
			start := total - limit
			if start < 0 || a < want {
				start = 0
			}
			first, size := idx-a+start+1, min(start+limit, total)-start
			if w.Owner != int64(idx+1) || w.Count != int64(n) || w.First != int64(first) || w.Size != size ||
				w.Prev != (first > 1) || w.Next != (below > want) {
				t.Fatalf("rank %d limit %d: %+v, want first %d size %d", idx+1, limit, w, first, size)
			}
			if (w.After == nil) != (first == 1) || (w.After != nil && *w.After != ref[first-2]) {
				t.Fatalf("rank %d limit %d: after %v", idx+1, limit, w.After)
			}
		}
	}
	if _, ok := c.Window(p, uuid.New(), 3); ok {
		t.Fatal("window for an absent owner")
	}
}

// TestInsertUnless: a refused insert leaves the owner out of the period (taking out any
// record it had), and refuse is asked under the period's lock.
func TestInsertUnless(t *testing.T) {
	c := New()
	p := Period{Leaderboard: "b"}
	a, b := uuid.New(), uuid.New()
	c.Insert(p, true, a, 10, 0)
	if r, ok := c.InsertUnless(p, true, b, 20, 0, func() bool { return false }); !ok || r != 1 {
		t.Fatalf("accepted insert: rank %d ok %v, want 1 true", r, ok)
	}
	locked := false
	refuse := func() bool {
		if c.periods[p].mu.TryRLock() {
			c.periods[p].mu.RUnlock()
		} else {
			locked = true
		}
		return true
	}
	if r, ok := c.InsertUnless(p, true, a, 30, 0, refuse); ok || r != 0 {
		t.Fatalf("refused insert: rank %d ok %v, want 0 false", r, ok)
	}
	if !locked {
		t.Error("refuse was asked without the period's lock")
	}
	if diff := cmp.Diff([]Entry{{Owner: b, Score: 20}}, c.Entries(p)); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

// TestInsertUnlessOrdersWithDeleteOwner races an insert with a deletion that marks the
// owner refused before DeleteOwner, on a period that exists or is made by the insert
// (run with -race): the owner is never left behind.
func TestInsertUnlessOrdersWithDeleteOwner(t *testing.T) {
	for i := range 2000 {
		c := New()
		p := Period{Leaderboard: "b"}
		if i%2 == 0 {
			c.Insert(p, true, uuid.New(), 1, 0)
		}
		owner := uuid.New()
		var deleted atomic.Bool
		done := make(chan struct{})
		go func() {
			c.InsertUnless(p, true, owner, 5, 0, deleted.Load)
			close(done)
		}()
		deleted.Store(true)
		c.DeleteOwner(owner)
		<-done
		if r := c.Rank(p, owner); r != 0 {
			t.Fatalf("iteration %d: the deleted owner is ranked %d", i, r)
		}
	}
}

// TestLoadUnless leaves the refused owners out of a loaded period.
func TestLoadUnless(t *testing.T) {
	c := New()
	p := Period{Leaderboard: "b"}
	ids := []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}
	entries := []Entry{{Owner: ids[0], Score: 3}, {Owner: ids[1], Score: 2}, {Owner: ids[2], Score: 1}}
	c.LoadUnless(p, true, entries, func(o uuid.UUID) bool { return o == ids[1] })
	if diff := cmp.Diff([]Entry{{Owner: ids[0], Score: 3}, {Owner: ids[2], Score: 1}}, c.Entries(p)); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if r := c.Rank(p, ids[2]); r != 2 {
		t.Errorf("rank %d, want 2", r)
	}
}
