-- Accounts: lookups by each login identifier, creation, reads and profile updates.

-- name: UserByDevice :one
SELECT u.id, u.username, u.disable_time
FROM user_device d
JOIN users u ON u.id = d.user_id
WHERE d.id = @device_id;

-- name: UserByCustomID :one
SELECT id, username, disable_time
FROM users
WHERE custom_id = @custom_id::text;

-- name: UserByEmail :one
SELECT id, username, password, disable_time
FROM users
WHERE email = @email::text;

-- name: UserByUsername :one
SELECT id, username, password, disable_time
FROM users
WHERE username = @username;

-- name: UserByID :one
SELECT id, username, disable_time
FROM users
WHERE id = @id;

-- name: UserCreateWithDevice :exec
-- One statement, so the account and its first device appear together or not at all.
WITH new_user AS (
    INSERT INTO users (id, username)
    VALUES (@id, @username)
    RETURNING id
)
INSERT INTO user_device (id, user_id)
SELECT @device_id, new_user.id
FROM new_user;

-- name: UserCreateWithCustomID :exec
INSERT INTO users (id, username, custom_id)
VALUES (@id, @username, @custom_id::text);

-- name: UserCreateWithEmail :exec
INSERT INTO users (id, username, email, password)
VALUES (@id, @username, @email::text, @password::bytea);

-- name: AccountGet :one
SELECT u.id, u.username, u.display_name, u.avatar_url, u.lang_tag, u.location, u.timezone,
       u.metadata::text AS metadata, u.wallet::text AS wallet, u.email, u.custom_id,
       u.facebook_id, u.google_id, u.gamecenter_id, u.steam_id, u.apple_id, u.facebook_instant_game_id,
       u.edge_count, u.create_time, u.update_time, u.verify_time, u.disable_time,
       array(SELECT d.id FROM user_device d WHERE d.user_id = u.id ORDER BY d.id)::text[] AS devices
FROM users u
WHERE u.id = @id;

-- name: AccountUpdate :execrows
-- A NULL argument leaves its column alone; an empty string clears it (username excepted).
-- The row is only touched when something changes, so update_time means "last changed".
UPDATE users AS u
SET username     = c.username,
    display_name = c.display_name,
    avatar_url   = c.avatar_url,
    lang_tag     = c.lang_tag,
    location     = c.location,
    timezone     = c.timezone,
    update_time  = now()
FROM (
    SELECT cur.id,
           coalesce(sqlc.narg(username)::text, cur.username) AS username,
           CASE WHEN sqlc.narg(display_name)::text IS NULL THEN cur.display_name ELSE nullif(sqlc.narg(display_name)::text, '') END AS display_name,
           CASE WHEN sqlc.narg(avatar_url)::text IS NULL THEN cur.avatar_url ELSE nullif(sqlc.narg(avatar_url)::text, '') END AS avatar_url,
           CASE WHEN sqlc.narg(lang_tag)::text IS NULL THEN cur.lang_tag ELSE nullif(sqlc.narg(lang_tag)::text, '') END AS lang_tag,
           CASE WHEN sqlc.narg(location)::text IS NULL THEN cur.location ELSE nullif(sqlc.narg(location)::text, '') END AS location,
           CASE WHEN sqlc.narg(timezone)::text IS NULL THEN cur.timezone ELSE nullif(sqlc.narg(timezone)::text, '') END AS timezone
    FROM users cur
    WHERE cur.id = @id
) AS c
WHERE u.id = c.id
  AND (c.username, c.display_name, c.avatar_url, c.lang_tag, c.location, c.timezone)
      IS DISTINCT FROM (u.username, u.display_name, u.avatar_url, u.lang_tag, u.location, u.timezone);
