-- Workspace (#15): MDT meetings and the patients listed for discussion. The outcome of each
-- discussion is not kept here: it is the `mdt_discussed` event (with this meeting's id) on the
-- patient's pathway, so a correction of that event is a correction of the outcome.
CREATE TABLE mdt_meetings (
  meeting_id  INTEGER PRIMARY KEY,
  tumour_site TEXT NOT NULL,
  meets_on    TEXT NOT NULL,
  name        TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX mdt_meetings_by_date ON mdt_meetings (meets_on, meeting_id);
CREATE TABLE mdt_patients (
  meeting_id INTEGER NOT NULL REFERENCES mdt_meetings (meeting_id) ON DELETE CASCADE,
  pathway_id TEXT NOT NULL,
  added_by   TEXT NOT NULL,
  added_at   TEXT NOT NULL,
  PRIMARY KEY (meeting_id, pathway_id)
);
CREATE INDEX mdt_patients_by_pathway ON mdt_patients (pathway_id, meeting_id);
