-- Emails that later changes fold into (issue 9): a member's role changed several times within a
-- minute gets one email saying where it ended. `coalesce_key` names what the email is about
-- (e.g. role:<project>:<user>); `coalesce_from` keeps the value before the first change.
ALTER TABLE outbox ADD COLUMN coalesce_key TEXT;
ALTER TABLE outbox ADD COLUMN coalesce_from TEXT;
CREATE INDEX outbox_by_coalesce_key ON outbox (coalesce_key) WHERE sent_at IS NULL;
-- Per-account counts of invitations sent (the mail limits).
CREATE INDEX activity_by_actor ON activity (actor_id, created_at);
