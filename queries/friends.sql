-- Friends: the two-sided edges of the social graph. Changes to one pair of users run under
-- FriendPairLock, so concurrent adds, deletes and blocks of one pair are serialised.

-- name: FriendPairLock :exec
-- A transaction-scoped lock on an unordered pair of users.
SELECT pg_advisory_xact_lock(hashtextextended(
    least(@a::uuid, @b::uuid)::text || greatest(@a::uuid, @b::uuid)::text, 7350));

-- name: FriendPairStates :one
-- Whether the other user exists, and the states of both directions (-1 when absent).
SELECT EXISTS (SELECT 1 FROM users u WHERE u.id = @other_id::uuid AND u.id <> '00000000-0000-0000-0000-000000000000') AS other_exists,
       COALESCE((SELECT e.state FROM user_edge e WHERE e.source_id = @user_id::uuid AND e.destination_id = @other_id::uuid), -1)::smallint AS mine,
       COALESCE((SELECT e.state FROM user_edge e WHERE e.source_id = @other_id::uuid AND e.destination_id = @user_id::uuid), -1)::smallint AS theirs,
       (SELECT u.edge_count FROM users u WHERE u.id = @user_id::uuid)::int AS my_count,
       COALESCE((SELECT u.edge_count FROM users u WHERE u.id = @other_id::uuid), 0)::int AS their_count;

-- name: FriendMakeFriends :exec
-- Friend import: both sides become friends, whatever invites there were.
INSERT INTO user_edge (source_id, destination_id, state, position, metadata)
VALUES (@user_id::uuid, @other_id::uuid, 0, @position, '{}'), (@other_id::uuid, @user_id::uuid, 0, @position, '{}')
ON CONFLICT (source_id, destination_id) DO UPDATE SET state = 0, update_time = now();

-- name: FriendEdgeInsert :exec
INSERT INTO user_edge (source_id, destination_id, state, position, metadata)
VALUES (@source_id, @destination_id, @state, @position, @metadata::jsonb);

-- name: FriendAccept :exec
-- Both sides become friends; the accepter's metadata is merged into its own edge.
UPDATE user_edge
SET state = 0, update_time = now(),
    metadata = CASE WHEN source_id = @user_id::uuid THEN metadata || @metadata::jsonb ELSE metadata END
WHERE (source_id = @user_id::uuid AND destination_id = @other_id::uuid)
   OR (source_id = @other_id::uuid AND destination_id = @user_id::uuid);

-- name: FriendEdgeDelete :execrows
DELETE FROM user_edge WHERE source_id = @source_id AND destination_id = @destination_id;

-- name: FriendBlockSet :exec
UPDATE user_edge SET state = 3, update_time = now()
WHERE source_id = @source_id AND destination_id = @destination_id;

-- name: UserEdgeCountAdd :exec
UPDATE users SET edge_count = edge_count + @delta::int, update_time = now()
WHERE id = ANY(@ids::uuid[]);

-- name: FriendIDsByUsernames :many
SELECT id FROM users
WHERE username = ANY(@usernames::text[]) AND id <> '00000000-0000-0000-0000-000000000000';

-- name: FriendIDsByFacebookIDs :many
SELECT id FROM users WHERE facebook_id = ANY(@facebook_ids::text[]);

-- name: FriendIDsBySteamIDs :many
SELECT id FROM users WHERE steam_id = ANY(@steam_ids::text[]);

-- name: FriendsList :many
-- One page of a user's edges in (state, position, id) order, strictly after the cursor;
-- state -1 lists every state.
SELECT sqlc.embed(p), e.state, e.position, e.update_time AS edge_update_time, e.metadata::text AS edge_metadata
FROM user_edge e JOIN user_profile p ON p.id = e.destination_id
WHERE e.source_id = @user_id
  AND (@state::smallint < 0 OR e.state = @state::smallint)
  AND (e.state, e.position, e.destination_id) > (@after_state::smallint, @after_position::bigint, @after_id::uuid)
ORDER BY e.state, e.position, e.destination_id
LIMIT @row_limit;

-- name: FriendStatus :many
-- The user's edges to the given users (users it has none with are absent), in the list's
-- (state, position, id) order.
SELECT sqlc.embed(p), e.state, e.update_time AS edge_update_time, e.metadata::text AS edge_metadata
FROM user_edge e JOIN user_profile p ON p.id = e.destination_id
WHERE e.source_id = @user_id AND e.destination_id = ANY(@ids::uuid[])
ORDER BY e.state, e.position, e.destination_id;

-- name: FriendMetadataSet :execrows
-- Replaces the metadata of the user's edge to the other user; the edge's state and
-- update time (when the state last changed) stay.
UPDATE user_edge SET metadata = @metadata::jsonb
WHERE source_id = @user_id AND destination_id = @other_id;

-- name: FriendsOfFriendsList :many
-- Friends of the user's friends who are neither the user nor already the user's friends,
-- one row per (referrer, user) pair in that order, strictly after the cursor.
SELECT f.destination_id AS referrer, ff.destination_id AS user_id
FROM user_edge f
JOIN user_edge ff ON ff.source_id = f.destination_id AND ff.state = 0
WHERE f.source_id = @user_id AND f.state = 0
  AND ff.destination_id <> @user_id
  AND NOT EXISTS (SELECT 1 FROM user_edge m
                  WHERE m.source_id = @user_id AND m.destination_id = ff.destination_id AND m.state = 0)
  AND (f.destination_id, ff.destination_id) > (@after_referrer::uuid, @after_user::uuid)
ORDER BY f.destination_id, ff.destination_id
LIMIT @row_limit;

-- name: FriendEdgesDeleteOwn :execrows
-- Friend import with reset: the user's edges go, except its blocks.
DELETE FROM user_edge WHERE source_id = @user_id AND state <> 3;

-- name: FriendEdgesDeleteOthers :many
-- Friend import with reset: the other sides' edges go too (except their blocks); returns
-- whose, so their counts can be fixed.
DELETE FROM user_edge WHERE destination_id = @user_id AND state <> 3 RETURNING source_id;

-- name: UserEdgeCountReset :exec
UPDATE users SET edge_count = (SELECT count(*) FROM user_edge WHERE source_id = @id), update_time = now()
WHERE id = @id;

-- name: FriendCleanupForDelete :exec
-- Before an account goes: every user with an edge to it loses one from its count (the
-- edges themselves cascade with the account).
UPDATE users SET edge_count = edge_count - 1, update_time = now()
WHERE id IN (SELECT source_id FROM user_edge WHERE destination_id = @user_id);

-- name: ExportFriends :many
SELECT destination_id, state, position, update_time, metadata::text AS metadata
FROM user_edge WHERE source_id = @user_id ORDER BY state, position, destination_id;
