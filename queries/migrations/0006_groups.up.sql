-- Groups and their memberships. Column names follow Nakama's schema so exported data
-- lines up.

-- state: 0 open (anyone may join), 1 closed (joining asks the admins). name is unique and
-- compared byte-wise (COLLATE "C"), so the unique index also serves name-prefix listing
-- in name order. edge_count counts members (superadmins, admins and members; not join
-- requests or bans) and never exceeds max_count except when a server-side update lowers
-- max_count below it. creator_id is kept after the creator's account goes, as in Nakama.
CREATE TABLE groups (
    id          UUID         PRIMARY KEY,
    creator_id  UUID         NOT NULL,
    name        VARCHAR(255) COLLATE "C" NOT NULL CONSTRAINT groups_name_key UNIQUE,
    description VARCHAR(255) NOT NULL DEFAULT '',
    avatar_url  VARCHAR(512) NOT NULL DEFAULT '',
    lang_tag    VARCHAR(18)  NOT NULL DEFAULT 'en',
    metadata    JSONB        NOT NULL DEFAULT '{}',
    state       SMALLINT     NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 1),
    edge_count  INTEGER      NOT NULL DEFAULT 0 CHECK (edge_count >= 0),
    max_count   INTEGER      NOT NULL DEFAULT 100 CHECK (max_count >= 1),
    create_time TIMESTAMPTZ  NOT NULL DEFAULT now(),
    update_time TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- The unfiltered list in Nakama's (lang_tag, edge_count, id) order.
CREATE INDEX groups_lang_tag_edge_count_id_idx ON groups (lang_tag, edge_count, id);

-- One row per (group, user). state: 0 superadmin, 1 admin, 2 member, 3 join request,
-- 4 banned (Nakama's numbers). position orders a list within a state (nanoseconds at
-- which the row was made). Both directions are listed from this one row: a group's users
-- by the primary key, a user's groups by the second index.
CREATE TABLE group_edge (
    group_id    UUID        NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id     UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state       SMALLINT    NOT NULL CHECK (state BETWEEN 0 AND 4),
    position    BIGINT      NOT NULL,
    update_time TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);

CREATE INDEX group_edge_group_id_state_position_idx ON group_edge (group_id, state, position, user_id);
CREATE INDEX group_edge_user_id_state_position_idx ON group_edge (user_id, state, position, group_id);

-- Channel message history, starting with the server's group event messages (codes 3-9:
-- joined, added, left, kicked, promoted, banned, demoted); the chat area adds user
-- messages to the same table. channel_id is the client-visible channel id ("3.<group>.."
-- for a group). group_id ties a group channel's messages to the group, so deleting the
-- group deletes its history. create_time is the row's own insertion time to the
-- microsecond and id (time-ordered, generated in order by the writer) breaks ties, so
-- history in (create_time, id) order never skips or repeats a message.
CREATE TABLE message (
    id          UUID         PRIMARY KEY,
    channel_id  VARCHAR(255) NOT NULL,
    code        INTEGER      NOT NULL DEFAULT 0,
    sender_id   UUID         NOT NULL,
    username    VARCHAR(128) NOT NULL DEFAULT '',
    content     JSONB        NOT NULL DEFAULT '{}',
    group_id    UUID         REFERENCES groups (id) ON DELETE CASCADE,
    create_time TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    update_time TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX message_channel_id_create_time_id_idx ON message (channel_id, create_time, id);
CREATE INDEX message_group_id_idx ON message (group_id) WHERE group_id IS NOT NULL;
