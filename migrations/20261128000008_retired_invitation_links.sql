-- The links of invitations that were cancelled, or replaced by a newer link when the invitation
-- was resent or invited again (issue 11, item 6; seed 001's "informational page about the link
-- invalidity"): opening one names the project and says what to do, instead of "not valid".
-- Only the link's SHA-256 is kept, like the invitations' own.
CREATE TABLE retired_invitation_links (
    token_hash   TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    inviter_name TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('cancelled', 'replaced')),
    retired_at   BIGINT NOT NULL
);
CREATE INDEX retired_invitation_links_by_age ON retired_invitation_links (retired_at);
