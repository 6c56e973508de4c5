// The command line's smaller items of issue #25: folders made 0700 whatever the umask, a missing
// --out made, a reader that goes away (EPIPE) ending the output quietly, and the demo admin's
// password written to a file only its owner reads, never to stdout.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/store.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
/** Runs the command line under a umask that lets everyone read what it makes, unless it says otherwise. */
const run = (args: string[]) =>
  spawnSync('/bin/sh', ['-c', 'umask 022; exec "$@"', 'sh', process.execPath, bin, ...args], { encoding: 'utf8' });

describe('files that name patients', () => {
  const dir = tempDir();
  const db = join(dir, 'ptl.db');
  writeFileSync(
    join(dir, 'events.ndjson'),
    `${JSON.stringify({ pathwayId: 'A', type: 'referral_received', on: '2026-01-05', route: 'urgent_suspected_cancer', tumourSite: 'skin', nhsNumber: '9434765919', recordedAt: '2026-01-05T10:00:00Z' })}\n`,
  );

  it('report, cwt-extract and canptl make a missing --out folder, 0700 under a umask of 022', () => {
    expect(run(['import', join(dir, 'events.ndjson'), '--db', db]).status).toBe(0);
    const made = [
      ['report', '--as-of', '2026-01-06', '--out', join(dir, 'reports', 'nightly')],
      ['cwt-extract', '--period', '2026-01', '--out', join(dir, 'cwt')],
      ['canptl', '--week-ending', '2026-01-11', '--out', join(dir, 'canptl')],
    ];
    for (const args of made) {
      const r = run([...args, '--db', db]);
      expect(r.status, `${args[0]}: ${r.stderr}`).toBe(0);
      expect(mode(args[args.length - 1]!), args[0]).toBe('700');
    }
    expect(mode(join(dir, 'reports'))).toBe('700'); // each folder made on the way too
  });

  it('a reader that goes away before the output ends (`openptl codes | head`): no stack trace', async () => {
    const child = spawn(process.execPath, [bin, 'codes', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader has gone before the first line
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect([status, stderr]).toEqual([0, '']);
  });
});

describe('the demo admin', () => {
  it("is given a password written to a file only the service's user reads, not printed", async () => {
    const dir = tempDir();
    const server = spawn(
      '/bin/sh',
      [
        '-c',
        'umask 022; exec "$@"',
        'sh',
        process.execPath,
        bin,
        'serve',
        '--db',
        join(dir, 'demo.db'),
        '--port',
        '0',
        '--no-demo',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout!.on('data', (d) => {
          out += d;
          if (/Sign in .*\n/.test(out)) resolve();
        });
        server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
    } finally {
      server.kill('SIGTERM');
    }
    const file = join(dir, 'demo-password.txt');
    expect(out).toContain(file);
    expect(mode(file)).toBe('600');
    const password = readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[\w-]{16}$/);
    expect(out).not.toContain(password);
  }, 60_000);
});
