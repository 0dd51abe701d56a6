package core

import (
	"context"
	"sort"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// AccountChange is one account's part of a MultiUpdate: profile fields as AccountUpdate
// takes them, and metadata (nil leaves it as it is).
type AccountChange struct {
	UserID   uuid.UUID
	Profile  AccountUpdate
	Metadata map[string]any
}

func (a AccountChange) hasProfile() bool {
	p := a.Profile
	return p.Username != nil || p.DisplayName != nil || p.AvatarURL != nil || p.LangTag != nil || p.Location != nil || p.Timezone != nil
}

// MultiUpdate changes accounts, writes and deletes storage objects and updates wallets in
// one transaction, as the server: storage permissions do not apply. Either everything
// happens or nothing does, and the first refusal is returned. Acks come back in the order
// of writes, wallet results in the order of wallet updates (users that do not exist are
// skipped, as WalletsUpdate does).
func (c *Core) MultiUpdate(ctx context.Context, accounts []AccountChange, writes []StorageWrite, deletes []StorageDelete, wallets []WalletUpdate, updateLedger bool) ([]StorageAck, []WalletUpdateResult, error) {
	if len(accounts) == 0 && len(writes) == 0 && len(deletes) == 0 && len(wallets) == 0 {
		return nil, nil, nil
	}
	// Everything that can be checked without the database is, before the transaction.
	if err := checkStorageWrites(writes); err != nil {
		return nil, nil, err
	}
	for _, d := range deletes {
		if d.Collection == "" || d.Key == "" {
			return nil, nil, ErrStorageIDUnset
		}
	}
	for _, a := range accounts {
		if !a.hasProfile() && a.Metadata == nil {
			return nil, nil, Errorf(CodeInvalidArgument, "No fields to update.")
		}
	}
	preparedWallets, err := prepareWalletUpdates(wallets)
	if err != nil {
		return nil, nil, err
	}
	ops := make([]storageWriteOp, len(writes))
	for i, w := range writes {
		ops[i] = storageWriteOp{index: i, w: w, owner: w.UserID, read: int16(StorageReadOwner), write: int16(StorageWriteOwner), version: storageVersion(w.Value)}
		if w.PermissionRead != nil {
			ops[i].read = int16(*w.PermissionRead)
		}
		if w.PermissionWrite != nil {
			ops[i].write = int16(*w.PermissionWrite)
		}
	}
	sort.SliceStable(ops, func(i, j int) bool {
		return storageOpLess(ops[i].w.Collection, ops[i].w.Key, ops[i].owner, ops[j].w.Collection, ops[j].w.Key, ops[j].owner)
	})
	sortedDeletes := append([]StorageDelete(nil), deletes...)
	sort.SliceStable(sortedDeletes, func(i, j int) bool {
		a, b := sortedDeletes[i], sortedDeletes[j]
		return storageOpLess(a.Collection, a.Key, a.UserID, b.Collection, b.Key, b.UserID)
	})

	if len(ops) > 0 {
		mark := c.deletions.begin() // before the statements: see ownerDeletions
		defer c.deletions.end(mark)
	}
	var acks []StorageAck
	var results []WalletUpdateResult
	err = c.inTx(ctx, func(q *db.Queries) error {
		tc := c.withQueries(q)
		for _, a := range accounts {
			if a.hasProfile() {
				if err := tc.AccountUpdate(ctx, a.UserID, a.Profile); err != nil {
					return err
				}
			}
			if a.Metadata != nil {
				if err := tc.AccountMetadataUpdate(ctx, a.UserID, a.Metadata); err != nil {
					return err
				}
			}
		}
		acks = make([]StorageAck, len(writes))
		for _, op := range ops {
			ack, err := storageWriteOne(ctx, q, true, op)
			if err != nil {
				return err
			}
			acks[op.index] = ack
		}
		for _, d := range sortedDeletes {
			if err := storageDeleteOne(ctx, q, true, d); err != nil {
				return err
			}
		}
		if len(preparedWallets) > 0 {
			var err error
			if results, err = walletsApply(ctx, q, preparedWallets, updateLedger); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, walletError(err, "Error running multi update.")
	}
	c.indexedWrites(ctx, ops, acks, sortedDeletes)
	if len(writes) == 0 {
		acks = nil
	}
	return acks, results, nil
}

// withQueries returns a copy of c whose queries run on q, so core functions written
// against c.q (account updates) can take part in a larger transaction. The copy shares
// everything else with c and lives only as long as that transaction.
func (c *Core) withQueries(q *db.Queries) *Core {
	tc := *c
	tc.q = q
	return &tc
}
