// Words for every code a person reads (workspace #15): events, fields, stages and values, as a
// tracker or an MDT coordinator says them. The one copy: the dashboard gets it from
// /api/vocabulary, the nightly report and the CSV exports import it.
import type { EventType } from './events.ts';

export const EVENT_LABELS: Record<EventType, string> = {
  referral_received: 'Referral received',
  triaged: 'Triaged',
  appointment_booked: 'Appointment booked',
  first_seen: 'First seen',
  dna: 'Did not attend (DNA)',
  patient_cancelled: 'Cancelled by the patient',
  test_requested: 'Test requested',
  test_reported: 'Test reported',
  mdt_discussed: 'Discussed at MDT',
  diagnosis_communicated: 'Diagnosis told to the patient',
  referred_onward: 'Referred to another tumour site',
  decision_to_treat: 'Decision to treat',
  treatment_offer_declined: 'Treatment offer declined',
  treatment_started: 'Treatment started',
  transferred: 'Transferred to another provider',
  removed: 'Removed from the PTL',
  event_voided: 'Correction',
  note: 'Tracking comment',
  treatment_plan_completed: 'Treatment plan completed',
  national_items_added: 'National items added',
  patient_details_updated: "Patient's details updated",
  referral_corrected: 'Referral corrected',
};

/** Field labels; `on` reads differently for each event (ON_LABELS). */
export const FIELD_LABELS: Record<string, string> = {
  on: 'Date',
  route: 'Referral route',
  recurrence: 'A recurrence (the 31-day standard only)',
  tumourSite: 'Suspected tumour site',
  nhsNumber: 'NHS number',
  patientName: 'Patient name',
  dateOfBirth: 'Date of birth',
  provider: 'Provider',
  referrer: 'Referred by',
  outcome: 'Outcome',
  appointmentOn: 'Appointment date',
  appointment: 'Which appointment',
  clinic: 'Clinic',
  note: 'Note',
  test: 'Test',
  testOn: 'Test booked for (if known)',
  result: 'Result',
  decision: 'MDT outcome',
  meetingId: 'MDT meeting',
  toTumourSite: 'Referred to tumour site',
  plannedModality: 'Planned treatment',
  treatingProvider: 'Treating provider',
  offeredFor: 'Date the treatment was offered for',
  availableFrom: 'Patient available again from',
  setting: 'Setting',
  modality: 'Treatment',
  toProvider: 'Transferred to',
  reason: 'Reason',
  voids: 'Entry corrected',
  text: 'Comment',
  // timed pathways (issue #26)
  suspectedSite: 'Suspected site',
  fitResult: 'FIT result (µg Hb/g)',
  fitTestedOn: 'Date of the FIT',
  fitNotDoneReason: 'Why there is no FIT result',
  screeningProgramme: 'Screening programme',
  lowDoseCtOn: 'Date of the low-dose CT',
  followUpOn: 'Follow up on (optional)',
  // the national CWT items (#14; src/vocabulary/national-items.ts)
  earliestClinicallyAppropriateDate: 'Earliest clinically appropriate date (a treatment after the first)',
  target: 'The entry these items are for',
  nhsNumberStatus: 'NHS number status',
  sourceOfReferral: 'Source of referral',
  priorityType: 'Priority type',
  decisionToReferOn: 'Decision to refer date',
  upgradeSite: 'Site of the consultant upgrade',
  site: 'Site',
  exclusionReason: 'Excluded from the faster diagnosis standard: reason',
  communicationMethod: 'How the patient was told',
  informedBy: 'Who told the patient',
  primaryDiagnosis: 'Primary diagnosis (ICD-10, e.g. C34.1)',
  laterality: 'Tumour laterality',
  eventType: 'Treatment event type',
  modalityCode: 'Treatment modality (national code)',
  careSetting: 'Care setting',
  delayReason: 'Delay reason',
  delayComment: 'Delay reason comment',
  // the PAS feed (#17)
  localPatientId: 'Hospital number',
  // equality monitoring (#27; the codes' words are in src/vocabulary/equality.ts)
  sex: 'Sex (1 male, 2 female, 9 indeterminate, X not known)',
  ethnicCategory: 'Ethnic category (NHS code A to Z, 99 not known)',
  postcode: 'Postcode',
  stage: 'Stage group at diagnosis (1 to 4, unknown, not applicable)',
  // the referral corrected (#28)
  receivedOn: 'Date the referral was received (corrected)',
  // the MDT's outcome (#28)
  histology: 'Histology',
  leadClinician: 'Lead clinician',
  attendees: 'Attendees',
  referredToSite: 'Referred to (tumour site)',
};

/** What the clinical date of each event is. */
export const ON_LABELS: Record<EventType, string> = {
  referral_received: 'Date the referral was received',
  triaged: 'Date triaged',
  appointment_booked: 'Date booked',
  first_seen: 'Date first seen',
  dna: 'Date of the missed appointment',
  patient_cancelled: 'Date cancelled',
  test_requested: 'Date requested',
  test_reported: 'Date reported',
  mdt_discussed: 'Date of the MDT',
  diagnosis_communicated: 'Date the patient was told',
  referred_onward: 'Date referred on',
  decision_to_treat: 'Date of the decision to treat',
  treatment_offer_declined: 'Date the patient declined',
  treatment_started: 'Date treatment started',
  transferred: 'Date transferred',
  removed: 'Date removed',
  event_voided: 'Date of the correction',
  note: 'Date of the comment',
  treatment_plan_completed: 'Date the treatment plan was completed',
  national_items_added: 'Date the items were added',
  patient_details_updated: 'Date of the update',
  referral_corrected: 'Date of the correction',
};

export const STAGE_LABELS: Record<string, string> = {
  awaiting_referral: 'Awaiting referral',
  awaiting_triage: 'Awaiting triage',
  awaiting_first_appointment: 'Awaiting first appointment',
  first_appointment_missed: 'First appointment missed',
  straight_to_test: 'Straight to test',
  rapid_diagnostic_centre: 'Rapid Diagnostic Centre',
  under_investigation: 'Under investigation',
  discussed_at_mdt: 'Discussed at MDT',
  awaiting_decision_to_treat: 'Awaiting decision to treat',
  awaiting_treatment: 'Awaiting treatment',
  treated: 'Treated',
  awaiting_subsequent_treatment: 'Awaiting a later treatment',
  treatment_plan_complete: 'Treatment plan complete',
  cancer_ruled_out: 'Cancer ruled out',
  interval_scan_planned: 'Interval scan planned',
  removed: 'Removed',
};

/** Words for the values of the enumerated fields, by value (a value means the same in every field). */
export const VALUE_LABELS: Record<string, string> = {
  // routes
  urgent_suspected_cancer: 'Urgent suspected cancer',
  breast_symptomatic: 'Breast symptomatic',
  screening: 'Screening programme',
  consultant_upgrade: 'Consultant upgrade',
  thirty_one_day_only: '31-day only (another route, or a recurrence)',
  // tumour sites
  breast: 'Breast',
  lower_gi: 'Lower GI',
  upper_gi: 'Upper GI',
  lung: 'Lung',
  skin: 'Skin',
  urological: 'Urological',
  gynaecological: 'Gynaecological',
  head_and_neck: 'Head and neck',
  haematological: 'Haematological',
  brain_cns: 'Brain and CNS',
  sarcoma: 'Sarcoma',
  children: "Children's",
  testicular: 'Testicular',
  acute_leukaemia: 'Acute leukaemia',
  non_specific_symptoms: 'Non-specific symptoms (RDC)',
  other: 'Other',
  // triage outcomes
  straight_to_test: 'Straight to test',
  outpatient: 'Outpatient appointment',
  rapid_diagnostic_centre: 'Rapid Diagnostic Centre',
  // appointments
  first: 'First appointment',
  subsequent: 'Later appointment',
  // what the patient is told
  cancer_confirmed: 'Cancer confirmed',
  cancer_ruled_out: 'Cancer ruled out',
  interval_scan: 'Not diagnosed now: interval scan planned',
  // MDT outcomes
  diagnosis_confirmed: 'Diagnosis confirmed',
  further_tests: 'Further tests',
  refer_to_another_site: 'Refer to another site',
  treatment_plan_agreed: 'Treatment plan agreed',
  discharge: 'Discharge',
  // treatments
  surgery: 'Surgery',
  chemotherapy: 'Chemotherapy',
  radiotherapy: 'Radiotherapy',
  hormone_therapy: 'Hormone therapy',
  immunotherapy: 'Immunotherapy',
  targeted_therapy: 'Targeted therapy',
  active_monitoring: 'Active monitoring',
  best_supportive_care: 'Best supportive care',
  palliative_care: 'Palliative care',
  // settings
  admitted: 'Admitted',
  non_admitted: 'Not admitted',
  // removal reasons
  patient_died: 'Patient died',
  declined_all_treatment: 'Declined all treatment',
  referral_made_in_error: 'Referral made in error',
  moved_away: 'Moved away',
  returned_to_gp: 'Returned to the GP',
  declined_all_tests: 'Declined all diagnostic tests',
  // recurrences (#24)
  local: 'Local recurrence',
  regional: 'Regional recurrence',
  distant: 'Distant recurrence (metastatic)',
  multiple: 'Multiple recurrence',
  relapse: 'Relapse (haematological)',
  progression: 'Progression (haematological)',
  transformation: 'Transformation (haematological)',
  // why a patient's details changed (#17)
  correction: 'Correction',
  merge: 'Records merged',
  // suspected sites and screening programmes (issue #26)
  prostate: 'Prostate',
  bladder: 'Bladder',
  kidney: 'Kidney',
  bowel: 'Bowel',
  cervical: 'Cervical',
  // timed pathway milestones (issue #26)
  met: 'Met',
  met_late: 'Met late',
  due: 'Due',
  at_risk: 'At risk',
  late: 'Late',
  // clock states
  running: 'Running',
  stopped: 'Stopped',
  not_applicable: 'Not applicable',
  // a provider not recorded (the backlog's and the report's group)
  unknown: 'Provider not recorded',
};

export const CLOCK_LABELS = { fds: '28-day Faster Diagnosis Standard', d31: '31-day', d62: '62-day' } as const;

/** A value's words, or the value itself when it has none (a provider's ODS code, free text). */
export function valueLabel(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return VALUE_LABELS[value] ?? value;
}

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage] ?? stage;
}

export const LABELS = {
  events: EVENT_LABELS,
  fields: FIELD_LABELS,
  on: ON_LABELS,
  stages: STAGE_LABELS,
  values: VALUE_LABELS,
  clocks: CLOCK_LABELS,
};
