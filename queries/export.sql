-- Account export: everything an account owns, area by area.

-- name: ExportStorageObjects :many
SELECT collection, key, value::text AS value, version, read, write, create_time, update_time
FROM storage
WHERE user_id = @user_id
ORDER BY collection, key;

-- name: ExportWalletLedger :many
SELECT id, changeset::text AS changeset, metadata::text AS metadata, create_time, update_time
FROM wallet_ledger
WHERE user_id = @user_id
ORDER BY create_time, id;
