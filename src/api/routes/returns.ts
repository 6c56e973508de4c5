// The national returns (issue #14): the monthly CWT submission and the weekly cancer PTL, with
// their files as downloads, and the national code lists. A return reads every pathway active in
// its period (seconds at 360,000 open): built giving way to other requests, and one at a time, so
// a few impatient clicks cannot take the server's time. Issue #24: the work list grouped by kind,
// with who each record is about; a fix for a whole group at once (one `national_items_added` per
// pathway, all or none); a preview with the test numbers, marked as not for submission.
import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { instantOf, londonDateOf, type IsoDate } from '../../vocabulary/calendar.ts';
import { identifier, isoDate } from '../../vocabulary/events.ts';
import { CONFIRMED_LISTS, TRUST_LISTS } from '../../vocabulary/cwt-codes.ts';
import { runGivingWay } from '../../slices.ts';
import type { Store } from '../../store/store.ts';
import type { HistoryModels } from '../../queries/as-at.ts';
import {
  allCwtFiles,
  cwtExtractSlices,
  cwtSummary,
  PREVIEW_MARK,
  periodProblem,
  recordName,
  recordType,
  type CwtExtract,
} from '../../returns/cwt-extract.ts';
import type { ProblemKind, RecordItem } from '../../returns/cwt-record.ts';
import {
  CANPTL_COLUMNS,
  canptlFiles,
  canptlSlices,
  canptlTotals,
  rowLabels,
  weekEndingProblem,
} from '../../returns/canptl.ts';
import { nhsNumbersIn } from '../../vocabulary/nhs-number.ts';
import { patientSubject } from '../../store/access-log.ts';
import { actorOf, feature, SENT, type ApiContext } from '../route.ts';
import { bandCounts, date, patientOnPathway, queryBoolean } from '../schemas.ts';

const cwtReturnQuery = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')
    .describe('the month of the treatments and faster diagnosis outcomes'),
  asAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('the records as they stood at this moment (default now): the same moment gives the same files'),
  file: z.string().max(100).optional().describe("one of the answer's files, to download it as CSV"),
  preview: queryBoolean
    .optional()
    .describe('include test NHS numbers (999 range): a preview, every file marked as not for submission'),
});
const canptlQuery = z.strictObject({
  weekEnding: isoDate.describe('a Sunday: the snapshot is as at 23:59 that day'),
  file: z.string().max(100).optional().describe("one of the answer's files, to download it"),
  preview: queryBoolean
    .optional()
    .describe('include test NHS numbers (999 range): a preview, every file marked as not for submission'),
});
const recordTypes = z.enum(['faster_diagnosis', 'first_treatment', 'later_treatment']);
const problemKinds = z.enum(['missing', 'not_in_list', 'comment_needed', 'delay_reason', 'no_code']);
const cwtReturn = z.object({
  period: z.string(),
  asAt: z.string(),
  layout: z.enum(['trust', 'national']),
  preview: z.boolean(),
  notForSubmission: z.string().optional().describe('present on a preview: why its files must never be uploaded'),
  testNumbersIncluded: z.number().int().describe('records of test NHS numbers in a preview'),
  records: z.number().int().describe('records that can go, in the parts'),
  parts: z.array(z.object({ file: z.string(), records: z.number().int() })),
  validationFile: z.string(),
  heldBack: z.number().int().describe('records that cannot go as they stand'),
  problems: z.number().int(),
  testNumbersLeftOut: z.number().int().describe('records of test NHS numbers (999 range), never submitted'),
  unconfirmedCodes: z.array(z.string()).describe("provisional codes from the trust's lists that the records use"),
  files: z.array(z.string()),
  groups: z
    .array(
      z.object({
        group: z.string().describe('item:kind'),
        item: z.string(),
        kind: problemKinds,
        element: z.string(),
        label: z.string(),
        count: z.number().int(),
        bulkField: z
          .string()
          .nullable()
          .describe('the field one value may fill for the whole group at once (POST /api/returns/cwt/fixes), or null'),
      }),
    )
    .describe('the work list grouped by kind of problem, largest first'),
  workList: z.array(
    patientOnPathway.extend({
      provider: z.string().nullable(),
      record: z.string(),
      recordType: recordTypes,
      recordDate: date,
      group: z.string(),
      element: z.string(),
      item: z.string(),
      kind: problemKinds,
      problem: z.string(),
      eventId: z.string().nullable().describe('the event to add the item to (national_items_added)'),
      field: z.string().nullable(),
    }),
  ),
});
const bulkFix = z.strictObject({
  field: z
    .enum(['nhsNumberStatus', 'site'])
    .describe('the national item to add: the NHS number status, or a site (first seen, the FDS end)'),
  value: z.string().trim().min(1).max(20),
  targets: z
    .array(z.strictObject({ pathwayId: identifier, eventId: z.string().trim().min(1).max(64) }))
    .min(1)
    .max(2000)
    .describe('each pathway and the event the item is for, as the work list names them'),
});
const bulkFixed = z.object({
  written: z.number().int(),
  results: z.array(z.object({ pathwayId: z.string(), eventId: z.string(), version: z.number().int() })),
});
const canptlReturn = z.object({
  weekEnding: date,
  weekStart: date,
  asAt: z.string(),
  open62: z.number().int(),
  open62Bands: bandCounts,
  open62ByType: z.record(
    z.string(),
    z.object({ total: z.number().int(), withDecisionToTreat: bandCounts, withoutDecisionToTreat: bandCounts }),
  ),
  passedDay28: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
  referralsReceived: z.object({
    total: z.number().int(),
    byRoute: z.record(z.string(), z.number().int()),
    byScreeningProgramme: z
      .record(z.string(), z.number().int())
      .describe('screening referrals by programme (issue #26: given, or implied by the tumour site)'),
  }),
  firstSeen: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
  preview: z.boolean(),
  notForSubmission: z.string().optional(),
  testNumbersLeftOut: z.number().int(),
  passedDay62: z.number().int(),
  passedDay104: z.number().int(),
  treated: z.object({ byDay62: z.number().int(), day63To104: z.number().int(), over104: z.number().int() }),
  columns: z.array(z.string()).describe("the template's measure columns, in the national table's order"),
  rows: z
    .array(
      z.object({
        org: z.string(),
        section: z.string(),
        route: z.string(),
        tumourType: z.string(),
        counts: z.record(z.string(), z.number().int()),
      }),
    )
    .describe("the template's rows with a count, labelled as the trust's tables write them"),
  files: z.array(z.string()),
});
const codeLists = z.object({
  lists: z.record(z.string(), z.array(z.object({ code: z.string(), label: z.string(), confirmed: z.boolean() }))),
  trustLists: z.array(z.string()).describe('the lists the trust keeps (and corrects); the rest are national'),
});

const codeParams = z.strictObject({
  list: z.enum(TRUST_LISTS),
  code: z.string().regex(/^[0-9A-Z]{1,3}$/, 'is not a code (1 to 3 capital letters or digits)'),
});
const codeCorrection = z
  .strictObject({
    label: z.string().trim().min(1).max(200).optional().describe('the words for the code'),
    confirmed: z.boolean().optional().describe('checked against the DCB0147 specification (true), or provisional'),
  })
  .refine((b) => b.label !== undefined || b.confirmed !== undefined, 'give a label, confirmed or both');
const trustCode = z.object({
  list: z.string(),
  code: z.string(),
  label: z.string(),
  maps: z.string().nullable(),
  confirmed: z.boolean(),
  commentRequired: z.boolean(),
});

type Deps = { store: HistoryModels & Pick<Store, 'codes' | 'unitOfWork'> } & Pick<
  ApiContext,
  'clock' | 'audit' | 'commands'
>;

/** The items one value may fill for a whole group (issue #24), and the field that carries each. */
const BULK_FIELDS: Partial<Record<RecordItem, 'nhsNumberStatus' | 'site'>> = {
  nhsNumberStatus: 'nhsNumberStatus',
  fdsEndSite: 'site',
  firstSeenSite: 'site',
};
const KIND_WORDS: Record<ProblemKind, string> = {
  missing: 'missing',
  not_in_list: 'a code not in its list',
  comment_needed: 'a comment needed',
  delay_reason: 'a breach with no delay reason',
  no_code: "no code in the trust's list",
};

export const returns = feature(
  {
    codeLists: {
      method: 'get',
      path: '/api/code-lists',
      summary: 'The national CWT code lists with their labels (confirmed, and those the trust keeps)',
      allow: 'signed_in',
      scope: 'none',
      ok: { status: 200, description: 'the lists', schema: codeLists },
      errors: [401, 403],
    },
    correctCode: {
      method: 'patch',
      path: '/api/code-lists/:list/:code',
      summary:
        'Corrects a code of a list the trust keeps: its label, or its confirmation against the DCB0147 specification (data managers, admins)',
      allow: 'code_lists',
      scope: 'none',
      params: codeParams,
      body: codeCorrection,
      ok: { status: 200, description: 'the code as it now stands', schema: trustCode },
      errors: [400, 401, 403, 404],
    },
    cwtReturn: {
      method: 'get',
      path: '/api/returns/cwt',
      summary:
        'The monthly CWT submission: counts, files (both layouts) and the validation work list, grouped; with `file`, that file as CSV (tracker)',
      allow: 'returns',
      scope: 'trust',
      query: cwtReturnQuery,
      ok: { status: 200, description: "the month's return (or the file asked for, text/csv)", schema: cwtReturn },
      errors: [400, 401, 403, 404, 422],
    },
    cwtFixes: {
      method: 'post',
      path: '/api/returns/cwt/fixes',
      summary:
        'One national item for a whole work-list group: a national_items_added on each pathway, all written or none (tracker)',
      allow: 'record_items',
      scope: 'trust',
      body: bulkFix,
      ok: { status: 201, description: 'every pathway fixed', schema: bulkFixed },
      errors: [400, 401, 403, 404, 409, 422],
    },
    canptlReturn: {
      method: 'get',
      path: '/api/returns/canptl',
      summary: 'The weekly cancer PTL return as at 23:59 on a Sunday; with `file`, that file (tracker)',
      allow: 'returns',
      scope: 'trust',
      query: canptlQuery,
      ok: { status: 200, description: "the week's return (or the file asked for)", schema: canptlReturn },
      errors: [400, 401, 403, 404, 422],
    },
  },
  ({ store, clock, audit, commands }: Deps) => {
    // The queue of returns being built: each waits for the one before.
    let building: Promise<unknown> = Promise.resolve();
    const oneAtATime = <T>(work: () => Generator<void, T>): Promise<T> => {
      const built = building.then(() => runGivingWay(work()));
      building = built.catch(() => {});
      return built;
    };
    return {
      codeLists: () => codeListsAnswer(store),
      correctCode: ({ req, caller, params: { list, code }, body }) => {
        const { codes } = store;
        const before = codes.get(list, code);
        if (!before)
          throw new AppError(
            'not_found',
            `code: the trust's ${list.replaceAll('_', ' ')} list has no code ${code}`,
            'code',
          );
        const after = codes.set({ ...before, ...body });
        audit(req, caller, 'code_list_changed', {
          detail: {
            list,
            code,
            ...(body.label !== undefined ? { label: after.label } : {}),
            confirmed: after.confirmed,
          },
        });
        return after;
      },
      cwtReturn: async ({ req, caller, query, res }) => {
        const now = instantOf(clock.now());
        const asAt = query.asAt === undefined ? now : instantOf(new Date(query.asAt));
        if (asAt > now) throw new AppError('invalid_return', `asAt: ${query.asAt} is in the future`, 'asAt');
        const problem = periodProblem(query.period, asAt);
        if (problem) throw new AppError('invalid_return', `period: ${problem}`, 'period');
        const preview = query.preview ?? false;
        const extract = await oneAtATime(() => cwtExtractSlices(store, query.period, asAt, { preview }));
        const files = allCwtFiles(extract);
        const generated = { return: 'cwt', period: query.period, asAt, ...(preview ? { preview } : {}) };
        if (query.file !== undefined)
          return sendFile(res, files, query.file, 'text/csv', (seen) =>
            audit(req, caller, 'return_generated', { detail: { ...generated, file: query.file }, seen }),
          );
        audit(req, caller, 'return_generated', {
          detail: generated,
          seen: [...new Set(extract.heldBack.map((r) => r.pathwayId))], // the work list names them
        });
        return {
          ...cwtSummary(extract),
          ...(preview ? { notForSubmission: PREVIEW_MARK } : {}),
          files: files.map(([name]) => name),
          ...workList(extract),
        };
      },
      cwtFixes: ({ body, user }) => fixGroup({ store, commands }, body, actorOf(user), londonDateOf(clock.now())),
      canptlReturn: async ({ req, caller, query, res }) => {
        const problem = weekEndingProblem(query.weekEnding, clock.now());
        if (problem) throw new AppError('invalid_return', `weekEnding: ${problem}`, 'weekEnding');
        const preview = query.preview ?? false;
        const canptl = await oneAtATime(() => canptlSlices(store, query.weekEnding, { preview }));
        const labels = rowLabels(store);
        const files = canptlFiles(canptl, labels);
        const generated = { return: 'canptl', weekEnding: query.weekEnding, ...(preview ? { preview } : {}) };
        if (query.file !== undefined) {
          return sendFile(
            res,
            files,
            query.file,
            query.file.endsWith('.json') ? 'application/json' : 'text/csv',
            (seen) => audit(req, caller, 'return_generated', { detail: { ...generated, file: query.file }, seen }),
          );
        }
        audit(req, caller, 'return_generated', { detail: generated });
        const totals = canptlTotals(canptl);
        return {
          ...totals,
          ...(preview ? { notForSubmission: PREVIEW_MARK } : {}),
          columns: [...CANPTL_COLUMNS],
          rows: totals.rows.map((r) => ({
            org: r.org,
            section: labels('canptl_section', r.section),
            route: labels('canptl_route', r.route),
            tumourType: labels('canptl_tumour_type', r.tumourType),
            counts: r.counts,
          })),
          files: files.map(([name]) => name),
        };
      },
    };
  },
);

/**
 * One value for a group of the work list: a `national_items_added` on each pathway, in one unit of
 * work, so a refusal for any pathway rolls back every one before it.
 */
function fixGroup(
  { store, commands }: Pick<Deps, 'store' | 'commands'>,
  body: z.output<typeof bulkFix>,
  actor: string,
  on: IsoDate,
) {
  const results = store.unitOfWork(() =>
    body.targets.map(({ pathwayId, eventId }, i) => {
      const event = { type: 'national_items_added', on, target: eventId, [body.field]: body.value };
      try {
        const r = commands.append(pathwayId, undefined, event, { actor, entered: true });
        return { pathwayId, eventId: r.eventId, version: r.version };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        throw new AppError(
          err.code,
          `targets.${i} (pathway ${pathwayId}): ${err.message}; nothing was written`,
          err.field === body.field || err.field === 'target' ? err.field : `targets.${i}`,
          err.details,
        );
      }
    }),
  );
  return { written: results.length, results };
}

/** The work list: every problem of the records held back, with who the record is about, and its groups by kind. */
function workList(extract: CwtExtract) {
  const element = new Map(extract.columns.map((c) => [c.item, c.element]));
  const entries = extract.heldBack.flatMap((r) =>
    r.problems.map((p) => ({
      pathwayId: r.pathwayId,
      nhsNumber: r.values.nhsNumber,
      patientName: r.patient.name,
      tumourSite: r.patient.tumourSite,
      provider: r.patient.provider,
      record: recordName(r),
      recordType: recordType(r),
      recordDate: r.date,
      group: `${p.item}:${p.kind}`,
      element: element.get(p.item) ?? p.item,
      item: p.item,
      kind: p.kind,
      problem: p.problem,
      eventId: p.fix?.event ?? null,
      field: p.fix?.field ?? null,
    })),
  );
  const groups = new Map<string, { count: number; fixable: boolean; entry: (typeof entries)[number] }>();
  for (const e of entries) {
    const g = groups.get(e.group) ?? { count: 0, fixable: true, entry: e };
    g.count++;
    g.fixable &&= e.eventId !== null && e.field === BULK_FIELDS[e.item as RecordItem];
    groups.set(e.group, g);
  }
  return {
    groups: [...groups.values()]
      .map(({ count, fixable, entry: e }) => ({
        group: e.group,
        item: e.item,
        kind: e.kind,
        element: e.element,
        label: `${e.element}: ${KIND_WORDS[e.kind]}`,
        count,
        bulkField: fixable && e.kind === 'missing' ? (BULK_FIELDS[e.item as RecordItem] ?? null) : null,
      }))
      .sort((a, b) => b.count - a.count || (a.group < b.group ? -1 : 1)),
    workList: entries,
  };
}

/**
 * One file of a national return as a download (`sent` once it is found, with the patients in it
 * for the access log, by NHS number): patient data, so never cached.
 */
function sendFile(
  res: Response,
  files: [string, string][],
  name: string,
  type: string,
  sent: (seen: string[]) => void,
): typeof SENT {
  const file = files.find(([n]) => n === name);
  if (!file)
    throw new AppError(
      'not_found',
      `file: this return has no file ${name}; it has ${files.map(([n]) => n).join(', ')}`,
      'file',
    );
  sent(nhsNumbersIn(file[1]).map(patientSubject));
  res.set('Cache-Control', 'no-store').type(type).attachment(name).send(file[1]);
  return SENT;
}

/** Every national code list with its labels: the confirmed ones, and those the trust keeps (issue #14). */
function codeListsAnswer({ codes }: Pick<Store, 'codes'>): z.input<typeof codeLists> {
  const lists: Record<string, { code: string; label: string; confirmed: boolean }[]> = {};
  for (const [name, list] of Object.entries(CONFIRMED_LISTS))
    lists[name] = list.entries.map(([code, label]) => ({ code, label, confirmed: true }));
  for (const c of codes.all()) (lists[c.list] ??= []).push({ code: c.code, label: c.label, confirmed: c.confirmed });
  return { lists, trustLists: [...TRUST_LISTS] };
}
