// Reading HL7 v2: MLLP framing however the bytes arrive, the header checks that refuse a message
// (naming the field), and the facts read from each message type.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frame, MllpFramer, type FramerOutput } from '../../src/hl7/mllp.ts';
import { decodeMessage, Hl7Refusal, parseMessage, readHeader } from '../../src/hl7/message.ts';
import { ack, escapeHl7, readAck } from '../../src/hl7/ack.ts';
import { messagesInFile } from '../../src/hl7/sender.ts';
import { hl7 } from '../support/hl7.ts';

const texts = (outs: FramerOutput[]) => outs.map((o) => (o.kind === 'frame' ? o.bytes.toString('utf8') : o.kind));

describe('MLLP framing', () => {
  it('property: frames split anywhere, run together or with whitespace between, come out whole and in order', () => {
    const body = fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/[\x0b\x1c]/g, '.'));
    fc.assert(
      fc.property(
        fc.array(body, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        (bodies, cuts, spaced) => {
          const stream = Buffer.concat(bodies.flatMap((b) => [frame(b), ...(spaced ? [Buffer.from('\n')] : [])]));
          const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
          const framer = new MllpFramer(1000);
          const out: FramerOutput[] = [];
          let from = 0;
          for (const p of [...points, stream.length]) {
            out.push(...framer.push(stream.subarray(from, p)));
            from = p;
          }
          expect(texts(out)).toEqual(bodies);
          expect(framer.partial).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drops a frame over the limit to its end, says so, and reads the next one', () => {
    const framer = new MllpFramer(10);
    const out = framer.push(Buffer.concat([frame('MSH|this is too long'), frame('short')]));
    expect(out.map((o) => o.kind)).toEqual(['too_large', 'frame']);
    expect((out[0] as { head: Buffer }).head.toString()).toBe('MSH|this is too long');
    expect(texts(out)[1]).toBe('short');
  });

  it('calls bytes outside a frame, or a frame begun inside another, malformed', () => {
    expect(new MllpFramer(100).push(Buffer.from('MSH|no framing\r'))).toEqual([
      { kind: 'malformed', reason: 'byte 0x4d outside a frame (a message starts with 0x0b)' },
    ]);
    expect(new MllpFramer(100).push(Buffer.from('\x0bhalf\x0bagain\x1c\r')).map((o) => o.kind)).toEqual(['malformed']);
    const framer = new MllpFramer(100);
    framer.push(Buffer.from('\x0bbegun'));
    expect(framer.partial).toBe(true);
  });
});

describe('the header', () => {
  const refusal = (raw: string) => {
    try {
      readHeader(raw);
      return null;
    } catch (err) {
      return {
        ack: (err as Hl7Refusal).ack,
        message: (err as Error).message,
        controlId: (err as Hl7Refusal).header?.controlId ?? null,
      };
    }
  };
  const good = hl7({ type: 'SIU^S12', id: 'M1' });
  it.each([
    [
      'not an MSH segment first',
      'PID|1||x',
      { ack: 'AR', message: 'the message must begin with an MSH segment', controlId: null },
    ],
    [
      'another field separator',
      good.replace('MSH|', 'MSH#'),
      { ack: 'AR', message: 'MSH-1: the field separator must be | (got "#")', controlId: null },
    ],
    [
      'wrong encoding characters',
      good.replace('^~\\&', '^~&\\'),
      { ack: 'AR', message: 'MSH-2: the encoding characters must be ^~\\& (got "^~&\\\\")', controlId: null },
    ],
    [
      'no control id',
      good.replace('|M1|', '||'),
      { ack: 'AR', message: 'MSH-10: the message control id is missing', controlId: null },
    ],
    [
      'a control id too long',
      good.replace('|M1|', `|${'X'.repeat(65)}|`),
      { ack: 'AR', message: 'MSH-10: the message control id must be at most 64 printable characters', controlId: null },
    ],
    [
      'version 3',
      good.replace('|P|2.4', '|P|3.0'),
      { ack: 'AR', message: 'MSH-12: OpenPTL takes HL7 version 2 (got "3.0")', controlId: 'M1' },
    ],
    [
      'a training message',
      good.replace('|P|2.4', '|T|2.4'),
      { ack: 'AR', message: 'MSH-11: processing id T: OpenPTL takes production messages (P) only', controlId: 'M1' },
    ],
    [
      'a message type not taken',
      good.replace('SIU^S12^SIU_S12', 'ORU^R01'),
      {
        ack: 'AR',
        message: expect.stringMatching(
          /^MSH-9: message type ORU\^R01 is not taken; OpenPTL takes ADT\^A03, .* SIU\^S26$/,
        ),
        controlId: 'M1',
      },
    ],
    [
      'no message date',
      good.replace('|202611240900|', '|tomorrow|'),
      {
        ack: 'AR',
        message: 'MSH-7: the message date/time must be YYYYMMDD[HHMM[SS]] (got "tomorrow")',
        controlId: 'M1',
      },
    ],
  ])('refuses %s, naming the field', (_name, raw, expected) => {
    expect(refusal(raw)).toEqual(expected);
  });

  it('reads the sender, the control id, the type and the date', () => {
    expect(readHeader(good)).toEqual({
      sendingApplication: 'PAS',
      sendingFacility: 'RAJ',
      receivingApplication: 'OPENPTL',
      receivingFacility: 'RAJ',
      controlId: 'M1',
      messageType: 'SIU^S12',
      version: '2.4',
      sentOn: '2026-11-24',
    });
  });
});

describe('reading a message', () => {
  const refused = (raw: string) => {
    try {
      parseMessage(raw);
      return null;
    } catch (err) {
      return [(err as Hl7Refusal).ack, (err as Error).message];
    }
  };

  it('reads the patient, the appointment and the visit', () => {
    const siu = parseMessage(
      hl7({
        type: 'SIU^S15',
        id: 'M1',
        reason: 'patient',
        start: '202612010930',
        clinic: 'BRST2',
        name: 'O\\S\\BRIEN^Mary',
      }),
    );
    expect(siu.patient).toEqual({
      nhsNumber: '9434765919',
      localPatientId: 'RAJ1001',
      name: 'Mary O^BRIEN',
      dateOfBirth: '1960-01-01',
      deathOn: null,
    });
    expect(siu.appointment).toEqual({ on: '2026-12-01', clinic: 'BRST2', reason: 'PATIENT' });
    const adt = parseMessage(hl7({ type: 'ADT^A03', id: 'M2', death: '20261120', arrived: '202611190800' }));
    expect([adt.patient.deathOn, adt.visit, adt.eventOn]).toEqual([
      '2026-11-20',
      { clinic: 'CLIN1', on: '2026-11-19' },
      '2026-11-24',
    ]);
    const merge = parseMessage(hl7({ type: 'ADT^A40', id: 'M3', priorNhs: '9990000018', priorLocal: 'OLD1' }));
    expect(merge.prior).toEqual({ nhsNumber: '9990000018', localPatientId: 'OLD1' });
  });

  it('reads the equality details of PID-8, PID-11.5 and PID-22 (issue #27), leaving out and noting what is unusable', () => {
    const a08 = parseMessage(hl7({ type: 'ADT^A08', id: 'E1', sex: 'F', postcode: 'cm11aa', ethnic: 'N1' }));
    expect(a08.patient).toMatchObject({ sex: '2', postcode: 'CM1 1AA', ethnicCategory: 'N' });
    expect(parseMessage(hl7({ type: 'ADT^A08', id: 'E2', sex: 'U', ethnic: 'X' })).patient).toMatchObject({
      sex: 'X',
      ethnicCategory: '99',
    });
    const bad = parseMessage(hl7({ type: 'ADT^A08', id: 'E3', sex: 'Q', postcode: 'NOWHERE', ethnic: 'I' }));
    expect(bad.patient).not.toHaveProperty('sex');
    expect(bad.patient).not.toHaveProperty('postcode');
    expect(bad.patient).not.toHaveProperty('ethnicCategory');
    expect(bad.notes).toEqual([
      'PID-8: the sex is not M, F, U or a person stated gender code, left out',
      'PID-22: not an NHS ethnic category code, left out',
      'PID-11.5: not a UK postcode, left out',
    ]);
    expect(bad.notes.join(' ')).not.toContain('NOWHERE'); // the patient's value is not echoed
  });

  it('leaves out, and notes, an NHS number failing its check digit or a date that is no date', () => {
    const m = parseMessage(hl7({ type: 'ADT^A08', id: 'M1', nhs: '9434765918', dob: '1960-01-01' }));
    expect(m.patient).toMatchObject({ nhsNumber: null, localPatientId: 'RAJ1001', dateOfBirth: null });
    expect(m.notes).toEqual([
      'PID-3: the NHS number fails its check digit, left out',
      'PID-7.1: "1960-01-01" is not a date, left out',
    ]);
  });

  it('takes segments separated by LF or CRLF (as in files), and ISO 8859-1 bytes', () => {
    expect(parseMessage(hl7({ type: 'ADT^A08', id: 'M1' }).replaceAll('\r', '\r\n')).patient.nhsNumber).toBe(
      '9434765919',
    );
    const latin1 = Buffer.from(hl7({ type: 'ADT^A08', id: 'M1', name: 'MÜLLER^Zoë' }), 'latin1');
    expect(parseMessage(decodeMessage(latin1)).patient.name).toBe('Zoë MÜLLER');
    expect(decodeMessage(Buffer.from('Zoë', 'utf8'))).toBe('Zoë');
  });

  it('refuses what it cannot take: AR for the structure, AE for the content', () => {
    expect(refused(hl7({ type: 'ADT^A08', id: 'M1' }).replace(/PID\|[^\r]*\r/, ''))).toEqual([
      'AR',
      'PID: the ADT^A08 message has no PID segment',
    ]);
    expect(refused(hl7({ type: 'ADT^A08', id: 'M1', nhs: null, local: null }))).toEqual([
      'AE',
      'PID-3: no usable patient identifier (an NHS number of type NH, or a hospital number of type PI or MR)',
    ]);
    expect(refused(hl7({ type: 'ADT^A40', id: 'M1' }))).toEqual([
      'AR',
      'MRG: an A40 merge must have an MRG segment naming the record merged away',
    ]);
    expect(refused(hl7({ type: 'SIU^S12', id: 'M1', start: 'soon' }).replace(/AIL[^\r]*\r/, ''))).toEqual([
      'AE',
      'SCH-11.4: the appointment has no start date (nor AIS-4, AIL-6 or AIG-8)',
    ]);
  });
});

describe('the acknowledgement', () => {
  it('names the control id it answers and escapes the text', () => {
    const header = readHeader(hl7({ type: 'SIU^S12', id: 'M|1'.replace('|', '-') }));
    const text = ack('AE', 'PID-3: a|b^c~d\\e&f\rg', header, new Date('2026-11-24T10:00:00Z'));
    expect(text).toBe(
      'MSH|^~\\&|OPENPTL|RAJ|PAS|RAJ|202611241000||ACK^S12^ACK|ACKM-1|P|2.4\rMSA|AE|M-1|PID-3: a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f g\r',
    );
    expect(readAck(text)).toEqual({ code: 'AE', controlId: 'M-1', text: 'PID-3: a|b^c~d\\e&f g' });
    expect(escapeHl7('plain')).toBe('plain');
  });
});

describe('a file of messages', () => {
  it('splits on MSH, drops framing and batch segments, and refuses a file that does not begin with MSH', () => {
    const file = `FHS|^~\\&\nBHS|^~\\&\n${hl7({ type: 'ADT^A08', id: 'A' }).replaceAll('\r', '\n')}\n\x0b${hl7({ type: 'SIU^S12', id: 'B' })}\x1c\r\nBTS|2\nFTS|1\n`;
    const messages = messagesInFile(file);
    expect(messages.map((m) => readHeader(m).controlId)).toEqual(['A', 'B']);
    expect(messages[0]!.split('\r')[0]).toMatch(/^MSH\|/);
    expect(() => messagesInFile('PID|1\nMSH|^~\\&')).toThrow(/must begin with an MSH segment/);
  });
});
