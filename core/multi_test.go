package core_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
)

func TestMultiUpdate(t *testing.T) {
	t.Parallel()
	c, pool := poolCore(t, 4)
	users := newUsers(t, pool, 3)
	a, b, taken := users[0], users[1], users[2]
	if err := c.AccountUpdate(ctx, taken, core.AccountUpdate{Username: ptr("taken-name")}); err != nil {
		t.Fatal(err)
	}
	storageWriteOK(t, c, core.AsServer(),
		core.StorageWrite{Collection: "m", Key: "old", UserID: a, Value: `{"v":1}`, PermissionWrite: perm(0)},
		core.StorageWrite{Collection: "m", Key: "versioned", UserID: b, Value: `{"v":1}`})

	// state captures everything a MultiUpdate may change.
	type state struct {
		DisplayName, Metadata, WalletA, WalletB string
		Old, New, Versioned                     string
		LedgerA                                 int
	}
	snapshot := func() state {
		acct, err := c.AccountGet(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		value := func(key string, owner uuid.UUID) string {
			o, _ := readOne(t, c, core.AsServer(), "m", key, owner)
			return o.Value
		}
		return state{
			DisplayName: acct.User.DisplayName, Metadata: acct.User.Metadata,
			WalletA: walletOf(t, pool, a), WalletB: walletOf(t, pool, b),
			Old: value("old", a), New: value("new", b), Versioned: value("versioned", b),
			LedgerA: len(ledgerAll(t, c, a, 100)),
		}
	}
	initial := snapshot()

	accounts := []core.AccountChange{{UserID: a, Profile: core.AccountUpdate{DisplayName: ptr("Alice")}, Metadata: map[string]any{"level": 2}}}
	writes := []core.StorageWrite{
		{Collection: "m", Key: "new", UserID: b, Value: `{"gift":true}`, PermissionRead: perm(0), PermissionWrite: perm(0)},
		{Collection: "m", Key: "versioned", UserID: b, Value: `{"v":2}`, Version: md5hex(`{"v":1}`)},
	}
	deletes := []core.StorageDelete{{Collection: "m", Key: "old", UserID: a}} // write 0: only the server may
	wallets := []core.WalletUpdate{{UserID: a, Changeset: map[string]int64{"coins": 5}}, {UserID: b, Changeset: map[string]int64{"coins": 7}}}

	// Any refusal leaves everything as it was.
	failures := []struct {
		name     string
		accounts []core.AccountChange
		writes   []core.StorageWrite
		deletes  []core.StorageDelete
		wallets  []core.WalletUpdate
		code     core.Code
		message  string
	}{
		{"negative wallet", accounts, writes, deletes, append(wallets[:1:1], core.WalletUpdate{UserID: b, Changeset: map[string]int64{"coins": -1}}),
			core.CodeFailedPrecondition, "wallet update rejected negative value at path 'coins'"},
		{"stale version", accounts, append(writes[:1:1], core.StorageWrite{Collection: "m", Key: "versioned", UserID: b, Value: `{}`, Version: md5hex(`{"v":0}`)}), deletes, wallets,
			core.CodeInvalidArgument, "Storage write rejected - version check failed."},
		{"taken username", []core.AccountChange{{UserID: a, Profile: core.AccountUpdate{DisplayName: ptr("Alice"), Username: ptr("taken-name")}}}, writes, deletes, wallets,
			core.CodeInvalidArgument, "Username is already in use."},
		{"delete of a missing version", accounts, writes, []core.StorageDelete{{Collection: "m", Key: "old", UserID: a, Version: "nope"}}, wallets,
			core.CodeInvalidArgument, "Storage delete rejected - not found, version check failed, or permission denied."},
		{"invalid value", accounts, []core.StorageWrite{{Collection: "m", Key: "x", Value: `[]`}}, nil, nil,
			core.CodeInvalidArgument, "Value must be a JSON object."},
		{"empty account change", []core.AccountChange{{UserID: a}}, nil, nil, nil,
			core.CodeInvalidArgument, "No fields to update."},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			acks, results, err := c.MultiUpdate(ctx, f.accounts, f.writes, f.deletes, f.wallets, true)
			wantCode(t, err, f.code, f.message)
			if acks != nil || results != nil {
				t.Fatalf("a failed multi update returned %v %v", acks, results)
			}
			if diff := cmp.Diff(initial, snapshot()); diff != "" {
				t.Fatalf("a failed multi update changed something (-before +after):\n%s", diff)
			}
		})
	}

	acks, results, err := c.MultiUpdate(ctx, accounts, writes, deletes, wallets, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(acks) != 2 || acks[0].Key != "new" || acks[0].UserID != b || acks[1].Version != md5hex(`{"v":2}`) {
		t.Fatalf("acks = %+v", acks)
	}
	wantResults := []core.WalletUpdateResult{
		{UserID: a, Updated: map[string]int64{"coins": 5}, Previous: map[string]int64{}},
		{UserID: b, Updated: map[string]int64{"coins": 7}, Previous: map[string]int64{}},
	}
	if diff := cmp.Diff(wantResults, results); diff != "" {
		t.Fatalf("wallet results (-want +got):\n%s", diff)
	}
	want := state{DisplayName: "Alice", Metadata: `{"level": 2}`, WalletA: `{"coins": 5}`, WalletB: `{"coins": 7}`,
		New: `{"gift": true}`, Versioned: `{"v": 2}`, LedgerA: 1}
	if diff := cmp.Diff(want, snapshot()); diff != "" {
		t.Fatalf("after multi update (-want +got):\n%s", diff)
	}

	if acks, results, err := c.MultiUpdate(ctx, nil, nil, nil, nil, true); acks != nil || results != nil || err != nil {
		t.Fatalf("empty multi update: %v %v %v", acks, results, err)
	}
}
