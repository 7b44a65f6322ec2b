-- Events for the hosting company's back office (issue 10): written in the same transaction as
-- the change they announce (an outbox, like the mail's), POSTed to WEBHOOK_URL signed with
-- HMAC-SHA256, retried with backoff. A lease lets one replica deliver each row.

CREATE TABLE webhooks (
    id              TEXT PRIMARY KEY,
    event           TEXT NOT NULL,            -- "operation.requested", "payment.requested", …
    payload         TEXT NOT NULL,            -- the JSON body, exactly as signed and sent
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL DEFAULT 0,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhooks_by_age ON webhooks (created_at);
