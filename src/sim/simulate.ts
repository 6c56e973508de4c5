// Synthetic, deterministic event histories of suspected-cancer referrals, for demo data,
// imports and benchmarks. Same options, same bytes. Calibration and sources: docs/simulation.md.
// NHS numbers come only from the 999 range, which is never issued to patients.
import { dayNumber, fromDayNumber, type IsoDate } from '../cwt/calendar.ts';
import type { PathwayEvent, Route, TumourSite } from '../domain/events.ts';
import { checkDigit } from '../domain/nhs-number.ts';

export type ImportLine = { pathwayId: string; recordedAt: string } & PathwayEvent;

export interface SimulateOptions {
  referralsPerMonth: number;
  months: number;
  seed: number;
  /** The last day of the history: nothing is dated or recorded after it. */
  asOf: IsoDate;
}

export const PRESETS = {
  demo: { referralsPerMonth: 350, months: 12 },
  trust: { referralsPerMonth: 5500, months: 12 },
  england: { referralsPerMonth: 253_000, months: 12 },
} as const;

/** Share of urgent suspected cancer referrals by tumour site (approximate England mix). */
const SITE_MIX: [TumourSite, number][] = [
  ['lower_gi', 0.2], ['skin', 0.19], ['breast', 0.15], ['urological', 0.11], ['gynaecological', 0.09],
  ['head_and_neck', 0.07], ['upper_gi', 0.07], ['lung', 0.03], ['non_specific_symptoms', 0.03], ['haematological', 0.02],
  ['brain_cns', 0.01], ['children', 0.004], ['testicular', 0.005], ['sarcoma', 0.005], ['acute_leukaemia', 0.001], ['other', 0.005],
];
/** Share of referrals found to be cancer, by site (overall about 6.5%). */
const CONVERSION: Partial<Record<TumourSite, number>> = { lung: 0.12, haematological: 0.1, urological: 0.09, upper_gi: 0.06, lower_gi: 0.04, skin: 0.07, breast: 0.06, non_specific_symptoms: 0.08, acute_leukaemia: 0.5 };
const ROUTE_MIX: [Route, number][] = [['urgent_suspected_cancer', 0.86], ['breast_symptomatic', 0.05], ['screening', 0.06], ['consultant_upgrade', 0.03]];
/** Mid and south Essex's three hospitals, and tertiary centres patients are transferred to. */
const PROVIDERS: [string, number][] = [['RAJ', 0.4], ['RQ8', 0.3], ['RDD', 0.3]];
const TERTIARY = ['RGT', 'RAL'];
const MODALITIES = ['surgery', 'chemotherapy', 'radiotherapy', 'hormone_therapy', 'immunotherapy', 'active_monitoring'] as const;
const REMOVALS = ['patient_died', 'declined_all_treatment', 'referral_made_in_error', 'moved_away', 'returned_to_gp'] as const;
const TESTS: Partial<Record<TumourSite, string>> = { lower_gi: 'colonoscopy', upper_gi: 'gastroscopy', lung: 'ct_chest', breast: 'mammogram', urological: 'cystoscopy', gynaecological: 'pelvic_ultrasound', non_specific_symptoms: 'ct_chest_abdomen_pelvis' };

/** sfc32: small, fast, good enough for synthetic data; seeded, so reproducible. */
function random(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

export function* simulate(opts: SimulateOptions): Generator<ImportLine> {
  const rand = random(opts.seed);
  const chance = (p: number) => rand() < p;
  const pick = <T>(mix: [T, number][]): T => {
    let r = rand() * mix.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of mix) if ((r -= w) < 0) return v;
    return mix[mix.length - 1]![0];
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  /** Whole days from a log-normal distribution with this median and spread. */
  const delay = (median: number, sigma: number) => Math.max(0, Math.round(median * Math.exp(sigma * normal())));

  const last = dayNumber(opts.asOf);
  const span = Math.round((opts.months * 365) / 12);
  const total = Math.round(opts.referralsPerMonth * opts.months);
  const lastInstant = Date.UTC(...ymd(opts.asOf), 22, 59, 59); // before midnight in London all year round
  const pending = new LineHeap();

  for (let i = 0; i < total; i++) {
    const referralDay = last - span + 1 + Math.floor((i * span) / total);
    // Everything recorded before this referral's day can be written: no later pathway records earlier.
    const cutoff = Date.UTC(...ymd(fromDayNumber(referralDay)));
    while (pending.size && pending.peek()!.at < cutoff) yield pending.pop()!.line;

    const pathwayId = `P${String(i + 1).padStart(8, '0')}`;
    let recordedAt = 0;
    let lastDay = referralDay;
    let n = 0;
    let stopped = false;
    const emit = (day: number, event: Record<string, unknown>, lateDays = 0) => {
      if (stopped || day > last) { stopped = true; return; }
      // Most events are recorded the same working day; some are recorded late (back-dated).
      const late = lateDays || (chance(0.08) ? 1 + Math.floor(rand() * 5) : 0);
      const at = Math.max(recordedAt, Date.UTC(...ymd(fromDayNumber(day + late)), 8 + Math.floor(rand() * 10), Math.floor(rand() * 60)));
      if (at > lastInstant) { stopped = true; return; }
      recordedAt = at;
      lastDay = day;
      n++;
      pending.push({ at, line: { pathwayId, recordedAt: new Date(at).toISOString(), ...event, id: `e${n}`, on: fromDayNumber(day) } as ImportLine });
    };

    const route = pick(ROUTE_MIX);
    let site: TumourSite = route === 'breast_symptomatic' ? 'breast' : pick(SITE_MIX);
    const provider = pick(PROVIDERS);
    emit(referralDay, { type: 'referral_received', route, tumourSite: site, nhsNumber: nhsNumber(rand), provider });
    const cancer = chance(CONVERSION[site] ?? 0.05);
    const rdc = site === 'non_specific_symptoms' && route === 'urgent_suspected_cancer';
    const removedOn = chance(0.015) ? referralDay + 1 + delay(20, 0.6) : Infinity;
    const removeIfDue = (day: number) => {
      if (day < removedOn || stopped) return false;
      emit(Math.max(removedOn, lastDay), { type: 'removed', reason: REMOVALS[Math.floor(rand() * REMOVALS.length)]! });
      stopped = true;
      return true;
    };

    // Diagnosis: told after a log-normal wait (about 75% within 28 days); a cancer is treated
    // after a further wait drawn so that about two thirds are within 62 days.
    let day = referralDay + (chance(0.8) ? Math.floor(rand() * 3) : 3 + Math.floor(rand() * 4));
    const treatDay = referralDay + Math.max(12, delay(52, 0.35));
    // A few patients need a long, complex work-up: the tail that becomes the 104-day backlog.
    const diagnosticWait = chance(0.02) ? delay(85, 0.4) : delay(19, 0.55);
    const toldDay = Math.max(day + 1, Math.min(referralDay + diagnosticWait, cancer ? treatDay - 4 : Infinity));
    if (removeIfDue(day)) continue;
    const straightToTest = !rdc && ['lower_gi', 'upper_gi', 'lung'].includes(site) && chance(0.6);
    emit(day, { type: 'triaged', outcome: rdc ? 'rapid_diagnostic_centre' : straightToTest ? 'straight_to_test' : 'outpatient' });
    const test = TESTS[site] ?? 'biopsy';

    if (!straightToTest && !rdc) {
      const firstOn = Math.min(day + 1 + delay(9, 0.5), toldDay);
      emit(day, { type: 'appointment_booked', appointmentOn: fromDayNumber(firstOn), appointment: 'first' });
      let seenOn = firstOn;
      if (chance(0.04) && firstOn < toldDay - 3) { // missed first appointment: rebooked, clocks restart
        if (removeIfDue(firstOn)) continue;
        emit(firstOn, { type: 'dna', appointment: 'first' });
        const rebooked = firstOn + 1 + Math.floor(rand() * 2);
        seenOn = Math.min(rebooked + 2 + Math.floor(rand() * 5), toldDay);
        emit(rebooked, { type: 'appointment_booked', appointmentOn: fromDayNumber(seenOn), appointment: 'first' });
      } else if (chance(0.03) && firstOn < toldDay - 2) {
        emit(firstOn - 1, { type: 'patient_cancelled', appointment: 'first' });
      }
      if (removeIfDue(seenOn)) continue;
      emit(seenOn, { type: 'first_seen' });
      day = seenOn;
    }
    if (removeIfDue(day)) continue;
    emit(day, { type: 'test_requested', test });
    if (chance(0.005)) { // a duplicate request, corrected
      emit(day, { type: 'test_requested', test });
      emit(day, { type: 'event_voided', voids: `e${n}`, reason: 'duplicate request' });
    }
    const reportedOn = Math.min(day + delay(6, 0.5), toldDay);
    if (removeIfDue(reportedOn)) continue;
    emit(reportedOn, { type: 'test_reported', test });
    if (rdc && cancer) {
      site = pick(SITE_MIX.filter(([s]) => s !== 'non_specific_symptoms'));
      emit(reportedOn, { type: 'referred_onward', toTumourSite: site });
    }
    if (cancer) emit(Math.max(reportedOn, toldDay - 2), { type: 'mdt_discussed' });
    if (removeIfDue(toldDay)) continue;
    emit(toldDay, { type: 'diagnosis_communicated', outcome: cancer ? 'cancer_confirmed' : 'cancer_ruled_out' });
    if (!cancer) continue;

    const dttDay = toldDay + Math.floor((treatDay - toldDay) * (0.3 + 0.4 * rand()));
    if (chance(0.12)) emit(toldDay + Math.floor((dttDay - toldDay) / 2), { type: 'transferred', toProvider: TERTIARY[Math.floor(rand() * TERTIARY.length)]! });
    if (removeIfDue(dttDay)) continue;
    emit(dttDay, { type: 'decision_to_treat' });
    let treatOn = treatDay;
    if (chance(0.03)) { // a declined offer of admission: the wait is adjusted
      const offeredFor = dttDay + 2 + Math.floor(rand() * 5);
      const availableFrom = offeredFor + 7 + Math.floor(rand() * 14);
      emit(dttDay + 1, { type: 'treatment_offer_declined', offeredFor: fromDayNumber(offeredFor), availableFrom: fromDayNumber(availableFrom), setting: chance(0.7) ? 'admitted' : 'non_admitted' });
      treatOn = Math.max(treatOn, availableFrom + 1);
    }
    if (removeIfDue(treatOn)) continue;
    emit(treatOn, { type: 'treatment_started', modality: MODALITIES[Math.floor(rand() * MODALITIES.length)]! });
  }
  while (pending.size) yield pending.pop()!.line;
}

function ymd(date: IsoDate): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))];
}

/** A valid NHS number from the 999 range (Modulus 11 check digit). */
function nhsNumber(rand: () => number): string {
  for (;;) {
    const nine = `999${String(Math.floor(rand() * 1e6)).padStart(6, '0')}`;
    const check = checkDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}

/** A binary min-heap of lines by recording time (ties by insertion, so output is deterministic). */
class LineHeap {
  private items: { at: number; seq: number; line: ImportLine }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peek() {
    return this.items[0];
  }

  push(item: { at: number; line: ImportLine }): void {
    const items = this.items;
    items.push({ ...item, seq: this.seq++ });
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop() {
    const items = this.items;
    const top = items[0];
    const end = items.pop();
    if (items.length && end) {
      items[0] = end;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }

  private less(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

