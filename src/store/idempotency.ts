// Repeats answered once: an append repeated with the same Idempotency-Key, or an event repeated
// with the same id on the same pathway, is the same request and writes nothing. The key is a
// column of the events table; this module owns how it is looked up and compared.
import { createHash } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import type { Db } from './db.ts';

export interface EarlierAppend {
  pathway_id: string;
  version: number;
  data: string;
  /** Found by the request's idempotency key, or by the event's id within the pathway. */
  by: 'key' | 'id';
}

export class Idempotency {
  private readonly byKey;
  private readonly byEventId;

  constructor(db: Db) {
    this.byKey = db.prepare('SELECT pathway_id, version, data FROM events WHERE idempotency_key = ?');
    this.byEventId = db.prepare('SELECT pathway_id, version, data FROM events WHERE pathway_id = ? AND event_id = ?');
  }

  /** The pathway an idempotency key was first used on: a repeated "create" names the same pathway. */
  pathwayIdForKey(key: string): string | undefined {
    return (this.byKey.get(key) as { pathway_id: string } | undefined)?.pathway_id;
  }

  /** The event stored earlier under this idempotency key, or else under this event id on the pathway. */
  earlier(pathwayId: string, key: string | undefined, eventId: string | undefined): EarlierAppend | undefined {
    if (key !== undefined) {
      const found = this.byKey.get(key) as Omit<EarlierAppend, 'by'> | undefined;
      if (found) return { ...found, by: 'key' };
    }
    if (eventId === undefined) return undefined;
    const found = this.byEventId.get(pathwayId, eventId) as Omit<EarlierAppend, 'by'> | undefined;
    return found && { ...found, by: 'id' };
  }
}

/** The event first stored under a repeated key or event id, provided this is the same request; else a refusal. */
export function sameRequest(pathwayId: string, event: PathwayEvent, earlier: EarlierAppend): PathwayEvent {
  const first = JSON.parse(earlier.data) as PathwayEvent;
  const same = earlier.pathway_id === pathwayId && canonical({ ...event, id: first.id }) === canonical(first);
  if (same) return first;
  if (earlier.by === 'id')
    throw new AppError('invalid_timeline', `id ${first.id} is used by an earlier event of this pathway`, 'id');
  throw new AppError(
    'idempotency_key_reused',
    'this Idempotency-Key was already used for a different event',
    'idempotencyKey',
  );
}

/** Key order does not matter when comparing two events for an idempotent repeat. */
function canonical(event: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(event).sort(([a], [b]) => a.localeCompare(b))));
}

export function isUniqueViolation(err: unknown): err is Error {
  return err instanceof Error && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * A stable idempotency key for a line of an import file. Led by the pathway id, so the keys of one
 * batch sit close together in the unique index instead of dirtying a random page each.
 */
export function importKey(pathwayId: string, ordinal: number, line: string): string {
  return `import:${pathwayId}:${createHash('sha256').update(`${ordinal}\n${line}`).digest('base64url').slice(0, 22)}`;
}
