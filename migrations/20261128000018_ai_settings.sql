-- A project's AI provider (seed 004, AI Settings; issue 12). The API key is stored sealed
-- (AES-256-GCM under the server's key, see app/src/ssr/secrets.rs), never in clear; its last four
-- characters and when it was set are kept to show which key is in use.
CREATE TABLE project_ai (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    provider   TEXT NOT NULL CHECK (provider IN ('anthropic', 'openai', 'groq', 'ollama', 'custom')),
    model      TEXT NOT NULL,
    base_url   TEXT,
    key_sealed TEXT,
    key_last4  TEXT,
    key_set_at BIGINT,
    updated_at BIGINT NOT NULL
);
