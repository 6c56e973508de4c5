// `npm run bench [-- --preset trust|england|demo] [--referrals-per-month N --months M] [--history FILE]
//   [--db FILE] [--keep-dir] [--server-cpu-prof DIR]`
// Prints one JSON line per figure. Never part of `npm test`; checks counts, never times.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { PRESETS, simulate } from '../src/sim/simulate.ts';
import { openDb } from '../src/store/db.ts';
import { Store } from '../src/store/store.ts';
import { systemClock, today } from '../src/wall-clock.ts';
import { addDays } from '../src/cwt/calendar.ts';
import { SNAPSHOT_WINDOW_DAYS } from '../src/store/backlog.ts';

const { values } = parseArgs({ options: {
  preset: { type: 'string' }, 'referrals-per-month': { type: 'string' }, months: { type: 'string' }, seed: { type: 'string' },
  'keep-dir': { type: 'boolean' },
  history: { type: 'string' }, // reuse a history written earlier by `openptl simulate` with the same options
  'server-cpu-prof': { type: 'string' }, // DIR: profile the server under load (node --cpu-prof), to see what limits the HTTP figures
  db: { type: 'string' }, // FILE: measure the reads and the server on an existing database (no simulate, import or rebuild)
} });
const preset = PRESETS[(values.preset ?? 'trust') as keyof typeof PRESETS];
const opts = {
  referralsPerMonth: Number(values['referrals-per-month'] ?? preset.referralsPerMonth),
  months: Number(values.months ?? preset.months),
  seed: Number(values.seed ?? 1),
  // The history ends yesterday, so nothing in it is recorded later than now.
  asOf: addDays(today(systemClock), -1),
};
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin/openptl.js');
const dir = mkdtempSync(join(tmpdir(), 'openptl-bench-'));
const print = (metric: string, value: number, unit: string, extra: object = {}) => console.log(JSON.stringify({ metric, value: round(value), unit, ...extra }));
const printLatency = (metric: string, samples: number[], extra: object = {}) => {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => round(s[Math.min(s.length - 1, Math.floor(s.length * q))]!);
  console.log(JSON.stringify({ metric, p50: at(0.5), p99: at(0.99), unit: 'ms', samples: s.length, p90: at(0.9), max: at(1), ...extra }));
};
const round = (n: number) => Math.round(n * 100) / 100;
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
/** The benchmark checks its counts (never its times), so a smoke run in CI fails when a stage breaks. */
const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`bench check failed: ${what}`);
};

console.log(JSON.stringify({ metric: 'setup', ...(values.db ? { db: values.db } : opts), cpus: (await import('node:os')).cpus().length, node: process.version }));

const dbFile = values.db ?? join(dir, 'openptl.db');
let lines = 0;
if (!values.db) {
  // 1. The history, written as an import file.
  const file = values.history ?? join(dir, 'history.ndjson');
  if (values.history) {
    lines = Number(spawnSync('wc', ['-l', file], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0]);
  } else {
    const t0 = process.hrtime.bigint();
    const out = createWriteStream(file);
    let chunk = '';
    for (const line of simulate(opts)) {
      chunk += `${JSON.stringify(line)}\n`;
      lines++;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = '';
      }
    }
    out.end(chunk);
    await new Promise<void>((r) => out.on('finish', () => r()));
    print('simulate_lines_per_s', lines / seconds(t0), 'lines/s', { lines, bytes: statSync(file).size });
  }

  // 2. The physical ceiling: plain batched inserts into a table shaped like `events`.
  let ceiling = 0;
  {
    const db = new Database(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, pathway_id TEXT NOT NULL, version INTEGER NOT NULL, event_id TEXT NOT NULL,
      type TEXT NOT NULL, on_date TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, idempotency_key TEXT UNIQUE, data TEXT NOT NULL,
      UNIQUE (pathway_id, version), UNIQUE (pathway_id, event_id))`);
    const insert = db.prepare('INSERT INTO events (pathway_id, version, event_id, type, on_date, recorded_at, actor, idempotency_key, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const rows = Math.min(lines, 500_000);
    const data = JSON.stringify({ type: 'test_requested', on: '2026-01-01', test: 'colonoscopy', id: 'e3' });
    const t0 = process.hrtime.bigint();
    const batch = db.transaction((from: number) => {
      for (let i = from; i < Math.min(from + 2000, rows); i++) insert.run(`P${i >> 3}`, i & 7, `e${i & 7}`, 'test_requested', '2026-01-01', '2026-01-01T10:00:00.000Z', 'import', `k${i}`, data);
    });
    for (let i = 0; i < rows; i += 2000) batch(i);
    ceiling = rows / seconds(t0);
    print('sqlite_raw_insert_rows_per_s', ceiling, 'rows/s', { rows });
    db.close();
  }

  // 3. openptl import of the whole history: validation, machine, clocks, projection.
  {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, 'import', file, '--db', dbFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
    check(r.status === 0, `openptl import exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    const summary = JSON.parse(r.stdout) as { imported: number; rejected: number };
    check(summary.imported === lines && summary.rejected === 0, `import took ${summary.imported} of ${lines} lines (${summary.rejected} rejected)`);
    const rate = summary.imported / seconds(t0);
    print('import_events_per_s', rate, 'events/s', { events: summary.imported, rejected: summary.rejected, ratio_to_ceiling: round(rate / ceiling) });
  }
}

// 4. Rebuild, and the reads at the end of the history.
{
  const sql = openDb(dbFile);
  const store = new Store(sql, systemClock);
  const now = today(systemClock);
  if (!values.db) {
    const t0 = process.hrtime.bigint();
    const { events, pathways } = store.rebuild();
    check(events === lines, `rebuild replayed ${events} events of ${lines}`);
    print('rebuild_events_per_s', events / seconds(t0), 'events/s', { events, pathways });
  }
  const open = sql.prepare("SELECT count(*) FROM pathways WHERE status = 'open'").pluck().get() as number;
  check(store.backlog.current(now).open === open, 'backlog counts disagree with the open pathways');
  const backlog: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    store.backlog.current(now);
    backlog.push(ms(t));
  }
  printLatency('backlog_query_ms', backlog.slice(20), { open_pathways: open });
  const page: number[] = [];
  const filters = [{}, { tumourSite: 'lower_gi' }, { breached: true }, { stage: 'under_investigation' }, { provider: 'RAJ', minDays: 20 }];
  for (let i = 0; i < 200; i++) {
    let cursor: string | undefined;
    for (let p = 0; p < 3; p++) {
      const t = process.hrtime.bigint();
      const result = store.ptl.page({ ...filters[i % filters.length], limit: 50, cursor }, now);
      page.push(ms(t));
      cursor = result.nextCursor ?? undefined;
      if (!cursor) break;
    }
  }
  printLatency('ptl_page_ms', page.slice(30), { open_pathways: open, page_size: 50 });
  // The past days' backlog snapshots, made in one pass over the history (as rebuild does).
  const t1 = process.hrtime.bigint();
  store.backlog.asOfNow(addDays(now, -SNAPSHOT_WINDOW_DAYS), now);
  print('backlog_snapshots_s', seconds(t1), 's', { days: SNAPSHOT_WINDOW_DAYS });
  if (!store.users.list().some((u) => u.name === 'bench')) store.users.add('bench', 'tracker', 'bench-password');
  store.close();
}

// 5. The server: HTTP appends under concurrent clients, and websocket pushes to 1,000 clients.
{
  const token = spawnSync(process.execPath, [bin, 'token', 'create', 'bench', '--db', dbFile], { encoding: 'utf8' }).stdout.trim();
  const profile = values['server-cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['server-cpu-prof']}`] : [];
  const server = spawn(process.execPath, [...profile, bin, 'serve', '--db', dbFile, '--port', '0', '--no-demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The server's own request log gives the time from receiving a request to finishing its answer,
  // which separates the server's share of the latency from the client's on these shared cores.
  const serverMs: number[] = [];
  const port = await new Promise<number>((resolve) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const m = /127\.0\.0\.1:(\d+)\//.exec(line);
        if (m) resolve(Number(m[1]));
        if (line.startsWith('{') && line.includes('"method":"POST"')) serverMs.push((JSON.parse(line) as { ms: number }).ms);
      }
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const day = today(systemClock);
  // node:http with kept-alive connections: the load client shares the two cores with the server,
  // and costs it less CPU than fetch does.
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const post = (path: string, body: unknown) => new Promise<{ pathwayId: string; version: number }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => {
        try {
          check(res.statusCode === 200 || res.statusCode === 201, `POST ${path} answered ${res.statusCode}: ${text.slice(0, 200)}`);
          resolve(JSON.parse(text) as { pathwayId: string; version: number });
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  const referral = { type: 'referral_received', on: day, route: 'urgent_suspected_cancer', tumourSite: 'skin', nhsNumber: '9990000018' };
  const steps = [{ type: 'triaged', on: day, outcome: 'outpatient' }, { type: 'appointment_booked', on: day, appointmentOn: day, appointment: 'first' }, { type: 'first_seen', on: day }, { type: 'test_requested', on: day, test: 'biopsy' }];

  // Each client takes pathways through five appends in turn (referral, then four events with expectedVersion).
  // Without a rate, each sends as soon as its last answer came (the most the server takes). With a
  // rate, request k of client c is due at a fixed time and its latency counts from then, so a slow
  // answer is charged to the requests queued behind it too (no coordinated omission).
  const clients = 8;
  const appendLoad = async (perClient: number, ratePerS?: number) => {
    const latencies: number[] = [];
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      let pathwayId = '';
      for (let k = 0; k < perClient; k++) {
        let from = process.hrtime.bigint();
        if (ratePerS) {
          const due = t0 + BigInt(Math.round(((k * clients + c) / ratePerS) * 1e9));
          const wait = Number(due - from) / 1e6;
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          from = due;
        }
        const step = k % 5;
        if (step === 0) pathwayId = (await post('/api/pathways', referral)).pathwayId;
        else await post(`/api/pathways/${pathwayId}/events`, { expectedVersion: step, event: steps[step - 1] });
        latencies.push(ms(from));
      }
    }));
    return { latencies, rate: latencies.length / seconds(t0) };
  };
  // The log is written asynchronously: wait for its lines of a phase before reading them.
  const serverTimes = async (count: number) => {
    const deadline = Date.now() + 10_000;
    while (serverMs.length < count) {
      check(Date.now() < deadline, `the server logged ${serverMs.length} of ${count} requests`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return serverMs.splice(0, count);
  };
  const flat = await appendLoad(600);
  print('http_append_per_s', flat.rate, 'appends/s', { clients, appends: flat.latencies.length });
  printLatency('http_append_ms', flat.latencies, { clients });
  printLatency('http_append_server_ms', await serverTimes(flat.latencies.length), { clients, note: 'in the server, from its request log' });
  const paced = await appendLoad(600, 1000);
  printLatency('http_append_at_1000_per_s_ms', paced.latencies, { clients, offered_per_s: 1000, achieved_per_s: round(paced.rate) });
  printLatency('http_append_at_1000_per_s_server_ms', await serverTimes(paced.latencies.length), { clients, note: 'in the server, from its request log' });

  const sockets: WebSocket[] = [];
  const received: number[] = [];
  let sentAt = 0n;
  for (let i = 0; i < 1000; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/live`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
    let first = true;
    ws.on('message', () => {
      if (first) { first = false; return; }
      received.push(ms(sentAt));
    });
    sockets.push(ws);
  }
  await Promise.all(sockets.map((ws) => new Promise((r) => ws.once('open', r))));
  await new Promise((r) => setTimeout(r, 500));
  for (let round = 0; round < 10; round++) {
    const before = received.length;
    sentAt = process.hrtime.bigint();
    await post('/api/pathways', referral); // one more open pathway: the counts change
    const deadline = Date.now() + 10_000;
    while (received.length < before + sockets.length) {
      check(Date.now() < deadline, `only ${received.length - before} of ${sockets.length} websocket clients got round ${round + 1}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  printLatency('ws_push_ms', received, { clients: sockets.length, note: 'from the POST being sent to receipt, coalescing window 25 ms included' });
  for (const ws of sockets) ws.terminate();

  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  print('peak_rss_mb', Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024, 'MB');
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
}

// ---- 6. The access log (issue #16) ------------------------------------------------------------
// Every pathway viewed and every PTL query is written to access_log. Do appends slow down when
// viewers read at the same time? The same mixed load against two servers: the log as shipped
// (buffered, written once a second) and written at once for each entry (--audit-flush-ms 0).
// Plus the cost of one record() call and of writing a thousand entries, in this process.
{
  const sql = openDb(dbFile);
  const store = new Store(sql, systemClock);
  const before = sql.prepare('SELECT count(*) FROM access_log').pluck().get() as number;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 100_000; i++) store.access.record({ actor: 'user:bench', action: 'pathway_viewed', pathwayId: `P${i}`, address: '127.0.0.1', detail: { via: 'token 1' } });
  const recordUs = Number(process.hrtime.bigint() - t0) / 1e3 / 100_000;
  check((sql.prepare('SELECT count(*) FROM access_log').pluck().get() as number) === before + 100_000, 'access log entries written');
  const flushes: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 999; i++) store.access.record({ actor: 'user:bench', action: 'ptl_queried', detail: { filters: { tumourSite: 'skin' }, patients: 50 } });
    const t = process.hrtime.bigint();
    store.access.flush();
    flushes.push(ms(t));
  }
  print('access_log_record_us', recordUs, 'us', { entries: 100_000, note: 'record() and its share of the batched writes (1,000 per transaction)' });
  printLatency('access_log_flush_ms', flushes, { entries_per_flush: 999 });
  store.close();

  const token = spawnSync(process.execPath, [bin, 'token', 'create', 'bench', '--db', dbFile], { encoding: 'utf8' }).stdout.trim();
  // The two set-ups take turns, three rounds each, so both meet the same load from anything else on the machine.
  const modes = [['batched, once a second', '1000'], ['each entry written at once', '0']] as const;
  const results = new Map<string, { appends: number; seconds: number; reads: number; latencies: number[]; serverMs: number[] }>(modes.map(([label]) => [label, { appends: 0, seconds: 0, reads: 0, latencies: [], serverMs: [] }]));
  for (let roundNo = 0; roundNo < 3; roundNo++) for (const [label, flushMs] of modes) {
    const server = spawn(process.execPath, [bin, 'serve', '--db', dbFile, '--port', '0', '--no-demo', '--audit-flush-ms', flushMs], { stdio: ['ignore', 'pipe', 'inherit'] });
    const result = results.get(label)!;
    // The server's own time for each append, from its request log (less of the client's share of the cores).
    let measuring = false;
    const port = await new Promise<number>((resolve) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const lines = out.split('\n');
        out = lines.pop()!;
        for (const line of lines) {
          const m = /127\.0\.0\.1:(\d+)\//.exec(line);
          if (m) resolve(Number(m[1]));
          if (measuring && line.startsWith('{') && line.includes('"method":"POST"')) result.serverMs.push((JSON.parse(line) as { ms: number }).ms);
        }
      });
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const send = (method: string, path: string, body?: unknown) => new Promise<{ status: number; json: { pathwayId?: string; entries?: { pathwayId: string }[] } }>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
    const day = today(systemClock);
    const ids = ((await send('GET', '/api/ptl?limit=200')).json.entries ?? []).map((e) => e.pathwayId);
    check(ids.length > 0, 'the PTL has pathways to view');
    const referral = { type: 'referral_received', on: day, route: 'urgent_suspected_cancer', tumourSite: 'skin', nhsNumber: '9990000018' };
    const steps = [{ type: 'triaged', on: day, outcome: 'outpatient' }, { type: 'appointment_booked', on: day, appointmentOn: day, appointment: 'first' }, { type: 'first_seen', on: day }, { type: 'test_requested', on: day, test: 'biopsy' }];
    let appending = true;
    measuring = true;
    const t1 = process.hrtime.bigint();
    // Two viewers read as fast as they are answered (a pathway, then a PTL page) while 8 trackers append.
    const readers = Array.from({ length: 2 }, async (_, r) => {
      for (let i = r; appending; i += 2) {
        const got = await send('GET', i % 2 ? `/api/pathways/${ids[i % ids.length]}` : '/api/ptl?limit=50&tumourSite=skin');
        check(got.status === 200, `read answered ${got.status}`);
        result.reads++;
      }
    });
    await Promise.all(Array.from({ length: 8 }, async () => {
      let pathwayId = '';
      for (let k = 0; k < 300; k++) {
        const from = process.hrtime.bigint();
        const step = k % 5;
        const got = step === 0 ? await send('POST', '/api/pathways', referral) : await send('POST', `/api/pathways/${pathwayId}/events`, { expectedVersion: step, event: steps[step - 1] });
        check(got.status === 201, `append answered ${got.status}`);
        if (step === 0) pathwayId = got.json.pathwayId!;
        result.latencies.push(ms(from));
        result.appends++;
      }
    }));
    result.seconds += seconds(t1);
    appending = false;
    await Promise.all(readers);
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
    agent.destroy();
  }
  for (const [label, r] of results) {
    print('http_append_with_audited_reads_per_s', r.appends / r.seconds, 'appends/s', { audit: label, appends: r.appends, audited_reads: r.reads, reads_per_s: round(r.reads / r.seconds), rounds: 3 });
    printLatency('http_append_with_audited_reads_ms', r.latencies, { audit: label });
    printLatency('http_append_with_audited_reads_server_ms', r.serverMs, { audit: label, note: 'in the server, from its request log' });
  }
  const audited = new Database(dbFile, { readonly: true }).prepare("SELECT count(*) FROM access_log WHERE action IN ('pathway_viewed', 'ptl_queried')").pluck().get() as number;
  check(audited >= before + 100_000 + 20 * 999, 'the servers wrote their access log at shutdown');
}

if (!values['keep-dir']) rmSync(dir, { recursive: true, force: true });
