// The MLLP listener over real TCP: a corpus of good and bad messages on one connection, every
// acknowledgement and the database after; then senders that break the framing, stall mid-message,
// sit idle or send many messages at once. None of them stops the listener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { createLogger } from '../../src/api/logger.ts';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import { startHl7Listener, type RunningListener } from '../../src/hl7/listener.ts';
import { frame, MllpFramer } from '../../src/hl7/mllp.ts';
import { readAck } from '../../src/hl7/ack.ts';
import { Hl7Connection } from '../../src/hl7/sender.ts';
import type { Store } from '../../src/store/store.ts';
import type { Db } from '../../src/store/db.ts';
import { tempStore, pathwayNow } from '../support/store.ts';
import { hl7 } from '../support/hl7.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

const NHS = '9434765919';
let listener: RunningListener;
let store: Store;
let commands: PathwayCommands;
let sql: Db;

beforeAll(async () => {
  ({ store, commands, sql } = tempStore('2026-11-24T10:00:00Z'));
  commands.append(
    'P1',
    0,
    {
      type: 'referral_received',
      on: '2026-11-02',
      route: 'urgent_suspected_cancer',
      tumourSite: 'lung',
      nhsNumber: NHS,
      patientName: 'John Smith',
      dateOfBirth: '1960-01-01',
    },
    { actor: 'user:setup' },
  );
  listener = await startHl7Listener(new Hl7Feed(store, commands, store.clock), createLogger({ level: 'silent' }), {
    port: 0,
    maxMessageBytes: 4096,
    frameTimeoutMs: 300,
    firstFrameTimeoutMs: 1500,
    idleTimeoutMs: 1500,
  });
});
afterAll(async () => listener.close());

/** A raw connection: what it was sent back, and whether the listener closed it. */
function raw(port = listener.port): Promise<{ socket: Socket; acks: string[]; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const acks: string[] = [];
    const framer = new MllpFramer(1 << 20);
    socket.on('data', (d) => {
      for (const o of framer.push(d)) if (o.kind === 'frame') acks.push(o.bytes.toString());
    });
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('connect', () => resolve({ socket, acks, closed }));
  });
}
const counts = () =>
  sql
    .prepare(
      'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM inbound_messages) AS messages, (SELECT count(*) FROM inbox_proposals) AS proposals',
    )
    .get();

describe('the MLLP listener', () => {
  it('listens on 127.0.0.1 unless told otherwise', () => {
    expect((listener.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('answers a corpus of good and bad messages, each as it should, and keeps exactly what it should', async () => {
    const good = hl7({ type: 'SIU^S12', id: 'G1', start: '202611301000' });
    const corpus: [string, string, string, RegExp][] = [
      ['a booking', good, 'AA', /^P1: appointment_booked proposed$/],
      ['the booking resent', good, 'AA', /^P1: appointment_booked proposed$/],
      [
        'a demographic update',
        hl7({ type: 'ADT^A08', id: 'G2', name: 'JONES^John' }),
        'AA',
        /^P1: the patient's name, hospital number corrected$/,
      ],
      ['an arrival', hl7({ type: 'ADT^A04', id: 'G3', arrived: '202611241000' }), 'AA', /^P1: first_seen proposed$/],
      [
        'a patient with no open pathway',
        hl7({ type: 'SIU^S12', id: 'G4', nhs: '9990000018', local: 'RAJ7' }),
        'AA',
        /^no open pathway for this patient: kept$/,
      ],
      [
        'wrong encoding characters',
        good.replace('^~\\&', '^~\\#').replace('G1', 'B1'),
        'AR',
        /^MSH-2: the encoding characters must be/,
      ],
      [
        'a message type not taken',
        hl7({ type: 'ORU^R01', id: 'B2' }),
        'AR',
        /^MSH-9: message type ORU\^R01 is not taken/,
      ],
      [
        'no PID segment',
        hl7({ type: 'ADT^A08', id: 'B3' }).replace(/PID\|[^\r]*\r/, ''),
        'AR',
        /^PID: the ADT\^A08 message has no PID segment$/,
      ],
      [
        'no patient identifier',
        hl7({ type: 'ADT^A08', id: 'B4', nhs: null, local: null }),
        'AE',
        /^PID-3: no usable patient identifier/,
      ],
      [
        'a training message',
        hl7({ type: 'ADT^A08', id: 'B5' }).replace('|P|2.4', '|T|2.4'),
        'AR',
        /^MSH-11: processing id T/,
      ],
      [
        'over the size limit',
        hl7({ type: 'ADT^A08', id: 'B6', extra: [`NTE|1||${'x'.repeat(5000)}`] }),
        'AR',
        /^the message is larger than 4096 bytes: refused unread$/,
      ],
      [
        'a control id reused for other content',
        good.replace('202611301000', '202612011000'),
        'AR',
        /^MSH-10: control id G1 from PAS was already used for a different message/,
      ],
      ['not HL7 at all, framed', 'hello', 'AR', /^the message must begin with an MSH segment$/],
    ];
    const connection = await Hl7Connection.open('127.0.0.1', listener.port);
    for (const [name, message, code, text] of corpus) {
      const answer = readAck(await connection.send(message))!;
      expect([name, answer.code], answer.text).toEqual([name, code]);
      expect(answer.text, name).toMatch(text);
      const controlId = /^MSH\|[^|]*\|(?:[^|]*\|){7}([^|]*)\|/.exec(message)?.[1] ?? '';
      expect(answer.controlId, name).toBe(name.startsWith('wrong encoding') ? '' : controlId);
    }
    connection.close();
    // Kept: each message with a readable header, once, with its outcome; refused unread or reused: nothing.
    expect(
      sql
        .prepare('SELECT control_id, outcome, ack_code FROM inbound_messages ORDER BY message_id')
        .all()
        .map((r) => Object.values(r as object).join(' ')),
    ).toEqual([
      'G1 proposed AA',
      'G2 applied AA',
      'G3 proposed AA',
      'G4 kept AA',
      'B2 error AR',
      'B3 error AR',
      'B4 error AE',
      'B5 error AR',
    ]);
    expect(store.inbox.open().map((p) => p.event.type)).toEqual(['appointment_booked', 'first_seen']);
    expect(store.log.ofPathway('P1').map((e) => e.event.type)).toEqual([
      'referral_received',
      'patient_details_updated',
    ]);
    expect(pathwayNow(store, 'P1')!.patient.name).toBe('John JONES');
    expect(sql.prepare('SELECT raw FROM inbound_messages WHERE control_id = ?').pluck().get('G1')).toBe(good); // verbatim
  });

  it('takes messages split into pieces, or several in one write, answering each in order', async () => {
    const c = await raw();
    const bytes = frame(hl7({ type: 'SIU^S12', id: 'S1', nhs: '9990000018', local: null }));
    // Each piece handed to the kernel, then a turn of the event loop for the listener to read it.
    for (let i = 0; i < bytes.length; i += 7)
      await new Promise<void>((r) => c.socket.write(bytes.subarray(i, i + 7), () => setImmediate(r)));
    c.socket.write(
      Buffer.concat([
        frame(hl7({ type: 'SIU^S12', id: 'S2', nhs: '9990000018', local: null })),
        frame(hl7({ type: 'SIU^S12', id: 'S3', nhs: '9990000018', local: null })),
      ]),
    );
    await expect.poll(() => c.acks.length).toBe(3);
    expect(c.acks.map((a) => readAck(a)!.controlId)).toEqual(['S1', 'S2', 'S3']);
    c.socket.destroy();
  });

  it('closes a connection that breaks the framing, writing nothing', async () => {
    const before = counts();
    const c = await raw();
    c.socket.write(`${hl7({ type: 'SIU^S12', id: 'J1' })}\x1c\r`); // no start byte
    await c.closed;
    expect(c.acks).toEqual([]);
    expect(counts()).toEqual(before);
  });

  it('closes a connection that stalls in the middle of a message, and one that sits idle, writing nothing', async () => {
    const before = counts();
    // A listener that would wait ten minutes for an idle sender: only the frame timeout can close this one.
    const patient = await startHl7Listener(
      new Hl7Feed(store, commands, store.clock),
      createLogger({ level: 'silent' }),
      {
        port: 0,
        frameTimeoutMs: 300,
        firstFrameTimeoutMs: 600_000,
        idleTimeoutMs: 600_000,
      },
    );
    const stalled = await raw(patient.port);
    const bytes = frame(hl7({ type: 'SIU^S12', id: 'H1' }));
    stalled.socket.write(bytes.subarray(0, 40)); // half a message, then silence (a half-open sender)
    await stalled.closed;
    await patient.close();
    const idle = await raw();
    await idle.closed;
    expect(counts()).toEqual(before);
  });

  it('still takes a good message after all of that', async () => {
    const connection = await Hl7Connection.open('127.0.0.1', listener.port);
    expect(readAck(await connection.send(hl7({ type: 'ADT^A31', id: 'Z1', name: 'JONES^John' })))).toMatchObject({
      code: 'AA',
      controlId: 'Z1',
    });
    connection.close();
  });
});

describe('a failure the feed did not expect', () => {
  it('cuts off the senders of that batch (so they send again) and keeps listening', async () => {
    let fail = true;
    const feed = new Hl7Feed(store, commands, store.clock);
    const real = feed.receiveAll.bind(feed);
    feed.receiveAll = (raws) => {
      if (fail) throw new Error('a bug');
      return real(raws);
    };
    const own = await startHl7Listener(feed, createLogger({ level: 'silent' }), { port: 0 });
    try {
      const first = await Hl7Connection.open('127.0.0.1', own.port);
      await expect(first.send(hl7({ type: 'ADT^A31', id: 'BUG1' }))).rejects.toThrow(/closed the connection/);
      fail = false;
      const second = await Hl7Connection.open('127.0.0.1', own.port);
      expect(readAck(await second.send(hl7({ type: 'ADT^A31', id: 'BUG1' })))!.code).toBe('AA');
      second.close();
    } finally {
      await own.close();
    }
  });
});
