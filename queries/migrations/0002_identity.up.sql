-- Sessions: what makes a well-signed, unexpired token stop working before it expires.
-- A user's generation rises on "log out everywhere", a ban, account deletion, or a login
-- under session.single_session; tokens carry the generation they were issued under.
-- No foreign key: the generation must outlive a deleted account so its tokens stay dead.
CREATE TABLE session_generation (
    user_id    UUID   PRIMARY KEY,
    generation BIGINT NOT NULL
);

-- Single tokens revoked by logout, until they would have expired anyway. A session token
-- and its refresh token share a token id; kind 0 is the session token, 1 the refresh token.
CREATE TABLE session_revocation (
    token_id   TEXT        NOT NULL,
    kind       SMALLINT    NOT NULL CHECK (kind IN (0, 1)),
    user_id    UUID        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_id, kind)
);

CREATE INDEX session_revocation_expires_at_idx ON session_revocation (expires_at);

-- Accounts deleted with recorded = true, as Nakama's AccountDeleteId can ask for.
CREATE TABLE user_tombstone (
    user_id     UUID        PRIMARY KEY,
    create_time TIMESTAMPTZ NOT NULL DEFAULT now()
);
