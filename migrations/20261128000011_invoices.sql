-- Invoices and payments (issue 10): issued by the back office through the operator API, paid
-- by the project's Owners, Admins and Accountants with the project's payment method. Money is
-- integer minor units with its ISO 4217 currency, never floating point.

ALTER TABLE projects ADD COLUMN payment_method TEXT;     -- "card •••• 4242", set by the back office

CREATE TABLE invoices (
    id           TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number       TEXT NOT NULL,                          -- the back office's number, "INV-2026-0042"
    issued_on    BIGINT NOT NULL,                        -- dates as Unix milliseconds (UTC midnight)
    period_start BIGINT NOT NULL,
    period_end   BIGINT NOT NULL,
    due_on       BIGINT NOT NULL,
    currency     TEXT NOT NULL,                          -- ISO 4217, "EUR"
    total_minor  BIGINT NOT NULL,                        -- the sum of the lines, kept for lists
    status       TEXT NOT NULL CHECK (status IN ('unpaid', 'paid', 'void')),
    paid_at      BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (project_id, number)
);
CREATE INDEX invoices_by_project ON invoices (project_id, issued_on);

CREATE TABLE invoice_lines (
    invoice_id   TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL,
    service      TEXT NOT NULL,                          -- the service's name when invoiced
    description  TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, seq)
);

CREATE TABLE payments (
    id             TEXT PRIMARY KEY,
    invoice_id     TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    project_id     TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed')),
    method         TEXT NOT NULL,                        -- the payment method as it was when asked
    requested_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    requester_name TEXT NOT NULL,
    message        TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX payments_by_invoice ON payments (invoice_id, created_at);
CREATE INDEX payments_by_status ON payments (status, created_at);
-- One payment in flight per invoice, whatever the application does (two tabs, two replicas).
CREATE UNIQUE INDEX payments_one_pending ON payments (invoice_id) WHERE status = 'pending';
