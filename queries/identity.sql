-- Identity: social-provider lookups, generic account creation, link/unlink, users,
-- bans and deletion.

-- name: UserByAppleID :one
SELECT id, username, disable_time, display_name, avatar_url FROM users WHERE apple_id = @provider_id::text;

-- name: UserByFacebookID :one
SELECT id, username, disable_time, display_name, avatar_url FROM users WHERE facebook_id = @provider_id::text;

-- name: UserByFacebookInstantGameID :one
SELECT id, username, disable_time, display_name, avatar_url FROM users WHERE facebook_instant_game_id = @provider_id::text;

-- name: UserByGoogleID :one
SELECT id, username, disable_time, display_name, avatar_url FROM users WHERE google_id = @provider_id::text;

-- name: UserByGamecenterID :one
SELECT id, username, disable_time, display_name, avatar_url FROM users WHERE gamecenter_id = @provider_id::text;

-- name: UserBySteamID :one
SELECT id, username, disable_time, display_name, avatar_url FROM users WHERE steam_id = @provider_id::text;

-- name: UserCreateWithProvider :exec
-- One of the provider columns is set; the profile fields come from the provider.
INSERT INTO users (id, username, display_name, avatar_url, apple_id, facebook_id, facebook_instant_game_id, google_id, gamecenter_id, steam_id)
VALUES (@id, @username, sqlc.narg(display_name), sqlc.narg(avatar_url), sqlc.narg(apple_id), sqlc.narg(facebook_id),
        sqlc.narg(facebook_instant_game_id), sqlc.narg(google_id), sqlc.narg(gamecenter_id), sqlc.narg(steam_id));

-- name: UserImportProfile :exec
-- Fills display name and avatar from a provider profile only where the user has none.
UPDATE users
SET display_name = coalesce(nullif(display_name, ''), sqlc.narg(display_name)::text),
    avatar_url   = coalesce(nullif(avatar_url, ''), sqlc.narg(avatar_url)::text)
WHERE id = @id
  AND ((display_name IS NULL AND sqlc.narg(display_name)::text IS NOT NULL)
       OR (avatar_url IS NULL AND sqlc.narg(avatar_url)::text IS NOT NULL));

-- name: UserImportEmail :execrows
-- Records a provider's email when the account has none and no other account holds it.
UPDATE users AS u
SET email = @email::text
WHERE u.id = @id AND u.email IS NULL
  AND NOT EXISTS (SELECT 1 FROM users other WHERE other.email = @email::text);

-- name: UserLink :exec
-- Sets one identifier column (named by kind). Uniqueness is the constraints' job: a
-- violation means another account holds the identifier.
UPDATE users
SET custom_id                = CASE WHEN @kind::text = 'custom' THEN sqlc.narg(value)::text ELSE custom_id END,
    email                    = CASE WHEN @kind::text = 'email' THEN sqlc.narg(value)::text ELSE email END,
    password                 = CASE WHEN @kind::text = 'email' THEN sqlc.narg(password)::bytea ELSE password END,
    apple_id                 = CASE WHEN @kind::text = 'apple' THEN sqlc.narg(value)::text ELSE apple_id END,
    facebook_id              = CASE WHEN @kind::text = 'facebook' THEN sqlc.narg(value)::text ELSE facebook_id END,
    facebook_instant_game_id = CASE WHEN @kind::text = 'facebook_instant_game' THEN sqlc.narg(value)::text ELSE facebook_instant_game_id END,
    google_id                = CASE WHEN @kind::text = 'google' THEN sqlc.narg(value)::text ELSE google_id END,
    gamecenter_id            = CASE WHEN @kind::text = 'gamecenter' THEN sqlc.narg(value)::text ELSE gamecenter_id END,
    steam_id                 = CASE WHEN @kind::text = 'steam' THEN sqlc.narg(value)::text ELSE steam_id END,
    update_time              = now()
WHERE id = @id;

-- name: UserLock :one
-- Locks the account row so concurrent unlinks cannot together remove the last identifier.
-- A separate statement then reads the identifiers: under READ COMMITTED only a statement
-- started after the lock was granted sees what the previous holder committed (a subquery
-- in the locking statement would still see the devices as they were before the wait).
SELECT id FROM users WHERE id = @id FOR UPDATE;

-- name: UserIdentifiers :one
SELECT u.custom_id, u.email, u.apple_id, u.facebook_id, u.facebook_instant_game_id, u.google_id, u.gamecenter_id, u.steam_id,
       array(SELECT d.id FROM user_device d WHERE d.user_id = u.id)::text[] AS devices
FROM users u
WHERE u.id = @id;

-- name: DeviceOwner :one
SELECT user_id FROM user_device WHERE id = @id;

-- name: DeviceLink :exec
INSERT INTO user_device (id, user_id) VALUES (@id, @user_id);

-- name: DeviceUnlink :execrows
DELETE FROM user_device WHERE id = @id AND user_id = @user_id;

-- name: UserTouch :exec
UPDATE users SET update_time = now() WHERE id = @id;

-- name: UsersGet :many
SELECT sqlc.embed(p)
FROM user_profile p
WHERE p.id <> '00000000-0000-0000-0000-000000000000'
  AND (p.id = ANY(@ids::uuid[]) OR p.username = ANY(@usernames::text[]) OR p.facebook_id = ANY(@facebook_ids::text[]));

-- name: UsersRandom :many
-- Starts at a random point of the id space and wraps around, so no full-table sort.
(SELECT id FROM users AS a WHERE a.id >= @start AND a.id <> '00000000-0000-0000-0000-000000000000' ORDER BY a.id LIMIT @count)
UNION ALL
(SELECT id FROM users AS b WHERE b.id < @start AND b.id <> '00000000-0000-0000-0000-000000000000' ORDER BY b.id LIMIT @count);

-- name: AccountsGet :many
SELECT u.id, u.username, u.display_name, u.avatar_url, u.lang_tag, u.location, u.timezone,
       u.metadata::text AS metadata, u.wallet::text AS wallet, u.email, u.custom_id,
       u.facebook_id, u.google_id, u.gamecenter_id, u.steam_id, u.apple_id, u.facebook_instant_game_id,
       u.edge_count, u.create_time, u.update_time, u.verify_time, u.disable_time,
       array(SELECT d.id FROM user_device d WHERE d.user_id = u.id ORDER BY d.id)::text[] AS devices
FROM users u
WHERE u.id = ANY(@ids::uuid[]) AND u.id <> '00000000-0000-0000-0000-000000000000';

-- name: AccountIDsByDevice :many
-- The owners of the given device ids, each once.
SELECT DISTINCT user_id FROM user_device WHERE id = ANY(@device_ids::text[]);

-- name: UsersBan :many
UPDATE users SET disable_time = now(), update_time = now()
WHERE id = ANY(@ids::uuid[]) AND id <> '00000000-0000-0000-0000-000000000000'
RETURNING id;

-- name: UsersUnban :exec
UPDATE users SET disable_time = NULL, update_time = now()
WHERE id = ANY(@ids::uuid[]) AND disable_time IS NOT NULL;

-- name: UserDelete :execrows
DELETE FROM users WHERE id = @id AND id <> '00000000-0000-0000-0000-000000000000';

-- name: UserTombstoneAdd :exec
INSERT INTO user_tombstone (user_id) VALUES (@user_id) ON CONFLICT (user_id) DO NOTHING;

-- name: AccountMetadataUpdate :exec
UPDATE users SET metadata = @metadata::jsonb, update_time = now()
WHERE id = @id AND metadata IS DISTINCT FROM @metadata::jsonb;
