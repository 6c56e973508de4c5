// The event vocabulary: one zod discriminated union on `type`. The HTTP API, the CLI, the
// importer and the referral machine all speak it; the TypeScript types are inferred from it.
import { z } from 'zod';
import { isIsoDate } from '../cwt/calendar.ts';
import { normaliseNhsNumber } from './nhs-number.ts';

export const ROUTES = ['urgent_suspected_cancer', 'breast_symptomatic', 'screening', 'consultant_upgrade'] as const;

export const TUMOUR_SITES = [
  'breast', 'lower_gi', 'upper_gi', 'lung', 'skin', 'urological', 'gynaecological', 'head_and_neck',
  'haematological', 'brain_cns', 'sarcoma', 'children', 'testicular', 'acute_leukaemia',
  'non_specific_symptoms', 'other',
] as const;

export const TREATMENT_MODALITIES = [
  'surgery', 'chemotherapy', 'radiotherapy', 'hormone_therapy', 'immunotherapy', 'targeted_therapy',
  'active_monitoring', 'best_supportive_care', 'palliative_care', 'other',
] as const;

export const REMOVAL_REASONS = [
  'patient_died', 'declined_all_treatment', 'referral_made_in_error', 'moved_away', 'returned_to_gp', 'other',
] as const;

/** What the patient is told (R8); the last two close the pathway without treatment (R9). */
export const DIAGNOSIS_OUTCOMES = ['cancer_confirmed', 'cancer_ruled_out', 'interval_scan'] as const;

export type Route = (typeof ROUTES)[number];
export type TumourSite = (typeof TUMOUR_SITES)[number];

export const isoDate = z.string().refine(isIsoDate, { message: 'must be a real calendar date, YYYY-MM-DD' }).meta({ format: 'date' });
const text = z.string().trim().min(1).max(200);
const providerCode = z.string().trim().min(3).max(10).regex(/^[A-Z0-9]+$/, 'must be an ODS code (capital letters and digits)');
export const nhsNumber = z.string().transform((value, ctx) => {
  const normalised = normaliseNhsNumber(value);
  if (normalised === null) {
    ctx.addIssue({ code: 'custom', message: 'is not a valid NHS number (10 digits with a Modulus 11 check digit)' });
    return z.NEVER;
  }
  return normalised;
});
const appointmentKind = z.enum(['first', 'subsequent']);

// Every event has a clinical date `on` and may carry an `id` that a later `event_voided` can name (R13).
// Ids a user gives start with a letter or digit; the store's own ids start with '#', so they never collide.
/** An id a user or a feed gives (pathway ids, event ids). */
export const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be letters, digits, _ . : - (at most 64), starting with a letter or digit');
const base = { id: identifier.optional(), on: isoDate };
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...base, ...shape });

// ---- inbound feed from the hospital's PAS (issue #17) ----
/** The hospital's own number for the patient (the PAS number; HL7 PID-3 of type PI or MR). */
export const localPatientId = z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9][A-Za-z0-9/-]*$/, 'must be the hospital number: letters, digits, / and - (at most 20)');
/** Why a patient's details changed: a correction (the PAS, or a tracker), or a merge of two records (HL7 A40). */
export const DETAILS_REASONS = ['correction', 'merge'] as const;
/** The patient details an update may correct; an update gives at least one. */
export const CORRECTABLE_DETAILS = ['nhsNumber', 'patientName', 'dateOfBirth', 'localPatientId'] as const;

export const referralReceived = event('referral_received', {
  route: z.enum(ROUTES),
  tumourSite: z.enum(TUMOUR_SITES),
  nhsNumber,
  patientName: text.optional(),
  dateOfBirth: isoDate.optional(),
  provider: providerCode.optional(),
  referrer: text.optional(),
  localPatientId: localPatientId.optional(), // issue #17: the PAS number, to match the hospital's messages
});

export const pathwayEvent = z.discriminatedUnion('type', [
  referralReceived,
  event('triaged', { outcome: z.enum(['straight_to_test', 'outpatient', 'rapid_diagnostic_centre']) }),
  event('appointment_booked', { appointmentOn: isoDate, appointment: appointmentKind }),
  event('first_seen', { clinic: text.optional() }),
  event('dna', { appointment: appointmentKind }),
  event('patient_cancelled', { appointment: appointmentKind.optional(), note: text.optional() }),
  event('test_requested', { test: text }),
  event('test_reported', { test: text, result: text.optional() }),
  event('mdt_discussed', { outcome: text.optional() }),
  // interval_scan: told cancer is not diagnosed now and a planned interval scan will follow (R8, R9).
  event('diagnosis_communicated', { outcome: z.enum(DIAGNOSIS_OUTCOMES) }),
  event('referred_onward', { toTumourSite: z.enum(TUMOUR_SITES) }),
  event('decision_to_treat', { plannedModality: z.enum(TREATMENT_MODALITIES).optional(), treatingProvider: providerCode.optional() }),
  event('treatment_offer_declined', { offeredFor: isoDate, availableFrom: isoDate, setting: z.enum(['admitted', 'non_admitted']) }),
  event('treatment_started', { modality: z.enum(TREATMENT_MODALITIES) }),
  event('transferred', { toProvider: providerCode }),
  event('removed', { reason: z.enum(REMOVAL_REASONS), note: text.optional() }),
  event('event_voided', { voids: z.string().trim().min(1).max(64), reason: text }),
  // ---- inbound feed (issue #17) ----
  // The patient's details corrected (never the referral rewritten): moves no clock and no stage,
  // so it never reaches the machine or the clocks, and any pathway, open or closed, may take it.
  event('patient_details_updated', {
    nhsNumber: nhsNumber.optional(), patientName: text.optional(), dateOfBirth: isoDate.optional(), localPatientId: localPatientId.optional(),
    reason: z.enum(DETAILS_REASONS), note: text.optional(),
  }),
]).superRefine((e, ctx) => {
  // Cross-field rules that a single field cannot state.
  if (e.type === 'appointment_booked' && e.appointmentOn < e.on) {
    ctx.addIssue({ code: 'custom', path: ['appointmentOn'], message: 'must not be before the booking date `on`' });
  }
  if (e.type === 'treatment_offer_declined' && e.availableFrom < e.offeredFor) {
    ctx.addIssue({ code: 'custom', path: ['availableFrom'], message: 'must not be before `offeredFor`' });
  }
  if (e.type === 'referral_received' && e.dateOfBirth !== undefined && e.dateOfBirth > e.on) {
    ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'must not be after the referral date' });
  }
  if (e.type === 'patient_details_updated') {
    if (!CORRECTABLE_DETAILS.some((k) => e[k] !== undefined)) ctx.addIssue({ code: 'custom', path: ['nhsNumber'], message: `an update gives at least one of ${CORRECTABLE_DETAILS.join(', ')}` });
    if (e.dateOfBirth !== undefined && e.dateOfBirth > e.on) ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'must not be after the date of the update' });
  }
});

export type PathwayEvent = z.infer<typeof pathwayEvent>;
export type EventType = PathwayEvent['type'];
/**
 * The events a timeline is made of once corrections are applied: everything but `event_voided`
 * and `patient_details_updated` (folded apart, in the order recorded: src/domain/pathway.ts).
 */
export type TimelineEvent = Exclude<PathwayEvent, { type: 'event_voided' | 'patient_details_updated' }>;
export type EventOf<T extends EventType> = Extract<PathwayEvent, { type: T }>;
export type ReferralReceived = EventOf<'referral_received'>;

export const EVENT_TYPES = pathwayEvent.options.map((o) => o.shape.type.value) as EventType[];

/** Fields that identify a patient: kept in the store, never written to a log. */
export const PATIENT_IDENTIFIABLE_FIELDS = ['nhsNumber', 'patientName', 'dateOfBirth', 'localPatientId'] as const;

/** A one-line, field-naming description of the first problem zod found, with no patient data in it. */
export function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'is invalid' };
  const field = [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? [issue.keys[0] ?? ''] : [])].join('.');
  if (issue.code === 'unrecognized_keys') return { field, message: 'is not a field of this event' };
  if (issue.code === 'invalid_union' && field === 'type') {
    return { field, message: `must be one of: ${EVENT_TYPES.join(', ')}` };
  }
  return { field, message: issue.message };
}
