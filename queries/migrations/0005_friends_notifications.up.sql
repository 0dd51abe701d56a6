-- Friends and notifications. Column names follow Nakama's schema so exported data lines up.

-- One row per direction of a relationship. state: 0 friends, 1 invite sent, 2 invite
-- received, 3 blocked. An invite or friendship is always two rows (one per side); a block
-- is the blocker's row alone. position orders a user's list within a state (the time the
-- edge was made, in nanoseconds).
CREATE TABLE user_edge (
    source_id      UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    destination_id UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state          SMALLINT    NOT NULL CHECK (state BETWEEN 0 AND 3),
    position       BIGINT      NOT NULL,
    update_time    TIMESTAMPTZ NOT NULL DEFAULT now(),
    metadata       JSONB       NOT NULL DEFAULT '{}',
    PRIMARY KEY (source_id, destination_id),
    CHECK (source_id <> destination_id)
);

-- A user's list in (state, position) order, and account deletion finding the other side.
CREATE INDEX user_edge_source_id_state_position_idx ON user_edge (source_id, state, position, destination_id);
CREATE INDEX user_edge_destination_id_idx ON user_edge (destination_id);

-- Persistent notifications. create_time is the row's own insertion time to the
-- microsecond, and id (time-ordered, generated in order by the sender) breaks ties, so a
-- cacheable cursor on (create_time, id) never skips or repeats one. sender_id is the
-- all-zero id for system notifications.
CREATE TABLE notification (
    id          UUID         PRIMARY KEY,
    user_id     UUID         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject     VARCHAR(255) NOT NULL,
    content     JSONB        NOT NULL DEFAULT '{}',
    code        INTEGER      NOT NULL,
    sender_id   UUID         NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    create_time TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX notification_user_id_create_time_id_idx ON notification (user_id, create_time, id);
