// The MDT, second round (issue #28): an outcome records the stage and histology in words, the lead
// clinician and attendees, and "refer to another site" names the site; a patient not discussed is
// deferred to another meeting, and nothing is recorded on the pathway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { tempStore } from '../support/store.ts';
import { serveForTest, type TestServer } from '../support/server.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

let server: TestServer;
let store: Store;
let commands: PathwayCommands;
const meetings = { held: 0, next: 0 };

beforeAll(async () => {
  ({ store, commands } = tempStore('2026-11-24T10:00:00Z'));
  for (const [id, nhsNumber] of [
    ['A', '9434765919'],
    ['B', '9990000018'],
  ] as const)
    commands.append(
      id,
      0,
      { type: 'referral_received', on: '2026-11-02', route: 'urgent_suspected_cancer', tumourSite: 'lung', nhsNumber },
      { actor: 'user:setup' },
    );
  server = await serveForTest(store, ['tracker']);
  meetings.held = (
    await call('POST', '/api/mdt/meetings', { tumourSite: 'lung', meetsOn: '2026-11-23', name: 'Lung' })
  ).body.meetingId;
  meetings.next = (
    await call('POST', '/api/mdt/meetings', { tumourSite: 'lung', meetsOn: '2026-11-30', name: 'Lung' })
  ).body.meetingId;
  await call('POST', `/api/mdt/meetings/${meetings.held}/patients`, { pathwayIds: ['A', 'B'] });
});
afterAll(async () => server.running.close());

const call = (method: string, path: string, body?: unknown) => server.call(method, path, 'tracker', body);

describe('an MDT outcome as MDTs record it', () => {
  it('keeps the stage and histology in words, the lead clinician and attendees, and the site referred to', async () => {
    const r = await call('POST', `/api/mdt/meetings/${meetings.held}/outcomes`, {
      pathwayId: 'A',
      expectedVersion: 1,
      decision: 'refer_to_another_site',
      stage: 'T2 N0 M0',
      histology: 'Adenocarcinoma',
      leadClinician: 'Dr Rao',
      attendees: 'Dr Rao, Ms Lee (CNS), Dr Khan (radiology)',
      referredToSite: 'upper_gi',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(store.log.ofPathway('A').at(-1)!.event).toMatchObject({
      type: 'mdt_discussed',
      stage: 'T2 N0 M0',
      histology: 'Adenocarcinoma',
      referredToSite: 'upper_gi',
    });
    const listed = (await call('GET', `/api/mdt/meetings/${meetings.held}`)).body.patients;
    expect(listed.find((p: { pathwayId: string }) => p.pathwayId === 'A').outcome).toMatchObject({
      decision: 'refer_to_another_site',
      stage: 'T2 N0 M0',
      leadClinician: 'Dr Rao',
      attendees: 'Dr Rao, Ms Lee (CNS), Dr Khan (radiology)',
      referredToSite: 'upper_gi',
    });
  });

  it('refuses a site referred to with another outcome, naming the field', async () => {
    const r = await call('POST', `/api/mdt/meetings/${meetings.held}/outcomes`, {
      pathwayId: 'B',
      expectedVersion: 1,
      decision: 'further_tests',
      referredToSite: 'skin',
    });
    expect(r.status).toBe(400);
    expect(r.body.field).toMatch(/referredToSite/);
  });

  it('defers a patient not discussed to another meeting, recording nothing on the pathway; not one already discussed', async () => {
    const events = store.log.ofPathway('B').length;
    const r = await call('POST', `/api/mdt/meetings/${meetings.held}/patients/B/defer`, { toMeetingId: meetings.next });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ from: { patients: 1 }, to: { patients: 1 } });
    expect(store.mdt.meetingsOf('B').map((m) => m.meetingId)).toEqual([meetings.next]);
    expect(store.log.ofPathway('B')).toHaveLength(events);
    const discussed = await call('POST', `/api/mdt/meetings/${meetings.held}/patients/A/defer`, {
      toMeetingId: meetings.next,
    });
    expect([discussed.status, discussed.body.error]).toEqual([409, 'mdt_outcome_recorded']);
    expect(store.mdt.meetingsOf('A').map((m) => m.meetingId)).toEqual([meetings.held]);
  });
});
