-- The public profile of an account, as every user listing returns it (users, friends,
-- friends of friends, group members). One definition, so a new profile column is added
-- in one place; metadata comes as text because clients receive it as a JSON string.
CREATE VIEW user_profile AS
SELECT id, username, display_name, avatar_url, lang_tag, location, timezone,
       metadata::text AS metadata, facebook_id, google_id, gamecenter_id, steam_id, apple_id,
       facebook_instant_game_id, edge_count, create_time, update_time
FROM users;
