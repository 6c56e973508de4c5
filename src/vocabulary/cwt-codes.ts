// The national code lists of the Cancer Waiting Times record (DCB0147), with their national
// labels for display: the one module that holds them. ../shared/cwt-dataset.md is the source.
// Lists confirmed there are fixed here; the lists it marks UNCONFIRMED (delay reasons, exclusion
// reasons, referral types by site, patient status, ...) live in one table a trust can correct
// (cwt_code_list, db/migrations/031; `openptl codes`), and only their format is checked here.

/** A code list: national codes with their national labels, in the dictionary's order. */
export interface CodeList {
  readonly entries: readonly (readonly [code: string, label: string])[];
  readonly codes: readonly [string, ...string[]];
  label(code: string): string | undefined;
}

/** A list from [code, label] pairs (an array, not an object: "10" would sort before "01" as a key). */
function codeList(entries: readonly (readonly [string, string])[]): CodeList {
  const labels = new Map(entries);
  return {
    entries,
    codes: entries.map(([c]) => c) as unknown as [string, ...string[]],
    label: (code) => labels.get(code),
  };
}

export const SOURCE_OF_REFERRAL = codeList([
  ['01', 'Following an emergency admission'],
  ['02', 'Following a domiciliary consultation'],
  ['10', 'Following an emergency care attendance'],
  ['11', 'Other, initiated by the consultant responsible'],
  ['03', 'General medical practitioner'],
  ['92', 'General dental practitioner'],
  ['12', 'GP with an extended role or dentist with enhanced skills'],
  ['04', 'Emergency care department'],
  ['05', 'A consultant, other than in an emergency care department'],
  ['06', 'Self-referral'],
  ['07', 'Prosthetist'],
  ['13', 'Specialist nurse (secondary care)'],
  ['14', 'Allied health professional'],
  ['15', 'Optometrist'],
  ['16', 'Orthoptist'],
  ['17', 'National screening programme'],
  ['93', 'Community dental service'],
  ['97', 'Other (not listed)'],
]);

export const PRIORITY_TYPE = codeList([
  ['1', 'Routine'],
  ['2', 'Urgent'],
  ['3', 'Urgent suspected cancer or breast symptomatic (two week wait)'],
]);

export const NHS_NUMBER_STATUS = codeList([
  ['01', 'Present and verified'],
  ['02', 'Present, not traced'],
  ['03', 'Trace required'],
  ['04', 'Trace attempted, no or multiple match'],
  ['05', 'Trace needs to be resolved'],
  ['06', 'Trace in progress'],
  ['07', 'Not present, trace not required'],
  ['08', 'Trace postponed (baby under six weeks)'],
]);

export const TUMOUR_LATERALITY = codeList([
  ['L', 'Left'],
  ['R', 'Right'],
  ['M', 'Midline'],
  ['B', 'Bilateral'],
  ['8', 'Not applicable'],
  ['9', 'Not known'],
]);

export const TREATMENT_EVENT_TYPE = codeList([
  ['01', 'First definitive treatment for a new primary cancer'],
  ['02', 'Second or subsequent treatment for a new primary'],
  ['03', 'Local recurrence'],
  ['04', 'Regional recurrence'],
  ['05', 'Distant recurrence (metastatic)'],
  ['06', 'Multiple recurrence'],
  ['07', 'First treatment for metastatic disease, unknown primary'],
  ['08', 'Second or subsequent treatment for metastatic disease, unknown primary'],
  ['09', 'Relapse of primary (second or subsequent)'],
  ['10', 'Progression of primary (second or subsequent)'],
  ['11', 'Transformation of primary (second or subsequent)'],
  ['12', 'First treatment for metastatic disease following a known primary'],
]);
/** The first-treatment measures (31 and 62-day) count these; the rest are subsequent treatments. */
export const FIRST_TREATMENT_EVENT_TYPES = ['01', '07', '12'] as const;
/**
 * The treatment event type of a recurrence's first treatment, by the kind of recurrence told
 * (diagnosis_communicated.recurrence, issue #24): 09-11 are the haematological relapse,
 * progression and transformation. National processing counts these in the 31-day standard only.
 */
export const RECURRENCE_EVENT_TYPE: Readonly<Record<string, string>> = {
  local: '03',
  regional: '04',
  distant: '05',
  multiple: '06',
  relapse: '09',
  progression: '10',
  transformation: '11',
};
export const RECURRENCE_TREATMENT_EVENT_TYPES = ['03', '04', '05', '06', '09', '10', '11'] as const;

export const TREATMENT_MODALITY = codeList([
  ['01', 'Surgery'],
  ['02', 'Cytotoxic chemotherapy'],
  ['03', 'Hormone therapy'],
  ['04', 'Chemoradiotherapy'],
  ['05', 'External beam radiotherapy (excluding proton)'],
  ['06', 'Brachytherapy'],
  ['07', 'Specialist palliative care'],
  ['08', 'Active monitoring'],
  ['09', 'Non-specialist palliative care'],
  ['10', 'Radio frequency ablation'],
  ['11', 'High intensity focussed ultrasound'],
  ['12', 'Cryotherapy'],
  ['13', 'Proton therapy'],
  ['14', 'Other anti-cancer drug regimen'],
  ['15', 'Immunotherapy'],
  ['16', 'Light therapy'],
  ['17', 'Hyperbaric oxygen'],
  ['19', 'Radioisotope therapy'],
  ['20', 'Laser treatment'],
  ['21', 'Biological therapies (excluding immunotherapy)'],
  ['22', 'Radiosurgery'],
  ['97', 'Other'],
  ['98', 'All treatment declined'],
  ['99', 'Not known'],
]);
/** A removal for `declined_all_treatment` is a treatment record with this modality; no measure counts it. */
export const ALL_TREATMENT_DECLINED = '98';

export const CARE_SETTING = codeList([
  ['01', 'Admitted, ordinary admission'],
  ['02', 'Admitted, day case'],
  ['03', 'Outpatient'],
  ['04', 'Another setting'],
  ['99', 'Not known'],
]);

export const FDS_END_REASON = codeList([
  ['01', 'Diagnosis of cancer, patient informed'],
  ['02', 'Cancer ruled out, patient informed'],
  ['03', 'Excluded from the standard'],
  ['04', 'Patient informed of a planned interval or surveillance scan'],
]);

export const ADJUSTMENT_REASON_FIRST_SEEN = codeList([
  ['3', 'Did not attend'],
  ['9', 'No adjustment'],
]);

/** The confirmed lists by name: the forms and the extract's validation read them from here. */
export const CONFIRMED_LISTS = {
  source_of_referral: SOURCE_OF_REFERRAL,
  priority_type: PRIORITY_TYPE,
  nhs_number_status: NHS_NUMBER_STATUS,
  tumour_laterality: TUMOUR_LATERALITY,
  treatment_event_type: TREATMENT_EVENT_TYPE,
  treatment_modality: TREATMENT_MODALITY,
  care_setting: CARE_SETTING,
  fds_end_reason: FDS_END_REASON,
  adjustment_reason_first_seen: ADJUSTMENT_REASON_FIRST_SEEN,
} as const satisfies Record<string, CodeList>;
export type ConfirmedListName = keyof typeof CONFIRMED_LISTS;

/**
 * The lists cwt-dataset.md marks UNCONFIRMED: kept in the trust's table (cwt_code_list), seeded
 * by db/migrations/031 and corrected with `openptl codes`. The first four are entered by a
 * tracker (a code); the others map OpenPTL's own values (`maps`) to national codes.
 */
export const TRUST_LISTS = [
  'delay_reason',
  'fds_exclusion_reason',
  'fds_communication_method',
  'fds_informing_professional',
  'two_week_wait_type',
  'patient_status',
  'adjustment_reason_treatment',
  // The weekly cancer PTL template's row labels (issue #24): its sections, routes and tumour types.
  'canptl_section',
  'canptl_route',
  'canptl_tumour_type',
] as const;
export type TrustListName = (typeof TRUST_LISTS)[number];
export type ListName = ConfirmedListName | TrustListName;

/** One entry of a trust-kept list, as the store reads it. */
export interface TrustCode {
  list: TrustListName;
  code: string;
  label: string;
  /** For a mapping list: the OpenPTL value this code stands for (a tumour site, a patient status). */
  maps: string | null;
  /** False while the code is provisional: it must be checked against the DCB0147 specification. */
  confirmed: boolean;
  /** A comment must accompany this code (delay reason 98, other). */
  commentRequired: boolean;
}

/** Today's modality names and the national modality codes each may be recorded as (the first is the default). */
export const MODALITY_CODES: Readonly<Record<string, readonly string[]>> = {
  surgery: ['01'],
  chemotherapy: ['02'],
  hormone_therapy: ['03'],
  radiotherapy: ['05', '04', '06', '13'],
  immunotherapy: ['15'],
  targeted_therapy: ['14', '21'],
  active_monitoring: ['08'],
  best_supportive_care: ['09'],
  palliative_care: ['07', '09'],
  other: ['97', '10', '11', '12', '16', '17', '19', '20', '22', '99'],
};

/** The 31-day measure of subsequent treatments leaves out specialist and non-specialist palliative care and active monitoring (07, 08, 09). */
export const NOT_IN_SUBSEQUENT_MEASURE = new Set(['07', '08', '09']);

/**
 * Whether a subsequent treatment counts in the 31-day measure, by its modality name: every code
 * a name may be recorded as is in the measure, or every one is out, so the name decides.
 */
export function subsequentTreatmentCounts(modality: string): boolean {
  return !(MODALITY_CODES[modality] ?? []).every((code) => NOT_IN_SUBSEQUENT_MEASURE.has(code));
}

/** A 5-character ODS site code: the trust's 3-character code and 2 more (RAJ01). */
export const SITE_CODE = /^[A-Z0-9]{5}$/;
/** ICD-10 with a dot, 5 characters: C34.1 (X where a code has no fourth character: C61.X). */
export const ICD10 = /^[A-Z][0-9]{2}\.[0-9X]$/;
/** A code from a trust-kept list: two digits. */
export const TRUST_CODE = /^[0-9]{2}$/;

/** Label of a code in a confirmed list, or null. */
export function confirmedLabel(list: ConfirmedListName, code: string): string | null {
  return CONFIRMED_LISTS[list].label(code) ?? null;
}
