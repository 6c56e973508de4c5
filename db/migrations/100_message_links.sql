-- Messages from the PAS that matched no open pathway, linked by a tracker to the pathway they are
-- for (issue #28). inbound_messages is append-only, so the link is its own row: a message is linked
-- once, and what it then proposes goes to the inbox like any other message's proposals.
CREATE TABLE inbound_message_links (
  message_id  INTEGER PRIMARY KEY REFERENCES inbound_messages (message_id),
  pathway_id  TEXT NOT NULL,
  linked_by   TEXT NOT NULL,
  linked_at   TEXT NOT NULL
);
CREATE TRIGGER inbound_message_links_are_append_only_update BEFORE UPDATE ON inbound_message_links
BEGIN SELECT RAISE(ABORT, 'message links are append-only'); END;
CREATE TRIGGER inbound_message_links_are_append_only_delete BEFORE DELETE ON inbound_message_links
BEGIN SELECT RAISE(ABORT, 'message links are append-only'); END;
