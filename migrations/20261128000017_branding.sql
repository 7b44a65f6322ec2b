-- A project's appearance (seed 004, Workspace Customization; issue 12). The primary colour is
-- a hex code (NULL: Roster's own); the logo is the PNG Roster re-encoded from the upload, kept in
-- the database so every replica serves it, as base64 text (no binary type both databases
-- share), with the ETag it is served under.
ALTER TABLE projects ADD COLUMN brand_color TEXT;

CREATE TABLE project_logos (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    png_base64 TEXT NOT NULL,
    etag       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
