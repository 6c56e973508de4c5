-- The PTL's total and its filters at scale (issues #26, #28): every page answers how many pathways
-- the filters select, so each filter needs an index that counts without reading the rows.
-- At risk: the milestones due in the few days ahead (store/ptl.ts bounds the range), with the day
-- each is at risk from beside it, replacing the index on that day alone (it read every late one).
DROP INDEX ptl_milestone_at_risk;
CREATE INDEX ptl_milestone_at_risk ON pathways (milestone_due, milestone_at_risk_from) WHERE status = 'open' AND milestone_at_risk_from IS NOT NULL;
-- Past 62 days, and due to pass it within N days.
CREATE INDEX ptl_by_breach_day ON pathways (d62_breach_on) WHERE status = 'open';
-- Past the faster diagnosis standard's 28 days.
CREATE INDEX ptl_fds_overdue ON pathways (fds_breach_on) WHERE status = 'open' AND fds_state = 'running';
