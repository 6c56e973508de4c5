// The simulator's calibration: who is referred, by which route, for which suspected cancer, how
// many have cancer, and how long each step takes. docs/simulation.md gives the public figures
// these follow. Delays are in calendar days; `Days` tables read "share done by day N".
import type { Route, TumourSite } from '../vocabulary/events.ts';
import { Days, Mix } from './random.ts';

type Modality =
  | 'surgery'
  | 'chemotherapy'
  | 'radiotherapy'
  | 'hormone_therapy'
  | 'immunotherapy'
  | 'targeted_therapy'
  | 'active_monitoring'
  | 'best_supportive_care'
  | 'palliative_care'
  | 'other';
export type RemovalReason =
  'patient_died' | 'declined_all_treatment' | 'referral_made_in_error' | 'moved_away' | 'returned_to_gp' | 'other';

export const ROUTES = new Mix<Route>([
  ['urgent_suspected_cancer', 0.84],
  ['screening', 0.09],
  ['breast_symptomatic', 0.05],
  ['consultant_upgrade', 0.02],
]);

/** Suspected site of urgent suspected cancer referrals (approximate England mix). */
export const USC_SITES = new Mix<TumourSite>([
  ['skin', 0.2],
  ['lower_gi', 0.19],
  ['breast', 0.15],
  ['urological', 0.11],
  ['gynaecological', 0.11],
  ['head_and_neck', 0.08],
  ['upper_gi', 0.08],
  ['lung', 0.025],
  ['non_specific_symptoms', 0.025],
  ['haematological', 0.012],
  ['other', 0.012],
  ['children', 0.006],
  ['brain_cns', 0.005],
  ['testicular', 0.005],
  ['sarcoma', 0.003],
  ['acute_leukaemia', 0.0005],
]);

/** Screening programmes: bowel (FIT / colonoscopy), breast (assessment), cervical (colposcopy), lung (health checks). */
export const SCREENING_SITES = new Mix<TumourSite>([
  ['lower_gi', 0.45],
  ['breast', 0.4],
  ['gynaecological', 0.13],
  ['lung', 0.02],
]);

/** Sites of consultant upgrades: patients already under investigation, usually after a scan. */
export const UPGRADE_SITES = new Mix<TumourSite>([
  ['urological', 0.3],
  ['lower_gi', 0.15],
  ['lung', 0.12],
  ['gynaecological', 0.1],
  ['upper_gi', 0.1],
  ['haematological', 0.08],
  ['head_and_neck', 0.07],
  ['skin', 0.05],
  ['other', 0.03],
]);

/** Where the Rapid Diagnostic Centre refers a patient on to. */
export const ONWARD_SITES = new Mix<TumourSite>([
  ['lung', 0.2],
  ['upper_gi', 0.2],
  ['lower_gi', 0.2],
  ['haematological', 0.15],
  ['urological', 0.1],
  ['gynaecological', 0.05],
  ['other', 0.1],
]);

/** Share of urgent suspected cancer referrals found to be cancer, by suspected site (about 6.7% overall). */
export const USC_CONVERSION: Record<TumourSite, number> = {
  skin: 0.11,
  lower_gi: 0.035,
  breast: 0.06,
  urological: 0.12,
  gynaecological: 0.04,
  head_and_neck: 0.025,
  upper_gi: 0.045,
  lung: 0.11,
  non_specific_symptoms: 0.07,
  haematological: 0.08,
  other: 0.05,
  children: 0.01,
  brain_cns: 0.02,
  testicular: 0.05,
  sarcoma: 0.03,
  acute_leukaemia: 0.4,
};
export const SCREENING_CONVERSION: Partial<Record<TumourSite, number>> = {
  lower_gi: 0.07,
  breast: 0.15,
  gynaecological: 0.01,
  lung: 0.1,
};
export const BREAST_SYMPTOMATIC_CONVERSION = 0.015;
export const UPGRADE_CONVERSION = 0.5;

/** The mid and south Essex hospitals (a three-site group) and the tertiary centres patients are transferred to. */
export const PROVIDERS = new Mix<string>([
  ['RAJ', 0.4],
  ['RQ8', 0.3],
  ['RDD', 0.3],
]);
export const GROUP = ['RAJ', 'RQ8', 'RDD'] as const;
export const TERTIARY = ['RGT', 'RAL'] as const;
/** Share of cancers transferred to a tertiary centre for treatment, by site (specialist surgery). */
export const TERTIARY_TRANSFER: Partial<Record<TumourSite, number>> = {
  upper_gi: 0.35,
  head_and_neck: 0.3,
  gynaecological: 0.25,
  lung: 0.2,
  urological: 0.15,
  brain_cns: 0.5,
  sarcoma: 0.6,
  children: 0.7,
  haematological: 0.1,
  testicular: 0.1,
  acute_leukaemia: 0.3,
};
export const TERTIARY_TRANSFER_DEFAULT = 0.05;
/** Share of cancers moved between the group's hospitals (centralised surgery) before the decision to treat. */
export const GROUP_TRANSFER = 0.05;

// --- Steps and delays ---

/** Triage: days from receipt of the referral. */
export const TRIAGE = new Days([
  [-1, 0],
  [0, 0.45],
  [1, 0.8],
  [2, 0.92],
  [5, 1],
]);
/** Sites with a straight-to-test timed pathway, and the share triaged straight to test. */
export const STRAIGHT_TO_TEST: Partial<Record<TumourSite, number>> = { lower_gi: 0.6, upper_gi: 0.5, lung: 0.7 };
/** First outpatient appointment: days from triage. */
export const FIRST_APPOINTMENT = new Days([
  [0, 0],
  [3, 0.1],
  [7, 0.45],
  [10, 0.7],
  [14, 0.9],
  [21, 0.98],
  [35, 1],
]);
/** A test reported: days from the request. */
export const TEST_REPORT = new Days([
  [-1, 0],
  [0, 0.05],
  [3, 0.2],
  [7, 0.55],
  [14, 0.85],
  [21, 0.95],
  [35, 1],
]);
/**
 * The faster diagnosis wait: days from the clock start to the patient being told. Ruling cancer
 * out is quicker than confirming it (a biopsy, histology and an MDT come first).
 */
export const TOLD_RULED_OUT = new Days([
  [-1, 0],
  [0, 0.02],
  [7, 0.13],
  [14, 0.38],
  [21, 0.6],
  [28, 0.78],
  [35, 0.87],
  [42, 0.92],
  [62, 0.97],
  [90, 0.99],
  [150, 1],
]);
export const TOLD_CANCER = new Days([
  [6, 0],
  [14, 0.14],
  [21, 0.34],
  [28, 0.55],
  [35, 0.7],
  [42, 0.81],
  [56, 0.92],
  [62, 0.95],
  [90, 0.99],
  [120, 1],
]);
/** Consultant upgrades: days from the upgrade to the patient being told. */
export const TOLD_UPGRADE = new Days([
  [0, 0],
  [7, 0.3],
  [14, 0.65],
  [21, 0.85],
  [35, 0.97],
  [60, 1],
]);
/** First definitive treatment: days from the clock start (before any later constraint moves it). */
export const TREATMENT = new Days([
  [13, 0],
  [21, 0.05],
  [31, 0.17],
  [42, 0.38],
  [52, 0.56],
  [62, 0.74],
  [76, 0.87],
  [90, 0.93],
  [104, 0.96],
  [150, 0.995],
  [200, 1],
]);
/** Decision to treat to first treatment (the 31-day standard). */
export const DTT_TO_TREATMENT = new Days([
  [-1, 0],
  [0, 0.05],
  [7, 0.2],
  [14, 0.45],
  [21, 0.68],
  [31, 0.91],
  [45, 0.97],
  [70, 1],
]);
/** Patient told to decision to treat, at the least. */
export const TOLD_TO_DTT = new Days([
  [-1, 0],
  [0, 0.25],
  [3, 0.42],
  [7, 0.68],
  [14, 0.9],
  [21, 0.97],
  [35, 1],
]);

// --- Things that go differently ---

export const DNA_FIRST = 0.045;
/** After a missed first appointment: no rebooking, returned to the GP; or a second missed appointment. */
export const DNA_NOT_REBOOKED = 0.12;
export const DNA_AGAIN = 0.1;
export const CANCEL_FIRST = 0.04;
export const DNA_SUBSEQUENT = 0.015;
export const CANCEL_SUBSEQUENT = 0.02;
/** Skin cancers decided for excision at the first appointment: the decision to treat stops fds (R8). */
export const EARLY_DTT_SKIN = 0.2;
export const RDC_ONWARD_NOT_CANCER = 0.1;
/**
 * Share of patients without cancer told of a planned interval or surveillance scan instead of an
 * all-clear (FDS end reason 04, R8/R9): lung nodules above all.
 */
export const INTERVAL_SCAN: Partial<Record<TumourSite, number>> = { lung: 0.2, gynaecological: 0.05, urological: 0.04 };
export const INTERVAL_SCAN_DEFAULT = 0.02;
export const DECLINED_OFFER = 0.04;
export const REMOVAL_NOT_CANCER = 0.012;
export const REMOVAL_CANCER = 0.05;
export const REMOVAL_REASONS_NOT_CANCER = new Mix<RemovalReason>([
  ['returned_to_gp', 0.3],
  ['referral_made_in_error', 0.2],
  ['declined_all_treatment', 0.2],
  ['moved_away', 0.15],
  ['patient_died', 0.05],
  ['other', 0.1],
]);
export const REMOVAL_REASONS_CANCER = new Mix<RemovalReason>([
  ['patient_died', 0.35],
  ['declined_all_treatment', 0.35],
  ['moved_away', 0.1],
  ['other', 0.2],
]);

// --- Recording ---

/** Referrals registered a working day or two after receipt. */
export const REFERRAL_LATE = 0.06;
/** Events recorded a day or two late, in order. */
export const RECORDED_NEXT_DAY = 0.04;
/** Treatments recorded up to a week late (treatment sheets arrive after the event). */
export const TREATMENT_LATE = 0.12;
/**
 * Events recorded days late, after events dated later (back-dated entries): only kinds that move no
 * clock here (a test reported could end the window of R5, but no plan has a missed first appointment after one).
 */
export const BACK_DATED = 0.04;
export const BACK_DATED_DAYS = new Days([
  [1, 0],
  [3, 0.4],
  [7, 0.8],
  [14, 1],
]);
/** A duplicated test request (or MDT entry) later voided as a correction. */
export const DUPLICATE_VOIDED = 0.006;

/** Share of referrals by day of the week, Sunday first (e-RS referrals arrive mostly on weekdays). */
export const WEEKDAY_WEIGHTS = [0.06, 1.22, 1.12, 1.08, 1.06, 1.0, 0.09] as const;

export const TESTS: Record<TumourSite, string> = {
  skin: 'dermoscopy',
  lower_gi: 'colonoscopy',
  breast: 'mammogram',
  urological: 'mri_prostate',
  gynaecological: 'pelvic_ultrasound',
  head_and_neck: 'nasendoscopy',
  upper_gi: 'gastroscopy',
  lung: 'ct_chest',
  non_specific_symptoms: 'ct_chest_abdomen_pelvis',
  haematological: 'blood_film',
  other: 'ct_scan',
  children: 'ultrasound',
  brain_cns: 'mri_brain',
  testicular: 'testicular_ultrasound',
  sarcoma: 'mri_soft_tissue',
  acute_leukaemia: 'bone_marrow_aspirate',
};
export const BIOPSY = 'biopsy';

const modalities = (entries: [Modality, number][]) => new Mix<Modality>(entries);
export const MODALITY_DEFAULT = modalities([
  ['surgery', 0.5],
  ['chemotherapy', 0.25],
  ['radiotherapy', 0.15],
  ['other', 0.1],
]);
export const MODALITIES: Partial<Record<TumourSite, Mix<Modality>>> = {
  breast: modalities([
    ['surgery', 0.7],
    ['hormone_therapy', 0.12],
    ['chemotherapy', 0.15],
    ['other', 0.03],
  ]),
  skin: modalities([
    ['surgery', 0.95],
    ['radiotherapy', 0.03],
    ['immunotherapy', 0.02],
  ]),
  lower_gi: modalities([
    ['surgery', 0.6],
    ['chemotherapy', 0.15],
    ['radiotherapy', 0.15],
    ['palliative_care', 0.1],
  ]),
  upper_gi: modalities([
    ['surgery', 0.3],
    ['chemotherapy', 0.45],
    ['best_supportive_care', 0.15],
    ['palliative_care', 0.1],
  ]),
  lung: modalities([
    ['surgery', 0.25],
    ['radiotherapy', 0.3],
    ['chemotherapy', 0.15],
    ['immunotherapy', 0.15],
    ['targeted_therapy', 0.05],
    ['best_supportive_care', 0.1],
  ]),
  urological: modalities([
    ['hormone_therapy', 0.35],
    ['surgery', 0.3],
    ['active_monitoring', 0.2],
    ['radiotherapy', 0.1],
    ['chemotherapy', 0.05],
  ]),
  gynaecological: modalities([
    ['surgery', 0.7],
    ['chemotherapy', 0.15],
    ['radiotherapy', 0.15],
  ]),
  head_and_neck: modalities([
    ['surgery', 0.55],
    ['radiotherapy', 0.35],
    ['chemotherapy', 0.1],
  ]),
  haematological: modalities([
    ['chemotherapy', 0.6],
    ['active_monitoring', 0.3],
    ['immunotherapy', 0.1],
  ]),
  acute_leukaemia: modalities([
    ['chemotherapy', 0.9],
    ['best_supportive_care', 0.1],
  ]),
};

// --- Synthetic patients (no real data: common names combined at random, 999-range NHS numbers) ---

export const FEMALE_NAMES = [
  'Olivia',
  'Amelia',
  'Margaret',
  'Susan',
  'Patricia',
  'Linda',
  'Barbara',
  'Elizabeth',
  'Jennifer',
  'Maria',
  'Sarah',
  'Karen',
  'Helen',
  'Julie',
  'Janet',
  'Ann',
  'Carol',
  'Christine',
  'Priya',
  'Aisha',
  'Fatima',
  'Grace',
  'Joan',
  'Pauline',
] as const;
export const MALE_NAMES = [
  'James',
  'John',
  'Robert',
  'Michael',
  'David',
  'William',
  'Richard',
  'Thomas',
  'Peter',
  'Paul',
  'Mark',
  'Stephen',
  'Andrew',
  'Kevin',
  'Brian',
  'George',
  'Alan',
  'Keith',
  'Raj',
  'Mohammed',
  'Tariq',
  'Daniel',
  'Colin',
  'Graham',
] as const;
export const SURNAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  'Patel',
  'Khan',
  'Begum',
  'Okafor',
  'Nowak',
  'Murphy',
  'Hughes',
  'Edwards',
  'Turner',
  'Hill',
] as const;
/** Age in years at referral, adults. */
export const ADULT_AGE = new Days([
  [17, 0],
  [30, 0.05],
  [40, 0.12],
  [50, 0.25],
  [60, 0.45],
  [70, 0.68],
  [80, 0.88],
  [90, 0.98],
  [100, 1],
]);
/** Share of patients who are female, by suspected site (others: a half). */
export const FEMALE_SHARE: Partial<Record<TumourSite, number>> = {
  breast: 0.99,
  gynaecological: 1,
  testicular: 0,
  urological: 0.25,
};

// --- The national CWT record and treatments after the first (issue #14) ---
// Drawn from their own random stream, so the pathways above are planned exactly as before.

/** Share of first definitive treatments followed by a later one (adjuvant chemotherapy or radiotherapy, hormone therapy after surgery, ...). */
export const SUBSEQUENT_TREATMENT: Partial<Record<TumourSite, number>> = {
  breast: 0.6,
  lower_gi: 0.35,
  upper_gi: 0.3,
  lung: 0.3,
  head_and_neck: 0.45,
  gynaecological: 0.35,
  urological: 0.2,
  haematological: 0.3,
  skin: 0.05,
  brain_cns: 0.5,
  sarcoma: 0.4,
  acute_leukaemia: 0.5,
};
export const SUBSEQUENT_TREATMENT_DEFAULT = 0.2;
/** Of those, the share with a third treatment too. */
export const THIRD_TREATMENT = 0.25;
export const SUBSEQUENT_MODALITIES = modalities([
  ['chemotherapy', 0.35],
  ['radiotherapy', 0.35],
  ['hormone_therapy', 0.2],
  ['immunotherapy', 0.05],
  ['targeted_therapy', 0.05],
]);
/** The previous treatment to the next decision to treat (a post-treatment MDT). */
export const TO_NEXT_DECISION = new Days([
  [5, 0],
  [14, 0.4],
  [28, 0.85],
  [42, 1],
]);
/** A later treatment often waits for recovery: an earliest clinically appropriate date after the decision. */
export const ECAD = 0.35;
export const ECAD_DAYS = new Days([
  [7, 0],
  [14, 0.4],
  [28, 0.85],
  [42, 1],
]);
/** The 31-day start to the later treatment. */
export const SUBSEQUENT_WAIT = new Days([
  [0, 0],
  [7, 0.25],
  [14, 0.55],
  [21, 0.8],
  [31, 0.95],
  [45, 1],
]);
/** After the last treatment, the plan is recorded complete. */
export const PLAN_COMPLETED = 0.6;

/** The provider's sites (5-character ODS site codes) where patients are seen and treated. */
export const SITES: Record<string, readonly string[]> = {
  RAJ: ['RAJ01', 'RAJ02'],
  RQ8: ['RQ801'],
  RDD: ['RDD01'],
  RGT: ['RGT01'],
  RAL: ['RAL01'],
};
/** Share of events recorded without an item the national record needs: the extract's validation lists them. */
export const ITEM_MISSING = 0.02;
/** Share of breaches recorded without their delay reason. */
export const DELAY_REASON_MISSING = 0.1;
export const DELAY_REASONS = new Mix<string>([
  ['01', 0.15],
  ['02', 0.35],
  ['03', 0.15],
  ['05', 0.1],
  ['06', 0.05],
  ['07', 0.1],
  ['98', 0.1],
]);
export const SOURCES_OF_REFERRAL = new Mix<string>([
  ['03', 0.9],
  ['92', 0.03],
  ['05', 0.04],
  ['04', 0.03],
]);
export const COMMUNICATION_METHODS = new Mix<string>([
  ['01', 0.55],
  ['02', 0.35],
  ['03', 0.05],
  ['04', 0.05],
]);
export const INFORMED_BY = new Mix<string>([
  ['01', 0.5],
  ['02', 0.4],
  ['03', 0.1],
]);
/** Primary diagnoses (ICD-10) by site, for cancers. */
export const DIAGNOSES: Record<TumourSite, readonly string[]> = {
  breast: ['C50.9', 'C50.4'],
  lower_gi: ['C18.7', 'C20.X'],
  upper_gi: ['C16.9', 'C15.5', 'C25.0'],
  lung: ['C34.1', 'C34.3'],
  skin: ['C44.3', 'C43.5'],
  urological: ['C61.X', 'C67.9', 'C64.X'],
  gynaecological: ['C54.1', 'C56.X'],
  head_and_neck: ['C32.0', 'C01.X'],
  haematological: ['C83.3', 'C90.0'],
  brain_cns: ['C71.9'],
  sarcoma: ['C49.9'],
  children: ['C64.X'],
  testicular: ['C62.9'],
  acute_leukaemia: ['C92.0'],
  non_specific_symptoms: ['C80.9'],
  other: ['C80.9'],
};
/** Sites where laterality is left or right; elsewhere it is not applicable (8). */
export const LATERAL: ReadonlySet<TumourSite> = new Set(['breast', 'lung', 'testicular', 'skin']);
/** The care setting of a treatment by modality. */
export const CARE_SETTINGS: Partial<Record<Modality, string>> = {
  surgery: '01',
  chemotherapy: '02',
  radiotherapy: '03',
  hormone_therapy: '03',
  immunotherapy: '02',
  targeted_therapy: '03',
  active_monitoring: '03',
};
