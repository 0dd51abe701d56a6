ALTER TABLE leaderboard DROP COLUMN size_expiry;
