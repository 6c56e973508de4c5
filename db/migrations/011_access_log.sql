-- Who saw what (issue #16; the NHS Data Security and Protection Toolkit expects access to patient
-- records to be auditable). Append-only: nothing is changed, and an entry is removed only once it
-- is older than the retention period (the store sets meta.access_log_kept_from before pruning).
-- No patient details: a pathway id is the only reference to a patient.
CREATE TABLE access_log (
  entry_id   INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,       -- ISO timestamp (UTC) from the injected clock
  actor      TEXT NOT NULL,       -- user:NAME, cli:OS-USER, system:nightly-report, or unknown (a failed sign-in)
  action     TEXT NOT NULL,       -- pathway_viewed, ptl_queried, report_generated, sign_in, sign_in_failed, ...
  pathway_id TEXT,
  address    TEXT,                -- the client's address, for HTTP requests
  detail     TEXT                 -- JSON: the filters, how many patients an answer held, the credential used
);
CREATE INDEX access_log_by_at ON access_log (at);
CREATE INDEX access_log_by_actor ON access_log (actor, at);
CREATE INDEX access_log_by_pathway ON access_log (pathway_id, at) WHERE pathway_id IS NOT NULL;

CREATE TRIGGER access_log_is_append_only_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_is_kept_delete BEFORE DELETE ON access_log
  WHEN old.at >= coalesce((SELECT value FROM meta WHERE key = 'access_log_kept_from'), '')
BEGIN SELECT RAISE(ABORT, 'access log entries are kept for the retention period'); END;
