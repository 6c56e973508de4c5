// The national returns (issue #14): the monthly CWT submission and the weekly cancer PTL, with
// their files as downloads, and the national code lists. A return reads every pathway active in
// its period (seconds at 360,000 open): built giving way to other requests, and one at a time, so
// a few impatient clicks cannot take the server's time.
import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { instantOf } from '../../vocabulary/calendar.ts';
import { isoDate } from '../../vocabulary/events.ts';
import { CONFIRMED_LISTS } from '../../vocabulary/cwt-codes.ts';
import { runGivingWay } from '../../slices.ts';
import type { Store } from '../../store/store.ts';
import type { HistoryModels } from '../../queries/as-at.ts';
import { cwtExtractSlices, cwtFiles, cwtSummary, periodProblem, recordName } from '../../returns/cwt-extract.ts';
import { canptlFiles, canptlSlices, canptlTotals, weekEndingProblem } from '../../returns/canptl.ts';
import { nhsNumbersIn } from '../../vocabulary/nhs-number.ts';
import { patientSubject } from '../../store/access-log.ts';
import { feature, SENT, type ApiContext } from '../route.ts';
import { bandCounts, date } from '../schemas.ts';

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
});
const canptlQuery = z.strictObject({
  weekEnding: isoDate.describe('a Sunday: the snapshot is as at 23:59 that day'),
  file: z.string().max(100).optional().describe("one of the answer's files, to download it"),
});
const cwtReturn = z.object({
  period: z.string(),
  asAt: z.string(),
  records: z.number().int().describe('records that can go, in the parts'),
  parts: z.array(z.object({ file: z.string(), records: z.number().int() })),
  validationFile: z.string(),
  heldBack: z.number().int().describe('records that cannot go as they stand'),
  problems: z.number().int(),
  testNumbersLeftOut: z.number().int().describe('records of test NHS numbers (999 range), never submitted'),
  unconfirmedCodes: z.array(z.string()).describe("provisional codes from the trust's lists that the records use"),
  files: z.array(z.string()),
  workList: z.array(
    z.object({
      pathwayId: z.string(),
      nhsNumber: z.string(),
      record: z.string(),
      recordDate: date,
      element: z.string(),
      item: z.string(),
      problem: z.string(),
      eventId: z.string().nullable().describe('the event to add the item to (national_items_added)'),
      field: z.string().nullable(),
    }),
  ),
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
  referralsReceived: z.object({ total: z.number().int(), byRoute: z.record(z.string(), z.number().int()) }),
  firstSeen: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
  files: z.array(z.string()),
});
const codeLists = z.object({
  lists: z.record(z.string(), z.array(z.object({ code: z.string(), label: z.string(), confirmed: z.boolean() }))),
});

type Deps = { store: HistoryModels & Pick<Store, 'codes'> } & Pick<ApiContext, 'clock' | 'audit'>;

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
    cwtReturn: {
      method: 'get',
      path: '/api/returns/cwt',
      summary:
        'The monthly CWT submission: counts, files and the validation work list; with `file`, that file as CSV (tracker)',
      allow: 'returns',
      scope: 'trust',
      query: cwtReturnQuery,
      ok: { status: 200, description: "the month's return (or the file asked for, text/csv)", schema: cwtReturn },
      errors: [400, 401, 403, 404, 422],
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
  ({ store, clock, audit }: Deps) => {
    // The queue of returns being built: each waits for the one before.
    let building: Promise<unknown> = Promise.resolve();
    const oneAtATime = <T>(work: () => Generator<void, T>): Promise<T> => {
      const built = building.then(() => runGivingWay(work()));
      building = built.catch(() => {});
      return built;
    };
    return {
      codeLists: () => codeListsAnswer(store),
      cwtReturn: async ({ req, caller, query, res }) => {
        const now = instantOf(clock.now());
        const asAt = query.asAt === undefined ? now : instantOf(new Date(query.asAt));
        if (asAt > now) throw new AppError('invalid_return', `asAt: ${query.asAt} is in the future`, 'asAt');
        const problem = periodProblem(query.period, asAt);
        if (problem) throw new AppError('invalid_return', `period: ${problem}`, 'period');
        const extract = await oneAtATime(() => cwtExtractSlices(store, query.period, asAt));
        const files = cwtFiles(extract);
        const generated = { return: 'cwt', period: query.period, asAt };
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
          files: files.map(([name]) => name),
          workList: extract.heldBack.flatMap((r) =>
            r.problems.map((p) => ({
              pathwayId: r.pathwayId,
              nhsNumber: r.values.nhsNumber,
              record: recordName(r),
              recordDate: r.date,
              element: extract.columns.find((c) => c.item === p.item)?.element ?? p.item,
              item: p.item,
              problem: p.problem,
              eventId: p.fix?.event ?? null,
              field: p.fix?.field ?? null,
            })),
          ),
        };
      },
      canptlReturn: async ({ req, caller, query, res }) => {
        const problem = weekEndingProblem(query.weekEnding, clock.now());
        if (problem) throw new AppError('invalid_return', `weekEnding: ${problem}`, 'weekEnding');
        const canptl = await oneAtATime(() => canptlSlices(store, query.weekEnding));
        const files = canptlFiles(canptl);
        const generated = { return: 'canptl', weekEnding: query.weekEnding };
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
        return { ...canptlTotals(canptl), files: files.map(([name]) => name) };
      },
    };
  },
);

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
  return { lists };
}
