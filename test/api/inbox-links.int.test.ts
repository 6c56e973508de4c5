// The inbox, second round (issue #28): what is booked now beside what a message proposes; a missed
// appointment with no booking on its day is not accepted as guessed; messages that matched no open
// pathway are counted and listed, and a tracker links one to a pathway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import type { Store } from '../../src/store/store.ts';
import type { Db } from '../../src/store/db.ts';
import { tempStore } from '../support/store.ts';
import { serveForTest, type TestServer } from '../support/server.ts';
import { hl7, type MessageSpec } from '../support/hl7.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

let server: TestServer;
let store: Store;
let commands: PathwayCommands;
let sql: Db;
let feed: Hl7Feed;
const referral = (nhsNumber: string) => ({
  type: 'referral_received',
  on: '2026-11-02',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber,
  patientName: 'Pat Test',
});

beforeAll(async () => {
  ({ store, commands, sql } = tempStore('2026-11-24T10:00:00Z'));
  commands.append('BOOKED', 0, referral('9434765919'), { actor: 'user:setup' });
  commands.append(
    'BOOKED',
    1,
    { type: 'appointment_booked', on: '2026-11-03', appointmentOn: '2026-11-20', appointment: 'first' },
    { actor: 'user:setup' },
  );
  commands.append('UNBOOKED', 0, referral('9990000018'), { actor: 'user:setup' });
  commands.append('LATER', 0, referral('9990000026'), { actor: 'user:setup' });
  feed = new Hl7Feed(store, commands, store.clock);
  server = await serveForTest(store, ['viewer', 'steward', 'tracker'], { hub: { coalesceMs: 5 } });
});
afterAll(async () => server.running.close());

const call: TestServer['call'] = (...args) => server.call(...args);

const send = (spec: MessageSpec) => feed.receive(hl7({ local: null, ...spec }));
const proposals = async () => (await call('GET', '/api/inbox', 'steward')).body.proposals as any[];
const counts = () =>
  sql
    .prepare(
      'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM inbox_proposals) AS proposals, (SELECT count(*) FROM inbound_message_links) AS links',
    )
    .get() as { events: number; proposals: number; links: number };

describe('what is booked now, beside what the message proposes', () => {
  it('a rebooking shows the booking it replaces; a missed appointment on the booked day is placed', async () => {
    send({ type: 'SIU^S13', id: 'R1', nhs: '9434765919', start: '202611270930' });
    send({ type: 'SIU^S26', id: 'D1', nhs: '9434765919', start: '202611200930' });
    const [rebook, dna] = (await proposals()).filter((p) => p.pathwayId === 'BOOKED');
    expect(rebook).toMatchObject({
      event: { type: 'appointment_booked', appointmentOn: '2026-11-27' },
      bookedNow: { kind: 'first_appointment', on: '2026-11-20' },
      needsAppointment: false,
    });
    expect(dna).toMatchObject({ event: { type: 'dna', on: '2026-11-20' }, needsAppointment: false });
  });

  it('a missed appointment with no booking on its day asks which appointment, and is not accepted as guessed', async () => {
    send({ type: 'SIU^S26', id: 'D2', nhs: '9990000018', start: '202611200930' });
    const dna = (await proposals()).find((p) => p.pathwayId === 'UNBOOKED');
    expect(dna).toMatchObject({ bookedNow: null, needsAppointment: true });
    const was = counts();
    const one = await call('POST', `/api/inbox/${dna.proposalId}/accept`, 'tracker', {});
    expect(one.status).toBe(422);
    expect(one.body).toMatchObject({ error: 'needs_appointment', field: 'event.appointment' });
    const bulk = await call('POST', '/api/inbox/accept', 'tracker', { ids: [dna.proposalId] });
    expect(bulk.body.results[0]).toMatchObject({ status: 'refused', error: { error: 'needs_appointment' } });
    expect(counts()).toEqual(was);
    const edited = await call('POST', `/api/inbox/${dna.proposalId}/accept`, 'tracker', {
      event: { ...dna.event, appointment: 'subsequent' },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(201);
  });
});

describe('messages that matched no open pathway', () => {
  it('are counted and listed with what they say, and a tracker links one: what it says is proposed, with its hospital number', async () => {
    send({ type: 'SIU^S12', id: 'U1', nhs: '9990000034', local: 'RAJ777', name: 'JONES^Ann', start: '202611300930' });
    send({ type: 'ADT^A08', id: 'U2', nhs: '9990000042', name: 'BROWN^Bo' });
    const listed = (await call('GET', '/api/inbox/unmatched', 'tracker')).body;
    expect(listed.count).toBe(2);
    expect(listed.messages[1]).toMatchObject({
      messageType: 'SIU^S12',
      controlId: 'U1',
      patient: { nhsNumber: '9990000034', localPatientId: 'RAJ777' },
      appointmentOn: '2026-11-30',
    });
    expect(listed.messages[1].patient.name).toMatch(/ann/i);
    const was = counts();
    const linked = await call('POST', `/api/inbox/unmatched/${listed.messages[1].messageId}/link`, 'tracker', {
      pathwayId: 'LATER',
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    expect(linked.body.proposalIds).toHaveLength(2);
    expect(counts()).toMatchObject({ events: was.events, proposals: was.proposals + 2, links: was.links + 1 });
    const later = (await proposals()).filter((p) => p.pathwayId === 'LATER').map((p) => p.event);
    expect(later).toEqual([
      expect.objectContaining({ type: 'appointment_booked', appointmentOn: '2026-11-30', appointment: 'first' }),
      expect.objectContaining({ type: 'patient_details_updated', localPatientId: 'RAJ777' }),
    ]);
    const after = (await call('GET', '/api/inbox/unmatched', 'tracker')).body;
    expect(after.count).toBe(1);
    expect(after.messages.map((m: { controlId: string }) => m.controlId)).toEqual(['U2']);
  });

  it('refuses a second link, a closed or unknown pathway, and a viewer; nothing changes', async () => {
    const [u2] = (await call('GET', '/api/inbox/unmatched', 'tracker')).body.messages;
    const first = (await call('GET', '/api/inbox/messages?controlId=U1', 'tracker')).body.messages[0];
    const was = counts();
    expect(
      (await call('POST', `/api/inbox/unmatched/${first.messageId}/link`, 'tracker', { pathwayId: 'LATER' })).body,
    ).toMatchObject({ error: 'message_linked' });
    expect(
      (await call('POST', `/api/inbox/unmatched/${u2.messageId}/link`, 'tracker', { pathwayId: 'NOPE' })).status,
    ).toBe(404);
    expect(
      (await call('POST', `/api/inbox/unmatched/${u2.messageId}/link`, 'viewer', { pathwayId: 'LATER' })).status,
    ).toBe(403);
    const matched = (await call('GET', '/api/inbox/messages?controlId=R1', 'tracker')).body.messages[0];
    expect(
      (await call('POST', `/api/inbox/unmatched/${matched.messageId}/link`, 'tracker', { pathwayId: 'LATER' })).status,
    ).toBe(404);
    expect(counts()).toEqual(was);
  });
});
