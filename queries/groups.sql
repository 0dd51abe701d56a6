-- Groups and memberships. A group's row is changed by one statement at a time, and
-- statements that check a caller's role do so in the same statement as the change, so a
-- role revoked concurrently can never authorise a change.

-- name: GroupInsert :one
INSERT INTO groups (id, creator_id, name, description, avatar_url, lang_tag, metadata, state, edge_count, max_count)
VALUES (@id, @creator_id, @name, @description, @avatar_url, @lang_tag, @metadata::jsonb, @state, 1, @max_count)
RETURNING id, creator_id, name, description, avatar_url, lang_tag, metadata::text AS metadata, state, edge_count, max_count, create_time, update_time;

-- name: GroupEdgeInsert :exec
INSERT INTO group_edge (group_id, user_id, state, position)
VALUES (@group_id, @user_id, @state, @position);

-- name: GroupUpdate :execrows
-- Changes the given fields when the caller is an admin or superadmin of the group (or
-- when any_user is set: the server acting on its own authority). Null fields stay.
UPDATE groups SET
    name        = COALESCE(sqlc.narg(name)::text, name),
    description = COALESCE(sqlc.narg(description)::text, description),
    avatar_url  = COALESCE(sqlc.narg(avatar_url)::text, avatar_url),
    lang_tag    = COALESCE(sqlc.narg(lang_tag)::text, lang_tag),
    metadata    = COALESCE(sqlc.narg(metadata)::jsonb, metadata),
    state       = COALESCE(sqlc.narg(state)::smallint, state),
    max_count   = CASE WHEN @max_count::int >= 1 THEN @max_count::int ELSE max_count END,
    update_time = now()
WHERE id = @id
  AND (@any_user::bool OR EXISTS (SELECT 1 FROM group_edge e
                                  WHERE e.group_id = @id AND e.user_id = @user_id AND e.state <= 1));

-- name: GroupDelete :execrows
-- Deletes the group when the caller is one of its superadmins (or when any_user is set);
-- its memberships go with it.
DELETE FROM groups
WHERE id = @id
  AND (@any_user::bool OR EXISTS (SELECT 1 FROM group_edge e
                                  WHERE e.group_id = @id AND e.user_id = @user_id AND e.state = 0));

-- name: GroupsGet :many
SELECT id, creator_id, name, description, avatar_url, lang_tag, metadata::text AS metadata, state, edge_count, max_count, create_time, update_time
FROM groups WHERE id = ANY(@ids::uuid[])
ORDER BY id;

-- name: GroupsRandom :many
-- Starts at a random point of the id space and wraps around, as UsersRandom does.
(SELECT id FROM groups AS a WHERE a.id >= @start ORDER BY a.id LIMIT @count)
UNION ALL
(SELECT id FROM groups AS b WHERE b.id < @start ORDER BY b.id LIMIT @count);

-- name: GroupsListByPrefix :many
-- GroupsListByName for the common case of a plain prefix and no other filter. With
-- every parameter inside a scalar subquery the plan does not depend on the values, so
-- PostgreSQL keeps one cached plan for it instead of planning each call.
SELECT id, creator_id, name, description, avatar_url, lang_tag, metadata::text AS metadata, state, edge_count, max_count, create_time, update_time
FROM groups
WHERE name >= (SELECT @name_from::text)
  AND name < (SELECT @name_to::text)
  AND name > (SELECT @after_name::text)
ORDER BY name
LIMIT (SELECT @row_limit::int);

-- name: GroupsListByName :many
-- Groups whose names start with a prefix and match a LIKE pattern ('' when the prefix
-- says it all), in name order, strictly after the cursor's name. [name_from, name_to)
-- is the range of names with the pattern's literal prefix. The bounds are wrapped in
-- scalar subqueries on purpose: the planner then cannot (mis)estimate the range from
-- its histogram and always walks the unique name index in order, stopping after
-- row_limit rows, instead of fetching every match and sorting (5x slower at 100k groups).
SELECT id, creator_id, name, description, avatar_url, lang_tag, metadata::text AS metadata, state, edge_count, max_count, create_time, update_time
FROM groups
WHERE name >= (SELECT @name_from::text)
  AND name < (SELECT @name_to::text)
  AND name > (SELECT @after_name::text)
  AND (@pattern::text = '' OR name LIKE @pattern::text)
  AND (@lang_tag::text = '' OR lang_tag = @lang_tag::text)
  AND (sqlc.narg(state)::smallint IS NULL OR state = sqlc.narg(state)::smallint)
  AND (@members::int < 0 OR edge_count <= @members::int)
ORDER BY name
LIMIT @row_limit;

-- name: GroupsList :many
-- Groups in Nakama's (lang_tag, edge_count, id) order, strictly after the cursor.
SELECT id, creator_id, name, description, avatar_url, lang_tag, metadata::text AS metadata, state, edge_count, max_count, create_time, update_time
FROM groups
WHERE (lang_tag, edge_count, id) > (@after_lang_tag::text, @after_edge_count::int, @after_id::uuid)
  AND (@lang_tag::text = '' OR lang_tag = @lang_tag::text)
  AND (sqlc.narg(state)::smallint IS NULL OR state = sqlc.narg(state)::smallint)
  AND (@members::int < 0 OR edge_count <= @members::int)
ORDER BY lang_tag, edge_count, id
LIMIT @row_limit;

-- name: GroupsLockForUser :exec
-- Account deletion: lock every group the user is in, in id order, so two superadmins
-- leaving at once cannot each count on the other.
SELECT g.id FROM groups g
WHERE g.id IN (SELECT e.group_id FROM group_edge e WHERE e.user_id = @user_id)
ORDER BY g.id
FOR UPDATE;

-- name: GroupsDeleteLastSuperadmin :exec
-- Account deletion: groups where the user is the only superadmin go with the account, as
-- in Nakama (whatever other members they have).
DELETE FROM groups
WHERE id IN (SELECT e.group_id FROM group_edge e
             WHERE e.user_id = @user_id AND e.state = 0
               AND NOT EXISTS (SELECT 1 FROM group_edge o
                               WHERE o.group_id = e.group_id AND o.state = 0 AND o.user_id <> @user_id));

-- name: GroupsEdgeCountDropForUser :exec
-- Account deletion: the groups the user counts in lose one member (the memberships
-- themselves cascade with the account).
UPDATE groups SET edge_count = edge_count - 1, update_time = now()
WHERE id IN (SELECT e.group_id FROM group_edge e WHERE e.user_id = @user_id AND e.state <= 2);

-- name: ExportGroups :many
SELECT g.id, g.name, e.state, e.update_time
FROM group_edge e JOIN groups g ON g.id = e.group_id
WHERE e.user_id = @user_id
ORDER BY e.state, e.position, g.id;

-- name: GroupLock :one
-- Membership changes lock the group's row first, so they run one at a time per group and
-- edge_count, max_count and the roles they check cannot change underneath them.
SELECT id, name, state, edge_count, max_count FROM groups WHERE id = @id FOR UPDATE;

-- name: GroupEdgeStates :many
SELECT user_id, state FROM group_edge
WHERE group_id = @group_id AND user_id = ANY(@user_ids::uuid[]);

-- name: GroupSuperadminCount :one
SELECT count(*)::int FROM group_edge WHERE group_id = @group_id AND state = 0;

-- name: GroupEdgeSetState :exec
UPDATE group_edge SET state = @state, update_time = now()
WHERE group_id = @group_id AND user_id = @user_id;

-- name: GroupEdgeDelete :exec
DELETE FROM group_edge WHERE group_id = @group_id AND user_id = @user_id;

-- name: GroupEdgeCountAdd :exec
UPDATE groups SET edge_count = edge_count + @delta::int, update_time = now() WHERE id = @id;

-- name: GroupAdminIDs :many
SELECT user_id FROM group_edge WHERE group_id = @group_id AND state <= 1 ORDER BY user_id;

-- name: GroupUsernames :many
SELECT id, username FROM users WHERE id = ANY(@ids::uuid[]);

-- name: GroupUsersList :many
-- One page of a group's users in (state, position, user) order, strictly after the
-- cursor. Without a state filter (-1) banned users are left out, as in Nakama.
SELECT sqlc.embed(p), e.state, e.position
FROM group_edge e JOIN user_profile p ON p.id = e.user_id
WHERE e.group_id = @group_id
  AND (CASE WHEN @state::smallint < 0 THEN e.state <= 3 ELSE e.state = @state::smallint END)
  AND (e.state, e.position, e.user_id) > (@after_state::smallint, @after_position::bigint, @after_id::uuid)
ORDER BY e.state, e.position, e.user_id
LIMIT @row_limit;

-- name: UserGroupsList :many
-- One page of a user's groups in (state, position, group) order, strictly after the
-- cursor; without a state filter (-1) groups the user is banned from are left out.
SELECT g.id, g.creator_id, g.name, g.description, g.avatar_url, g.lang_tag, g.metadata::text AS metadata,
       g.state, g.edge_count, g.max_count, g.create_time, g.update_time,
       e.state AS user_state, e.position
FROM group_edge e JOIN groups g ON g.id = e.group_id
WHERE e.user_id = @user_id
  AND (CASE WHEN @state::smallint < 0 THEN e.state <= 3 ELSE e.state = @state::smallint END)
  AND (e.state, e.position, e.group_id) > (@after_state::smallint, @after_position::bigint, @after_id::uuid)
ORDER BY e.state, e.position, e.group_id
LIMIT @row_limit;
