package core

import (
	"math"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
)

// The in-memory state derived from the database (the storage indexes, the rank cache) is
// updated after each write commits, so a write that committed just before its owner's
// account was deleted can reach that state after the deletion cleaned it, and must not put
// the owner back. ownerDeletions, one per Core, is how the two meet: a deletion records
// its owner once, and every write counts itself from before its statements until its
// in-memory update is done.

// ownerDeletions holds the recently deleted owners and the writes in flight.
type ownerDeletions struct {
	writes  writeEpochs
	deleted deletedOwners
}

// writeMark is where a write began: its epoch, and how many deletions had settled.
type writeMark struct {
	epoch   uint64
	settled uint64
}

// begin counts a write (or a load) in flight; call it before the statements and end once
// the in-memory update is done. The epoch is counted before the settled deletions are
// read, so every deletion the write may have to refuse stays recorded until end.
func (d *ownerDeletions) begin() writeMark {
	e := d.writes.begin()
	return writeMark{epoch: e, settled: d.deleted.settled.Load()}
}

func (d *ownerDeletions) end(m writeMark) { d.writes.end(m.epoch) }

// deleting records owner after its account's deletion committed and before the in-memory
// state is cleaned of it; settled ends the deletion once it is. The deletion counts itself
// as a write meanwhile, so the owner cannot be forgotten before it settles.
func (d *ownerDeletions) deleting(owner uuid.UUID) (settled func()) {
	m := d.begin()
	d.deleted.add(owner, &d.writes)
	return func() {
		d.deleted.settle(owner)
		d.end(m)
	}
}

// deletedSince reports whether owner's account was deleted after the write marked m
// began, or is being deleted now: such a write must not be kept. A write that began
// after the deletion settled is an ordinary write, for an owner that happens to be no
// account any more.
func (d *ownerDeletions) deletedSince(owner uuid.UUID, m writeMark) bool {
	at, ok := d.deleted.get(owner)
	return ok && at > m.settled
}

// deletedOwners are the owners of deleted accounts. Each carries its deletion's place in
// the order deletions settle (pending while the in-memory state is being cleaned), so a
// write can tell a deletion that overlapped it from one that was over before it began.
// put and the rank cache look here while they hold the lock of what they update, and a
// deletion records the owner before it takes any of those locks, so of the two whichever
// takes such a lock second sees the other's work.
//
// An owner is kept until every write that began before its deletion settled is done
// (writeEpochs): the storage indexes refuse the owner meanwhile (a storage write that
// begins later cannot commit an object for the deleted account: the foreign key refuses
// it), and the rank cache refuses writes that overlapped the deletion. Account ids are
// never reused. So the set holds the accounts deleted during the last two write epochs: a
// few, unless a write stays in flight (a module's index filter that blocks) while many
// are deleted.
type deletedOwners struct {
	mu sync.RWMutex
	// recent were recorded in the current write epoch, older in the one before; those
	// from earlier epochs are forgotten. Values are settle numbers, or pending.
	recent, older map[uuid.UUID]uint64
	count         atomic.Int64  // len(recent)+len(older), read first by every check
	settled       atomic.Uint64 // deletions settled so far
}

// pending marks a deletion not settled yet: later than every write's mark.
const pending = math.MaxUint64

// add records a deleted owner (after its deletion committed), pending, forgetting the
// owners of two epochs ago once the writes that might still carry them are done.
func (d *deletedOwners) add(owner uuid.UUID, writes *writeEpochs) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if writes.advance() {
		d.older, d.recent = d.recent, nil
	}
	if d.recent == nil {
		d.recent = map[uuid.UUID]uint64{}
	}
	d.recent[owner] = pending
	d.count.Store(int64(len(d.recent) + len(d.older)))
}

// settle gives owner's deletion its place in the order: writes that read settled after
// this are not refused.
func (d *deletedOwners) settle(owner uuid.UUID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	at := d.settled.Add(1)
	if _, ok := d.recent[owner]; ok {
		d.recent[owner] = at
	} else if _, ok := d.older[owner]; ok {
		d.older[owner] = at
	}
}

// get returns owner's deletion mark, if recorded. The common case, no deletion recorded,
// costs one atomic load.
func (d *deletedOwners) get(owner uuid.UUID) (uint64, bool) {
	if d == nil || d.count.Load() == 0 {
		return 0, false
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if at, ok := d.recent[owner]; ok {
		return at, true
	}
	at, ok := d.older[owner]
	return at, ok
}

// has reports whether owner's account was deleted (recently enough to matter).
func (d *deletedOwners) has(owner uuid.UUID) bool {
	_, ok := d.get(owner)
	return ok
}

// writeEpochs tells, without a lock on the write path, when every write that began before
// some moment has finished updating the in-memory state. A write counts itself in the
// current epoch from before its statements run until its update is done; the epoch
// advances from e to e+1 only when no write of epoch e-1 is left, so once the epoch is two
// past e every write of epoch e or earlier is done. Two counters suffice: when epoch e
// begins, epoch e-2's writes (which share a counter with e) are all done.
type writeEpochs struct {
	epoch  atomic.Uint64
	active [2]atomic.Int64
}

// begin counts a write in the current epoch and returns the epoch, for end.
func (w *writeEpochs) begin() uint64 {
	for {
		e := w.epoch.Load()
		w.active[e&1].Add(1)
		if w.epoch.Load() == e {
			return e
		}
		w.active[e&1].Add(-1) // the epoch advanced meanwhile: count in the new one
	}
}

func (w *writeEpochs) end(e uint64) { w.active[e&1].Add(-1) }

// advance moves to the next epoch if no write of the previous one is left, and reports
// whether it did. Callers serialise (deletedOwners.mu).
func (w *writeEpochs) advance() bool {
	e := w.epoch.Load()
	if w.active[(e+1)&1].Load() != 0 { // epoch e-1's counter
		return false
	}
	w.epoch.Store(e + 1)
	return true
}
