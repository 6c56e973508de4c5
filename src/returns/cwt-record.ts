// The national Cancer Waiting Times record (DCB0147; cwt-dataset.md) of one pathway: pure, from
// its events as recorded by a moment. Which records, and which items each carries (issue #24;
// docs/returns.md names the source of each rule):
// - The pathway's record: its faster diagnosis outcome, in the month of the FDS end date (the
//   patient told, a decision to treat first, or an exclusion), and its first treatment (or all
//   treatment declined, modality 98), in the month of the treatment. When they fall in different
//   months the pathway's record goes in both files, the outcome's month first: the same identity
//   and the same referral, first-seen and faster diagnosis items each time, so national
//   processing, which keeps the latest submission of a record, counts the outcome once, in the
//   month of its end date, whatever happens next.
// - A record for each later treatment, carrying only its own items: the patient and pathway, the
//   patient status and diagnosis, its decision to treat and the treatment (no referral, first
//   seen, faster diagnosis or transfer items, so no outcome is counted once per treatment).
// Each record comes with its problems: what stops it going as it stands (a mandatory item missing
// for its scenario, a breach with no delay reason, a code not in its list), naming the event and
// the field a tracker fills in to put it right (`national_items_added`).
import { FAR_FUTURE, type IsoDate } from '../vocabulary/calendar.ts';
import {
  clockFold,
  clocksFromFacts,
  D62_APPLIES,
  FDS_APPLIES,
  firstSeenAdjustmentDays,
  inClockOrder,
  subsequentClock,
  type Clock,
  type ClockFacts,
  type Clocks,
} from '../cwt/clocks.ts';
import {
  ALL_TREATMENT_DECLINED,
  CONFIRMED_LISTS,
  RECURRENCE_EVENT_TYPE,
  type ConfirmedListName,
  type TrustCode,
  type TrustListName,
} from '../vocabulary/cwt-codes.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import type { EventOf, PathwayEvent, ReferralReceived, TimelineEvent } from '../vocabulary/events.ts';
import { TRUST_CODED_ITEMS } from '../vocabulary/national-items.ts';
import { holdingsOf, transferOf } from '../report/allocation.ts';

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

/** What kind of problem: the work list groups problems by item and kind (issue #24). */
export type ProblemKind = 'missing' | 'not_in_list' | 'comment_needed' | 'delay_reason' | 'no_code';

export interface RecordProblem {
  item: RecordItem;
  kind: ProblemKind;
  problem: string;
  /** The event to add the item to (`national_items_added` names it) and its field; null when the fix is another kind of entry. */
  fix: Source | null;
}

export type RecordKind = 'treatment' | 'faster_diagnosis';

/** Who the record is about, for the people who put it right (never a national item but the NHS number). */
export interface RecordPatient {
  nhsNumber: string;
  name: string | null;
  tumourSite: string;
  provider: string | null;
}

export interface CwtRecord {
  pathwayId: string;
  kind: RecordKind;
  /** Its treatment date (31 and 62-day) or its FDS end date (28-day): the month it belongs to. */
  date: IsoDate;
  /** 1 for the first treatment, 2 for the second, ...; 0 for a faster diagnosis record. */
  treatment: number;
  patient: RecordPatient;
  values: Record<RecordItem, string>;
  problems: RecordProblem[];
}

/** A removal before the patient is told that excludes them from the faster diagnosis standard (end reason 03). */
const FDS_EXCLUDING_REMOVALS: readonly string[] = ['patient_died', 'declined_all_tests'];

/**
 * The records of one pathway whose date falls in [from, to], from its events recorded by the
 * moment of the return. `patient`: the pathway's details as they stand (corrections applied).
 */
export function recordsOf(
  pathwayId: string,
  events: readonly PathwayEvent[],
  period: { from: IsoDate; to: IsoDate },
  codes: TrustCodes,
  patient?: RecordPatient,
): CwtRecord[] {
  const fold = clockFold(events);
  if (!fold) return [];
  const facts = fold.facts;
  const inPeriod = (d: IsoDate | null) => d !== null && d >= period.from && d <= period.to;
  const declinedAll = declinedAllTreatment(events, facts);
  const firstInPeriod = inPeriod(facts.treated ?? declinedAll);
  const later = facts.subsequent.flatMap((s, i) => (inPeriod(s.treated) ? [i + 2] : []));
  const fds = fdsEnd(events, facts);
  const fdsInPeriod = fds !== null && inPeriod(fds.on) && !firstInPeriod; // else the first treatment's record carries it
  if (!firstInPeriod && later.length === 0 && !fdsInPeriod) return [];

  const p = new PathwayReading(pathwayId, events, facts, fold.firstSeenOn, fds, codes, patient);
  const records: CwtRecord[] = [];
  if (firstInPeriod) records.push(facts.treated ? p.firstTreatmentRecord() : p.declinedRecord(declinedAll!));
  for (const n of later) records.push(p.laterTreatmentRecord(n));
  if (fdsInPeriod) records.push(p.fdsRecord(period.to));
  return records;
}

/** The removal date when the patient declined all treatment before any was given: a treatment record with modality 98. */
function declinedAllTreatment(events: readonly PathwayEvent[], facts: ClockFacts): IsoDate | null {
  if (facts.treated || !facts.removed) return null;
  const removal = effectiveTimeline(events).find((e) => e.event.type === 'removed')?.event;
  return removal?.type === 'removed' && removal.reason === 'declined_all_treatment' ? removal.on : null;
}

/**
 * The end of the faster diagnosis pathway, for the routes it applies to: its stop (the patient told,
 * or a decision to treat before that, R8), or a removal before the patient is told that excludes
 * them from the standard: a death, all tests declined, or one given an exclusion reason.
 */
interface FdsEnd {
  on: IsoDate;
  removal: EventOf<'removed'> | null;
}
function fdsEnd(events: readonly PathwayEvent[], facts: ClockFacts): FdsEnd | null {
  if (!FDS_APPLIES[facts.route]) return null;
  if (facts.fdsStop) return { on: facts.fdsStop, removal: null };
  if (!facts.removed) return null;
  const removal = effectiveTimeline(events).find((e) => e.event.type === 'removed')?.event as EventOf<'removed'>;
  const excluded = FDS_EXCLUDING_REMOVALS.includes(removal.reason) || hasAddedExclusion(events, removal);
  return excluded ? { on: removal.on, removal } : null;
}

/** The removal carries an exclusion reason, as recorded or added since. */
function hasAddedExclusion(events: readonly PathwayEvent[], removal: EventOf<'removed'>): boolean {
  if (removal.exclusionReason !== undefined) return true;
  return events.some(
    (e) => e.type === 'national_items_added' && e.target === removal.id && e.exclusionReason !== undefined,
  );
}

/** One pathway's timeline read for the national record: the events that count, with any items added to them since. */
class PathwayReading {
  private readonly timeline: TimelineEvent[];
  private readonly added = new Map<string, Record<string, unknown>>();
  private readonly referral: ReferralReceived;
  private readonly clocks: Clocks;
  private readonly patient: RecordPatient;
  /** Told the diagnosis (the first time: R8), if at all. */
  private readonly told: EventOf<'diagnosis_communicated'> | undefined;

  constructor(
    private readonly pathwayId: string,
    events: readonly PathwayEvent[],
    private readonly facts: ClockFacts,
    private readonly firstSeenOn: IsoDate | null,
    private readonly fds: FdsEnd | null,
    private readonly codes: TrustCodes,
    patient: RecordPatient | undefined,
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
    this.told = this.first('diagnosis_communicated');
    this.patient = patient ?? {
      nhsNumber: this.referral.nhsNumber,
      name: this.referral.patientName ?? null,
      tumourSite: this.referral.tumourSite,
      provider: this.referral.provider ?? null,
    };
  }

  /** An event's items with any added since. */
  private items(event: TimelineEvent | undefined): Record<string, unknown> {
    if (!event) return {};
    return { ...(event as Record<string, unknown>), ...(event.id !== undefined ? this.added.get(event.id) : {}) };
  }

  private first<T extends TimelineEvent['type']>(type: T): Extract<TimelineEvent, { type: T }> | undefined {
    return this.timeline.find((e) => e.type === type) as Extract<TimelineEvent, { type: T }> | undefined;
  }

  private all<T extends TimelineEvent['type']>(type: T): Extract<TimelineEvent, { type: T }>[] {
    return this.timeline.filter((e) => e.type === type) as Extract<TimelineEvent, { type: T }>[];
  }

  private get recurrence(): boolean {
    return Boolean(this.facts.recurrence);
  }

  /** The pathway's record at its first treatment: the pathway's items, then the decision, the transfer and the treatment. */
  firstTreatmentRecord(): CwtRecord {
    const treatment = this.first('treatment_started')!;
    const r = this.pathwayRecord(
      'treatment',
      treatment.on,
      1,
      this.recurrence ? 'recurrence_treatment' : 'first_treatment',
    );
    this.transfer(r, treatment.on);
    const kind = this.told?.recurrence;
    this.treatmentItems(r, treatment, this.first('decision_to_treat'), this.clocks.d31, {
      start: this.facts.decisionToTreat,
      eventType: kind ? RECURRENCE_EVENT_TYPE[kind]! : '01',
    });
    // A 62-day breach with the 31-day wait met happened before the decision: its reason goes on the decision.
    const d62 = this.clocks.d62;
    const decision = this.first('decision_to_treat');
    if (d62.state === 'stopped' && d62.breached && !this.clocks.d31.breached && !this.items(decision).delayReason)
      r.problem(
        'decisionDelayReason',
        'delay_reason',
        `the 62-day standard was breached (${d62.days} days) before the decision to treat: give the delay reason`,
        { event: decision?.id ?? null, field: 'delayReason' },
      );
    return r.done();
  }

  /** A later treatment's record: only its own items (item 5 of issue #24). */
  laterTreatmentRecord(n: number): CwtRecord {
    const treatment = this.all('treatment_started')[n - 1]!;
    const later = this.facts.subsequent[n - 2]!;
    const r = this.identity('treatment', treatment.on, n, 'subsequent_treatment');
    this.diagnosisItems(r, true);
    this.treatmentItems(
      r,
      treatment,
      this.all('decision_to_treat')[n - 1],
      subsequentClock(later, this.facts.planEnded, FAR_FUTURE),
      { start: later.start, eventType: '02' },
    );
    return r.done();
  }

  /** All treatment declined before any was given: the pathway's record with modality 98. */
  declinedRecord(on: IsoDate): CwtRecord {
    const r = this.pathwayRecord(
      'treatment',
      on,
      1,
      this.recurrence ? 'recurrence_no_treatment_planned' : 'no_treatment_planned',
    );
    r.set('treatmentOn', on);
    r.set('eventType', '01');
    r.set('modality', ALL_TREATMENT_DECLINED);
    return r.done();
  }

  /** The pathway's record at its faster diagnosis outcome, its patient status as it stood on the last day of the month. */
  fdsRecord(monthEnd: IsoDate): CwtRecord {
    const f = this.facts;
    const rec = this.recurrence;
    const status = this.fds!.removal
      ? 'excluded_before_diagnosis'
      : this.told && this.told.outcome !== 'cancer_confirmed'
        ? 'no_new_cancer'
        : f.removed && f.removed <= monthEnd
          ? rec
            ? 'recurrence_no_treatment_planned'
            : 'no_treatment_planned'
          : f.decisionToTreat && f.decisionToTreat <= monthEnd
            ? rec
              ? 'recurrence_treatment_planned'
              : 'treatment_planned'
            : rec
              ? 'recurrence_not_yet_planned'
              : 'treatment_not_yet_planned';
    return this.pathwayRecord('faster_diagnosis', this.fds!.on, 0, status).done();
  }

  /** Every record: the patient and the pathway, and the patient status. */
  private identity(kind: RecordKind, date: IsoDate, treatment: number, status: string): RecordBuilder {
    const r = new RecordBuilder(this.pathwayId, kind, date, treatment, this.patient, this.codes);
    const ref = this.items(this.referral);
    r.set('nhsNumber', this.patient.nhsNumber);
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
    r.code('patientStatus', 'patient_status', status, status.replaceAll('_', ' '));
    return r;
  }

  /**
   * The pathway's record (its faster diagnosis outcome, its first treatment): the identity, the
   * referral, first seen, the MDT, the diagnosis and the faster diagnosis items, the same in both.
   */
  private pathwayRecord(kind: RecordKind, date: IsoDate, treatment: number, status: string): RecordBuilder {
    const r = this.identity(kind, date, treatment, status);
    this.referralItems(r);
    this.firstSeen(r);
    const mdts = this.all('mdt_discussed').filter((m) => m.on <= date);
    r.set('mdtDiscussed', mdts.length ? 'Y' : 'N');
    r.set('mdtOn', mdts[mdts.length - 1]?.on);
    const ruledOut = this.told !== undefined && this.told.outcome !== 'cancer_confirmed';
    if (!this.fds?.removal) this.diagnosisItems(r, !ruledOut);
    this.fasterDiagnosis(r);
    return r;
  }

  private referralItems(r: RecordBuilder): void {
    const ref = this.items(this.referral);
    const route = this.referral.route;
    // The 31-day-only route has no 62-day referral items; those it has are optional (issue #24).
    const onD62 = D62_APPLIES[route];
    r.give(
      'sourceOfReferral',
      ref.sourceOfReferral,
      this.referral,
      'sourceOfReferral',
      onD62 ? 'the source of referral is missing' : undefined,
    );
    r.give(
      'priorityType',
      ref.priorityType,
      this.referral,
      'priorityType',
      onD62 ? 'the priority type is missing' : undefined,
    );
    const twoWeekWait = route === 'urgent_suspected_cancer' || route === 'breast_symptomatic';
    r.give(
      'decisionToReferOn',
      ref.decisionToReferOn,
      this.referral,
      'decisionToReferOn',
      twoWeekWait ? 'the decision to refer date is missing' : undefined,
    );
    if (onD62) r.set('periodStart', this.referral.on);
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
  }

  /**
   * DATE FIRST SEEN, its site and the first-seen adjustment (R5): on the faster diagnosis routes,
   * and on an upgrade when its first attendance is recorded or its clock was restarted, so national
   * processing counts the same days (issue #24). The delay reason is kept when given, never asked for.
   */
  private firstSeen(r: RecordBuilder): void {
    const route = this.referral.route;
    const upgrade = route === 'consultant_upgrade';
    if (!FDS_APPLIES[route] && !upgrade) return;
    const adjustment = firstSeenAdjustmentDays(this.facts);
    const seen = this.firstSeenOn;
    if (!seen) {
      if (!upgrade || adjustment > 0)
        r.problem(
          'firstSeenOn',
          'missing',
          'no first attendance or diagnostic test is recorded: record first_seen (or the test reported)',
          null,
        );
      return;
    }
    r.set('firstSeenOn', seen);
    // The first contact: the attendance, or a diagnostic test reported that day (R5).
    const event =
      this.timeline.find((e) => e.type === 'first_seen' && e.on === seen) ??
      this.timeline.find((e) => e.type === 'test_reported' && e.on === seen);
    const items = this.items(event);
    r.give(
      'firstSeenSite',
      items.site,
      event,
      'site',
      event?.type === 'test_reported'
        ? 'the site of the diagnostic test that was the first contact is missing'
        : 'the site first seen is missing',
    );
    r.set('firstSeenAdjustment', String(adjustment));
    r.set('firstSeenAdjustmentReason', adjustment > 0 ? '3' : '9'); // R5: the restart after a missed first appointment
    r.give('firstSeenDelayReason', items.delayReason, event, 'delayReason');
    r.give('firstSeenDelayComment', items.delayComment, event, 'delayComment');
  }

  /**
   * The faster diagnosis items. The end date is the FDS stop: the day the patient was told, or an
   * earlier decision to treat (R8; the data dictionary's pathway ends at whichever comes first). The
   * end reason, its site and how and by whom the patient was told follow the telling, whenever it
   * came; a removal before it is an exclusion (end reason 03, item 8 of issue #24).
   */
  private fasterDiagnosis(r: RecordBuilder): void {
    const end = this.fds;
    if (!end) return;
    r.set('fdsEndOn', end.on);
    if (end.removal) {
      const items = this.items(end.removal);
      r.set('fdsEndReason', '03');
      if (items.exclusionReason !== undefined)
        r.give('fdsExclusionReason', items.exclusionReason, end.removal, 'exclusionReason');
      else
        r.code(
          'fdsExclusionReason',
          'fds_exclusion_reason',
          end.removal.reason,
          `a removal before the patient was told (${end.removal.reason.replaceAll('_', ' ')})`,
        );
      r.give(
        'fdsEndSite',
        items.site,
        end.removal,
        'site',
        'the site where the faster diagnosis pathway ended is missing',
      );
      return;
    }
    const told = this.told;
    if (!told) {
      // A decision to treat before the patient is told, not told yet: a decision to treat a cancer.
      const decision = this.first('decision_to_treat');
      r.set('fdsEndReason', '01');
      r.give(
        'fdsEndSite',
        this.items(decision).site,
        decision,
        'site',
        'the site where the faster diagnosis pathway ended is missing',
      );
      return;
    }
    const items = this.items(told);
    const excluded = items.exclusionReason !== undefined;
    r.set(
      'fdsEndReason',
      excluded ? '03' : { cancer_confirmed: '01', cancer_ruled_out: '02', interval_scan: '04' }[told.outcome],
    );
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
    const fds = this.clocks.fds;
    if (fds.breached && !excluded && !items.delayReason)
      r.problem(
        'fdsDelayReason',
        'delay_reason',
        `the faster diagnosis standard was breached (${fds.days} days): give the delay reason`,
        {
          event: told.id ?? null,
          field: 'delayReason',
        },
      );
  }

  /** The primary diagnosis and laterality: needed once cancer is confirmed. */
  private diagnosisItems(r: RecordBuilder, cancer: boolean): void {
    const told = this.told;
    if (!told && cancer) {
      r.problem(
        'primaryDiagnosis',
        'missing',
        'the diagnosis is not recorded: record diagnosis_communicated with the primary diagnosis',
        null,
      );
      return;
    }
    const items = this.items(told);
    r.give(
      'primaryDiagnosis',
      items.primaryDiagnosis,
      told,
      'primaryDiagnosis',
      cancer ? 'the primary diagnosis (ICD-10) is missing' : undefined,
    );
    r.give('laterality', items.laterality, told, 'laterality', cancer ? 'the tumour laterality is missing' : undefined);
  }

  /** The decision to treat and the treatment: every treatment record carries these. */
  private treatmentItems(
    r: RecordBuilder,
    treatment: EventOf<'treatment_started'>,
    decision: EventOf<'decision_to_treat'> | undefined,
    clock: Clock,
    defaults: { start: IsoDate | null; eventType: string },
  ): void {
    const t = this.items(treatment);
    const d = this.items(decision);
    r.set('treatmentPeriodStart', defaults.start);
    r.give('decisionSite', d.site, decision, 'site', 'the site of the decision to treat is missing');
    r.give('decisionDelayReason', d.delayReason, decision, 'delayReason');
    r.give('decisionDelayComment', d.delayComment, decision, 'delayComment');
    r.set('treatmentOn', treatment.on);
    r.give('treatmentSite', t.site, treatment, 'site', 'the site of the treatment is missing');
    r.set('eventType', (t.eventType as string | undefined) ?? defaults.eventType);
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
    if (clock.breached && !t.delayReason)
      r.problem(
        'treatmentDelayReason',
        'delay_reason',
        `the 31-day standard was breached (${clock.days} days): give the delay reason`,
        {
          event: treatment.id ?? null,
          field: 'delayReason',
        },
      );
  }

  /** A patient transferred before the first treatment: the accountable investigating provider and the date the treating provider received them. */
  private transfer(r: RecordBuilder, treatedOn: IsoDate): void {
    const transfer = transferOf(holdingsOf(this.timeline), this.facts.start, treatedOn);
    if (!transfer) return;
    r.set('investigatingProvider', transfer.accountable);
    r.set('transferOn', transfer.on);
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
    private readonly patient: RecordPatient,
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
      this.problem(item, 'missing', missing, event ? fix : null);
    }
  }

  /** A value that must be there, with no field to fill on an event. */
  need(item: RecordItem, value: string | null | undefined, missing: string, fix: Source | null): void {
    if (value) this.set(item, value);
    else this.problem(item, 'missing', missing, fix);
  }

  /** A code OpenPTL works out from its own value through the trust's list. */
  code(item: RecordItem, list: TrustListName, maps: string, what: string): void {
    const entry = this.codes.codeFor(list, maps);
    if (entry) this.set(item, entry.code);
    else
      this.problem(
        item,
        'no_code',
        `the trust's ${list.replaceAll('_', ' ')} list has no code for ${what}: add one with openptl codes set`,
        null,
      );
  }

  problem(item: RecordItem, kind: ProblemKind, problem: string, fix: Source | null): void {
    this.problems.push({ item, kind, problem, fix });
  }

  private checkCode(item: RecordItem, value: string, fix: Source): void {
    const list = ITEM_LIST[item];
    if (!list) return;
    if (list in CONFIRMED_LISTS) {
      if (CONFIRMED_LISTS[list as ConfirmedListName].label(value) === undefined)
        this.problem(item, 'not_in_list', `${value} is not in the ${list.replaceAll('_', ' ')} list`, fix);
      return;
    }
    const entry = this.codes.get(list as TrustListName, value);
    if (!entry)
      this.problem(item, 'not_in_list', `${value} is not in the trust's ${list.replaceAll('_', ' ')} list`, fix);
    else if (entry.commentRequired && Object.values(TRUST_CODED_ITEMS).includes(list as TrustListName)) {
      const comment = item.replace('DelayReason', 'DelayComment') as RecordItem;
      if (comment !== item && this.values[comment] === '')
        this.pendingComments.push([comment, entry.label, { ...fix, field: 'delayComment' }]);
    }
  }

  done(): CwtRecord {
    for (const [comment, label, fix] of this.pendingComments) {
      if (this.values[comment] === '')
        this.problem(comment, 'comment_needed', `a comment is needed with delay reason ${label}`, fix);
    }
    return {
      pathwayId: this.pathwayId,
      kind: this.kind,
      date: this.date,
      treatment: this.treatment,
      patient: this.patient,
      values: this.values,
      problems: this.problems,
    };
  }
}
