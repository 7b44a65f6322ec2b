-- Project SSH public keys (seed 001 "SSH configuration"; issue 10): the back office reads them
-- when it provisions a machine. Parsed and fingerprinted on the way in; stored normalised.

CREATE TABLE ssh_keys (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    algorithm   TEXT NOT NULL,                 -- "ssh-ed25519", "ssh-rsa", …
    fingerprint TEXT NOT NULL,                 -- "SHA256:…", as ssh-keygen -l prints it
    public_key  TEXT NOT NULL,                 -- the OpenSSH line, without its comment
    added_by    TEXT NOT NULL,                 -- who added it, as named then
    created_at  BIGINT NOT NULL,
    UNIQUE (project_id, fingerprint)
);
