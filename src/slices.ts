// Long reads written once, run two ways: a generator that yields between slices of its work is
// run straight through by a command, and by the server giving way to other requests at each
// yield, so no request's work blocks the event loop (the national returns at 360,000 open
// pathways take seconds).
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Pathways read between two yields: a few milliseconds of work. */
export const SLICE = 500;

export function runThrough<T>(work: Generator<void, T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

export async function runGivingWay<T>(work: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}
