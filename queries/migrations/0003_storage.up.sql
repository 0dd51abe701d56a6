-- Storage objects and the wallet ledger. Column names and widths follow Nakama's schema,
-- so client-visible limits (128-character collections and keys) and exported data line up.

-- One JSON object per (collection, key, owner). The system user (all-zero id) owns
-- objects the server writes for nobody in particular. version is the MD5 hex of the value
-- exactly as it was written (clients compare it), not of the normalised jsonb.
-- read: 0 server only, 1 owner, 2 public. write: 0 server only, 1 owner.
CREATE TABLE storage (
    collection  VARCHAR(128) NOT NULL,
    key         VARCHAR(128) NOT NULL,
    user_id     UUID         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value       JSONB        NOT NULL,
    version     VARCHAR(32)  NOT NULL,
    read        SMALLINT     NOT NULL DEFAULT 1 CHECK (read BETWEEN 0 AND 2),
    write       SMALLINT     NOT NULL DEFAULT 1 CHECK (write BETWEEN 0 AND 1),
    create_time TIMESTAMPTZ  NOT NULL DEFAULT now(),
    update_time TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (collection, key, user_id)
);

-- Listing a collection across owners (public objects, or everything for the server), in
-- the order Nakama lists it: read permission, key, owner.
CREATE INDEX storage_collection_read_key_user_id_idx ON storage (collection, read, key, user_id);

-- Listing one owner's objects: read permission, then key.
CREATE INDEX storage_collection_user_id_read_key_idx ON storage (collection, user_id, read, key);

-- One row per recorded wallet change. Entries written by one transaction share its
-- create_time, so listings page on (create_time, id) to stay exact.
CREATE TABLE wallet_ledger (
    id          UUID        PRIMARY KEY,
    user_id     UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    changeset   JSONB       NOT NULL,
    metadata    JSONB       NOT NULL,
    create_time TIMESTAMPTZ NOT NULL DEFAULT now(),
    update_time TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX wallet_ledger_user_id_create_time_id_idx ON wallet_ledger (user_id, create_time DESC, id DESC);
