DROP INDEX IF EXISTS message_sender_id_idx;
