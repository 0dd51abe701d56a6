package core_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
)

// indexKeys lists an index and returns the keys listed, and the cursor.
func indexKeys(t *testing.T, c *core.Core, as core.Access, name, query string, limit int, order []string, cursor string) ([]string, string) {
	t.Helper()
	list, err := c.StorageIndexList(ctx, as, name, query, limit, order, cursor)
	if err != nil {
		t.Fatalf("list %q: %v", query, err)
	}
	keys := make([]string, len(list.Objects))
	for i, o := range list.Objects {
		keys[i] = o.Key
	}
	return keys, list.Cursor
}

func writeObjects(t *testing.T, c *core.Core, owner uuid.UUID, values map[string]string) {
	t.Helper()
	var ws []core.StorageWrite
	for key, v := range values {
		ws = append(ws, core.StorageWrite{Collection: "heroes", Key: key, UserID: owner, Value: v, PermissionRead: perm(2), PermissionWrite: perm(1)})
	}
	if _, err := c.StorageWrite(ctx, core.AsServer(), ws); err != nil {
		t.Fatal(err)
	}
}

func TestStorageIndexLoadQueryAndOrder(t *testing.T) {
	t.Parallel()
	c, pool := newStorageCore(t)
	users := newUsers(t, pool, 2)
	// Objects written before the index exists are loaded at start.
	writeObjects(t, c, users[0], map[string]string{
		"ann":  `{"class":"mage","level":10,"guild":{"name":"owls"}}`,
		"bob":  `{"class":"knight","level":3}`,
		"cid":  `{"class":"mage","level":7,"tags":["pvp","raid"]}`,
		"none": `{"other":1}`, // none of the index's fields: not indexed
	})
	if _, err := c.StorageWrite(ctx, core.AsServer(), []core.StorageWrite{{Collection: "villains", Key: "x", UserID: users[0], Value: `{"class":"mage"}`}}); err != nil {
		t.Fatal(err)
	}
	must(t, c.StorageIndexCreate(core.StorageIndexConfig{
		Name: "heroes", Collection: "heroes", Fields: []string{"class", "level", "guild", "tags"},
		SortableFields: []string{"level"}, MaxEntries: 100,
	}))
	must(t, c.StorageIndexLoad(ctx))

	for _, tc := range []struct {
		query string
		order []string
		want  []string
	}{
		{"", nil, []string{"ann", "bob", "cid"}},
		{"+value.class:mage", nil, []string{"ann", "cid"}},
		{"+value.class:mage", []string{"-value.level"}, []string{"ann", "cid"}},
		{"*", []string{"level"}, []string{"bob", "cid", "ann"}},
		{"+value.level:>=5 -value.tags:pvp", nil, []string{"ann"}},
		{"value.guild.name:owls value.tags:raid", []string{"-level"}, []string{"ann", "cid"}},
		{"value.class:nobody", nil, []string{}},
		{"+value.level:3", nil, []string{"bob"}},               // an exact number, from the postings
		{"+value.class:mage +key:cid", nil, []string{"cid"}},   // the most selective posting
		{"+value.class:mage -key:cid", nil, []string{"ann"}},   // postings, then the rest of the query
		{"+value.nothing:x value.class:mage", nil, []string{}}, // a field no object has
		{`+value.guild.name:"owls"`, nil, []string{"ann"}},
	} {
		got, cursor := indexKeys(t, c, core.AsServer(), "heroes", tc.query, 10, tc.order, "")
		if diff := cmp.Diff(tc.want, got); diff != "" || cursor != "" {
			t.Errorf("%q %v (-want +got):\n%s cursor %q", tc.query, tc.order, diff, cursor)
		}
	}

	// Writes, multi updates and deletes keep the index current.
	writeObjects(t, c, users[1], map[string]string{"dee": `{"class":"mage","level":12}`})
	writeObjects(t, c, users[0], map[string]string{"bob": `{"class":"mage","level":4}`})
	if _, _, err := c.MultiUpdate(ctx, nil, []core.StorageWrite{{Collection: "heroes", Key: "eve", UserID: users[1], Value: `{"class":"mage","level":1}`}},
		[]core.StorageDelete{{Collection: "heroes", Key: "cid", UserID: users[0]}}, nil, false); err != nil {
		t.Fatal(err)
	}
	got, _ := indexKeys(t, c, core.AsServer(), "heroes", "+value.class:mage", 10, []string{"-level"}, "")
	if diff := cmp.Diff([]string{"dee", "ann", "bob", "eve"}, got); diff != "" {
		t.Fatalf("after writes (-want +got):\n%s", diff)
	}
	must(t, c.StorageDelete(ctx, core.AsServer(), []core.StorageDelete{{Collection: "heroes", Key: "dee", UserID: users[1]}}))
	// Values come from the database, current.
	list, err := c.StorageIndexList(ctx, core.AsServer(), "heroes", "value.level:4", 10, nil, "")
	must(t, err)
	if len(list.Objects) != 1 || list.Objects[0].Value != `{"class": "mage", "level": 4}` || list.Objects[0].UserID != users[0] {
		t.Fatalf("bob: %+v", list.Objects)
	}

	// Paging: every object once, in order, whatever the page size.
	for limit := 1; limit <= 4; limit++ {
		var all []string
		cursor := ""
		for page := 0; page < 10; page++ {
			keys, next := indexKeys(t, c, core.AsServer(), "heroes", "", limit, []string{"-level"}, cursor)
			all = append(all, keys...)
			if cursor = next; cursor == "" {
				break
			}
		}
		if diff := cmp.Diff([]string{"ann", "bob", "eve"}, all); diff != "" {
			t.Errorf("limit %d (-want +got):\n%s", limit, diff)
		}
	}
	_, cursor := indexKeys(t, c, core.AsServer(), "heroes", "", 1, []string{"-level"}, "")
	wantCode(t, errOf(c.StorageIndexList(ctx, core.AsServer(), "heroes", "", 1, []string{"level"}, cursor)), core.CodeInvalidArgument, "Malformed cursor was used.")
	wantCode(t, errOf(c.StorageIndexList(ctx, core.AsServer(), "heroes", "*", 1, []string{"-level"}, cursor)), core.CodeInvalidArgument, "Malformed cursor was used.")
	wantCode(t, errOf(c.StorageIndexList(ctx, core.AsServer(), "heroes", "", 1, nil, "garbage")), core.CodeInvalidArgument, "Malformed cursor was used.")

	wantCode(t, errOf(c.StorageIndexList(ctx, core.AsServer(), "nope", "", 1, nil, "")), core.CodeNotFound, "Storage index not found.")
	wantCode(t, errOf(c.StorageIndexList(ctx, core.AsServer(), "heroes", "", 0, nil, "")), core.CodeInvalidArgument, "Invalid limit - limit must be between 1 and 10000.")
	wantCode(t, errOf(c.StorageIndexList(ctx, core.AsServer(), "heroes", "", 1, []string{"class"}, "")), core.CodeInvalidArgument, "Invalid order - each field must be sortable in this index.")
	wantCode(t, errOf(c.StorageIndexList(ctx, core.AsServer(), "heroes", `value.class:"open`, 1, nil, "")), core.CodeInvalidArgument, "Invalid query: unterminated \" at position 12.")
}

func TestStorageIndexPermissionsKeyFilterAndIndexOnly(t *testing.T) {
	t.Parallel()
	c, pool := newStorageCore(t)
	users := newUsers(t, pool, 2)
	a, b := users[0], users[1]
	must(t, c.StorageIndexCreate(core.StorageIndexConfig{Name: "saves", Collection: "saves", Key: "slot", Fields: []string{"hp"}, MaxEntries: 100, IndexOnly: true}))
	must(t, c.StorageIndexCreate(core.StorageIndexConfig{Name: "all", Collection: "saves", Fields: []string{"hp"}, MaxEntries: 100}))
	c.StorageIndexFilterSet("all", func(_ context.Context, o core.StorageObject) bool { return o.Key != "hidden" })
	must(t, c.StorageIndexLoad(ctx))
	write := func(owner uuid.UUID, key string, read int32, value string) {
		t.Helper()
		if _, err := c.StorageWrite(ctx, core.AsServer(), []core.StorageWrite{{Collection: "saves", Key: key, UserID: owner, Value: value, PermissionRead: perm(read), PermissionWrite: perm(1)}}); err != nil {
			t.Fatal(err)
		}
	}
	write(a, "slot", 1, `{"hp":1,"gold":5}`)
	write(b, "slot", 2, `{"hp":2}`)
	write(b, "other", 2, `{"hp":3}`)
	write(b, "hidden", 2, `{"hp":4}`)
	write(b, "secret", 0, `{"hp":5}`)

	owners := func(as core.Access, name string) []string {
		t.Helper()
		list, err := c.StorageIndexList(ctx, as, name, "", 10, nil, "")
		must(t, err)
		var out []string
		for _, o := range list.Objects {
			who := "a"
			if o.UserID == b {
				who = "b"
			}
			out = append(out, who+"/"+o.Key)
		}
		sort.Strings(out) // owners are random ids: the listing's order is theirs
		return out
	}
	if diff := cmp.Diff([]string{"a/slot", "b/slot"}, owners(core.AsServer(), "saves")); diff != "" {
		t.Errorf("key index (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a/slot", "b/other", "b/secret", "b/slot"}, owners(core.AsServer(), "all")); diff != "" {
		t.Errorf("filtered index as server (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a/slot", "b/other", "b/slot"}, owners(core.AsUser(a), "all")); diff != "" {
		t.Errorf("as a (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b/other", "b/slot"}, owners(core.AsUser(b), "all")); diff != "" {
		t.Errorf("as b (-want +got):\n%s", diff)
	}
	// Index-only: the value is the kept fields.
	list, err := c.StorageIndexList(ctx, core.AsServer(), "saves", "value.hp:1", 10, nil, "")
	must(t, err)
	if len(list.Objects) != 1 || list.Objects[0].Value != `{"hp":1}` || list.Objects[0].PermissionRead != 1 || list.Objects[0].Version == "" {
		t.Fatalf("index-only: %+v", list.Objects)
	}
	// The filter refusing a later write takes the object out.
	write(b, "other", 2, `{"hp":3}`)
	c.StorageIndexFilterSet("all", func(_ context.Context, o core.StorageObject) bool { return o.Key != "other" })
	write(b, "other", 2, `{"hp":33}`)
	if diff := cmp.Diff([]string{"a/slot", "b/secret", "b/slot"}, owners(core.AsServer(), "all")); diff != "" {
		t.Errorf("after the filter refused a write (-want +got):\n%s", diff)
	}
	// Deleting an account takes its objects out of every index, index-only ones
	// included: the database dropped them with the account, with no storage delete.
	must(t, c.AccountDelete(ctx, a, false))
	if diff := cmp.Diff([]string{"b/slot"}, owners(core.AsServer(), "saves")); diff != "" {
		t.Errorf("index-only after a's account was deleted (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b/secret", "b/slot"}, owners(core.AsServer(), "all")); diff != "" {
		t.Errorf("after a's account was deleted (-want +got):\n%s", diff)
	}

	wantCode(t, c.StorageIndexCreate(core.StorageIndexConfig{Name: "all", Collection: "x", Fields: []string{"f"}, MaxEntries: 1}), core.CodeAlreadyExists, `cannot create index: index with name "all" already exists`)
	for cfg, message := range map[*core.StorageIndexConfig]string{
		{Collection: "x", Fields: []string{"f"}, MaxEntries: 1}: "storage index 'name' must be set",
		{Name: "n", Fields: []string{"f"}, MaxEntries: 1}:       "storage index 'collection' must be set",
		{Name: "n", Collection: "x", Fields: []string{"f"}}:     "storage index 'max_entries' must be > 0",
		{Name: "n", Collection: "x", MaxEntries: 1}:             "storage index 'fields' must contain at least one top level key to index",
	} {
		wantCode(t, c.StorageIndexCreate(*cfg), core.CodeInvalidArgument, message)
	}
}

// TestStorageIndexWriteRacesAccountDelete: a write that committed before its owner's
// account was deleted (the database then dropped the object with the account) but
// reaches the index only after the deletion cleaned it does not put the object back.
// The index's filter holds the write between its commit and its index update.
func TestStorageIndexWriteRacesAccountDelete(t *testing.T) {
	t.Parallel()
	c, pool := newStorageCore(t)
	must(t, c.StorageIndexCreate(core.StorageIndexConfig{Name: "racy", Collection: "racy", Fields: []string{"n"}, MaxEntries: 100, IndexOnly: true}))
	held, release := make(chan struct{}), make(chan struct{})
	c.StorageIndexFilterSet("racy", func(_ context.Context, o core.StorageObject) bool {
		if o.Key == "held" {
			held <- struct{}{}
			<-release
		}
		return true
	})
	must(t, c.StorageIndexLoad(ctx))
	object := func(owner uuid.UUID, key string) core.StorageWrite {
		return core.StorageWrite{Collection: "racy", Key: key, UserID: owner, Value: `{"n":1}`, PermissionRead: perm(2)}
	}
	for _, tc := range []struct {
		name  string
		write func(owner uuid.UUID) error
	}{
		{"storage write", func(owner uuid.UUID) error {
			_, err := c.StorageWrite(ctx, core.AsServer(), []core.StorageWrite{object(owner, "held")})
			return err
		}},
		{"storage write batch", func(owner uuid.UUID) error {
			_, err := c.StorageWrite(ctx, core.AsServer(), []core.StorageWrite{object(owner, "held"), object(owner, "other")})
			return err
		}},
		{"multi update", func(owner uuid.UUID) error {
			_, _, err := c.MultiUpdate(ctx, nil, []core.StorageWrite{object(owner, "held")}, nil, nil, false)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			users := newUsers(t, pool, 2)
			deleted, alive := users[0], users[1]
			written := make(chan error, 1)
			go func() { written <- tc.write(deleted) }()
			<-held // committed, not indexed yet
			must(t, c.AccountDelete(ctx, deleted, false))
			release <- struct{}{}
			must(t, <-written)
			storageWriteOK(t, c, core.AsServer(), object(alive, "live"))

			list, err := c.StorageIndexList(ctx, core.AsServer(), "racy", "", 100, nil, "")
			must(t, err)
			var owners []uuid.UUID
			for _, o := range list.Objects {
				owners = append(owners, o.UserID)
			}
			if diff := cmp.Diff([]uuid.UUID{alive}, owners); diff != "" {
				t.Errorf("index after the account was deleted (-want +got):\n%s", diff)
			}
			must(t, c.StorageDelete(ctx, core.AsServer(), []core.StorageDelete{{Collection: "racy", Key: "live", UserID: alive}}))
		})
	}
}

func TestStorageIndexMaxEntries(t *testing.T) {
	t.Parallel()
	c, pool := newStorageCore(t)
	owner := newUsers(t, pool, 1)[0]
	for i := range 30 {
		writeObjects(t, c, owner, map[string]string{fmt.Sprintf("old%02d", i): `{"n":1}`})
	}
	must(t, c.StorageIndexCreate(core.StorageIndexConfig{Name: "small", Collection: "heroes", Fields: []string{"n"}, MaxEntries: 10}))
	must(t, c.StorageIndexLoad(ctx))
	got, _ := indexKeys(t, c, core.AsServer(), "small", "", 100, nil, "")
	if len(got) != 10 || got[0] != "old00" {
		t.Fatalf("loaded %d (%v), want the first 10", len(got), got)
	}
	// Past a tenth over the maximum, the least recently updated go.
	for i := range 2 {
		writeObjects(t, c, owner, map[string]string{fmt.Sprintf("new%02d", i): `{"n":2}`})
	}
	got, _ = indexKeys(t, c, core.AsServer(), "small", "", 100, nil, "")
	if len(got) != 10 {
		t.Fatalf("after eviction %d entries: %v", len(got), got)
	}
	newest, _ := indexKeys(t, c, core.AsServer(), "small", "value.n:2", 100, nil, "")
	if diff := cmp.Diff([]string{"new00", "new01"}, newest); diff != "" {
		t.Fatalf("the newest must stay (-want +got):\n%s", diff)
	}
}

// newStorageCore is a started Core on a database of its own, and its pool.
func newStorageCore(t *testing.T) (*core.Core, *pgxpool.Pool) {
	t.Helper()
	c, _, pool := newCoreWithPool(t)
	return c, pool
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
