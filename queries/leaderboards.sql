-- Leaderboards, tournaments and their records. Records are listed in rank order: highest
-- first (score, subscore, owner_id all descending) on descending boards, lowest first (all
-- ascending) on ascending boards, which is how Nakama breaks full ties.

-- name: LeaderboardInsert :execrows
-- Creating an id that exists changes nothing, as in Nakama.
INSERT INTO leaderboard (id, authoritative, sort_order, operator, reset_schedule, metadata,
    category, description, duration, end_time, join_required, max_size, max_num_score, title, start_time, enable_ranks)
VALUES (@id, @authoritative, @sort_order, @operator, @reset_schedule, @metadata::jsonb,
    @category, @description, @duration, @end_time, @join_required, @max_size, @max_num_score, @title, @start_time, @enable_ranks)
ON CONFLICT (id) DO NOTHING;

-- name: LeaderboardGet :one
SELECT id, authoritative, sort_order, operator, reset_schedule, metadata::text AS metadata, create_time,
    category, description, duration, end_time, join_required, max_size, max_num_score, title, size, size_expiry, start_time, enable_ranks
FROM leaderboard WHERE id = @id;

-- name: LeaderboardsAll :many
SELECT id, authoritative, sort_order, operator, reset_schedule, metadata::text AS metadata, create_time,
    category, description, duration, end_time, join_required, max_size, max_num_score, title, size, size_expiry, start_time, enable_ranks
FROM leaderboard ORDER BY id;

-- name: LeaderboardRanksDisable :execrows
UPDATE leaderboard SET enable_ranks = FALSE WHERE id = @id;

-- name: LeaderboardDelete :execrows
DELETE FROM leaderboard WHERE id = @id;

-- name: LeaderboardRecordWrite :one
-- One write under the effective operator (0 best, 1 set, 2 increment, 3 decrement). A
-- write that would change nothing (a worse score under best, the same score under set, a
-- zero increment) updates no row and returns none, so it does not count as a submission.
-- check_max refuses the update once num_score reaches max_num_score (tournaments).
INSERT INTO leaderboard_record AS r (leaderboard_id, owner_id, username, score, subscore, metadata, expiry_time, max_num_score)
VALUES (@leaderboard_id, @owner_id, sqlc.narg(username), @score, @subscore,
    COALESCE(sqlc.narg(metadata)::jsonb, '{}'), @expiry_time, @max_num_score)
ON CONFLICT (leaderboard_id, expiry_time, owner_id) DO UPDATE SET
    score = CASE @operator::smallint
        WHEN 0 THEN CASE WHEN @descending::bool THEN GREATEST(r.score, @score) ELSE LEAST(r.score, @score) END
        WHEN 1 THEN @score
        WHEN 2 THEN r.score + @score_delta
        ELSE GREATEST(r.score - @score_delta, 0) END,
    subscore = CASE @operator::smallint
        WHEN 0 THEN CASE WHEN @descending::bool THEN GREATEST(r.subscore, @subscore) ELSE LEAST(r.subscore, @subscore) END
        WHEN 1 THEN @subscore
        WHEN 2 THEN r.subscore + @subscore_delta
        ELSE GREATEST(r.subscore - @subscore_delta, 0) END,
    num_score = r.num_score + 1,
    metadata = COALESCE(sqlc.narg(metadata)::jsonb, r.metadata),
    username = COALESCE(sqlc.narg(username), r.username),
    update_time = now()
WHERE (NOT @check_max::bool OR r.num_score < r.max_num_score) AND CASE @operator::smallint
    WHEN 0 THEN CASE WHEN @descending::bool THEN r.score < @score OR r.subscore < @subscore
                     ELSE r.score > @score OR r.subscore > @subscore END
    WHEN 1 THEN r.score <> @score OR r.subscore <> @subscore
    ELSE @score_delta::bigint <> 0 OR @subscore_delta::bigint <> 0 END
RETURNING username, score, subscore, num_score, max_num_score, metadata::text AS metadata, create_time, update_time;

-- name: LeaderboardRecordGet :one
SELECT username, score, subscore, num_score, max_num_score, metadata::text AS metadata, create_time, update_time
FROM leaderboard_record
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time AND owner_id = @owner_id;

-- name: LeaderboardRecordDelete :execrows
DELETE FROM leaderboard_record
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time AND owner_id = @owner_id;

-- name: LeaderboardRecordsAscending :many
-- The lowest records first, from the start.
SELECT owner_id, username, score, subscore, num_score, max_num_score, metadata::text AS metadata, create_time, update_time
FROM leaderboard_record
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time
ORDER BY score, subscore, owner_id
LIMIT @row_limit;

-- name: LeaderboardRecordsAscendingAfter :many
-- The records after a position, lowest first.
SELECT owner_id, username, score, subscore, num_score, max_num_score, metadata::text AS metadata, create_time, update_time
FROM leaderboard_record
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time
  AND (score, subscore, owner_id) > (@score::bigint, @subscore::bigint, @owner_id::uuid)
ORDER BY score, subscore, owner_id
LIMIT @row_limit;

-- name: LeaderboardRecordsDescending :many
-- The highest records first, from the start.
SELECT owner_id, username, score, subscore, num_score, max_num_score, metadata::text AS metadata, create_time, update_time
FROM leaderboard_record
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time
ORDER BY score DESC, subscore DESC, owner_id DESC
LIMIT @row_limit;

-- name: LeaderboardRecordsDescendingBefore :many
-- The records before a position, highest first.
SELECT owner_id, username, score, subscore, num_score, max_num_score, metadata::text AS metadata, create_time, update_time
FROM leaderboard_record
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time
  AND (score, subscore, owner_id) < (@score::bigint, @subscore::bigint, @owner_id::uuid)
ORDER BY score DESC, subscore DESC, owner_id DESC
LIMIT @row_limit;

-- name: LeaderboardRecordsByOwners :many
SELECT owner_id, username, score, subscore, num_score, max_num_score, metadata::text AS metadata, create_time, update_time
FROM leaderboard_record
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time AND owner_id = ANY(@owner_ids::uuid[]);

-- name: LeaderboardRecordsRankLoad :many
-- A period's records in no particular order, for the rank cache at start-up: reading the
-- table in its own order and sorting in memory beats an index scan that visits the heap
-- in rank order.
SELECT owner_id, score, subscore
FROM leaderboard_record
WHERE leaderboard_id = @leaderboard_id AND expiry_time = @expiry_time;

-- name: LeaderboardRecordsDeleteOwner :many
-- Account deletion: every record of the owner, in every period.
DELETE FROM leaderboard_record WHERE owner_id = @owner_id
RETURNING leaderboard_id, expiry_time;

-- name: ExportLeaderboardRecords :many
SELECT leaderboard_id, username, score, subscore, num_score, max_num_score, metadata::text AS metadata,
    create_time, update_time, expiry_time
FROM leaderboard_record WHERE owner_id = @owner_id ORDER BY leaderboard_id, expiry_time;
