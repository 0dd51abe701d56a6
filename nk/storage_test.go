package nk_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"
)

func TestStorageWriteReadDelete(t *testing.T) {
	e := newEnv(t)
	id, _ := e.user(t)
	acks, err := e.nk.StorageWrite(ctx, []*runtime.StorageWrite{
		{Collection: "saves", Key: "slot1", UserID: id, Value: `{"hp":10}`, PermissionRead: 1, PermissionWrite: 1},
		{Collection: "config", Key: "global", Value: `{"on":true}`, PermissionRead: 2},
	})
	must(t, err)
	if len(acks) != 2 || acks[0].Version == "" {
		t.Fatalf("acks: %v", acks)
	}
	objs, err := e.nk.StorageRead(ctx, []*runtime.StorageRead{{Collection: "saves", Key: "slot1", UserID: id}, {Collection: "config", Key: "global"}, {Collection: "saves", Key: "missing", UserID: id}})
	must(t, err)
	if len(objs) != 2 || objs[0].Value != `{"hp": 10}` || objs[1].UserId != "00000000-0000-0000-0000-000000000000" {
		t.Fatalf("read: %v", objs)
	}
	// A conditional write against a stale version is refused, and nothing is written.
	_, err = e.nk.StorageWrite(ctx, []*runtime.StorageWrite{{Collection: "saves", Key: "slot1", UserID: id, Value: `{"hp":1}`, Version: "stale"}})
	wantCode(t, err, 3)
	_, err = e.nk.StorageWrite(ctx, []*runtime.StorageWrite{{Collection: "saves", Key: "slot1", UserID: id, Value: `[1]`}})
	wantCode(t, err, 3)
	_, err = e.nk.StorageWrite(ctx, []*runtime.StorageWrite{{Collection: "saves", Key: "x", UserID: badID, Value: `{}`}})
	wantArgError(t, err)

	must(t, e.nk.StorageDelete(ctx, []*runtime.StorageDelete{{Collection: "saves", Key: "slot1", UserID: id}}))
	objs, err = e.nk.StorageRead(ctx, []*runtime.StorageRead{{Collection: "saves", Key: "slot1", UserID: id}})
	must(t, err)
	if len(objs) != 0 {
		t.Fatalf("deleted object still read: %v", objs)
	}
	wantCode(t, e.nk.StorageDelete(ctx, []*runtime.StorageDelete{{Collection: "config", Key: "global", Version: "stale"}}), 3)
	wantArgError(t, e.nk.StorageDelete(ctx, []*runtime.StorageDelete{nil}))
	wantArgError(t, mustErr(e.nk.StorageRead(ctx, []*runtime.StorageRead{{Collection: "a", Key: "b", UserID: badID}})))
}

func TestStorageList(t *testing.T) {
	e := newEnv(t)
	id, _ := e.user(t)
	other, _ := e.user(t)
	for _, key := range []string{"a", "b", "c"} {
		_, err := e.nk.StorageWrite(ctx, []*runtime.StorageWrite{{Collection: "items", Key: key, UserID: id, Value: `{}`, PermissionRead: 1}})
		must(t, err)
	}
	objs, cursor, err := e.nk.StorageList(ctx, "", id, "items", 2, "")
	must(t, err)
	if len(objs) != 2 || cursor == "" {
		t.Fatalf("page 1: %d %q", len(objs), cursor)
	}
	objs, _, err = e.nk.StorageList(ctx, "", id, "items", 2, cursor)
	must(t, err)
	if len(objs) != 1 || objs[0].Key != "c" {
		t.Fatalf("page 2: %v", objs)
	}
	// With a caller, permissions apply: another user sees none of these owner-read objects.
	objs, _, err = e.nk.StorageList(ctx, other, id, "items", 10, "")
	must(t, err)
	if len(objs) != 0 {
		t.Fatalf("another user listed %d owner-read objects", len(objs))
	}
	wantArgError(t, errOf3(e.nk.StorageList(ctx, badID, "", "items", 10, "")))
	wantCode(t, errOf3(e.nk.StorageList(ctx, "", id, "items", 10, "bad cursor")), 3)
}

func TestStorageWriteRetry(t *testing.T) {
	e := newEnv(t)
	id, _ := e.user(t)
	read := []*runtime.StorageRead{{Collection: "counters", Key: "c", UserID: id}}
	increment := func(objs []*api.StorageObject) ([]*runtime.StorageWrite, error) {
		version, value := "*", `{"n":1}`
		if len(objs) == 1 {
			version, value = objs[0].Version, `{"n":2}`
		}
		return []*runtime.StorageWrite{{Collection: "counters", Key: "c", UserID: id, Value: value, Version: version, PermissionRead: 1, PermissionWrite: 1}}, nil
	}
	for range 2 {
		if _, err := e.nk.StorageWriteRetry(ctx, read, increment, 3); err != nil {
			t.Fatal(err)
		}
	}
	objs, err := e.nk.StorageRead(ctx, read)
	must(t, err)
	if len(objs) != 1 || objs[0].Value != `{"n": 2}` {
		t.Fatalf("after retries: %v", objs)
	}
	// A lost version race is retried with a fresh read.
	attempts := 0
	racy := func(objs []*api.StorageObject) ([]*runtime.StorageWrite, error) {
		attempts++
		version := objs[0].Version
		if attempts == 1 {
			version = "stale-version" // as if another writer got there between read and write
		}
		return []*runtime.StorageWrite{{Collection: "counters", Key: "c", UserID: id, Value: `{"n":3}`, Version: version, PermissionRead: 1, PermissionWrite: 1}}, nil
	}
	if _, err := e.nk.StorageWriteRetry(ctx, read, racy, 3); err != nil || attempts != 2 {
		t.Fatalf("retry: %v after %d attempts", err, attempts)
	}
	attempts = 0
	alwaysStale := func(objs []*api.StorageObject) ([]*runtime.StorageWrite, error) {
		attempts++
		return []*runtime.StorageWrite{{Collection: "counters", Key: "c", UserID: id, Value: `{"n":4}`, Version: "stale-version"}}, nil
	}
	_, err = e.nk.StorageWriteRetry(ctx, read, alwaysStale, 3)
	wantCode(t, err, 3)
	if attempts != 3 {
		t.Fatalf("gave up after %d attempts, want 3", attempts)
	}
	boom := errors.New("update refused")
	if _, err := e.nk.StorageWriteRetry(ctx, read, func([]*api.StorageObject) ([]*runtime.StorageWrite, error) { return nil, boom }, 3); !errors.Is(err, boom) {
		t.Fatalf("update function's error: %v", err)
	}
	wantArgError(t, mustErr(e.nk.StorageWriteRetry(ctx, read, nil, 3)))
}

func TestWallet(t *testing.T) {
	e := newEnv(t)
	id, _ := e.user(t)
	updated, previous, err := e.nk.WalletUpdate(ctx, id, map[string]int64{"coins": 100}, map[string]any{"reason": "gift"}, true)
	must(t, err)
	if updated["coins"] != 100 || previous["coins"] != 0 {
		t.Fatalf("update: %v %v", updated, previous)
	}
	_, _, err = e.nk.WalletUpdate(ctx, id, map[string]int64{"coins": -500}, nil, true)
	wantCode(t, err, 9) // would go negative
	_, _, err = e.nk.WalletUpdate(ctx, badID, map[string]int64{"coins": 1}, nil, false)
	wantArgError(t, err)

	other, _ := e.user(t)
	results, err := e.nk.WalletsUpdate(ctx, []*runtime.WalletUpdate{{UserID: id, Changeset: map[string]int64{"gems": 5}}, {UserID: other, Changeset: map[string]int64{"gems": 7}}}, true)
	must(t, err)
	if len(results) != 2 || results[1].Updated["gems"] != 7 {
		t.Fatalf("wallets: %v", results)
	}
	wantArgError(t, mustErr(e.nk.WalletsUpdate(ctx, []*runtime.WalletUpdate{{UserID: badID}}, false)))

	items, cursor, err := e.nk.WalletLedgerList(ctx, id, 1, "")
	must(t, err)
	if len(items) != 1 || cursor == "" || items[0].GetChangeset()["gems"] != 5 || items[0].GetUserID() != id {
		t.Fatalf("ledger page 1: %v %q", items, cursor)
	}
	items, _, err = e.nk.WalletLedgerList(ctx, id, 10, cursor)
	must(t, err)
	if len(items) != 1 || items[0].GetMetadata()["reason"] != "gift" {
		t.Fatalf("ledger page 2: %v", items)
	}
	wantArgError(t, errOf3(e.nk.WalletLedgerList(ctx, id, 101, "")))

	item, err := e.nk.WalletLedgerUpdate(ctx, items[0].GetID(), map[string]any{"note": "checked"})
	must(t, err)
	if item.GetMetadata()["note"] != "checked" {
		t.Fatalf("ledger update: %v", item.GetMetadata())
	}
	wantCode(t, mustErr(e.nk.WalletLedgerUpdate(ctx, unknownID, nil)), 5)
	wantArgError(t, mustErr(e.nk.WalletLedgerUpdate(ctx, badID, nil)))
}

func TestMultiUpdate(t *testing.T) {
	e := newEnv(t)
	id, _ := e.user(t)
	acks, results, err := e.nk.MultiUpdate(ctx,
		[]*runtime.AccountUpdate{{UserID: id, DisplayName: "Multi"}},
		[]*runtime.StorageWrite{{Collection: "m", Key: "k", UserID: id, Value: `{"v":1}`, PermissionRead: 1, PermissionWrite: 1}},
		nil,
		[]*runtime.WalletUpdate{{UserID: id, Changeset: map[string]int64{"coins": 3}}}, true)
	must(t, err)
	if len(acks) != 1 || len(results) != 1 || results[0].Updated["coins"] != 3 {
		t.Fatalf("multi: %v %v", acks, results)
	}
	a, _ := e.nk.AccountGetId(ctx, id)
	if a.User.DisplayName != "Multi" {
		t.Fatalf("display name: %q", a.User.DisplayName)
	}
	// All or nothing: a refused wallet change undoes the storage write.
	_, _, err = e.nk.MultiUpdate(ctx, nil,
		[]*runtime.StorageWrite{{Collection: "m", Key: "k2", UserID: id, Value: `{}`}}, nil,
		[]*runtime.WalletUpdate{{UserID: id, Changeset: map[string]int64{"coins": -100}}}, false)
	wantCode(t, err, 9)
	objs, _ := e.nk.StorageRead(ctx, []*runtime.StorageRead{{Collection: "m", Key: "k2", UserID: id}})
	if len(objs) != 0 {
		t.Fatal("a failed multi-update left a storage write behind")
	}
	_, _, err = e.nk.MultiUpdate(ctx, []*runtime.AccountUpdate{{UserID: badID}}, nil, nil, nil, false)
	wantArgError(t, err)
}

func TestStorageIndexList(t *testing.T) {
	var dupErr, badErr error
	var filterCtxMode any
	module := func(ctx context.Context, _ runtime.Logger, _ *sql.DB, n runtime.NakamaModule, init runtime.Initializer) error {
		// Written before the index exists: the load after InitModule finds it.
		if _, err := n.StorageWrite(ctx, []*runtime.StorageWrite{{Collection: "heroes", Key: "sys", Value: `{"class":"npc","level":1}`, PermissionRead: 2}}); err != nil {
			return err
		}
		must(t, init.RegisterStorageIndex("heroes", "heroes", "", []string{"class", "level"}, []string{"level"}, 100, false))
		must(t, init.RegisterStorageIndex("heroes_only", "heroes", "", []string{"class"}, nil, 100, true))
		dupErr = init.RegisterStorageIndex("heroes", "other", "", []string{"x"}, nil, 1, false)
		badErr = init.RegisterStorageIndex("bad", "other", "", nil, nil, 1, false)
		return init.RegisterStorageIndexFilter("heroes", func(ctx context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, w *runtime.StorageWrite) bool {
			filterCtxMode = ctx.Value(runtime.RUNTIME_CTX_MODE)
			return w.Key != "hidden"
		})
	}
	e := newEnv(t, module)
	wantCode(t, dupErr, 6)
	wantCode(t, badErr, 3)
	a, _ := e.user(t)
	b, _ := e.user(t)
	_, err := e.nk.StorageWrite(ctx, []*runtime.StorageWrite{
		{Collection: "heroes", Key: "ann", UserID: a, Value: `{"class":"mage","level":10}`, PermissionRead: 2, PermissionWrite: 1},
		{Collection: "heroes", Key: "bob", UserID: a, Value: `{"class":"knight","level":3}`, PermissionRead: 1, PermissionWrite: 1},
		{Collection: "heroes", Key: "cid", UserID: b, Value: `{"class":"mage","level":7}`, PermissionRead: 2, PermissionWrite: 1},
		{Collection: "heroes", Key: "hidden", UserID: b, Value: `{"class":"mage","level":99}`, PermissionRead: 2, PermissionWrite: 1},
	})
	must(t, err)
	if filterCtxMode != "storage_index_filter" {
		t.Errorf("filter context mode %v", filterCtxMode)
	}
	keys := func(objs *api.StorageObjects) []string {
		var out []string
		for _, o := range objs.Objects {
			out = append(out, o.Key)
		}
		return out
	}
	npc, _, err := e.nk.StorageIndexList(ctx, "", "heroes", "value.class:npc", 10, nil, "")
	must(t, err)
	if len(npc.Objects) != 1 || npc.Objects[0].Key != "sys" {
		t.Fatalf("loaded at start: %v", npc.Objects)
	}
	must(t, e.nk.StorageDelete(ctx, []*runtime.StorageDelete{{Collection: "heroes", Key: "sys"}}))
	objs, cursor, err := e.nk.StorageIndexList(ctx, "", "heroes", "+value.class:mage", 10, []string{"-value.level"}, "")
	must(t, err)
	if got := keys(objs); len(got) != 2 || got[0] != "ann" || got[1] != "cid" || cursor != "" || objs.Objects[0].Value != `{"class": "mage", "level": 10}` {
		t.Fatalf("mages: %v %q", objs.Objects, cursor)
	}
	// Paging with a cursor, and a caller's permissions.
	page, cursor, err := e.nk.StorageIndexList(ctx, "", "heroes", "", 1, []string{"level"}, "")
	must(t, err)
	if got := keys(page); len(got) != 1 || got[0] != "bob" || cursor == "" {
		t.Fatalf("first page: %v %q", got, cursor)
	}
	page, _, err = e.nk.StorageIndexList(ctx, "", "heroes", "", 1, []string{"level"}, cursor)
	must(t, err)
	if got := keys(page); len(got) != 1 || got[0] != "cid" {
		t.Fatalf("second page: %v", got)
	}
	asB, _, err := e.nk.StorageIndexList(ctx, b, "heroes", "", 10, []string{"level"}, "")
	must(t, err)
	if got := keys(asB); len(got) != 2 || got[0] != "cid" || got[1] != "ann" {
		t.Fatalf("as b: %v", got)
	}
	only, _, err := e.nk.StorageIndexList(ctx, "", "heroes_only", "value.class:knight", 10, nil, "")
	must(t, err)
	if len(only.Objects) != 1 || only.Objects[0].Value != `{"class":"knight"}` || only.Objects[0].UserId != a {
		t.Fatalf("index only: %v", only.Objects)
	}
	must(t, e.nk.StorageDelete(ctx, []*runtime.StorageDelete{{Collection: "heroes", Key: "ann", UserID: a}}))
	objs, _, err = e.nk.StorageIndexList(ctx, "", "heroes", "value.class:mage", 10, nil, "")
	must(t, err)
	if got := keys(objs); len(got) != 1 || got[0] != "cid" {
		t.Fatalf("after delete: %v", got)
	}

	wantArgError(t, errOf3(e.nk.StorageIndexList(ctx, badID, "heroes", "", 10, nil, "")))
	wantArgError(t, errOf3(e.nk.StorageIndexList(ctx, "", "", "", 10, nil, "")))
	wantArgError(t, errOf3(e.nk.StorageIndexList(ctx, "", "heroes", "", 0, nil, "")))
	wantArgError(t, errOf3(e.nk.StorageIndexList(ctx, "", "heroes", "", 10_001, nil, "")))
	wantCode(t, errOf3(e.nk.StorageIndexList(ctx, "", "missing", "", 10, nil, "")), 5)
	wantCode(t, errOf3(e.nk.StorageIndexList(ctx, "", "heroes", `value.class:"mage`, 10, nil, "")), 3)
	wantCode(t, errOf3(e.nk.StorageIndexList(ctx, "", "heroes", "", 10, []string{"class"}, "")), 3)
	wantCode(t, errOf3(e.nk.StorageIndexList(ctx, "", "heroes", "", 10, nil, "bad-cursor")), 3)
}
