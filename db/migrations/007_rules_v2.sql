-- Clock rules version 2 (cwt-rules.md). The store recomputes every pathway from its events when
-- the rules version it last folded with (meta.clock_rules_version) is older than the code's:
-- history is never rewritten, only the projection.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- Kept history that the version 2 guard rails (R18) would now refuse: the pathway is folded as
-- it stands and flagged for a tracker to review, with the reasons.
ALTER TABLE pathways ADD COLUMN needs_review TEXT;
CREATE INDEX ptl_needs_review ON pathways (pathway_id) WHERE needs_review IS NOT NULL;
-- The 62-day clock start moved later by the whole known adjustment: days waiting = as-of date
-- minus this. Under version 2 a pause that starts after the breach date no longer moves that
-- date (R2), so the breach date no longer orders the PTL by days waiting.
ALTER TABLE pathways ADD COLUMN d62_wait_from TEXT;
-- The end of the latest known pause: until then days waiting depend on how much of the pause has
-- passed, so the PTL computes them for those few rows instead of reading them off d62_wait_from.
ALTER TABLE pathways ADD COLUMN d62_pause_until TEXT;
CREATE INDEX ptl_paused ON pathways (d62_pause_until) WHERE status = 'open' AND d62_pause_until IS NOT NULL;
DROP INDEX ptl_by_breach;
DROP INDEX ptl_site_by_breach;
DROP INDEX ptl_stage_by_breach;
DROP INDEX ptl_provider_by_breach;
CREATE INDEX ptl_by_wait ON pathways (d62_wait_from, pathway_id) WHERE status = 'open';
CREATE INDEX ptl_site_by_wait ON pathways (tumour_site, d62_wait_from, pathway_id) WHERE status = 'open';
CREATE INDEX ptl_stage_by_wait ON pathways (stage, d62_wait_from, pathway_id) WHERE status = 'open';
CREATE INDEX ptl_provider_by_wait ON pathways (provider, d62_wait_from, pathway_id) WHERE status = 'open';
