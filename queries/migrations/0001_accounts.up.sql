-- Accounts: one row per player, plus the device ids that log into it.
-- Column names and widths follow Nakama's schema so exported data and
-- client-visible limits line up.
CREATE TABLE users (
    id                       UUID         PRIMARY KEY,
    username                 VARCHAR(128) NOT NULL CONSTRAINT users_username_key UNIQUE,
    display_name             VARCHAR(255),
    avatar_url               VARCHAR(512),
    lang_tag                 VARCHAR(18)  DEFAULT 'en',
    location                 VARCHAR(255),
    timezone                 VARCHAR(255),
    metadata                 JSONB        NOT NULL DEFAULT '{}',
    wallet                   JSONB        NOT NULL DEFAULT '{}',
    email                    VARCHAR(255) CONSTRAINT users_email_key UNIQUE,
    password                 BYTEA        CHECK (length(password) < 32000),
    facebook_id              VARCHAR(128) CONSTRAINT users_facebook_id_key UNIQUE,
    google_id                VARCHAR(128) CONSTRAINT users_google_id_key UNIQUE,
    gamecenter_id            VARCHAR(128) CONSTRAINT users_gamecenter_id_key UNIQUE,
    steam_id                 VARCHAR(128) CONSTRAINT users_steam_id_key UNIQUE,
    custom_id                VARCHAR(128) CONSTRAINT users_custom_id_key UNIQUE,
    apple_id                 VARCHAR(128) CONSTRAINT users_apple_id_key UNIQUE,
    facebook_instant_game_id VARCHAR(128) CONSTRAINT users_facebook_instant_game_id_key UNIQUE,
    edge_count               INTEGER      NOT NULL DEFAULT 0 CHECK (edge_count >= 0),
    create_time              TIMESTAMPTZ  NOT NULL DEFAULT now(),
    update_time              TIMESTAMPTZ  NOT NULL DEFAULT now(),
    verify_time              TIMESTAMPTZ,
    disable_time             TIMESTAMPTZ
);

-- The system user owns server-side data (storage written by the runtime, etc.), as in Nakama.
INSERT INTO users (id, username) VALUES ('00000000-0000-0000-0000-000000000000', '');

CREATE TABLE user_device (
    id      VARCHAR(128) PRIMARY KEY,
    user_id UUID         NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX user_device_user_id_idx ON user_device (user_id);
