// The inbox over HTTP and /live: listing, accepting (one, edited, in bulk), rejecting, searching
// kept messages, the clinics' rules, and the live count in what the hub pushes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import type { Store } from '../../src/store/store.ts';
import type { Db } from '../../src/store/db.ts';
import { tempStore } from '../support/store.ts';
import { serveForTest, type TestServer } from '../support/server.ts';
import { hl7, type MessageSpec } from '../support/hl7.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

const NHS = '9434765919';
let server: TestServer;
let store: Store;
let commands: PathwayCommands;
let sql: Db;
let feed: Hl7Feed;

beforeAll(async () => {
  ({ store, commands, sql } = tempStore('2026-11-24T10:00:00Z'));
  for (const [id, nhsNumber] of [
    ['P1', NHS],
    ['P2', '9990000018'],
    ['P3', '9990000026'],
  ]) {
    commands.append(
      id!,
      0,
      {
        type: 'referral_received',
        on: '2026-11-02',
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber,
        patientName: 'Pat Test',
        dateOfBirth: '1960-01-01',
      },
      { actor: 'user:setup' },
    );
  }
  feed = new Hl7Feed(store, commands, store.clock);
  server = await serveForTest(store, ['viewer', 'steward', 'tracker', 'admin'], {
    hub: { coalesceMs: 5, rolloverCheckMs: 50 },
  });
});
afterAll(async () => server.running.close());

const call: TestServer['call'] = (...args) => server.call(...args);

const send = (spec: MessageSpec) => feed.receive(hl7({ local: null, ...spec }));
type Entry = {
  proposalId: number;
  pathwayId: string;
  event: Record<string, unknown>;
  refusal: string | null;
  pathway: { version: number; nhsNumber: string };
};
const inbox = async () => (await call('GET', '/api/inbox', 'steward')).body as { open: number; proposals: Entry[] };

describe('the inbox over HTTP', () => {
  it('lists open proposals with their message and pathway; trackers accept them (edited or not), and the event carries its message', async () => {
    send({ type: 'SIU^S12', id: 'M1', start: '202611301000' });
    send({ type: 'ADT^A04', id: 'M2', nhs: '9990000018', arrived: '202611231000', clinic: 'DERM1' });
    const listed = await inbox();
    expect(listed.open).toBe(2);
    expect(listed.proposals[0]).toMatchObject({
      pathwayId: 'P1',
      status: 'proposed',
      event: { type: 'appointment_booked', appointmentOn: '2026-11-30' },
      message: { messageType: 'SIU^S12', controlId: 'M1', sendingApplication: 'PAS' },
      pathway: { version: 1, stage: 'awaiting_triage', nhsNumber: NHS },
    });
    const [booking, arrival] = listed.proposals;

    expect((await call('POST', `/api/inbox/${booking!.proposalId}/accept`, 'steward', {})).status).toBe(403);
    expect((await call('GET', '/api/inbox', 'viewer')).status).toBe(403); // a viewer sees counts only
    const accepted = await call('POST', `/api/inbox/${booking!.proposalId}/accept`, 'tracker', {
      expectedVersion: 1,
      event: { ...booking!.event, appointment: 'subsequent' },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({
      proposal: { status: 'accepted', decidedBy: 'user:tracker' },
      result: { pathwayId: 'P1', version: 2 },
    });
    const pathway = (await call('GET', '/api/pathways/P1', 'steward')).body;
    expect(pathway.events[1]).toMatchObject({
      actor: 'user:tracker',
      event: { type: 'appointment_booked', appointment: 'subsequent' },
      source: { feed: 'hl7', messageControlId: 'M1', sendingApplication: 'PAS', sendingFacility: 'RAJ' },
    });
    expect(pathway.events[0].source).toBeUndefined();
    expect(pathway.patient).toEqual({
      nhsNumber: NHS,
      name: 'Pat Test',
      dateOfBirth: '1960-01-01',
      localPatientId: null,
    });
    expect((await call('POST', `/api/inbox/${booking!.proposalId}/accept`, 'tracker', {})).body).toMatchObject({
      error: 'proposal_decided',
    });

    // A stale version is refused (409) and the proposal stays open with the reason.
    const stale = await call('POST', `/api/inbox/${arrival!.proposalId}/accept`, 'tracker', { expectedVersion: 0 });
    expect([stale.status, stale.body.error]).toEqual([409, 'stale_version']);
    expect((await inbox()).proposals).toMatchObject([
      {
        proposalId: arrival!.proposalId,
        refusal: expect.stringMatching(/^expected version 0 but the pathway is at version 1/),
      },
    ]);
  });

  it('refuses bad requests naming the field, and changes nothing', async () => {
    const {
      proposals: [open],
    } = await inbox();
    const before = sql
      .prepare('SELECT (SELECT count(*) FROM events) || (SELECT group_concat(status) FROM inbox_proposals)')
      .pluck()
      .get();
    const cases: [string, string, unknown, number, object][] = [
      ['POST', '/api/inbox/abc/accept', {}, 400, { field: 'path.id' }],
      ['POST', '/api/inbox/999/accept', {}, 404, { error: 'unknown_proposal' }],
      [
        'POST',
        `/api/inbox/${open!.proposalId}/accept`,
        { event: { type: 'dna', on: '2026-11-23', appointment: 'first' } },
        400,
        { field: 'event.type' },
      ],
      [
        'POST',
        `/api/inbox/${open!.proposalId}/accept`,
        { event: { ...open!.event, on: '2026-11-31' } },
        400,
        { error: 'invalid_event', field: 'on' },
      ],
      ['POST', `/api/inbox/${open!.proposalId}/accept`, { note: 'x' }, 400, { field: 'body.note' }],
      ['POST', `/api/inbox/${open!.proposalId}/reject`, { reason: ' ' }, 400, { field: 'body.reason' }],
      ['POST', '/api/inbox/accept', { ids: [] }, 400, { field: 'body.ids' }],
      ['GET', '/api/inbox/messages?nhsNumber=123', undefined, 400, { field: 'query.nhsNumber' }],
      ['GET', '/api/inbox?limit=0', undefined, 400, { field: 'query.limit' }],
    ];
    for (const [method, path, body, status, expected] of cases) {
      const r = await call(method, path, 'tracker', body);
      expect([path, r.status]).toEqual([path, status]);
      expect(r.body).toMatchObject(expected);
    }
    expect(
      sql
        .prepare('SELECT (SELECT count(*) FROM events) || (SELECT group_concat(status) FROM inbox_proposals)')
        .pluck()
        .get(),
    ).toBe(before);
  });

  it('rejects with a reason, accepts in bulk (each on its own), and finds kept messages', async () => {
    send({ type: 'SIU^S26', id: 'M3', nhs: '9990000026', start: '202611200900' });
    send({ type: 'SIU^S12', id: 'M4', nhs: '9990000026', start: '202612011000' });
    const [arrival, dna, booking] = (await inbox()).proposals;
    const rejected = await call('POST', `/api/inbox/${booking!.proposalId}/reject`, 'tracker', {
      reason: 'a dermatology follow-up, not this pathway',
    });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      reason: 'a dermatology follow-up, not this pathway',
      decidedBy: 'user:tracker',
    });
    const bulk = await call('POST', '/api/inbox/accept', 'tracker', {
      ids: [arrival!.proposalId, dna!.proposalId, booking!.proposalId],
    });
    // issue #28: a missed appointment with no booking on its day is not accepted as guessed
    expect(bulk.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'refused', 'refused']);
    expect(bulk.body.results[1].error).toMatchObject({ error: 'needs_appointment' });
    expect(bulk.body.results[2].error).toMatchObject({ error: 'proposal_decided' });
    const said = await call('POST', `/api/inbox/${dna!.proposalId}/accept`, 'tracker', {
      event: { ...dna!.event, appointment: 'subsequent' },
    });
    expect(said.status, JSON.stringify(said.body)).toBe(201);
    expect((await inbox()).open).toBe(0);
    send({ type: 'SIU^S12', id: 'M5', nhs: '9990000034' }); // no open pathway
    // The kept messages (mostly patients with no cancer pathway) are for trackers and admins only.
    for (const role of ['viewer', 'steward'] as const)
      expect((await call('GET', '/api/inbox/messages?nhsNumber=999%20000%200034', role)).status, role).toBe(403);
    const found = await call('GET', '/api/inbox/messages?nhsNumber=999%20000%200034', 'tracker');
    expect(found.body.messages).toMatchObject([
      { controlId: 'M5', outcome: 'kept', messageType: 'SIU^S12', raw: expect.stringMatching(/^MSH\|/) },
    ]);
    const bytype = await call(
      'GET',
      `/api/inbox/messages?messageType=${encodeURIComponent('SIU^S12')}&limit=2`,
      'tracker',
    );
    expect([
      bytype.body.messages.map((m: { controlId: string }) => m.controlId),
      typeof bytype.body.nextBefore,
    ]).toEqual([['M5', 'M4'], 'number']);
    // Both show patients' details: each search is in the access log with what was asked, and the
    // patients its messages named (by NHS number, issue #25): who looked this patient up is answerable.
    store.access.flush();
    const searches = store.access
      .query({ action: 'messages_searched' })
      .entries.map((e) => e.detail)
      .reverse();
    expect(searches).toMatchObject([
      { filters: { nhsNumber: '9990000034' }, page: 'first', messages: 1 },
      { filters: { messageType: 'SIU^S12' }, page: 'first', messages: 2 },
    ]);
    expect(store.access.query({ subjects: ['#9990000034'] }).entries.map((e) => [e.action, e.actor])).toEqual([
      ['messages_searched', 'user:tracker'],
      ['messages_searched', 'user:tracker'],
    ]);
    expect(store.access.query({ action: 'inbox_viewed' }).entries.length).toBeGreaterThan(0);
  });

  it('lets admins set and remove a clinic rule', async () => {
    expect(
      (await call('POST', '/api/inbox/rules', 'tracker', { clinic: 'CLIN1', autoAcceptBookings: true })).status,
    ).toBe(403);
    expect(
      (await call('POST', '/api/inbox/rules', 'admin', { clinic: 'CLIN 1', autoAcceptBookings: true })).body,
    ).toMatchObject({ field: 'body.clinic' });
    expect(
      (await call('POST', '/api/inbox/rules', 'admin', { clinic: 'CLIN1', autoAcceptBookings: true })).body,
    ).toEqual({ clinic: 'CLIN1', autoAcceptBookings: true, setBy: 'user:admin', setAt: '2026-11-24T10:00:00.000Z' });
    expect((await call('GET', '/api/inbox/rules', 'viewer')).body).toHaveLength(1);
    // Rules change what reaches pathways without a tracker: each change is in the access log (issue #25).
    store.access.flush();
    expect((await call('DELETE', '/api/inbox/rules/CLIN1', 'admin')).status).toBe(204);
    expect((await call('DELETE', '/api/inbox/rules/CLIN1', 'admin')).status).toBe(404);
    expect(
      store.access
        .query({ user: 'admin' })
        .entries.filter((e) => e.action.startsWith('inbox_rule'))
        .map((e) => [e.action, e.detail]),
    ).toMatchObject([
      ['inbox_rule_removed', { clinic: 'CLIN1' }],
      ['inbox_rule_set', { clinic: 'CLIN1', autoAcceptBookings: true }],
    ]);
  });
});

describe('the live inbox count', () => {
  it('is sent with the backlog on connect and pushed when a message proposes something', async () => {
    const messages: { type: string; inbox: number }[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${server.running.port}/live`, {
      headers: { authorization: `Bearer ${server.tokens.viewer}` },
      perMessageDeflate: false,
    });
    ws.on('message', (m) => messages.push(JSON.parse(String(m))));
    await expect.poll(() => messages.length).toBe(1);
    const before = messages[0]!.inbox;
    expect(before).toBe((await inbox()).open);
    send({ type: 'SIU^S12', id: 'L1', start: '202612021000' });
    await expect.poll(() => messages.at(-1)?.inbox).toBe(before + 1);
    expect(messages.at(-1)!.type).toBe('backlog');
    ws.close();
  });
});
