-- The PAS feed's retention (issue #25). The hospital sends every patient's messages, most of them for
-- patients with no cancer pathway (addresses, telephone numbers, next of kin): a message that matched
-- no open pathway (outcome kept, or refused) is kept verbatim for the trust's number of days
-- (settings.hl7KeepDays, default 30), then purged: its text cut to its header (the MSH segment), its
-- patient identifiers cleared, and the SHA-256 of its text kept, so that a resend is still answered
-- as before. Nothing a clock reads is touched: such a message led to no event and no proposal.
ALTER TABLE inbound_messages ADD COLUMN raw_sha256 TEXT;   -- of the text as received (line endings and trailing blanks evened out)
ALTER TABLE inbound_messages ADD COLUMN purged_at TEXT;

-- Append-only still, except for that purge: only a kept or refused message, received before the
-- purge's cut-off (meta.inbound_purged_before, which the store sets first), only once, and only to
-- its header and hash, everything else as it was.
DROP TRIGGER inbound_messages_are_append_only_update;
CREATE TRIGGER inbound_messages_are_append_only_update BEFORE UPDATE ON inbound_messages
WHEN NOT (
  old.purged_at IS NULL AND new.purged_at IS NOT NULL
  AND old.outcome IN ('kept', 'error')
  AND old.received_at < coalesce((SELECT value FROM meta WHERE key = 'inbound_purged_before'), '')
  AND new.message_id = old.message_id AND new.received_at = old.received_at
  AND new.sending_application = old.sending_application AND new.sending_facility = old.sending_facility
  AND new.control_id = old.control_id AND new.message_type = old.message_type
  AND new.outcome = old.outcome AND new.detail = old.detail AND new.ack_code = old.ack_code
  AND new.nhs_number IS NULL AND new.local_patient_id IS NULL AND new.raw_sha256 IS NOT NULL
  AND new.raw LIKE 'MSH%' AND instr(new.raw, char(13)) = 0 AND instr(new.raw, char(10)) = 0
  AND substr(old.raw, 1, length(new.raw)) = new.raw
  AND substr(old.raw, length(new.raw) + 1, 1) IN ('', char(13), char(10))
)
BEGIN SELECT RAISE(ABORT, 'inbound messages are append-only: only a message that matched no open pathway, past its retention, is purged'); END;
CREATE INDEX inbound_messages_to_purge ON inbound_messages (received_at) WHERE purged_at IS NULL AND outcome IN ('kept', 'error');
