// Timed pathways (issue #26): what a referral may carry for them (a suspected site within the
// tumour site, a FIT result, the screening programme), and the pathway definitions OpenPTL ships:
// per pathway, its milestones in order, each due by a day counted as the clocks count (day 0 is
// the clock start, due by the end of day N). Data only: the rules read them (src/cwt/milestones.ts)
// and a trust changes the days in one table (src/store/timed-pathways.ts, `openptl pathways`).
// Where each day comes from is in `source`; `confirmed: false` marks a day no national document
// read for this work gives: "not confirmed: a trust sets it". No import of events.ts (it imports this).

/** Suspected sites within a tumour site: the referral's `suspectedSite`, and its tumour site. */
export const SUSPECTED_SITES = {
  prostate: 'urological',
  bladder: 'urological',
  kidney: 'urological',
} as const satisfies Record<string, string>;
export type SuspectedSite = keyof typeof SUSPECTED_SITES;
export const SUSPECTED_SITE_NAMES = Object.keys(SUSPECTED_SITES) as [SuspectedSite, ...SuspectedSite[]];

/** The national screening programmes a screening referral comes from, and the tumour site each refers to. */
export const SCREENING_PROGRAMMES = ['bowel', 'breast', 'cervical', 'lung'] as const;
export type ScreeningProgramme = (typeof SCREENING_PROGRAMMES)[number];
export const PROGRAMME_SITE: Readonly<Record<ScreeningProgramme, string>> = {
  bowel: 'lower_gi',
  breast: 'breast',
  cervical: 'gynaecological',
  lung: 'lung',
};

/**
 * Faecal haemoglobin (micrograms per gram) at or above which a symptomatic FIT result means an
 * urgent suspected cancer referral (NICE DG56, 2023; BSG/ACPGBI, Gut 2022). Below it, or with no
 * result, a referral is still taken (a low FIT alone does not exclude one) and listed for review.
 */
export const FIT_THRESHOLD = 10;
/** The largest faecal haemoglobin a result may give (analysers report far less). */
export const FIT_MAX = 10_000;

/** The referral's timed-pathway items, as the checks across fields read them. */
interface TimedReferral {
  type: string;
  on: string;
  route?: unknown;
  tumourSite?: unknown;
  suspectedSite?: string;
  fitResult?: number;
  fitTestedOn?: string;
  fitNotDoneReason?: string;
  screeningProgramme?: string;
  lowDoseCtOn?: string;
}

/** The screening programme of a screening referral: the one given, else the one its tumour site implies. */
export function screeningProgrammeOf(referral: {
  route: string;
  tumourSite: string;
  screeningProgramme?: string;
}): ScreeningProgramme | null {
  if (referral.route !== 'screening') return null;
  if (referral.screeningProgramme !== undefined) return referral.screeningProgramme as ScreeningProgramme;
  return SCREENING_PROGRAMMES.find((p) => PROGRAMME_SITE[p] === referral.tumourSite) ?? null;
}

/** The checks across a referral's timed-pathway items that one field cannot state. */
export function timedItemIssues(e: TimedReferral): { path: string; message: string }[] {
  if (e.type !== 'referral_received') return [];
  const issues: { path: string; message: string }[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });
  const site = String(e.tumourSite);
  if (e.suspectedSite !== undefined) {
    const parent = SUSPECTED_SITES[e.suspectedSite as SuspectedSite];
    if (parent !== site) issue('suspectedSite', `${e.suspectedSite} is a suspected site of ${parent} referrals`);
  }
  const fit = (['fitResult', 'fitTestedOn', 'fitNotDoneReason'] as const).filter((k) => e[k] !== undefined);
  if (fit.length && site !== 'lower_gi') issue(fit[0]!, 'a FIT result is for a lower GI referral');
  if (e.fitResult !== undefined && e.fitNotDoneReason !== undefined)
    issue('fitNotDoneReason', 'give the FIT result or why there is none, not both');
  if (e.fitTestedOn !== undefined && e.fitResult === undefined)
    issue('fitResult', 'give the result of the FIT dated by fitTestedOn');
  if (e.fitTestedOn !== undefined && e.fitTestedOn > e.on)
    issue('fitTestedOn', 'must not be after the referral was received (`on`)');
  if (e.screeningProgramme !== undefined) {
    if (e.route !== 'screening') issue('screeningProgramme', 'is for a referral by the screening route');
    else if (PROGRAMME_SITE[e.screeningProgramme as ScreeningProgramme] !== site)
      issue(
        'screeningProgramme',
        `a ${e.screeningProgramme} screening referral is for the ${PROGRAMME_SITE[e.screeningProgramme as ScreeningProgramme]} tumour site`,
      );
  }
  if (e.lowDoseCtOn !== undefined) {
    const programme = screeningProgrammeOf({
      route: String(e.route),
      tumourSite: site,
      ...(e.screeningProgramme !== undefined ? { screeningProgramme: e.screeningProgramme } : {}),
    });
    if (programme !== 'lung') issue('lowDoseCtOn', 'the low-dose CT date is for a lung screening referral');
    else if (e.lowDoseCtOn > e.on) issue('lowDoseCtOn', 'must not be after the referral was received (`on`)');
  }
  return issues;
}

// ---- the definitions ----------------------------------------------------------------------

/** The events that can meet a milestone (the first of its kind on the timeline meets it). */
export const MILESTONE_EVENTS = [
  'triaged',
  'first_seen',
  'test_requested',
  'test_reported',
  'mdt_discussed',
  'diagnosis_communicated',
  'decision_to_treat',
  'treatment_started',
] as const;
export type MilestoneEvent = (typeof MILESTONE_EVENTS)[number];

export interface MilestoneDefinition {
  /** The step, as a tracker says it. */
  name: string;
  /** Due by the end of this day, counted as the clocks count: the clock start is day 0. */
  day: number;
  /** The event that meets it. */
  event: MilestoneEvent;
  /** For a test event: the test names that count (loosely: "CT chest" is ct_chest); none, any test. */
  tests?: string[];
  /** Where the day comes from. */
  source: string;
  /** False: no national document read for this work gives the day ("not confirmed: a trust sets it"). */
  confirmed: boolean;
  /** Set by the trust (`openptl pathways set`): who and when. */
  changed?: { by: string; at: string };
}

export interface TimedPathwayDefinition {
  pathway: string;
  label: string;
  /** The referrals it applies to: a tumour site, and a suspected site within it; `{}` for every other. */
  appliesTo: { tumourSite?: string; suspectedSite?: string };
  milestones: MilestoneDefinition[];
}

const FDS =
  'National: the 28-day Faster Diagnosis Standard (NHS England, National Cancer Waiting Times Monitoring Dataset Guidance v12.1, July 2025): told that cancer is diagnosed or ruled out by day 28';
const NOLCP =
  'National: the National Optimal Lung Cancer Pathway (NHS England Clinical Expert Group for Lung Cancer, August 2017, updated 2020, v3.0), on which "Implementing a timed lung cancer diagnostic pathway" draws';
const NOT_CONFIRMED = 'Not confirmed: a trust sets it.';
const CONVENTION = (what: string) =>
  `${NOT_CONFIRMED} OpenPTL's convention (cwt-rules.md, "Due dates"): ${what}; no national day was confirmed for this step`;
const triage = (source = CONVENTION('triage by day 3')): MilestoneDefinition => ({
  name: 'Triage',
  day: 3,
  event: 'triaged',
  source,
  confirmed: false,
});
const firstSeen = (day: number, source: string, name = 'First appointment or test'): MilestoneDefinition => ({
  name,
  day,
  event: 'first_seen',
  source,
  confirmed: false,
});
const told: MilestoneDefinition = {
  name: 'Communicate diagnosis',
  day: 28,
  event: 'diagnosis_communicated',
  source: FDS,
  confirmed: true,
};

/**
 * The definitions OpenPTL ships, prostate first. A referral takes the first that applies: its
 * suspected site, else its tumour site, else the default. Consultant upgrades take none (the
 * faster diagnosis standard does not apply to them, cwt-rules R3).
 */
export const SHIPPED_PATHWAYS: readonly TimedPathwayDefinition[] = [
  {
    pathway: 'prostate',
    label: 'Prostate (MRI first)',
    appliesTo: { tumourSite: 'urological', suspectedSite: 'prostate' },
    milestones: [
      triage(
        CONVENTION(
          'triage by day 3, straight to MRI (NHS England, "Implementing a timed prostate cancer diagnostic pathway", updated October 2022: a straight-to-test pathway with multiparametric MRI first)',
        ),
      ),
      {
        name: 'MRI of the prostate',
        day: 5,
        event: 'test_reported',
        tests: ['mri_prostate', 'mpmri', 'mpmri_prostate', 'prostate_mri', 'mri_pelvis'],
        source: `${NOT_CONFIRMED} Local: Hull University Teaching Hospitals' published pathway (leaflet HEY1577/2025, 17 October 2025): "an appointment for the MRI within 5 days" of receiving the referral`,
        confirmed: false,
      },
      {
        name: 'Biopsy',
        day: 12,
        event: 'test_reported',
        tests: ['biopsy', 'prostate_biopsy', 'transperineal_biopsy', 'latp_biopsy', 'trus_biopsy'],
        source: `${NOT_CONFIRMED} Local: Hull University Teaching Hospitals' published pathway (leaflet HEY1577/2025): the biopsy "within the following 7 days" after the MRI`,
        confirmed: false,
      },
      told,
    ],
  },
  {
    pathway: 'lung',
    label: 'Lung (national optimal lung cancer pathway)',
    appliesTo: { tumourSite: 'lung' },
    milestones: [
      {
        name: 'CT of the chest',
        day: 3,
        event: 'test_reported',
        tests: ['ct_chest', 'ct_thorax', 'ct_chest_abdomen', 'ct_chest_abdomen_pelvis', 'ct'],
        source: `${NOLCP}: CT within 72 hours of referral`,
        confirmed: true,
      },
      { ...firstSeen(5, `${NOLCP}: clinic within 5 days of referral`, 'First clinic'), confirmed: true },
      told,
      {
        name: 'First definitive treatment',
        day: 49,
        event: 'treatment_started',
        source: `${NOLCP}: "The maximum length of the pathway is 49 days" (the 62-day standard still applies)`,
        confirmed: true,
      },
    ],
  },
  {
    pathway: 'lower_gi',
    label: 'Lower GI (FIT, straight to test)',
    appliesTo: { tumourSite: 'lower_gi' },
    milestones: [
      {
        ...triage(
          `${NOT_CONFIRMED} Local: Royal United Hospitals Bath's faster diagnosis service: "triage your referral on the day of receipt" (NHS England, "Implementing a timed colorectal cancer diagnostic pathway", updated April 2023: days not confirmed)`,
        ),
        day: 0,
      },
      {
        name: 'Colonoscopy or CT colonography',
        day: 14,
        event: 'test_reported',
        tests: ['colonoscopy', 'ct_colonography', 'ctc', 'flexible_sigmoidoscopy'],
        source: `${NOT_CONFIRMED} Local: Royal United Hospitals Bath: a test or clinic "arranged within 14 days from the referral"`,
        confirmed: false,
      },
      told,
    ],
  },
  {
    pathway: 'oesophago_gastric',
    label: 'Oesophago-gastric (straight to endoscopy)',
    appliesTo: { tumourSite: 'upper_gi' },
    milestones: [
      triage(),
      {
        name: 'Gastroscopy (OGD)',
        day: 14,
        event: 'test_reported',
        tests: ['gastroscopy', 'ogd', 'endoscopy', 'upper_gi_endoscopy'],
        source: CONVENTION(
          'first appointment or test by day 14 (NHS England, "Implementing a timed oesophago-gastric cancer diagnostic pathway", April 2019, ref. 000232)',
        ),
        confirmed: false,
      },
      told,
    ],
  },
  {
    pathway: 'head_and_neck',
    label: 'Head and neck',
    appliesTo: { tumourSite: 'head_and_neck' },
    milestones: [
      triage(),
      firstSeen(
        14,
        CONVENTION(
          'first appointment or test by day 14 (NHS England, "Implementing a timed head and neck cancer diagnostic pathway", 2023)',
        ),
        'One-stop clinic',
      ),
      told,
    ],
  },
  {
    pathway: 'gynaecology',
    label: 'Gynaecology',
    appliesTo: { tumourSite: 'gynaecological' },
    milestones: [
      triage(),
      firstSeen(
        9,
        `${NOT_CONFIRMED} Local: Royal Free London: "aim to offer you an appointment within nine days or less" (NHS England, "Implementing a timed gynaecology cancer diagnostic pathway", 2023: days not confirmed)`,
      ),
      told,
    ],
  },
  {
    pathway: 'skin',
    label: 'Skin',
    appliesTo: { tumourSite: 'skin' },
    milestones: [
      triage(),
      firstSeen(
        14,
        CONVENTION(
          'first appointment or test by day 14 (NHS England, "Implementing a timed skin cancer diagnostic pathway", 2023)',
        ),
      ),
      { ...told, source: `${FDS}; NICE QS130, statement 2 (diagnosis confirmed or ruled out within 28 days)` },
    ],
  },
  {
    pathway: 'breast',
    label: 'Breast (one-stop triple assessment)',
    appliesTo: { tumourSite: 'breast' },
    milestones: [
      firstSeen(
        14,
        CONVENTION(
          'first appointment by day 14, as the two-week-wait standard had it until the standards changed on 1 October 2023 (NHS England, "Faster diagnostic pathways: implementing a timed breast cancer diagnostic pathway", 4 March 2024)',
        ),
        'Triple assessment',
      ),
      told,
    ],
  },
  {
    pathway: 'non_specific_symptoms',
    label: 'Non-specific symptoms (Rapid Diagnostic Centre)',
    appliesTo: { tumourSite: 'non_specific_symptoms' },
    milestones: [
      {
        ...triage(
          `${NOT_CONFIRMED} Local: South Tees Hospitals' RDC referral pathway: "Day 0 to 2" referral, triage and telephone triage (no national day-by-day pathway was found)`,
        ),
        day: 2,
      },
      firstSeen(
        10,
        `${NOT_CONFIRMED} Local: South Tees Hospitals' RDC referral pathway: "Day 2 to 10" the RDC clinic and second-level tests`,
        'Seen at the Rapid Diagnostic Centre',
      ),
      told,
    ],
  },
  {
    pathway: 'default',
    label: 'Any other pathway',
    appliesTo: {},
    milestones: [
      triage(),
      firstSeen(14, CONVENTION('first appointment or test by day 14')),
      told,
      {
        name: 'Decision to treat',
        day: 38,
        event: 'decision_to_treat',
        source: CONVENTION(
          'decision to treat by day 38, the day by which a patient treated elsewhere should be transferred (the inter-provider breach allocation)',
        ),
        confirmed: false,
      },
      {
        name: 'First definitive treatment',
        day: 62,
        event: 'treatment_started',
        source: 'National: the 62-day standard (cwt-rules.md), allowing for declined offers (R7)',
        confirmed: true,
      },
    ],
  },
];

/** The definition a referral takes (its suspected site's, its tumour site's, else the default), or null for an upgrade. */
export function definitionFor(
  definitions: readonly TimedPathwayDefinition[],
  referral: { route: string; tumourSite: string; suspectedSite: string | null },
): TimedPathwayDefinition | null {
  if (referral.route === 'consultant_upgrade') return null;
  const { tumourSite, suspectedSite } = referral;
  return (
    definitions.find((d) => d.appliesTo.suspectedSite !== undefined && d.appliesTo.suspectedSite === suspectedSite) ??
    definitions.find((d) => d.appliesTo.tumourSite === tumourSite && d.appliesTo.suspectedSite === undefined) ??
    definitions.find((d) => d.appliesTo.tumourSite === undefined) ??
    null
  );
}

/** A test's name as written loosely: "CT chest", "ct_chest" and "CT-Chest" are one test. */
export function testKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
