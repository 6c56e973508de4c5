// Issue #14 over HTTP: the national returns (trackers and admins), their downloads (the same bytes
// as the files written for the same moment), the 31-day PTL of treatments after the first, the
// code lists, national items added through the API, and codes from the trust's lists checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { buildCwtExtract, cwtFiles } from '../../src/returns/cwt-extract.ts';
import { tempDir } from '../support/store.ts';
import { ev, nhsNumber, record } from '../support/national.ts';
import { openStore } from '../../src/pathways/open.ts';

let running: RunningServer;
let store: Store;
const clock = fixedClock('2026-11-25T10:00:00Z');
const tokens: Record<string, string> = {};
let base = '';

beforeAll(async () => {
  store = openStore(openDb(join(tempDir(), 'returns.db')), clock);
  running = await startServer({
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    port: 0,
    hub: { coalesceMs: 5, rolloverCheckMs: 20 },
  });
  base = `http://127.0.0.1:${running.port}`;
  for (const role of ['viewer', 'steward', 'tracker', 'data_manager', 'admin'] as const) {
    store.users.add(role, role, `${role}-returns-staple`);
    tokens[role] = store.users.createToken(role);
  }
  const referral = (i: number) =>
    ev('referral_received', '2026-09-01', {
      route: 'urgent_suspected_cancer',
      tumourSite: 'lung',
      nhsNumber: nhsNumber(i),
      provider: 'RAJ',
      id: 'r',
    });
  // Treated in October, then a later treatment awaited; and one ruled out in October with items missing.
  record(
    store,
    'T',
    referral(1),
    ev('first_seen', '2026-09-03', { site: 'RAJ01' }),
    ev('diagnosis_communicated', '2026-09-20', { outcome: 'cancer_confirmed', id: 'dx' }),
    ev('decision_to_treat', '2026-09-25'),
    ev('treatment_started', '2026-10-10', { modality: 'surgery', id: 't1' }),
    ev('decision_to_treat', '2026-11-01', { id: 'd2' }),
  );
  record(
    store,
    'R',
    referral(2),
    ev('first_seen', '2026-09-05', { site: 'RAJ01' }),
    ev('diagnosis_communicated', '2026-10-05', { outcome: 'cancer_ruled_out', id: 'dx' }),
  );
});
afterAll(async () => running.close());

async function call(path: string, role?: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* a file */
  }
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: body as Record<string, unknown> & {
      workList?: { pathwayId: string; item: string; eventId: string | null; field: string | null }[];
    },
  };
}

describe('the national returns over HTTP', () => {
  it('are for trackers, data managers and admins, not viewers or stewards', async () => {
    expect((await call('/api/returns/cwt?period=2026-10')).status).toBe(401);
    for (const role of ['viewer', 'steward']) {
      expect((await call('/api/returns/cwt?period=2026-10', role)).status).toBe(403);
      expect((await call('/api/returns/canptl?weekEnding=2026-11-22', role)).status).toBe(403);
    }
    for (const role of ['admin', 'data_manager', 'tracker'])
      expect((await call('/api/returns/cwt?period=2026-10', role)).status).toBe(200);
  });
  it('answer the month with its counts, files and work list, and download each file as the files written for that moment', async () => {
    const r = await call('/api/returns/cwt?period=2026-10', 'tracker');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      period: '2026-10',
      asAt: '2026-11-25T10:00:00.000Z',
      records: 0,
      heldBack: 2,
      testNumbersLeftOut: 0,
      files: ['cwt-2026-10-part1.csv', 'cwt-2026-10-national-part1.csv', 'cwt-2026-10-validation.csv'],
    });
    expect(r.body.workList).toContainEqual(
      expect.objectContaining({
        pathwayId: 'R',
        item: 'fdsCommunicationMethod',
        eventId: 'dx',
        field: 'communicationMethod',
        element: 'CANCER FASTER DIAGNOSIS PATHWAY OUTCOME COMMUNICATION METHOD',
      }),
    );
    const expected = Object.fromEntries(cwtFiles(buildCwtExtract(store, '2026-10', '2026-11-25T10:00:00.000Z')));
    const file = await call(
      `/api/returns/cwt?period=2026-10&asAt=${encodeURIComponent('2026-11-25T10:00:00Z')}&file=cwt-2026-10-validation.csv`,
      'tracker',
    );
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename=cwt-2026-10-validation.csv');
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(file.text).toBe(expected['cwt-2026-10-validation.csv']);
    // Each answer and each download is in the access log (they hold patient data).
    expect(
      store.access
        .query({ action: 'return_generated', user: 'tracker' })
        .entries.map((e) => e.detail)
        .reverse()
        .slice(-2),
    ).toEqual([
      { via: 'token 3', return: 'cwt', period: '2026-10', asAt: '2026-11-25T10:00:00.000Z' },
      {
        via: 'token 3',
        return: 'cwt',
        period: '2026-10',
        asAt: '2026-11-25T10:00:00.000Z',
        file: 'cwt-2026-10-validation.csv',
      },
    ]);
  });
  it('refuse a bad month (400), a month not begun or a future moment (422), an unknown file (404), a week ending on another day (422)', async () => {
    expect(await call('/api/returns/cwt?period=2026-13', 'tracker')).toMatchObject({
      status: 400,
      body: { field: 'query.period' },
    });
    expect(await call('/api/returns/cwt?period=2026-12', 'tracker')).toMatchObject({
      status: 422,
      body: { error: 'invalid_return', field: 'period' },
    });
    expect(await call('/api/returns/cwt?period=2026-10&asAt=2027-01-01T00:00:00Z', 'tracker')).toMatchObject({
      status: 422,
      body: { field: 'asAt' },
    });
    expect(await call('/api/returns/cwt?period=2026-10&file=secrets.csv', 'tracker')).toMatchObject({
      status: 404,
      body: { field: 'file' },
    });
    expect(await call('/api/returns/canptl?weekEnding=2026-11-24', 'tracker')).toMatchObject({
      status: 422,
      body: {
        field: 'weekEnding',
        message:
          'weekEnding: 2026-11-24 is a Tuesday: the weekly cancer PTL is a snapshot at 23:59 on a Sunday; the Sunday before is 22 Nov 2026 (2026-11-22)',
      },
    });
  });
  it('answer the week with its totals and files', async () => {
    const r = await call('/api/returns/canptl?weekEnding=2026-11-22', 'tracker');
    expect(r.body).toMatchObject({
      weekEnding: '2026-11-22',
      open62: 0,
      files: ['canptl-2026-11-22.csv', 'canptl-2026-11-22.json', 'canptl-2026-11-22-patients.csv'],
    });
    const json = await call('/api/returns/canptl?weekEnding=2026-11-22&file=canptl-2026-11-22.json', 'tracker');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(json.text)).toMatchObject({ open62: 0 });
  });
});

describe('treatments after the first and national items over HTTP', () => {
  it('list the treatments awaited on the 31-day PTL, for stewards too', async () => {
    const r = await call('/api/ptl/subsequent', 'steward');
    expect(r.body).toMatchObject({
      asOf: '2026-11-25',
      entries: [
        {
          pathwayId: 'T',
          treatmentNumber: 2,
          decisionToTreat: '2026-11-01',
          start: '2026-11-01',
          daysWaiting: 24,
          breachDate: '2026-12-03',
          breached: false,
        },
      ],
      nextCursor: null,
    });
    expect((await call('/api/pathways/T', 'steward')).body).toMatchObject({
      stage: 'awaiting_subsequent_treatment',
      status: 'closed',
      clocks: { subsequent: [{ state: 'running', days: 24 }] },
    });
  });
  it("serve the code lists with their labels, the trust's included", async () => {
    const { lists } = (await call('/api/code-lists', 'viewer')).body as unknown as {
      lists: Record<string, { code: string; label: string; confirmed: boolean }[]>;
    };
    expect(lists.care_setting![0]).toEqual({ code: '01', label: 'Admitted, ordinary admission', confirmed: true });
    expect(lists.delay_reason!.find((c) => c.code === '98')).toEqual({
      code: '98',
      label: 'Other (comment required)',
      confirmed: false,
    });
  });
  it('correct a code of a trust list (an admin: its label, its confirmation), keeping the rest of it; refuse anything else, changing nothing (#28)', async () => {
    const patch = (path: string, role: string, body: object) =>
      call(path, role, { method: 'PATCH', body: JSON.stringify(body) });
    const before = (await call('/api/code-lists', 'viewer')).body as unknown as {
      lists: Record<string, { code: string; label: string; confirmed: boolean }[]>;
      trustLists: string[];
    };
    expect(before.trustLists).toContain('delay_reason');
    expect(before.trustLists).not.toContain('care_setting'); // national: not the trust's to change
    const done = await patch('/api/code-lists/delay_reason/98', 'admin', { confirmed: true });
    expect([done.status, done.body]).toEqual([
      200,
      {
        list: 'delay_reason',
        code: '98',
        label: 'Other (comment required)',
        maps: null,
        confirmed: true,
        commentRequired: true,
      },
    ]);
    for (const [path, role, body, status, field] of [
      ['/api/code-lists/delay_reason/98', 'tracker', { confirmed: false }, 403, undefined],
      ['/api/code-lists/delay_reason/97', 'admin', { confirmed: true }, 404, 'code'],
      ['/api/code-lists/care_setting/01', 'admin', { confirmed: true }, 400, 'path.list'],
      ['/api/code-lists/delay_reason/98', 'admin', { label: '  ' }, 400, 'body.label'],
      ['/api/code-lists/delay_reason/98', 'admin', {}, 400, undefined],
    ] as const) {
      const r = await patch(path, role, body);
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      if (field) expect(r.body.field).toBe(field);
    }
    const after = (await call('/api/code-lists', 'viewer')).body as unknown as typeof before;
    expect(after.lists.delay_reason!.find((c) => c.code === '98')).toEqual({
      code: '98',
      label: 'Other (comment required)',
      confirmed: true,
    });
  });
  it("take national items for an earlier event, which put the record right; refuse a code not in the trust's list, or a reason needing a comment without one", async () => {
    const version = (await call('/api/pathways/R', 'tracker')).body.version as number;
    const r0 = await call('/api/returns/cwt?period=2026-10', 'tracker');
    const post = (event: object, v = version) =>
      call('/api/pathways/R/events', 'tracker', {
        method: 'POST',
        body: JSON.stringify({ expectedVersion: v, event }),
      });
    expect(
      await post({ type: 'national_items_added', on: '2026-11-25', target: 'dx', delayReason: '42' }),
    ).toMatchObject({
      status: 400,
      body: { field: 'delayReason', message: expect.stringContaining("42 is not in the trust's delay reason list") },
    });
    expect(
      await post({ type: 'national_items_added', on: '2026-11-25', target: 'dx', delayReason: '98' }),
    ).toMatchObject({
      status: 400,
      body: {
        field: 'delayComment',
        message: 'delayComment: is needed with delay reason 98 (Other (comment required))',
      },
    });
    expect(
      await post({ type: 'national_items_added', on: '2026-11-25', target: 'dx', careSetting: '01' }),
    ).toMatchObject({ status: 422, body: { field: 'careSetting' } });
    expect(
      await post({
        type: 'national_items_added',
        on: '2026-11-25',
        target: 'dx',
        communicationMethod: '02',
        informedBy: '02',
      }),
    ).toMatchObject({ status: 201, body: { stage: 'cancer_ruled_out' } });
    const after = await call('/api/returns/cwt?period=2026-10', 'tracker');
    const before = r0.body.workList!.filter((w) => w.pathwayId === 'R').map((w) => w.item);
    expect(before).toEqual(expect.arrayContaining(['fdsCommunicationMethod', 'fdsInformedBy']));
    expect(after.body.workList!.filter((w) => w.pathwayId === 'R').map((w) => w.item)).toEqual(
      before.filter((i) => i !== 'fdsCommunicationMethod' && i !== 'fdsInformedBy'),
    );
  });
});

describe('the work list grouped, a group fixed at once, and a preview with test numbers (issue #24)', () => {
  type Group = { group: string; count: number; bulkField: string | null; label: string };
  type Entry = {
    pathwayId: string;
    group: string;
    eventId: string | null;
    patientName: string | null;
    provider: string | null;
    tumourSite: string;
    recordType: string;
  };
  const workOf = async (query = '') => {
    const r = await call(`/api/returns/cwt?period=2026-10${query}`, 'tracker');
    return r.body as unknown as { groups: Group[]; workList: Entry[]; preview: boolean } & Record<string, unknown>;
  };
  const fix = (body: object) =>
    call('/api/returns/cwt/fixes', 'tracker', { method: 'POST', body: JSON.stringify(body) });

  it('groups the problems by kind, with counts, who each record is about, and which groups one value may fix', async () => {
    const { groups, workList } = await workOf();
    const status = groups.find((g) => g.group === 'nhsNumberStatus:missing')!;
    expect(status).toMatchObject({
      count: 2,
      bulkField: 'nhsNumberStatus',
      label: 'NHS NUMBER STATUS INDICATOR CODE: missing',
    });
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(workList.length);
    expect(groups.find((g) => g.group === 'primaryDiagnosis:missing')?.bulkField).toBeNull(); // one value does not fit all
    expect(workList.find((w) => w.pathwayId === 'T' && w.group === 'nhsNumberStatus:missing')).toMatchObject({
      provider: 'RAJ',
      tumourSite: 'lung',
      recordType: 'first_treatment',
      eventId: 'r',
    });
  });

  it('fixes a whole group, one national_items_added per pathway with its actor, or refuses it all and writes nothing', async () => {
    const version = async (id: string) => (await call(`/api/pathways/${id}`, 'tracker')).body.version as number;
    const [t, r] = [await version('T'), await version('R')];
    expect(
      await fix({
        field: 'nhsNumberStatus',
        value: '01',
        targets: [
          { pathwayId: 'T', eventId: 'r' },
          { pathwayId: 'NOPE', eventId: 'r' },
        ],
      }),
    ).toMatchObject({
      status: 404,
      body: {
        error: 'unknown_pathway',
        message: expect.stringMatching(/^targets\.1 \(pathway NOPE\): .*nothing was written$/),
      },
    });
    expect(
      await fix({ field: 'nhsNumberStatus', value: '42', targets: [{ pathwayId: 'T', eventId: 'r' }] }),
    ).toMatchObject({ status: 400, body: { field: 'nhsNumberStatus' } });
    expect(await fix({ field: 'site', value: 'RAJ01', targets: [{ pathwayId: 'T', eventId: 'r' }] })).toMatchObject({
      status: 422,
      body: { field: 'site' },
    }); // a referral carries no site
    expect([await version('T'), await version('R')]).toEqual([t, r]);
    const done = await fix({
      field: 'nhsNumberStatus',
      value: '01',
      targets: [
        { pathwayId: 'T', eventId: 'r' },
        { pathwayId: 'R', eventId: 'r' },
      ],
    });
    expect(done).toMatchObject({ status: 201, body: { written: 2 } });
    expect([await version('T'), await version('R')]).toEqual([t + 1, r + 1]);
    const added = (await call('/api/pathways/R', 'tracker')).body.events as {
      event: { type: string };
      actor: string;
    }[];
    expect(added.at(-1)).toMatchObject({
      actor: 'user:tracker',
      event: { type: 'national_items_added', on: '2026-11-25', target: 'r', nhsNumberStatus: '01' },
    });
    expect((await workOf()).groups.find((g) => g.group === 'nhsNumberStatus:missing')).toBeUndefined();
  });

  it('leaves test numbers out, and includes them in a preview marked on the answer and in every file as not for submission', async () => {
    record(
      store,
      'Z',
      ev('referral_received', '2026-09-10', {
        route: 'urgent_suspected_cancer',
        tumourSite: 'skin',
        nhsNumber: '9990000018',
        provider: 'RAJ',
      }),
      ev('first_seen', '2026-09-14'),
      ev('diagnosis_communicated', '2026-10-02', { outcome: 'cancer_ruled_out' }),
    );
    const real = await workOf();
    expect(real).toMatchObject({ preview: false, testNumbersLeftOut: 1, testNumbersIncluded: 0 });
    expect(real).not.toHaveProperty('notForSubmission');
    expect(real.workList.some((w) => w.pathwayId === 'Z')).toBe(false);
    const preview = await workOf('&preview=true');
    expect(preview).toMatchObject({
      preview: true,
      testNumbersLeftOut: 0,
      testNumbersIncluded: 1,
      notForSubmission: 'NOT FOR SUBMISSION: a preview that includes test NHS numbers (999 range)',
      files: [
        'cwt-2026-10-PREVIEW-part1.csv',
        'cwt-2026-10-PREVIEW-national-part1.csv',
        'cwt-2026-10-PREVIEW-validation.csv',
      ],
    });
    expect(preview.workList.some((w) => w.pathwayId === 'Z')).toBe(true);
    for (const f of preview.files as string[]) {
      const file = await call(`/api/returns/cwt?period=2026-10&preview=true&file=${f}`, 'tracker');
      expect(file.text.split('\r\n')[0], f).toBe(
        'NOT FOR SUBMISSION: a preview that includes test NHS numbers (999 range)',
      );
    }
    const week = await call('/api/returns/canptl?weekEnding=2026-11-22&preview=true', 'tracker');
    expect(week.body).toMatchObject({
      preview: true,
      notForSubmission: expect.stringMatching(/^NOT FOR SUBMISSION/),
      files: [
        'canptl-2026-11-22-PREVIEW.csv',
        'canptl-2026-11-22-PREVIEW.json',
        'canptl-2026-11-22-PREVIEW-patients.csv',
      ],
    });
    const json = await call(
      '/api/returns/canptl?weekEnding=2026-11-22&preview=true&file=canptl-2026-11-22-PREVIEW.json',
      'tracker',
    );
    expect(JSON.parse(json.text)).toMatchObject({ notForSubmission: expect.stringMatching(/^NOT FOR SUBMISSION/) });
  });
});
