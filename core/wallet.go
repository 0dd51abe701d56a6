package core

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// A wallet is a JSON object of integer balances kept on the account (users.wallet), as in
// Nakama 3: changes are signed deltas, no balance may go below zero, and every change can
// be recorded in the user's ledger together with metadata.

// WalletUpdate is one change to one user's wallet: a delta per currency (a currency not
// yet in the wallet starts at 0) and the metadata its ledger entry carries (nil is {}).
type WalletUpdate struct {
	UserID    uuid.UUID
	Changeset map[string]int64
	Metadata  map[string]any
}

// WalletUpdateResult is one applied update: the wallet before and after it.
type WalletUpdateResult struct {
	UserID   uuid.UUID
	Updated  map[string]int64
	Previous map[string]int64
}

// WalletLedgerItem is one recorded wallet change.
type WalletLedgerItem struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	Changeset  map[string]int64
	Metadata   map[string]any
	CreateTime time.Time
	UpdateTime time.Time
}

// WalletNegativeError is the cause carried by a refused update that would take a balance
// below zero. It holds what nakama-common's runtime.WalletNegativeError holds, so the
// runtime front door can hand modules the error type they check for.
type WalletNegativeError struct {
	UserID  uuid.UUID
	Path    string // the currency
	Current int64  // its balance before the refused delta
	Amount  int64  // the refused delta
}

// Error is Nakama's text for the refusal.
func (e *WalletNegativeError) Error() string {
	return fmt.Sprintf("wallet update rejected negative value at path '%v'", e.Path)
}

// Wallet refusals. The texts are Nakama's runtime errors, which modules may match on.
var (
	ErrWalletUserNotFound      = Errorf(CodeNotFound, "user not found")
	ErrWalletLedgerCursor      = Errorf(CodeInvalidArgument, "wallet ledger cursor invalid")
	ErrWalletLedgerNotFound    = Errorf(CodeNotFound, "Wallet ledger item not found.")
	errWalletLedgerLimit       = Errorf(CodeInvalidArgument, "expects limit to be 0-100")
	errWalletMetadataNotObject = Errorf(CodeInvalidArgument, "Metadata must be a JSON object.")
)

// walletLedgerListMax bounds a ledger page, as Nakama's runtime does.
const walletLedgerListMax = 100

// walletNegative builds the refusal for a balance that would go negative.
func walletNegative(userID uuid.UUID, path string, current, amount int64) error {
	cause := &WalletNegativeError{UserID: userID, Path: path, Current: current, Amount: amount}
	return &Error{Code: CodeFailedPrecondition, Message: cause.Error(), Err: cause}
}

// walletOverflow refuses a balance beyond int64. Nakama wraps around and then reports the
// (now negative) result as a negative balance; COMPAT.md lists the difference.
func walletOverflow(path string) error {
	return Errorf(CodeInvalidArgument, fmt.Sprintf("wallet update rejected value out of range at path '%v'", path))
}

// jsonObject renders metadata for storage: nil is {}.
func jsonObject(m map[string]any) ([]byte, error) {
	if m == nil {
		return []byte("{}"), nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, &Error{Code: errWalletMetadataNotObject.Code, Message: errWalletMetadataNotObject.Message, Err: err}
	}
	return raw, nil
}

// WalletUpdate applies one changeset to one user's wallet and returns the wallet after and
// before it; updateLedger also records the change in the ledger.
func (c *Core) WalletUpdate(ctx context.Context, userID uuid.UUID, changeset map[string]int64, metadata map[string]any, updateLedger bool) (updated, previous map[string]int64, err error) {
	results, err := c.WalletsUpdate(ctx, []WalletUpdate{{UserID: userID, Changeset: changeset, Metadata: metadata}}, updateLedger)
	if err != nil {
		return nil, nil, err
	}
	if len(results) == 0 {
		return nil, nil, ErrWalletUserNotFound
	}
	return results[0].Updated, results[0].Previous, nil
}

// WalletsUpdate applies several changesets in one transaction: all of them, or none if any
// would take a balance below zero. Updates for users that do not exist are skipped (no
// result), as in Nakama. Several updates of one user apply in order, each result showing
// its own before and after.
func (c *Core) WalletsUpdate(ctx context.Context, updates []WalletUpdate, updateLedger bool) ([]WalletUpdateResult, error) {
	if len(updates) == 0 {
		return nil, nil
	}
	prepared, err := prepareWalletUpdates(updates)
	if err != nil {
		return nil, err
	}
	var results []WalletUpdateResult
	err = c.inTx(ctx, func(q *db.Queries) error {
		var applyErr error
		results, applyErr = walletsApply(ctx, q, prepared, updateLedger)
		return applyErr
	})
	if err != nil {
		return nil, walletError(err, "Error updating wallets.")
	}
	return results, nil
}

// preparedWalletUpdate is an update with its ledger texts rendered, outside any transaction.
type preparedWalletUpdate struct {
	WalletUpdate
	changeset []byte
	metadata  []byte
}

func prepareWalletUpdates(updates []WalletUpdate) ([]preparedWalletUpdate, error) {
	out := make([]preparedWalletUpdate, len(updates))
	for i, u := range updates {
		md, err := jsonObject(u.Metadata)
		if err != nil {
			return nil, err
		}
		cs := []byte("{}")
		if len(u.Changeset) > 0 {
			if cs, err = json.Marshal(u.Changeset); err != nil {
				return nil, Internal("Error updating wallets.", err)
			}
		}
		out[i] = preparedWalletUpdate{WalletUpdate: u, changeset: cs, metadata: md}
	}
	return out, nil
}

// walletsApply locks the wallets involved, applies the updates in order and writes the new
// wallets and ledger entries. It runs inside a caller's transaction and touches nothing
// outside q, so the transaction may retry it.
func walletsApply(ctx context.Context, q *db.Queries, updates []preparedWalletUpdate, updateLedger bool) ([]WalletUpdateResult, error) {
	ids := make([]uuid.UUID, 0, len(updates))
	for _, u := range updates {
		ids = append(ids, u.UserID)
	}
	rows, err := q.WalletsLock(ctx, ids)
	if err != nil {
		return nil, err
	}
	wallets := make(map[uuid.UUID]map[string]int64, len(rows))
	for _, r := range rows {
		w := map[string]int64{}
		if err := json.Unmarshal([]byte(r.Wallet), &w); err != nil {
			return nil, fmt.Errorf("wallet of %s: %w", r.ID, err)
		}
		wallets[r.ID] = w
	}

	results := make([]WalletUpdateResult, 0, len(updates))
	var ledger db.WalletsWriteParams
	for _, u := range updates {
		w, ok := wallets[u.UserID]
		if !ok {
			continue // no such user
		}
		previous := maps.Clone(w)
		// Sorted, so the currency a refusal names does not depend on map order.
		for _, k := range slices.Sorted(maps.Keys(u.Changeset)) {
			delta, cur := u.Changeset[k], w[k]
			if (delta > 0 && cur > math.MaxInt64-delta) || (delta < 0 && cur < math.MinInt64-delta) {
				return nil, walletOverflow(k)
			}
			if cur+delta < 0 {
				return nil, walletNegative(u.UserID, k, cur, delta)
			}
			w[k] = cur + delta
		}
		results = append(results, WalletUpdateResult{UserID: u.UserID, Updated: maps.Clone(w), Previous: previous})
		if updateLedger {
			ledger.LedgerIds = append(ledger.LedgerIds, uuid.New())
			ledger.LedgerUserIds = append(ledger.LedgerUserIds, u.UserID)
			ledger.Changesets = append(ledger.Changesets, string(u.changeset))
			ledger.Metadata = append(ledger.Metadata, string(u.metadata))
		}
	}
	if len(results) == 0 {
		return results, nil
	}
	for id, w := range wallets {
		raw, err := json.Marshal(w)
		if err != nil {
			return nil, err
		}
		ledger.UserIds = append(ledger.UserIds, id)
		ledger.Wallets = append(ledger.Wallets, string(raw))
	}
	if ledger.LedgerIds == nil {
		ledger.LedgerIds, ledger.LedgerUserIds, ledger.Changesets, ledger.Metadata = []uuid.UUID{}, []uuid.UUID{}, []string{}, []string{}
	}
	if err := q.WalletsWrite(ctx, ledger); err != nil {
		return nil, err
	}
	return results, nil
}

// walletError passes client refusals through and wraps anything else as internal.
func walletError(err error, message string) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(message, err)
}

// WalletLedgerList returns a page of a user's ledger, newest first, and the cursor of the
// next page ("" on the last). limit is 0-100, as in Nakama's runtime; 0 lists nothing.
//
// Nakama's runtime documentation says "oldest to newest", but Nakama 3 lists newest
// first; Hearth does what Nakama does, since modules were written against that. Unlike
// Nakama, entries written in one transaction (same create_time) are never skipped or
// repeated between pages: they are ordered by id within the same time.
func (c *Core) WalletLedgerList(ctx context.Context, userID uuid.UUID, limit int, cursor string) ([]WalletLedgerItem, string, error) {
	if limit < 0 || limit > walletLedgerListMax {
		return nil, "", errWalletLedgerLimit
	}
	before := ledgerCursor{userID: userID, createTime: ledgerCursorStart, id: uuid.Max}
	if cursor != "" {
		var ok bool
		if before, ok = decodeLedgerCursor(cursor); !ok || before.userID != userID {
			return nil, "", ErrWalletLedgerCursor
		}
	}
	if limit == 0 {
		return nil, "", nil
	}
	rows, err := c.q.WalletLedgerList(ctx, db.WalletLedgerListParams{
		UserID: userID, BeforeTime: before.createTime, BeforeID: before.id, RowLimit: int32(limit + 1),
	})
	if err != nil {
		return nil, "", Internal("Error listing wallet ledger.", err)
	}
	var next string
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next = ledgerCursor{userID: userID, createTime: last.CreateTime, id: last.ID}.encode()
	}
	items := make([]WalletLedgerItem, len(rows))
	for i, r := range rows {
		if items[i], err = ledgerItem(db.WalletLedgerUpdateRow(r)); err != nil {
			return nil, "", Internal("Error listing wallet ledger.", err)
		}
	}
	return items, next, nil
}

// WalletLedgerUpdate merges metadata into a ledger entry's (keys given replace keys
// stored; others stay) and returns the whole entry.
func (c *Core) WalletLedgerUpdate(ctx context.Context, itemID uuid.UUID, metadata map[string]any) (WalletLedgerItem, error) {
	md, err := jsonObject(metadata)
	if err != nil {
		return WalletLedgerItem{}, err
	}
	row, err := c.q.WalletLedgerUpdate(ctx, db.WalletLedgerUpdateParams{ID: itemID, Metadata: md})
	if isNotFound(err) {
		return WalletLedgerItem{}, ErrWalletLedgerNotFound
	}
	if err != nil {
		return WalletLedgerItem{}, Internal("Error updating wallet ledger.", err)
	}
	item, err := ledgerItem(row)
	if err != nil {
		return WalletLedgerItem{}, Internal("Error updating wallet ledger.", err)
	}
	return item, nil
}

func ledgerItem(r db.WalletLedgerUpdateRow) (WalletLedgerItem, error) {
	item := WalletLedgerItem{ID: r.ID, UserID: r.UserID, CreateTime: r.CreateTime, UpdateTime: r.UpdateTime}
	if err := json.Unmarshal([]byte(r.Changeset), &item.Changeset); err != nil {
		return item, fmt.Errorf("ledger entry %s changeset: %w", r.ID, err)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(r.Metadata)))
	dec.UseNumber() // keep large integers in metadata exact
	if err := dec.Decode(&item.Metadata); err != nil {
		return item, fmt.Errorf("ledger entry %s metadata: %w", r.ID, err)
	}
	return item, nil
}

// ledgerCursorStart sorts after every real entry, for the first page.
var ledgerCursorStart = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

const ledgerCursorVersion byte = 1

// ledgerCursor is the last entry of a page; the user id ties it to one user's ledger.
type ledgerCursor struct {
	userID     uuid.UUID
	createTime time.Time // microseconds, as PostgreSQL keeps it
	id         uuid.UUID
}

func (l ledgerCursor) encode() string {
	b := make([]byte, 0, 41)
	b = append(b, ledgerCursorVersion)
	b = append(b, l.userID[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(l.createTime.UnixMicro()))
	b = append(b, l.id[:]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeLedgerCursor(text string) (ledgerCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(b) != 41 || b[0] != ledgerCursorVersion {
		return ledgerCursor{}, false
	}
	var l ledgerCursor
	copy(l.userID[:], b[1:17])
	l.createTime = time.UnixMicro(int64(binary.BigEndian.Uint64(b[17:25]))).UTC()
	copy(l.id[:], b[25:41])
	return l, true
}
