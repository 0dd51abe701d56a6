DROP VIEW IF EXISTS user_profile;
