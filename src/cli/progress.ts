// Progress of a long command (an import, a rebuild, the first count of past days, a report, a
// return) for the person at a terminal: one line on stderr, rewritten in place, cleared at the
// end. Nothing at all when stderr is not a terminal (piped, redirected, a scheduler's log), so
// output a script reads is never mixed with it.

export interface Progress {
  /** `done` of `total` (events, bytes, pathways): the line changes only when the whole percent does. */
  step(done: number, total: number): void;
  /** Clears the line. */
  end(): void;
}

type Terminal = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };

const SILENT: Progress = { step: () => {}, end: () => {} };

export function progress(what: string, stream: Terminal = process.stderr): Progress {
  if (!stream.isTTY) return SILENT;
  let shown = -1;
  let line = '';
  const show = (text: string) => {
    stream.write(`\r${text}${' '.repeat(Math.max(0, line.length - text.length))}`);
    line = text;
  };
  show(`${what}…`);
  return {
    step(done, total) {
      const percent = total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 0;
      if (percent === shown) return;
      shown = percent;
      show(`${what}: ${percent}%`);
    },
    end() {
      show('');
      stream.write('\r');
    },
  };
}

/** Runs `work` with a progress line (a terminal only) and clears it however the work ends. */
export function withProgress<T>(what: string, work: (p: Progress) => T): T {
  const p = progress(what);
  try {
    const result = work(p);
    if (result instanceof Promise) return result.finally(() => p.end()) as T;
    p.end();
    return result;
  } catch (err) {
    p.end();
    throw err;
  }
}

/**
 * A listener for passes that report events read of all there are (the store's backlog pass): a
 * progress line appears when a pass starts and is cleared when it ends. Null off a terminal.
 */
export function passProgress(
  what: string,
  stream: Terminal = process.stderr,
): ((done: number, total: number) => void) | null {
  if (!stream.isTTY) return null;
  let shown: Progress | null = null;
  return (done, total) => {
    shown ??= progress(what, stream);
    shown.step(done, total);
    if (done >= total) {
      shown.end();
      shown = null;
    }
  };
}
