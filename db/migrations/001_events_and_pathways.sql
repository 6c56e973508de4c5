-- The durable record: every change to a pathway is an event, appended, never changed.
CREATE TABLE events (
  position        INTEGER PRIMARY KEY,          -- global order of recording
  pathway_id      TEXT    NOT NULL,
  version         INTEGER NOT NULL,             -- 1, 2, ... within the pathway
  event_id        TEXT    NOT NULL,             -- the id a later event_voided names (R13)
  type            TEXT    NOT NULL,
  on_date         TEXT    NOT NULL,             -- clinical date, YYYY-MM-DD
  recorded_at     TEXT    NOT NULL,             -- ISO timestamp from the injected clock
  actor           TEXT    NOT NULL,
  idempotency_key TEXT    UNIQUE,
  data            TEXT    NOT NULL,             -- the event as JSON
  UNIQUE (pathway_id, version),
  UNIQUE (pathway_id, event_id)
);

CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- The projection the PTL reads: one row per pathway, written in the same transaction as its event.
-- Dates are ISO text so that range conditions use the indexes; days waiting are derived at read time.
CREATE TABLE pathways (
  pathway_id      TEXT PRIMARY KEY,
  version         INTEGER NOT NULL,
  stage           TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  state           TEXT NOT NULL,                -- machine snapshot + clock fold, to take the next event without a replay
  nhs_number      TEXT NOT NULL,
  patient_name    TEXT,
  date_of_birth   TEXT,
  tumour_site     TEXT NOT NULL,
  route           TEXT NOT NULL,
  provider        TEXT,
  referral_on     TEXT NOT NULL,
  last_on         TEXT NOT NULL,
  clock_start     TEXT NOT NULL,                -- fds and d62 start (after any DNA restart)
  adjustment_days INTEGER NOT NULL,             -- the whole known adjustment (R7)
  fds_state       TEXT NOT NULL,
  fds_stop        TEXT,
  fds_breach_on   TEXT,                         -- FDS due date passed: first day over 28
  d31_state       TEXT NOT NULL,
  d31_start       TEXT,
  d31_stop        TEXT,
  d31_breach_on   TEXT,
  d62_state       TEXT NOT NULL,
  d62_stop        TEXT,
  d62_breach_on   TEXT,                         -- first day over 62 (R2)
  d62_over28_on   TEXT,                         -- first day over 28 (PTL bands)
  d62_over104_on  TEXT,                         -- first day over 104 (clinical harm review)
  next_action     TEXT,
  next_action_due TEXT,
  updated_at      TEXT NOT NULL
);
-- Backlog counts: one index-only pass over open pathways.
CREATE INDEX pathways_backlog ON pathways (status, tumour_site, stage, d62_over28_on, d62_breach_on, d62_over104_on, fds_state, fds_breach_on);
-- The PTL, filtered and ordered by breach date (keyset pagination on breach date, pathway id).
CREATE INDEX pathways_open_by_breach ON pathways (status, d62_breach_on, pathway_id);
CREATE INDEX pathways_site_by_breach ON pathways (tumour_site, status, d62_breach_on, pathway_id);
CREATE INDEX pathways_stage_by_breach ON pathways (stage, status, d62_breach_on, pathway_id);
CREATE INDEX pathways_provider_by_breach ON pathways (provider, status, d62_breach_on, pathway_id);
CREATE INDEX pathways_next_action_due ON pathways (status, next_action_due);
