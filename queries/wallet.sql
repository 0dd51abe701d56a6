-- Wallets (the users.wallet JSON object of integer balances) and their ledger.

-- name: WalletsLock :many
-- The wallets of the given users, row-locked until the transaction ends. Locks are taken
-- in id order, so concurrent updates of overlapping user sets cannot deadlock. NO KEY
-- UPDATE serialises wallet writers without blocking inserts that only reference the user
-- (storage objects, ledger entries), whose foreign-key checks take KEY SHARE.
SELECT id, wallet::text AS wallet
FROM users
WHERE id = ANY(@user_ids::uuid[])
ORDER BY id
FOR NO KEY UPDATE;

-- name: WalletsWrite :exec
-- Store new wallets and append ledger entries in one statement (the ledger arrays are
-- empty when no entry is recorded).
WITH wallet_update AS (
    UPDATE users AS u
    SET wallet = w.wallet::jsonb, update_time = now()
    FROM (SELECT unnest(@user_ids::uuid[]) AS id, unnest(@wallets::text[]) AS wallet) AS w
    WHERE u.id = w.id
)
INSERT INTO wallet_ledger (id, user_id, changeset, metadata)
SELECT unnest(@ledger_ids::uuid[]), unnest(@ledger_user_ids::uuid[]),
       unnest(@changesets::text[])::jsonb, unnest(@metadata::text[])::jsonb;

-- name: WalletLedgerList :many
-- A user's ledger, newest first, strictly before the cursor position. The id breaks ties
-- between entries of one transaction, so pages never skip or repeat an entry.
SELECT id, user_id, changeset::text AS changeset, metadata::text AS metadata, create_time, update_time
FROM wallet_ledger
WHERE user_id = @user_id AND (create_time, id) < (@before_time::timestamptz, @before_id::uuid)
ORDER BY create_time DESC, id DESC
LIMIT @row_limit;

-- name: WalletLedgerUpdate :one
-- Merge metadata into a ledger entry's (top-level keys of the new object win).
UPDATE wallet_ledger
SET metadata = metadata || @metadata::jsonb, update_time = now()
WHERE id = @id
RETURNING id, user_id, changeset::text AS changeset, metadata::text AS metadata, create_time, update_time;
