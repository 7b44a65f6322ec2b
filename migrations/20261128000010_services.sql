-- Services and the operations members ask of them (seed 001's table, seed 004's actions;
-- issue 10). The back office creates services and carries out operations through the
-- operator API; the customer area shows both live.

CREATE TABLE services (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('vps', 'iaas', 'storage', 'dns', 'ssl', 'monitoring')),
    name       TEXT NOT NULL,
    plan       TEXT NOT NULL,
    region     TEXT NOT NULL,               -- region or endpoint, as the back office names it
    status     TEXT NOT NULL CHECK (status IN ('provisioning', 'running', 'stopped', 'suspended', 'cancelled')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX services_by_project ON services (project_id, created_at);

CREATE TABLE operations (
    id             TEXT PRIMARY KEY,
    service_id     TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    project_id     TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    action         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    requested_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    requester_name TEXT NOT NULL,           -- kept as written: a member who leaves stays named
    message        TEXT,                    -- the back office's words, e.g. why it failed
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX operations_by_service ON operations (service_id, created_at);
CREATE INDEX operations_by_status ON operations (status, created_at);

-- The operator API's create calls, by their Idempotency-Key: a retried call gets the first
-- call's answer instead of doing it twice. `status` 0 marks a call still being answered.
CREATE TABLE idempotency_keys (
    scope       TEXT NOT NULL,              -- method and path of the call
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,              -- SHA-256 of the body: the same key with another body is refused
    status      BIGINT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- One operation at a time per service, whatever the application does (two replicas, two tabs).
CREATE UNIQUE INDEX operations_one_pending ON operations (service_id) WHERE status IN ('queued', 'running');
