DROP TABLE IF EXISTS user_tombstone;
DROP TABLE IF EXISTS session_revocation;
DROP TABLE IF EXISTS session_generation;
