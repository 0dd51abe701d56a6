package core

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Storage indexes (the runtime's RegisterStorageIndex and StorageIndexList): named,
// in-memory indexes over the objects of one collection (optionally one key), keeping
// the chosen top-level fields of each object's JSON value, searched with query strings
// (storage_query.go). Every storage write and delete through core updates them after it
// commits; StorageIndexLoad fills them from the database at start. Each node keeps its
// own, as in Nakama.

// StorageIndexConfig defines an index.
type StorageIndexConfig struct {
	Name       string
	Collection string
	Key        string   // "" indexes every key of the collection
	Fields     []string // top-level fields of the value to keep (at least one)
	// SortableFields are the fields lists may be ordered by (with create_time and
	// update_time, which always are).
	SortableFields []string
	// MaxEntries bounds the index: past it (by a tenth, as in Nakama) the least recently
	// updated objects are dropped.
	MaxEntries int
	// IndexOnly lists answer from the index alone (values hold only the kept fields)
	// instead of reading the objects from the database.
	IndexOnly bool
}

// StorageIndexFilter decides whether an object written to an index's collection is in
// the index (true) or taken out of it (false).
type StorageIndexFilter func(ctx context.Context, o StorageObject) bool

// storageIndexLoadPage is how many objects a start-up load reads per query.
const storageIndexLoadPage = 10_000

var (
	errStorageIndexNotFound = Errorf(CodeNotFound, "Storage index not found.")
	errStorageIndexLimit    = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 10000.")
	errStorageIndexOrder    = Errorf(CodeInvalidArgument, "Invalid order - each field must be sortable in this index.")
)

// storageIndexes holds every index, by name and by collection.
type storageIndexes struct {
	mu           sync.RWMutex
	byName       map[string]*storageIndex
	byCollection map[string][]*storageIndex
}

type storageIndex struct {
	cfg      StorageIndexConfig
	fields   map[string]bool // kept top-level fields
	sortable map[string]bool // "value.x", create_time, update_time

	deleted *deletedOwners // the Core's (ownerDeletions); nil in tests of one index alone

	mu     sync.RWMutex
	filter StorageIndexFilter
	docs   map[StorageObjectID]*indexDoc
	// Field names are numbered as objects bring them, so a document holds its values by
	// number and a query looks its field names up once per list, not per object.
	fieldIDs  map[string]int
	postings  map[postingKey]*postingSet
	versionID int // the number of the version field, which is not posted
}

// indexDoc is one object as an index keeps it.
type indexDoc struct {
	id         StorageObjectID
	version    string
	read       int32
	write      int32
	createTime time.Time
	updateTime time.Time
	value      string // the kept fields as a JSON object
	// fields are the values of "value.a.b" fields and of the object's own fields, in
	// the order of the index's field numbers (a document has few; the index may know
	// many); named holds them by name until the document is put.
	fields []docField
	named  map[string][]indexValue
}

type docField struct {
	id    int
	value bool // a value.* field, searched by clauses without a field
	vals  []indexValue
}

// get returns the values of field number id (a scan: documents have few fields).
func (d *indexDoc) get(id int) []indexValue {
	for i := range d.fields {
		switch f := &d.fields[i]; {
		case f.id == id:
			return f.vals
		case f.id > id:
			return nil
		}
	}
	return nil
}

type indexKind byte

const (
	indexString indexKind = 's'
	indexNumber indexKind = 'n'
	indexBool   indexKind = 'b'
	indexTime   indexKind = 't'
)

// indexValue is one value of a field. Exported fields: a cursor carries sort values.
type indexValue struct {
	Kind indexKind `json:"k"`
	S    string    `json:"s,omitempty"`
	N    float64   `json:"n,omitempty"`
	B    bool      `json:"b,omitempty"`
	T    int64     `json:"t,omitempty"` // Unix nanoseconds
}

// StorageIndexCreate defines an index. Indexes are defined while modules initialise,
// before the server serves; StorageIndexLoad then fills them.
func (c *Core) StorageIndexCreate(cfg StorageIndexConfig) error {
	switch {
	case cfg.Name == "":
		return Errorf(CodeInvalidArgument, "storage index 'name' must be set")
	case cfg.Collection == "":
		return Errorf(CodeInvalidArgument, "storage index 'collection' must be set")
	case cfg.MaxEntries < 1:
		return Errorf(CodeInvalidArgument, "storage index 'max_entries' must be > 0")
	case len(cfg.Fields) < 1:
		return Errorf(CodeInvalidArgument, "storage index 'fields' must contain at least one top level key to index")
	}
	idx := newStorageIndex(cfg)
	idx.deleted = &c.deletions.deleted
	s := c.indexes
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byName[cfg.Name]; ok {
		return Errorf(CodeAlreadyExists, fmt.Sprintf("cannot create index: index with name %q already exists", cfg.Name))
	}
	s.byName[cfg.Name] = idx
	s.byCollection[cfg.Collection] = append(s.byCollection[cfg.Collection], idx)
	return nil
}

func newStorageIndex(cfg StorageIndexConfig) *storageIndex {
	idx := &storageIndex{
		cfg:      cfg,
		fields:   map[string]bool{},
		sortable: map[string]bool{"create_time": true, "update_time": true},
		docs:     map[StorageObjectID]*indexDoc{},
		fieldIDs: map[string]int{},
		postings: map[postingKey]*postingSet{},
	}
	idx.versionID = idx.fieldID("version")
	for _, f := range cfg.Fields {
		idx.fields[f] = true
	}
	for _, f := range cfg.SortableFields {
		idx.sortable["value."+f] = true
	}
	return idx
}

// StorageIndexFilterSet makes fn decide which objects the named index keeps; a name
// that is no index is ignored, as in Nakama.
func (c *Core) StorageIndexFilterSet(name string, fn StorageIndexFilter) {
	c.indexes.mu.RLock()
	idx := c.indexes.byName[name]
	c.indexes.mu.RUnlock()
	if idx != nil {
		idx.mu.Lock()
		idx.filter = fn
		idx.mu.Unlock()
	}
}

// StorageIndexLoad fills every index from the database: the objects of its collection
// (and key) in (key, owner) order, through its filter, up to its maximum.
func (c *Core) StorageIndexLoad(ctx context.Context) error {
	for _, idx := range c.allIndexes() {
		start := time.Now()
		if err := c.storageIndexLoad(ctx, idx); err != nil {
			return fmt.Errorf("load storage index %s: %w", idx.cfg.Name, err)
		}
		idx.mu.RLock()
		n := len(idx.docs)
		idx.mu.RUnlock()
		c.log.Info("storage index loaded", slog.String("name", idx.cfg.Name), slog.Int("entries", n), slog.Duration("elapsed", time.Since(start)))
	}
	return nil
}

func (c *Core) storageIndexLoad(ctx context.Context, idx *storageIndex) error {
	// A load races account deletions as writes do: it may read an object just before
	// its owner's account goes.
	mark := c.deletions.begin()
	defer c.deletions.end(mark)
	params := db.StorageIndexLoadParams{Collection: idx.cfg.Collection, Key: idx.cfg.Key, RowLimit: storageIndexLoadPage}
	count := 0
	for {
		rows, err := c.q.StorageIndexLoad(ctx, params)
		if err != nil {
			return err
		}
		for _, r := range rows {
			o := StorageObject{
				Collection: idx.cfg.Collection, Key: r.Key, UserID: r.UserID, Value: r.Value, Version: r.Version,
				PermissionRead: int32(r.Read), PermissionWrite: int32(r.Write), CreateTime: r.CreateTime, UpdateTime: r.UpdateTime,
			}
			if idx.put(ctx, o) {
				if count++; count >= idx.cfg.MaxEntries {
					return nil
				}
			}
		}
		if len(rows) < storageIndexLoadPage {
			return nil
		}
		last := rows[len(rows)-1]
		params.AfterKey, params.AfterUserID = last.Key, last.UserID
	}
}

// indexed updates the indexes after storage writes and deletes commit.
func (c *Core) indexed(ctx context.Context, written []StorageObject, deleted []StorageObjectID) {
	touched := map[*storageIndex]bool{}
	for _, o := range written {
		for _, idx := range c.indexesOf(o.Collection) {
			if idx.cfg.Key == "" || idx.cfg.Key == o.Key {
				idx.put(ctx, o)
				touched[idx] = true
			}
		}
	}
	for _, id := range deleted {
		for _, idx := range c.indexesOf(id.Collection) {
			idx.mu.Lock()
			idx.remove(id)
			idx.mu.Unlock()
		}
	}
	for idx := range touched {
		idx.evict()
	}
}

// indexedOwnerDeleted takes a deleted account's objects out of every index: the
// database dropped them with the account, without a storage delete to tell the indexes.
// They are found through the postings of their user_id field. The caller has recorded
// the owner (ownerDeletions.deleting) first, so a write that committed before the
// deletion but is not indexed yet cannot put its object back.
func (c *Core) indexedOwnerDeleted(userID uuid.UUID) {
	for _, idx := range c.allIndexes() {
		idx.mu.Lock()
		if fid, ok := idx.lookup("user_id"); ok {
			if set := idx.postings[postingKey{fid: fid, kind: indexString, s: userID.String()}]; set != nil {
				owned := slices.Clone(set.small) // remove changes the set
				for d := range set.big {
					owned = append(owned, d)
				}
				for _, d := range owned {
					idx.remove(d.id)
				}
			}
		}
		idx.mu.Unlock()
	}
}

// allIndexes returns every index, for work done without the lock.
func (c *Core) allIndexes() []*storageIndex {
	c.indexes.mu.RLock()
	defer c.indexes.mu.RUnlock()
	all := make([]*storageIndex, 0, len(c.indexes.byName))
	for _, idx := range c.indexes.byName {
		all = append(all, idx)
	}
	return all
}

// indexesOf returns the indexes of a collection. The lock is not held while they are
// updated, so a filter (module code) may itself write storage.
func (c *Core) indexesOf(collection string) []*storageIndex {
	c.indexes.mu.RLock()
	defer c.indexes.mu.RUnlock()
	return c.indexes.byCollection[collection]
}

// indexedWrites is indexed for the writes of a committed batch. A batch with writes
// calls c.deletions.begin before its statements run and end after this.
func (c *Core) indexedWrites(ctx context.Context, ops []storageWriteOp, acks []StorageAck, deletes []StorageDelete) {
	c.indexes.mu.RLock()
	none := len(c.indexes.byName) == 0
	c.indexes.mu.RUnlock()
	if none {
		return // the common case: no module defined an index
	}
	written := make([]StorageObject, 0, len(ops))
	for _, op := range ops {
		a := acks[op.index]
		written = append(written, StorageObject{
			Collection: op.w.Collection, Key: op.w.Key, UserID: op.owner, Value: op.w.Value, Version: op.version,
			PermissionRead: int32(op.read), PermissionWrite: int32(op.write), CreateTime: a.CreateTime, UpdateTime: a.UpdateTime,
		})
	}
	deleted := make([]StorageObjectID, len(deletes))
	for i, d := range deletes {
		deleted[i] = StorageObjectID{Collection: d.Collection, Key: d.Key, UserID: d.UserID}
	}
	c.indexed(ctx, written, deleted)
}

// put indexes o, or takes it out when the filter refuses it or it keeps none of the
// index's fields; it reports whether o is in the index now. A write that commits
// before another but reaches the index after it is not allowed to undo it, nor one
// that commits before its owner's account is deleted to outlive the deletion.
func (idx *storageIndex) put(ctx context.Context, o StorageObject) bool {
	id := StorageObjectID{Collection: o.Collection, Key: o.Key, UserID: o.UserID}
	idx.mu.RLock()
	filter := idx.filter
	idx.mu.RUnlock()
	var doc *indexDoc
	if filter == nil || filter(ctx, o) {
		doc = idx.document(o)
	}
	idx.mu.Lock()
	defer idx.mu.Unlock()
	deleted := idx.deleted.has(o.UserID)
	if old := idx.docs[id]; old != nil && !deleted && old.updateTime.After(o.UpdateTime) {
		return true
	}
	idx.remove(id)
	if doc == nil || deleted {
		return false
	}
	doc.fields = make([]docField, 0, len(doc.named))
	for name, vs := range doc.named {
		doc.fields = append(doc.fields, docField{id: idx.fieldID(name), value: strings.HasPrefix(name, "value."), vals: vs})
	}
	sort.Slice(doc.fields, func(i, j int) bool { return doc.fields[i].id < doc.fields[j].id })
	doc.named = nil
	idx.docs[id] = doc
	idx.post(doc, true)
	return true
}

// remove takes an object out; idx.mu is held for writing.
func (idx *storageIndex) remove(id StorageObjectID) {
	if old := idx.docs[id]; old != nil {
		idx.post(old, false)
		delete(idx.docs, id)
	}
}

// postingKey is one exact value of one field: the postings of an index list the
// documents holding each, so a query that must match an exact value looks at those
// documents only instead of scanning the index.
type postingKey struct {
	fid  int
	kind indexKind
	s    string
	n    float64
	b    bool
}

// post adds (or, add false, removes) a document's postings; idx.mu is held for writing.
// Times and versions are not posted (their exact-value clauses scan): they are nearly
// unique per object, and a posting per object would cost more memory than it saves time.
func (idx *storageIndex) post(d *indexDoc, add bool) {
	for _, f := range d.fields {
		if f.id == idx.versionID {
			continue
		}
		for _, v := range f.vals {
			if v.Kind == indexTime {
				continue
			}
			k := postingKey{fid: f.id, kind: v.Kind, s: v.S, n: v.N, b: v.B}
			set := idx.postings[k]
			switch {
			case add && set == nil:
				idx.postings[k] = &postingSet{small: []*indexDoc{d}}
			case add:
				set.add(d)
			case set != nil:
				if set.remove(d) == 0 {
					delete(idx.postings, k)
				}
			}
		}
	}
}

// postingSet is the documents holding one value: a slice while few (most values are
// held by few objects), a set once many, so removal stays cheap either way.
type postingSet struct {
	small []*indexDoc
	big   map[*indexDoc]struct{}
}

const postingSmallMax = 32

func (p *postingSet) add(d *indexDoc) {
	if p.big != nil {
		p.big[d] = struct{}{}
		return
	}
	if p.small = append(p.small, d); len(p.small) > postingSmallMax {
		p.big = make(map[*indexDoc]struct{}, len(p.small))
		for _, e := range p.small {
			p.big[e] = struct{}{}
		}
		p.small = nil
	}
}

// remove takes d out and returns how many documents remain.
func (p *postingSet) remove(d *indexDoc) int {
	if p.big != nil {
		delete(p.big, d)
		return len(p.big)
	}
	for i, e := range p.small {
		if e == d {
			p.small[i] = p.small[len(p.small)-1]
			p.small = p.small[:len(p.small)-1]
			break
		}
	}
	return len(p.small)
}

func (p *postingSet) len() int { return len(p.small) + len(p.big) }

// candidates returns the documents that can match q: those posted under an exact value
// of its most selective exact must clause, or every document (all true) when q has no
// such clause. idx.mu is held for reading and q is bound to idx.
func (idx *storageIndex) candidates(q *storageQuery) (docs []*indexDoc, all bool) {
	var best []*postingSet
	bestSize := -1
	for i := range q.must {
		c := &q.must[i]
		if c.field == "" || c.field == "create_time" || c.field == "update_time" || c.field == "version" ||
			(c.kind != clauseTerm && c.kind != clausePhrase) || c.glob != nil {
			continue
		}
		if c.fid < 0 {
			return nil, false // a field no object has
		}
		// The values the clause matches exactly (matchValue): the text as a string, and
		// for a term also the number or boolean it reads as.
		keys := []postingKey{{fid: c.fid, kind: indexString, s: c.text}}
		if c.kind == clauseTerm && c.num != nil {
			keys = append(keys, postingKey{fid: c.fid, kind: indexNumber, n: *c.num})
		}
		if c.kind == clauseTerm && c.boolV != nil {
			keys = append(keys, postingKey{fid: c.fid, kind: indexBool, b: *c.boolV})
		}
		var sets []*postingSet
		size := 0
		for _, k := range keys {
			if set := idx.postings[k]; set != nil {
				sets = append(sets, set)
				size += set.len()
			}
		}
		if bestSize < 0 || size < bestSize {
			best, bestSize = sets, size
		}
	}
	if bestSize < 0 {
		return nil, true
	}
	seen := make(map[*indexDoc]bool, bestSize)
	docs = make([]*indexDoc, 0, bestSize)
	for _, set := range best {
		for _, d := range set.small {
			if !seen[d] {
				seen[d] = true
				docs = append(docs, d)
			}
		}
		for d := range set.big {
			if !seen[d] {
				seen[d] = true
				docs = append(docs, d)
			}
		}
	}
	return docs, false
}

// fieldID numbers a field name, numbering it now if it is new; idx.mu is held for
// writing.
func (idx *storageIndex) fieldID(name string) int {
	id, ok := idx.fieldIDs[name]
	if !ok {
		id = len(idx.fieldIDs)
		idx.fieldIDs[name] = id
	}
	return id
}

// lookup is fieldID for readers: idx.mu is held for reading.
func (idx *storageIndex) lookup(name string) (int, bool) {
	id, ok := idx.fieldIDs[name]
	return id, ok
}

// document maps an object to what the index keeps of it; nil when its value keeps none
// of the index's fields (or is not a JSON object).
func (idx *storageIndex) document(o StorageObject) *indexDoc {
	dec := json.NewDecoder(strings.NewReader(o.Value))
	dec.UseNumber()
	var value map[string]any
	if err := dec.Decode(&value); err != nil {
		return nil
	}
	kept := make(map[string]any, len(idx.fields))
	for k, v := range value {
		if idx.fields[k] {
			kept[k] = v
		}
	}
	if len(kept) == 0 {
		return nil
	}
	raw, err := json.Marshal(kept)
	if err != nil {
		return nil
	}
	d := &indexDoc{
		id: StorageObjectID{Collection: o.Collection, Key: o.Key, UserID: o.UserID}, version: o.Version,
		read: o.PermissionRead, write: o.PermissionWrite, createTime: o.CreateTime, updateTime: o.UpdateTime,
		value: string(raw), named: map[string][]indexValue{},
	}
	d.add("collection", indexValue{Kind: indexString, S: o.Collection})
	d.add("key", indexValue{Kind: indexString, S: o.Key})
	d.add("user_id", indexValue{Kind: indexString, S: o.UserID.String()})
	d.add("version", indexValue{Kind: indexString, S: o.Version})
	d.add("read", indexValue{Kind: indexNumber, N: float64(o.PermissionRead)})
	d.add("write", indexValue{Kind: indexNumber, N: float64(o.PermissionWrite)})
	d.add("create_time", indexValue{Kind: indexTime, T: o.CreateTime.UnixNano()})
	d.add("update_time", indexValue{Kind: indexTime, T: o.UpdateTime.UnixNano()})
	d.walk("value", kept)
	return d
}

func (d *indexDoc) add(field string, v indexValue) { d.named[field] = append(d.named[field], v) }

// walk indexes a JSON value under name: objects field by field ("name.field"), arrays
// element by element under the same name.
func (d *indexDoc) walk(name string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			d.walk(name+"."+k, e)
		}
	case []any:
		for _, e := range x {
			d.walk(name, e)
		}
	case string:
		d.add(name, indexValue{Kind: indexString, S: x})
	case json.Number:
		if f, err := x.Float64(); err == nil {
			d.add(name, indexValue{Kind: indexNumber, N: f})
		}
	case bool:
		d.add(name, indexValue{Kind: indexBool, B: x})
	}
}

// evict drops the least recently updated objects once the index is a tenth over its
// maximum, down to the maximum (Nakama's policy: eviction runs now and then, not on
// every write).
func (idx *storageIndex) evict() {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	limit := idx.cfg.MaxEntries
	if float64(len(idx.docs)) <= float64(limit)*1.1 {
		return
	}
	docs := make([]*indexDoc, 0, len(idx.docs))
	for _, d := range idx.docs {
		docs = append(docs, d)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].updateTime.Before(docs[j].updateTime) })
	for _, d := range docs[:len(docs)-limit] {
		idx.remove(d.id)
	}
}

// StorageIndexList lists the objects of an index that match a query, ordered by the
// given sortable fields ("-field" descending) and then by key and owner, one page of up
// to limit after cursor. With a user's access only objects it may read are listed;
// values are read from the database unless the index is index-only.
func (c *Core) StorageIndexList(ctx context.Context, as Access, name, query string, limit int, order []string, cursor string) (StorageObjectList, error) {
	if limit < 1 || limit > 10_000 {
		return StorageObjectList{}, errStorageIndexLimit
	}
	c.indexes.mu.RLock()
	idx := c.indexes.byName[name]
	c.indexes.mu.RUnlock()
	if idx == nil {
		return StorageObjectList{}, errStorageIndexNotFound
	}
	q, err := parseStorageQuery(query)
	if err != nil {
		return StorageObjectList{}, &Error{Code: CodeInvalidArgument, Message: "Invalid query: " + err.Error() + "."}
	}
	sorts, err := idx.sortFields(order)
	if err != nil {
		return StorageObjectList{}, err
	}
	listing := listingHash(name, query, order)
	var after *indexPosition
	if cursor != "" {
		p, ok := decodeIndexCursor(cursor)
		if !ok || p.Listing != listing || len(p.Values) != len(sorts) {
			return StorageObjectList{}, errStorageCursor
		}
		after = &p
	}

	type match struct {
		doc *indexDoc
		pos indexPosition
	}
	var found []match
	idx.mu.RLock()
	q = q.bind(idx.lookup)
	for i := range sorts {
		sorts[i].fid = -1
		if id, ok := idx.lookup(sorts[i].name); ok {
			sorts[i].fid = id
		}
	}
	check := func(d *indexDoc) {
		if !as.server && d.read != StorageReadPublic && (d.id.UserID != as.userID || d.read != StorageReadOwner) {
			return
		}
		if !q.match(d) {
			return
		}
		pos := d.position(sorts)
		if after != nil && comparePosition(sorts, pos, *after) <= 0 {
			return
		}
		found = append(found, match{d, pos})
	}
	if docs, all := idx.candidates(&q); all {
		for _, d := range idx.docs {
			check(d)
		}
	} else {
		for _, d := range docs {
			check(d)
		}
	}
	idx.mu.RUnlock()
	sort.Slice(found, func(i, j int) bool { return comparePosition(sorts, found[i].pos, found[j].pos) < 0 })

	var out StorageObjectList
	if len(found) > limit {
		found = found[:limit]
		p := found[limit-1].pos
		p.Listing = listing
		out.Cursor = p.encode()
	}
	matches := make([]*indexDoc, len(found))
	for i, m := range found {
		matches[i] = m.doc
	}
	if idx.cfg.IndexOnly {
		out.Objects = make([]StorageObject, len(matches))
		for i, d := range matches {
			out.Objects[i] = StorageObject{
				Collection: d.id.Collection, Key: d.id.Key, UserID: d.id.UserID, Value: d.value, Version: d.version,
				PermissionRead: d.read, PermissionWrite: d.write, CreateTime: d.createTime, UpdateTime: d.updateTime,
			}
		}
		return out, nil
	}
	ids := make([]StorageObjectID, len(matches))
	for i, d := range matches {
		ids[i] = d.id
	}
	// Current values, in the index's order (StorageRead keeps the order asked); an
	// object deleted meanwhile is left out.
	objs, err := c.StorageRead(ctx, as, ids)
	if err != nil {
		return StorageObjectList{}, err
	}
	out.Objects = objs
	return out, nil
}

// sortField is one field of a listing's order.
type sortField struct {
	name string
	desc bool
	fid  int // the field's number in the index; -1: no object has it
}

func (idx *storageIndex) sortFields(order []string) ([]sortField, error) {
	out := make([]sortField, 0, len(order))
	for _, o := range order {
		f := sortField{name: o}
		if strings.HasPrefix(o, "-") {
			f = sortField{name: o[1:], desc: true}
		}
		if !idx.sortable[f.name] && idx.sortable["value."+f.name] {
			f.name = "value." + f.name // the field as registered, without its prefix
		}
		if !idx.sortable[f.name] {
			return nil, errStorageIndexOrder
		}
		out = append(out, f)
	}
	return out, nil
}

// indexPosition is where an object falls in a listing's order: its sort values, then
// key and owner. A cursor is the position of a page's last object and the listing
// (index, query and order) it belongs to.
type indexPosition struct {
	Listing uint64        `json:"l"`
	Values  []*indexValue `json:"v"` // nil: the object has no value for that field
	Key     string        `json:"k"`
	UserID  uuid.UUID     `json:"u"`
}

func (d *indexDoc) position(sorts []sortField) indexPosition {
	p := indexPosition{Values: make([]*indexValue, len(sorts)), Key: d.id.Key, UserID: d.id.UserID}
	for i, f := range sorts {
		if vs := d.get(f.fid); len(vs) > 0 {
			v := vs[0]
			p.Values[i] = &v
		}
	}
	return p
}

// comparePosition orders positions by each sort field (objects without the field last,
// either direction), then key and owner.
func comparePosition(sorts []sortField, a, b indexPosition) int {
	for i, f := range sorts {
		va, vb := a.Values[i], b.Values[i]
		switch {
		case va == nil && vb == nil:
			continue
		case va == nil:
			return 1
		case vb == nil:
			return -1
		}
		c := compareIndexValues(*va, *vb)
		if f.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	if c := strings.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return bytes.Compare(a.UserID[:], b.UserID[:])
}

// compareIndexValues orders values of one kind naturally, and kinds numbers, strings,
// booleans, times.
func compareIndexValues(a, b indexValue) int {
	if a.Kind != b.Kind {
		rank := map[indexKind]int{indexNumber: 0, indexString: 1, indexBool: 2, indexTime: 3}
		return rank[a.Kind] - rank[b.Kind]
	}
	switch a.Kind {
	case indexNumber:
		return cmp.Compare(a.N, b.N)
	case indexString:
		return strings.Compare(a.S, b.S)
	case indexBool:
		switch {
		case a.B == b.B:
			return 0
		case b.B:
			return -1
		}
		return 1
	}
	return cmp.Compare(a.T, b.T)
}

func listingHash(name, query string, order []string) uint64 {
	h := fnv.New64a()
	for _, s := range append([]string{name, query}, order...) {
		_, _ = h.Write([]byte(s))
		_, _ = h.Write([]byte{0})
	}
	return h.Sum64()
}

func (p indexPosition) encode() string {
	raw, _ := json.Marshal(p)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeIndexCursor(text string) (indexPosition, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return indexPosition{}, false
	}
	var p indexPosition
	if err := json.Unmarshal(raw, &p); err != nil {
		return indexPosition{}, false
	}
	for _, v := range p.Values {
		if v != nil && v.Kind != indexString && v.Kind != indexNumber && v.Kind != indexBool && v.Kind != indexTime {
			return indexPosition{}, false
		}
	}
	return p, true
}
