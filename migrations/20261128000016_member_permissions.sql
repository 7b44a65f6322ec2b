-- Seed 004's permission profile of each member (issue 12), within what their role allows.
-- `permissions`: the switches that are on, comma-separated keys; NULL is every switch the role
-- allows (members who joined before profiles existed keep what they had).
-- `all_services`: 1 reaches every service, present and future; 0 only those in service_members
-- (none when it has no rows: seed 004's "leave empty = no access").
ALTER TABLE members ADD COLUMN permissions TEXT;
ALTER TABLE members ADD COLUMN all_services BIGINT NOT NULL DEFAULT 1;

-- Seed 002's service instance memberships: the services a member with a list reaches. When
-- a service is activated, every member with a list gets it.
CREATE TABLE service_members (
    project_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, user_id, service_id),
    FOREIGN KEY (project_id, user_id) REFERENCES members (project_id, user_id) ON DELETE CASCADE
);
CREATE INDEX service_members_by_service ON service_members (service_id);

-- What a new member starts with (seed 004): 'role', everything their role allows (today's
-- behaviour), or 'none', no permission and no service until someone grants them.
ALTER TABLE projects ADD COLUMN new_member_access TEXT NOT NULL DEFAULT 'role'
    CHECK (new_member_access IN ('role', 'none'));
