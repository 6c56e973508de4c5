-- The forecast's breach risks (issue #23): each pathway open at the end of a day, its chance of
-- passing 62 days, and of breaching its faster diagnosis standard, within the forecast's horizon,
-- from the runs of the forecast made as at that day. Derived, never history: made again whenever
-- the day's forecast runs (src/store/breach-risks.ts). A day's risks are written in batches and
-- only read once breach_risk_days marks them complete, so the PTL never shows half a day.
CREATE TABLE breach_risks (
  as_of      TEXT NOT NULL,
  pathway_id TEXT NOT NULL,
  over62     REAL NOT NULL,
  fds        REAL,                 -- null: its FDS clock had stopped
  PRIMARY KEY (as_of, pathway_id)
) WITHOUT ROWID;
CREATE TABLE breach_risk_days (
  as_of      TEXT PRIMARY KEY,
  horizon    TEXT NOT NULL,        -- the last week-ending the runs went to
  runs       INTEGER NOT NULL,
  complete   INTEGER NOT NULL DEFAULT 0,
  written_at TEXT NOT NULL
);
