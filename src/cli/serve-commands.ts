// `openptl serve`, `openptl user add`, `openptl token create`.
import { createInterface } from 'node:readline/promises';
import { randomBytes } from 'node:crypto';
import { systemClock, today, type WallClock } from '../wall-clock.ts';
import { addDays } from '../cwt/calendar.ts';
import { SNAPSHOT_WINDOW_DAYS } from '../store/backlog.ts';
import { scheduleNightlyReport } from '../report/nightly.ts';
import { checkReportArgs } from './report.ts';
import { ROLES } from '../auth/roles.ts';
import { createLogger, flushLogger } from '../api/logger.ts';
import { startServer } from '../api/server.ts';
import { CliError } from './errors.ts';
import { DEFAULT_DB, openStore, options } from './store-commands.ts';
import { loadDemoData } from './demo.ts';
import { Hl7Feed } from '../hl7/feed.ts';
import { HL7_DEFAULTS, startHl7Listener, type RunningListener } from '../hl7/listener.ts';

export async function serveCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const usage = 'openptl serve [--db FILE] [--port N] [--host ADDR] [--no-demo] [--nightly-report HH:MM --reports-dir DIR] [--hl7-port N [--hl7-host ADDR]]';
  const { values, positionals } = options(args, {
    db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'no-demo': { type: 'boolean' },
    'nightly-report': { type: 'string' }, 'reports-dir': { type: 'string' },
    'hl7-port': { type: 'string' }, 'hl7-host': { type: 'string' }, // issue #17
  }, usage);
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: must be a whole number from 0 to 65535 (got ${values.port})`);
  const hl7Port = values['hl7-port'] === undefined ? null : Number(values['hl7-port']);
  if (hl7Port !== null && (!Number.isInteger(hl7Port) || hl7Port < 0 || hl7Port > 65535)) throw new CliError(`--hl7-port: must be a whole number from 0 to 65535 (got ${values['hl7-port']})`);
  if (hl7Port === null && values['hl7-host'] !== undefined) throw new CliError('--hl7-host needs --hl7-port N');
  const nightly = values['nightly-report'];
  if (nightly !== undefined) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(nightly)) throw new CliError(`--nightly-report: must be a time HH:MM (got ${nightly})`);
    if (!values['reports-dir']) throw new CliError('--nightly-report needs --reports-dir DIR');
    checkReportArgs(today(clock), values['reports-dir'], clock);
  }
  const file = values.db ?? DEFAULT_DB;
  const store = openStore(file, clock, { mustExist: false });
  const logger = createLogger();
  let signIn: string | null = null;
  if (!values['no-demo'] && store.log.count() === 0) {
    const loaded = loadDemoData(store, clock);
    logger.info({ pathways: loaded.pathways, events: loaded.events }, 'empty database: loaded demo data');
  }
  if (store.users.count() === 0) {
    const password = randomBytes(9).toString('base64url');
    store.users.add('demo', 'admin', password);
    signIn = `as "demo" with password "${password}" (an admin; add real users with: openptl user add NAME --role tracker)`;
  }
  // Past days' backlog snapshots missing from the window are made in the background, in slices.
  const now = today(clock);
  void store.backlog.fill(addDays(now, -SNAPSHOT_WINDOW_DAYS), addDays(now, -1));
  const running = await startServer({ store, clock, logger, port, host: values.host ?? '127.0.0.1' });
  const stopNightly = nightly ? scheduleNightlyReport(store, clock, { at: nightly, dir: values['reports-dir']!, logger }) : () => {};
  process.stdout.write(`OpenPTL is running on http://${values.host ?? '127.0.0.1'}:${running.port}/ (database ${file})\n`);
  // The inbound feed from the hospital's PAS (issue #17): HL7 v2 over MLLP, on loopback unless told otherwise.
  let hl7: RunningListener | null = null;
  if (hl7Port !== null) {
    const host = values['hl7-host'] ?? HL7_DEFAULTS.host;
    try {
      hl7 = await startHl7Listener(new Hl7Feed(store, clock), logger, { port: hl7Port, host });
    } catch (err) {
      await running.close();
      throw new CliError(`--hl7-port: cannot listen on ${host}:${hl7Port} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    process.stdout.write(`HL7 v2 (MLLP) listening on ${host}:${hl7.port}\n`);
  }
  if (signIn) process.stdout.write(`Sign in ${signIn}\n`);
  const stop = async () => {
    stopNightly();
    await hl7?.close();
    await running.close();
    store.close();
    await flushLogger(logger);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function askPassword(): Promise<string> {
  // From a terminal, ask without echo; from a pipe, read the first line.
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new CliError('no password given (use --password P, or type it when asked)');
  }
  process.stdout.write('Password: ');
  const rl = createInterface({ input: process.stdin, output: undefined, terminal: true });
  const password = await rl.question('');
  rl.close();
  process.stdout.write('\n');
  return password;
}

export async function userCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const usage = `openptl user add NAME --role ${ROLES.join('|')} [--password P] [--db FILE]`;
  const { values, positionals } = options(args, { role: { type: 'string' }, password: { type: 'string' }, db: { type: 'string' } }, usage);
  const [verb, name] = positionals;
  if (verb !== 'add' || !name || positionals.length > 2 || !values.role) throw new CliError(`usage: ${usage}`);
  const store = openStore(values.db ?? DEFAULT_DB, clock, { mustExist: false });
  const password = values.password ?? (await askPassword());
  const user = store.users.add(name, values.role, password);
  process.stdout.write(`${JSON.stringify({ name: user.name, role: user.role })}\n`);
}

export function tokenCommand(args: string[], clock: WallClock = systemClock): void {
  const usage = 'openptl token create NAME [--db FILE]';
  const { values, positionals } = options(args, { db: { type: 'string' } }, usage);
  const [verb, name] = positionals;
  if (verb !== 'create' || !name || positionals.length > 2) throw new CliError(`usage: ${usage}`);
  const store = openStore(values.db ?? DEFAULT_DB, clock);
  process.stdout.write(`${store.users.createToken(name)}\n`);
}
