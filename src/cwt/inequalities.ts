// Who waits longest (issue #27): the backlog, waits, performance against the standards, missed
// first appointments and early diagnosis, split by a group (deprivation quintile, age band, sex,
// broad ethnic group), each as counts, rates, and the rate ratio against a reference group with
// its 95% confidence interval. Pure: the caller reads each pathway as it stood at the end of the
// as-of day and names its group; `suppressFigures` makes the viewers' copy (disclosure.ts).
import type { IsoDate } from '../vocabulary/calendar.ts';
import { CORE20, GROUPS, groupLabel, UNKNOWN_GROUPS, type Split } from '../vocabulary/equality.ts';
import { backlogPosition, bandOf, BANDS, OVER_62, type Band } from './backlog.ts';
import type { Clocks } from './clocks.ts';
import type { Tracking } from './tracking.ts';
import { isSmall, rateRatio, suppress } from './disclosure.ts';

/** One pathway as the splits count it. */
export interface EqualityRecord {
  group: string;
  /** Days waiting on the 62-day clock, for a pathway open on the as-of date. */
  daysWaiting: number | null;
  /** Each standard's clock stopped in the period: met (true) or not. */
  stops: Partial<Record<Measure, boolean>>;
  /** Referred in the period with a first appointment's outcome recorded: missed at least once (true) or not. */
  firstDna: boolean | null;
  /** A cancer told in the period with a stage group 1 to 4: diagnosed at stage 1 or 2 (true) or not. */
  early: boolean | null;
}

export interface Period {
  from: IsoDate;
  to: IsoDate;
}

const within = (day: IsoDate | null | undefined, { from, to }: Period): day is IsoDate =>
  day !== null && day !== undefined && day >= from && day <= to;

/** What the splits count of one pathway, from its clocks (as of the as-of date) and its tracking facts. */
export function equalityRecord(
  group: string,
  clocks: Clocks,
  tracking: Tracking,
  referralOn: IsoDate,
  period: Period,
): EqualityRecord {
  const stops: EqualityRecord['stops'] = {};
  for (const name of ['fds', 'd31', 'd62'] as const) {
    const clock = clocks[name];
    if (clock.state === 'stopped' && within(clock.stop, period)) stops[name] = !clock.breached;
  }
  const outcome = (tracking.firstDnas ?? 0) > 0 || tracking.firstAttended === true;
  const diagnosis = tracking.diagnosis ?? null;
  const staged =
    diagnosis !== null && within(diagnosis.on, period) && ['1', '2', '3', '4'].includes(diagnosis.stage ?? '');
  return {
    group,
    daysWaiting: backlogPosition(clocks)?.daysWaiting ?? null,
    stops,
    firstDna: within(referralOn, period) && outcome ? (tracking.firstDnas ?? 0) > 0 : null,
    early: staged ? diagnosis.stage === '1' || diagnosis.stage === '2' : null,
  };
}

/** The proportions each group shows; `met` for the standards (clocks stopped in the period within target). */
export const MEASURES = ['over62', 'fds', 'd31', 'd62', 'firstDna', 'earlyDiagnosis'] as const;
export type Measure = (typeof MEASURES)[number];

/** A proportion: `count` of `of`, its rate, and its ratio to the reference group's rate with a 95% interval. */
export interface Proportion {
  count: number | null;
  of: number | null;
  rate: number | null;
  ratio: number | null;
  lower: number | null;
  upper: number | null;
}

export interface GroupFigures {
  group: string;
  label: string;
  /** Quintile 1 of the deprivation split: the Core20 group. */
  core20: boolean;
  reference: boolean;
  open: number | null;
  over62: number | null;
  over104: number | null;
  bands: Record<Band, number | null>;
  /** Of the open pathways' days waiting (nearest rank). */
  medianDays: number | null;
  p90Days: number | null;
  rates: Record<Measure, Proportion>;
}

export interface Inequalities {
  by: Split;
  asOf: IsoDate;
  period: Period;
  /** The group the rate ratios are against: the least deprived quintile, else the largest known group. */
  reference: string | null;
  /** Figures from 1 to 7, and any that would give one back, are null (disclosure.ts). */
  suppressed: boolean;
  groups: GroupFigures[];
  total: GroupFigures;
}

interface Tally {
  pathways: number;
  days: number[];
  counts: Record<Measure, { count: number; of: number }>;
}

function emptyTally(): Tally {
  return {
    pathways: 0,
    days: [],
    counts: Object.fromEntries(MEASURES.map((m) => [m, { count: 0, of: 0 }])) as Tally['counts'],
  };
}

function addTo(t: Tally, r: EqualityRecord): void {
  const add = (m: Measure, yes: boolean | null | undefined) => {
    if (yes === null || yes === undefined) return;
    t.counts[m].of++;
    if (yes) t.counts[m].count++;
  };
  t.pathways++;
  if (r.daysWaiting !== null) t.days.push(r.daysWaiting);
  add('over62', r.daysWaiting === null ? null : r.daysWaiting > OVER_62);
  for (const name of ['fds', 'd31', 'd62'] as const) add(name, r.stops[name]);
  add('firstDna', r.firstDna);
  add('earlyDiagnosis', r.early);
}

/** The nearest-rank percentile of sorted values (null for none). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function figures(split: Split, group: string, t: Tally): GroupFigures {
  const bands = Object.fromEntries(BANDS.map((b) => [b, 0])) as Record<Band, number>;
  for (const d of t.days) bands[bandOf(d)]++;
  return {
    group,
    label: group === 'all' ? 'All' : groupLabel(split, group),
    core20: split === 'deprivation' && group === CORE20,
    reference: false,
    open: t.days.length,
    over62: bands['63-104'] + bands['105+'],
    over104: bands['105+'],
    bands,
    medianDays: percentile(t.days, 0.5),
    p90Days: percentile(t.days, 0.9),
    rates: Object.fromEntries(
      MEASURES.map((m) => {
        const { count, of } = t.counts[m];
        return [m, { count, of, rate: of > 0 ? count / of : null, ratio: null, lower: null, upper: null }];
      }),
    ) as Record<Measure, Proportion>,
  };
}

/** The reference group: the least deprived quintile for deprivation, else the known group with most pathways. */
function referenceOf(split: Split, tallies: ReadonlyMap<string, Tally>): string | null {
  if (split === 'deprivation') return (tallies.get('5')?.pathways ?? 0) > 0 ? '5' : null;
  let best: string | null = null;
  for (const group of GROUPS[split]) {
    if (UNKNOWN_GROUPS.has(group)) continue;
    const n = tallies.get(group)?.pathways ?? 0;
    if (n > 0 && (best === null || n > tallies.get(best)!.pathways)) best = group;
  }
  return best;
}

/** The split: one group per group of the split (in its order, empty ones too), the total, ratios against the reference. */
export function inequalities(
  split: Split,
  asOf: IsoDate,
  period: Period,
  records: readonly EqualityRecord[],
): Inequalities {
  const tallies = new EqualityTallies(split);
  for (const r of records) tallies.add(r);
  return tallies.done(asOf, period);
}

/** A split's counts gathered one pathway's record at a time, none of them kept (a year of pathways at scale). */
export class EqualityTallies {
  private readonly byGroup: Map<string, Tally>;
  private readonly all = emptyTally();

  constructor(private readonly split: Split) {
    this.byGroup = new Map(GROUPS[split].map((g) => [g, emptyTally()]));
  }

  add(r: EqualityRecord): void {
    const t = this.byGroup.get(r.group);
    if (!t) return;
    addTo(t, r);
    addTo(this.all, r);
  }

  done(asOf: IsoDate, period: Period): Inequalities {
    for (const t of [...this.byGroup.values(), this.all]) t.days.sort((a, b) => a - b);
    const split = this.split;
    const reference = referenceOf(split, this.byGroup);
    const groups = [...this.byGroup].map(([g, t]) => figures(split, g, t));
    const ref = groups.find((g) => g.group === reference);
    for (const g of groups) {
      g.reference = g === ref;
      if (ref) for (const m of MEASURES) withRatio(g.rates[m], ref.rates[m], g === ref);
    }
    return { by: split, asOf, period, reference, suppressed: false, groups, total: figures(split, 'all', this.all) };
  }
}

function withRatio(p: Proportion, ref: Proportion, isReference: boolean): void {
  if (isReference) {
    if (p.of) p.ratio = 1;
    return;
  }
  const rr = rateRatio(p.count ?? 0, p.of ?? 0, ref.count ?? 0, ref.of ?? 0);
  if (rr) Object.assign(p, { ratio: rr.ratio, lower: rr.lower, upper: rr.upper });
}

// ---- the viewers' copy ----

type CountField = 'open' | 'over62' | 'over104' | Band | `${Measure}.count` | `${Measure}.of`;

/**
 * The figures as people without pathway access see them: every count from 1 to 7 and every count
 * that would give one back from a total (the groups add up to the total; the bands to the open
 * pathways; the bands over 62 days to over62) is null, with the rates and ratios made from it; a
 * median or 90th percentile of 1 to 7 waits is null (the "simple calculation" rule); and when the
 * reference group's figure is hidden, every ratio of that measure is too (a ratio and a rate give it back).
 */
export function suppressFigures(split: Inequalities): Inequalities {
  const rows = [split.total, ...split.groups];
  const fields: CountField[] = ['open', 'over62', 'over104', ...BANDS];
  for (const m of MEASURES) if (m !== 'over62') fields.push(`${m}.count`, `${m}.of`);
  const index = new Map<string, number>();
  const values: number[] = [];
  const cell = (row: number, field: CountField): number => {
    // over62's proportion is over62 of the open pathways: the same cells.
    const f = field === 'over62.count' ? 'over62' : field === 'over62.of' ? 'open' : field;
    const key = `${row}|${f}`;
    let i = index.get(key);
    if (i === undefined) {
      index.set(key, (i = values.length));
      values.push(read(rows[row]!, f));
    }
    return i;
  };
  const relations: number[][] = [];
  const margins = new Set<number>();
  for (let r = 0; r < rows.length; r++) {
    relations.push([cell(r, 'open'), ...BANDS.map((b) => cell(r, b))]);
    relations.push([cell(r, 'over62'), cell(r, '63-104'), cell(r, '105+')]);
    relations.push([cell(r, 'over104'), cell(r, '105+')]);
  }
  for (const f of fields) {
    margins.add(cell(0, f));
    relations.push(rows.map((_, r) => cell(r, f)));
  }
  const hidden = suppress(values, relations, margins);
  const isHidden = (row: number, f: CountField) => hidden[cell(row, f)]!;

  const out = structuredClone(split);
  const outRows = [out.total, ...out.groups];
  outRows.forEach((g, r) => {
    for (const f of ['open', 'over62', 'over104'] as const) if (isHidden(r, f)) g[f] = null;
    for (const b of BANDS) if (isHidden(r, b)) g.bands[b] = null;
    const n = rows[r]!.open ?? 0;
    if (isSmall(n)) g.medianDays = g.p90Days = null;
    for (const m of MEASURES) {
      const p = g.rates[m];
      const countHidden = isHidden(r, `${m}.count`);
      const ofHidden = isHidden(r, `${m}.of`);
      if (countHidden) p.count = null;
      if (ofHidden) p.of = null;
      if (countHidden || ofHidden) Object.assign(p, { rate: null, ratio: null, lower: null, upper: null });
    }
  });
  const ref = out.groups.findIndex((g) => g.reference);
  if (ref >= 0)
    for (const m of MEASURES)
      if (isHidden(ref + 1, `${m}.count`) || isHidden(ref + 1, `${m}.of`))
        for (const g of out.groups) Object.assign(g.rates[m], { ratio: null, lower: null, upper: null });
  out.suppressed = true;
  return out;
}

function read(g: GroupFigures, field: string): number {
  if (field === 'open' || field === 'over62' || field === 'over104') return g[field] ?? 0;
  if ((BANDS as readonly string[]).includes(field)) return g.bands[field as Band] ?? 0;
  const [m, part] = field.split('.') as [Measure, 'count' | 'of'];
  return g.rates[m][part] ?? 0;
}
