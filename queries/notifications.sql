-- Notifications: persistent per-user messages, listed oldest first with a cursor on
-- (create_time, id).

-- name: NotificationsInsert :many
-- Rows are inserted in array order, each stamped with its own clock time.
INSERT INTO notification (id, user_id, subject, content, code, sender_id)
SELECT unnest(@ids::uuid[]), unnest(@user_ids::uuid[]), unnest(@subjects::text[]),
       unnest(@contents::jsonb[]), unnest(@codes::int[]), unnest(@sender_ids::uuid[])
RETURNING id, create_time;

-- name: NotificationsInsertAll :execrows
-- One notification to every user (not the system user).
INSERT INTO notification (id, user_id, subject, content, code, sender_id)
SELECT gen_random_uuid(), u.id, @subject, @content::jsonb, @code, @sender_id
FROM users u WHERE u.id <> '00000000-0000-0000-0000-000000000000';

-- name: NotificationsList :many
SELECT id, subject, content::text AS content, code, sender_id, create_time
FROM notification
WHERE user_id = @user_id AND (create_time, id) > (@after_time::timestamptz, @after_id::uuid)
ORDER BY create_time, id
LIMIT @row_limit;

-- name: NotificationsGet :many
-- Notifications by id, of one user or (the zero id) of anyone, oldest first.
SELECT id, user_id, subject, content::text AS content, code, sender_id, create_time
FROM notification
WHERE id = ANY(@ids::uuid[])
  AND (@user_id::uuid = '00000000-0000-0000-0000-000000000000' OR user_id = @user_id::uuid)
ORDER BY create_time, id;

-- name: NotificationUpdate :execrows
-- A null argument leaves its field as it is.
UPDATE notification
SET subject = COALESCE(sqlc.narg(subject)::text, subject),
    content = COALESCE(sqlc.narg(content)::jsonb, content),
    sender_id = COALESCE(sqlc.narg(sender_id)::uuid, sender_id)
WHERE id = @id;

-- name: NotificationsDelete :execrows
DELETE FROM notification WHERE user_id = @user_id AND id = ANY(@ids::uuid[]);

-- name: NotificationsDeleteAny :execrows
DELETE FROM notification WHERE id = ANY(@ids::uuid[]);

-- name: ExportNotifications :many
SELECT id, subject, content::text AS content, code, sender_id, create_time
FROM notification WHERE user_id = @user_id ORDER BY create_time, id;
