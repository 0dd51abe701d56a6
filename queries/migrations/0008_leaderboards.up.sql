-- Leaderboards and tournaments (a tournament is a leaderboard with a duration), and their
-- records. Column names and numbers follow Nakama's schema so exported data lines up:
-- sort_order 0 ascending, 1 descending; operator 0 best, 1 set, 2 increment, 3 decrement.
-- An empty reset_schedule means the board never resets. end_time 'epoch' means no end.
CREATE TABLE leaderboard (
    id             VARCHAR(128) PRIMARY KEY,
    authoritative  BOOLEAN      NOT NULL DEFAULT FALSE,
    sort_order     SMALLINT     NOT NULL DEFAULT 1 CHECK (sort_order BETWEEN 0 AND 1),
    operator       SMALLINT     NOT NULL DEFAULT 0 CHECK (operator BETWEEN 0 AND 3),
    reset_schedule VARCHAR(64)  NOT NULL DEFAULT '',
    metadata       JSONB        NOT NULL DEFAULT '{}',
    create_time    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    category       SMALLINT     NOT NULL DEFAULT 0 CHECK (category BETWEEN 0 AND 127),
    description    VARCHAR(255) NOT NULL DEFAULT '',
    duration       INTEGER      NOT NULL DEFAULT 0 CHECK (duration >= 0),
    end_time       TIMESTAMPTZ  NOT NULL DEFAULT 'epoch',
    join_required  BOOLEAN      NOT NULL DEFAULT FALSE,
    max_size       INTEGER      NOT NULL DEFAULT 100000000 CHECK (max_size > 0),
    max_num_score  INTEGER      NOT NULL DEFAULT 1000000 CHECK (max_num_score > 0),
    title          VARCHAR(255) NOT NULL DEFAULT '',
    size           INTEGER      NOT NULL DEFAULT 0 CHECK (size >= 0),
    start_time     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Tournament listing by category and start time.
CREATE INDEX leaderboard_category_start_time_idx ON leaderboard (category, start_time, id) WHERE duration > 0;

-- One record per owner per period: expiry_time is the end of the period the record
-- belongs to ('epoch' for boards that never reset). Owners are usually users but may be
-- groups or anything a server names, so there is no foreign key to users; account deletion
-- removes a user's records explicitly. Scores are never negative, as in Nakama.
CREATE TABLE leaderboard_record (
    leaderboard_id VARCHAR(128) NOT NULL REFERENCES leaderboard (id) ON DELETE CASCADE,
    owner_id       UUID         NOT NULL,
    username       VARCHAR(128),
    score          BIGINT       NOT NULL DEFAULT 0 CONSTRAINT leaderboard_record_score_check CHECK (score >= 0),
    subscore       BIGINT       NOT NULL DEFAULT 0 CONSTRAINT leaderboard_record_subscore_check CHECK (subscore >= 0),
    num_score      INTEGER      NOT NULL DEFAULT 1 CHECK (num_score >= 0),
    max_num_score  INTEGER      NOT NULL DEFAULT 1000000,
    metadata       JSONB        NOT NULL DEFAULT '{}',
    create_time    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    update_time    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expiry_time    TIMESTAMPTZ  NOT NULL DEFAULT 'epoch',
    PRIMARY KEY (leaderboard_id, expiry_time, owner_id)
);

-- Listing in rank order both ways, keyset cursors, around-owner.
CREATE INDEX leaderboard_record_rank_idx ON leaderboard_record (leaderboard_id, expiry_time, score, subscore, owner_id);
-- Account deletion and export.
CREATE INDEX leaderboard_record_owner_id_idx ON leaderboard_record (owner_id);
