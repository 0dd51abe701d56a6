-- Session revocation state, kept in memory on every node and changed through these.

-- name: SessionGenerationsAll :many
SELECT user_id, generation FROM session_generation;

-- name: SessionGenerationBump :one
INSERT INTO session_generation (user_id, generation)
VALUES (@user_id, 1)
ON CONFLICT (user_id) DO UPDATE SET generation = session_generation.generation + 1
RETURNING generation;

-- name: SessionRevocationsActive :many
SELECT token_id, kind, user_id, expires_at
FROM session_revocation
WHERE expires_at > now();

-- name: SessionRevoke :exec
INSERT INTO session_revocation (token_id, kind, user_id, expires_at)
VALUES (@token_id, @kind, @user_id, @expires_at)
ON CONFLICT (token_id, kind) DO NOTHING;

-- name: SessionRevocationsPurge :execrows
DELETE FROM session_revocation WHERE expires_at <= now();

-- name: SessionNotify :exec
-- Delivered to every node's listener when the surrounding transaction commits.
SELECT pg_notify(@channel::text, @payload::text);
