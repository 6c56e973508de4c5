// `openptl serve` (users and tokens are in access-commands.ts).
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer, isIP } from 'node:net';
import { systemClock, today, type WallClock } from '../wall-clock.ts';
import { addDays, instantOf } from '../vocabulary/calendar.ts';
import { SNAPSHOT_WINDOW_DAYS } from '../store/backlog.ts';
import { scheduleNightlyReport } from '../report/nightly.ts';
import { checkReportArgs, reportsDir } from './report.ts';
import { DEFAULT_KEEP_DAYS } from '../store/access-log.ts';
import type { TrustProxy } from '../api/app.ts';
import { createLogger, flushLogger } from '../api/logger.ts';
import { startServer } from '../api/server.ts';
import { ForecastOptionError, parseTarget } from '../forecast/levers.ts';
import { CliError } from './errors.ts';
import { DEFAULT_DB, openDatabase, options } from './store-commands.ts';
import { auditCli } from './audit-entry.ts';
import type { SettingKey } from '../store/settings.ts';
import { loadDemoData } from './demo.ts';
import { syntheticImdLookup } from '../sim/equality.ts';
import { Hl7Feed } from '../hl7/feed.ts';
import { PathwayCommands } from '../pathways/commands.ts';
import { allowList, HL7_DEFAULTS, startHl7Listener, type RunningListener } from '../hl7/listener.ts';
import { tlsFiles } from './hl7.ts';

export async function serveCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const usage =
    'openptl serve [--db FILE] [--port N] [--host ADDR] [--no-demo] [--nightly-report HH:MM --reports-dir DIR] [--trust-proxy HOPS|ADDR,...] [--audit-keep-days N] [--audit-flush-ms N] [--hl7-port N [--hl7-host ADDR] [--hl7-allow ADDR,...] [--hl7-tls-cert FILE --hl7-tls-key FILE --hl7-tls-ca FILE]]';
  const { values, positionals } = options(
    args,
    {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'no-demo': { type: 'boolean' },
      'nightly-report': { type: 'string' },
      'reports-dir': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'audit-keep-days': { type: 'string' },
      'audit-flush-ms': { type: 'string' },
      'hl7-port': { type: 'string' },
      'hl7-host': { type: 'string' }, // issue #17
      'hl7-allow': { type: 'string' }, // issue #25
      'hl7-tls-cert': { type: 'string' },
      'hl7-tls-key': { type: 'string' },
      'hl7-tls-ca': { type: 'string' },
    },
    usage,
  );
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port: must be a whole number from 0 to 65535 (got ${values.port})`);
  const hl7Port = values['hl7-port'] === undefined ? null : Number(values['hl7-port']);
  if (hl7Port !== null && (!Number.isInteger(hl7Port) || hl7Port < 0 || hl7Port > 65535))
    throw new CliError(`--hl7-port: must be a whole number from 0 to 65535 (got ${values['hl7-port']})`);
  for (const option of ['hl7-host', 'hl7-allow', 'hl7-tls-cert', 'hl7-tls-key', 'hl7-tls-ca'] as const)
    if (hl7Port === null && values[option] !== undefined) throw new CliError(`--${option} needs --hl7-port N`);
  // Who may send (issue #25): the addresses listed, loopback alone by default; over TLS, with a certificate the CA signed.
  const hl7Allow = values['hl7-allow']?.split(',').map((a) => a.trim()) ?? HL7_DEFAULTS.allow;
  try {
    allowList(hl7Allow);
  } catch (err) {
    throw new CliError(`--hl7-allow: ${(err as Error).message}`);
  }
  const hl7Tls = tlsFiles(values, '--hl7-tls');
  const nightly = values['nightly-report'];
  if (nightly !== undefined) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(nightly))
      throw new CliError(`--nightly-report: must be a time HH:MM (got ${nightly})`);
    if (!values['reports-dir']) throw new CliError('--nightly-report needs --reports-dir DIR');
    checkReportArgs(today(clock), values['reports-dir'], clock);
  }
  const trustProxy = parseTrustProxy(values['trust-proxy']);
  const auditKeepDays = wholeNumber(values['audit-keep-days'], '--audit-keep-days', 1, 36_500) ?? DEFAULT_KEEP_DAYS;
  const auditFlushMs = wholeNumber(values['audit-flush-ms'], '--audit-flush-ms', 0, 60_000);
  if (values['reports-dir']) reportsDir(values['reports-dir'], '--reports-dir');
  const host = values.host ?? '127.0.0.1';
  await mustBeFree(host, port); // before a first run loads its demo data, not after
  const file = values.db ?? DEFAULT_DB;
  // Every page read first: a damaged file is refused now, not found by a request later (issue #25).
  const store = openDatabase(file, clock, { mustExist: false, verify: true });
  const { access, log, settings, users, backlog, imd } = store;
  const commands = new PathwayCommands(store);
  if (auditFlushMs !== undefined) access.configure({ flushMs: auditFlushMs });
  const logger = createLogger();
  let signIn: string | null = null;
  if (!values['no-demo'] && log.count() === 0) {
    const loaded = loadDemoData(commands, clock);
    if (settings.get('trustName') === null) settings.set('trustName', 'Demo NHS Trust (synthetic patients)');
    // Issue #27: the synthetic postcodes' deprivation lookup (not real postcodes), unless one is loaded.
    if (imd.source() === null)
      imd.replace(syntheticImdLookup(), {
        file: 'synthetic (demo)',
        loadedAt: instantOf(clock.now()),
        loadedBy: 'demo',
      });
    logger.info({ pathways: loaded.pathways, events: loaded.events }, 'empty database: loaded demo data');
  }
  if (users.count() === 0) {
    const password = randomBytes(12).toString('base64url');
    users.add('demo', 'admin', password);
    // Not on stdout (issue #25: it goes to logs and terminals' scrollback): a file only this user reads.
    const kept = join(dirname(file), 'demo-password.txt');
    writeFileSync(kept, `${password}\n`, { mode: 0o600 });
    chmodSync(kept, 0o600); // a file left from before keeps its mode otherwise
    signIn = `as "demo" with the password in ${kept} (readable by this user only; an admin: add real users with openptl user add NAME --role tracker)`;
  }
  const running = await startServer({
    store,
    clock,
    logger,
    port,
    host,
    trustProxy,
    auditKeepDays,
    reportsDir: values['reports-dir'],
  }).catch((err: unknown) => {
    store.close();
    throw listenRefusal(err, host, port) ?? err;
  });
  // Past days' backlog snapshots missing from the window are made in the background, in slices.
  const now = today(clock);
  void backlog.fill(addDays(now, -SNAPSHOT_WINDOW_DAYS), addDays(now, -1));
  const stopNightly = nightly
    ? scheduleNightlyReport(store, clock, { at: nightly, dir: values['reports-dir']!, logger })
    : () => {};
  process.stdout.write(`OpenPTL is running on http://${host}:${running.port}/ (database ${file})\n`);
  // The inbound feed from the hospital's PAS (issue #17): HL7 v2 over MLLP, on loopback unless told otherwise.
  let hl7: RunningListener | null = null;
  if (hl7Port !== null) {
    const hl7Host = values['hl7-host'] ?? HL7_DEFAULTS.host;
    try {
      hl7 = await startHl7Listener(new Hl7Feed(store, commands, clock), logger, {
        port: hl7Port,
        host: hl7Host,
        allow: hl7Allow,
        ...(hl7Tls ? { tls: hl7Tls } : {}),
      });
    } catch (err) {
      await running.close();
      throw new CliError(
        `--hl7-port: cannot listen on ${hl7Host}:${hl7Port} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    process.stdout.write(
      `HL7 v2 (MLLP${hl7Tls ? ' over TLS, client certificates required' : ''}) listening on ${hl7Host}:${hl7.port}, from ${hl7Allow.join(', ')}\n`,
    );
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

/** Refuses, in one line, a port another program holds (or this user may not use), before anything is loaded. */
async function mustBeFree(host: string, port: number): Promise<void> {
  if (port === 0) return; // any free port
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  }).catch((err: unknown) => {
    throw listenRefusal(err, host, port) ?? err;
  });
}

/** The one line for a port that cannot be listened on, or null for another failure. */
function listenRefusal(err: unknown, host: string, port: number): CliError | null {
  const code = (err as NodeJS.ErrnoException).code;
  const other = port === 65535 ? 3000 : port + 1;
  if (code === 'EADDRINUSE')
    return new CliError(
      `port ${port} on ${host} is in use (another OpenPTL, or another program): choose another with --port N, e.g. openptl serve --port ${other}`,
    );
  if (code === 'EACCES')
    return new CliError(
      `port ${port} on ${host} needs privileges this user does not have: choose one above 1023 with --port N, e.g. openptl serve --port 3000`,
    );
  if (code === 'EADDRNOTAVAIL') return new CliError(`--host: ${host} is not an address of this machine`);
  return null;
}

function wholeNumber(value: string | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new CliError(`${option}: a whole number from ${min} to ${max} (got ${value})`);
  return n;
}

/**
 * --trust-proxy: which reverse proxies may say who the client is and whether it came over https
 * (X-Forwarded-For, X-Forwarded-Proto). A number of proxy hops, or the proxies' addresses or
 * subnets, comma-separated (loopback, 10.0.0.5, 10.0.0.0/8). "Trust everyone" is not offered:
 * then any client could claim any address and dodge the sign-in limits.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined) return false;
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 10) return Number(value);
  const parts = value.split(',').map((p) => p.trim());
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const ok = (part: string) => {
    if (named.has(part)) return true;
    const [address, bits, ...more] = part.split('/');
    if (more.length || !address || !isIP(address)) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
  };
  if (parts.length === 0 || !parts.every(ok)) {
    throw new CliError(
      `--trust-proxy: a number of proxy hops (1-10), or the proxies' addresses or subnets, comma-separated: loopback, 10.0.0.5, 10.0.0.0/8 (got ${value})`,
    );
  }
  return parts.join(',');
}

/**
 * `openptl settings [--trust-name NAME] [--target T] [--audit-patients-per-hour N] [--hl7-keep-days N]`: sets
 * what is given (each change in the access log), then prints every setting as JSON.
 */
export function settingsCommand(args: string[], clock: WallClock = systemClock): void {
  const usage =
    'openptl settings [--trust-name NAME] [--target over62<100@YYYY-MM-DD|none] [--audit-patients-per-hour N] [--hl7-keep-days N] [--db FILE]';
  const { values, positionals } = options(
    args,
    {
      'trust-name': { type: 'string' },
      target: { type: 'string' },
      'audit-patients-per-hour': { type: 'string' },
      'hl7-keep-days': { type: 'string' },
      db: { type: 'string' },
    },
    usage,
  );
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const name = values['trust-name']?.trim();
  if (name !== undefined && (name.length < 2 || name.length > 120))
    throw new CliError('--trust-name: must be 2 to 120 characters');
  // The trust's target for the backlog (issue #23): the Outlook page draws it and the forecast answers against it.
  const target = values.target?.trim();
  if (target !== undefined && target !== 'none') {
    try {
      parseTarget(target, today(clock));
    } catch (err) {
      if (err instanceof ForecastOptionError) throw new CliError(err.message);
      throw err;
    }
  }
  const perHour = wholeNumber(values['audit-patients-per-hour'], '--audit-patients-per-hour', 1, 1_000_000);
  const keepDays = wholeNumber(values['hl7-keep-days'], '--hl7-keep-days', 1, 3650);
  const store = openDatabase(values.db ?? DEFAULT_DB, clock, { mustExist: false });
  const { settings } = store;
  const changed: Record<string, string> = {};
  if (name !== undefined) changed.trustName = name;
  if (target !== undefined) changed.forecastTarget = target;
  if (perHour !== undefined) changed.auditPatientsPerHour = String(perHour);
  if (keepDays !== undefined) changed.hl7KeepDays = String(keepDays);
  for (const [key, value] of Object.entries(changed))
    if (key === 'forecastTarget' && value === 'none') settings.clear('forecastTarget');
    else settings.set(key as SettingKey, value);
  if (Object.keys(changed).length) auditCli(store, 'settings_changed', { detail: changed });
  const all = settings.all();
  process.stdout.write(
    `${JSON.stringify({ ...all, auditPatientsPerHour: settings.number('auditPatientsPerHour'), hl7KeepDays: settings.number('hl7KeepDays') })}\n`,
  );
}
