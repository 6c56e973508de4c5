// The forecast's worker threads: the read of the history is shared out among them in chunks of
// pathways (each thread gathers its chunks into its own calibration builder; the builders are added
// up here), and so are the runs (each a block of consecutive runs, put back in run order). Each run
// has its own generator and each pathway its own place, so the answer is the same bytes whatever
// the number of threads, none included (then everything runs in the caller's thread).
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IsoDate } from '../vocabulary/calendar.ts';
import type { CalibrationBuilder } from './calibrate.ts';
import type { Runner } from './forecast.ts';
import type { ReadModels } from './from-store.ts';
import { joinRunCounts, packOpen, type RunCounts, type RunSeries } from './model.ts';
import { calibrationBuilder, inputOf, type ForecastInput } from './read.ts';
import type { OutlookRequest } from './outlook.ts';
import { Executor, type OutlookAnswer, type Recorded, type Task } from './tasks.ts';
import type { WorkerData } from './worker.ts';

/** One thread per core: the runs and the read are all computation. */
export const CORES = availableParallelism();

/**
 * A background pool's threads have this added to their niceness, as `nice -n 10` does: the
 * scheduler then gives each about a tenth of what an ordinary thread gets on a busy core.
 */
export const BACKGROUND_NICE = 10;

interface Thread {
  run(task: Task): Promise<unknown>;
  close(): Promise<void>;
}

export class ForecastPool {
  private threads: Thread[];
  private inputs = 0;

  /**
   * `workers` threads (0: everything in this thread). `models` are the caller's own read models,
   * used to list the chunks to read (and to read them, with no workers). `background`: the threads
   * give way to the rest of the process (the server's requests) when the cores are busy.
   */
  constructor(
    private readonly workers: number,
    private readonly models?: ReadModels,
    private readonly background = false,
  ) {
    this.threads = this.start();
  }

  private start(): Thread[] {
    return this.workers > 0
      ? Array.from({ length: this.workers }, () => workerThread(this.background))
      : [local(this.models)];
  }

  get size(): number {
    return this.threads.length;
  }

  /** The forecast's input as at each of `days`, from the database `file` (the caller's models' file), in one pass. */
  async read(file: string, days: IsoDate[]): Promise<ForecastInput[]> {
    const models = this.models!; // a pool made for runs alone has none
    const { chunksToRead, noteLeftOut } = await import('./from-store.ts');
    const chunks = chunksToRead(models, days)[Symbol.iterator]();
    // Each thread takes the next chunk as soon as it is free: a busy core does not hold the others up.
    await Promise.all(
      this.threads.map(async (t) => {
        for (let c = chunks.next(); !c.done; c = chunks.next())
          await t.run({ kind: 'read', db: file, days, chunk: c.value });
      }),
    );
    const builders = days.map((day) => calibrationBuilder(day));
    for (const t of this.threads) {
      const parts = (await t.run({ kind: 'collect' })) as CalibrationBuilder[] | null;
      // A worker that has read is closed as soon as its counts are out, and new threads take the
      // runs: its heap keeps the room its share of the read took (hundreds of megabytes at 350,000
      // open), which a closed thread gives back.
      if (this.workers > 0) await t.close();
      parts?.forEach((part, i) => builders[i]!.merge(part));
    }
    if (this.workers > 0) this.threads = this.start();
    return builders.map((builder) => {
      noteLeftOut(models, builder);
      return inputOf(builder);
    });
  }

  /** Makes a forecast's runs in the threads, a block of consecutive runs at a time. */
  readonly runner: Runner = async (input, options) => {
    const key = ++this.inputs;
    const packed = { calibration: input.calibration, open: packOpen(input.open) };
    await Promise.all(this.threads.map((t) => t.run({ kind: 'input', key, input: packed })));
    try {
      // Many small blocks (a thread keeps what its runs share from one block to the next), so a
      // thread slowed by other work on the machine takes fewer, and neither waits long for the
      // other's last block.
      const size = Math.max(1, Math.ceil(options.runs / (this.threads.length * 16)));
      const blocks: { from: number; to: number }[] = [];
      for (let from = 0; from < options.runs; from += size)
        blocks.push({ from, to: Math.min(options.runs, from + size) });
      const parts: RunSeries[] = new Array(blocks.length);
      // Each pathway's counts are added up as the blocks come in, not kept a block at a time (each
      // block's are as long as the open pathways: megabytes a block at 350,000 open).
      const passed62 = new Int32Array(packed.open.count);
      const fdsBreached = new Int32Array(packed.open.count);
      let next = 0;
      await Promise.all(
        this.threads.map(async (t) => {
          while (next < blocks.length) {
            const i = next++;
            const part = (await t.run({ kind: 'runs', key, options, ...blocks[i]! })) as RunCounts;
            const { passed62: passed, fdsBreached: breached, ...series } = part;
            for (let k = 0; k < passed62.length; k++) {
              passed62[k]! += passed[k]!;
              fdsBreached[k]! += breached[k]!;
            }
            parts[i] = series;
          }
        }),
      );
      return joinRunCounts(parts, passed62, fdsBreached);
    } finally {
      await Promise.all(this.threads.map((t) => t.run({ kind: 'drop', key })));
    }
  };

  /** The steward's outlook, read and run in one thread of the pool (the first): the server's forecasts. */
  outlook(
    file: string,
    asOf: IsoDate,
    request: OutlookRequest,
    risks: boolean,
    recorded: Recorded,
  ): Promise<OutlookAnswer> {
    return this.threads[0]!.run({
      kind: 'outlook',
      db: file,
      asOf,
      request,
      risks,
      recorded,
    }) as Promise<OutlookAnswer>;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

/** The tasks in this thread. */
function local(models: ReadModels | undefined): Thread {
  const executor = new Executor(models);
  return { run: (task) => executor.run(task), close: async () => executor.close() };
}

/** A worker thread running worker.ts: the bundled file beside this one, or the source through tsx. */
function workerThread(background: boolean): Thread {
  const workerData: WorkerData = { nice: background ? BACKGROUND_NICE : 0 };
  const here = import.meta.url;
  let worker: Worker;
  if (here.endsWith('.ts')) {
    // From the sources (tests, scripts): tsx's loader registered in the thread first (its ES module build).
    const tsx = pathToFileURL(
      createRequire(here)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const entry = new URL('./worker.ts', here).href;
    worker = new Worker(
      `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`,
      { eval: true, workerData },
    );
  } else worker = new Worker(new URL('./forecast-worker.js', here), { workerData });
  worker.unref(); // a pool left open does not keep the process alive
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let ids = 0;
  const fail = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(id);
    waiting.delete(id);
    if (error !== undefined) w?.reject(new Error(error));
    else w?.resolve(result);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`a forecast worker stopped (exit code ${code})`)));
  return {
    run: (task) =>
      new Promise((resolve, reject) => {
        const id = ++ids;
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, task });
      }).finally(() => {
        if (waiting.size === 0) worker.unref();
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}
