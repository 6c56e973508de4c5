// The first run (#28 item 13): every command and sub-command answers --help with its usage on
// stdout and exit 0; `openptl serve` on a port another program holds says so in one line and
// loads nothing; progress lines are for a terminal only, never in piped output.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../support/store.ts';
import { progress, passProgress } from '../../src/cli/progress.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

/** The commands `openptl --help` lists: the first word of each of its command lines. */
function listedCommands(): string[] {
  const help = run(['--help']);
  expect(help.status).toBe(0);
  const names = help.stdout
    .split('\n')
    .filter((l) => /^ {2}[a-z]/.test(l))
    .map((l) => l.trim().split(/\s/)[0]!);
  return [...new Set(names)];
}

describe('openptl --help', () => {
  it('prints the usage of every command and sub-command on stdout with exit 0, touching no database', () => {
    const commands = listedCommands();
    expect(commands).toEqual(expect.arrayContaining(['clock', 'serve', 'import', 'user', 'codes', 'pathways']));
    expect(commands.length).toBeGreaterThanOrEqual(19);
    const subCommands = [
      ['user', 'add'],
      ['user', 'role'],
      ['token', 'create'],
      ['codes', 'set'],
      ['pathways', 'set'],
      ['hl7', 'send'],
    ];
    const db = join(tempDir(), 'never-made.db');
    for (const words of [...commands.map((c) => [c]), ...subCommands]) {
      for (const flag of ['--help', '-h']) {
        const r = run([...words, flag, '--db', db]);
        const said = `openptl ${words.join(' ')} ${flag}`;
        expect(r.status, `${said}: ${r.stderr}`).toBe(0);
        expect(r.stderr, said).toBe('');
        expect(r.stdout, said).toMatch(new RegExp(`^usage:\\s+openptl ${words[0]}\\b`));
      }
    }
    expect(existsSync(db)).toBe(false);
  }, 120_000);
});

describe('openptl serve on a port in use', () => {
  it('exits non-zero with one line naming the port and how to choose another, loading nothing', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    const db = join(tempDir(), 'first-run.db');
    try {
      const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--db', db]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(status).not.toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `openptl: port ${port} on 127.0.0.1 is in use (another OpenPTL, or another program): choose another with --port N, e.g. openptl serve --port ${port + 1}\n`,
      );
      expect(existsSync(db)).toBe(false); // no empty database made, no demo data loaded
    } finally {
      holder.close();
    }
  }, 60_000);
});

describe('progress of long commands', () => {
  it('is a line on a terminal, rewritten as the percent changes and cleared at the end', () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (s: string) => written.push(s) > 0 };
    const p = progress('Importing h.ndjson', terminal as never);
    for (let done = 0; done <= 1000; done += 5) p.step(done, 1000);
    p.end();
    const shown = written.map((w) => w.replace(/^\r/, '').trimEnd()).filter(Boolean);
    expect(shown[0]).toBe('Importing h.ndjson…');
    expect(shown.slice(1)).toEqual(Array.from({ length: 101 }, (_, i) => `Importing h.ndjson: ${i}%`));
    expect(written.at(-1)).toBe('\r'); // the line cleared, the cursor back at its start
  });

  it('says nothing when stderr is not a terminal', () => {
    const written: string[] = [];
    const piped = { isTTY: false, write: (s: string) => written.push(s) > 0 };
    const p = progress('Rebuilding', piped as never);
    p.step(5, 10);
    p.end();
    expect(passProgress('Counting', piped as never)).toBeNull();
    expect(written).toEqual([]);
  });

  it('a piped import, rebuild, past count and report write only their results', () => {
    const dir = tempDir();
    const db = join(dir, 'piped.db');
    const file = join(dir, 'h.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify({ pathwayId: 'P1', recordedAt: '2026-01-05T10:00:00Z', type: 'referral_received', on: '2026-01-05', route: 'urgent_suspected_cancer', tumourSite: 'lung', nhsNumber: '9434765919' })}\n`,
    );
    for (const args of [
      ['import', file],
      ['rebuild'],
      ['backlog', '--as-of', '2026-02-01'],
      ['report', '--as-of', '2026-02-01', '--out', join(dir, 'reports')],
    ]) {
      const r = run([...args, '--db', db]);
      expect([r.status, r.stderr], args[0]).toEqual([0, '']);
      expect(r.stdout.length, args[0]).toBeGreaterThan(0);
    }
  }, 60_000);
});
