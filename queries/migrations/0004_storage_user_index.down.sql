DROP INDEX IF EXISTS storage_user_id_idx;
