-- Boards whose ranks the runtime disabled (LeaderboardRanksDisable / TournamentRanksDisable):
-- they keep no rank cache and report no ranks, as in Nakama.
ALTER TABLE leaderboard ADD COLUMN enable_ranks BOOLEAN NOT NULL DEFAULT TRUE;
