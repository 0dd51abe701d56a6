package core

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
)

// TestDeletedOwnersForgotten: a deleted owner is kept while a write that began before
// its deletion is in flight, and forgotten two epochs after that write is done.
func TestDeletedOwnersForgotten(t *testing.T) {
	var s ownerDeletions
	a, b, c, d, e := uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()
	inFlight := s.writes.begin()
	s.deleted.add(a, &s.writes) // epoch 0 → 1: nothing of epoch -1 is in flight
	s.deleted.add(b, &s.writes) // stays at 1: the write of epoch 0 is in flight
	s.deleted.add(c, &s.writes)
	for _, o := range []uuid.UUID{a, b, c} {
		if !s.deleted.has(o) {
			t.Fatalf("%s forgotten while a write from before its deletion is in flight", o)
		}
	}
	s.writes.end(inFlight)
	s.deleted.add(d, &s.writes) // 1 → 2
	if !s.deleted.has(a) || !s.deleted.has(c) {
		t.Fatal("forgotten after one epoch")
	}
	s.deleted.add(e, &s.writes) // 2 → 3: every write of epoch 1 or earlier is done
	if s.deleted.has(a) || s.deleted.has(b) || s.deleted.has(c) || !s.deleted.has(d) || !s.deleted.has(e) {
		t.Fatalf("after two epochs: a %v b %v c %v d %v e %v", s.deleted.has(a), s.deleted.has(b), s.deleted.has(c), s.deleted.has(d), s.deleted.has(e))
	}
	if n := s.deleted.count.Load(); n != 2 {
		t.Fatalf("count %d, want 2", n)
	}
}

// TestDeletedOwnersConcurrent deletes owners while writes begin and end on other
// goroutines (run with -race): every owner deleted after a write began is still
// recorded when that write ends, and once the writes stop two deletions forget the rest.
func TestDeletedOwnersConcurrent(t *testing.T) {
	var s ownerDeletions
	const deletions = 20_000
	owners := make([]uuid.UUID, deletions)
	for i := range owners {
		owners[i] = uuid.New()
	}
	var published atomic.Int64 // owners[:published] have been recorded
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				epoch := s.writes.begin()
				from := published.Load()
				for range 50 {
					runtime.Gosched() // let deletions happen while this write is in flight
				}
				to := published.Load()
				for _, o := range owners[from:to] {
					if !s.deleted.has(o) {
						s.writes.end(epoch)
						errs <- fmt.Errorf("an owner deleted while a write was in flight was forgotten (epoch %d)", epoch)
						return
					}
				}
				s.writes.end(epoch)
			}
		}()
	}
	for i, o := range owners {
		s.deleted.add(o, &s.writes)
		published.Store(int64(i + 1))
	}
	close(stop)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	s.deleted.add(uuid.New(), &s.writes)
	s.deleted.add(uuid.New(), &s.writes)
	if n := s.deleted.count.Load(); n != 2 {
		t.Fatalf("%d owners kept with no write in flight, want the last 2", n)
	}
}

// TestDeletedSince: a deletion refuses the writes that overlapped it (begun before it
// settled), whether they check while it is pending or after, and not the writes begun
// after it settled; an owner whose deletion is in flight is not forgotten.
func TestDeletedSince(t *testing.T) {
	var d ownerDeletions
	a, other := uuid.New(), uuid.New()
	before := d.begin()
	settled := d.deleting(a)
	during := d.begin()
	for name, m := range map[string]writeMark{"before": before, "during": during} {
		if !d.deletedSince(a, m) {
			t.Errorf("a write begun %s the deletion is not refused while it is pending", name)
		}
	}
	settled()
	after := d.begin()
	for name, m := range map[string]writeMark{"before": before, "during": during} {
		if !d.deletedSince(a, m) {
			t.Errorf("a write begun %s the deletion is not refused once it settled", name)
		}
	}
	if d.deletedSince(a, after) {
		t.Error("a write begun after the deletion settled is refused")
	}
	if d.deletedSince(other, before) {
		t.Error("an owner never deleted is refused")
	}
	d.end(before)
	d.end(during)
	d.end(after)

	b := uuid.New()
	settleB := d.deleting(b)
	for range 4 {
		d.deleting(uuid.New())()
	}
	if !d.deleted.has(b) {
		t.Fatal("an owner was forgotten while its deletion was in flight")
	}
	settleB()
}
