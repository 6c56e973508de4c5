// A forecast's worker thread (pool.ts starts it): takes tasks (tasks.ts) one at a time and answers
// each with its result, or with the error's message.
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Executor, type Task } from './tasks.ts';

export interface WorkerData {
  /** Added to the thread's niceness (0: none), so it gives way to the process's other threads on busy cores. */
  nice: number;
}

// Only Linux keeps a niceness per thread: elsewhere this call would lower the whole process.
const { nice } = workerData as WorkerData;
if (nice > 0 && process.platform === 'linux') {
  try {
    setPriority(Math.min(19, getPriority() + nice));
  } catch {
    // Raising one's own niceness is always allowed; were it refused, the forecast runs as before.
  }
}

const executor = new Executor();
parentPort!.on('message', async ({ id, task }: { id: number; task: Task }) => {
  try {
    parentPort!.postMessage({ id, result: await executor.run(task) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
