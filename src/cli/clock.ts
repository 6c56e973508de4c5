// `openptl clock [FILE]`: the pathway core on its own, for what-if questions and for checking
// the rules from outside. Reads {"asOf", "events"} and prints the stage, status and clocks.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isoDate, pathwayEvent, describeIssue, type PathwayEvent } from '../vocabulary/events.ts';
import { checkTimeline, stageOf, TimelineError } from '../domain/timeline.ts';
import { computeClocks } from '../cwt/clocks.ts';
import { CliError, helpIfAsked } from './errors.ts';

const request = z.object({ asOf: isoDate, events: z.array(z.unknown()).min(1, 'must hold at least the referral') });

export function clockReport(input: string): object {
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch (err) {
    throw new CliError(`invalid JSON: ${(err as Error).message}`);
  }
  const parsed = request.safeParse(json);
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.error);
    throw new CliError(`${field || 'input'}: ${message}`);
  }
  const { asOf } = parsed.data;
  const events: PathwayEvent[] = parsed.data.events.map((raw, index) => {
    const result = pathwayEvent.safeParse(raw);
    if (!result.success) {
      const { field, message } = describeIssue(result.error);
      throw new CliError(`events[${index}].${field}: ${message}`);
    }
    return result.data;
  });
  try {
    const { stage } = checkTimeline(events, asOf); // every rule, the guard rails (R18) included
    const { status, fds, d31, d62, subsequent } = computeClocks(events, asOf);
    // status, d62 and d31 describe the 62-day pathway and its first treatment; each treatment
    // after the first has its own 31-day clock in `subsequent` (only when there is one).
    return { stage: stageOf(stage), status, fds, d31, d62, ...(subsequent ? { subsequent } : {}) };
  } catch (err) {
    if (err instanceof TimelineError) throw new CliError(`events[${err.index}].${err.field}: ${err.reason}`);
    throw err;
  }
}

export function clockCommand(args: string[]): void {
  helpIfAsked(args, 'openptl clock [FILE]   (reads {"asOf", "events"} from FILE or standard input)');
  const [file, ...rest] = args;
  if (rest.length > 0) throw new CliError('usage: openptl clock [FILE]');
  let input: string;
  try {
    input = readFileSync(file ?? 0, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file ?? 'standard input'}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  process.stdout.write(`${JSON.stringify(clockReport(input))}\n`);
}
