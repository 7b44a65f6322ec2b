-- "Make X Owner?" asked by the server (issue 9, item 2). A role change to or from Owner goes
-- through only with the answer to a question the server asked in this session, about this
-- project, target and role; the page shows the question's text from here, never from the
-- address bar. Only the SHA-256 of the answer's token is stored; it works once.
CREATE TABLE role_questions (
    token_hash   TEXT PRIMARY KEY,
    session_hash TEXT NOT NULL REFERENCES sessions (token_hash) ON DELETE CASCADE,
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    target_id    TEXT NOT NULL,
    from_role    TEXT NOT NULL,
    to_role      TEXT NOT NULL,
    question     TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);
