-- Backups of machine services (seed 004: "create, restore and delete backups"; issue 10): made
-- when a "create backup" operation is done; restoring or deleting one is an operation on it.

CREATE TABLE backups (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    deleted_at  BIGINT
);
CREATE INDEX backups_by_service ON backups (service_id, created_at);

-- The backup an operation restores or deletes.
ALTER TABLE operations ADD COLUMN backup_id TEXT REFERENCES backups (id) ON DELETE SET NULL;
