// The inbound feed over the store (no network): what each message type does to a patient's open
// pathways, the inbox decisions, resends, and that a message is taken whole or not at all.
import { describe, expect, it } from 'vitest';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import { InboxDecisions } from '../../src/api/routes/inbox.ts';
import { readAck } from '../../src/hl7/ack.ts';
import { AppError } from '../../src/errors.ts';
import { rowsMatchReplay, tempStore, pathwayNow } from '../support/store.ts';
import { hl7, type MessageSpec } from '../support/hl7.ts';

const NHS = '9434765919';
const referral = (on = '2026-11-02', extra: object = {}) => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: NHS,
  patientName: 'John Smith',
  dateOfBirth: '1960-01-01',
  ...extra,
});

function setup(...pathways: [string, object[]][]) {
  const t = tempStore('2026-11-24T10:00:00Z');
  for (const [id, events] of pathways) events.forEach((e, i) => t.commands.append(id, i, e, { actor: 'user:setup' }));
  const feed = new Hl7Feed(t.store, t.commands, t.store.clock);
  const decisions = new InboxDecisions(t.store, t.commands);
  const send = (spec: MessageSpec) => {
    const receipt = feed.receive(hl7(spec));
    return { ...receipt, msa: readAck(receipt.ack)! };
  };
  /** Everything the feed may write, to check a message changed nothing. */
  const snapshot = () =>
    t.sql
      .prepare(
        `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM inbound_messages) AS messages,
    (SELECT group_concat(proposal_id || status, ',') FROM inbox_proposals) AS proposals, (SELECT group_concat(pathway_id || version || coalesce(patient_name, ''), ',') FROM pathways) AS rows`,
      )
      .get();
  const proposals = () => t.store.inbox.open();
  return { ...t, feed, decisions, send, snapshot, proposals };
}

describe('bookings, attendances, missed appointments and cancellations become proposals', () => {
  it('a booking is proposed (first appointment, dated when sent), acknowledged AA, and nothing is appended until a tracker accepts', () => {
    const t = setup(['P1', [referral()]]);
    const r = t.send({ type: 'SIU^S12', id: 'M1', start: '202611301030' });
    expect(r.msa).toMatchObject({ code: 'AA', controlId: 'M1', text: 'P1: appointment_booked proposed' });
    expect(t.store.log.ofPathway('P1')).toHaveLength(1);
    const [p] = t.proposals();
    expect(p).toMatchObject({
      pathwayId: 'P1',
      status: 'proposed',
      clinic: 'CLIN1',
      event: { type: 'appointment_booked', on: '2026-11-24', appointmentOn: '2026-11-30', appointment: 'first' },
    });
    expect(p!.message).toMatchObject({ messageType: 'SIU^S12', controlId: 'M1', sendingApplication: 'PAS' });
    expect(t.store.inbox.search({ controlId: 'M1' }).messages[0]).toMatchObject({
      outcome: 'proposed',
      ackCode: 'AA',
      nhsNumber: NHS,
      localPatientId: 'RAJ1001',
    });

    const { result } = t.decisions.accept(p!.proposalId, 'user:tracker');
    expect(result).toMatchObject({ version: 2, stage: 'awaiting_first_appointment' });
    const appended = t.store.log.ofPathway('P1')[1]!;
    expect(appended).toMatchObject({
      actor: 'user:tracker',
      source: { feed: 'hl7', sendingApplication: 'PAS', sendingFacility: 'RAJ', messageControlId: 'M1' },
    });
    expect(t.store.inbox.proposal(p!.proposalId)).toMatchObject({
      status: 'accepted',
      decidedBy: 'user:tracker',
      eventId: appended.eventId,
    });
    expect(t.store.inbox.openCount()).toBe(0);
    // The same booking again (a modification that keeps the date) proposes nothing.
    expect(t.send({ type: 'SIU^S14', id: 'M2', start: '202611301100' }).msa.text).toMatch(
      /first appointment on 30 Nov 2026 is already recorded/,
    );
  });

  it('a resent message is answered as the first time and changes nothing; a reused control id with other content is refused', () => {
    const t = setup(['P1', [referral()]]);
    const first = t.send({ type: 'SIU^S12', id: 'M1' });
    const before = t.snapshot();
    const again = t.send({ type: 'SIU^S12', id: 'M1' });
    expect([again.code, again.outcome, again.msa.text]).toEqual(['AA', 'resent', first.msa.text]);
    expect(t.snapshot()).toEqual(before);
    const other = t.send({ type: 'SIU^S12', id: 'M1', start: '202612011000' });
    expect(other.msa.code).toBe('AR');
    expect(other.msa.text).toMatch(/MSH-10: control id M1 from PAS was already used for a different message/);
    expect(t.snapshot()).toEqual(before);
    // The same control id from another sending application is another message.
    expect(t.send({ type: 'SIU^S12', id: 'M1', app: 'EPR', start: '202612011000' }).msa.code).toBe('AA');
  });

  it('a patient cancellation (SCH-6 PATIENT or 2) is proposed; a hospital cancellation only kept', () => {
    const t = setup([
      'P1',
      [referral(), { type: 'appointment_booked', on: '2026-11-03', appointmentOn: '2026-11-30', appointment: 'first' }],
    ]);
    expect(t.send({ type: 'SIU^S15', id: 'C1', reason: 'HOSPITAL', start: '202611300930' }).msa.text).toMatch(
      /cancelled for reason HOSPITAL, not by the patient: nothing to propose/,
    );
    expect(t.store.inbox.search({ controlId: 'C1' }).messages[0]!.outcome).toBe('kept');
    t.send({ type: 'SIU^S15', id: 'C2', reason: '2', start: '202611300930' });
    expect(t.proposals().map((p) => p.event)).toEqual([
      {
        type: 'patient_cancelled',
        on: '2026-11-24',
        appointment: 'first',
        note: 'the patient cancelled the appointment on 30 Nov 2026',
      },
    ]);
  });

  it('a missed appointment is proposed as a DNA on the day booked for; accepted, the pathway waits for a rebooking', () => {
    const t = setup([
      'P1',
      [referral(), { type: 'appointment_booked', on: '2026-11-03', appointmentOn: '2026-11-20', appointment: 'first' }],
    ]);
    t.send({ type: 'SIU^S26', id: 'D1', start: '202611200930' });
    const [p] = t.proposals();
    expect(p!.event).toEqual({ type: 'dna', on: '2026-11-20', appointment: 'first' });
    expect(t.decisions.accept(p!.proposalId, 'user:tracker').result.stage).toBe('first_appointment_missed');
  });

  it('an outpatient arrival (A04) proposes first seen, with the clinic; once seen, an attendance proposes nothing', () => {
    const t = setup(['P1', [referral()]]);
    t.send({ type: 'ADT^A04', id: 'A1', clinic: 'RESP1', arrived: '202611231015' });
    const [p] = t.proposals();
    expect(p!.event).toEqual({ type: 'first_seen', on: '2026-11-23', clinic: 'RESP1' });
    t.decisions.accept(p!.proposalId, 'user:tracker');
    expect(t.send({ type: 'ADT^A04', id: 'A2', arrived: '202611241015' }).msa.text).toMatch(
      /attendance after the patient was first seen/,
    );
    expect(t.store.inbox.openCount()).toBe(0);
  });

  it('a death date (PID-29) in A08 or A03 proposes removing the patient; accepted, the pathway closes', () => {
    const t = setup(['P1', [referral()]]);
    t.send({ type: 'ADT^A03', id: 'X1', death: '20261121' });
    const [p] = t.proposals();
    expect(p!.event).toMatchObject({ type: 'removed', on: '2026-11-21', reason: 'patient_died' });
    // The same news again (A08) is not proposed twice.
    expect(t.send({ type: 'ADT^A08', id: 'X2', death: '20261121' }).msa.text).toMatch(
      /removed already proposed and waiting/,
    );
    expect(t.decisions.accept(p!.proposalId, 'user:tracker').result).toMatchObject({
      stage: 'removed',
      status: 'closed',
    });
  });

  it('one proposal per open pathway of the patient; none for a patient with no open pathway, whose message is kept and found by search', () => {
    const t = setup(
      ['P1', [referral()]],
      ['P2', [referral('2026-11-03', { tumourSite: 'skin' })]],
      [
        'P3',
        [
          referral('2026-11-01', { nhsNumber: '9990000018' }),
          { type: 'removed', on: '2026-11-02', reason: 'moved_away' },
        ],
      ],
    );
    t.send({ type: 'SIU^S12', id: 'B1' });
    expect(t.proposals().map((p) => p.pathwayId)).toEqual(['P1', 'P2']);
    const r = t.send({ type: 'SIU^S12', id: 'B2', nhs: '9990000018', local: null });
    expect(r.msa).toMatchObject({ code: 'AA', text: 'no open pathway for this patient: kept' });
    expect(t.store.inbox.search({ nhsNumber: '9990000018' }).messages.map((m) => [m.controlId, m.outcome])).toEqual([
      ['B2', 'kept'],
    ]);
    expect(t.store.inbox.openCount()).toBe(2);
  });
});

describe("the patient's details", () => {
  it('an A08 corrects the details as an event with its provenance; the same details again add nothing', () => {
    const t = setup(['P1', [referral()]]);
    const r = t.send({ type: 'ADT^A08', id: 'U1', name: 'JONES^John', dob: '19600203', local: 'RAJ2002' });
    expect(r.msa.text).toBe("P1: the patient's name, date of birth, hospital number corrected");
    const pathway = pathwayNow(t.store, 'P1')!;
    expect(pathway.patient).toEqual({
      nhsNumber: NHS,
      name: 'John JONES',
      dateOfBirth: '1960-02-03',
      localPatientId: 'RAJ2002',
    });
    expect(pathway.events[1]).toMatchObject({
      actor: 'hl7:PAS',
      source: { messageControlId: 'U1', sendingApplication: 'PAS' },
      event: {
        type: 'patient_details_updated',
        on: '2026-11-24',
        reason: 'correction',
        patientName: 'John JONES',
        dateOfBirth: '1960-02-03',
        localPatientId: 'RAJ2002',
      },
    });
    expect(t.send({ type: 'ADT^A31', id: 'U2', name: 'Jones^JOHN', dob: '19600203', local: 'RAJ2002' }).msa.text).toBe(
      "P1: the patient's details already agree",
    );
    expect(t.store.log.ofPathway('P1')).toHaveLength(2);
    expect(rowsMatchReplay(t.store, t.sql).mismatches).toEqual([]);
  });

  it("an A08 with the patient's sex, postcode and ethnic category records them (issue #27); sent again, nothing more", () => {
    const t = setup(['P1', [referral()]]);
    const r = t.send({ type: 'ADT^A08', id: 'E1', sex: 'M', postcode: 'ss1 2ab', ethnic: 'A' });
    expect(r.msa.text).toBe("P1: the patient's hospital number, sex, ethnic category, postcode corrected");
    expect(t.store.log.ofPathway('P1')[1]!.event).toMatchObject({
      type: 'patient_details_updated',
      sex: '1',
      ethnicCategory: 'A',
      postcode: 'SS1 2AB',
    });
    expect(t.send({ type: 'ADT^A08', id: 'E2', sex: 'M', postcode: 'SS1 2AB', ethnic: 'A' }).msa.text).toBe(
      "P1: the patient's details already agree",
    );
    expect(rowsMatchReplay(t.store, t.sql).mismatches).toEqual([]);
  });

  it('finds the patient by hospital number when the message has no NHS number; a new NHS number is only proposed, and applied when a tracker accepts it', () => {
    const t = setup(['P1', [referral('2026-11-02', { localPatientId: 'RAJ1001' })]]);
    t.send({ type: 'ADT^A28', id: 'U1', nhs: null, local: 'RAJ1001', name: 'SMITH^John' });
    expect(t.store.log.ofPathway('P1')).toHaveLength(1); // found, nothing to change
    const r = t.send({ type: 'ADT^A31', id: 'U2', nhs: '9990000018', local: 'RAJ1001', name: 'SMITH^John' });
    expect(r.msa).toMatchObject({ code: 'AA' });
    expect(r.msa.text).toContain('P1: the NHS number would change from 9434765919 to 9990000018: proposed');
    expect(pathwayNow(t.store, 'P1')!.patient.nhsNumber).toBe(NHS); // as it was, until a tracker accepts
    const [p] = t.proposals();
    expect(p).toMatchObject({
      pathwayId: 'P1',
      event: { type: 'patient_details_updated', reason: 'correction', nhsNumber: '9990000018' },
      pathway: { nhsNumber: NHS, patientName: 'John Smith', dateOfBirth: '1960-01-01', localPatientId: 'RAJ1001' },
    });
    t.decisions.accept(p!.proposalId, 'user:tracker');
    expect(pathwayNow(t.store, 'P1')!.patient.nhsNumber).toBe('9990000018');
    expect(pathwayNow(t.store, 'P1')!.events[1]).toMatchObject({
      actor: 'user:tracker',
      source: { messageControlId: 'U2' },
    });
    // Now found by the new NHS number.
    t.send({ type: 'SIU^S12', id: 'U3', nhs: '9990000018', local: null });
    expect(t.proposals().map((p) => p.pathwayId)).toEqual(['P1']);
  });

  it("an A40 merge found by the hospital number of the record merged away is proposed; accepted, the pathway takes the surviving record's numbers", () => {
    const t = setup(
      ['P1', [referral('2026-11-02', { localPatientId: 'OLD1', nhsNumber: '9990000018' })]],
      ['P2', [referral()]],
    );
    const before = pathwayNow(t.store, 'P1')!.patient;
    const r = t.send({ type: 'ADT^A40', id: 'G1', nhs: NHS, local: 'NEW1', priorLocal: 'OLD1', name: 'SMITH^John' });
    expect(r.msa.text).toContain('P1: the NHS number would change from 9990000018 to 9434765919: proposed');
    expect(pathwayNow(t.store, 'P1')!.patient).toEqual(before);
    const [p] = t.proposals();
    expect(p!.event).toMatchObject({
      type: 'patient_details_updated',
      reason: 'merge',
      nhsNumber: NHS,
      localPatientId: 'NEW1',
    });
    t.decisions.accept(p!.proposalId, 'user:tracker');
    expect(pathwayNow(t.store, 'P1')!.patient).toMatchObject({ nhsNumber: NHS, localPatientId: 'NEW1' });
    expect(t.store.log.ofPathway('P2')).toHaveLength(1); // the surviving record's own pathway is untouched
    expect(t.send({ type: 'ADT^A40', id: 'G2', priorLocal: 'GONE9' }).msa.text).toBe(
      'no open pathway for the record merged away: kept',
    );
  });

  it("an unauthenticated A40 whose MRG names patient B's NHS number and whose PID names patient A leaves both patients as they were until a tracker accepts (issue #25)", () => {
    const A = '9990000018';
    const B = '9990000026';
    const t = setup(
      ['A1', [referral('2026-11-02', { nhsNumber: A, patientName: 'Alice Able', dateOfBirth: '1950-01-01' })]],
      ['B1', [referral('2026-11-02', { nhsNumber: B, patientName: 'Bob Baker', dateOfBirth: '1970-07-07' })]],
      [
        'B2',
        [
          referral('2026-11-03', {
            nhsNumber: B,
            patientName: 'Bob Baker',
            dateOfBirth: '1970-07-07',
            tumourSite: 'skin',
          }),
        ],
      ],
    );
    const before = ['A1', 'B1', 'B2'].map((id) => pathwayNow(t.store, id)!.patient);
    const events = t.sql.prepare('SELECT count(*) FROM events').pluck().get();
    const r = t.send({
      type: 'ADT^A40',
      id: 'X1',
      nhs: A,
      local: 'A-1',
      priorNhs: B,
      name: 'ABLE^Alice',
      dob: '19500101',
    });
    expect(r.msa.code).toBe('AA');
    expect(['A1', 'B1', 'B2'].map((id) => pathwayNow(t.store, id)!.patient)).toEqual(before);
    expect(t.sql.prepare('SELECT count(*) FROM events').pluck().get()).toBe(events);
    expect(t.store.search.find('bob baker')).toEqual(['B2', 'B1']); // B is still found
    // Two proposals, each showing B's details now beside what the message would make them.
    expect(
      t.proposals().map((p) => [p.pathwayId, p.event.nhsNumber, p.pathway?.nhsNumber, p.pathway?.patientName]),
    ).toEqual([
      ['B1', A, B, 'Bob Baker'],
      ['B2', A, B, 'Bob Baker'],
    ]);
    // An A08 that finds B's pathway by hospital number and gives another NHS number: proposed too.
    const t2 = setup(['B1', [referral('2026-11-02', { nhsNumber: B, localPatientId: 'RAJ-B' })]]);
    t2.send({ type: 'ADT^A08', id: 'X2', nhs: A, local: 'RAJ-B', name: 'BAKER^Bob' });
    expect(pathwayNow(t2.store, 'B1')!.patient.nhsNumber).toBe(B);
    expect(t2.proposals()[0]!.event).toMatchObject({ nhsNumber: A });
  });

  it('applies at once only what names the same patient: a merge of two hospital records under one NHS number, a correction found by NHS number', () => {
    const t = setup(['P1', [referral('2026-11-02', { localPatientId: 'OLD1' })]]);
    const r = t.send({ type: 'ADT^A40', id: 'G1', nhs: NHS, local: 'NEW1', priorNhs: NHS, name: 'SMITH^John' });
    expect(r.msa.text).toBe("P1: the patient's hospital number taken from the surviving record (merge)");
    expect(pathwayNow(t.store, 'P1')!.patient.localPatientId).toBe('NEW1');
    // A name corrected for a pathway found by hospital number only is a question, not a correction.
    const t2 = setup(['P1', [referral('2026-11-02', { localPatientId: 'RAJ1001' })]]);
    t2.send({ type: 'ADT^A08', id: 'U1', nhs: null, local: 'RAJ1001', name: 'SMYTHE^Jon' });
    expect(pathwayNow(t2.store, 'P1')!.patient.name).toBe('John Smith');
    expect(t2.proposals()[0]!.event).toMatchObject({ patientName: 'Jon SMYTHE' });
  });

  it('does not take a date of birth before 1900 or after today (issue #25)', () => {
    const t = setup(['P1', [referral()]]);
    const r = t.send({ type: 'ADT^A08', id: 'U1', dob: '00010101', name: 'SMITH^John' });
    expect(r.msa.text).toContain('PID-7: the date of birth (1 Jan 0001) is before 1900: check the year: not taken');
    expect(pathwayNow(t.store, 'P1')!.patient.dateOfBirth).toBe('1960-01-01');
  });
});

describe('the inbox decisions', () => {
  it('a refused accept leaves the proposal open with the reason and changes nothing else', () => {
    const t = setup(['P1', [referral()]]);
    t.send({ type: 'ADT^A04', id: 'A1', arrived: '202611261000' }); // arrived "the day after tomorrow": a slip
    const [p] = t.proposals();
    const before = t.snapshot();
    expect(() => t.decisions.accept(p!.proposalId, 'user:tracker')).toThrow(/after the as-of date/);
    expect(t.snapshot()).toEqual(before);
    expect(t.store.inbox.proposal(p!.proposalId)).toMatchObject({
      status: 'proposed',
      refusal:
        'on: 26 Nov 2026 is after the as-of date (24 Nov 2026; today, when entered): a date cannot be in the future',
    });
    // A stale expectedVersion is refused the same way.
    const stale = (() => {
      try {
        t.decisions.accept(p!.proposalId, 'user:tracker', { expectedVersion: 0 });
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(stale).toMatchObject({ code: 'stale_version' });
    // Edited to the right date, it is accepted.
    const { result } = t.decisions.accept(p!.proposalId, 'user:tracker', {
      event: { ...p!.event, on: '2026-11-24' },
    });
    expect(result.stage).toBe('under_investigation');
    expect(t.store.log.ofPathway('P1')[1]!.event).toMatchObject({ type: 'first_seen', on: '2026-11-24' });
    expect(t.store.inbox.proposal(p!.proposalId)!.refusal).toBeNull();
  });

  it('an edit keeps the proposed type; a decided proposal cannot be decided again; a rejection keeps its reason', () => {
    const t = setup(['P1', [referral()]], ['P2', [referral('2026-11-03', { nhsNumber: '9990000018' })]]);
    t.send({ type: 'SIU^S12', id: 'B1' });
    t.send({ type: 'SIU^S12', id: 'B2', nhs: '9990000018', local: null });
    const [a, b] = t.proposals();
    expect(() =>
      t.decisions.accept(a!.proposalId, 'user:t', { event: { type: 'first_seen', on: '2026-11-24' } }),
    ).toThrow(/an edit keeps the proposed type \(appointment_booked\)/);
    expect(t.decisions.reject(a!.proposalId, 'user:t', 'not a cancer clinic')).toMatchObject({
      status: 'rejected',
      reason: 'not a cancer clinic',
      decidedBy: 'user:t',
    });
    expect(() => t.decisions.accept(a!.proposalId, 'user:t')).toThrow(/already rejected by user:t/);
    expect(() => t.decisions.reject(999, 'user:t', 'x')).toThrow(/no proposal 999/);
    const results = t.decisions.acceptEach([b!.proposalId, a!.proposalId], 'user:t');
    expect(results.map((r) => r.status)).toEqual(['accepted', 'refused']);
    expect(results[1]).toMatchObject({ error: { error: 'proposal_decided' } });
    expect(t.store.log.ofPathway('P2')).toHaveLength(2);
    expect(t.store.log.ofPathway('P1')).toHaveLength(1);
  });

  it("a clinic's rule accepts its bookings at once, but never a rebooking that restarts the clocks (R5)", () => {
    const t = setup(['P1', [referral()]]);
    t.store.inbox.setRule({
      clinic: 'CLIN1',
      autoAcceptBookings: true,
      setBy: 'user:admin',
      setAt: '2026-11-24T09:00:00Z',
    });
    const r = t.send({ type: 'SIU^S12', id: 'B1', sent: '202611100900', start: '202611200930' });
    expect(r.msa.text).toBe('P1: appointment_booked accepted by the rule for clinic CLIN1');
    expect(t.store.inbox.openCount()).toBe(0);
    expect(t.store.log.ofPathway('P1')[1]).toMatchObject({
      actor: 'rule:clinic CLIN1',
      source: { messageControlId: 'B1' },
      event: { type: 'appointment_booked', appointmentOn: '2026-11-20' },
    });
    expect(t.store.inbox.search({ controlId: 'B1' }).messages[0]!.outcome).toBe('applied');
    // The patient misses it; the rebooking that follows waits for a tracker.
    t.send({ type: 'SIU^S26', id: 'D1', sent: '202611201200', start: '202611200930' });
    t.decisions.accept(t.proposals()[0]!.proposalId, 'user:tracker');
    t.send({ type: 'SIU^S13', id: 'B2', start: '202611270930' });
    expect(t.proposals().map((p) => p.event.type)).toEqual(['appointment_booked']);
    expect(pathwayNow(t.store, 'P1')!.clocks.d62.start).toBe('2026-11-02'); // not restarted until confirmed
    t.decisions.accept(t.proposals()[0]!.proposalId, 'user:tracker');
    expect(pathwayNow(t.store, 'P1')!.clocks.d62.start).toBe('2026-11-24');
  });
});

describe('a message is taken whole or not at all', () => {
  it('takes messages that arrived together in one transaction, answering each in order; if it fails, none is taken', () => {
    const t = setup(['P1', [referral()]]);
    let commits = 0;
    t.store.onCommit(() => commits++);
    const batch = [
      hl7({ type: 'SIU^S12', id: 'M1' }),
      hl7({ type: 'SIU^S12', id: 'M1' }),
      hl7({ type: 'ADT^A08', id: 'M2', name: 'JONES^John' }),
      hl7({ type: 'ORU^R01', id: 'M3' }),
      'junk',
    ];
    const answers = t.feed.receiveAll(batch).map((r) => [r.code, r.outcome, readAck(r.ack)!.controlId]);
    expect(answers).toEqual([
      ['AA', 'proposed', 'M1'],
      ['AA', 'resent', 'M1'],
      ['AA', 'applied', 'M2'],
      ['AR', 'error', 'M3'],
      ['AR', 'not_kept', ''],
    ]);
    expect(commits).toBe(1);
    const before = t.snapshot();
    t.store.inbox.keep = () => {
      throw new Error('database is locked');
    };
    const failed = t.feed.receiveAll([
      hl7({ type: 'ADT^A08', id: 'M4', name: 'BROWN^John' }),
      hl7({ type: 'SIU^S12', id: 'M5', start: '202612011000' }),
      'junk',
    ]);
    expect(failed.map((r) => [r.code, readAck(r.ack)!.text])).toEqual([
      ['AE', 'not stored (database is locked): nothing was done; send the message again'],
      ['AE', 'not stored (database is locked): nothing was done; send the message again'],
      ['AR', 'the message must begin with an MSH segment'],
    ]);
    expect(t.snapshot()).toEqual(before);
  });

  it('commits each message synced to disk (synchronous = FULL) before answering, then puts the setting back', () => {
    const t = setup(['P1', [referral()]]);
    const db = (t.store as unknown as { db: { pragma: (p: string, o: object) => unknown } }).db;
    const seen: unknown[] = [];
    const keep = t.store.inbox.keep.bind(t.store.inbox);
    t.store.inbox.keep = (m) => {
      seen.push(db.pragma('synchronous', { simple: true }));
      return keep(m);
    };
    expect(t.send({ type: 'SIU^S12', id: 'M1' }).code).toBe('AA');
    expect(t.send({ type: 'ORU^R01', id: 'M2' }).code).toBe('AR'); // refused, and kept
    expect(seen).toEqual([2, 2]); // FULL
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL, as the store opened it
  });

  it('refuses (AE, kept) a message whose patient matches more open pathways than one patient has, doing nothing', () => {
    const t = setup(...Array.from({ length: 11 }, (_, i) => [`P${i}`, [referral()]] as [string, object[]]));
    const before = t.snapshot();
    const r = t.send({ type: 'ADT^A08', id: 'U1', name: 'JONES^John' });
    expect(r.msa).toMatchObject({
      code: 'AE',
      text: "PID-3: the patient matches more than 10 open pathways, more than one patient has; nothing was done: check the patient's records",
    });
    expect(t.store.inbox.search({ controlId: 'U1' }).messages[0]).toMatchObject({ outcome: 'error', ackCode: 'AE' });
    expect(t.store.log.ofPathway('P0')).toHaveLength(1);
    expect(t.store.inbox.openCount()).toBe(0);
    expect(t.snapshot()).toMatchObject({ events: (before as { events: number }).events });
  });

  it('when the database fails part-way, the answer is AE and nothing at all is written', () => {
    const t = setup(['P1', [referral()]]);
    const before = t.snapshot();
    const keep = t.store.inbox.keep.bind(t.store.inbox);
    t.store.inbox.keep = () => {
      throw new Error('disk I/O error');
    };
    const r = t.send({ type: 'ADT^A08', id: 'U1', name: 'JONES^John', death: '20261120' }); // a correction applied, a removal proposed
    expect(r.msa).toMatchObject({
      code: 'AE',
      text: 'not stored (disk I/O error): nothing was done; send the message again',
    });
    expect(t.snapshot()).toEqual(before);
    expect(pathwayNow(t.store, 'P1')!.patient.name).toBe('John Smith');
    t.store.inbox.keep = keep;
    expect(t.send({ type: 'ADT^A08', id: 'U1', name: 'JONES^John', death: '20261120' }).msa.code).toBe('AA'); // sent again, taken
    expect(t.store.log.ofPathway('P1')).toHaveLength(2);
    expect(t.store.inbox.openCount()).toBe(1);
  });
});
