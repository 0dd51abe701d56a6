-- Storage objects: conditional writes, reads by id, deletes and keyset-paged listings.
-- @server bypasses the permission checks (runtime calls); client calls pass false.

-- name: StorageUpsert :one
-- Unconditional write (version ""). An existing object is replaced unless a client is
-- writing a server-only (write 0) object. Writing the version and permissions already
-- stored changes nothing, update_time included, as in Nakama. When nothing was written
-- the stored row comes back with written = false so the caller can tell a refusal from a
-- no-op; no row at all means a concurrent writer won a race with this statement's
-- snapshot and the statement may simply be run again.
WITH upd AS (
    INSERT INTO storage AS s (collection, key, user_id, value, version, read, write)
    VALUES (@collection, @key, @user_id, @value::jsonb, @version, @read, @write)
    ON CONFLICT (collection, key, user_id) DO UPDATE
    SET value = EXCLUDED.value, version = EXCLUDED.version, read = EXCLUDED.read,
        write = EXCLUDED.write, update_time = now()
    WHERE (@server::bool OR s.write = 1)
      AND (s.version, s.read, s.write) IS DISTINCT FROM (EXCLUDED.version, EXCLUDED.read, EXCLUDED.write)
    RETURNING s.write, s.create_time, s.update_time
)
SELECT true AS written, upd.write, upd.create_time, upd.update_time FROM upd
UNION ALL
SELECT false AS written, cur.write, cur.create_time, cur.update_time
FROM storage cur
WHERE cur.collection = @collection AND cur.key = @key AND cur.user_id = @user_id
  AND NOT EXISTS (SELECT 1 FROM upd);

-- name: StorageInsert :one
-- Write only when absent (version "*"); no row back means the object exists.
INSERT INTO storage (collection, key, user_id, value, version, read, write)
VALUES (@collection, @key, @user_id, @value::jsonb, @version, @read, @write)
ON CONFLICT (collection, key, user_id) DO NOTHING
RETURNING create_time, update_time;

-- name: StorageUpdateIfVersion :one
-- Write only when the stored version matches (version "<hash>"); no row back means it is
-- missing, changed, or (for a client) server-only.
UPDATE storage
SET value = @value::jsonb, version = @version, read = @read, write = @write, update_time = now()
WHERE collection = @collection AND key = @key AND user_id = @user_id
  AND version = @expected_version::text AND (@server::bool OR write = 1)
RETURNING create_time, update_time;

-- name: StorageWritePermission :one
-- The write permission of a stored object, to say why a conditional write was refused.
SELECT write FROM storage
WHERE collection = @collection AND key = @key AND user_id = @user_id;

-- name: StorageRead :many
-- Objects by id (the caller puts them back in the order asked). A client sees public
-- objects and its own owner-readable ones; the server sees everything.
SELECT s.collection, s.key, s.user_id, s.value::text AS value, s.version, s.read, s.write,
       s.create_time, s.update_time
FROM storage s
WHERE (s.collection, s.key, s.user_id) IN (
        SELECT unnest(@collections::text[]), unnest(@keys::text[]), unnest(@user_ids::uuid[]))
  AND (@server::bool OR s.read = 2 OR (s.read = 1 AND s.user_id = @caller_id::uuid));

-- name: StorageReadOne :one
-- One object by id, under the same visibility rule as StorageRead (the common case of a
-- read, without array parameters).
SELECT s.collection, s.key, s.user_id, s.value::text AS value, s.version, s.read, s.write,
       s.create_time, s.update_time
FROM storage s
WHERE s.collection = @collection AND s.key = @key AND s.user_id = @user_id
  AND (@server::bool OR s.read = 2 OR (s.read = 1 AND s.user_id = @caller_id::uuid));

-- name: StorageDelete :execrows
-- Delete one object; a client cannot delete server-only (write 0) objects, and a non-empty
-- version must match.
DELETE FROM storage
WHERE collection = @collection AND key = @key AND user_id = @user_id
  AND (@server::bool OR write > 0)
  AND (@version::text = '' OR version = @version::text);

-- name: StorageListCollection :many
-- A collection across owners, objects with read >= min_read, in (read, key, owner) order,
-- strictly after the cursor position.
SELECT collection, key, user_id, value::text AS value, version, read, write, create_time, update_time
FROM storage
WHERE collection = @collection AND read >= @min_read::smallint
  AND (read, key, user_id) > (@after_read::smallint, @after_key::text, @after_user_id::uuid)
ORDER BY read, key, user_id
LIMIT @row_limit;

-- name: StorageListOwner :many
-- One owner's objects in a collection with read >= min_read, in (read, key) order,
-- strictly after the cursor position.
SELECT collection, key, user_id, value::text AS value, version, read, write, create_time, update_time
FROM storage
WHERE collection = @collection AND user_id = @user_id AND read >= @min_read::smallint
  AND (read, key) > (@after_read::smallint, @after_key::text)
ORDER BY read, key
LIMIT @row_limit;

-- name: StorageIndexLoad :many
-- One page of a collection (or of one key of it) in (key, user_id) order, strictly after
-- the given position: what fills a storage index at start.
SELECT key, user_id, value::text AS value, version, read, write, create_time, update_time
FROM storage
WHERE collection = @collection
  AND (@key::text = '' OR key = @key::text)
  AND (key, user_id) > (@after_key::text, @after_user_id::uuid)
ORDER BY key, user_id
LIMIT @row_limit;
