-- Workspace (#15): the next action from the real state. How the due date reads (by a milestone,
-- on a booked day, or the tracker's follow-up), the earliest booking whose outcome is not yet
-- recorded, and since when tests reported wait for an MDT. The store rebuilds the projection
-- from the events when it opens (pathway-row.ts PROJECTION_VERSION), which fills them in.
ALTER TABLE pathways ADD COLUMN next_action_kind TEXT;
ALTER TABLE pathways ADD COLUMN booked_on TEXT;
ALTER TABLE pathways ADD COLUMN awaiting_mdt_since TEXT;
-- The PTL sorted by due date, keyset-paginated on (due, pathway id).
DROP INDEX ptl_next_action_due;
CREATE INDEX ptl_by_due ON pathways (next_action_due, pathway_id) WHERE status = 'open';
-- "Awaiting MDT" by tumour site: only the few rows with tests reported since their last MDT.
CREATE INDEX ptl_awaiting_mdt ON pathways (tumour_site, awaiting_mdt_since) WHERE status = 'open' AND awaiting_mdt_since IS NOT NULL;
