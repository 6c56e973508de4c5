// The event vocabulary: one zod discriminated union on `type`. The HTTP API, the CLI, the
// importer and the referral machine all speak it; the TypeScript types are inferred from it.
import { z } from 'zod';
import { isIsoDate } from './calendar.ts';
import { normaliseNhsNumber } from './nhs-number.ts';
import {
  AMENDABLE,
  AMENDMENT_ITEMS,
  DECISION_ITEMS,
  FDS_END_ITEMS,
  FIRST_SEEN_ITEMS,
  nationalItemIssues,
  REFERRAL_ITEMS,
  REMOVAL_ITEMS,
  TEST_REPORTED_ITEMS,
  TREATMENT_ITEMS,
} from './national-items.ts';
import { equalityFields, STAGE_GROUP_LABELS, STAGE_GROUPS } from './equality.ts';
import { FIT_MAX, SCREENING_PROGRAMMES, SUSPECTED_SITE_NAMES, timedItemIssues } from './timed-pathways.ts';

/**
 * thirty_one_day_only (issue #24): a cancer found outside the four urgent routes (a routine referral,
 * an emergency admission, an incidental finding) or a recurrence: the 31-day standard only, from
 * the decision to treat to the first treatment (no faster diagnosis or 62-day clock).
 */
export const ROUTES = [
  'urgent_suspected_cancer',
  'breast_symptomatic',
  'screening',
  'consultant_upgrade',
  'thirty_one_day_only',
] as const;

export const TUMOUR_SITES = [
  'breast',
  'lower_gi',
  'upper_gi',
  'lung',
  'skin',
  'urological',
  'gynaecological',
  'head_and_neck',
  'haematological',
  'brain_cns',
  'sarcoma',
  'children',
  'testicular',
  'acute_leukaemia',
  'non_specific_symptoms',
  'other',
] as const;

export const TREATMENT_MODALITIES = [
  'surgery',
  'chemotherapy',
  'radiotherapy',
  'hormone_therapy',
  'immunotherapy',
  'targeted_therapy',
  'active_monitoring',
  'best_supportive_care',
  'palliative_care',
  'other',
] as const;

export const REMOVAL_REASONS = [
  'patient_died',
  'declined_all_treatment',
  'referral_made_in_error',
  'moved_away',
  'returned_to_gp',
  'other',
  'declined_all_tests', // issue #24: before being told, an exclusion from the faster diagnosis standard
] as const;

/** What the patient is told (R8); the last two close the pathway without treatment (R9). */
export const DIAGNOSIS_OUTCOMES = ['cancer_confirmed', 'cancer_ruled_out', 'interval_scan'] as const;
/**
 * A confirmed cancer that is a recurrence (issue #24): the pathway leaves the 62-day standard and
 * its first treatment counts in the 31-day one (national treatment event types 03-06, 09-11).
 */
export const RECURRENCES = [
  'local',
  'regional',
  'distant',
  'multiple',
  'relapse',
  'progression',
  'transformation',
] as const;

// ---- workspace (#15): the MDT's structured outcome ------------------------------------------
/** What an MDT decided for the patient: recorded with `mdt_discussed`; it moves no clock by itself. */
export const MDT_DECISIONS = [
  'diagnosis_confirmed',
  'cancer_ruled_out',
  'further_tests',
  'refer_to_another_site',
  'treatment_plan_agreed',
  'discharge',
] as const;

export type Route = (typeof ROUTES)[number];
export type TumourSite = (typeof TUMOUR_SITES)[number];

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'must be a real calendar date, YYYY-MM-DD' })
  .meta({ format: 'date' });
// Control characters and the invisible marks that reorder text (right-to-left override and the
// like) would let a name or a note display as something other than what it holds.
const UNSAFE_TEXT = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const text = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((v) => !UNSAFE_TEXT.test(v), {
    message: 'must not contain control characters or marks that reorder text (such as a right-to-left override)',
  });
const providerCode = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{3,10}$/, 'must be an ODS code: 3 to 10 capital letters and digits, such as RAJ');
export const nhsNumber = z.string().transform((value, ctx) => {
  const normalised = normaliseNhsNumber(value);
  if (normalised === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'is not a valid NHS number (10 digits with a Modulus 11 check digit, not all the same digit)',
    });
    return z.NEVER;
  }
  return normalised;
});
const appointmentKind = z.enum(['first', 'subsequent']);

// Every event has a clinical date `on` and may carry an `id` that a later `event_voided` can name (R13).
// Ids a user gives start with a letter or digit; the store's own ids start with '#', so they never collide.
/** An id a user or a feed gives (pathway ids, event ids). */
export const identifier = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/,
    'must be letters, digits, _ . : - (at most 64), starting with a letter or digit',
  );
const base = { id: identifier.optional(), on: isoDate };
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...base, ...shape });
/** Every field of a shape, optional. */
function optional<S extends Record<string, z.ZodType>>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };
}

// ---- inbound feed from the hospital's PAS (issue #17) ----
/** The hospital's own number for the patient (the PAS number; HL7 PID-3 of type PI or MR). */
export const localPatientId = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9][A-Za-z0-9/-]*$/, 'must be the hospital number: letters, digits, / and - (at most 20)');
/** Why a patient's details changed: a correction (the PAS, or a tracker), or a merge of two records (HL7 A40). */
export const DETAILS_REASONS = ['correction', 'merge'] as const;
/** The patient details an update may correct; an update gives at least one. */
export const CORRECTABLE_DETAILS = [
  'nhsNumber',
  'patientName',
  'dateOfBirth',
  'localPatientId',
  ...(['sex', 'ethnicCategory', 'postcode'] as const), // issue #27
] as const;
/** What a referral correction may give (issue #28); it gives at least one. */
export const REFERRAL_CORRECTIONS = ['receivedOn', 'route', 'tumourSite'] as const;

export const referralReceived = event('referral_received', {
  route: z.enum(ROUTES),
  tumourSite: z.enum(TUMOUR_SITES),
  nhsNumber,
  patientName: text.optional(),
  dateOfBirth: isoDate.optional(),
  provider: providerCode.optional(),
  referrer: text.optional(),
  ...optional(REFERRAL_ITEMS), // national CWT items (national-items.ts)
  localPatientId: localPatientId.optional(), // issue #17: the PAS number, to match the hospital's messages
  // ---- timed pathways (issue #26): all optional; the checks across fields are in timed-pathways.ts ----
  suspectedSite: z.enum(SUSPECTED_SITE_NAMES).optional().meta({ title: 'Suspected site (within the tumour site)' }),
  fitResult: z
    .number()
    .min(0)
    .max(FIT_MAX)
    .optional()
    .meta({ title: 'FIT result (micrograms of haemoglobin per gram)' }),
  fitTestedOn: isoDate.optional().meta({ title: 'Date of the FIT' }),
  fitNotDoneReason: text.optional().meta({ title: 'Why there is no FIT result' }),
  screeningProgramme: z.enum(SCREENING_PROGRAMMES).optional().meta({ title: 'Screening programme' }),
  lowDoseCtOn: isoDate.optional().meta({ title: 'Date of the low-dose CT (lung screening)' }),
  ...equalityFields, // issue #27: sex, ethnic category, postcode (equality.ts)
});

export const pathwayEvent = z
  .discriminatedUnion('type', [
    referralReceived,
    event('triaged', { outcome: z.enum(['straight_to_test', 'outpatient', 'rapid_diagnostic_centre']) }),
    event('appointment_booked', { appointmentOn: isoDate, appointment: appointmentKind }),
    event('first_seen', { clinic: text.optional(), ...optional(FIRST_SEEN_ITEMS) }),
    event('dna', { appointment: appointmentKind }),
    event('patient_cancelled', { appointment: appointmentKind.optional(), note: text.optional() }),
    // testOn (optional, workspace #15): the day the test is booked for; it becomes the next action.
    event('test_requested', { test: text, testOn: isoDate.optional() }),
    event('test_reported', { test: text, result: text.optional(), ...optional(TEST_REPORTED_ITEMS) }),
    // decision and meetingId (optional, workspace #15): the MDT's structured outcome and the meeting.
    event('mdt_discussed', {
      outcome: text.optional(),
      decision: z.enum(MDT_DECISIONS).optional(),
      meetingId: z.number().int().positive().optional(),
      // issue #28: what MDTs record, in words; the MDT's own stage (the diagnosis may carry one too)
      stage: text.optional(),
      histology: text.optional(),
      leadClinician: text.optional(),
      attendees: text.optional(),
      referredToSite: z.enum(TUMOUR_SITES).optional(),
    }),
    // interval_scan: told cancer is not diagnosed now and a planned interval scan will follow (R8, R9).
    event('diagnosis_communicated', {
      outcome: z.enum(DIAGNOSIS_OUTCOMES),
      recurrence: z.enum(RECURRENCES).optional(), // issue #24
      stage: z
        .enum(STAGE_GROUPS)
        .optional()
        .meta({ title: 'Stage group at diagnosis', 'x-value-labels': STAGE_GROUP_LABELS }), // issue #27
      ...optional(FDS_END_ITEMS),
    }),
    event('referred_onward', { toTumourSite: z.enum(TUMOUR_SITES) }),
    // After the first treatment, a decision to treat starts a subsequent treatment's 31-day clock,
    // at the earliest clinically appropriate date when one is given.
    event('decision_to_treat', {
      plannedModality: z.enum(TREATMENT_MODALITIES).optional(),
      treatingProvider: providerCode.optional(),
      earliestClinicallyAppropriateDate: isoDate
        .optional()
        .meta({ title: 'Earliest clinically appropriate date (a treatment after the first)' }),
      ...optional(DECISION_ITEMS),
    }),
    event('treatment_offer_declined', {
      offeredFor: isoDate,
      availableFrom: isoDate,
      setting: z.enum(['admitted', 'non_admitted']),
    }),
    event('treatment_started', { modality: z.enum(TREATMENT_MODALITIES), ...optional(TREATMENT_ITEMS) }),
    event('transferred', { toProvider: providerCode }),
    event('removed', { reason: z.enum(REMOVAL_REASONS), note: text.optional(), ...optional(REMOVAL_ITEMS) }),
    event('event_voided', { voids: z.string().trim().min(1).max(64), reason: text }),
    // ---- workspace (#15): a tracking comment. It moves no clock and no stage, and may be added
    // to a closed pathway too; a follow-up date becomes the next action (src/cwt/next-action.ts).
    event('note', { text: z.string().trim().min(1).max(1000), followUpOn: isoDate.optional() }),
    // ---- national CWT record (issue #14) ----
    // The treatment plan is complete: no more treatments are awaited after the first (31-day PTL).
    event('treatment_plan_completed', { note: text.optional() }),
    // National items for an earlier event (`target`, its id) that moves no clock: the record is
    // completed without voiding and recording the event again. Never reaches the machine or the clocks.
    event('national_items_added', {
      target: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .meta({ title: 'The event these items are for', 'x-items-by-type': AMENDABLE }),
      ...optional(AMENDMENT_ITEMS),
    }),
    // ---- inbound feed (issue #17) ----
    // The patient's details corrected (never the referral rewritten): moves no clock and no stage,
    // so it never reaches the machine or the clocks, and any pathway, open or closed, may take it.
    event('patient_details_updated', {
      nhsNumber: nhsNumber.optional(),
      patientName: text.optional(),
      dateOfBirth: isoDate.optional(),
      localPatientId: localPatientId.optional(),
      ...equalityFields, // issue #27
      reason: z.enum(DETAILS_REASONS),
      note: text.optional(),
    }),
    // ---- the workspace, second round (issue #28) ----
    // The referral corrected (cwt-rules R13 for the referral): the date received, the route or the
    // tumour site was recorded wrongly. The clocks recompute from the corrected values; the referral
    // as first recorded stays in the history (effective-timeline.ts applies the correction).
    event('referral_corrected', {
      reason: text,
      receivedOn: isoDate.optional(),
      route: z.enum(ROUTES).optional(),
      tumourSite: z.enum(TUMOUR_SITES).optional(),
    }),
  ])
  .superRefine((e, ctx) => {
    for (const { path, message } of nationalItemIssues(e)) ctx.addIssue({ code: 'custom', path: [path], message });
    for (const { path, message } of timedItemIssues(e)) ctx.addIssue({ code: 'custom', path: [path], message }); // #26
    // Cross-field rules that a single field cannot state.
    if (e.type === 'diagnosis_communicated' && e.recurrence !== undefined && e.outcome !== 'cancer_confirmed') {
      ctx.addIssue({ code: 'custom', path: ['recurrence'], message: 'is for a confirmed cancer only' });
    }
    if (e.type === 'diagnosis_communicated' && e.stage !== undefined && e.outcome !== 'cancer_confirmed') {
      ctx.addIssue({ code: 'custom', path: ['stage'], message: 'is for a confirmed cancer only' });
    }
    if (e.type === 'appointment_booked' && e.appointmentOn < e.on) {
      ctx.addIssue({ code: 'custom', path: ['appointmentOn'], message: 'must not be before the date it was booked' });
    }
    if (e.type === 'treatment_offer_declined' && e.availableFrom < e.offeredFor) {
      ctx.addIssue({ code: 'custom', path: ['availableFrom'], message: 'must not be before the date offered' });
    }
    if (e.type === 'referral_received' && e.dateOfBirth !== undefined && e.dateOfBirth > e.on) {
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'must not be after the referral date' });
    }
    if (e.type === 'test_requested' && e.testOn !== undefined && e.testOn < e.on) {
      ctx.addIssue({ code: 'custom', path: ['testOn'], message: 'must not be before the date the test was requested' });
    }
    if (e.type === 'note' && e.followUpOn !== undefined && e.followUpOn < e.on) {
      ctx.addIssue({ code: 'custom', path: ['followUpOn'], message: 'must not be before the date of the comment' });
    }
    if (e.type === 'mdt_discussed' && e.referredToSite !== undefined && e.decision !== 'refer_to_another_site') {
      ctx.addIssue({
        code: 'custom',
        path: ['referredToSite'],
        message: 'is for the outcome "refer to another site" only',
      });
    }
    if (e.type === 'referral_corrected' && !REFERRAL_CORRECTIONS.some((k) => e[k] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['receivedOn'],
        message: `a correction gives at least one of ${REFERRAL_CORRECTIONS.join(', ')}`,
      });
    }
    if (e.type === 'patient_details_updated') {
      if (!CORRECTABLE_DETAILS.some((k) => e[k] !== undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['nhsNumber'],
          message: `an update gives at least one of ${CORRECTABLE_DETAILS.join(', ')}`,
        });
      if (e.dateOfBirth !== undefined && e.dateOfBirth > e.on)
        ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'must not be after the date of the update' });
    }
  });

export type PathwayEvent = z.infer<typeof pathwayEvent>;
export type EventType = PathwayEvent['type'];
/**
 * Events that are not on the clinical timeline, never read by the machine or the clocks: those about
 * other events (corrections, national items added, the referral corrected: applied to the referral
 * by effective-timeline.ts) and the patient's details corrected (issue #17, folded apart in the
 * order recorded: src/domain/pathway.ts).
 */
export const OFF_TIMELINE = [
  'event_voided',
  'national_items_added',
  'patient_details_updated',
  'referral_corrected',
] as const;
/** The events a timeline is made of once corrections are applied. */
export type TimelineEvent = Exclude<PathwayEvent, { type: (typeof OFF_TIMELINE)[number] }>;
export type EventOf<T extends EventType> = Extract<PathwayEvent, { type: T }>;
export type ReferralReceived = EventOf<'referral_received'>;

export const EVENT_TYPES = pathwayEvent.options.map((o) => o.shape.type.value) as EventType[];

/** Fields that identify a patient: kept in the store, never written to a log. */
export const PATIENT_IDENTIFIABLE_FIELDS = [
  'nhsNumber',
  'patientName',
  'dateOfBirth',
  'localPatientId',
  'postcode', // issue #27
] as const;

/** A one-line, field-naming description of the first problem zod found, with no patient data in it. */
export function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'is invalid' };
  const field = [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? [issue.keys[0] ?? ''] : [])].join(
    '.',
  );
  if (issue.code === 'unrecognized_keys') return { field, message: 'is not a field of this event' };
  if (issue.code === 'invalid_union' && field === 'type') {
    return { field, message: `must be one of: ${EVENT_TYPES.join(', ')}` };
  }
  return { field, message: plainMessage(issue) };
}

const count = (n: number | bigint) => n.toLocaleString('en-GB');

/** zod's own wording ("Too big: expected string to have <=10 characters") as a tracker would say it. */
function plainMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'must be filled in'
        : `must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be ${count(issue.maximum)} characters or fewer`
        : `must be at most ${count(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? issue.minimum === 1
          ? 'must be filled in'
          : `must be at least ${count(issue.minimum)} characters`
        : `must be at least ${count(issue.minimum)}`;
    default:
      return issue.message;
  }
}
