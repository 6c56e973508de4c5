// Every route answers as its documented schema says: each is called once, in an order that gives it
// something to show (a history, an MDT meeting, proposals from the PAS, a report, a token), and its
// body parsed by the route's response schema. Parsing drops what the schema does not name, so the
// body must come back unchanged: nothing sent goes undocumented. The handlers' results are typed by
// the same schemas (z.input); this checks what actually goes over the wire.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { createLogger } from '../../src/api/logger.ts';
import type { RouteSpec } from '../../src/api/route.ts';
import { API } from '../../src/api/routes/index.ts';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import { writeReport } from '../../src/report/write.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { hl7 } from '../support/hl7.ts';
import { ev, nhsNumber, record } from '../support/national.ts';
import { tempDir, tempStore, requestsOf } from '../support/store.ts';

const PASSWORD = 'mauve-kettle-orbit-lantern';
const NHS = '9434765919';

/** A request for one route, made from what the calls before it answered. */
interface Sample {
  path: string;
  query?: Record<string, string>;
  body?: object;
}

describe('every route answers as its response schema documents', () => {
  const { store, commands } = tempStore('2026-11-24T10:00:00Z');
  const reportsDir = join(tempDir(), 'reports');
  const app = createApp({ store, clock: store.clock, logger: createLogger({ level: 'silent' }), reportsDir });
  let token = '';
  let otherMeeting = 0;
  const got: Record<string, any> = {};

  beforeAll(() => {
    const lines = [...simulate({ referralsPerMonth: 40, months: 8, seed: 11, asOf: '2026-11-23' })];
    commands.appendMany(requestsOf(lines, 'demo'));
    record(
      store,
      'P1',
      ev('referral_received', '2026-09-01', {
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: NHS,
        patientName: 'Ann Smith',
        dateOfBirth: '1960-01-01',
        provider: 'RAJ',
        id: 'p1-referral',
      }),
      ev('first_seen', '2026-09-05'),
      ev('test_reported', '2026-11-18', { test: 'CT chest' }),
      ev('note', '2026-11-19', { text: 'chase the CT report', followUpOn: '2026-11-26' }),
    );
    // Awaiting a treatment after the first: on the 31-day PTL.
    record(
      store,
      'P2',
      ev('referral_received', '2026-08-03', {
        route: 'urgent_suspected_cancer',
        tumourSite: 'breast',
        nhsNumber: nhsNumber(2),
      }),
      ev('decision_to_treat', '2026-09-01'),
      ev('treatment_started', '2026-09-20', { modality: 'surgery' }),
      ev('decision_to_treat', '2026-11-10', { id: 'second' }),
    );
    const feed = new Hl7Feed(store, commands, store.clock);
    for (const [id, start] of [
      ['M1', '202611301030'],
      ['M2', '202612011030'],
      ['M3', '202612021030'],
    ] as const)
      feed.receive(hl7({ type: 'SIU^S12', id, start, local: null }));
    feed.receive(hl7({ type: 'SIU^S12', id: 'U1', start: '202612031030', nhs: nhsNumber(9), local: null })); // matches no pathway (#28)
    // issue #28: a meeting P1 is deferred from
    otherMeeting = store.mdt.create(
      { tumourSite: 'lung', meetsOn: '2026-11-20', name: 'Lung MDT last week' },
      'user:setup',
      '2026-11-19T09:00:00Z',
    ).meetingId;
    store.mdt.add(otherMeeting, ['P1'], 'user:setup', '2026-11-19T09:00:00Z');
    mkdirSync(reportsDir, { recursive: true });
    writeReport(store, '2026-11-23', reportsDir);
    store.users.add('admin', 'admin', PASSWORD);
    store.users.add('sam', 'tracker', PASSWORD);
    token = store.users.createToken('admin');
  });

  const proposal = (i: number) => got.inbox.proposals[i].proposalId as number;
  const samples: Record<string, Sample> = {
    health: { path: '/healthz' },
    openapi: { path: '/api/openapi.json' },
    vocabulary: { path: '/api/vocabulary' },
    setNames: { path: '/api/settings/names', body: { providers: { RAJ: 'Mid and South Essex NHS FT' } } }, // issue #28
    signIn: { path: '/api/session', body: { name: 'admin', password: PASSWORD } },
    me: { path: '/api/me' },
    createPathway: {
      path: '/api/pathways',
      query: { checkDuplicates: 'true' },
      body: {
        type: 'referral_received',
        on: '2026-11-20',
        route: 'urgent_suspected_cancer',
        tumourSite: 'skin',
        nhsNumber: nhsNumber(7),
      },
    },
    appendEvent: {
      path: '/api/pathways/P1/events',
      body: {
        expectedVersion: 4,
        event: { type: 'appointment_booked', on: '2026-11-24', appointmentOn: '2026-12-03', appointment: 'subsequent' },
      },
    },
    pathway: { path: '/api/pathways/P1' },
    ptl: { path: '/api/ptl', query: { limit: '20' } },
    // issue #26
    ptlMilestoneLate: { path: '/api/ptl', query: { milestone: 'late', limit: '20' } },
    timedPathways: { path: '/api/timed-pathways', query: { weeks: '12' } },
    timedPathwayPatients: {
      path: '/api/timed-pathways/patients',
      query: { weeks: '12', pathway: 'skin', outcome: 'met' },
    },
    fit: { path: '/api/timed-pathways/fit', query: { weeks: '12' } },
    ptlCsv: { path: '/api/ptl/csv', query: { tumourSite: 'lung' } },
    ptl31: { path: '/api/ptl/subsequent' },
    backlog: { path: '/api/backlog' },
    trend: { path: '/api/backlog/trend', query: { days: '30' } },
    users: { path: '/api/users' },
    addUser: { path: '/api/users', body: { name: 'vic', role: 'viewer', password: PASSWORD } },
    changeUser: { path: '/api/users/vic', body: { role: 'tracker' } },
    createToken: { path: '/api/tokens', body: { user: 'sam', days: 30, label: 'integration engine' } },
    tokens: { path: '/api/tokens' },
    revokeToken: { path: '/api/tokens/:id' },
    audit: { path: '/api/audit', query: { limit: '10', nhsNumber: NHS } },
    auditVolumes: { path: '/api/audit/volumes' },
    search: { path: '/api/search', query: { q: 'ann smi' } },
    assignees: { path: '/api/assignees' },
    assign: { path: '/api/assignments', body: { pathwayIds: ['P1'], assignee: 'sam' } },
    performance: { path: '/api/performance' },
    reports: { path: '/api/reports' },
    latestReport: { path: '/api/reports/latest' },
    ptlBreachWithin: { path: '/api/ptl', query: { breachWithin: '14', limit: '20' } },
    reportFile: { path: '/api/reports/report-2026-11-23.json' },
    createMdtMeeting: {
      path: '/api/mdt/meetings',
      body: { tumourSite: 'lung', meetsOn: '2026-11-23', name: 'Lung MDT' },
    },
    mdtMeetings: { path: '/api/mdt/meetings' },
    addMdtPatients: { path: '/api/mdt/meetings/:meetingId/patients', body: { pathwayIds: ['P1', 'P2'] } },
    awaitingMdt: { path: '/api/mdt/awaiting', query: { tumourSite: 'lung' } },
    recordMdtOutcome: {
      path: '/api/mdt/meetings/:meetingId/outcomes',
      body: { pathwayId: 'P1', expectedVersion: 5, decision: 'treatment_plan_agreed', comment: 'for surgery' },
    },
    mdtMeeting: { path: '/api/mdt/meetings/:meetingId' },
    removeMdtPatient: { path: '/api/mdt/meetings/:meetingId/patients/P2' },
    deferMdtPatient: { path: '/api/mdt/meetings/:otherMeeting/patients/P1/defer', body: { toMeetingId: 0 } }, // issue #28
    codeLists: { path: '/api/code-lists' },
    correctCode: { path: '/api/code-lists/two_week_wait_type/03', body: { confirmed: true } },
    cwtReturn: { path: '/api/returns/cwt', query: { period: '2026-10' } },
    canptlReturn: { path: '/api/returns/canptl', query: { weekEnding: '2026-11-22' } },
    cwtFixes: {
      path: '/api/returns/cwt/fixes',
      body: { field: 'nhsNumberStatus', value: '01', targets: [{ pathwayId: 'P1', eventId: 'p1-referral' }] },
    },
    inbox: { path: '/api/inbox' },
    inboxMessages: { path: '/api/inbox/messages', query: { nhsNumber: NHS } },
    acceptProposal: { path: '/api/inbox/:proposal0/accept', body: {} },
    rejectProposal: { path: '/api/inbox/:proposal1/reject', body: { reason: 'booked in error' } },
    acceptProposals: { path: '/api/inbox/accept', body: { ids: [] } },
    setInboxRule: { path: '/api/inbox/rules', body: { clinic: 'CLIN9', autoAcceptBookings: true } },
    inboxRules: { path: '/api/inbox/rules' },
    deleteInboxRule: { path: '/api/inbox/rules/CLIN9' },
    // issue #23: the trust's target, then the outlook against it, with a lever
    settings: { path: '/api/settings' },
    changeSettings: { path: '/api/settings', body: { forecastTarget: 'over62<100@2027-03-31' } },
    forecast: {
      path: '/api/forecast',
      query: { weeks: '4', runs: '10', capacity: 'first:lung=+2/week', solve: 'first:lung' },
    },
    changePassword: {
      path: '/api/session/password',
      body: { password: PASSWORD, newPassword: 'heron-quarry-velvet-spindle' },
    },
    inequalities: { path: '/api/inequalities', query: { by: 'deprivation', asOf: '2026-11-23' } }, // issue #27
    // issue #28
    unmatchedMessages: { path: '/api/inbox/unmatched' },
    linkMessage: { path: '/api/inbox/unmatched/:message/link', body: { pathwayId: 'P1' } },
    signOut: { path: '/api/session' },
  };

  /** Samples of a route with other filters (issue #26: the PTL's milestone filter). */
  const variants: Record<string, string> = { ptlMilestoneLate: 'ptl', ptlBreachWithin: 'ptl' };

  it('has a sample for every route', () => {
    expect(
      Object.keys(samples)
        .filter((k) => !(k in variants))
        .sort(),
    ).toEqual(Object.keys(API).sort());
  });

  it.each(Object.keys(samples))('%s', async (name) => {
    const spec: RouteSpec = API[variants[name] ?? name]!;
    const sample = samples[name]!;
    const path = sample.path
      .replace(':id', String(got.createToken?.tokenId))
      .replace(':meetingId', String(got.createMdtMeeting?.meetingId))
      .replace(':otherMeeting', String(otherMeeting))
      .replace(':proposal0', String(got.inbox && proposal(0)))
      .replace(':proposal1', String(got.inbox && proposal(1)))
      .replace(':message', String(got.unmatchedMessages?.messages[0]?.messageId));
    const body =
      name === 'acceptProposals'
        ? { ids: [proposal(2)] }
        : name === 'deferMdtPatient'
          ? { toMeetingId: got.createMdtMeeting.meetingId }
          : sample.body;
    let req = request(app)[spec.method](path).set('Authorization', `Bearer ${token}`);
    if (sample.query) req = req.query(sample.query);
    const res = await (body ? req.send(body) : req);
    expect(res.status, JSON.stringify(res.body)).toBe(spec.ok.status);
    got[name] = res.body;
    if (!spec.ok.schema) return;
    const parsed = spec.ok.schema.safeParse(res.body);
    expect(parsed.error?.issues ?? [], 'the body matches its schema').toEqual([]);
    expect(parsed.data, 'nothing in the body that the schema leaves out').toEqual(res.body);
  });

  it('had something to show in the lists that matter', () => {
    expect(got.ptl.entries.length).toBeGreaterThan(5);
    expect(got.ptl.total).toBeGreaterThanOrEqual(got.ptl.entries.length); // every page's count, not this page's (#28)
    expect(got.ptlBreachWithin.entries.every((e: any) => e.breachDate > got.ptl.asOf && !e.breached)).toBe(true);
    expect(got.ptl31.entries.length).toBeGreaterThan(0);
    expect(got.pathway.events.length).toBeGreaterThan(3);
    expect(got.pathway.comment).not.toBeNull();
    expect(got.search.results.length).toBeGreaterThan(0);
    expect(got.awaitingMdt.entries.length).toBeGreaterThan(0);
    expect(got.mdtMeeting.patients[0].outcome).not.toBeNull();
    expect(got.inbox.proposals.length).toBe(3);
    expect(got.inboxMessages.messages.length).toBe(3);
    expect(got.unmatchedMessages.count).toBe(1);
    expect(got.linkMessage.proposalIds).toHaveLength(1);
    expect(got.acceptProposals.results).toHaveLength(1);
    expect(got.tokens.length).toBeGreaterThan(0);
    expect(got.audit.entries.length).toBeGreaterThan(0);
    expect(got.reports.reports[0].files.length).toBeGreaterThan(0);
    // issue #26
    expect(got.pathway.milestones.length).toBeGreaterThan(0);
    expect(got.ptlMilestoneLate.entries.length).toBeGreaterThan(0);
    expect(got.ptlMilestoneLate.entries.every((e: any) => e.milestone.status === 'late')).toBe(true);
    expect(got.timedPathways.pathways[0].pathway).toBe('prostate');
    expect(got.timedPathwayPatients.entries.length).toBeGreaterThan(0);
    expect(got.fit.weeks).toHaveLength(12);
    expect(got.forecast.trajectory).toHaveLength(4);
    expect(got.forecast.target.on).toBe('2027-03-31'); // the trust's target, set just before
    expect(got.forecast.resources.length).toBeGreaterThan(3);
    expect(got.forecast.history).toHaveLength(26);
  });
});
