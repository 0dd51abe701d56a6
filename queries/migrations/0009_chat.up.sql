-- Chat: user messages join the group event messages in the message table. History is
-- listed by (channel_id, create_time, id), which the groups migration already indexes;
-- account deletion and export find a user's messages by sender.
CREATE INDEX message_sender_id_idx ON message (sender_id);
