// A forecast's worker thread (pool.ts starts it): takes tasks (tasks.ts) one at a time and answers
// each with its result, or with the error's message.
import { parentPort } from 'node:worker_threads';
import { Executor, type Task } from './tasks.ts';

const executor = new Executor();
parentPort!.on('message', async ({ id, task }: { id: number; task: Task }) => {
  try {
    parentPort!.postMessage({ id, result: await executor.run(task) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
