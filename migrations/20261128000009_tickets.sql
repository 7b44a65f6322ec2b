-- Support tickets (seed 001 "Support"; issue 10): a project's conversations with the hosting
-- company's staff. Every member may use them; staff write through the operator API.

CREATE TABLE tickets (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number     BIGINT NOT NULL,             -- #1, #2 … per project (assigned under the project lock)
    subject    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'awaiting_reply', 'closed')),
    opened_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (project_id, number)
);
CREATE INDEX tickets_by_project ON tickets (project_id, updated_at);

CREATE TABLE ticket_messages (
    id          TEXT PRIMARY KEY,
    ticket_id   TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,           -- 1, 2, 3 … in the ticket (under the project lock)
    author_id   TEXT REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,             -- kept as written: a member who leaves stays named
    from_staff  BIGINT NOT NULL DEFAULT 0, -- 1: written by the hosting company's staff
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX ticket_messages_in_order ON ticket_messages (ticket_id, seq);
