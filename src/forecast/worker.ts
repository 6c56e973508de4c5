// A forecast's worker thread (pool.ts starts it): takes tasks (tasks.ts) one at a time and answers
// each with its result, or with the error's message.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Executor, type Task } from './tasks.ts';

export interface WorkerData {
  /** Give way to the process's other threads when the cores are busy (the server's forecasts). */
  background: boolean;
}

/** A niceness for work nobody waits on second by second (the scheduler gives it about a tenth of a busy core's share). */
const BACKGROUND_NICE = 10;

// Only Linux keeps a niceness per thread: elsewhere this call would lower the whole process.
if ((workerData as WorkerData).background && process.platform === 'linux') setPriority(BACKGROUND_NICE);

const executor = new Executor();
parentPort!.on('message', async ({ id, task }: { id: number; task: Task }) => {
  try {
    parentPort!.postMessage({ id, result: await executor.run(task) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
