// The simulator's equality details (issue #27): sex, ethnic category, a synthetic postcode and the
// stage at diagnosis, drawn from a random stream of their own after the pathway is planned, so every
// referral and event a seed gave before stays as it was (the new fields apart). The gaps the
// literature reports are put in by drawing the deprivation quintile given what happened: a patient
// who missed a first appointment is more likely from a deprived area (Bayes' rule on the relative
// risks below), and a cancer in a deprived area less often at stage 1 or 2. The postcodes are
// synthetic ("QQ": no UK postcode area starts with Q) and ship with their lookup.
import type { EthnicCategory, SexCode, StageGroup } from '../vocabulary/equality.ts';
import type { TumourSite } from '../vocabulary/events.ts';
import { Mix, type Random } from './random.ts';

/** Random stream numbers of the equality details: apart from the plan's (index + 1), the national items' (negative) and the timed items'. */
export const EQUALITY_STREAM = 0x20000000;

/**
 * Share of referrals from each IMD quintile (1 most deprived). Nationally each quintile holds a
 * fifth of the population; referrals lean a little to the less deprived, older areas. An assumption.
 */
export const QUINTILE_SHARE = [0.18, 0.19, 0.2, 0.21, 0.22] as const;
/**
 * Relative risk of missing a first appointment by quintile, against quintile 5: deprivation predicts
 * non-attendance (Sheridan et al., Cancer Epidemiology 2019: 5.2% of 109,433 urgent referrals did
 * not attend), but no English gradient by quintile was found; this one (about 1.8 from quintile 5
 * to 1) is an assumption, labelled as such in docs/simulation.md.
 */
export const DNA_RELATIVE_RISK = [1.8, 1.35, 1.15, 1.05, 1] as const;
/**
 * Share of staged cancers diagnosed at stage 1 or 2 by quintile: NHS Digital's case-mix adjusted
 * statistics put the most deprived quintile 8 points below the least (47% against 55% in 2020).
 */
export const EARLY_STAGE_SHARE = [0.47, 0.5, 0.52, 0.54, 0.56] as const;
/** Cancers with no stage group recorded. */
export const STAGE_UNKNOWN = 0.12;
/** Sites whose cancers are not staged 1 to 4 (leukaemias, lymphomas and the like, brain, children's). */
const NOT_STAGED: ReadonlySet<TumourSite> = new Set(['haematological', 'acute_leukaemia', 'brain_cns', 'children']);
/** Patients with no postcode recorded (their quintile is "not known"). */
export const NO_POSTCODE = 0.03;
/** Sex not known (not recorded). */
export const SEX_NOT_KNOWN = 0.005;

/**
 * Ethnic category: England's shares at the 2021 census (White 81%, Asian 9.6%, Black 4.2%, Mixed
 * 3.0%, Other 2.2%, by the data dictionary's codes), among the 88% of referrals with it recorded;
 * 5% not stated (Z), 7% not known (99).
 */
export const ETHNICITY = new Mix<EthnicCategory>([
  ['A', 0.735 * 0.88],
  ['B', 0.009 * 0.88],
  ['C', 0.066 * 0.88],
  ['D', 0.009 * 0.88],
  ['E', 0.004 * 0.88],
  ['F', 0.008 * 0.88],
  ['G', 0.007 * 0.88],
  ['H', 0.033 * 0.88],
  ['J', 0.027 * 0.88],
  ['K', 0.011 * 0.88],
  ['L', 0.016 * 0.88],
  ['M', 0.011 * 0.88],
  ['N', 0.026 * 0.88],
  ['P', 0.005 * 0.88],
  ['R', 0.008 * 0.88],
  ['S', 0.016 * 0.88],
  ['Z', 0.05],
  ['99', 0.07],
]);

// ---- the synthetic lookup ----

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'; // the letters an inward code uses
const PER_DECILE = 60;

/** The synthetic postcodes of each decile (index 0 unused): district QQ1 holds decile 1, ..., QQ10 decile 10. */
const SYNTHETIC_POSTCODES: readonly (readonly string[])[] = Array.from({ length: 11 }, (_, decile) =>
  Array.from(
    { length: decile === 0 ? 0 : PER_DECILE },
    (_, i) => `QQ${decile} ${i % 10}${INWARD_LETTERS[Math.floor(i / 10)]}${INWARD_LETTERS[(i * 7) % 20]}`,
  ),
);

export function syntheticPostcodes(decile: number): readonly string[] {
  return SYNTHETIC_POSTCODES[decile] ?? [];
}

/** The synthetic lookup that ships with the simulator: every synthetic postcode and its decile. */
export function syntheticImdLookup(): Map<string, number> {
  return new Map(
    Array.from({ length: 10 }, (_, d) => syntheticPostcodes(d + 1).map((p) => [p, d + 1] as const)).flat(),
  );
}

/** The lookup as the CSV `openptl lookup load imd` reads. */
export function syntheticImdCsv(): string {
  return `postcode,imd_decile\n${[...syntheticImdLookup()].map(([p, d]) => `${p},${d}\n`).join('')}`;
}

// ---- one patient's details ----

export interface EqualityFacts {
  site: TumourSite;
  /** The patient drawn female by the plan (the name and the site's mix), so no draw moves. */
  female: boolean;
  /** Whether a first appointment was booked and missed (null: no first appointment was booked). */
  firstDna: boolean | null;
  /** A cancer told: its stage group is drawn. */
  cancer: boolean;
}

export interface EqualityDetails {
  sex: SexCode;
  ethnicCategory: EthnicCategory;
  postcode: string | null;
  stage: StageGroup | null;
}

/** The quintile (0-based) given whether a first appointment was missed: P(q | dna) ∝ P(dna | q) P(q). */
function quintile(t: Random, firstDna: boolean | null, dnaRate: number): number {
  const mean = QUINTILE_SHARE.reduce((s, p, q) => s + p * DNA_RELATIVE_RISK[q]!, 0);
  const base = dnaRate / mean; // quintile 5's rate, so the whole stays at the plan's rate
  const weights = QUINTILE_SHARE.map((p, q) =>
    firstDna === null ? p : p * (firstDna ? DNA_RELATIVE_RISK[q]! : 1 - base * DNA_RELATIVE_RISK[q]!),
  );
  const total = weights.reduce((s, w) => s + w, 0);
  let u = t.next() * total;
  for (let q = 0; q < 4; q++) if ((u -= weights[q]!) < 0) return q;
  return 4;
}

/** One patient's details from the equality stream; `dnaRate` is the plan's chance of missing a first appointment. */
export function equalityDetails(t: Random, facts: EqualityFacts, dnaRate: number): EqualityDetails {
  const sex: SexCode = t.chance(SEX_NOT_KNOWN) ? 'X' : facts.female ? '2' : '1';
  const ethnicCategory = ETHNICITY.pick(t);
  let q: number | null = null;
  let postcode: string | null = null;
  if (!t.chance(NO_POSTCODE)) {
    q = quintile(t, facts.firstDna, dnaRate);
    const decile = 2 * q + 1 + t.int(2);
    postcode = t.item(syntheticPostcodes(decile));
  }
  let stage: StageGroup | null = null;
  if (facts.cancer) {
    if (NOT_STAGED.has(facts.site)) stage = 'not_applicable';
    else if (t.chance(STAGE_UNKNOWN)) stage = 'unknown';
    else if (t.chance(q === null ? 0.52 : EARLY_STAGE_SHARE[q]!)) stage = t.chance(0.5) ? '1' : '2';
    else stage = t.chance(0.45) ? '3' : '4';
  }
  return { sex, ethnicCategory, postcode, stage };
}
