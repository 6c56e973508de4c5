-- Workspace (#15): each pathway's latest tracking comment (a `note` event), for the PTL. A read
-- model of the events: rewritten when a note is recorded or voided, and by a rebuild.
CREATE TABLE comments (
  pathway_id  TEXT PRIMARY KEY,
  event_id    TEXT NOT NULL,
  on_date     TEXT NOT NULL,
  text        TEXT NOT NULL,
  follow_up_on TEXT,
  actor       TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
