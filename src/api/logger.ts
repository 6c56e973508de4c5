// Structured logs. Patient-identifiable fields are redacted wherever they might appear.
import pino, { type Logger } from 'pino';
import { PATIENT_IDENTIFIABLE_FIELDS } from '../vocabulary/events.ts';

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const paths = PATIENT_IDENTIFIABLE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `body.${f}`, `event.${f}`]);
  // Asynchronous: a synchronous write to stdout was a tenth of an append's time. Lines written while
  // a write is in flight go out together with the next one; none waits for more to arrive.
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  return pino({ level: options.level ?? 'info', redact: { paths, censor: '[redacted]' } }, destination);
}

/** Writes out what the asynchronous destination still holds (before the process exits). */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}
