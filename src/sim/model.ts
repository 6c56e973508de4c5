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
// Steps that are not queues: the patient's own choices, reporting, the MDT's weekly cycle. The
// waits for a slot come from the resources below (docs/simulation.md, "The queue model").

/**
 * Triage to the first day the patient can come to a first appointment (contacting them, their
 * choice): a few put it off for weeks (a holiday, illness, caring for someone).
 */
export const FIRST_LEAD = new Days([
  [0, 0],
  [2, 0.3],
  [4, 0.6],
  [7, 0.88],
  [10, 0.93],
  [14, 0.95],
  [56, 1],
]);
/** Triage to the first day the patient can come to the Rapid Diagnostic Centre. */
export const RDC_LEAD = new Days([
  [1, 0],
  [3, 0.6],
  [5, 1],
]);
/** A test requested to the first day the patient can have it (preparation, a bowel prep, their choice, now and then weeks later). */
export const TEST_LEAD = new Days([
  [0, 0],
  [2, 0.35],
  [4, 0.75],
  [7, 0.96],
  [42, 1],
]);
/** Tests done at the clinic that asked for them (one-stop clinics, a blood film): no lead. */
export const SAME_DAY_TESTS: ReadonlySet<string> = new Set(['dermoscopy', 'mammogram', 'nasendoscopy', 'blood_film']);
/** A test reported: days from the test. */
export const TEST_REPORT = new Days([
  [-1, 0],
  [0, 0.2],
  [2, 0.5],
  [5, 0.8],
  [10, 0.95],
  [21, 1],
]);
/** A biopsy's histology: days from the biopsy. */
export const HISTOLOGY = new Days([
  [2, 0],
  [4, 0.4],
  [7, 0.8],
  [10, 1],
]);
/**
 * Patients without cancer whose first test leaves a question open, and have a further scan before
 * they are told (by suspected site; others: FURTHER_IMAGING_DEFAULT).
 */
export const FURTHER_IMAGING: Partial<Record<TumourSite, number>> = {
  lower_gi: 0.2,
  upper_gi: 0.2,
  urological: 0.15,
  gynaecological: 0.15,
  lung: 0.3,
};
export const FURTHER_IMAGING_DEFAULT = 0.08;
export const FURTHER_IMAGING_TEST = 'ct_scan';
/** The last test reported to the patient told cancer is ruled out (a results clinic, a letter). */
export const TOLD_AFTER_REPORT = new Days([
  [-1, 0],
  [0, 0.35],
  [3, 0.65],
  [7, 0.88],
  [14, 0.95],
  [42, 1],
]);
/**
 * Clinical delays, the long tail of real pathways: a patient without cancer whose diagnosis waits
 * on a second opinion or another condition first; a cancer patient made fit for treatment before
 * deciding on it. Days added before telling the patient, or before the decision to treat.
 */
export const CLINICAL_DELAY_NOT_CANCER = 0.03;
export const CLINICAL_DELAY_CANCER = 0.05;
export const CLINICAL_DELAY_DAYS = new Days([
  [13, 0],
  [28, 0.35],
  [56, 0.65],
  [112, 0.9],
  [180, 1],
]);
/** The histology to the patient told cancer is confirmed (a results clinic). */
export const TOLD_AFTER_HISTOLOGY = new Days([
  [-1, 0],
  [0, 0.1],
  [3, 0.45],
  [7, 0.85],
  [14, 1],
]);
/** Cancers staged by a CT scan after the patient is told, before the MDT plans treatment (others: STAGING_DEFAULT). */
export const STAGING: Partial<Record<TumourSite, number>> = { skin: 0.1, haematological: 0.4, acute_leukaemia: 0 };
export const STAGING_DEFAULT = 0.7;
export const STAGING_TEST = 'ct_chest_abdomen_pelvis';
/** The weekday each site's MDT meets (1 Monday ... 5 Friday): a case is discussed at the first meeting after its staging. */
export const MDT_WEEKDAY: Record<TumourSite, number> = {
  breast: 3,
  lower_gi: 2,
  upper_gi: 4,
  lung: 2,
  skin: 5,
  urological: 3,
  gynaecological: 4,
  head_and_neck: 1,
  haematological: 2,
  brain_cns: 4,
  sarcoma: 3,
  children: 5,
  testicular: 3,
  acute_leukaemia: 1,
  non_specific_symptoms: 4,
  other: 4,
};
/** The MDT to the decision to treat (the patient's clinic to choose among the options). */
export const DECISION_AFTER_MDT = new Days([
  [-1, 0],
  [0, 0.3],
  [3, 0.6],
  [7, 0.85],
  [14, 0.96],
  [28, 1],
]);
/** First treatments that need a slot, and the decision to treat to the first day one can be given (pre-operative assessment, radiotherapy planning). */
export const PREPARATION: Partial<Record<Modality, Days>> = {
  surgery: new Days([
    [3, 0],
    [7, 0.3],
    [14, 0.75],
    [28, 1],
  ]),
  radiotherapy: new Days([
    [5, 0],
    [10, 0.4],
    [21, 0.85],
    [35, 1],
  ]),
  chemotherapy: new Days([
    [1, 0],
    [4, 0.3],
    [10, 0.8],
    [21, 1],
  ]),
  immunotherapy: new Days([
    [1, 0],
    [4, 0.4],
    [7, 0.8],
    [14, 1],
  ]),
  targeted_therapy: new Days([
    [1, 0],
    [4, 0.4],
    [7, 0.8],
    [14, 1],
  ]),
};
/** Decision to treat to the start of a first treatment that needs no slot (hormone therapy, active monitoring, care). */
export const UNQUEUED_START = new Days([
  [-1, 0],
  [0, 0.4],
  [7, 0.8],
  [14, 0.95],
  [28, 1],
]);

// --- Capacity (issue #22) ---

/**
 * Slots a week of each resource at the trust preset (5,500 referrals a month), Monday to Friday:
 * first appointments by suspected site (the Rapid Diagnostic Centre is first:non_specific_symptoms),
 * tests by name, first treatments that need a slot by modality. Other sizes scale them by their
 * referrals. Set against the demand the trust preset makes of each (docs/simulation.md has the
 * loads as measured): most at about 0.95 of an ordinary week's slots, which bank holidays and
 * Christmas (4% of a year's weekdays) bring to about 0.99 over a year, so waits rise after each
 * holiday and ease between them; colonoscopy, CT and surgery at 0.97-0.98, creeping up; the MRI of
 * the prostate over capacity (1.02), its waits growing; small clinics and one-stop tests with room.
 */
export const TRUST_CAPACITY: Readonly<Record<string, number>> = {
  'first:breast': 293,
  'first:lower_gi': 92,
  'first:upper_gi': 46,
  'first:lung': 10.5,
  'first:skin': 240,
  'first:urological': 66, // men with suspected prostate cancer go straight to MRI (issue #26)
  'first:gynaecological': 142,
  'first:head_and_neck': 92,
  'first:haematological': 15.5,
  'first:brain_cns': 6.5,
  'first:sarcoma': 4,
  'first:children': 8,
  'first:testicular': 6.5,
  'first:acute_leukaemia': 0.5,
  'first:non_specific_symptoms': 29,
  'first:other': 16,
  'test:dermoscopy': 306,
  'test:colonoscopy': 271,
  'test:mammogram': 372,
  'test:mri_prostate': 123,
  'test:pelvic_ultrasound': 139,
  'test:nasendoscopy': 119,
  'test:gastroscopy': 93,
  'test:ct_chest': 35,
  'test:ct_chest_abdomen_pelvis': 92,
  'test:blood_film': 21,
  'test:ct_scan': 172,
  'test:ultrasound': 8,
  'test:mri_brain': 6.5,
  'test:testicular_ultrasound': 6.5,
  'test:mri_soft_tissue': 4,
  'test:bone_marrow_aspirate': 0.5,
  'test:biopsy': 102,
  'treatment:surgery': 58,
  'treatment:radiotherapy': 9.5,
  'treatment:chemotherapy': 12.5,
  'treatment:immunotherapy': 2.5,
  'treatment:targeted_therapy': 0.5,
};
/**
 * Days at the start of the history whose slots are already taken, by patients referred before it
 * (who are not in it): the history opens with waiting lists, and a step that patients reach weeks
 * after their referral (a biopsy, a treatment) still has its queue when the first of them arrive.
 * One-stop tests start with none.
 */
export const BOOKED_AT_START = { first: 5, test: 16, biopsy: 22, treatment: 50 } as const;
/**
 * A smaller trust needs more room: its few slots a day fill unevenly. Below the trust preset's
 * referrals a month (N), each capacity is also multiplied by 1 + SMALL_TRUST_HEADROOM * (sqrt(5500 / N) - 1):
 * 1.30 for the demo preset's 350 a month.
 */
export const SMALL_TRUST_HEADROOM = 0.1;
/** Share of a weekday's slots that run between Christmas Eve and New Year's Eve (bank holidays run none). */
export const CHRISTMAS_SHARE = 0.5;

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

// --- Timed pathways (issue #26) ---
// Drawn from a stream of their own (simulate.ts), so the pathways above take the same branches.

/**
 * Share of urgent suspected cancer referrals of men to urology that are for suspected prostate
 * cancer (about half of all urological referrals with the women's): an assumption, not a published
 * figure. They go straight to MRI (the timed prostate pathway, MRI first).
 */
export const PROSTATE = 0.65;
/**
 * Lower GI urgent referrals carrying a FIT result: "only around 65% of 2WW suspected cancer
 * referrals have an accompanying FIT result" (North Central London ICB's guidance to GPs).
 */
export const FIT_WITH_RESULT = 0.65;
/**
 * A result of 10 or more, with and without cancer: at University Hospitals of North Midlands
 * (referred symptomatic patients, November 2021 to February 2022, n = 2,374; PMC11554240), 38.5%
 * had FIT of 10 or more, and colorectal cancer was found in 9.8% of them against 0.5% of those
 * below 10; by Bayes, 92.5% of cancers and 36.2% of the others had 10 or more.
 */
export const FIT_POSITIVE_WITH_CANCER = 0.925;
export const FIT_POSITIVE_WITHOUT_CANCER = 0.362;
/** Faecal haemoglobin, micrograms per gram: results of 10 or more, and below 10 (many undetectable). */
export const FIT_AT_LEAST_10 = new Days([
  [9, 0],
  [20, 0.35],
  [50, 0.6],
  [100, 0.75],
  [400, 1],
]);
export const FIT_BELOW_10 = new Days([
  [-1, 0],
  [0, 0.3],
  [3, 0.6],
  [9, 1],
]);
/** Without a result, the share that says why (an assumption), and the reasons. */
export const FIT_REASON_GIVEN = 0.6;
export const FIT_NOT_DONE_REASONS = new Mix<string>([
  ['Sample not returned', 0.5],
  ['Rectal or anal mass: referred without FIT', 0.2],
  ['Clinical concern: referral not delayed for FIT', 0.25],
  ['Patient declined FIT', 0.05],
]);
/** The screening programme each screening site's referrals come from. */
export const SCREENING_PROGRAMME: Partial<Record<TumourSite, 'bowel' | 'breast' | 'cervical' | 'lung'>> = {
  lower_gi: 'bowel',
  breast: 'breast',
  gynaecological: 'cervical',
  lung: 'lung',
};
