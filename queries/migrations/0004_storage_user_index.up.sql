-- Account deletion cascades to storage, and account export reads a user's objects: both
-- look storage up by owner alone, which the primary key (collection first) cannot serve.
CREATE INDEX storage_user_id_idx ON storage (user_id);
