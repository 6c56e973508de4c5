-- Every read of a patient in the access log (issue #25): an entry names what its answer showed,
-- one row per pathway (its id) or per patient named only by NHS number ('#' and the number: one
-- searched for, or found in a file downloaded or a message read). "Who saw this patient" reads it
-- by subject; the volume of patients a user read in an hour by entry. Append-only like the log: a
-- row is removed only once its entry has been (the log's retention, src/store/access-log.ts).
CREATE TABLE access_seen (
  entry_id INTEGER NOT NULL,
  subject  TEXT NOT NULL,
  PRIMARY KEY (entry_id, subject)
) WITHOUT ROWID;
CREATE INDEX access_seen_by_subject ON access_seen (subject, entry_id);
CREATE TRIGGER access_seen_is_append_only_update BEFORE UPDATE ON access_seen
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_seen_is_kept_delete BEFORE DELETE ON access_seen
  WHEN EXISTS (SELECT 1 FROM access_log WHERE entry_id = old.entry_id)
BEGIN SELECT RAISE(ABORT, 'access log entries are kept for the retention period'); END;

-- The pathways that have carried an NHS number (their referral's, or one a correction or merge
-- gave them): the patient "who saw this patient" asks about, whatever their number is now.
CREATE INDEX events_by_nhs_number ON events (json_extract(data, '$.nhsNumber'))
  WHERE type IN ('referral_received', 'patient_details_updated');
