// `openptl serve --hl7-port` and `openptl hl7 send FILE`, run as a user runs them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../support/store.ts';
import { hl7 } from '../support/hl7.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = tempDir();
const db = join(dir, 'ptl.db');
let server: ChildProcess;
let port = 0;

beforeAll(async () => {
  const today = new Date().toISOString().slice(0, 10);
  writeFileSync(
    join(dir, 'referral.ndjson'),
    `${JSON.stringify({ pathwayId: 'P1', type: 'referral_received', on: today, route: 'urgent_suspected_cancer', tumourSite: 'skin', nhsNumber: '9434765919' })}\n`,
  );
  expect(run('import', join(dir, 'referral.ndjson'), '--db', db).status).toBe(0);
  server = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', '--no-demo', '--hl7-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d) => {
      out += d;
      const m = /HL7 v2 \(MLLP\) listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}, 30_000);
afterAll(() => {
  server?.kill('SIGTERM');
});

describe('openptl hl7 send', () => {
  it('sends each message of a file, printing one line per acknowledgement; sent again, every message is answered alike and nothing changes', () => {
    const file = join(dir, 'feed.hl7');
    writeFileSync(
      file,
      [hl7({ type: 'ADT^A08', id: 'F1', name: 'SMITH^Ann' }), hl7({ type: 'SIU^S12', id: 'F2' })]
        .join('')
        .replaceAll('\r', '\n'),
    );
    const first = run('hl7', 'send', file, '--port', String(port));
    expect([first.status, first.stderr]).toEqual([0, 'openptl: 2 messages sent: 2 AA, 0 AE, 0 AR\n']);
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        message: 1,
        controlId: 'F1',
        ack: 'AA',
        text: "P1: the patient's name, date of birth, hospital number corrected",
      },
      { message: 2, controlId: 'F2', ack: 'AA', text: 'P1: appointment_booked proposed' },
    ]);
    const sql = new Database(db, { readonly: true });
    const before = sql
      .prepare("SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM inbound_messages)")
      .pluck()
      .get();
    const again = run('hl7', 'send', file, '--port', String(port));
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(
      sql
        .prepare("SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM inbound_messages)")
        .pluck()
        .get(),
    ).toBe(before);
    sql.close();
  });

  it('exits 1 when a message is not accepted, 2 for a missing file, no listener or bad options', () => {
    const file = join(dir, 'bad.hl7');
    writeFileSync(file, hl7({ type: 'ORU^R01', id: 'R1' }));
    const refused = run('hl7', 'send', file, '--port', String(port));
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ controlId: 'R1', ack: 'AR' });
    expect(run('hl7', 'send', join(dir, 'nope.hl7'), '--port', String(port))).toMatchObject({
      status: 2,
      stderr: `openptl: ${join(dir, 'nope.hl7')}: no such file\n`,
    });
    expect(run('hl7', 'send', file, '--port', '1')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^openptl: could not connect to 127\.0\.0\.1:1 \(ECONNREFUSED\)\n$/),
    });
    expect(run('hl7', 'send', file, '--port', 'x').stderr).toMatch(/--port: must be a whole number/);
    expect(run('hl7', 'receive').status).toBe(2);
    expect(run('serve', '--db', db, '--hl7-port', '99999')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--hl7-port: must be a whole number from 0 to 65535/),
    });
  });
});
