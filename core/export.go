package core

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// Account export sections of the areas that keep per-user rows, in the shape of
// Nakama's export (storage objects and wallet ledger items beside the account).

type exportedObject struct {
	Collection      string          `json:"collection"`
	Key             string          `json:"key"`
	Value           json.RawMessage `json:"value"`
	Version         string          `json:"version"`
	PermissionRead  int16           `json:"permission_read"`
	PermissionWrite int16           `json:"permission_write"`
	CreateTime      time.Time       `json:"create_time"`
	UpdateTime      time.Time       `json:"update_time"`
}

func (c *Core) exportStorage(ctx context.Context, userID uuid.UUID) (string, any, error) {
	rows, err := c.q.ExportStorageObjects(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	out := make([]exportedObject, len(rows))
	for i, r := range rows {
		out[i] = exportedObject{r.Collection, r.Key, json.RawMessage(r.Value), r.Version, r.Read, r.Write, r.CreateTime, r.UpdateTime}
	}
	return "objects", out, nil
}

type exportedLedgerItem struct {
	ID         uuid.UUID       `json:"id"`
	Changeset  json.RawMessage `json:"changeset"`
	Metadata   json.RawMessage `json:"metadata"`
	CreateTime time.Time       `json:"create_time"`
	UpdateTime time.Time       `json:"update_time"`
}

func (c *Core) exportWalletLedger(ctx context.Context, userID uuid.UUID) (string, any, error) {
	rows, err := c.q.ExportWalletLedger(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	out := make([]exportedLedgerItem, len(rows))
	for i, r := range rows {
		out[i] = exportedLedgerItem{r.ID, json.RawMessage(r.Changeset), json.RawMessage(r.Metadata), r.CreateTime, r.UpdateTime}
	}
	return "wallet_ledgers", out, nil
}
