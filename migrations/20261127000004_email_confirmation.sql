-- Proven addresses (issue 9). An address counts for invitations only once its owner showed they
-- read its mail: a confirmation link, or an invitation link sent to it. Accounts made before
-- this migration are unproven until they do one of the two (README, Security).
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;

-- Confirmation links: only the SHA-256 of a link's token is stored; a new link replaces the old.
CREATE TABLE email_confirmations (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,             -- the address the link was sent to
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX email_confirmations_by_user ON email_confirmations (user_id);

-- What an email is about: account mail (confirmation, "you already have an account") is limited
-- per recipient address, so sign-up cannot be used to flood someone's inbox.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'project';
CREATE INDEX outbox_by_recipient ON outbox (recipient, kind, created_at);
