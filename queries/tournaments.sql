-- Tournaments: leaderboards with a duration. Joining inserts the owner's record for the
-- current period with no score and no submissions, and counts the owner in the period's size.

-- name: TournamentJoinRecord :execrows
INSERT INTO leaderboard_record (leaderboard_id, owner_id, username, num_score, max_num_score, expiry_time)
VALUES (@leaderboard_id, @owner_id, sqlc.narg(username), 0, @max_num_score, @expiry_time)
ON CONFLICT (leaderboard_id, expiry_time, owner_id) DO NOTHING;

-- name: TournamentRecordExists :one
SELECT EXISTS (SELECT 1 FROM leaderboard_record
    WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time AND owner_id = @owner_id);

-- name: TournamentSizeAdd :execrows
-- Counts one more entrant of the period ending at expiry_time unless that period is full;
-- the first entrant of a new period starts its count. An entrant of a period older than
-- the one counted (a write racing the reset) is refused as if the tournament were full.
UPDATE leaderboard SET
    size = CASE WHEN size_expiry = @expiry_time THEN size + 1 ELSE 1 END,
    size_expiry = @expiry_time
WHERE id = @id AND (size_expiry < @expiry_time OR (size_expiry = @expiry_time AND size < max_size));

-- name: TournamentLock :exec
SELECT 1 FROM leaderboard WHERE id = @id FOR UPDATE;

-- name: TournamentAddAttempt :execrows
UPDATE leaderboard_record SET max_num_score = GREATEST(max_num_score + @count, 0)
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time AND owner_id = @owner_id;

-- name: TournamentsList :many
-- Tournaments in a category range, by (category, start_time, id) after a cursor position.
SELECT id, authoritative, sort_order, operator, reset_schedule, metadata::text AS metadata, create_time,
    category, description, duration, end_time, join_required, max_size, max_num_score, title, size, size_expiry, start_time, enable_ranks
FROM leaderboard
WHERE duration > 0 AND category BETWEEN @category_start AND @category_end
  AND (category, start_time, id) > (@after_category::smallint, @after_start::timestamptz, @after_id::text)
ORDER BY category, start_time, id;
