DROP TABLE IF EXISTS leaderboard_record;
DROP TABLE IF EXISTS leaderboard;
