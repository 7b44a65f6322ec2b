-- Who an activity entry is about, for routing it to live streams: the member's user id (member
-- events) and the address concerned (member and invitation events). Older rows keep NULL.
ALTER TABLE activity ADD COLUMN subject_user_id TEXT;
ALTER TABLE activity ADD COLUMN subject_email TEXT;
