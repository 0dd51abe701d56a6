package core_test

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
)

// poolCore returns a Core on a fresh database of its own whose pool holds up to conns
// connections (concurrency tests need more than pgxpool's default of four), and the pool.
func poolCore(t testing.TB, conns int32) (*core.Core, *pgxpool.Pool) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = conns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return core.New(core.Options{Pool: pool}), pool
}

// newUsers inserts n accounts directly and returns their ids.
func newUsers(t testing.TB, pool *pgxpool.Pool, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	names := make([]string, n)
	for i := range ids {
		ids[i] = uuid.New()
		names[i] = "user-" + ids[i].String()
	}
	if _, err := pool.Exec(ctx, "INSERT INTO users (id, username) SELECT unnest($1::uuid[]), unnest($2::text[])", ids, names); err != nil {
		t.Fatal(err)
	}
	return ids
}

func perm(n int32) *int32 { return &n }

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// storageWriteOK writes as the given access and fails the test on error.
func storageWriteOK(t *testing.T, c *core.Core, as core.Access, writes ...core.StorageWrite) []core.StorageAck {
	t.Helper()
	acks, err := c.StorageWrite(ctx, as, writes)
	if err != nil {
		t.Fatalf("write %+v: %v", writes, err)
	}
	return acks
}

// readOne reads one object as the given access; ok is false when it is not visible.
func readOne(t *testing.T, c *core.Core, as core.Access, collection, key string, owner uuid.UUID) (core.StorageObject, bool) {
	t.Helper()
	objs, err := c.StorageRead(ctx, as, []core.StorageObjectID{{Collection: collection, Key: key, UserID: owner}})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) > 1 {
		t.Fatalf("read of one id returned %d objects", len(objs))
	}
	if len(objs) == 0 {
		return core.StorageObject{}, false
	}
	return objs[0], true
}

func TestStorageWriteAndRead(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	u := newUsers(t, pool, 1)[0]
	value := `{"b": 1,"a":[1, 2.50,   {"z":null}], "long key":"x"}`
	before := time.Now()
	acks := storageWriteOK(t, c, core.AsUser(u), core.StorageWrite{Collection: "saves", Key: "slot1", Value: value})
	if len(acks) != 1 {
		t.Fatalf("acks = %+v", acks)
	}
	a := acks[0]
	// The version is the MD5 of the value as written, not of jsonb's rendering of it.
	want := core.StorageAck{Collection: "saves", Key: "slot1", UserID: u, Version: md5hex(value)}
	if diff := cmp.Diff(want, a, cmpopts.IgnoreFields(core.StorageAck{}, "CreateTime", "UpdateTime")); diff != "" {
		t.Fatalf("ack (-want +got):\n%s", diff)
	}
	if !a.CreateTime.Equal(a.UpdateTime) || a.CreateTime.Before(before.Add(-time.Minute)) || a.CreateTime.After(time.Now().Add(time.Minute)) {
		t.Fatalf("ack times %v / %v", a.CreateTime, a.UpdateTime)
	}

	got, ok := readOne(t, c, core.AsUser(u), "saves", "slot1", u)
	if !ok {
		t.Fatal("owner cannot read its default-permission object")
	}
	wantObj := core.StorageObject{
		Collection: "saves", Key: "slot1", UserID: u,
		// jsonb's rendering: keys by length then bytes, normalised spacing and numbers kept as written.
		Value:          `{"a": [1, 2.50, {"z": null}], "b": 1, "long key": "x"}`,
		Version:        md5hex(value),
		PermissionRead: core.StorageReadOwner, PermissionWrite: core.StorageWriteOwner,
		CreateTime: a.CreateTime, UpdateTime: a.UpdateTime,
	}
	if diff := cmp.Diff(wantObj, got, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Fatalf("object (-want +got):\n%s", diff)
	}

	// Reads come back in the order asked, each once; missing ids are left out.
	storageWriteOK(t, c, core.AsUser(u), core.StorageWrite{Collection: "saves", Key: "slot2", Value: `{}`})
	objs, err := c.StorageRead(ctx, core.AsUser(u), []core.StorageObjectID{
		{Collection: "saves", Key: "slot2", UserID: u},
		{Collection: "saves", Key: "missing", UserID: u},
		{Collection: "saves", Key: "slot1", UserID: u},
		{Collection: "saves", Key: "slot2", UserID: u},
		{Collection: "saves", Key: strings.Repeat("k", 200), UserID: u},
		{Collection: "saves\x00", Key: "slot1", UserID: u},
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	if diff := cmp.Diff([]string{"slot2", "slot1"}, keys); diff != "" {
		t.Fatalf("read order (-want +got):\n%s", diff)
	}
	if _, err := c.StorageRead(ctx, core.AsUser(u), []core.StorageObjectID{{Collection: "saves", Key: ""}}); err == nil {
		t.Fatal("read with an empty key was accepted")
	}
}

// TestStoragePermissionMatrix checks every read/write permission pair against the owner,
// another user and the server, for read, list, write and delete.
func TestStoragePermissionMatrix(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	users := newUsers(t, pool, 2)
	owner, other := users[0], users[1]
	type actor struct {
		name string
		as   core.Access
	}
	actors := []actor{{"owner", core.AsUser(owner)}, {"other", core.AsUser(other)}, {"server", core.AsServer()}}
	for read := int32(0); read <= 2; read++ {
		for write := int32(0); write <= 1; write++ {
			for _, a := range actors {
				name := fmt.Sprintf("read%d-write%d-%s", read, write, a.name)
				t.Run(name, func(t *testing.T) {
					collection := "matrix-" + name
					storageWriteOK(t, c, core.AsServer(), core.StorageWrite{Collection: collection, Key: "k", UserID: owner, Value: `{"v":0}`,
						PermissionRead: perm(read), PermissionWrite: perm(write)})

					// Read.
					wantRead := a.name == "server" || read == 2 || (read == 1 && a.name == "owner")
					if _, ok := readOne(t, c, a.as, collection, "k", owner); ok != wantRead {
						t.Errorf("read visible = %v, want %v", ok, wantRead)
					}

					// List the owner's objects, and the collection across owners.
					ownerList, err := c.StorageList(ctx, a.as, &owner, collection, 100, "")
					if err != nil {
						t.Fatal(err)
					}
					if got := len(ownerList.Objects) == 1; got != wantRead {
						t.Errorf("owner listing shows it = %v, want %v", got, wantRead)
					}
					all, err := c.StorageList(ctx, a.as, nil, collection, 100, "")
					if err != nil {
						t.Fatal(err)
					}
					wantAll := a.name == "server" || read == 2
					if got := len(all.Objects) == 1; got != wantAll {
						t.Errorf("collection listing shows it = %v, want %v", got, wantAll)
					}

					// Write: a user always writes into its own namespace, so only the owner
					// can reach the object, and only when it is owner-writable.
					_, err = c.StorageWrite(ctx, a.as, []core.StorageWrite{{Collection: collection, Key: "k", UserID: owner, Value: `{"v":1}`,
						PermissionRead: perm(read), PermissionWrite: perm(write)}})
					switch {
					case a.name == "owner" && write == 0:
						wantCode(t, err, core.CodeInvalidArgument, "Storage write rejected - permission denied.")
					case err != nil:
						t.Fatalf("write: %v", err)
					}
					stored, _ := readOne(t, c, core.AsServer(), collection, "k", owner)
					wantValue := `{"v": 0}`
					if a.name == "server" || (a.name == "owner" && write == 1) {
						wantValue = `{"v": 1}`
					}
					if stored.Value != wantValue {
						t.Errorf("after write the owner's object is %s, want %s", stored.Value, wantValue)
					}
					if a.name == "other" {
						mine, ok := readOne(t, c, core.AsServer(), collection, "k", other)
						if !ok || mine.Value != `{"v": 1}` {
							t.Errorf("the other user's write did not land in its own namespace: %+v %v", mine, ok)
						}
					}

					// Delete: a user deletes in its own namespace too (the other user's own
					// copy, written above with the same permissions), never the owner's.
					err = c.StorageDelete(ctx, a.as, []core.StorageDelete{{Collection: collection, Key: "k", UserID: owner}})
					wantDeleted := a.name == "server" || (a.name == "owner" && write == 1)
					if a.name != "server" && write == 0 {
						wantCode(t, err, core.CodeInvalidArgument, "Storage delete rejected - not found, version check failed, or permission denied.")
					} else if err != nil {
						t.Fatalf("delete: %v", err)
					}
					if _, ok := readOne(t, c, core.AsServer(), collection, "k", owner); ok == wantDeleted {
						t.Errorf("after delete the object exists = %v, want %v", ok, !wantDeleted)
					}
				})
			}
		}
	}
}

func TestStorageVersions(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	u := newUsers(t, pool, 1)[0]
	me := core.AsUser(u)
	write := func(key, value, version string, p ...int32) error {
		w := core.StorageWrite{Collection: "v", Key: key, Value: value, Version: version}
		if len(p) == 2 {
			w.PermissionRead, w.PermissionWrite = perm(p[0]), perm(p[1])
		}
		_, err := c.StorageWrite(ctx, me, []core.StorageWrite{w})
		return err
	}
	valueOf := func(key string) string {
		o, _ := readOne(t, c, core.AsServer(), "v", key, u)
		return o.Value
	}
	const rejectedVersion = "Storage write rejected - version check failed."
	const rejectedPermission = "Storage write rejected - permission denied."

	// "*": only when absent.
	if err := write("a", `{"n":1}`, "*"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, write("a", `{"n":2}`, "*"), core.CodeInvalidArgument, rejectedVersion)
	if valueOf("a") != `{"n": 1}` {
		t.Fatalf("a refused if-none-match write changed the object: %s", valueOf("a"))
	}

	// A hash: only when it matches.
	wantCode(t, write("a", `{"n":3}`, md5hex(`{"n":2}`)), core.CodeInvalidArgument, rejectedVersion)
	if err := write("a", `{"n":3}`, md5hex(`{"n":1}`)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, write("a", `{"n":4}`, md5hex(`{"n":1}`)), core.CodeInvalidArgument, rejectedVersion) // stale now
	wantCode(t, write("missing", `{"n":1}`, md5hex(`{"n":1}`)), core.CodeInvalidArgument, rejectedVersion)
	wantCode(t, write("a", `{"n":4}`, "not\x00a-version"), core.CodeInvalidArgument, rejectedVersion)
	if valueOf("a") != `{"n": 3}` || valueOf("missing") != "" {
		t.Fatalf("refused if-match writes changed something: a=%s missing=%s", valueOf("a"), valueOf("missing"))
	}

	// "": always, and the ack carries the new version.
	acks, err := c.StorageWrite(ctx, me, []core.StorageWrite{{Collection: "v", Key: "a", Value: `{"n":5}`}})
	if err != nil || acks[0].Version != md5hex(`{"n":5}`) {
		t.Fatalf("unconditional write: %+v %v", acks, err)
	}

	// Rewriting what is stored changes nothing, update_time included (Nakama's no-op).
	first := acks[0]
	time.Sleep(5 * time.Millisecond)
	again, err := c.StorageWrite(ctx, me, []core.StorageWrite{{Collection: "v", Key: "a", Value: `{"n":5}`}})
	if err != nil || !again[0].UpdateTime.Equal(first.UpdateTime) || !again[0].CreateTime.Equal(first.CreateTime) {
		t.Fatalf("identical rewrite: %+v (first %+v) %v", again, first, err)
	}
	// A permission change alone is a change.
	changed, err := c.StorageWrite(ctx, me, []core.StorageWrite{{Collection: "v", Key: "a", Value: `{"n":5}`, PermissionRead: perm(2)}})
	if err != nil || !changed[0].UpdateTime.After(first.UpdateTime) || !changed[0].CreateTime.Equal(first.CreateTime) {
		t.Fatalf("permission change: %+v (first %+v) %v", changed, first, err)
	}

	// A server-only object refuses its owner: for permission when it exists, whatever
	// the version; "*" is a version refusal, as in Nakama.
	if err := write("locked", `{"n":1}`, "", 1, 0); err != nil {
		t.Fatal(err)
	}
	wantCode(t, write("locked", `{"n":2}`, ""), core.CodeInvalidArgument, rejectedPermission)
	wantCode(t, write("locked", `{"n":2}`, md5hex(`{"n":1}`)), core.CodeInvalidArgument, rejectedPermission)
	wantCode(t, write("locked", `{"n":2}`, md5hex(`{"other":1}`)), core.CodeInvalidArgument, rejectedPermission)
	wantCode(t, write("locked", `{"n":2}`, "*"), core.CodeInvalidArgument, rejectedVersion)
	wantCode(t, write("locked", `{"n":1}`, "", 1, 0), core.CodeInvalidArgument, rejectedPermission) // even an identical rewrite
	if valueOf("locked") != `{"n": 1}` {
		t.Fatalf("server-only object changed: %s", valueOf("locked"))
	}
	// The server writes it, conditionally too.
	if _, err := c.StorageWrite(ctx, core.AsServer(), []core.StorageWrite{{Collection: "v", Key: "locked", UserID: u, Value: `{"n":9}`, Version: md5hex(`{"n":1}`), PermissionRead: perm(1), PermissionWrite: perm(0)}}); err != nil {
		t.Fatal(err)
	}
	if valueOf("locked") != `{"n": 9}` {
		t.Fatalf("server write to a server-only object: %s", valueOf("locked"))
	}

	// Conditional deletes.
	const rejectedDelete = "Storage delete rejected - not found, version check failed, or permission denied."
	wantCode(t, c.StorageDelete(ctx, me, []core.StorageDelete{{Collection: "v", Key: "a", Version: md5hex(`{"n":1}`)}}), core.CodeInvalidArgument, rejectedDelete)
	if err := c.StorageDelete(ctx, me, []core.StorageDelete{{Collection: "v", Key: "a", Version: md5hex(`{"n":5}`)}}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, c.StorageDelete(ctx, me, []core.StorageDelete{{Collection: "v", Key: "a"}}), core.CodeInvalidArgument, rejectedDelete) // gone
	// The server deleting nothing is fine unless it named a version.
	if err := c.StorageDelete(ctx, core.AsServer(), []core.StorageDelete{{Collection: "v", Key: "a", UserID: u}}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, c.StorageDelete(ctx, core.AsServer(), []core.StorageDelete{{Collection: "v", Key: "a", UserID: u, Version: "x"}}), core.CodeInvalidArgument, rejectedDelete)
	wantCode(t, c.StorageDelete(ctx, me, []core.StorageDelete{{Collection: "v"}}), core.CodeInvalidArgument, "Invalid collection or key value supplied. They must be set.")
}

func TestStorageBatchesAreAtomic(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	users := newUsers(t, pool, 3)
	me := core.AsUser(users[0])
	storageWriteOK(t, c, me, core.StorageWrite{Collection: "b", Key: "exists", Value: `{"v":"old"}`})

	// The third object fails its version check: nothing of the batch is written.
	_, err := c.StorageWrite(ctx, me, []core.StorageWrite{
		{Collection: "b", Key: "new1", Value: `{"v":1}`},
		{Collection: "b", Key: "exists", Value: `{"v":"new"}`},
		{Collection: "b", Key: "exists", Value: `{"v":"again"}`, Version: "*"},
	})
	wantCode(t, err, core.CodeInvalidArgument, "Storage write rejected - version check failed.")
	if _, ok := readOne(t, c, me, "b", "new1", users[0]); ok {
		t.Fatal("a failed batch wrote its first object")
	}
	if o, _ := readOne(t, c, me, "b", "exists", users[0]); o.Value != `{"v": "old"}` {
		t.Fatalf("a failed batch changed an object: %s", o.Value)
	}
	// A value error late in the batch also stops everything, before any SQL runs.
	_, err = c.StorageWrite(ctx, me, []core.StorageWrite{{Collection: "b", Key: "new1", Value: `{}`}, {Collection: "b", Key: "new2", Value: `[1]`}})
	wantCode(t, err, core.CodeInvalidArgument, "Value must be a JSON object.")
	// And one PostgreSQL refuses.
	_, err = c.StorageWrite(ctx, me, []core.StorageWrite{{Collection: "b", Key: "new1", Value: `{}`}, {Collection: "b", Key: "new2", Value: `{"n":"\u0000"}`}})
	wantCode(t, err, core.CodeInvalidArgument, `Value invalid, it contains a null character (\u0000), an unpaired surrogate escape or a number out of range.`)
	if _, ok := readOne(t, c, me, "b", "new1", users[0]); ok {
		t.Fatal("a failed batch wrote its first object")
	}

	// Acks come back in request order though writes run sorted; a repeated object ends
	// with the last value given.
	acks := storageWriteOK(t, c, me,
		core.StorageWrite{Collection: "b", Key: "z", Value: `{"v":1}`},
		core.StorageWrite{Collection: "a", Key: "y", Value: `{"v":2}`},
		core.StorageWrite{Collection: "b", Key: "z", Value: `{"v":3}`},
	)
	if acks[0].Key != "z" || acks[1].Key != "y" || acks[2].Key != "z" || acks[2].Version != md5hex(`{"v":3}`) {
		t.Fatalf("acks = %+v", acks)
	}
	if o, _ := readOne(t, c, me, "b", "z", users[0]); o.Value != `{"v": 3}` {
		t.Fatalf("repeated object = %s", o.Value)
	}

	// The server writes for several users in one batch.
	acks = storageWriteOK(t, c, core.AsServer(),
		core.StorageWrite{Collection: "inbox", Key: "msg", UserID: users[1], Value: `{"to":1}`},
		core.StorageWrite{Collection: "inbox", Key: "msg", UserID: users[2], Value: `{"to":2}`},
		core.StorageWrite{Collection: "inbox", Key: "msg", Value: `{"to":"system"}`},
	)
	if acks[0].UserID != users[1] || acks[1].UserID != users[2] || acks[2].UserID != uuid.Nil {
		t.Fatalf("server acks = %+v", acks)
	}
	if o, ok := readOne(t, c, core.AsUser(users[2]), "inbox", "msg", users[2]); !ok || o.Value != `{"to": 2}` {
		t.Fatalf("user 2's object = %+v %v", o, ok)
	}

	// Deletes: one refused object keeps every object.
	err = c.StorageDelete(ctx, me, []core.StorageDelete{{Collection: "b", Key: "z"}, {Collection: "b", Key: "nope"}})
	wantCode(t, err, core.CodeInvalidArgument, "Storage delete rejected - not found, version check failed, or permission denied.")
	if _, ok := readOne(t, c, me, "b", "z", users[0]); !ok {
		t.Fatal("a failed delete batch deleted its first object")
	}
	if err := c.StorageDelete(ctx, me, []core.StorageDelete{{Collection: "b", Key: "z"}, {Collection: "a", Key: "y"}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := readOne(t, c, me, "b", "z", users[0]); ok {
		t.Fatal("delete batch left an object")
	}
}

func TestStorageWriteValidation(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	u := newUsers(t, pool, 1)[0]
	long := strings.Repeat("é", 129)
	tests := []struct {
		name    string
		w       core.StorageWrite
		message string
	}{
		{"no collection", core.StorageWrite{Key: "k", Value: `{}`}, "Invalid collection or key value supplied. They must be set."},
		{"no key", core.StorageWrite{Collection: "c", Value: `{}`}, "Invalid collection or key value supplied. They must be set."},
		{"no value", core.StorageWrite{Collection: "c", Key: "k"}, "Invalid collection or key value supplied. They must be set."},
		{"read 3", core.StorageWrite{Collection: "c", Key: "k", Value: `{}`, PermissionRead: perm(3)}, "Invalid Read permission supplied. It must be either 0, 1 or 2."},
		{"read -1", core.StorageWrite{Collection: "c", Key: "k", Value: `{}`, PermissionRead: perm(-1)}, "Invalid Read permission supplied. It must be either 0, 1 or 2."},
		{"write 2", core.StorageWrite{Collection: "c", Key: "k", Value: `{}`, PermissionWrite: perm(2)}, "Invalid Write permission supplied. It must be either 0 or 1."},
		{"array", core.StorageWrite{Collection: "c", Key: "k", Value: `[{}]`}, "Value must be a JSON object."},
		{"string", core.StorageWrite{Collection: "c", Key: "k", Value: `"{}"`}, "Value must be a JSON object."},
		{"number", core.StorageWrite{Collection: "c", Key: "k", Value: `12`}, "Value must be a JSON object."},
		{"not json", core.StorageWrite{Collection: "c", Key: "k", Value: `{a:1}`}, "Value must be a JSON object."},
		{"two values", core.StorageWrite{Collection: "c", Key: "k", Value: `{} {}`}, "Value must be a JSON object."},
		{"spaces", core.StorageWrite{Collection: "c", Key: "k", Value: `   `}, "Value must be a JSON object."},
		{"long collection", core.StorageWrite{Collection: long, Key: "k", Value: `{}`}, "Collection invalid, must be at most 128 characters."},
		{"long key", core.StorageWrite{Collection: "c", Key: long, Value: `{}`}, "Key invalid, must be at most 128 characters."},
		{"nul collection", core.StorageWrite{Collection: "c\x00", Key: "k", Value: `{}`}, "Collection invalid, must be UTF-8 text without null characters."},
		{"bad utf-8 key", core.StorageWrite{Collection: "c", Key: "k\xff", Value: `{}`}, "Key invalid, must be UTF-8 text without null characters."},
		{"nul escape", core.StorageWrite{Collection: "c", Key: "k", Value: `{"a":"x\u0000"}`}, `Value invalid, it contains a null character (\u0000), an unpaired surrogate escape or a number out of range.`},
		{"lone surrogate", core.StorageWrite{Collection: "c", Key: "k", Value: `{"a":"\ud800"}`}, `Value invalid, it contains a null character (\u0000), an unpaired surrogate escape or a number out of range.`},
		{"huge number", core.StorageWrite{Collection: "c", Key: "k", Value: `{"a":1e1000000}`}, `Value invalid, it contains a null character (\u0000), an unpaired surrogate escape or a number out of range.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, as := range []core.Access{core.AsUser(u), core.AsServer()} {
				_, err := c.StorageWrite(ctx, as, []core.StorageWrite{tc.w})
				wantCode(t, err, core.CodeInvalidArgument, tc.message)
			}
		})
	}
	// Exactly 128 characters fit (characters, not bytes); leading whitespace is fine.
	edge := strings.Repeat("é", 128)
	storageWriteOK(t, c, core.AsUser(u), core.StorageWrite{Collection: edge, Key: edge, Value: " \n{\"ok\":true}"})
	if o, ok := readOne(t, c, core.AsUser(u), edge, edge, u); !ok || o.Value != `{"ok": true}` {
		t.Fatalf("128-character names: %+v %v", o, ok)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM storage").Scan(&n); err != nil || n != 1 {
		t.Fatalf("refused writes left %d objects (%v)", n, err)
	}
}

// listAll pages through a listing and returns every object, failing on a page larger
// than limit.
func listAll(t *testing.T, c *core.Core, as core.Access, owner *uuid.UUID, collection string, limit int) []core.StorageObject {
	t.Helper()
	var all []core.StorageObject
	cursor := ""
	for page := 0; ; page++ {
		if page > 10000 {
			t.Fatal("listing does not end")
		}
		list, err := c.StorageList(ctx, as, owner, collection, limit, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Objects) > limit {
			t.Fatalf("page of %d objects with limit %d", len(list.Objects), limit)
		}
		all = append(all, list.Objects...)
		if list.Cursor == "" {
			return all
		}
		if len(list.Objects) < limit {
			t.Fatalf("short page (%d of %d) with a cursor", len(list.Objects), limit)
		}
		cursor = list.Cursor
	}
}

type objKey struct {
	read int32
	key  string
	user uuid.UUID
}

func keysOf(objs []core.StorageObject) []objKey {
	out := make([]objKey, len(objs))
	for i, o := range objs {
		out[i] = objKey{o.PermissionRead, o.Key, o.UserID}
	}
	return out
}

func TestStorageListOrderAndPaging(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	users := newUsers(t, pool, 3)
	slices.SortFunc(users, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	// Every user gets keys k00..k09 at each read permission (in another collection too).
	var writes []core.StorageWrite
	for _, u := range users {
		for i := range 30 {
			r := int32(i % 3)
			writes = append(writes, core.StorageWrite{Collection: "list", Key: fmt.Sprintf("k%02d", i), UserID: u, Value: `{}`, PermissionRead: perm(r)})
			writes = append(writes, core.StorageWrite{Collection: "elsewhere", Key: fmt.Sprintf("k%02d", i), UserID: u, Value: `{}`, PermissionRead: perm(2)})
		}
	}
	storageWriteOK(t, c, core.AsServer(), writes...)
	var expected []objKey
	for _, w := range writes {
		if w.Collection == "list" {
			expected = append(expected, objKey{*w.PermissionRead, w.Key, w.UserID})
		}
	}
	order := func(a, b objKey) int { // read, key, owner
		if a.read != b.read {
			return int(a.read - b.read)
		}
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.user.String(), b.user.String())
	}
	slices.SortFunc(expected, order)
	filter := func(keep func(objKey) bool) []objKey {
		var out []objKey
		for _, k := range expected {
			if keep(k) {
				out = append(out, k)
			}
		}
		return out
	}
	me, them := users[0], users[1]
	tests := []struct {
		name  string
		as    core.Access
		owner *uuid.UUID
		want  []objKey
	}{
		{"public across users", core.AsUser(me), nil, filter(func(k objKey) bool { return k.read == 2 })},
		{"own", core.AsUser(me), &me, filter(func(k objKey) bool { return k.user == me && k.read >= 1 })},
		{"another user's", core.AsUser(me), &them, filter(func(k objKey) bool { return k.user == them && k.read == 2 })},
		{"server, everything", core.AsServer(), nil, expected},
		{"server, one owner", core.AsServer(), &them, filter(func(k objKey) bool { return k.user == them })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, limit := range []int{1, 7, 100} {
				got := keysOf(listAll(t, c, tc.as, tc.owner, "list", limit))
				if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(objKey{})); diff != "" {
					t.Fatalf("limit %d (-want +got):\n%s", limit, diff)
				}
			}
		})
	}

	// A full last page has no cursor; an empty collection lists nothing.
	list, err := c.StorageList(ctx, core.AsUser(me), &me, "list", 20, "")
	if err != nil || len(list.Objects) != 20 || list.Cursor != "" {
		t.Fatalf("exact page: %d objects, cursor %q, %v", len(list.Objects), list.Cursor, err)
	}
	list, err = c.StorageList(ctx, core.AsUser(me), nil, "nothing-here", 10, "")
	if err != nil || len(list.Objects) != 0 || list.Cursor != "" {
		t.Fatalf("empty collection: %+v %v", list, err)
	}

	// Refusals.
	page, _ := c.StorageList(ctx, core.AsUser(me), nil, "list", 1, "")
	ownPage, _ := c.StorageList(ctx, core.AsUser(me), &me, "list", 1, "")
	for _, limit := range []int{0, -1, 101} {
		_, err := c.StorageList(ctx, core.AsUser(me), nil, "list", limit, "")
		wantCode(t, err, core.CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
	}
	for name, cursor := range map[string]string{
		"not base64":           "!!!",
		"truncated":            page.Cursor[:10],
		"garbage":              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"owner cursor for all": ownPage.Cursor,
	} {
		_, err := c.StorageList(ctx, core.AsUser(me), nil, "list", 10, cursor)
		wantCode(t, err, core.CodeInvalidArgument, "Malformed cursor was used.")
		_ = name
	}
	_, err = c.StorageList(ctx, core.AsUser(me), &them, "list", 10, ownPage.Cursor)
	wantCode(t, err, core.CodeInvalidArgument, "Malformed cursor was used.") // another owner's cursor
	// The server may list any number, and 0 lists nothing.
	if list, err := c.StorageList(ctx, core.AsServer(), nil, "list", 0, ""); err != nil || len(list.Objects) != 0 {
		t.Fatalf("server limit 0: %+v %v", list, err)
	}
	if list, err := c.StorageList(ctx, core.AsServer(), nil, "list", 1000, ""); err != nil || len(list.Objects) != 90 || list.Cursor != "" {
		t.Fatalf("server limit 1000: %d %v", len(list.Objects), err)
	}
}

// TestStorageListPagingWithConcurrentInserts pages through a collection while another
// goroutine keeps inserting into it: every object that existed before is returned exactly
// once, and nothing is returned twice.
func TestStorageListPagingWithConcurrentInserts(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 8)
	users := newUsers(t, pool, 4)
	var writes []core.StorageWrite
	for i := range 400 {
		writes = append(writes, core.StorageWrite{Collection: "busy", Key: fmt.Sprintf("key-%04d", i), UserID: users[i%4], Value: `{}`, PermissionRead: perm(2)})
	}
	storageWriteOK(t, c, core.AsServer(), writes...)

	stop := make(chan struct{})
	var inserted atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		r := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 2000; i++ { // bounded
			select {
			case <-stop:
				return
			default:
			}
			key := fmt.Sprintf("key-%04d-%d", r.IntN(400), i) // lands between existing keys
			if _, err := c.StorageWrite(ctx, core.AsServer(), []core.StorageWrite{{Collection: "busy", Key: key, UserID: users[r.IntN(4)], Value: `{}`, PermissionRead: perm(2)}}); err != nil {
				t.Error(err)
				return
			}
			inserted.Add(1)
		}
	})
	seen := map[objKey]int{}
	cursor := ""
	for page := 0; page < 10000; page++ {
		list, err := c.StorageList(ctx, core.AsUser(users[0]), nil, "busy", 7, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keysOf(list.Objects) {
			seen[k]++
		}
		if list.Cursor == "" {
			break
		}
		cursor = list.Cursor
		time.Sleep(time.Millisecond) // let inserts interleave with paging
	}
	close(stop)
	wg.Wait()
	if inserted.Load() == 0 {
		t.Fatal("no concurrent inserts happened")
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%+v returned %d times", k, n)
		}
	}
	for _, w := range writes {
		if seen[objKey{2, w.Key, w.UserID}] != 1 {
			t.Errorf("pre-existing %s/%s returned %d times", w.Key, w.UserID, seen[objKey{2, w.Key, w.UserID}])
		}
	}
	t.Logf("paged %d objects while %d were inserted", len(seen), inserted.Load())
}

// TestStorageConditionalWriteRace: 50 writers holding the same version race to replace
// the object; exactly one wins and the rest are told the version changed.
func TestStorageConditionalWriteRace(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 50)
	u := newUsers(t, pool, 1)[0]
	acks := storageWriteOK(t, c, core.AsUser(u), core.StorageWrite{Collection: "race", Key: "k", Value: `{"winner":-1}`})
	version := acks[0].Version

	for _, tc := range []struct{ name, key, version string }{
		{"if-match", "k", version},
		{"if-none-match", "fresh", "*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const writers = 50
			var wins, rejected atomic.Int64
			winner := make(chan int, writers)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range writers {
				wg.Go(func() {
					<-start
					_, err := c.StorageWrite(ctx, core.AsUser(u), []core.StorageWrite{{Collection: "race", Key: tc.key, Value: fmt.Sprintf(`{"winner":%d}`, i), Version: tc.version}})
					switch {
					case err == nil:
						wins.Add(1)
						winner <- i
					case err == core.ErrStorageRejectedVersion:
						rejected.Add(1)
					default:
						t.Errorf("writer %d: %v", i, err)
					}
				})
			}
			close(start)
			wg.Wait()
			if wins.Load() != 1 || rejected.Load() != writers-1 {
				t.Fatalf("wins %d, rejected %d; want 1 and %d", wins.Load(), rejected.Load(), writers-1)
			}
			o, _ := readOne(t, c, core.AsUser(u), "race", tc.key, u)
			if want := fmt.Sprintf(`{"winner": %d}`, <-winner); o.Value != want {
				t.Fatalf("stored %s, want the winner's %s", o.Value, want)
			}
		})
	}
}
