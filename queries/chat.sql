-- Chat channel messages: user messages (codes 0-2) and the server's group event
-- messages (codes 3-9) share one table, listed per channel in (create_time, id) order.

-- name: MessagesInsert :many
-- Channel messages, inserted in array order, each stamped with its own clock time.
INSERT INTO message (id, channel_id, code, sender_id, username, content, group_id)
SELECT unnest(@ids::uuid[]), unnest(@channel_ids::text[]), unnest(@codes::int[]), unnest(@sender_ids::uuid[]),
       unnest(@usernames::text[]), unnest(@contents::jsonb[]), unnest(@group_ids::uuid[])
RETURNING id, create_time;

-- name: MessageInsertGroupMember :one
-- A user's message to a group channel, written only while the sender is a member
-- (superadmin, admin or member), checked in the same statement so a concurrent kick
-- cannot slip a message in. No row: not a member.
INSERT INTO message (id, channel_id, code, sender_id, username, content, group_id)
SELECT @id, @channel_id, 0, @sender_id, @username, @content::jsonb, @group_id
WHERE EXISTS (SELECT 1 FROM group_edge e WHERE e.group_id = @group_id AND e.user_id = @sender_id AND e.state <= 2)
RETURNING create_time;

-- name: MessageInsert :one
-- A message from anyone allowed to post without a membership check (rooms, DMs, the
-- system); group_id is set for group channels so the group's deletion takes them along.
INSERT INTO message (id, channel_id, code, sender_id, username, content, group_id)
VALUES (@id, @channel_id, 0, @sender_id, @username, @content::jsonb, sqlc.narg(group_id))
RETURNING create_time;

-- name: MessagesByChannel :many
-- A channel's whole history, oldest first (tests and small tools; clients page).
SELECT id, code, sender_id, username, content::text AS content, create_time, update_time
FROM message WHERE channel_id = @channel_id
ORDER BY create_time, id;

-- name: MessageUpdate :one
-- The sender's own chat message (code 0: not a server event) in this channel gets new
-- content; no row: none such.
UPDATE message SET content = @content::jsonb, username = @username, update_time = clock_timestamp()
WHERE id = @id AND channel_id = @channel_id AND sender_id = @sender_id AND code = 0
RETURNING create_time, update_time;

-- name: MessageDelete :one
DELETE FROM message
WHERE id = @id AND channel_id = @channel_id AND sender_id = @sender_id AND code = 0
RETURNING create_time;

-- name: MessageSender :one
-- Who sent a stored message of this channel (no row: none stored).
SELECT sender_id FROM message WHERE id = @id AND channel_id = @channel_id;

-- name: MessagesListAfter :many
-- A channel's messages strictly after a position, oldest first.
SELECT id, code, sender_id, username, content::text AS content, create_time, update_time
FROM message
WHERE channel_id = @channel_id AND (create_time, id) > (@after_time::timestamptz, @after_id::uuid)
ORDER BY create_time, id
LIMIT @row_limit;

-- name: MessagesListBefore :many
-- A channel's messages strictly before a position, newest first.
SELECT id, code, sender_id, username, content::text AS content, create_time, update_time
FROM message
WHERE channel_id = @channel_id AND (create_time, id) < (@before_time::timestamptz, @before_id::uuid)
ORDER BY create_time DESC, id DESC
LIMIT @row_limit;

-- name: GroupMemberIs :one
-- Whether the user is a current member (superadmin, admin or member) of the group.
SELECT EXISTS (SELECT 1 FROM group_edge WHERE group_id = @group_id AND user_id = @user_id AND state <= 2);

-- name: UserExistsNotBlocking :one
-- Whether the user exists and has not blocked the other (Nakama's DM rule).
SELECT EXISTS (SELECT 1 FROM users u WHERE u.id = @user_id
               AND NOT EXISTS (SELECT 1 FROM user_edge e
                               WHERE e.source_id = @user_id AND e.destination_id = @other_id AND e.state = 3));

-- name: MessagesDeleteBySender :exec
-- Account deletion: the user's messages go with the account, as in Nakama (its
-- message table cascades on the sender).
DELETE FROM message WHERE sender_id = @sender_id;

-- name: ExportMessages :many
SELECT id, channel_id, code, username, content::text AS content, create_time, update_time
FROM message WHERE sender_id = @sender_id
ORDER BY create_time, id;
