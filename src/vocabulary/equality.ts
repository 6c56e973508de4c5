// The patient's details that equality monitoring needs (issue #27): the NHS Data Dictionary's
// PERSON STATED GENDER CODE and ETHNIC CATEGORY (the 2001-census 16+1 codes, with "not stated"
// and "not known" kept apart), a UK postcode, the stage group at diagnosis, and the groups the
// inequalities splits count in (deprivation quintile, age band, sex, broad ethnic group).
import { z } from 'zod';
import type { IsoDate } from './calendar.ts';

/** PERSON STATED GENDER CODE: 1 male, 2 female, 9 indeterminate, X not known (not recorded). */
export const SEX_CODES = ['1', '2', '9', 'X'] as const;
export type SexCode = (typeof SEX_CODES)[number];
export const SEX_LABELS: Record<SexCode, string> = {
  '1': 'Male',
  '2': 'Female',
  '9': 'Indeterminate',
  X: 'Not known',
};

/** ETHNIC CATEGORY (NHS Data Dictionary): the national code and its broad group (the label's prefix). */
export const ETHNIC_CATEGORIES = {
  A: ['White - British', 'white'],
  B: ['White - Irish', 'white'],
  C: ['White - Any other White background', 'white'],
  D: ['Mixed - White and Black Caribbean', 'mixed'],
  E: ['Mixed - White and Black African', 'mixed'],
  F: ['Mixed - White and Asian', 'mixed'],
  G: ['Mixed - Any other mixed background', 'mixed'],
  H: ['Asian or Asian British - Indian', 'asian'],
  J: ['Asian or Asian British - Pakistani', 'asian'],
  K: ['Asian or Asian British - Bangladeshi', 'asian'],
  L: ['Asian or Asian British - Any other Asian background', 'asian'],
  M: ['Black or Black British - Caribbean', 'black'],
  N: ['Black or Black British - African', 'black'],
  P: ['Black or Black British - Any other Black background', 'black'],
  R: ['Other Ethnic Groups - Chinese', 'other'],
  S: ['Other Ethnic Groups - Any other ethnic group', 'other'],
  Z: ['Not stated', 'not_stated'],
  '99': ['Not known', 'not_known'],
} as const satisfies Record<string, readonly [string, string]>;
export type EthnicCategory = keyof typeof ETHNIC_CATEGORIES;
// Object.keys puts the integer-like '99' first: the data dictionary's order has it last.
export const ETHNIC_CATEGORY_CODES = [
  ...(Object.keys(ETHNIC_CATEGORIES) as EthnicCategory[]).filter((c) => c !== '99'),
  '99',
] as unknown as [EthnicCategory, ...EthnicCategory[]];

export const ETHNIC_GROUPS = ['white', 'mixed', 'asian', 'black', 'other', 'not_stated', 'not_known'] as const;
export type EthnicGroup = (typeof ETHNIC_GROUPS)[number];
export const ETHNIC_GROUP_LABELS: Record<EthnicGroup, string> = {
  white: 'White',
  mixed: 'Mixed',
  asian: 'Asian or Asian British',
  black: 'Black or Black British',
  other: 'Other ethnic groups',
  not_stated: 'Not stated',
  not_known: 'Not known',
};

/** The stage group told at diagnosis: 1 to 4, or not known, or not applicable (a cancer not staged so). */
export const STAGE_GROUPS = ['1', '2', '3', '4', 'unknown', 'not_applicable'] as const;
export type StageGroup = (typeof STAGE_GROUPS)[number];
export const STAGE_GROUP_LABELS: Record<StageGroup, string> = {
  '1': 'Stage 1',
  '2': 'Stage 2',
  '3': 'Stage 3',
  '4': 'Stage 4',
  unknown: 'Not known',
  not_applicable: 'Not applicable (not staged 1 to 4)',
};

// A UK postcode: outward code (area, district) and inward code (sector digit, unit letters).
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;

/** A UK postcode in the one form kept: upper case, one space before the inward code ("CM1 1AA"); null when it is not one. */
export function normalisePostcode(value: string): string | null {
  const m = POSTCODE.exec(value.toUpperCase().replace(/\s+/g, ''));
  return m ? `${m[1]} ${m[2]}` : null;
}

export const postcode = z.string().transform((value, ctx) => {
  const normalised = normalisePostcode(value);
  if (normalised === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a UK postcode, such as CM1 1AA' });
    return z.NEVER;
  }
  return normalised;
});

/** The optional equality fields of the referral and of a correction of the patient's details. */
export const equalityFields = {
  // x-value-labels: the words the dashboard's forms show for each code (a code means something else in another list).
  sex: z.enum(SEX_CODES).optional().meta({ title: 'Sex (person stated gender code)', 'x-value-labels': SEX_LABELS }),
  ethnicCategory: z
    .enum(ETHNIC_CATEGORY_CODES)
    .optional()
    .meta({
      title: 'Ethnic category',
      'x-value-labels': Object.fromEntries(Object.entries(ETHNIC_CATEGORIES).map(([code, [words]]) => [code, words])),
    }),
  postcode: postcode.optional().meta({ title: 'Postcode' }),
};

// ---- the groups the splits count in ----

export const SPLITS = ['deprivation', 'age', 'sex', 'ethnicity'] as const;
export type Split = (typeof SPLITS)[number];

export const QUINTILES = ['1', '2', '3', '4', '5', 'not_known'] as const;
export type Quintile = (typeof QUINTILES)[number];
/** Core20: the most deprived 20% of the national population by the Index of Multiple Deprivation. */
export const CORE20: Quintile = '1';

/** IMD decile (1 most deprived .. 10) to quintile: deciles 1-2 are quintile 1 (Core20). */
export function quintileOf(decile: number | null): Quintile {
  if (decile === null || !Number.isInteger(decile) || decile < 1 || decile > 10) return 'not_known';
  return String(Math.ceil(decile / 2)) as Quintile;
}

export const AGE_BANDS = ['0-39', '40-49', '50-59', '60-69', '70-79', '80+', 'not_known'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Whole years from the date of birth to `on`. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The age band at the referral: under 40, then by decade, 80 and over. */
export function ageBandOf(dateOfBirth: IsoDate | null, referralOn: IsoDate): AgeBand {
  if (dateOfBirth === null) return 'not_known';
  const age = ageOn(dateOfBirth, referralOn);
  if (age < 40) return '0-39';
  if (age >= 80) return '80+';
  return AGE_BANDS[Math.floor(age / 10) - 3]!;
}

export const SEX_GROUPS = ['1', '2', '9', 'not_known'] as const;
export function sexGroupOf(sex: SexCode | null): (typeof SEX_GROUPS)[number] {
  return sex === null || sex === 'X' ? 'not_known' : sex;
}

export function ethnicGroupOf(category: EthnicCategory | null): EthnicGroup {
  return category === null ? 'not_known' : ETHNIC_CATEGORIES[category][1];
}

/** Each split's groups in the order shown. */
export const GROUPS: Record<Split, readonly string[]> = {
  deprivation: QUINTILES,
  age: AGE_BANDS,
  sex: SEX_GROUPS,
  ethnicity: ETHNIC_GROUPS,
};

/** Groups that say the detail is missing: never the reference group. */
export const UNKNOWN_GROUPS: ReadonlySet<string> = new Set(['not_known', 'not_stated']);

export function groupLabel(split: Split, group: string): string {
  if (group === 'not_known') return 'Not known';
  switch (split) {
    case 'deprivation':
      return `Quintile ${group}${group === '1' ? ' (most deprived, Core20)' : group === '5' ? ' (least deprived)' : ''}`;
    case 'age':
      return group === '0-39' ? 'Under 40' : group === '80+' ? '80 and over' : group;
    case 'sex':
      return SEX_LABELS[group as SexCode];
    case 'ethnicity':
      return ETHNIC_GROUP_LABELS[group as EthnicGroup];
  }
}
