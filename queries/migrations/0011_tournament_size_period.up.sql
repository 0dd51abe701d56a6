-- A tournament's size counts the entrants of one period: size_expiry is the end of the
-- period it counts (the epoch for tournaments that never reset), so a new period starts
-- from zero the moment it begins, without waiting for a scheduler to clear the count.
ALTER TABLE leaderboard ADD COLUMN size_expiry TIMESTAMPTZ NOT NULL DEFAULT 'epoch';
