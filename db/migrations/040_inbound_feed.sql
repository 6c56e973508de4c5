-- The inbound feed from the hospital's patient administration system (HL7 v2 over MLLP, issue #17).

-- The hospital's own number for the patient (the PAS number), to match its messages. Messages find
-- a patient's open pathways by NHS number, else by this number: both indexed over open rows only.
ALTER TABLE pathways ADD COLUMN local_patient_id TEXT;
CREATE INDEX pathways_open_by_nhs_number ON pathways (nhs_number) WHERE status = 'open';
CREATE INDEX pathways_open_by_local_id ON pathways (local_patient_id) WHERE status = 'open' AND local_patient_id IS NOT NULL;

-- Where an event came from when a feed, not a person, supplied it: JSON
-- {"feed":"hl7","sendingApplication","sendingFacility","messageControlId"}, one row beside each such
-- event (none for events entered by hand or imported); events.actor still says who recorded or
-- accepted it. Its own table, so the events table keeps its shape; append-only like it.
CREATE TABLE event_sources (
  position INTEGER PRIMARY KEY REFERENCES events (position),
  source   TEXT NOT NULL
);
CREATE TRIGGER event_sources_are_append_only_update BEFORE UPDATE ON event_sources
BEGIN SELECT RAISE(ABORT, 'event sources are append-only'); END;
CREATE TRIGGER event_sources_are_append_only_delete BEFORE DELETE ON event_sources
BEGIN SELECT RAISE(ABORT, 'event sources are append-only'); END;

-- Every message received, verbatim, once, with what became of it. Append-only, like events: a
-- resent message (same sending application and control id, MSH-3 and MSH-10) is answered with the
-- acknowledgement kept here and adds nothing.
CREATE TABLE inbound_messages (
  message_id          INTEGER PRIMARY KEY,
  received_at         TEXT NOT NULL,
  sending_application TEXT NOT NULL,
  sending_facility    TEXT NOT NULL,
  control_id          TEXT NOT NULL,
  message_type        TEXT NOT NULL,              -- e.g. SIU^S12
  nhs_number          TEXT,                       -- the patient as the message names them, for searching
  local_patient_id    TEXT,
  outcome             TEXT NOT NULL CHECK (outcome IN ('applied', 'proposed', 'kept', 'error')),
  detail              TEXT NOT NULL,              -- what was done, or why not, in words
  ack_code            TEXT NOT NULL CHECK (ack_code IN ('AA', 'AE', 'AR')),
  raw                 TEXT NOT NULL,              -- the message exactly as received (segments separated by CR)
  UNIQUE (sending_application, control_id)
);
CREATE INDEX inbound_messages_by_nhs_number ON inbound_messages (nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX inbound_messages_by_local_id ON inbound_messages (local_patient_id) WHERE local_patient_id IS NOT NULL;
CREATE TRIGGER inbound_messages_are_append_only_update BEFORE UPDATE ON inbound_messages
BEGIN SELECT RAISE(ABORT, 'inbound messages are append-only'); END;
CREATE TRIGGER inbound_messages_are_append_only_delete BEFORE DELETE ON inbound_messages
BEGIN SELECT RAISE(ABORT, 'inbound messages are append-only'); END;

-- The trackers' inbox: events a message suggests for an open pathway, until a tracker (or a clinic's
-- rule) accepts, or a tracker rejects them with a reason.
CREATE TABLE inbox_proposals (
  proposal_id  INTEGER PRIMARY KEY,
  message_id   INTEGER NOT NULL REFERENCES inbound_messages (message_id),
  pathway_id   TEXT NOT NULL,
  event        TEXT NOT NULL,                     -- the proposed event as JSON
  clinic       TEXT,                              -- the clinic code the message names, if any
  status       TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected')),
  refusal      TEXT,                              -- why the last try to accept it was refused (it stays proposed)
  decided_by   TEXT,
  decided_at   TEXT,
  reason       TEXT,                              -- why it was rejected
  event_id     TEXT,                              -- the event it became, once accepted
  created_at   TEXT NOT NULL
);
CREATE INDEX inbox_open ON inbox_proposals (proposal_id) WHERE status = 'proposed';
CREATE INDEX inbox_open_by_pathway ON inbox_proposals (pathway_id) WHERE status = 'proposed';
CREATE INDEX inbox_by_message ON inbox_proposals (message_id);

-- Clinics whose bookings are accepted without a tracker (unless the booking would restart a clock).
CREATE TABLE inbox_rules (
  clinic                TEXT PRIMARY KEY,
  auto_accept_bookings  INTEGER NOT NULL CHECK (auto_accept_bookings IN (0, 1)),
  set_by                TEXT NOT NULL,
  set_at                TEXT NOT NULL
);
