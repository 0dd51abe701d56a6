package nk

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
)

// WalletUpdate applies a changeset (deltas) to a user's wallet and returns the wallet
// after and before.
func (m *Module) WalletUpdate(ctx context.Context, userID string, changeset map[string]int64, metadata map[string]any, updateLedger bool) (map[string]int64, map[string]int64, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return nil, nil, err
	}
	updated, previous, err := m.core.WalletUpdate(ctx, id, changeset, metadata, updateLedger)
	if err != nil {
		return nil, nil, m.fromCore(err)
	}
	return updated, previous, nil
}

func coreWalletUpdates(updates []*runtime.WalletUpdate) ([]core.WalletUpdate, error) {
	out := make([]core.WalletUpdate, len(updates))
	for i, u := range updates {
		if u == nil {
			return nil, fmt.Errorf("wallet update at index %d is nil", i)
		}
		id, err := uuid.Parse(u.UserID)
		if err != nil || id == uuid.Nil {
			return nil, errors.New("runtime.WalletUpdate.UserID must be a valid id string")
		}
		out[i] = core.WalletUpdate{UserID: id, Changeset: u.Changeset, Metadata: u.Metadata}
	}
	return out, nil
}

func runtimeWalletResults(rs []core.WalletUpdateResult) []*runtime.WalletUpdateResult {
	out := make([]*runtime.WalletUpdateResult, len(rs))
	for i, r := range rs {
		out[i] = &runtime.WalletUpdateResult{UserID: r.UserID.String(), Updated: r.Updated, Previous: r.Previous}
	}
	return out
}

// WalletsUpdate updates several wallets in one transaction.
func (m *Module) WalletsUpdate(ctx context.Context, updates []*runtime.WalletUpdate, updateLedger bool) ([]*runtime.WalletUpdateResult, error) {
	us, err := coreWalletUpdates(updates)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return make([]*runtime.WalletUpdateResult, 0), nil
	}
	rs, err := m.core.WalletsUpdate(ctx, us, updateLedger)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return runtimeWalletResults(rs), nil
}

// ledgerItem is runtime.WalletLedgerItem over a core ledger entry.
type ledgerItem struct{ core.WalletLedgerItem }

func (l ledgerItem) GetID() string                  { return l.ID.String() }
func (l ledgerItem) GetUserID() string              { return l.UserID.String() }
func (l ledgerItem) GetCreateTime() int64           { return l.CreateTime.Unix() }
func (l ledgerItem) GetUpdateTime() int64           { return l.UpdateTime.Unix() }
func (l ledgerItem) GetChangeset() map[string]int64 { return l.Changeset }
func (l ledgerItem) GetMetadata() map[string]any    { return l.Metadata }

// WalletLedgerUpdate replaces a ledger entry's metadata.
func (m *Module) WalletLedgerUpdate(ctx context.Context, itemID string, metadata map[string]any) (runtime.WalletLedgerItem, error) {
	id, err := uuid.Parse(itemID)
	if err != nil {
		return nil, errors.New("expects a valid item id")
	}
	item, err := m.core.WalletLedgerUpdate(ctx, id, metadata)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return ledgerItem{item}, nil
}

// WalletLedgerList lists a user's ledger, newest first.
func (m *Module) WalletLedgerList(ctx context.Context, userID string, limit int, cursor string) ([]runtime.WalletLedgerItem, string, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return nil, "", err
	}
	if limit < 0 || limit > 100 {
		return nil, "", errors.New("expects limit to be 0-100")
	}
	items, next, err := m.core.WalletLedgerList(ctx, id, limit, cursor)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := make([]runtime.WalletLedgerItem, len(items))
	for i, it := range items {
		out[i] = ledgerItem{it}
	}
	return out, next, nil
}

// MultiUpdate changes accounts, storage and wallets in one transaction.
func (m *Module) MultiUpdate(ctx context.Context, accountUpdates []*runtime.AccountUpdate, storageWrites []*runtime.StorageWrite, storageDeletes []*runtime.StorageDelete, walletUpdates []*runtime.WalletUpdate, updateLedger bool) ([]*api.StorageObjectAck, []*runtime.WalletUpdateResult, error) {
	accounts := make([]core.AccountChange, len(accountUpdates))
	for i, a := range accountUpdates {
		if a == nil {
			return nil, nil, fmt.Errorf("account update at index %d is nil", i)
		}
		id, err := uuid.Parse(a.UserID)
		if err != nil || id == uuid.Nil {
			return nil, nil, errors.New("expects user ID to be a valid identifier")
		}
		accounts[i] = core.AccountChange{UserID: id, Metadata: a.Metadata, Profile: core.AccountUpdate{
			Username: nonEmpty(a.Username), DisplayName: nonEmpty(a.DisplayName), Timezone: nonEmpty(a.Timezone),
			Location: nonEmpty(a.Location), LangTag: nonEmpty(a.LangTag), AvatarURL: nonEmpty(a.AvatarUrl),
		}}
	}
	writes, err := coreWrites(storageWrites)
	if err != nil {
		return nil, nil, err
	}
	deletes, err := coreDeletes(storageDeletes)
	if err != nil {
		return nil, nil, err
	}
	wallets, err := coreWalletUpdates(walletUpdates)
	if err != nil {
		return nil, nil, err
	}
	acks, results, err := m.core.MultiUpdate(ctx, accounts, writes, deletes, wallets, updateLedger)
	if err != nil {
		return nil, nil, m.fromCore(err)
	}
	return apiAcks(acks), runtimeWalletResults(results), nil
}
