-- Issue #26: timed pathways on every patient.
--
-- The pathway row carries its timed pathway definition and its next milestone not met, so the PTL
-- shows and filters on it at scale: late when milestone_due is before the as-of date, at risk from
-- milestone_at_risk_from (due within two working days with nothing booked for it). Derived by
-- toRow like the next action, recomputed when a trust changes a definition; the store rebuilds the
-- projection from the events when it opens (PROJECTION_VERSION 5), which fills them in.
ALTER TABLE pathways ADD COLUMN timed_pathway TEXT;
ALTER TABLE pathways ADD COLUMN milestone TEXT;
ALTER TABLE pathways ADD COLUMN milestone_due TEXT;
ALTER TABLE pathways ADD COLUMN milestone_at_risk_from TEXT;
ALTER TABLE pathways ADD COLUMN screening_programme TEXT;
CREATE INDEX ptl_by_milestone ON pathways (milestone_due, pathway_id) WHERE status = 'open' AND milestone_due IS NOT NULL;
CREATE INDEX ptl_milestone_at_risk ON pathways (milestone_at_risk_from) WHERE status = 'open' AND milestone_at_risk_from IS NOT NULL;
-- The PTL sorted on the next milestone's due day (nulls last, as store/ptl.ts writes the key).
CREATE INDEX ptl_by_milestone_sort ON pathways (coalesce(milestone_due, char(1114111)), pathway_id) WHERE status = 'open';
-- The step statistics and the FIT shares read the pathways referred in the last weeks.
CREATE INDEX pathways_by_referral ON pathways (referral_on);

-- The trust's changes to the shipped definitions (src/vocabulary/timed-pathways.ts), one row per
-- milestone changed, added or removed (day NULL): `openptl pathways set|remove|reset`.
CREATE TABLE timed_pathway_milestones (
  pathway TEXT NOT NULL,
  name    TEXT NOT NULL,
  day     INTEGER CHECK (day IS NULL OR (day >= 0 AND day <= 365)),
  event   TEXT,
  tests   TEXT,                -- JSON array of test names, or NULL
  set_by  TEXT NOT NULL,
  set_at  TEXT NOT NULL,
  PRIMARY KEY (pathway, name)
);

-- Every change, who made it and when, with the milestone before and after (JSON; NULL: none). Append-only.
CREATE TABLE timed_pathway_changes (
  change_id  INTEGER PRIMARY KEY,
  pathway    TEXT NOT NULL,
  name       TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('set', 'remove', 'reset')),
  before     TEXT,
  after      TEXT,
  changed_by TEXT NOT NULL,
  changed_at TEXT NOT NULL
);
CREATE TRIGGER timed_pathway_changes_are_append_only_update BEFORE UPDATE ON timed_pathway_changes
BEGIN SELECT RAISE(ABORT, 'timed pathway changes are append-only'); END;
CREATE TRIGGER timed_pathway_changes_are_append_only_delete BEFORE DELETE ON timed_pathway_changes
BEGIN SELECT RAISE(ABORT, 'timed pathway changes are append-only'); END;
