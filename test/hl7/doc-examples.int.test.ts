// The example messages in docs/hl7.md, one for each type taken, sent as they are written there:
// each is acknowledged AA and does what the table there says.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import { readAck } from '../../src/hl7/ack.ts';
import { messagesInFile } from '../../src/hl7/sender.ts';
import { tempStore, pathwayNow } from '../support/store.ts';

const doc = readFileSync(join(import.meta.dirname, '../../docs/hl7.md'), 'utf8');
const block = /```hl7\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';

describe('the example messages in docs/hl7.md', () => {
  it('are one for each type taken, and each does what the table there says', () => {
    const { store, commands } = tempStore('2026-12-05T10:00:00Z');
    commands.append(
      'P1',
      0,
      {
        type: 'referral_received',
        on: '2026-11-20',
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: '9990000018',
        patientName: 'Ann Smith',
        dateOfBirth: '1958-03-12',
        localPatientId: 'RAJ1234567',
      },
      { actor: 'user:setup' },
    );
    const feed = new Hl7Feed(store, commands, store.clock);
    const answers = messagesInFile(block).map((m) => {
      const r = feed.receive(m);
      const ack = readAck(r.ack)!;
      return `${r.messageType} ${ack.code} ${ack.text}`;
    });
    expect(answers).toEqual([
      'SIU^S12 AA P1: appointment_booked proposed',
      'SIU^S13 AA P1: appointment_booked proposed',
      'SIU^S14 AA P1: appointment_booked already proposed and waiting',
      'SIU^S15 AA P1: patient_cancelled proposed',
      'SIU^S26 AA P1: dna proposed',
      'ADT^A04 AA P1: first_seen proposed',
      "ADT^A08 AA P1: the patient's name, sex corrected",
      "ADT^A28 AA P1: the patient's date of birth corrected",
      "ADT^A31 AA P1: the patient's name corrected",
      "ADT^A40 AA P1: the patient's hospital number taken from the surviving record (merge)",
      'ADT^A03 AA P1: removed proposed',
    ]);
    expect(store.inbox.open().map((p) => p.event)).toEqual([
      { type: 'appointment_booked', on: '2026-11-24', appointmentOn: '2026-12-01', appointment: 'first' },
      { type: 'appointment_booked', on: '2026-11-25', appointmentOn: '2026-12-03', appointment: 'first' },
      { type: 'patient_cancelled', on: '2026-11-26', note: 'the patient cancelled the appointment on 3 Dec 2026' },
      { type: 'dna', on: '2026-12-01', appointment: 'first' },
      { type: 'first_seen', on: '2026-12-02', clinic: 'LUNG2' },
      {
        type: 'removed',
        on: '2026-12-03',
        reason: 'patient_died',
        note: 'date of death from the hospital record (PID-29)',
      },
    ]);
    expect(pathwayNow(store, 'P1')!.patient).toEqual({
      nhsNumber: '9990000018',
      name: 'Ann Marie JONES',
      dateOfBirth: '1958-03-21',
      localPatientId: 'RAJ7654321',
    });
  });
});
