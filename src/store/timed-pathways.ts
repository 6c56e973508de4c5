// The timed pathway definitions in force (issue #26): those OpenPTL ships
// (src/vocabulary/timed-pathways.ts) with the trust's changes from one table
// (timed_pathway_milestones, db/migrations/070), every change kept with who made it and when
// (timed_pathway_changes, append-only). Changed with `openptl pathways`; the rows' milestones are
// then recomputed (src/pathways/timed.ts). Read once, and again when another connection has written.
import { AppError } from '../errors.ts';
import {
  MILESTONE_EVENTS,
  SHIPPED_PATHWAYS,
  type MilestoneDefinition,
  type MilestoneEvent,
  type TimedPathwayDefinition,
} from '../vocabulary/timed-pathways.ts';
import type { Instant } from '../vocabulary/calendar.ts';
import { statementCache, type Db } from './db.ts';

/** A milestone as the trust sets it; the event and tests default to the shipped milestone's. */
export interface MilestoneChange {
  day: number;
  event?: string;
  tests?: string[];
}

export interface TimedPathwayChange {
  changeId: number;
  pathway: string;
  name: string;
  action: 'set' | 'remove' | 'reset';
  before: Omit<MilestoneDefinition, 'source' | 'confirmed'> | null;
  after: Omit<MilestoneDefinition, 'source' | 'confirmed'> | null;
  changedBy: string;
  changedAt: Instant;
}

interface Override {
  pathway: string;
  name: string;
  day: number | null;
  event: string | null;
  tests: string | null;
  set_by: string;
  set_at: Instant;
}

const TEST_EVENTS: readonly string[] = ['test_requested', 'test_reported'];

export class TimedPathways {
  private readonly sql;
  private loaded: { dataVersion: number; definitions: TimedPathwayDefinition[] } | null = null;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** The definitions in force: the shipped ones with the trust's changes, milestones in order of day. */
  definitions(): readonly TimedPathwayDefinition[] {
    const dataVersion = this.sql('PRAGMA data_version').pluck().get() as number;
    if (this.loaded && this.loaded.dataVersion === dataVersion) return this.loaded.definitions;
    const overrides = this.sql('SELECT * FROM timed_pathway_milestones ORDER BY pathway, name').all() as Override[];
    this.loaded = { dataVersion, definitions: SHIPPED_PATHWAYS.map((d) => applyOverrides(d, overrides)) };
    return this.loaded.definitions;
  }

  /** Sets a milestone's day (and event and tests), adding it when the pathway has no milestone of that name. */
  set(pathway: string, name: string, change: MilestoneChange, by: string, at: Instant): MilestoneDefinition {
    const definition = this.definition(pathway);
    const before = definition.milestones.find((m) => m.name === name) ?? null;
    const shipped = shippedMilestone(pathway, name);
    if (!Number.isInteger(change.day) || change.day < 0 || change.day > 365)
      throw new AppError('invalid_request', `day: ${change.day} must be a whole number of days from 0 to 365`, 'day');
    const event = change.event ?? before?.event ?? shipped?.event;
    if (event === undefined)
      throw new AppError('invalid_request', `event: a new milestone needs the event that meets it`, 'event');
    if (!(MILESTONE_EVENTS as readonly string[]).includes(event))
      throw new AppError(
        'invalid_request',
        `event: ${event} cannot meet a milestone; one of ${MILESTONE_EVENTS.join(', ')}`,
        'event',
      );
    const tests = change.tests ?? (change.event === undefined ? (before?.tests ?? shipped?.tests) : undefined);
    if (tests !== undefined && !TEST_EVENTS.includes(event))
      throw new AppError(
        'invalid_request',
        `tests: only a test's request or report names tests, not ${event}`,
        'tests',
      );
    if (tests?.some((t) => t.trim() === ''))
      throw new AppError('invalid_request', 'tests: a test name is empty', 'tests');
    if (name.trim() === '' || name.length > 80)
      throw new AppError('invalid_request', 'name: a milestone needs a name of 1 to 80 characters', 'name');
    this.sql(
      `INSERT INTO timed_pathway_milestones (pathway, name, day, event, tests, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (pathway, name) DO UPDATE SET day = excluded.day, event = excluded.event, tests = excluded.tests, set_by = excluded.set_by, set_at = excluded.set_at`,
    ).run(pathway, name, change.day, event, tests ? JSON.stringify(tests) : null, by, at);
    const after = { name, day: change.day, event: event as MilestoneEvent, ...(tests ? { tests } : {}) };
    this.record(pathway, name, 'set', before, after, by, at);
    return this.definition(pathway).milestones.find((m) => m.name === name)!;
  }

  /** Takes a milestone out of a pathway (a shipped one stays out until reset). */
  remove(pathway: string, name: string, by: string, at: Instant): void {
    const before = this.milestone(pathway, name);
    if (shippedMilestone(pathway, name))
      this.sql(
        `INSERT INTO timed_pathway_milestones (pathway, name, day, event, tests, set_by, set_at) VALUES (?, ?, NULL, NULL, NULL, ?, ?)
        ON CONFLICT (pathway, name) DO UPDATE SET day = NULL, event = NULL, tests = NULL, set_by = excluded.set_by, set_at = excluded.set_at`,
      ).run(pathway, name, by, at);
    else this.sql('DELETE FROM timed_pathway_milestones WHERE pathway = ? AND name = ?').run(pathway, name);
    this.record(pathway, name, 'remove', before, null, by, at);
  }

  /** Undoes the trust's change to a shipped milestone (or takes out one the trust added). */
  reset(pathway: string, name: string, by: string, at: Instant): void {
    const before = this.definition(pathway).milestones.find((m) => m.name === name) ?? null;
    const removed = this.sql('DELETE FROM timed_pathway_milestones WHERE pathway = ? AND name = ?').run(pathway, name);
    if (removed.changes === 0)
      throw new AppError('invalid_request', `name: the trust has not changed "${name}" of ${pathway}`, 'name');
    this.record(pathway, name, 'reset', before, shippedMilestone(pathway, name) ?? null, by, at);
  }

  /** Every change, oldest first. */
  changes(): TimedPathwayChange[] {
    const rows = this.sql('SELECT * FROM timed_pathway_changes ORDER BY change_id').all() as {
      change_id: number;
      pathway: string;
      name: string;
      action: TimedPathwayChange['action'];
      before: string | null;
      after: string | null;
      changed_by: string;
      changed_at: Instant;
    }[];
    return rows.map((r) => ({
      changeId: r.change_id,
      pathway: r.pathway,
      name: r.name,
      action: r.action,
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after),
      changedBy: r.changed_by,
      changedAt: r.changed_at,
    }));
  }

  private definition(pathway: string): TimedPathwayDefinition {
    const found = this.definitions().find((d) => d.pathway === pathway);
    if (!found)
      throw new AppError(
        'invalid_request',
        `pathway: ${pathway} is not a timed pathway; pathways: ${SHIPPED_PATHWAYS.map((d) => d.pathway).join(', ')}`,
        'pathway',
      );
    return found;
  }

  private milestone(pathway: string, name: string): MilestoneDefinition {
    const definition = this.definition(pathway);
    const found = definition.milestones.find((m) => m.name === name);
    if (!found)
      throw new AppError(
        'invalid_request',
        `name: ${pathway} has no milestone "${name}"; its milestones: ${definition.milestones.map((m) => `"${m.name}"`).join(', ')}`,
        'name',
      );
    return found;
  }

  private record(
    pathway: string,
    name: string,
    action: TimedPathwayChange['action'],
    before: MilestoneDefinition | null,
    after: TimedPathwayChange['after'],
    by: string,
    at: Instant,
  ): void {
    const plain = (m: TimedPathwayChange['after'] | MilestoneDefinition | null) =>
      m === null
        ? null
        : JSON.stringify({ name: m.name, day: m.day, event: m.event, ...(m.tests ? { tests: m.tests } : {}) });
    this.sql(
      'INSERT INTO timed_pathway_changes (pathway, name, action, before, after, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(pathway, name, action, plain(before), plain(after), by, at);
    this.loaded = null;
  }
}

function shippedMilestone(pathway: string, name: string): MilestoneDefinition | undefined {
  return SHIPPED_PATHWAYS.find((d) => d.pathway === pathway)?.milestones.find((m) => m.name === name);
}

/** A shipped definition with the trust's changes: changed days, added milestones, removed ones; in order of day. */
function applyOverrides(shipped: TimedPathwayDefinition, overrides: readonly Override[]): TimedPathwayDefinition {
  const mine = new Map(overrides.filter((o) => o.pathway === shipped.pathway).map((o) => [o.name, o]));
  const changed = (o: Override, was?: MilestoneDefinition): MilestoneDefinition => ({
    name: o.name,
    day: o.day!,
    event: o.event as MilestoneEvent,
    ...(o.tests ? { tests: JSON.parse(o.tests) as string[] } : {}),
    source: `Set by the trust: ${o.set_by}, ${o.set_at}${was ? ` (shipped: day ${was.day}; ${was.source})` : ''}`,
    confirmed: false,
    changed: { by: o.set_by, at: o.set_at },
  });
  const milestones: MilestoneDefinition[] = [];
  for (const m of shipped.milestones) {
    const o = mine.get(m.name);
    if (!o) milestones.push(m);
    else if (o.day !== null) milestones.push(changed(o, m));
    mine.delete(m.name);
  }
  for (const o of mine.values()) if (o.day !== null) milestones.push(changed(o));
  // Stable: milestones of the same day keep the shipped order.
  return {
    ...shipped,
    milestones: milestones
      .map((m, i) => [m, i] as const)
      .sort(([a, i], [b, j]) => a.day - b.day || i - j)
      .map(([m]) => m),
  };
}
