// `npm run bench [-- --preset trust|england|demo] [--referrals-per-month N --months M] [--history FILE]
//   [--db FILE] [--keep-dir] [--server-cpu-prof DIR]`
// Spawns the compiled CLI (bin/openptl.js runs dist/; `npm run bench` builds it first).
// Prints one JSON line per figure. Never part of `npm test`; checks counts, never times.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { PRESETS, simulate } from '../src/sim/simulate.ts';
import { openDb } from '../src/store/db.ts';
import { rebuild } from '../src/pathways/project.ts';
import { Store } from '../src/store/store.ts';
import { systemClock, today } from '../src/wall-clock.ts';
import { addDays, instantOf, previousMonthOf, sundayOnOrBefore } from '../src/vocabulary/calendar.ts';
import { writeCwtExtract } from '../src/returns/cwt-extract.ts';
import { writeCanptl } from '../src/returns/canptl.ts';
import { SNAPSHOT_WINDOW_DAYS } from '../src/store/backlog.ts';
import { ptlPageSamples } from './ptl-pages.ts';
import { latency } from './latency.ts';

const { values } = parseArgs({
  options: {
    preset: { type: 'string' },
    'referrals-per-month': { type: 'string' },
    months: { type: 'string' },
    seed: { type: 'string' },
    'keep-dir': { type: 'boolean' },
    history: { type: 'string' }, // reuse a history written earlier by `openptl simulate` with the same options
    'server-cpu-prof': { type: 'string' }, // DIR: profile the server under load (node --cpu-prof), to see what limits the HTTP figures
    db: { type: 'string' }, // FILE: measure the reads and the server on an existing database (no simulate, import or rebuild)
  },
});
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
const print = (metric: string, value: number, unit: string, extra: object = {}) =>
  console.log(JSON.stringify({ metric, value: round(value), unit, ...extra }));
const quantile = (samples: number[], q: number) => {
  const s = [...samples].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.floor(s.length * q))]!);
};
const printLatency = (metric: string, samples: number[], extra: object = {}) =>
  console.log(JSON.stringify({ metric, ...latency(samples), ...extra }));
const round = (n: number) => Math.round(n * 100) / 100;
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
/** The benchmark checks its counts (never its times), so a smoke run in CI fails when a stage breaks. */
const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`bench check failed: ${what}`);
};

/**
 * `openptl serve` with these arguments: its port, and each POST's time in the server from its
 * request log (from receiving the request to finishing the answer), which separates the server's
 * share of a latency from the client's on these shared cores.
 */
async function serve(args: string[], postMs: (ms: number) => void): Promise<{ server: ChildProcess; port: number }> {
  const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => server.kill()); // a failed check must not leave the server running
  const port = await new Promise<number>((resolve) => {
    let out = '';
    server.stdout!.on('data', (d) => {
      out += d;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const m = /127\.0\.0\.1:(\d+)\//.exec(line);
        if (m) resolve(Number(m[1]));
        if (line.startsWith('{') && line.includes('"method":"POST"')) postMs((JSON.parse(line) as { ms: number }).ms);
      }
    });
  });
  return { server, port };
}

console.log(
  JSON.stringify({
    metric: 'setup',
    ...(values.db ? { db: values.db } : opts),
    cpus: (await import('node:os')).cpus().length,
    node: process.version,
  }),
);

// 0. CLI start-up: `openptl clock` on a one-event timeline against a bare `node -e ''`, runs interleaved
// so both see the same machine.
{
  const file = join(dir, 'one-event.json');
  const referral = {
    type: 'referral_received',
    on: '2026-11-01',
    route: 'urgent_suspected_cancer',
    tumourSite: 'lung',
    nhsNumber: '9434765919',
  };
  writeFileSync(file, JSON.stringify({ asOf: '2026-11-25', events: [referral] }));
  const cli: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < 10; i++) {
    let t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, 'clock', file], { encoding: 'utf8' });
    cli.push(ms(t));
    check(
      r.status === 0 && (JSON.parse(r.stdout) as { stage: string }).stage === 'awaiting_triage',
      `openptl clock exited ${r.status}: ${r.stderr.slice(0, 200)}`,
    );
    t = process.hrtime.bigint();
    check(spawnSync(process.execPath, ['-e', '']).status === 0, "node -e '' failed");
    node.push(ms(t));
  }
  printLatency('cli_start_ms', cli, {
    command: 'openptl clock FILE, one event',
    ratio_to_node_p50: round(quantile(cli, 0.5) / quantile(node, 0.5)),
  });
  printLatency('node_start_ms', node, { command: "node -e ''" });
}

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
  let ceiling: number;
  {
    const db = new Database(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, pathway_id TEXT NOT NULL, version INTEGER NOT NULL, event_id TEXT NOT NULL,
      type TEXT NOT NULL, on_date TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, idempotency_key TEXT UNIQUE, data TEXT NOT NULL,
      UNIQUE (pathway_id, version), UNIQUE (pathway_id, event_id))`);
    const insert = db.prepare(
      'INSERT INTO events (pathway_id, version, event_id, type, on_date, recorded_at, actor, idempotency_key, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const rows = Math.min(lines, 500_000);
    const data = JSON.stringify({ type: 'test_requested', on: '2026-01-01', test: 'colonoscopy', id: 'e3' });
    const t0 = process.hrtime.bigint();
    const batch = db.transaction((from: number) => {
      for (let i = from; i < Math.min(from + 2000, rows); i++)
        insert.run(
          `P${i >> 3}`,
          i & 7,
          `e${i & 7}`,
          'test_requested',
          '2026-01-01',
          '2026-01-01T10:00:00.000Z',
          'import',
          `k${i}`,
          data,
        );
    });
    for (let i = 0; i < rows; i += 2000) batch(i);
    ceiling = rows / seconds(t0);
    print('sqlite_raw_insert_rows_per_s', ceiling, 'rows/s', { rows });
    db.close();
  }

  // 3. openptl import of the whole history: validation, machine, clocks, projection.
  {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, 'import', file, '--db', dbFile], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    check(r.status === 0, `openptl import exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    const summary = JSON.parse(r.stdout) as { imported: number; rejected: number };
    check(
      summary.imported === lines && summary.rejected === 0,
      `import took ${summary.imported} of ${lines} lines (${summary.rejected} rejected)`,
    );
    const rate = summary.imported / seconds(t0);
    print('import_events_per_s', rate, 'events/s', {
      events: summary.imported,
      rejected: summary.rejected,
      ratio_to_ceiling: round(rate / ceiling),
    });
  }
}

// 4. Rebuild, and the reads at the end of the history.
{
  const sql = openDb(dbFile);
  const store = new Store(sql, systemClock);
  const now = today(systemClock);
  if (!values.db) {
    const t0 = process.hrtime.bigint();
    const { events, pathways } = rebuild(store);
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
  const pages = ptlPageSamples(store, now);
  printLatency('ptl_page_ms', pages.page, { open_pathways: open, page_size: 50 });
  printLatency('ptl_page_total_ms', pages.withTotal, { open_pathways: open, page_size: 50 });
  // The past days' backlog snapshots, made in one pass over the history (as rebuild does).
  const t1 = process.hrtime.bigint();
  store.backlog.fillNow(null, now);
  print('backlog_snapshots_s', seconds(t1), 's', { days: SNAPSHOT_WINDOW_DAYS });
  // The national returns (issue #14): the last complete month's CWT submission, as at now, and the
  // last Sunday's cancer PTL. Simulated NHS numbers are all from the 999 range: both are made as a
  // preview (issue #24), which includes them, so every record is written and the work list is as a
  // trust's would be.
  {
    const out = mkdtempSync(join(dir, 'returns-'));
    const period = previousMonthOf(now).first.slice(0, 7);
    const t2 = process.hrtime.bigint();
    const { summary } = writeCwtExtract(store, period, instantOf(new Date()), out, { preview: true });
    print('cwt_extract_s', seconds(t2), 's', {
      period,
      records: summary.records,
      held_back: summary.heldBack,
      work_list_problems: summary.problems,
      test_numbers_included: summary.testNumbersIncluded,
    });
    check(summary.records + summary.heldBack > 0, 'the month has no national records');
    const sunday = sundayOnOrBefore(addDays(now, -1));
    const t3 = process.hrtime.bigint();
    const { canptl } = writeCanptl(store, sunday, out, { preview: true });
    print('canptl_s', seconds(t3), 's', {
      week_ending: sunday,
      open62: canptl.open62,
      patients: canptl.patients.length,
    });
    check(
      canptl.open62 === store.backlog.asOfNow(sunday, now).open,
      'the cancer PTL disagrees with the backlog as at the same moment',
    );
  }
  if (!store.users.list().some((u) => u.name === 'bench')) store.users.add('bench', 'tracker', 'bench-password');
  store.close();
}

// The nightly report for the last day of the history, as a user runs it. Its peak RSS comes from the
// child itself (process.resourceUsage at exit, written to stderr): the same on any OS, no GNU time.
{
  const out = join(dir, 'report');
  mkdirSync(out, { recursive: true });
  const atExit =
    "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss_kb='+process.resourceUsage().maxRSS+'\\n'))";
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    ['--import', atExit, bin, 'report', '--as-of', opts.asOf, '--out', out, '--db', dbFile],
    { encoding: 'utf8' },
  );
  const took = seconds(t0);
  const files = r.stdout.trim().split('\n').filter(Boolean);
  check(
    r.status === 0 && files.length >= 3 && files.every((f) => statSync(f).size > 0),
    `openptl report exited ${r.status} with ${files.length} files: ${r.stderr.slice(0, 300)}`,
  );
  const rssKb = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1]);
  check(rssKb > 0, 'openptl report did not give its peak RSS');
  print('report_s', took, 's', { as_of: opts.asOf, files: files.length });
  print('report_peak_rss_mb', rssKb / 1024, 'MB', { as_of: opts.asOf });

  // The stewards' forecast (issue #23) as at the same day: 16 weeks, 200 runs, a worker thread a core.
  const f0 = process.hrtime.bigint();
  const f = spawnSync(
    process.execPath,
    ['--import', atExit, bin, 'forecast', '--as-of', opts.asOf, '--weeks', '16', '--runs', '200', '--db', dbFile],
    { encoding: 'utf8' },
  );
  const forecastTook = seconds(f0);
  check(f.status === 0, `openptl forecast exited ${f.status}: ${f.stderr.slice(0, 300)}`);
  const forecast = JSON.parse(f.stdout) as { runs: number; trajectory: unknown[] };
  check(forecast.runs === 200 && forecast.trajectory.length === 16, 'openptl forecast gave the wrong weeks or runs');
  const forecastRssKb = Number(/maxrss_kb=(\d+)/.exec(f.stderr)?.[1]);
  const threads = (await import('node:os')).availableParallelism();
  print('forecast_s', forecastTook, 's', { as_of: opts.asOf, weeks: 16, runs: 200, threads });
  print('forecast_peak_rss_mb', forecastRssKb / 1024, 'MB', { as_of: opts.asOf, weeks: 16, runs: 200 });
}

// 5. The server: HTTP appends under concurrent clients, and websocket pushes to 1,000 clients.
{
  const token = spawnSync(process.execPath, [bin, 'token', 'create', 'bench', '--db', dbFile], {
    encoding: 'utf8',
  }).stdout.trim();
  const profile = values['server-cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['server-cpu-prof']}`] : [];
  const serverMs: number[] = [];
  const { server, port } = await serve([...profile, bin, 'serve', '--db', dbFile, '--port', '0', '--no-demo'], (ms) =>
    serverMs.push(ms),
  );
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const day = today(systemClock);
  // node:http with kept-alive connections: the load client shares the two cores with the server,
  // and costs it less CPU than fetch does.
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const send = <T>(method: string, path: string, body?: unknown, retried = false): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const req = request(`${base}${path}`, { method, headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          try {
            check(
              res.statusCode === 200 || res.statusCode === 201,
              `${method} ${path} answered ${res.statusCode}: ${text.slice(0, 200)}`,
            );
            resolve(JSON.parse(text) as T);
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // The server closes a kept-alive socket after 5 s idle; a request sent on it as it closes is reset
        // unread (seen when spare sockets sat idle through the as-at requests): send it once more, as
        // Node's documentation advises.
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET')
          send<T>(method, path, body, true).then(resolve, reject);
        else reject(err);
      });
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const post = (path: string, body: unknown) => send<{ pathwayId: string; version: number }>('POST', path, body);
  const backlogOn = async (asOf: string) => {
    const counts = await send<{ open: number }>('GET', `/api/backlog?asOf=${asOf}`);
    check(typeof counts.open === 'number', `GET /api/backlog?asOf=${asOf} gave no open count`);
  };
  const referral = {
    type: 'referral_received',
    on: day,
    route: 'urgent_suspected_cancer',
    tumourSite: 'skin',
    nhsNumber: '9990000018',
  };
  const steps = [
    { type: 'triaged', on: day, outcome: 'outpatient' },
    { type: 'appointment_booked', on: day, appointmentOn: day, appointment: 'first' },
    { type: 'first_seen', on: day },
    { type: 'test_requested', on: day, test: 'biopsy' },
  ];

  // Each client takes pathways through five appends in turn (referral, then four events with expectedVersion).
  // Without a rate, each sends as soon as its last answer came (the most the server takes). With a
  // rate, request k of client c is due at a fixed time and its latency counts from then, so a slow
  // answer is charged to the requests queued behind it too (no coordinated omission).
  const clients = 8;
  const appendLoad = async (perClient: number, ratePerS?: number, stop: () => boolean = () => false) => {
    const latencies: number[] = [];
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        let pathwayId = '';
        for (let k = 0; k < perClient && !stop(); k++) {
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
      }),
    );
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
  // The server makes the day's forecast (the PTL's breach risks) by itself when it starts, in a worker
  // thread: let it finish first, so the appends below are measured unloaded.
  {
    const t0 = process.hrtime.bigint();
    const deadline = Date.now() + 600_000;
    while ((await send<{ breachRiskFrom: unknown }>('GET', '/api/ptl?limit=1')).breachRiskFrom === null) {
      check(Date.now() < deadline, "the server's daily forecast did not finish within 10 minutes");
      await new Promise((r) => setTimeout(r, 250));
    }
    print('server_daily_forecast_s', seconds(t0), 's', {
      note: 'from the server listening to the breach risks written (16 weeks, 200 runs, one worker thread)',
    });
  }
  const flat = await appendLoad(600);
  print('http_append_per_s', flat.rate, 'appends/s', { clients, appends: flat.latencies.length });
  printLatency('http_append_ms', flat.latencies, { clients });
  printLatency('http_append_server_ms', await serverTimes(flat.latencies.length), {
    clients,
    note: 'in the server, from its request log',
  });
  const paced = await appendLoad(600, 1000);
  printLatency('http_append_at_1000_per_s_ms', paced.latencies, {
    clients,
    offered_per_s: 1000,
    achieved_per_s: round(paced.rate),
  });
  printLatency('http_append_at_1000_per_s_server_ms', await serverTimes(paced.latencies.length), {
    clients,
    note: 'in the server, from its request log',
  });

  // Backlog counts as they stood on past days (replayed from the events), one request at a time:
  // up to 30 days spread over the last 90, within 60 s.
  const asAt: number[] = [];
  const asAtUntil = Date.now() + 60_000;
  for (let i = 0; i < 30 && Date.now() < asAtUntil; i++) {
    const t = process.hrtime.bigint();
    await backlogOn(addDays(day, -1 - 3 * i));
    asAt.push(ms(t));
  }
  printLatency('backlog_as_at_ms', asAt, { note: 'GET /api/backlog?asOf= a past day in the last 90, over HTTP' });

  // Appends flat out again while four clients ask for past days in a loop: what those reads cost
  // the writers. Bounded: 8 x 50 appends or 20 s, whichever comes first.
  let loading = true;
  let asked = 0;
  const readers = Promise.all(
    Array.from({ length: 4 }, async (_, c) => {
      for (let k = 0; loading && k < 1000; k++) {
        await backlogOn(addDays(day, -1 - (((k * 4 + c) * 7) % 90)));
        asked++;
      }
    }),
  );
  const loadedUntil = Date.now() + 20_000;
  const loaded = await appendLoad(50, undefined, () => Date.now() >= loadedUntil);
  loading = false;
  await readers;
  const loadedServer = await serverTimes(loaded.latencies.length);
  const p99 = quantile(loaded.latencies, 0.99);
  const unloaded = quantile(flat.latencies, 0.99);
  console.log(
    JSON.stringify({
      metric: 'http_append_under_asat_load',
      p99_ms: p99,
      unloaded_p99_ms: unloaded,
      ratio: round(p99 / unloaded),
      p50_ms: quantile(loaded.latencies, 0.5),
      server_p99_ms: quantile(loadedServer, 0.99),
      clients,
      appends: loaded.latencies.length,
      as_at_clients: 4,
      as_at_requests: asked,
    }),
  );

  // Appends flat out again while the server makes forecasts in its worker thread (issue #23), one
  // after another, each with a seed not asked for before (so it is made, not answered from those
  // kept): as many appends as unloaded, so both p99s rest on as many samples (one forecast alone
  // covers a quarter of them on the demo, and its p99 moved with a handful of slow answers).
  {
    let appending = true;
    const took: number[] = [];
    const forecasts = (async () => {
      for (let seed = 7; appending; seed++) {
        const t0 = process.hrtime.bigint();
        const f = await send<{ runs: number }>('GET', `/api/forecast?seed=${seed}&target=none`);
        check(f.runs === 200, 'GET /api/forecast gave the wrong runs');
        took.push(seconds(t0));
      }
    })();
    const loadedByForecast = await appendLoad(600);
    appending = false;
    await forecasts;
    const inServer = await serverTimes(loadedByForecast.latencies.length);
    const p99Forecast = quantile(loadedByForecast.latencies, 0.99);
    console.log(
      JSON.stringify({
        metric: 'http_append_under_forecast',
        p99_ms: p99Forecast,
        unloaded_p99_ms: unloaded,
        ratio: round(p99Forecast / unloaded),
        p50_ms: quantile(loadedByForecast.latencies, 0.5),
        server_p99_ms: quantile(inServer, 0.99),
        clients,
        appends: loadedByForecast.latencies.length,
        forecasts: took.length,
        forecast_s: quantile(took, 0.5),
        note: 'GET /api/forecast (16 weeks, 200 runs) made in a worker thread meanwhile, one after another; forecast_s is their median',
      }),
    );
  }

  const sockets: WebSocket[] = [];
  const received: number[] = [];
  let sentAt = 0n;
  for (let i = 0; i < 1000; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/live`, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
    });
    let first = true;
    ws.on('message', () => {
      if (first) {
        first = false;
        return;
      }
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
      check(
        Date.now() < deadline,
        `only ${received.length - before} of ${sockets.length} websocket clients got round ${round + 1}`,
      );
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  printLatency('ws_push_ms', received, {
    clients: sockets.length,
    note: 'from the POST being sent to receipt, coalescing window 25 ms included',
  });
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
  for (let i = 0; i < 100_000; i++)
    store.access.record({
      actor: 'user:bench',
      action: 'pathway_viewed',
      pathwayId: `P${i}`,
      address: '127.0.0.1',
      detail: { via: 'token 1' },
    });
  const recordUs = Number(process.hrtime.bigint() - t0) / 1e3 / 100_000;
  check(
    (sql.prepare('SELECT count(*) FROM access_log').pluck().get() as number) === before + 100_000,
    'access log entries written',
  );
  const flushes: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 999; i++)
      store.access.record({
        actor: 'user:bench',
        action: 'ptl_queried',
        detail: { filters: { tumourSite: 'skin' }, patients: 50 },
      });
    const t = process.hrtime.bigint();
    store.access.flush();
    flushes.push(ms(t));
  }
  // Issue #25: a read names the patients it showed (access_seen): one pathway viewed, or a PTL page of 50.
  const seenUs = (patients: number, entries: number) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < entries; i++)
      store.access.record({
        actor: 'user:bench',
        action: 'ptl_queried',
        detail: { filters: { tumourSite: 'skin' }, patients },
        seen: Array.from({ length: patients }, (_, k) => `P${(i * patients + k) % 100_000}`),
      });
    store.access.flush();
    return Number(process.hrtime.bigint() - t) / 1e3 / entries;
  };
  const seen1 = seenUs(1, 50_000);
  const seen50 = seenUs(50, 5_000);
  print('access_log_record_us', recordUs, 'us', {
    entries: 100_000,
    note: 'record() and its share of the batched writes (1,000 per transaction)',
  });
  print('access_log_record_seen_1_us', seen1, 'us', { entries: 50_000, note: 'with the one pathway it showed' });
  print('access_log_record_seen_50_us', seen50, 'us', {
    entries: 5_000,
    note: 'a PTL page of 50 patients: the entry and 50 access_seen rows',
  });
  printLatency('access_log_flush_ms', flushes, { entries_per_flush: 999 });
  store.close();

  const token = spawnSync(process.execPath, [bin, 'token', 'create', 'bench', '--db', dbFile], {
    encoding: 'utf8',
  }).stdout.trim();
  // The two set-ups take turns, three rounds each, so both meet the same load from anything else on the machine.
  const modes = [
    ['batched, once a second', '1000'],
    ['each entry written at once', '0'],
  ] as const;
  const results = new Map<
    string,
    { appends: number; seconds: number; reads: number; latencies: number[]; serverMs: number[] }
  >(modes.map(([label]) => [label, { appends: 0, seconds: 0, reads: 0, latencies: [], serverMs: [] }]));
  for (let roundNo = 0; roundNo < 3; roundNo++)
    for (const [label, flushMs] of modes) {
      const result = results.get(label)!;
      let measuring = false; // set once the appends start
      const { server, port } = await serve(
        [bin, 'serve', '--db', dbFile, '--port', '0', '--no-demo', '--audit-flush-ms', flushMs],
        (ms) => {
          if (measuring) result.serverMs.push(ms);
        },
      );
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      const send = (method: string, path: string, body?: unknown) =>
        new Promise<{ status: number; json: { pathwayId?: string; entries?: { pathwayId: string }[] } }>(
          (resolve, reject) => {
            const req = request(
              `http://127.0.0.1:${port}${path}`,
              { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, agent },
              (res) => {
                let text = '';
                res.setEncoding('utf8');
                res.on('data', (d: string) => {
                  text += d;
                });
                res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
              },
            );
            req.on('error', reject);
            req.end(body === undefined ? undefined : JSON.stringify(body));
          },
        );
      const day = today(systemClock);
      const ids = ((await send('GET', '/api/ptl?limit=200')).json.entries ?? []).map((e) => e.pathwayId);
      check(ids.length > 0, 'the PTL has pathways to view');
      const referral = {
        type: 'referral_received',
        on: day,
        route: 'urgent_suspected_cancer',
        tumourSite: 'skin',
        nhsNumber: '9990000018',
      };
      const steps = [
        { type: 'triaged', on: day, outcome: 'outpatient' },
        { type: 'appointment_booked', on: day, appointmentOn: day, appointment: 'first' },
        { type: 'first_seen', on: day },
        { type: 'test_requested', on: day, test: 'biopsy' },
      ];
      let appending = true;
      measuring = true;
      const t1 = process.hrtime.bigint();
      // Two viewers read as fast as they are answered (a pathway, then a PTL page) while 8 trackers append.
      const readers = Array.from({ length: 2 }, async (_, r) => {
        for (let i = r; appending; i += 2) {
          const got = await send(
            'GET',
            i % 2 ? `/api/pathways/${ids[i % ids.length]}` : '/api/ptl?limit=50&tumourSite=skin',
          );
          check(got.status === 200, `read answered ${got.status}`);
          result.reads++;
        }
      });
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          let pathwayId = '';
          for (let k = 0; k < 300; k++) {
            const from = process.hrtime.bigint();
            const step = k % 5;
            const got =
              step === 0
                ? await send('POST', '/api/pathways', referral)
                : await send('POST', `/api/pathways/${pathwayId}/events`, {
                    expectedVersion: step,
                    event: steps[step - 1],
                  });
            check(got.status === 201, `append answered ${got.status}`);
            if (step === 0) pathwayId = got.json.pathwayId!;
            result.latencies.push(ms(from));
            result.appends++;
          }
        }),
      );
      result.seconds += seconds(t1);
      appending = false;
      await Promise.all(readers);
      server.kill('SIGTERM');
      await new Promise((r) => server.on('exit', r));
      agent.destroy();
    }
  for (const [label, r] of results) {
    print('http_append_with_audited_reads_per_s', r.appends / r.seconds, 'appends/s', {
      audit: label,
      appends: r.appends,
      audited_reads: r.reads,
      reads_per_s: round(r.reads / r.seconds),
      rounds: 3,
    });
    printLatency('http_append_with_audited_reads_ms', r.latencies, { audit: label });
    printLatency('http_append_with_audited_reads_server_ms', r.serverMs, {
      audit: label,
      note: 'in the server, from its request log',
    });
  }
  const audited = new Database(dbFile, { readonly: true })
    .prepare("SELECT count(*) FROM access_log WHERE action IN ('pathway_viewed', 'ptl_queried')")
    .pluck()
    .get() as number;
  check(audited >= before + 100_000 + 20 * 999, 'the servers wrote their access log at shutdown');
}

// ---- 7. The inbound HL7 feed (issue #17) -----------------------------------------------------
// `openptl serve --hl7-port 0` on the same database; messages for patients with open pathways (a
// booking, a demographic correction, an arrival) and for unknown patients, each with a new control
// id. Flat out: one connection sending each message as soon as the last was acknowledged (as a PAS
// does), then four such connections. Steady: 200 messages a second on one connection, each sent when
// due whatever is still unanswered, its latency counted from when it was due (no coordinated omission).
{
  const sql = new Database(dbFile, { readonly: true });
  // Patients with one open pathway (the HTTP phase above opened many with one test NHS number).
  const patients = sql
    .prepare("SELECT nhs_number FROM pathways WHERE status = 'open' GROUP BY nhs_number HAVING count(*) = 1 LIMIT 2000")
    .pluck()
    .all() as string[];
  sql.close();
  check(patients.length > 0, 'no open pathways to send messages about');
  const { Hl7Connection } = await import('../src/hl7/sender.ts');
  const { readAck } = await import('../src/hl7/ack.ts');
  const run = Date.now().toString(36); // control ids new to this database, even with --db
  const stamp = today(systemClock).replaceAll('-', '');
  const inDays = (n: number) => addDays(today(systemClock), n).replaceAll('-', '');
  const message = (i: number) => {
    const nhs = patients[i % patients.length]!;
    const id = `B${run}-${i}`;
    const msh = (type: string) => `MSH|^~\\&|PAS|RAJ|OPENPTL|RAJ|${stamp}0900||${type}|${id}|P|2.4`;
    const pid = (ids: string, name: string) => `PID|1||${ids}||${name}||19600101|F`;
    switch (i % 4) {
      case 0:
        return [
          msh('SIU^S12^SIU_S12'),
          `SCH|${id}|A${id}|||||||||^^^${inDays(1 + (i % 60))}0930`,
          pid(`${nhs}^^^NHS^NH`, 'BENCH^Ann'),
          'AIL|1||CLIN1^^^RAJ',
        ].join('\r');
      case 1:
        return [
          msh('ADT^A08^ADT_A01'),
          `EVN|A08|${stamp}0900`,
          pid(`${nhs}^^^NHS^NH~L${i}^^^RAJ^PI`, `BENCH^Name${i % 7}`),
          'PV1|1|O',
        ].join('\r');
      case 2:
        return [
          msh('ADT^A04^ADT_A01'),
          `EVN|A04|${stamp}0900`,
          pid(`${nhs}^^^NHS^NH`, 'BENCH^Ann'),
          'PV1|1|O|CLIN1^^^RAJ',
        ].join('\r');
      default:
        return [
          msh('SIU^S12^SIU_S12'),
          `SCH|${id}|A${id}|||||||||^^^${inDays(3)}0930`,
          pid(`X${i}^^^RAJ^PI`, 'UNKNOWN^Pat'),
          'AIL|1||CLIN1^^^RAJ',
        ].join('\r');
    }
  };
  const server = spawn(
    process.execPath,
    [bin, 'serve', '--db', dbFile, '--port', '0', '--no-demo', '--hl7-port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.on('exit', () => server.kill());
  const port = await new Promise<number>((resolve) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /MLLP\) listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  let next = 0;
  const acked = (answer: string) =>
    check(readAck(answer)?.code === 'AA', `an HL7 message was not accepted: ${answer.slice(0, 300)}`);
  const flatOut = async (connections: number, perConnection: number) => {
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const c = await Hl7Connection.open('127.0.0.1', port);
        for (let k = 0; k < perConnection; k++) acked(await c.send(message(next++)));
        c.close();
      }),
    );
    return (connections * perConnection) / seconds(t0);
  };
  await flatOut(1, 200); // warm-up
  print('hl7_ack_per_s', await flatOut(1, 3000), 'messages/s', {
    connections: 1,
    messages: 3000,
    note: 'each sent when the last was acknowledged; a quarter for patients with no open pathway',
  });
  print('hl7_ack_per_s_4_connections', await flatOut(4, 750), 'messages/s', { connections: 4, messages: 3000 });
  {
    const rate = 200;
    const total = 2000;
    const c = await Hl7Connection.open('127.0.0.1', port);
    const latencies: number[] = [];
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: total }, async (_, k) => {
        const due = t0 + BigInt(Math.round((k / rate) * 1e9));
        const wait = Number(due - process.hrtime.bigint()) / 1e6;
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        acked(await c.send(message(next++)));
        latencies.push(ms(due));
      }),
    );
    c.close();
    printLatency('hl7_ack_at_200_per_s_ms', latencies, {
      offered_per_s: rate,
      achieved_per_s: round(total / seconds(t0)),
      messages: total,
    });
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  const after = new Database(dbFile, { readonly: true });
  const kept = after
    .prepare('SELECT count(*) FROM inbound_messages WHERE control_id LIKE ?')
    .pluck()
    .get(`B${run}-%`) as number;
  after.close();
  check(kept === next, `the database kept ${kept} of ${next} HL7 messages`);
}

if (!values['keep-dir']) rmSync(dir, { recursive: true, force: true });
