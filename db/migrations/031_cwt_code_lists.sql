-- Issue #14: what a trust may correct in the national CWT record without a code change.
--
-- cwt_code_list: the code lists ../shared/cwt-dataset.md marks UNCONFIRMED. The confirmed lists
-- are fixed in src/domain/cwt-codes.ts. `maps` names the OpenPTL value a code stands for (a
-- tumour site, a patient status) in the lists OpenPTL fills in itself; `confirmed` is 0 while a
-- code is provisional and must be checked against the DCB0147 specification; a code with
-- `comment_required` needs a comment with it (delay reason 98). Change with `openptl codes`.
CREATE TABLE cwt_code_list (
  list             TEXT NOT NULL,
  code             TEXT NOT NULL,
  label            TEXT NOT NULL,
  maps             TEXT,
  confirmed        INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
  comment_required INTEGER NOT NULL DEFAULT 0 CHECK (comment_required IN (0, 1)),
  PRIMARY KEY (list, code)
);
CREATE UNIQUE INDEX cwt_code_list_maps ON cwt_code_list (list, maps) WHERE maps IS NOT NULL;

-- CANCER CARE SPELL DELAY REASON: the older list, used as the trust's until the current one is confirmed.
INSERT INTO cwt_code_list (list, code, label, comment_required) VALUES
  ('delay_reason', '01', 'Clinic cancellation', 0),
  ('delay_reason', '02', 'Outpatient capacity inadequate', 0),
  ('delay_reason', '03', 'Administrative delay', 0),
  ('delay_reason', '05', 'Patient unavailable', 0),
  ('delay_reason', '06', 'Patient declines', 0),
  ('delay_reason', '07', 'Patient cancellation', 0),
  ('delay_reason', '08', 'Care not commissioned by the English NHS', 0),
  ('delay_reason', '98', 'Other (comment required)', 1);

-- CANCER FASTER DIAGNOSIS PATHWAY EXCLUSION REASON: codes unconfirmed; provisional.
INSERT INTO cwt_code_list (list, code, label) VALUES
  ('fds_exclusion_reason', '01', 'Patient died before the outcome was communicated (provisional)'),
  ('fds_exclusion_reason', '02', 'Patient declined all diagnostic tests (provisional)'),
  ('fds_exclusion_reason', '03', 'Patient clinically unfit for diagnostic tests (provisional)'),
  ('fds_exclusion_reason', '04', 'Patient chose to delay the diagnostic pathway (provisional)');

-- How the patient was told the faster diagnosis outcome, and by whom: codes unconfirmed; provisional.
INSERT INTO cwt_code_list (list, code, label) VALUES
  ('fds_communication_method', '01', 'Face to face (provisional)'),
  ('fds_communication_method', '02', 'Telephone (provisional)'),
  ('fds_communication_method', '03', 'Video consultation (provisional)'),
  ('fds_communication_method', '04', 'Letter (provisional)'),
  ('fds_communication_method', '97', 'Other (provisional)'),
  ('fds_informing_professional', '01', 'Consultant (provisional)'),
  ('fds_informing_professional', '02', 'Clinical nurse specialist (provisional)'),
  ('fds_informing_professional', '03', 'Other doctor (provisional)'),
  ('fds_informing_professional', '04', 'Other health care professional (provisional)');

-- TWO WEEK WAIT CANCER OR SYMPTOMATIC BREAST REFERRAL TYPE by suspected site (the referral's
-- tumour site; breast_symptomatic for the breast symptomatic route). Confirmed: 02, 16, 17.
-- 05 and 12 are testicular and acute leukaemia, which is which unconfirmed; the rest provisional.
INSERT INTO cwt_code_list (list, code, label, maps, confirmed) VALUES
  ('two_week_wait_type', '02', 'Suspected children''s cancer', 'children', 1),
  ('two_week_wait_type', '16', 'Exhibited (non-cancer) breast symptoms, cancer not initially suspected', 'breast_symptomatic', 1),
  ('two_week_wait_type', '17', 'Suspected cancer, non-specific symptoms', 'non_specific_symptoms', 1),
  ('two_week_wait_type', '05', 'Suspected testicular cancer (provisional: 05 or 12)', 'testicular', 0),
  ('two_week_wait_type', '12', 'Suspected acute leukaemia (provisional: 05 or 12)', 'acute_leukaemia', 0),
  ('two_week_wait_type', '01', 'Suspected breast cancer (provisional)', 'breast', 0),
  ('two_week_wait_type', '03', 'Suspected lower gastrointestinal cancer (provisional)', 'lower_gi', 0),
  ('two_week_wait_type', '04', 'Suspected upper gastrointestinal cancer (provisional)', 'upper_gi', 0),
  ('two_week_wait_type', '06', 'Suspected lung cancer (provisional)', 'lung', 0),
  ('two_week_wait_type', '07', 'Suspected skin cancer (provisional)', 'skin', 0),
  ('two_week_wait_type', '08', 'Suspected urological cancer, excluding testicular (provisional)', 'urological', 0),
  ('two_week_wait_type', '09', 'Suspected gynaecological cancer (provisional)', 'gynaecological', 0),
  ('two_week_wait_type', '10', 'Suspected head and neck cancer (provisional)', 'head_and_neck', 0),
  ('two_week_wait_type', '11', 'Suspected haematological cancer, excluding acute leukaemia (provisional)', 'haematological', 0),
  ('two_week_wait_type', '13', 'Suspected brain or central nervous system tumour (provisional)', 'brain_cns', 0),
  ('two_week_wait_type', '14', 'Suspected sarcoma (provisional)', 'sarcoma', 0),
  ('two_week_wait_type', '15', 'Suspected other cancer (provisional)', 'other', 0);

-- CANCER OR SYMPTOMATIC BREAST REFERRAL PATIENT STATUS for each kind of record. Confirmed: 03, 07.
INSERT INTO cwt_code_list (list, code, label, maps, confirmed) VALUES
  ('patient_status', '03', 'No new cancer diagnosis identified', 'no_new_cancer', 1),
  ('patient_status', '07', 'New cancer confirmed, no NHS-funded treatment planned', 'no_treatment_planned', 1),
  ('patient_status', '04', 'New cancer confirmed, first treatment planned (provisional)', 'treatment_planned', 0),
  ('patient_status', '08', 'First treatment commenced (provisional)', 'first_treatment', 0),
  ('patient_status', '21', 'Subsequent treatment commenced (provisional)', 'subsequent_treatment', 0);

-- WAITING TIME ADJUSTMENT REASON (TREATMENT): 8, a patient-initiated pause (a declined offer, cwt-rules R7).
INSERT INTO cwt_code_list (list, code, label, maps, confirmed) VALUES
  ('adjustment_reason_treatment', '8', 'Patient-initiated pause (declined offer of treatment)', 'declined_offer', 0);

-- The columns of the monthly CSV, in the data set's group order, named by their data dictionary
-- element names (the standard's own column order was not to hand): a trust may reorder or rename
-- them. `item` is what OpenPTL fills the column with (src/returns/cwt-record.ts).
CREATE TABLE cwt_extract_column (
  position INTEGER PRIMARY KEY,
  item     TEXT NOT NULL UNIQUE,
  element  TEXT NOT NULL
);
INSERT INTO cwt_extract_column (position, item, element) VALUES
  (1, 'nhsNumber', 'NHS NUMBER'),
  (2, 'nhsNumberStatus', 'NHS NUMBER STATUS INDICATOR CODE'),
  (3, 'pathwayId', 'PATIENT PATHWAY IDENTIFIER'),
  (4, 'pathwayIdIssuer', 'ORGANISATION IDENTIFIER (PATIENT PATHWAY IDENTIFIER ISSUER)'),
  (5, 'sourceOfReferral', 'SOURCE OF REFERRAL FOR OUT-PATIENTS'),
  (6, 'priorityType', 'PRIORITY TYPE CODE'),
  (7, 'decisionToReferOn', 'DECISION TO REFER DATE (CANCER OR BREAST SYMPTOMS)'),
  (8, 'periodStart', 'CANCER REFERRAL TO TREATMENT PERIOD START DATE'),
  (9, 'referralType', 'TWO WEEK WAIT CANCER OR SYMPTOMATIC BREAST REFERRAL TYPE'),
  (10, 'upgradeOn', 'CONSULTANT UPGRADE DATE'),
  (11, 'upgradeSite', 'ORGANISATION SITE IDENTIFIER (OF PROVIDER CONSULTANT UPGRADE)'),
  (12, 'firstSeenOn', 'DATE FIRST SEEN'),
  (13, 'firstSeenSite', 'ORGANISATION SITE IDENTIFIER (PROVIDER FIRST SEEN)'),
  (14, 'firstSeenAdjustment', 'WAITING TIME ADJUSTMENT (FIRST SEEN)'),
  (15, 'firstSeenAdjustmentReason', 'WAITING TIME ADJUSTMENT REASON (FIRST SEEN)'),
  (16, 'firstSeenDelayReason', 'CANCER CARE SPELL DELAY REASON (FIRST SEEN)'),
  (17, 'firstSeenDelayComment', 'CANCER CARE SPELL DELAY REASON COMMENT (FIRST SEEN)'),
  (18, 'mdtDiscussed', 'MULTIDISCIPLINARY TEAM CANCER CARE PLAN DISCUSSED INDICATOR'),
  (19, 'mdtOn', 'MULTIDISCIPLINARY TEAM DISCUSSION DATE (CANCER)'),
  (20, 'patientStatus', 'CANCER OR SYMPTOMATIC BREAST REFERRAL PATIENT STATUS'),
  (21, 'primaryDiagnosis', 'PRIMARY DIAGNOSIS (ICD)'),
  (22, 'laterality', 'TUMOUR LATERALITY'),
  (23, 'fdsEndOn', 'CANCER FASTER DIAGNOSIS PATHWAY END DATE'),
  (24, 'fdsEndSite', 'ORGANISATION SITE IDENTIFIER (CANCER FASTER DIAGNOSIS PATHWAY END)'),
  (25, 'fdsEndReason', 'CANCER FASTER DIAGNOSIS PATHWAY END REASON'),
  (26, 'fdsExclusionReason', 'CANCER FASTER DIAGNOSIS PATHWAY EXCLUSION REASON'),
  (27, 'fdsCommunicationMethod', 'CANCER FASTER DIAGNOSIS PATHWAY OUTCOME COMMUNICATION METHOD'),
  (28, 'fdsInformedBy', 'CARE PROFESSIONAL TYPE (CANCER FASTER DIAGNOSIS PATHWAY OUTCOME COMMUNICATION)'),
  (29, 'fdsDelayReason', 'CANCER CARE SPELL DELAY REASON (OUTCOME COMMUNICATION)'),
  (30, 'fdsDelayComment', 'CANCER CARE SPELL DELAY REASON COMMENT (OUTCOME COMMUNICATION)'),
  (31, 'treatmentPeriodStart', 'CANCER TREATMENT PERIOD START DATE'),
  (32, 'decisionSite', 'ORGANISATION SITE IDENTIFIER (CANCER TREATMENT PERIOD START DATE)'),
  (33, 'investigatingProvider', 'ORGANISATION IDENTIFIER (ACCOUNTABLE INVESTIGATING PROVIDER)'),
  (34, 'transferOn', 'DATE OF TRANSFER TO TREATING PROVIDER (CANCER)'),
  (35, 'decisionDelayReason', 'CANCER CARE SPELL DELAY REASON (DECISION TO TREAT)'),
  (36, 'decisionDelayComment', 'CANCER CARE SPELL DELAY REASON COMMENT (DECISION TO TREAT)'),
  (37, 'treatmentOn', 'TREATMENT START DATE (CANCER)'),
  (38, 'treatmentSite', 'ORGANISATION SITE IDENTIFIER (TREATMENT START DATE (CANCER))'),
  (39, 'eventType', 'CANCER TREATMENT EVENT TYPE'),
  (40, 'modality', 'CANCER TREATMENT MODALITY'),
  (41, 'careSetting', 'CANCER CARE SETTING (TREATMENT)'),
  (42, 'treatmentAdjustment', 'WAITING TIME ADJUSTMENT (TREATMENT)'),
  (43, 'treatmentAdjustmentReason', 'WAITING TIME ADJUSTMENT REASON (TREATMENT)'),
  (44, 'treatmentDelayReason', 'CANCER CARE SPELL DELAY REASON (TREATMENT)'),
  (45, 'treatmentDelayComment', 'CANCER CARE SPELL DELAY REASON COMMENT (TREATMENT)');
