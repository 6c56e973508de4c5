// Structured logs. Patient-identifiable fields are redacted wherever they might appear.
import pino, { type Logger } from 'pino';
import { PATIENT_IDENTIFIABLE_FIELDS } from '../domain/events.ts';

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const paths = PATIENT_IDENTIFIABLE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `body.${f}`, `event.${f}`]);
  return pino({ level: options.level ?? 'info', redact: { paths, censor: '[redacted]' } }, options.destination);
}
