ALTER TABLE leaderboard DROP COLUMN enable_ranks;
