package core

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestStorageIndexPutOrder: an older write reaching the index after a newer one does not
// undo it, and a write keeping none of the index's fields takes the object out.
func TestStorageIndexPutOrder(t *testing.T) {
	idx := newStorageIndex(StorageIndexConfig{Name: "i", Collection: "c", Fields: []string{"n"}, MaxEntries: 10})
	owner := uuid.New()
	t0 := time.Now()
	obj := func(value string, at time.Time) StorageObject {
		return StorageObject{Collection: "c", Key: "k", UserID: owner, Value: value, PermissionRead: 2, CreateTime: t0, UpdateTime: at}
	}
	id := StorageObjectID{Collection: "c", Key: "k", UserID: owner}
	ctx := context.Background()
	idx.put(ctx, obj(`{"n":2}`, t0.Add(time.Second)))
	idx.put(ctx, obj(`{"n":1}`, t0)) // the older write, late
	if got := idx.docs[id].value; got != `{"n":2}` {
		t.Fatalf("entry %s, want the newer write's", got)
	}
	if idx.put(ctx, obj(`{"other":1}`, t0.Add(2*time.Second))) {
		t.Fatal("a value without the index's fields is still indexed")
	}
	if _, ok := idx.docs[id]; ok {
		t.Fatal("the entry stayed")
	}
	if idx.put(ctx, obj(`not json`, t0.Add(3*time.Second))) {
		t.Fatal("a value that is no JSON object is indexed")
	}
}

// BenchmarkStorageIndexList lists an index-only index of 100,000 objects (no database),
// ordered by a sortable field, 100 per page, with queries that can use the postings of
// exact values or not.
func BenchmarkStorageIndexList(b *testing.B) {
	c := New(Options{})
	if err := c.StorageIndexCreate(StorageIndexConfig{Name: "b", Collection: "c", Fields: []string{"level", "class"}, SortableFields: []string{"level"}, MaxEntries: 200_000, IndexOnly: true}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	classes := []string{"mage", "knight", "rogue"}
	objs := make([]StorageObject, 100_000)
	now := time.Now()
	for i := range objs {
		objs[i] = StorageObject{
			Collection: "c", Key: uuid.NewString(), UserID: uuid.New(), PermissionRead: 2, CreateTime: now, UpdateTime: now,
			Value: `{"level":` + itoa(i%100) + `,"class":"` + classes[i%3] + `"}`,
		}
	}
	c.indexed(ctx, objs, nil)
	for _, q := range []struct{ name, query string }{
		{"scan", "+value.level:>=50"},                      // no exact value: every object is looked at
		{"posting", "+value.level:>=50 +value.class:mage"}, // a third of the objects
		{"selective", "+value.level:7 +value.class:mage"},  // one in a hundred
	} {
		b.Run(q.name, func(b *testing.B) {
			for range b.N {
				if _, err := c.StorageIndexList(ctx, AsServer(), "b", q.query, 100, []string{"-level"}, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func itoa(i int) string { return fmt.Sprint(i) }

// TestStorageIndexConcurrent writes, deletes and lists one index from several goroutines
// (run with -race).
func TestStorageIndexConcurrent(t *testing.T) {
	c := New(Options{})
	if err := c.StorageIndexCreate(StorageIndexConfig{Name: "c", Collection: "c", Fields: []string{"n"}, SortableFields: []string{"n"}, MaxEntries: 50, IndexOnly: true}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	owner := uuid.New()
	done := make(chan error, 4)
	for w := range 4 {
		go func() {
			for i := range 200 {
				key := fmt.Sprintf("k%d-%d", w, i%60)
				now := time.Now()
				value := fmt.Sprintf(`{"n":%d}`, i)
				if i%2 == 1 {
					value = fmt.Sprintf(`{"n":{"w%d-%d":%d}}`, w, i, i) // a new field name each time
				}
				c.indexed(ctx, []StorageObject{{Collection: "c", Key: key, UserID: owner, Value: value, PermissionRead: 2, CreateTime: now, UpdateTime: now}}, nil)
				if i%7 == 0 {
					c.indexed(ctx, nil, []StorageObjectID{{Collection: "c", Key: key, UserID: owner}})
				}
				if _, err := c.StorageIndexList(ctx, AsServer(), "c", "value.n:>10", 10, []string{"-n"}, ""); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	list, err := c.StorageIndexList(ctx, AsServer(), "c", "", 10_000, nil, "")
	if err != nil || len(list.Objects) > 55 {
		t.Fatalf("%d entries (max 50, a tenth over before eviction), %v", len(list.Objects), err)
	}
}

// FuzzStorageIndexCursor decodes arbitrary cursors, as StorageIndexList does with what
// callers send: a cursor decodes or is refused, and a decoded one can be compared with
// any object's position without panicking.
func FuzzStorageIndexCursor(f *testing.F) {
	valid := indexPosition{Listing: 7, Values: []*indexValue{{Kind: indexNumber, N: 3}, nil}, Key: "k", UserID: uuid.New()}
	for _, seed := range []string{valid.encode(), "", "garbage", "e30", "eyJ2IjpbeyJrIjoxMjB9XX0", "eyJ2IjpudWxsfQ"} {
		f.Add(seed)
	}
	idx := newStorageIndex(StorageIndexConfig{Name: "f", Collection: "c", Fields: []string{"n"}, SortableFields: []string{"n"}, MaxEntries: 10})
	idx.put(context.Background(), StorageObject{Collection: "c", Key: "k", UserID: uuid.New(), Value: `{"n":1}`, UpdateTime: time.Now()})
	var doc *indexDoc
	for _, d := range idx.docs {
		doc = d
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, ok := decodeIndexCursor(text)
		if !ok {
			return
		}
		sorts, err := idx.sortFields([]string{"-n", "update_time"})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Values) != len(sorts) {
			return // StorageIndexList refuses it
		}
		comparePosition(sorts, doc.position(sorts), p)
	})
}
