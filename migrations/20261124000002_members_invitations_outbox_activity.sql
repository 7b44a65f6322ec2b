-- Invitations, the mail outbox, and the activity log.

-- How long a new invitation link stays valid (seed 002: 7 days by default; 1-30).
ALTER TABLE projects ADD COLUMN invite_expiry_days BIGINT NOT NULL DEFAULT 7;
-- Bumped by every membership change. Its first statement in a transaction takes the project's
-- row lock (PostgreSQL) or the write lock (SQLite), so checks like "is this the last Owner"
-- run one at a time per project.
ALTER TABLE projects ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'developer', 'accountant')),
    token_hash  TEXT NOT NULL UNIQUE,     -- SHA-256 of the link's token
    invited_by  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_at     BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
    answered_at BIGINT
);
-- One pending invitation per address and project.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (project_id, email) WHERE status = 'pending';
CREATE INDEX invitations_by_email ON invitations (email, status);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL DEFAULT 0,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- The single record of what changed in a project's membership. `seq` numbers a project's
-- events 1, 2, 3 … (assigned under the project lock) for live streams to resume from.
CREATE TABLE activity (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    actor_id   TEXT,
    actor_name TEXT NOT NULL,
    subject    TEXT NOT NULL,             -- who or what it is about (a name or an email)
    old_value  TEXT,
    new_value  TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (project_id, seq)
);
