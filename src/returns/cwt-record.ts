// The national Cancer Waiting Times record (DCB0147; cwt-dataset.md) of one pathway: pure, from
// its events as recorded by a moment. One record per treatment (first and each later one, and a
// removal for `declined_all_treatment` as modality 98), and one for a faster diagnosis outcome
// with no treatment; each belongs to the month of its treatment date or its FDS end date. Each
// record comes with its problems: what stops it going as it stands (a mandatory item missing for
// its scenario, a breach with no delay reason, a code not in its list), naming the event and the
// field a tracker fills in to put it right (`national_items_added`).
import { daysBetween, FAR_FUTURE, type IsoDate } from '../vocabulary/calendar.ts';
import {
  clockFold,
  clocksFromFacts,
  firstSeenAdjustmentDays,
  inClockOrder,
  pausedDays,
  subsequentClock,
  type Clock,
  type ClockFacts,
} from '../cwt/clocks.ts';
import {
  ALL_TREATMENT_DECLINED,
  CONFIRMED_LISTS,
  type ConfirmedListName,
  type TrustCode,
  type TrustListName,
} from '../vocabulary/cwt-codes.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import type { PathwayEvent, ReferralReceived, TimelineEvent } from '../vocabulary/events.ts';
import { TRUST_CODED_ITEMS } from '../vocabulary/national-items.ts';
import { holdingsOf } from '../report/allocation.ts';

/** What the records read of the trust's code lists (the store's CodeLists). */
export interface TrustCodes {
  get(list: TrustListName, code: string): TrustCode | undefined;
  codeFor(list: TrustListName, maps: string): TrustCode | undefined;
}

/**
 * Every item OpenPTL fills in, in the data set's group order, with the list its code comes from
 * (if any). The CSV's columns (cwt_extract_column) name a subset of these, in the trust's order.
 */
export const RECORD_ITEMS = [
  'nhsNumber',
  'nhsNumberStatus',
  'pathwayId',
  'pathwayIdIssuer',
  'sourceOfReferral',
  'priorityType',
  'decisionToReferOn',
  'periodStart',
  'referralType',
  'upgradeOn',
  'upgradeSite',
  'firstSeenOn',
  'firstSeenSite',
  'firstSeenAdjustment',
  'firstSeenAdjustmentReason',
  'firstSeenDelayReason',
  'firstSeenDelayComment',
  'mdtDiscussed',
  'mdtOn',
  'patientStatus',
  'primaryDiagnosis',
  'laterality',
  'fdsEndOn',
  'fdsEndSite',
  'fdsEndReason',
  'fdsExclusionReason',
  'fdsCommunicationMethod',
  'fdsInformedBy',
  'fdsDelayReason',
  'fdsDelayComment',
  'treatmentPeriodStart',
  'decisionSite',
  'investigatingProvider',
  'transferOn',
  'decisionDelayReason',
  'decisionDelayComment',
  'treatmentOn',
  'treatmentSite',
  'eventType',
  'modality',
  'careSetting',
  'treatmentAdjustment',
  'treatmentAdjustmentReason',
  'treatmentDelayReason',
  'treatmentDelayComment',
] as const;
export type RecordItem = (typeof RECORD_ITEMS)[number];

/** The list each coded item's value must be in. */
export const ITEM_LIST: Partial<Record<RecordItem, ConfirmedListName | TrustListName>> = {
  nhsNumberStatus: 'nhs_number_status',
  sourceOfReferral: 'source_of_referral',
  priorityType: 'priority_type',
  referralType: 'two_week_wait_type',
  firstSeenAdjustmentReason: 'adjustment_reason_first_seen',
  firstSeenDelayReason: 'delay_reason',
  patientStatus: 'patient_status',
  laterality: 'tumour_laterality',
  fdsEndReason: 'fds_end_reason',
  fdsExclusionReason: 'fds_exclusion_reason',
  fdsCommunicationMethod: 'fds_communication_method',
  fdsInformedBy: 'fds_informing_professional',
  fdsDelayReason: 'delay_reason',
  decisionDelayReason: 'delay_reason',
  eventType: 'treatment_event_type',
  modality: 'treatment_modality',
  careSetting: 'care_setting',
  treatmentAdjustmentReason: 'adjustment_reason_treatment',
  treatmentDelayReason: 'delay_reason',
};

/** The event and field a tracker fills in to supply an item (none for items OpenPTL works out). */
type Source = { event: string | null; field: string };

export interface RecordProblem {
  item: RecordItem;
  problem: string;
  /** The event to add the item to (`national_items_added` names it) and its field; null when the fix is another kind of entry. */
  fix: Source | null;
}

export type RecordKind = 'treatment' | 'faster_diagnosis';

export interface CwtRecord {
  pathwayId: string;
  kind: RecordKind;
  /** Its treatment date (31 and 62-day) or its FDS end date (28-day): the month it belongs to. */
  date: IsoDate;
  /** 1 for the first treatment, 2 for the second, ...; 0 for a faster diagnosis record. */
  treatment: number;
  values: Record<RecordItem, string>;
  problems: RecordProblem[];
}

/** The treating provider must have received a transferred patient by this adjusted day (cwt-rules, breach allocation). */
const ACCOUNTABLE_BY_DAY = 38;

/** A day past which the first seen is late (the former two-week-wait standard): its delay reason is then needed. */
export const FIRST_SEEN_BY_DAY = 14;

/** The records of one pathway whose date falls in [from, to], from its events recorded by the moment of the return. */
export function recordsOf(
  pathwayId: string,
  events: readonly PathwayEvent[],
  period: { from: IsoDate; to: IsoDate },
  codes: TrustCodes,
): CwtRecord[] {
  const fold = clockFold(events);
  if (!fold) return [];
  const facts = fold.facts;
  const inPeriod = (d: IsoDate | null) => d !== null && d >= period.from && d <= period.to;
  const declinedAll = declinedAllTreatment(events, facts);
  const fdsOnly = !facts.treated && !declinedAll && inPeriod(facts.fdsStop);
  if (
    !inPeriod(facts.treated) &&
    !facts.subsequent.some((s) => inPeriod(s.treated)) &&
    !inPeriod(declinedAll) &&
    !fdsOnly
  )
    return [];

  const p = new PathwayReading(pathwayId, events, facts, fold.firstSeenOn, codes);
  const records: CwtRecord[] = [];
  if (inPeriod(facts.treated)) records.push(p.treatmentRecord(1));
  facts.subsequent.forEach((s, i) => {
    if (inPeriod(s.treated)) records.push(p.treatmentRecord(i + 2));
  });
  if (declinedAll && inPeriod(declinedAll)) records.push(p.declinedRecord(declinedAll));
  if (fdsOnly) records.push(p.fdsRecord());
  return records;
}

/** The removal date when the patient declined all treatment before any was given: a treatment record with modality 98. */
function declinedAllTreatment(events: readonly PathwayEvent[], facts: ClockFacts): IsoDate | null {
  if (facts.treated || !facts.removed) return null;
  const removal = effectiveTimeline(events).find((e) => e.event.type === 'removed')?.event;
  return removal?.type === 'removed' && removal.reason === 'declined_all_treatment' ? removal.on : null;
}

/** One pathway's timeline read for the national record: the events that count, with any items added to them since. */
class PathwayReading {
  private readonly timeline: TimelineEvent[];
  private readonly added = new Map<string, Record<string, unknown>>();
  private readonly referral: ReferralReceived;
  private readonly clocks;

  constructor(
    private readonly pathwayId: string,
    events: readonly PathwayEvent[],
    private readonly facts: ClockFacts,
    private readonly firstSeenOn: IsoDate | null,
    private readonly codes: TrustCodes,
  ) {
    const effective = effectiveTimeline(events);
    this.timeline = inClockOrder(effective).map((e) => e.event);
    this.referral = this.timeline[0] as ReferralReceived;
    // National items added for an earlier event: later additions win; a voided addition counts as never made.
    const voided = new Set(events.flatMap((e) => (e.type === 'event_voided' ? [e.voids] : [])));
    for (const e of events) {
      if (e.type !== 'national_items_added' || (e.id !== undefined && voided.has(e.id))) continue;
      const { type: _t, id: _i, on: _o, target, ...items } = e;
      this.added.set(target, { ...this.added.get(target), ...items });
    }
    this.clocks = clocksFromFacts(facts, FAR_FUTURE);
  }

  /** An event's items with any added since. */
  private items(event: TimelineEvent | undefined): Record<string, unknown> {
    if (!event) return {};
    return { ...(event as Record<string, unknown>), ...(event.id !== undefined ? this.added.get(event.id) : {}) };
  }

  private first<T extends TimelineEvent['type']>(
    type: T,
    before?: IsoDate,
  ): Extract<TimelineEvent, { type: T }> | undefined {
    return this.timeline.find((e) => e.type === type && (before === undefined || e.on <= before)) as
      Extract<TimelineEvent, { type: T }> | undefined;
  }

  private all<T extends TimelineEvent['type']>(type: T): Extract<TimelineEvent, { type: T }>[] {
    return this.timeline.filter((e) => e.type === type) as Extract<TimelineEvent, { type: T }>[];
  }

  treatmentRecord(n: number): CwtRecord {
    const treatments = this.all('treatment_started');
    const decisions = this.all('decision_to_treat');
    const treatment = treatments[n - 1]!;
    const decision = decisions[n - 1];
    const first = n === 1;
    const clock: Clock = first
      ? this.clocks.d31
      : subsequentClock(this.facts.subsequent[n - 2]!, this.facts.planEnded, FAR_FUTURE);
    const r = this.common(
      'treatment',
      treatment.on,
      n,
      first ? 'first_treatment' : 'subsequent_treatment',
      treatment.on,
    );
    const t = this.items(treatment);
    const d = this.items(decision);
    r.set('treatmentPeriodStart', first ? this.facts.decisionToTreat : this.facts.subsequent[n - 2]!.start);
    r.give('decisionSite', d.site, decision, 'site', 'the site of the decision to treat is missing');
    r.give('decisionDelayReason', d.delayReason, decision, 'delayReason');
    r.give('decisionDelayComment', d.delayComment, decision, 'delayComment');
    this.transfer(r, treatment.on);
    r.set('treatmentOn', treatment.on);
    r.give('treatmentSite', t.site, treatment, 'site', 'the site of the treatment is missing');
    r.set('eventType', (t.eventType as string | undefined) ?? (first ? '01' : '02'));
    r.set('modality', t.modalityCode as string | undefined);
    r.give('careSetting', t.careSetting, treatment, 'careSetting', 'the care setting of the treatment is missing');
    r.set('treatmentAdjustment', String(clock.adjustmentDays));
    if (clock.adjustmentDays > 0)
      r.code(
        'treatmentAdjustmentReason',
        'adjustment_reason_treatment',
        'declined_offer',
        'a declined offer (patient-initiated pause)',
      );
    r.give('treatmentDelayReason', t.delayReason, treatment, 'delayReason');
    r.give('treatmentDelayComment', t.delayComment, treatment, 'delayComment');
    // A breach needs its delay reason: the 31-day wait's on the treatment; a 62-day breach with
    // the 31-day wait met happened before the decision, so its reason goes on the decision.
    const d62Breached = first && this.clocks.d62.state === 'stopped' && this.clocks.d62.breached;
    if (clock.breached && !t.delayReason)
      r.problem(
        'treatmentDelayReason',
        `the 31-day standard was breached (${clock.days} days): give the delay reason`,
        { event: treatment.id ?? null, field: 'delayReason' },
      );
    if (d62Breached && !clock.breached && !d.delayReason) {
      r.problem(
        'decisionDelayReason',
        `the 62-day standard was breached (${this.clocks.d62.days} days) before the decision to treat: give the delay reason`,
        { event: decision?.id ?? null, field: 'delayReason' },
      );
    }
    this.diagnosisItems(r, true);
    return r.done();
  }

  declinedRecord(on: IsoDate): CwtRecord {
    const r = this.common('treatment', on, 1, 'no_treatment_planned', on);
    r.set('treatmentOn', on);
    r.set('eventType', '01');
    r.set('modality', ALL_TREATMENT_DECLINED);
    this.diagnosisItems(r, true);
    return r.done();
  }

  fdsRecord(): CwtRecord {
    const told = this.first('diagnosis_communicated');
    const outcome = told?.outcome ?? 'cancer_confirmed'; // a decision to treat before the patient is told stops the clock (R8)
    const status =
      outcome !== 'cancer_confirmed'
        ? 'no_new_cancer'
        : this.facts.removed
          ? 'no_treatment_planned'
          : 'treatment_planned';
    const r = this.common('faster_diagnosis', this.facts.fdsStop!, 0, status, this.facts.fdsStop!);
    this.diagnosisItems(r, outcome === 'cancer_confirmed');
    return r.done();
  }

  /** The items of every record: the patient, the referral, first seen, the MDT, the faster diagnosis outcome. */
  private common(kind: RecordKind, date: IsoDate, treatment: number, status: string, upTo: IsoDate): RecordBuilder {
    const r = new RecordBuilder(this.pathwayId, kind, date, treatment, this.codes);
    const ref = this.items(this.referral);
    const route = this.referral.route;
    r.set('nhsNumber', this.referral.nhsNumber);
    r.give(
      'nhsNumberStatus',
      ref.nhsNumberStatus,
      this.referral,
      'nhsNumberStatus',
      'the NHS number status is missing',
    );
    r.set('pathwayId', this.pathwayId);
    r.need(
      'pathwayIdIssuer',
      this.referral.provider,
      'the provider (ODS code) that issued the pathway is missing: it is given on the referral',
      null,
    );
    r.give(
      'sourceOfReferral',
      ref.sourceOfReferral,
      this.referral,
      'sourceOfReferral',
      'the source of referral is missing',
    );
    r.give('priorityType', ref.priorityType, this.referral, 'priorityType', 'the priority type is missing');
    const twoWeekWait = route === 'urgent_suspected_cancer' || route === 'breast_symptomatic';
    r.give(
      'decisionToReferOn',
      ref.decisionToReferOn,
      this.referral,
      'decisionToReferOn',
      twoWeekWait ? 'the decision to refer date is missing' : undefined,
    );
    r.set('periodStart', this.referral.on);
    if (twoWeekWait)
      r.code(
        'referralType',
        'two_week_wait_type',
        route === 'breast_symptomatic' ? 'breast_symptomatic' : this.referral.tumourSite,
        `a suspected ${this.referral.tumourSite.replaceAll('_', ' ')} referral`,
      );
    if (route === 'consultant_upgrade') {
      r.set('upgradeOn', this.referral.on);
      r.give(
        'upgradeSite',
        ref.upgradeSite,
        this.referral,
        'upgradeSite',
        'the site of the consultant upgrade is missing',
      );
    }
    this.firstSeen(r);
    const mdts = this.all('mdt_discussed').filter((m) => m.on <= upTo);
    r.set('mdtDiscussed', mdts.length ? 'Y' : 'N');
    r.set('mdtOn', mdts[mdts.length - 1]?.on);
    r.code('patientStatus', 'patient_status', status, status.replaceAll('_', ' '));
    this.fasterDiagnosis(r);
    return r;
  }

  private firstSeen(r: RecordBuilder): void {
    if (this.referral.route === 'consultant_upgrade') return; // no first seen and no faster diagnosis clock (R3)
    const seen = this.firstSeenOn;
    if (!seen) {
      r.problem(
        'firstSeenOn',
        'no first attendance or diagnostic test is recorded: record first_seen (or the test reported)',
        null,
      );
      return;
    }
    r.set('firstSeenOn', seen);
    const event = this.first('first_seen');
    const items = event && event.on === seen ? this.items(event) : {};
    if (event && event.on === seen)
      r.give('firstSeenSite', items.site, event, 'site', 'the site first seen is missing');
    const adjustment = firstSeenAdjustmentDays(this.facts);
    r.set('firstSeenAdjustment', String(adjustment));
    r.set('firstSeenAdjustmentReason', adjustment > 0 ? '3' : '9'); // R5: the restart after a missed first appointment
    r.give('firstSeenDelayReason', items.delayReason, event, 'delayReason');
    r.give('firstSeenDelayComment', items.delayComment, event, 'delayComment');
    const days = daysBetween(this.facts.start, seen);
    if (days > FIRST_SEEN_BY_DAY && !items.delayReason) {
      r.problem(
        'firstSeenDelayReason',
        `first seen on day ${days}, after day ${FIRST_SEEN_BY_DAY}: give the delay reason`,
        event && event.on === seen ? { event: event.id ?? null, field: 'delayReason' } : null,
      );
    }
  }

  private fasterDiagnosis(r: RecordBuilder): void {
    const fds = this.clocks.fds;
    if (fds.state !== 'stopped' || !this.facts.fdsStop) return;
    const told = this.first('diagnosis_communicated');
    const stoppedByTelling = told !== undefined && told.on === this.facts.fdsStop;
    const items = stoppedByTelling ? this.items(told) : {};
    r.set('fdsEndOn', this.facts.fdsStop);
    const excluded = items.exclusionReason !== undefined;
    const reason = excluded
      ? '03'
      : !stoppedByTelling
        ? '01'
        : { cancer_confirmed: '01', cancer_ruled_out: '02', interval_scan: '04' }[told.outcome];
    r.set('fdsEndReason', reason);
    if (!stoppedByTelling) return; // stopped by a decision to treat before the patient was told (R8)
    r.give('fdsEndSite', items.site, told, 'site', 'the site where the faster diagnosis pathway ended is missing');
    r.give('fdsExclusionReason', items.exclusionReason, told, 'exclusionReason');
    if (!excluded) {
      r.give(
        'fdsCommunicationMethod',
        items.communicationMethod,
        told,
        'communicationMethod',
        'how the patient was told is missing',
      );
      r.give('fdsInformedBy', items.informedBy, told, 'informedBy', 'who told the patient is missing');
    }
    r.give('fdsDelayReason', items.delayReason, told, 'delayReason');
    r.give('fdsDelayComment', items.delayComment, told, 'delayComment');
    if (fds.breached && !excluded && !items.delayReason)
      r.problem(
        'fdsDelayReason',
        `the faster diagnosis standard was breached (${fds.days} days): give the delay reason`,
        { event: told.id ?? null, field: 'delayReason' },
      );
  }

  /** The primary diagnosis and laterality: needed once cancer is confirmed. */
  private diagnosisItems(r: RecordBuilder, cancer: boolean): void {
    const told = this.first('diagnosis_communicated');
    const items = this.items(told);
    if (!told && cancer) {
      r.problem(
        'primaryDiagnosis',
        'the diagnosis is not recorded: record diagnosis_communicated with the primary diagnosis',
        null,
      );
      return;
    }
    r.give(
      'primaryDiagnosis',
      items.primaryDiagnosis,
      told,
      'primaryDiagnosis',
      cancer ? 'the primary diagnosis (ICD-10) is missing' : undefined,
    );
    r.give('laterality', items.laterality, told, 'laterality', cancer ? 'the tumour laterality is missing' : undefined);
  }

  /** A patient transferred before the treatment: the accountable investigating provider and the date the treating provider received them. */
  private transfer(r: RecordBuilder, treatedOn: IsoDate): void {
    const held = holdingsOf(this.timeline).filter((h) => h.from <= treatedOn);
    const treating = held[held.length - 1]?.provider ?? null;
    let received = held.length - 1;
    while (received > 0 && held[received - 1]!.provider === treating) received--;
    if (received <= 0) return;
    // As the breach allocation reads it (cwt-rules): the provider holding the patient at day 38
    // of the 62-day clock, in adjusted days, or else the last before the treating provider.
    const { start, pauses } = this.facts;
    const day = (d: IsoDate) => (d <= start ? 0 : daysBetween(start, d) - pausedDays(pauses, start, d));
    const investigating =
      held
        .slice(0, received)
        .reverse()
        .find((h) => day(h.from) <= ACCOUNTABLE_BY_DAY) ?? held[received - 1]!;
    r.set('investigatingProvider', investigating.provider);
    r.set('transferOn', held[received]!.from);
  }
}

/** Fills one record's values and collects its problems. */
class RecordBuilder {
  private readonly values = Object.fromEntries(RECORD_ITEMS.map((k) => [k, ''])) as Record<RecordItem, string>;
  private readonly problems: RecordProblem[] = [];
  /** Delay reasons that need a comment: checked once every value is in. */
  private readonly pendingComments: [RecordItem, string, Source][] = [];

  constructor(
    private readonly pathwayId: string,
    private readonly kind: RecordKind,
    private readonly date: IsoDate,
    private readonly treatment: number,
    private readonly codes: TrustCodes,
  ) {}

  set(item: RecordItem, value: string | null | undefined): void {
    this.values[item] = value ?? '';
  }

  /** A value a tracker supplies on an event: checked against its list; `missing` says why its absence stops the record. */
  give(item: RecordItem, value: unknown, event: TimelineEvent | undefined, field: string, missing?: string): void {
    const fix = { event: event?.id ?? null, field };
    if (typeof value === 'string' && value !== '') {
      this.set(item, value);
      this.checkCode(item, value, fix);
    } else if (missing) {
      this.problem(item, missing, event ? fix : null);
    }
  }

  /** A value that must be there, with no field to fill on an event. */
  need(item: RecordItem, value: string | null | undefined, missing: string, fix: Source | null): void {
    if (value) this.set(item, value);
    else this.problem(item, missing, fix);
  }

  /** A code OpenPTL works out from its own value through the trust's list. */
  code(item: RecordItem, list: TrustListName, maps: string, what: string): void {
    const entry = this.codes.codeFor(list, maps);
    if (entry) this.set(item, entry.code);
    else
      this.problem(
        item,
        `the trust's ${list.replaceAll('_', ' ')} list has no code for ${what}: add one with openptl codes set`,
        null,
      );
  }

  problem(item: RecordItem, problem: string, fix: Source | null): void {
    this.problems.push({ item, problem, fix });
  }

  private checkCode(item: RecordItem, value: string, fix: Source): void {
    const list = ITEM_LIST[item];
    if (!list) return;
    if (list in CONFIRMED_LISTS) {
      if (CONFIRMED_LISTS[list as ConfirmedListName].label(value) === undefined)
        this.problem(item, `${value} is not in the ${list.replaceAll('_', ' ')} list`, fix);
      return;
    }
    const entry = this.codes.get(list as TrustListName, value);
    if (!entry) this.problem(item, `${value} is not in the trust's ${list.replaceAll('_', ' ')} list`, fix);
    else if (entry.commentRequired && Object.values(TRUST_CODED_ITEMS).includes(list as TrustListName)) {
      const comment = item.replace('DelayReason', 'DelayComment') as RecordItem;
      if (comment !== item && this.values[comment] === '')
        this.pendingComments.push([comment, entry.label, { ...fix, field: 'delayComment' }]);
    }
  }

  done(): CwtRecord {
    for (const [comment, label, fix] of this.pendingComments) {
      if (this.values[comment] === '') this.problem(comment, `a comment is needed with delay reason ${label}`, fix);
    }
    return {
      pathwayId: this.pathwayId,
      kind: this.kind,
      date: this.date,
      treatment: this.treatment,
      values: this.values,
      problems: this.problems,
    };
  }
}
