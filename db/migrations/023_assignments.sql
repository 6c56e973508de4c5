-- Workspace (#15): which tracker looks after a pathway ("my patients"). Operational, not part of
-- the clinical record: one assignee per pathway, replaced or removed at will.
CREATE TABLE assignments (
  pathway_id  TEXT PRIMARY KEY,
  assignee    TEXT NOT NULL,
  assigned_by TEXT NOT NULL,
  assigned_at TEXT NOT NULL
);
CREATE INDEX assignments_by_assignee ON assignments (assignee, pathway_id);
