// The national Cancer Waiting Times items an event may carry (cwt-dataset.md, the record
// layout), each checked against its code list (cwt-codes.ts): which events carry which items,
// the checks across fields, and which items a later `national_items_added` may supply for an
// earlier event. Every item is optional: events recorded before these items existed stay valid,
// and what is missing for the national record is listed by the extract's validation.
import { z } from 'zod';
import { isIsoDate } from './calendar.ts';
import {
  CONFIRMED_LISTS,
  FIRST_TREATMENT_EVENT_TYPES,
  RECURRENCE_TREATMENT_EVENT_TYPES,
  ICD10,
  MODALITY_CODES,
  SITE_CODE,
  TRUST_CODE,
  TREATMENT_EVENT_TYPE,
  type ConfirmedListName,
  type TrustListName,
} from './cwt-codes.ts';

const date = z
  .string()
  .refine(isIsoDate, { message: 'must be a real calendar date, YYYY-MM-DD' })
  .meta({ format: 'date' });
const text = z.string().trim().min(1).max(200);

/** A code from a confirmed list; the form shows the list's national labels (x-code-list). */
const coded = (list: ConfirmedListName, title: string) =>
  z.enum(CONFIRMED_LISTS[list].codes).meta({ title, 'x-code-list': list });
/** A code from a list the trust keeps (cwt_code_list): the format here, membership in the store. */
const trustCoded = (list: TrustListName, title: string) =>
  z.string().regex(TRUST_CODE, "must be a two-digit code from the trust's list").meta({ title, 'x-code-list': list });
const site = z
  .string()
  .regex(SITE_CODE, 'must be a 5-character site code: the ODS code and 2 more, e.g. RAJ01')
  .meta({ title: 'Site (5-character ODS site code)' });

const delay = {
  delayReason: trustCoded('delay_reason', 'Delay reason'),
  delayComment: text.meta({ title: 'Delay reason comment' }),
};

/** On the referral: NHS NUMBER STATUS, SOURCE OF REFERRAL, PRIORITY TYPE, DECISION TO REFER DATE, and for an upgrade its site. */
export const REFERRAL_ITEMS = {
  nhsNumberStatus: coded('nhs_number_status', 'NHS number status'),
  sourceOfReferral: coded('source_of_referral', 'Source of referral'),
  priorityType: coded('priority_type', 'Priority type'),
  decisionToReferOn: date.meta({ title: 'Decision to refer date' }),
  upgradeSite: site.meta({ title: 'Site of the consultant upgrade (5-character ODS site code)' }),
};
export const FIRST_SEEN_ITEMS = { site, ...delay };
/** A diagnostic test that is the first contact gives DATE FIRST SEEN, and its site (issue #24). */
export const TEST_REPORTED_ITEMS = { site: site.meta({ title: 'Site of the test (5-character ODS site code)' }) };
/** On the faster diagnosis stop: its site, exclusion, how the patient was told, the diagnosis. */
export const FDS_END_ITEMS = {
  site,
  exclusionReason: trustCoded('fds_exclusion_reason', 'Excluded from the faster diagnosis standard: reason'),
  communicationMethod: trustCoded('fds_communication_method', 'How the patient was told'),
  informedBy: trustCoded('fds_informing_professional', 'Who told the patient (care professional type)'),
  primaryDiagnosis: z
    .string()
    .regex(
      ICD10,
      'must be an ICD-10 code with a dot, 5 characters, e.g. C34.1 (C61.X where there is no fourth character)',
    )
    .meta({ title: 'Primary diagnosis (ICD-10)' }),
  laterality: coded('tumour_laterality', 'Tumour laterality'),
  ...delay,
};
export const DECISION_ITEMS = { site, ...delay };
/**
 * A removal before the patient is told ends the faster diagnosis pathway as an exclusion (end
 * reason 03, issue #24): the site where it ended, and the exclusion reason when the trust's list
 * maps none to the removal's reason.
 */
export const REMOVAL_ITEMS = {
  site: site.meta({ title: 'Site where the faster diagnosis pathway ended (5-character ODS site code)' }),
  exclusionReason: FDS_END_ITEMS.exclusionReason,
};
export const TREATMENT_ITEMS = {
  site,
  eventType: coded('treatment_event_type', 'Treatment event type'),
  modalityCode: coded('treatment_modality', 'Treatment modality (national code)'),
  careSetting: coded('care_setting', 'Care setting'),
  ...delay,
};

/** Which items a `national_items_added` may supply, by the type of the event it names. */
export const AMENDABLE: Readonly<Record<string, readonly string[]>> = {
  referral_received: Object.keys(REFERRAL_ITEMS),
  first_seen: Object.keys(FIRST_SEEN_ITEMS),
  test_reported: Object.keys(TEST_REPORTED_ITEMS),
  removed: Object.keys(REMOVAL_ITEMS),
  diagnosis_communicated: Object.keys(FDS_END_ITEMS),
  decision_to_treat: Object.keys(DECISION_ITEMS),
  treatment_started: Object.keys(TREATMENT_ITEMS),
};

/**
 * `national_items_added`: items for an earlier event (`target`, its id), without voiding and
 * recording it again. Only items that move no clock and no stage: the earliest clinically
 * appropriate date is not among them.
 */
export const AMENDMENT_ITEMS = {
  ...REFERRAL_ITEMS,
  ...FIRST_SEEN_ITEMS,
  ...FDS_END_ITEMS,
  ...DECISION_ITEMS,
  ...TREATMENT_ITEMS,
};
export const AMENDMENT_ITEM_NAMES = Object.keys(AMENDMENT_ITEMS);

export const EVENT_TYPE_IS_FIRST = new Set<string>(FIRST_TREATMENT_EVENT_TYPES);
const RECURRENCE_TYPES = new Set<string>(RECURRENCE_TREATMENT_EVENT_TYPES);

/** The checks across an event's national items that one field cannot state. */
export function nationalItemIssues(
  e: Record<string, unknown> & { type: string; on: string },
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });
  if (e.type !== 'national_items_added' && e.delayComment !== undefined && e.delayReason === undefined) {
    issue('delayComment', 'give the delay reason this comment explains');
  }
  if (e.type === 'referral_received') {
    const route = e.route as string;
    if (typeof e.decisionToReferOn === 'string' && e.decisionToReferOn > e.on)
      issue('decisionToReferOn', 'must not be after the referral was received (`on`)');
    if (e.upgradeSite !== undefined && route !== 'consultant_upgrade')
      issue('upgradeSite', 'is for a consultant upgrade only');
    if (route === 'screening' && e.sourceOfReferral !== undefined && e.sourceOfReferral !== '17')
      issue('sourceOfReferral', 'a screening referral comes from the national screening programme (17)');
    if (route !== 'screening' && e.sourceOfReferral === '17')
      issue('sourceOfReferral', '17 (national screening programme) is for the screening route');
    if (route === 'screening' && e.priorityType !== undefined && e.priorityType !== '2')
      issue('priorityType', 'an urgent screening referral is priority 2 (urgent)');
    if (
      (route === 'urgent_suspected_cancer' || route === 'breast_symptomatic') &&
      e.priorityType !== undefined &&
      e.priorityType !== '3'
    ) {
      issue('priorityType', 'an urgent suspected cancer or breast symptomatic referral is priority 3');
    }
    if (route === 'consultant_upgrade' && e.priorityType === '3')
      issue('priorityType', 'a consultant upgrade is of a routine (1) or urgent (2) referral, not priority 3');
  }
  if (e.type === 'treatment_started' && typeof e.modalityCode === 'string') {
    const allowed = MODALITY_CODES[e.modality as string] ?? [];
    if (!allowed.includes(e.modalityCode)) {
      issue(
        'modalityCode',
        `${e.modalityCode} (${modalityLabel(e.modalityCode)}) is not a kind of ${String(e.modality).replaceAll('_', ' ')}; it may be ${allowed.join(', ')}`,
      );
    }
  }
  if (
    e.type === 'decision_to_treat' &&
    typeof e.earliestClinicallyAppropriateDate === 'string' &&
    e.earliestClinicallyAppropriateDate < e.on
  ) {
    issue('earliestClinicallyAppropriateDate', 'must not be before the decision to treat (`on`)');
  }
  if (e.type === 'national_items_added' && !AMENDMENT_ITEM_NAMES.some((k) => e[k] !== undefined)) {
    issue('target', 'give at least one national item to add');
  }
  return issues;
}

function modalityLabel(code: string): string {
  return CONFIRMED_LISTS.treatment_modality.label(code) ?? 'unknown';
}

/**
 * Why an event type code does not fit a first (or a subsequent) treatment; null when it fits. The
 * first treatment of a recurrence (issue #24) is one of the recurrence types, 03 to 06 or 09 to 11.
 */
export function eventTypeProblem(eventType: string, first: boolean, recurrence = false): string | null {
  const label = TREATMENT_EVENT_TYPE.label(eventType) ?? eventType;
  if (first && recurrence)
    return RECURRENCE_TYPES.has(eventType)
      ? null
      : `${eventType} (${label}) does not fit the first treatment of a recurrence: it is 03 to 06 or 09 to 11`;
  if (EVENT_TYPE_IS_FIRST.has(eventType) === first) return null;
  return first
    ? `${eventType} (${label}) is for a treatment after the first; the first definitive treatment is 01, 07 or 12`
    : `${eventType} (${label}) is for a first treatment; a treatment after the first is 02 to 06 or 08 to 11`;
}

/** The items whose codes come from a list the trust keeps: the store checks them against its table. */
export const TRUST_CODED_ITEMS: Readonly<Record<string, TrustListName>> = {
  delayReason: 'delay_reason',
  exclusionReason: 'fds_exclusion_reason',
  communicationMethod: 'fds_communication_method',
  informedBy: 'fds_informing_professional',
};

/**
 * An event as the national record reads it, whatever vocabulary it was recorded under (the
 * stored event is never rewritten): the national modality code from today's modality name, and
 * the priority type and source of referral a route implies.
 */
export function upcastEvent<E extends { type: string }>(event: E): E {
  const e = event as unknown as Record<string, unknown>;
  if (e.type === 'treatment_started' && e.modalityCode === undefined) {
    const code = MODALITY_CODES[e.modality as string]?.[0];
    if (code) return { ...event, modalityCode: code };
  }
  if (e.type === 'referral_received') {
    const implied: Record<string, string> = {};
    if (e.priorityType === undefined && ROUTE_PRIORITY[e.route as string])
      implied.priorityType = ROUTE_PRIORITY[e.route as string]!;
    if (e.sourceOfReferral === undefined && e.route === 'screening') implied.sourceOfReferral = '17';
    if (Object.keys(implied).length) return { ...event, ...implied };
  }
  return event;
}

/** PRIORITY TYPE a route implies (cwt-dataset.md): none for an upgrade, whose original referral decides. */
const ROUTE_PRIORITY: Readonly<Record<string, string>> = {
  urgent_suspected_cancer: '3',
  breast_symptomatic: '3',
  screening: '2',
};
