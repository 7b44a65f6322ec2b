-- The email an invitation was last sent with (issue 11): when the outbox gives up on it, the
-- invitation shows "Delivery failed" with the reason, and a new invitation may replace it.
ALTER TABLE invitations ADD COLUMN outbox_id TEXT;
