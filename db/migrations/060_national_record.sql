-- Issue #24: the national record accepted as it stands. Corrections to the code lists seeded by
-- 031 from what was found since (docs/returns.md names each source), and the weekly cancer PTL
-- template's row labels. Only rows a trust has not confirmed are changed: a code the trust checked
-- against its copy of the specification stays as the trust left it (UPDATE OR IGNORE leaves a row
-- whose new mapping another row already holds).

-- TWO WEEK WAIT CANCER OR SYMPTOMATIC BREAST REFERRAL TYPE, 01-16 as a CWT test-data generator's
-- list has them (its other CWT lists match the dictionary's exactly): 05 is acute leukaemia, 12
-- testicular; the codes of most sites were wrong in 031. Still provisional: not read in DCB0147.
UPDATE cwt_code_list SET maps = NULL WHERE list = 'two_week_wait_type' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'breast', label = 'Suspected breast cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '01' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'lung', label = 'Suspected lung cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '03' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'haematological', label = 'Suspected haematological malignancies, excluding acute leukaemia (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '04' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'acute_leukaemia', label = 'Suspected acute leukaemia (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '05' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'upper_gi', label = 'Suspected upper gastrointestinal cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '06' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'lower_gi', label = 'Suspected lower gastrointestinal cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '07' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'skin', label = 'Suspected skin cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '08' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'gynaecological', label = 'Suspected gynaecological cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '09' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'brain_cns', label = 'Suspected brain or central nervous system tumours (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '10' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'urological', label = 'Suspected urological malignancies, excluding testicular (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '11' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'testicular', label = 'Suspected testicular cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '12' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'head_and_neck', label = 'Suspected head and neck cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '13' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'sarcoma', label = 'Suspected sarcoma (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '14' AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'other', label = 'Suspected other cancer (provisional)'
  WHERE list = 'two_week_wait_type' AND code = '15' AND confirmed = 0;

-- CANCER OR SYMPTOMATIC BREAST REFERRAL PATIENT STATUS: the dictionary's attribute list (as COSD
-- uses it); 031's provisional 04 is not in it: a diagnosis with treatment planned is 11. Which codes
-- the CWT system accepts was not read: the new ones are provisional.
UPDATE OR IGNORE cwt_code_list SET code = '11', label = 'Diagnosis of new cancer confirmed, first treatment planned (provisional)'
  WHERE list = 'patient_status' AND code = '04' AND maps = 'treatment_planned' AND confirmed = 0;
INSERT OR IGNORE INTO cwt_code_list (list, code, label, maps, confirmed) VALUES
  ('patient_status', '10', 'Diagnosis of new cancer confirmed, first treatment not yet planned (provisional)', 'treatment_not_yet_planned', 0),
  ('patient_status', '11', 'Diagnosis of new cancer confirmed, first treatment planned (provisional)', 'treatment_planned', 0),
  ('patient_status', '14', 'Suspected primary cancer (provisional: excluded before a diagnosis)', 'excluded_before_diagnosis', 0),
  ('patient_status', '16', 'Diagnosis of recurrent cancer confirmed, first treatment not yet planned (provisional)', 'recurrence_not_yet_planned', 0),
  ('patient_status', '17', 'Diagnosis of recurrent cancer confirmed, first treatment planned (provisional)', 'recurrence_treatment_planned', 0),
  ('patient_status', '18', 'Diagnosis of recurrent cancer confirmed, no treatment planned (provisional)', 'recurrence_no_treatment_planned', 0),
  ('patient_status', '22', 'Recurrent cancer treatment commenced (provisional)', 'recurrence_treatment', 0);

-- CANCER FASTER DIAGNOSIS PATHWAY EXCLUSION REASON: a removal before the patient is told is an
-- exclusion (end reason 03); the reason's code comes from the removal's reason through `maps`.
-- The list itself is still unread (provisional).
UPDATE OR IGNORE cwt_code_list SET maps = 'patient_died'
  WHERE list = 'fds_exclusion_reason' AND code = '01' AND maps IS NULL AND confirmed = 0;
UPDATE OR IGNORE cwt_code_list SET maps = 'declined_all_tests'
  WHERE list = 'fds_exclusion_reason' AND code = '02' AND maps IS NULL AND confirmed = 0;

-- The weekly cancer PTL template's row labels: its sections, routes (RowType) and tumour types, as
-- written in the collection's rows. Confirmed only those seen in the national table: the first two
-- sections, the three screening programmes and "Non site specific symptoms".
INSERT OR IGNORE INTO cwt_code_list (list, code, label, maps, confirmed) VALUES
  ('canptl_section', '1', 'Section1 Without DTT', 'without_dtt', 1),
  ('canptl_section', '2', 'Section2 With DTT', 'with_dtt', 1),
  ('canptl_section', '3', 'Section3 Referrals and first seen', 'activity', 0),
  ('canptl_route', '1', 'Urgent Suspected Cancer', 'urgent_suspected_cancer', 0),
  ('canptl_route', '2', 'Urgent Breast Symptomatic', 'breast_symptomatic', 0),
  ('canptl_route', '3', 'Urgent Bowel Screening', 'screening_bowel', 1),
  ('canptl_route', '4', 'Urgent Breast Screening', 'screening_breast', 1),
  ('canptl_route', '5', 'Urgent Cervical Screening', 'screening_cervical', 1),
  ('canptl_route', '6', 'Urgent Lung Screening', 'screening_lung', 0),
  ('canptl_route', '7', 'Urgent Screening', 'screening_other', 0),
  ('canptl_route', '8', 'Consultant Upgrade', 'consultant_upgrade', 0),
  ('canptl_tumour_type', '01', 'Breast', 'breast', 0),
  ('canptl_tumour_type', '02', 'Lower Gastrointestinal', 'lower_gi', 0),
  ('canptl_tumour_type', '03', 'Upper Gastrointestinal', 'upper_gi', 0),
  ('canptl_tumour_type', '04', 'Lung', 'lung', 0),
  ('canptl_tumour_type', '05', 'Skin', 'skin', 0),
  ('canptl_tumour_type', '06', 'Urological', 'urological', 0),
  ('canptl_tumour_type', '07', 'Gynaecological', 'gynaecological', 0),
  ('canptl_tumour_type', '08', 'Head and Neck', 'head_and_neck', 0),
  ('canptl_tumour_type', '09', 'Haematological', 'haematological', 0),
  ('canptl_tumour_type', '10', 'Brain/Central Nervous System', 'brain_cns', 0),
  ('canptl_tumour_type', '11', 'Sarcoma', 'sarcoma', 0),
  ('canptl_tumour_type', '12', 'Children''s', 'children', 0),
  ('canptl_tumour_type', '13', 'Testicular', 'testicular', 0),
  ('canptl_tumour_type', '14', 'Acute Leukaemia', 'acute_leukaemia', 0),
  ('canptl_tumour_type', '15', 'Non site specific symptoms', 'non_specific_symptoms', 1),
  ('canptl_tumour_type', '16', 'Other', 'other', 0);

-- The data dictionary's name of the first-seen site is ORGANISATION SITE IDENTIFIER (OF PROVIDER FIRST
-- SEEN) (the data set's item 13): 031 left out the OF. A name the trust changed stays.
UPDATE cwt_extract_column SET element = 'ORGANISATION SITE IDENTIFIER (OF PROVIDER FIRST SEEN)'
  WHERE item = 'firstSeenSite' AND element = 'ORGANISATION SITE IDENTIFIER (PROVIDER FIRST SEEN)';
