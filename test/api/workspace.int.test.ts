// The trackers' and MDT coordinators' workspace over HTTP (#15): search, duplicate referrals,
// the PTL's new columns, sorts, views and CSV, assignments, comments, MDT meetings, performance,
// kept reports, and nothing served that asks another origin for anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { buildReport } from '../../src/report/report.ts';
import { tempDir } from '../support/store.ts';
import { openStore } from '../../src/pathways/open.ts';

const clock = fixedClock('2026-11-24T10:00:00Z');
let running: RunningServer;
let store: Store;
let sql: Db;
let base = '';
const tokens: Record<string, string> = {};
const reportsDir = join(tempDir(), 'reports');

async function call(
  method: string,
  path: string,
  { role = 'tracker', body }: { role?: string | null; body?: unknown } = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* CSV, HTML */
  }
  return { status: res.status, headers: res.headers, body: json, text };
}
const referral = (on: string, nhsNumber: string, patientName: string, tumourSite = 'lung', provider = 'RAJ') => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite,
  nhsNumber,
  patientName,
  provider,
  dateOfBirth: '1950-05-01',
});
async function create(event: object) {
  const r = await call('POST', '/api/pathways', { body: event });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.pathwayId as string;
}
async function append(id: string, event: object) {
  const version = (await call('GET', `/api/pathways/${id}`, { role: 'viewer' })).body.version;
  const r = await call('POST', `/api/pathways/${id}/events`, { body: { expectedVersion: version, event } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}
const dbState = () =>
  sql
    .prepare(
      `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM assignments) AS assignments,
  (SELECT count(*) FROM mdt_patients) AS listed, (SELECT count(*) FROM mdt_meetings) AS meetings`,
    )
    .get();

// Valid NHS numbers from the 999 range.
const NHS = ['9990000018', '9990000026', '9990000034', '9990000042', '9990000050', '9990000069'];
const ids = { ann: '', bob: '', cat: '', dan: '' };

beforeAll(async () => {
  const file = join(tempDir(), 'workspace.db');
  store = openStore(openDb(file), clock);
  sql = openDb(file);
  mkdirSync(reportsDir, { recursive: true });
  running = await startServer({
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    port: 0,
    hub: { coalesceMs: 5 },
    reportsDir,
  });
  base = `http://127.0.0.1:${running.port}`;
  for (const role of ['viewer', 'tracker', 'admin'] as const) {
    // 'viewer' reads patient lists, as a steward (issue #25: a viewer now sees counts only).
    store.users.add(role, role === 'viewer' ? 'steward' : role, `${role}-mauve-kettle`);
    tokens[role] = store.users.createToken(role);
  }
  store.users.add('sam.tracker', 'tracker', 'sam-mauve-kettle');
  ids.ann = await create(referral('2026-09-01', NHS[0]!, "Ann O'Brien-Smith"));
  ids.bob = await create(referral('2026-10-20', NHS[1]!, 'Bob Jones', 'skin', 'RQ8'));
  ids.cat = await create(referral('2026-11-10', NHS[2]!, 'Cat Jones', 'lung', 'RDD'));
  ids.dan = await create(referral('2026-08-01', NHS[3]!, 'Dan Smith', 'lung'));
  await append(ids.dan, { type: 'diagnosis_communicated', on: '2026-08-20', outcome: 'cancer_ruled_out' }); // closed
});
afterAll(async () => running.close());

describe('finding a patient', () => {
  it('by NHS number with or without spaces, or by the start of words of the name, over open and closed pathways', async () => {
    const found = async (q: string) =>
      (await call('GET', `/api/search?q=${encodeURIComponent(q)}`, { role: 'viewer' })).body.results.map(
        (r: { patientName: string }) => r.patientName,
      );
    expect(await found('999 000 0018')).toEqual(["Ann O'Brien-Smith"]);
    expect(await found('9990000018')).toEqual(["Ann O'Brien-Smith"]);
    expect(await found('999-000-0018')).toEqual(["Ann O'Brien-Smith"]); // as a letter may print it (#28)
    expect(await found('jones')).toEqual(['Cat Jones', 'Bob Jones']); // latest referral first
    expect(await found('bo jo')).toEqual(['Bob Jones']);
    expect(await found('OBRIEN')).toEqual(["Ann O'Brien-Smith"]);
    expect(await found('smi')).toEqual(["Ann O'Brien-Smith", 'Dan Smith']); // open first, then closed
    const closed = (await call('GET', '/api/search?q=dan', { role: 'viewer' })).body.results[0];
    expect(closed).toMatchObject({ status: 'closed', stage: 'cancer_ruled_out', pathwayId: ids.dan });
  });
  it('refuses what is neither, naming the field', async () => {
    expect((await call('GET', '/api/search?q=999', { role: 'viewer' })).body).toMatchObject({
      error: 'invalid_request',
      field: 'q',
    });
    // A search finds a patient, it does not list them: three letters of a name at least (issue #25).
    for (const q of ['a', 'jo', 'j o n'])
      expect((await call('GET', `/api/search?q=${encodeURIComponent(q)}`, { role: 'viewer' })).body.message, q).toBe(
        'q: type an NHS number, or at least 3 letters of a name',
      );
    expect((await call('GET', '/api/search?q=jones', { role: null })).status).toBe(401);
  });
});

describe('a referral for a patient who already has an open pathway at that site', () => {
  it('is refused when the form asks for the check, naming the open pathway; added when it does not', async () => {
    const before = dbState();
    const r = await call('POST', '/api/pathways?checkDuplicates=true', {
      body: referral('2026-11-20', '999 000 0018', 'Ann Smith'),
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      error: 'possible_duplicate',
      field: 'nhsNumber',
      duplicates: [{ pathwayId: ids.ann, referralOn: '2026-09-01', stage: 'awaiting_triage' }],
    });
    expect(r.body.message).toBe('nhsNumber: this patient already has an open Lung pathway, referred 1 Sep 2026');
    expect(dbState()).toEqual(before);
    // Another tumour site, or a closed pathway, is no duplicate.
    expect(
      (
        await call('POST', '/api/pathways?checkDuplicates=true', {
          body: referral('2026-11-20', NHS[0]!, 'Ann Smith', 'skin'),
        })
      ).status,
    ).toBe(201);
    expect(
      (await call('POST', '/api/pathways?checkDuplicates=true', { body: referral('2026-11-20', NHS[3]!, 'Dan Smith') }))
        .status,
    ).toBe(201);
    // "Add anyway": without the check.
    expect((await call('POST', '/api/pathways', { body: referral('2026-11-20', NHS[0]!, 'Ann Smith') })).status).toBe(
      201,
    );
  });
});

describe('tracking comments, bookings and the next action', () => {
  it('shows the latest comment and the booking in the PTL and on the pathway, and a follow-up as the next action', async () => {
    await append(ids.bob, { type: 'triaged', on: '2026-10-21', outcome: 'outpatient' });
    await append(ids.bob, {
      type: 'appointment_booked',
      on: '2026-10-22',
      appointmentOn: '2026-11-30',
      appointment: 'first',
    });
    const p = (await call('GET', `/api/pathways/${ids.bob}`, { role: 'viewer' })).body;
    expect(p.nextAction).toEqual({ action: 'first appointment', due: '2026-11-30', kind: 'booked' });
    expect(p.booked).toEqual({ kind: 'first_appointment', on: '2026-11-30' });
    await append(ids.bob, {
      type: 'note',
      on: '2026-11-24',
      text: 'Patient asked for an earlier slot',
      followUpOn: '2026-11-26',
    });
    const row = (await call('GET', '/api/ptl?tumourSite=skin', { role: 'viewer' })).body.entries.find(
      (e: { pathwayId: string }) => e.pathwayId === ids.bob,
    );
    expect(row).toMatchObject({
      patientName: 'Bob Jones',
      nextAction: 'follow up',
      nextActionDue: '2026-11-26',
      nextActionKind: 'follow_up',
      booked: { kind: 'first_appointment', on: '2026-11-30' },
      comment: {
        text: 'Patient asked for an earlier slot',
        on: '2026-11-24',
        followUpOn: '2026-11-26',
        actor: 'user:tracker',
      },
    });
  });
  it('takes a comment on a closed pathway, and forgets a voided one', async () => {
    const added = await append(ids.dan, { type: 'note', on: '2026-11-24', text: 'Discharge letter sent to the GP' });
    expect((await call('GET', `/api/pathways/${ids.dan}`, { role: 'viewer' })).body.comment.text).toBe(
      'Discharge letter sent to the GP',
    );
    await append(ids.dan, { type: 'event_voided', on: '2026-11-24', voids: added.eventId, reason: 'wrong patient' });
    expect((await call('GET', `/api/pathways/${ids.dan}`, { role: 'viewer' })).body.comment).toBeNull();
  });
  it('lists "due today or overdue" with nextActionDueBy=today', async () => {
    const due = (await call('GET', '/api/ptl?nextActionDueBy=today&limit=500', { role: 'viewer' })).body.entries;
    expect(due.length).toBeGreaterThan(0);
    for (const e of due) expect(e.nextActionDue <= '2026-11-24').toBe(true);
    expect(due.map((e: { pathwayId: string }) => e.pathwayId)).not.toContain(ids.bob); // follow-up on 26 Nov
  });
  it('names the events that are unusual now, for the forms to confirm', async () => {
    const p = (await call('GET', `/api/pathways/${ids.cat}`, { role: 'viewer' })).body;
    expect(p.unusual).toEqual([
      { type: 'decision_to_treat', reason: expect.stringContaining('not been seen or had a test reported') },
      {
        type: 'diagnosis_communicated',
        reason: expect.stringContaining('day of referral'),
        when: { field: 'on', equals: '2026-11-10' },
      },
    ]);
  });
});

describe('the PTL as a work list', () => {
  it('sorts on every column, both ways, with each pathway once across the pages', async () => {
    for (let i = 0; i < 6; i++)
      await create(
        referral(
          `2026-11-${String(1 + i * 3).padStart(2, '0')}`,
          NHS[i]!,
          i % 2 ? `Zed ${i}` : `Amy ${i}`,
          ['lung', 'skin', 'breast'][i % 3],
          ['RAJ', 'RQ8'][i % 2],
        ),
      );
    const all = (await call('GET', '/api/ptl?limit=500', { role: 'viewer' })).body.entries as Record<string, unknown>[];
    const keyOf: Record<string, (e: Record<string, any>) => unknown> = {
      patientName: (e) => e.patientName?.toLowerCase() ?? null,
      nhsNumber: (e) => e.nhsNumber,
      tumourSite: (e) => e.tumourSite,
      provider: (e) => e.provider,
      nextActionDue: (e) => e.nextActionDue,
      bookedOn: (e) => e.booked?.on ?? null,
      breachDate: (e) => e.breachDate,
      commentOn: (e) => e.comment?.on ?? null,
    };
    for (const [sort, key] of Object.entries(keyOf)) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: Record<string, unknown>[] = [];
        let cursor = '';
        do {
          const page = (
            await call('GET', `/api/ptl?sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
              role: 'viewer',
            })
          ).body;
          seen.push(...page.entries);
          cursor = page.nextCursor ?? '';
        } while (cursor);
        expect(seen.map((e) => e.pathwayId).sort(), `${sort} ${order}`).toEqual(all.map((e) => e.pathwayId).sort());
        const keys = seen.map(key);
        const present = keys.filter((k) => k !== null) as string[];
        expect(
          keys.slice(present.length).every((k) => k === null),
          `${sort} ${order}: empty values last`,
        ).toBe(true);
        expect(present, `${sort} ${order}`).toEqual(
          [...present].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0) * (order === 'asc' ? 1 : -1)),
        );
      }
    }
  });
  it('sorts the stage in pathway order', async () => {
    const stages = (await call('GET', '/api/ptl?sort=stage&limit=500', { role: 'viewer' })).body.entries.map(
      (e: { stage: string }) => e.stage,
    );
    expect(stages.indexOf('awaiting_triage')).toBeLessThan(stages.indexOf('awaiting_first_appointment'));
  });
  it('filters on the provider in any case', async () => {
    const raj = (await call('GET', '/api/ptl?provider=raj&limit=500', { role: 'viewer' })).body.entries;
    expect(raj.length).toBeGreaterThan(0);
    expect(new Set(raj.map((e: { provider: string }) => e.provider))).toEqual(new Set(['RAJ']));
  });
  it('downloads exactly the filtered list as CSV, in the same order', async () => {
    const filters = 'tumourSite=lung&sort=patientName';
    const listed = (await call('GET', `/api/ptl?${filters}&limit=500`, { role: 'viewer' })).body.entries.map(
      (e: { pathwayId: string }) => e.pathwayId,
    );
    const csv = await call('GET', `/api/ptl/csv?${filters}`, { role: 'viewer' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename=ptl-2026-11-24.csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Patient name,NHS number,Date of birth,Tumour site,Stage,Provider,Days waiting,Breach date,FDS days,FDS due,Next action,Due,Next milestone,Milestone due,Milestone status,Booked,Latest comment,Comment date,Tracker,Needs review,Breach risk,Pathway id',
    );
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(listed);
    expect(lines[1]).toMatch(/^Amy \d,999\d{7},1 May 1950,Lung,Awaiting triage,RAJ,\d+,\d+ \w{3} \d{4},/);
    expect((await call('GET', '/api/ptl/csv?cursor=x', { role: 'viewer' })).status).toBe(400);
  });
});

describe('assigning pathways to a tracker', () => {
  it('assigns in bulk, filters "my patients", and refuses an unknown tracker or pathway, changing nothing', async () => {
    const r = await call('POST', '/api/assignments', {
      body: { pathwayIds: [ids.ann, ids.cat], assignee: 'sam.tracker' },
    });
    expect(r.body).toEqual({ assigned: 2, assignee: 'sam.tracker' });
    const mine = (await call('GET', '/api/ptl?assignee=sam.tracker', { role: 'viewer' })).body.entries;
    expect(mine.map((e: { pathwayId: string }) => e.pathwayId).sort()).toEqual([ids.ann, ids.cat].sort());
    expect(mine[0].assignee).toBe('sam.tracker');
    expect((await call('GET', `/api/pathways/${ids.cat}`, { role: 'viewer' })).body.assignee).toBe('sam.tracker');
    const before = dbState();
    expect(
      (await call('POST', '/api/assignments', { body: { pathwayIds: [ids.bob], assignee: 'viewer' } })).body,
    ).toMatchObject({ field: 'assignee' });
    expect(
      (await call('POST', '/api/assignments', { body: { pathwayIds: [ids.bob, 'nope'], assignee: 'tracker' } })).status,
    ).toBe(404);
    expect(
      (await call('POST', '/api/assignments', { role: 'viewer', body: { pathwayIds: [ids.bob], assignee: 'tracker' } }))
        .status,
    ).toBe(403);
    expect(dbState()).toEqual(before);
    expect((await call('GET', '/api/assignees', { role: 'viewer' })).body.assignees).toEqual([
      'admin',
      'sam.tracker',
      'tracker',
    ]);
    await call('POST', '/api/assignments', { body: { pathwayIds: [ids.cat], assignee: null } });
    expect((await call('GET', '/api/ptl?assignee=sam.tracker', { role: 'viewer' })).body.entries).toHaveLength(1);
  });
});

describe('MDT meetings', () => {
  let meetingId = 0;
  it('lists patients with tests reported and no MDT since, by tumour site', async () => {
    await append(ids.ann, { type: 'first_seen', on: '2026-09-05' });
    await append(ids.ann, { type: 'test_reported', on: '2026-11-18', test: 'CT chest' });
    await append(ids.cat, { type: 'test_reported', on: '2026-11-20', test: 'CT chest' });
    const awaiting = (await call('GET', '/api/mdt/awaiting?tumourSite=lung', { role: 'viewer' })).body.entries;
    expect(
      awaiting.map((e: { pathwayId: string; testsReportedSince: string }) => [e.pathwayId, e.testsReportedSince]),
    ).toEqual([
      [ids.ann, '2026-11-18'],
      [ids.cat, '2026-11-20'],
    ]);
    expect((await call('GET', '/api/mdt/awaiting?tumourSite=skin', { role: 'viewer' })).body.entries).toEqual([]);
  });
  it('sets up a meeting, lists patients, and records each outcome as mdt_discussed on the meeting day', async () => {
    const m = await call('POST', '/api/mdt/meetings', {
      body: { tumourSite: 'lung', meetsOn: '2026-11-24', name: 'Lung MDT' },
    });
    expect(m.status).toBe(201);
    meetingId = m.body.meetingId;
    expect(
      (
        await call('POST', `/api/mdt/meetings/${meetingId}/patients`, {
          body: { pathwayIds: [ids.ann, ids.cat, ids.ann] },
        })
      ).body,
    ).toMatchObject({ added: 2, meeting: { patients: 2 } });
    const awaiting = (await call('GET', '/api/mdt/awaiting?tumourSite=lung', { role: 'viewer' })).body.entries;
    expect(awaiting[0].listedFor).toEqual([expect.objectContaining({ meetingId, name: 'Lung MDT' })]);
    const detail = (await call('GET', `/api/mdt/meetings/${meetingId}`, { role: 'viewer' })).body;
    expect(detail.patients.map((p: { patientName: string; outcome: unknown }) => [p.patientName, p.outcome])).toEqual([
      ["Ann O'Brien-Smith", null],
      ['Cat Jones', null],
    ]);
    const ann = detail.patients[0];
    const saved = await call('POST', `/api/mdt/meetings/${meetingId}/outcomes`, {
      body: {
        pathwayId: ids.ann,
        expectedVersion: ann.version,
        decision: 'treatment_plan_agreed',
        comment: 'For lobectomy',
      },
    });
    expect(saved.status).toBe(201);
    expect(saved.body.stage).toBe('discussed_at_mdt');
    const events = (await call('GET', `/api/pathways/${ids.ann}`, { role: 'viewer' })).body.events;
    expect(events.at(-1).event).toEqual({
      type: 'mdt_discussed',
      on: '2026-11-24',
      decision: 'treatment_plan_agreed',
      meetingId,
      outcome: 'For lobectomy',
      id: saved.body.eventId,
    });
    const after = (await call('GET', `/api/mdt/meetings/${meetingId}`, { role: 'viewer' })).body.patients[0];
    expect(after.outcome).toEqual({
      decision: 'treatment_plan_agreed',
      comment: 'For lobectomy',
      eventId: saved.body.eventId,
      // issue #28: nothing more was recorded
      stage: null,
      histology: null,
      leadClinician: null,
      attendees: null,
      referredToSite: null,
    });
    expect(after.allowedEvents).toContain('decision_to_treat');
    expect(
      (await call('GET', '/api/mdt/awaiting?tumourSite=lung', { role: 'viewer' })).body.entries.map(
        (e: { pathwayId: string }) => e.pathwayId,
      ),
    ).toEqual([ids.cat]);
  });
  it('refuses a second outcome, an unlisted patient and a meeting still to come, changing nothing', async () => {
    const before = dbState();
    const ann = (await call('GET', `/api/pathways/${ids.ann}`, { role: 'viewer' })).body;
    const again = await call('POST', `/api/mdt/meetings/${meetingId}/outcomes`, {
      body: { pathwayId: ids.ann, expectedVersion: ann.version, decision: 'discharge' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'mdt_outcome_recorded', field: 'decision' });
    expect(
      (
        await call('POST', `/api/mdt/meetings/${meetingId}/outcomes`, {
          body: { pathwayId: ids.bob, expectedVersion: 1, decision: 'discharge' },
        })
      ).status,
    ).toBe(404);
    const future = (
      await call('POST', '/api/mdt/meetings', { body: { tumourSite: 'lung', meetsOn: '2026-12-01', name: 'Lung MDT' } })
    ).body.meetingId;
    await call('POST', `/api/mdt/meetings/${future}/patients`, { body: { pathwayIds: [ids.cat] } });
    const cat = (await call('GET', `/api/pathways/${ids.cat}`, { role: 'viewer' })).body;
    const early = await call('POST', `/api/mdt/meetings/${future}/outcomes`, {
      body: { pathwayId: ids.cat, expectedVersion: cat.version, decision: 'further_tests' },
    });
    expect([early.status, early.body.message]).toEqual([
      422,
      'decision: the meeting is on 1 Dec 2026; record its outcomes on or after that day',
    ]);
    expect((await call('GET', '/api/mdt/meetings/999', { role: 'viewer' })).status).toBe(404);
    expect(
      (
        await call('POST', `/api/mdt/meetings/${meetingId}/outcomes`, {
          body: { pathwayId: ids.cat, expectedVersion: cat.version, decision: 'maybe' },
        })
      ).status,
    ).toBe(400);
    const { events } = dbState() as { events: number };
    expect(events).toBe((before as { events: number }).events);
    expect(
      (await call('GET', `/api/pathways/${ids.cat}`, { role: 'viewer' })).body.mdtMeetings.map(
        (x: { meetingId: number }) => x.meetingId,
      ),
    ).toEqual([meetingId, future]);
    expect(
      (await call('GET', '/api/mdt/meetings?from=2026-11-24', { role: 'viewer' })).body.meetings.map(
        (x: { meetingId: number }) => x.meetingId,
      ),
    ).toEqual([meetingId, future]);
    expect((await call('DELETE', `/api/mdt/meetings/${future}/patients/${ids.cat}`)).status).toBe(204);
    expect((await call('DELETE', `/api/mdt/meetings/${future}/patients/${ids.cat}`)).status).toBe(404);
  });
  it('shows no outcome once the mdt_discussed event is voided', async () => {
    const outcome = (await call('GET', `/api/mdt/meetings/${meetingId}`, { role: 'viewer' })).body.patients[0].outcome;
    await append(ids.ann, {
      type: 'event_voided',
      on: '2026-11-24',
      voids: outcome.eventId,
      reason: 'recorded for the wrong patient',
    });
    expect(
      (await call('GET', `/api/mdt/meetings/${meetingId}`, { role: 'viewer' })).body.patients[0].outcome,
    ).toBeNull();
  });
});

describe("the steward's view", () => {
  it('counts the backlog by provider and offers the providers present', async () => {
    const backlog = (await call('GET', '/api/backlog', { role: 'viewer' })).body;
    expect(Object.keys(backlog.byProvider).sort()).toEqual(['RAJ', 'RDD', 'RQ8']);
    const sum = Object.values(backlog.byProvider as Record<string, { open: number }>).reduce((n, g) => n + g.open, 0);
    expect(sum).toBe(backlog.open);
    const vocab = (await call('GET', '/api/vocabulary', { role: 'viewer' })).body;
    expect(vocab.providers).toEqual(['RAJ', 'RDD', 'RQ8']);
    expect(vocab.labels.stages.awaiting_triage).toBe('Awaiting triage');
    expect(vocab.labels.events.note).toBe('Tracking comment');
  });
  it('gives performance as the nightly report counts it', async () => {
    expect((await call('GET', '/api/performance', { role: 'viewer' })).body).toEqual(
      JSON.parse(JSON.stringify(buildReport(store, '2026-11-24').performance)),
    );
  });
  it('lists the kept nightly reports, newest first, and serves them to a signed-in user only', async () => {
    for (const name of [
      'report-2026-11-22.html',
      'report-2026-11-23.html',
      'report-2026-11-23.csv',
      'report-2026-11-23-RAJ.html',
      'notes.txt',
    ])
      writeFileSync(join(reportsDir, name), `<p>${name}</p>`);
    expect((await call('GET', '/api/reports', { role: 'viewer' })).body.reports).toEqual([
      { date: '2026-11-23', files: ['report-2026-11-23-RAJ.html', 'report-2026-11-23.csv', 'report-2026-11-23.html'] },
      { date: '2026-11-22', files: ['report-2026-11-22.html'] },
    ]);
    const file = await call('GET', '/api/reports/report-2026-11-23.html', { role: 'viewer' });
    expect([file.status, file.text, file.headers.get('cache-control')]).toEqual([
      200,
      '<p>report-2026-11-23.html</p>',
      'no-store',
    ]);
    expect((await call('GET', '/api/reports/report-2026-11-23.html', { role: null })).status).toBe(401);
    expect((await call('GET', '/api/reports/notes.txt', { role: 'viewer' })).status).toBe(400);
    expect((await call('GET', '/api/reports/report-2026-11-21.html', { role: 'viewer' })).status).toBe(404);
    expect((await call('GET', '/api/reports/..%2Fworkspace.db', { role: 'viewer' })).status).toBe(400);
  });
});

describe('nothing asks another origin', () => {
  it('serves the design system without its web font and with its icons', async () => {
    const css = await call('GET', '/vendor/nhsuk/nhsuk-frontend.min.css', { role: null });
    expect(css.status).toBe(200);
    expect(css.text).toContain('.nhsuk-header');
    expect(css.text).not.toMatch(/url\(["']?https?:/);
    expect(css.text).not.toContain('assets.nhs.uk');
    expect((await call('GET', '/assets/images/nhsuk-icon-arrow-down.svg', { role: null })).status).toBe(200);
  });
});

describe('correcting the referral (issue #28)', () => {
  it('moves the clocks in the append answer, the PTL row and the page, and keeps the referral as first recorded', async () => {
    const id = await create(referral('2026-10-01', NHS[4]!, 'Eve Corrected', 'skin'));
    await append(id, { type: 'first_seen', on: '2026-10-10' });
    const before = (await call('GET', `/api/pathways/${id}`, { role: 'viewer' })).body;
    expect(before.clocks.d62).toMatchObject({ start: '2026-10-01', days: 54 });
    const answer = await append(id, {
      type: 'referral_corrected',
      on: '2026-11-24',
      reason: 'the GP letter was dated 28 September',
      receivedOn: '2026-09-28',
      tumourSite: 'lung',
    });
    expect(answer.clocks.d62).toMatchObject({ start: '2026-09-28', days: 57 });
    expect(answer.clocks.fds).toMatchObject({ start: '2026-09-28', days: 57, breached: true });
    const page = (await call('GET', `/api/pathways/${id}`, { role: 'viewer' })).body;
    expect(page).toMatchObject({ tumourSite: 'lung', clocks: { d62: { start: '2026-09-28' } } });
    expect(page.events.map((e: { event: { type: string; on: string } }) => [e.event.type, e.event.on])).toEqual([
      ['referral_received', '2026-10-01'],
      ['first_seen', '2026-10-10'],
      ['referral_corrected', '2026-11-24'],
    ]);
    const row = (await call('GET', '/api/ptl?tumourSite=lung&limit=500', { role: 'viewer' })).body.entries.find(
      (e: { pathwayId: string }) => e.pathwayId === id,
    );
    expect(row).toMatchObject({ referralOn: '2026-09-28', clockStart: '2026-09-28', daysWaiting: 57 });
    const skin = (await call('GET', '/api/ptl?tumourSite=skin&limit=500', { role: 'viewer' })).body.entries;
    expect(skin.map((e: { pathwayId: string }) => e.pathwayId)).not.toContain(id);
  });

  it('refuses a corrected date after the first seen, naming the field, and changes nothing', async () => {
    const id = await create(referral('2026-10-01', NHS[5]!, 'Fay Refused', 'skin'));
    await append(id, { type: 'first_seen', on: '2026-10-10' });
    const was = dbState();
    const r = await call('POST', `/api/pathways/${id}/events`, {
      body: {
        expectedVersion: 2,
        event: { type: 'referral_corrected', on: '2026-11-24', reason: 'typo', receivedOn: '2026-10-11' },
      },
    });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ field: 'receivedOn' });
    expect(r.body.message ?? r.body.error).toMatch(/after the first seen/);
    expect(dbState()).toEqual(was);
  });
});
