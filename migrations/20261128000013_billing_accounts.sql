-- Billing accounts (seed 001 "legal entities"; issue 10): who invoices are addressed to. Owners,
-- Admins and Accountants manage them; one is the project's default.

CREATE TABLE billing_accounts (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    company_name    TEXT NOT NULL,
    tax_id          TEXT NOT NULL,            -- VAT or registration number
    address         TEXT NOT NULL,            -- postal address, lines kept
    billing_email   TEXT NOT NULL,
    is_default      BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
CREATE INDEX billing_accounts_by_project ON billing_accounts (project_id, created_at);
CREATE UNIQUE INDEX billing_accounts_one_default ON billing_accounts (project_id) WHERE is_default = 1;
