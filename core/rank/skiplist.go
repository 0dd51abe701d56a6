package rank

import (
	"math/bits"
	"slices"
)

// maxLevel bounds the skip list's height; with p = 1/4 it serves far more than 2^32 entries.
const maxLevel = 24

// link is one forward pointer with its span: how many ranks it moves forward. A nil link's
// span is the distance to the end of the list.
type link struct {
	to   *node
	span int
}

type node struct {
	entry Entry
	next  []link
}

// skiplist is an indexable skip list (the ordered structure of Redis sorted sets): rank
// lookups, inserts and removals are O(log n) expected.
type skiplist struct {
	head   node
	level  int
	length int
	less   func(a, b *Entry) bool
	seed   uint64
}

func (l *skiplist) init(less func(a, b *Entry) bool) {
	l.head.next = make([]link, maxLevel)
	l.level = 1
	l.less = less
	l.seed = 0x9E3779B97F4A7C15
}

// randomLevel draws a height with P(level > k) = 4^-k (xorshift; the order of the list
// never depends on it, only its speed).
func (l *skiplist) randomLevel() int {
	l.seed ^= l.seed << 13
	l.seed ^= l.seed >> 7
	l.seed ^= l.seed << 17
	lvl := 1 + bits.TrailingZeros64(l.seed|1<<62)/2
	if lvl > maxLevel {
		lvl = maxLevel
	}
	return lvl
}

// insert adds e (absent) and returns its node and rank.
func (l *skiplist) insert(e Entry) (*node, int64) {
	var update [maxLevel]*node
	var rankAt [maxLevel]int
	x := &l.head
	for i := l.level - 1; i >= 0; i-- {
		if i < l.level-1 {
			rankAt[i] = rankAt[i+1]
		}
		for x.next[i].to != nil && l.less(&x.next[i].to.entry, &e) {
			rankAt[i] += x.next[i].span
			x = x.next[i].to
		}
		update[i] = x
	}
	lvl := l.randomLevel()
	if lvl > l.level {
		for i := l.level; i < lvl; i++ {
			rankAt[i] = 0
			update[i] = &l.head
			l.head.next[i].span = l.length
		}
		l.level = lvl
	}
	n := &node{entry: e, next: make([]link, lvl)}
	for i := 0; i < lvl; i++ {
		n.next[i].to = update[i].next[i].to
		update[i].next[i].to = n
		n.next[i].span = update[i].next[i].span - (rankAt[0] - rankAt[i])
		update[i].next[i].span = rankAt[0] - rankAt[i] + 1
	}
	for i := lvl; i < l.level; i++ {
		update[i].next[i].span++
	}
	l.length++
	return n, int64(rankAt[0] + 1)
}

// remove deletes the entry equal to e, which must be present.
func (l *skiplist) remove(e *Entry) {
	var update [maxLevel]*node
	x := &l.head
	for i := l.level - 1; i >= 0; i-- {
		for x.next[i].to != nil && l.less(&x.next[i].to.entry, e) {
			x = x.next[i].to
		}
		update[i] = x
	}
	target := x.next[0].to
	if target == nil || target.entry != *e {
		return
	}
	for i := 0; i < l.level; i++ {
		if update[i].next[i].to == target {
			update[i].next[i].span += target.next[i].span - 1
			update[i].next[i].to = target.next[i].to
		} else {
			update[i].next[i].span--
		}
	}
	for l.level > 1 && l.head.next[l.level-1].to == nil {
		l.level--
	}
	l.length--
}

// rank returns the 1-based rank of the entry equal to e, or 0 when absent.
func (l *skiplist) rank(e *Entry) int64 {
	x := &l.head
	r := 0
	for i := l.level - 1; i >= 0; i-- {
		for x.next[i].to != nil && (l.less(&x.next[i].to.entry, e) || x.next[i].to.entry == *e) {
			r += x.next[i].span
			x = x.next[i].to
		}
		if x != &l.head && x.entry == *e {
			return int64(r)
		}
	}
	return 0
}

// at returns the node at a 1-based rank, or nil when the rank is out of range: it follows
// the widest links whose spans do not pass the rank.
func (l *skiplist) at(rank int64) *node {
	if rank < 1 || rank > int64(l.length) {
		return nil
	}
	x := &l.head
	r := int64(0)
	for i := l.level - 1; i >= 0; i-- {
		for x.next[i].to != nil && r+int64(x.next[i].span) <= rank {
			r += int64(x.next[i].span)
			x = x.next[i].to
		}
		if r == rank {
			return x
		}
	}
	return nil
}

// build fills an empty list from entries in one pass after sorting them (unless they are
// already in rank order).
func (s *Set) build(entries []Entry) {
	l := &s.list
	cmp := func(a, b Entry) int {
		switch {
		case s.better(&a, &b):
			return -1
		case s.better(&b, &a):
			return 1
		}
		return 0
	}
	if !slices.IsSortedFunc(entries, cmp) {
		slices.SortFunc(entries, cmp)
	}
	// Nodes and their links come from two slabs: a million separate allocations would
	// dominate a start-up rebuild.
	nodes := make([]node, len(entries))
	links := make([]link, 0, len(entries)*4/3+maxLevel)
	var tail [maxLevel]*node
	var tailRank [maxLevel]int
	for i := range tail {
		tail[i] = &l.head
	}
	for i, e := range entries {
		if s.owners[e.Owner] != nil {
			continue // cannot happen with the primary key; never corrupt the list over it
		}
		lvl := l.randomLevel()
		if lvl > l.level {
			l.level = lvl
		}
		if len(links)+lvl > cap(links) {
			links = make([]link, 0, len(entries)/2+maxLevel)
		}
		n := &nodes[i]
		n.entry = e
		n.next = links[len(links) : len(links)+lvl : len(links)+lvl]
		links = links[:len(links)+lvl]
		rank := l.length + 1
		for j := 0; j < lvl; j++ {
			tail[j].next[j].to = n
			tail[j].next[j].span = rank - tailRank[j]
			tail[j] = n
			tailRank[j] = rank
		}
		l.length++
		s.owners[e.Owner] = n
	}
	for j := 0; j < l.level; j++ {
		tail[j].next[j].span = l.length - tailRank[j]
	}
}
