-- The PTL reads only open pathways, so its indexes hold only those: a tenth of the rows once a
-- year of history has closed, smaller to keep in cache, and a closed pathway is never touched again.
DROP INDEX pathways_open_by_breach;
DROP INDEX pathways_site_by_breach;
DROP INDEX pathways_stage_by_breach;
DROP INDEX pathways_provider_by_breach;
DROP INDEX pathways_next_action_due;
CREATE INDEX ptl_by_breach ON pathways (d62_breach_on, pathway_id) WHERE status = 'open';
CREATE INDEX ptl_site_by_breach ON pathways (tumour_site, d62_breach_on, pathway_id) WHERE status = 'open';
CREATE INDEX ptl_stage_by_breach ON pathways (stage, d62_breach_on, pathway_id) WHERE status = 'open';
CREATE INDEX ptl_provider_by_breach ON pathways (provider, d62_breach_on, pathway_id) WHERE status = 'open';
CREATE INDEX ptl_next_action_due ON pathways (next_action_due) WHERE status = 'open';
