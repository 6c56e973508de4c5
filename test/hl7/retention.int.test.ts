// The PAS feed's retention (issue #25): messages for no open pathway are kept verbatim for the
// trust's number of days, then purged to their header and the hash of their text, by a logged
// purge; the messages that led to events or proposals are never touched, and the table's trigger
// refuses any other change. A resend of a purged message is still known.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import { purgeKeptMessages } from '../../src/hl7/retention.ts';
import { readAck } from '../../src/hl7/ack.ts';
import { tempStore } from '../support/store.ts';
import { hl7 } from '../support/hl7.ts';
import { addDays, londonDateOf } from '../../src/vocabulary/calendar.ts';

const NHS = '9434765919';
const STRANGER = '9990000018';

function setup(at = '2026-11-01T10:00:00Z') {
  const t = tempStore(at);
  t.commands.append(
    'P1',
    0,
    {
      type: 'referral_received',
      on: addDays(londonDateOf(new Date(at)), -12), // 2026-10-20 by default
      route: 'urgent_suspected_cancer',
      tumourSite: 'lung',
      nhsNumber: NHS,
    },
    { actor: 'user:setup' },
  );
  const feed = new Hl7Feed(t.store, t.commands, t.store.clock);
  const send = (spec: Parameters<typeof hl7>[0]) => readAck(feed.receive(hl7(spec)).ack)!;
  // Home address, telephone, next of kin: what a PAS sends about everyone.
  const personal = [
    'PD1|||GP SURGERY^^G8100001',
    'NK1|1|STRANGER^Mary|SPO|1 High Street^^Basildon^^SS14 1AA|01268 000000',
  ];
  send({ type: 'SIU^S12', id: 'M1', start: '202611301030' }); // P1's: proposed
  send({ type: 'ADT^A08', id: 'M2', nhs: STRANGER, local: 'RAJ9', name: 'STRANGER^Sam', extra: personal }); // no pathway: kept
  send({ type: 'SIU^S12', id: 'M3', nhs: STRANGER, local: null, extra: ['SCH|X'] }); // kept too
  const row = (controlId: string) =>
    t.sql.prepare('SELECT * FROM inbound_messages WHERE control_id = ?').get(controlId) as Record<string, unknown>;
  return { ...t, feed, send, row, personal };
}

describe("the PAS feed's retention", () => {
  it('keeps a message for no open pathway verbatim for 30 days, then cuts it to its header and hash, logged; never a proposed one', () => {
    const t = setup();
    const received = t.row('M2');
    expect(received.raw).toContain('1 High Street');
    t.clock.set('2026-12-01T09:00:00Z'); // 29 days 23 hours later: still kept
    expect(purgeKeptMessages(t.store, 'system:retention').purged).toBe(0);
    t.clock.set('2026-12-01T11:00:00Z');
    expect(purgeKeptMessages(t.store, 'system:retention')).toEqual({
      purged: 2,
      before: '2026-11-01T11:00:00.000Z',
      keepDays: 30,
    });
    const purged = t.row('M2');
    expect(purged).toMatchObject({
      raw: (received.raw as string).split('\r')[0],
      nhs_number: null,
      local_patient_id: null,
      outcome: 'kept',
      control_id: 'M2',
      message_type: 'ADT^A08',
      ack_code: 'AA',
      detail: received.detail,
      purged_at: '2026-12-01T11:00:00.000Z',
      raw_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(t.sql.prepare('SELECT * FROM inbound_messages').all())).not.toMatch(
      /High Street|STRANGER|9990000018|RAJ9/,
    );
    expect(t.row('M1')).toMatchObject({ purged_at: null, outcome: 'proposed', nhs_number: NHS }); // led to a proposal: kept
    t.store.access.flush();
    expect(t.store.access.query({ action: 'messages_purged' }).entries).toMatchObject([
      { actor: 'system:retention', detail: { purged: 2, keepDays: 30 } },
    ]);
    expect(purgeKeptMessages(t.store, 'system:retention').purged).toBe(0); // once only
  });

  it('answers a resend of a purged message as before, and refuses its control id for another message', () => {
    const t = setup();
    t.clock.set('2026-12-15T10:00:00Z');
    purgeKeptMessages(t.store, 'system:retention');
    const count = () => t.sql.prepare('SELECT count(*) FROM inbound_messages').pluck().get();
    const before = count();
    const again = t.send({
      type: 'ADT^A08',
      id: 'M2',
      nhs: STRANGER,
      local: 'RAJ9',
      name: 'STRANGER^Sam',
      extra: t.personal,
    });
    expect(again).toMatchObject({ code: 'AA', text: 'no open pathway for this patient: kept' });
    expect(t.send({ type: 'ADT^A08', id: 'M2', nhs: STRANGER, name: 'OTHER^Name' }).code).toBe('AR');
    expect(count()).toBe(before);
  });

  it("follows the trust's setting, and the table refuses any change but the purge", () => {
    const t = setup();
    t.store.settings.set('hl7KeepDays', '7');
    t.clock.set('2026-11-08T11:00:00Z');
    expect(purgeKeptMessages(t.store, 'system:retention')).toMatchObject({ purged: 2, keepDays: 7 });
    const refused = [
      "UPDATE inbound_messages SET raw = 'MSH|x', raw_sha256 = 'x', nhs_number = NULL, local_patient_id = NULL, purged_at = 'now' WHERE control_id = 'M1'", // proposed
      "UPDATE inbound_messages SET detail = 'changed' WHERE control_id = 'M2'",
      "UPDATE inbound_messages SET outcome = 'applied'",
      'DELETE FROM inbound_messages',
    ];
    for (const statement of refused) expect(() => t.sql.exec(statement), statement).toThrow(/append-only/);
    t.send({ type: 'ADT^A08', id: 'M4', nhs: STRANGER, name: 'NEW^Person' }); // today: within its days
    expect(() =>
      t.sql.exec(
        "UPDATE inbound_messages SET raw = substr(raw, 1, instr(raw, char(13)) - 1), raw_sha256 = 'x', nhs_number = NULL, local_patient_id = NULL, purged_at = 'now' WHERE control_id = 'M4'",
      ),
    ).toThrow(/append-only/);
  });

  it('`openptl hl7 purge` runs it now and prints what it did', () => {
    const t = setup('2020-01-06T10:00:00Z'); // received long before the command's own clock
    t.store.close();
    const bin = join(import.meta.dirname, '../../bin/openptl.js');
    const r = spawnSync(process.execPath, [bin, 'hl7', 'purge', '--db', t.file], { encoding: 'utf8' });
    expect([r.status, JSON.parse(r.stdout)]).toMatchObject([0, { purged: 2, keepDays: 30 }]);
    expect(t.row('M2')).toMatchObject({ nhs_number: null, purged_at: expect.any(String) });
    expect(t.sql.prepare("SELECT actor FROM access_log WHERE action = 'messages_purged'").pluck().all()).toEqual([
      expect.stringMatching(/^cli:/),
    ]);
  });
});
