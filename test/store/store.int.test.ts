// The event store: the write path, its refusals, and the reads the PTL and backlog rely on.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../../src/errors.ts';
import { addDays, type IsoDate } from '../../src/vocabulary/calendar.ts';
import {
  backlogByReplay,
  backlogFromRows,
  generatedLines,
  givenStore,
  rowsMatchReplay,
  tempStore,
  pathwayNow,
  requestsOf,
} from '../support/store.ts';
import type { Db } from '../../src/store/db.ts';
import { HTTP_STATUS } from '../../src/api/errors.ts';
import { Store } from '../../src/store/store.ts';
import { openDb } from '../../src/store/db.ts';
import { fixedClock } from '../../src/wall-clock.ts';

const tempStoreOn = (file: string) => openStore(openDb(file), fixedClock('2027-06-01T09:00:00Z'));
import { pathwayArb, eventOf } from '../support/timelines.ts';
import { EVENT_TYPES } from '../../src/vocabulary/events.ts';
import { openStore } from '../../src/pathways/open.ts';
import { rebuild } from '../../src/pathways/project.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';
import { pathwayView } from '../../src/queries/pathway-view.ts';
import { pathwaysAsAt } from '../../src/queries/as-at.ts';
import { STATE_CHUNK } from '../../src/store/pathway-row.ts';

const referral = {
  type: 'referral_received',
  on: '2027-05-01',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
};
const actor = { actor: 'tracker:test' };

function counts(sql: Db) {
  return sql
    .prepare(
      'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM pathways) AS pathways, (SELECT group_concat(version) FROM pathways) AS versions',
    )
    .get();
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a AppError');
}

function importAll(store: Store, lines: ReturnType<typeof generatedLines>) {
  return new PathwayCommands(store).appendMany(requestsOf(lines, 'import'));
}

describe('append', () => {
  it('writes the event and the pathway row together and answers with version, stage and clocks', () => {
    const { store, commands, sql } = tempStore();
    const r = commands.append('P1', 0, referral, actor);
    expect([r.version, r.stage, r.status, r.eventId, r.duplicate]).toEqual([1, 'awaiting_triage', 'open', '#1', false]);
    expect(r.clocks.d62).toMatchObject({ state: 'running', start: '2027-05-01', days: 31 });
    const second = commands.append('P1', 1, { type: 'first_seen', on: '2027-05-03', id: 'seen' }, actor);
    expect([second.version, second.stage, second.eventId]).toEqual([2, 'under_investigation', 'seen']);
    expect(counts(sql)).toEqual({ events: 2, pathways: 1, versions: '2' });
    const stored = store.log.ofPathway('P1');
    expect(stored.map((e) => [e.version, e.actor, e.recordedAt])).toEqual([
      [1, 'tracker:test', '2027-06-01T09:00:00.000Z'],
      [2, 'tracker:test', '2027-06-01T09:00:00.000Z'],
    ]);
  });

  it('refuses a stale expected version, and writes nothing', () => {
    const err = givenStore([referral])
      .when({ type: 'first_seen', on: '2027-05-03' }, { expectedVersion: 0 })
      .refused('stale_version', 'expectedVersion');
    expect([HTTP_STATUS[err.code], err.details.currentVersion]).toEqual([409, 1]);
  });

  it('names the stage and the allowed events for an event the stage does not allow', () => {
    const err = givenStore([referral])
      .when({ type: 'treatment_started', on: '2027-05-03', modality: 'surgery' })
      .refused('not_allowed', 'type');
    expect([HTTP_STATUS[err.code], err.details.stage]).toEqual([409, 'awaiting_triage']);
    expect(err.details.allowedEvents).toContain('decision_to_treat');
  });

  it('refuses malformed events (400), unknown pathways (404) and events that cannot stand (409, 422)', () => {
    givenStore([])
      .when({ ...referral, nhsNumber: '9434765918' })
      .refused('invalid_event', 'nhsNumber');
    givenStore([])
      .when({ type: 'first_seen', on: '2027-05-03' }, { pathwayId: 'P9' })
      .refused('unknown_pathway', 'pathwayId');
    givenStore([referral]).when({ type: 'first_seen', on: '2027-04-03' }).refused('invalid_timeline', 'on');
    givenStore([referral]).when({ type: 'first_seen', on: '2027-06-02' }).refused('invalid_timeline', 'on');
    givenStore([referral]).when(referral).refused('pathway_exists', 'type');
    // A guard rail (R18): the DNA of a first appointment must be dated the day it was booked for.
    const booked = { type: 'appointment_booked', on: '2027-05-02', appointmentOn: '2027-05-10', appointment: 'first' };
    const err = givenStore([referral, booked])
      .when({ type: 'dna', on: '2027-05-11', appointment: 'first' })
      .refused('invalid_timeline', 'on');
    expect([HTTP_STATUS[err.code], err.message]).toEqual([
      422,
      'on: the missed appointment must be dated the day it was booked for (10 May 2027)',
    ]);
    givenStore([referral, booked])
      .when({ type: 'dna', on: '2027-05-10', appointment: 'first' })
      .then('first_appointment_missed', { d62: { start: '2027-05-01' } });
    // Through the API (entered by a person) a referral more than two years old is refused; an import of history is not.
    givenStore([])
      .when({ ...referral, on: '2025-05-31' }, { entered: true })
      .refused('invalid_timeline', 'on');
    givenStore([])
      .when({ ...referral, on: '2025-05-31' })
      .then('awaiting_triage');
  });

  it('answers a repeated idempotency key with the first result and writes nothing', () => {
    const { commands, clock, sql } = tempStore();
    const first = commands.append('P1', 0, referral, { ...actor, idempotencyKey: 'k1' });
    clock.advance(3 * 86_400_000);
    const again = commands.append('P1', 0, referral, { ...actor, idempotencyKey: 'k1' });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(counts(sql)).toEqual({ events: 1, pathways: 1, versions: '1' });
    expect(
      refusal(() =>
        commands.append('P1', 1, { type: 'first_seen', on: '2027-05-03' }, { ...actor, idempotencyKey: 'k1' }),
      ),
    ).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('answers a repeated event id with the same content as a duplicate, and refuses the id for anything else', () => {
    const { commands, sql } = tempStore();
    commands.append('P1', 0, { ...referral, id: 'r1' }, actor);
    const seen = { type: 'test_requested', on: '2027-05-03', test: 'ct_chest', id: 't1' };
    const first = commands.append('P1', 1, seen, actor);
    // Once in order (a stale version), once where the stage would take it again: both find the first.
    expect(commands.append('P1', 1, seen, actor)).toEqual({ ...first, duplicate: true });
    expect(
      commands.append('P1', undefined, { test: 'ct_chest', id: 't1', on: '2027-05-03', type: 'test_requested' }, actor),
    ).toEqual({ ...first, duplicate: true });
    expect(refusal(() => commands.append('P1', 2, { ...seen, on: '2027-05-04' }, actor))).toMatchObject({
      code: 'invalid_timeline',
      field: 'id',
      message: 'id t1 is used by an earlier event of this pathway',
    });
    expect(commands.append('P2', 0, { ...referral, id: 'r1' }, actor).duplicate).toBe(false); // ids are per pathway
    expect(counts(sql)).toMatchObject({ events: 3, pathways: 2 });
  });

  it('takes a back-dated event and a correction by replaying the timeline', () => {
    const { store, commands, sql } = tempStore();
    commands.append('P1', 0, referral, actor);
    commands.append('P1', 1, { type: 'first_seen', on: '2027-05-20' }, actor);
    // A missed first appointment and its rebooking, recorded late: they came before first_seen, so
    // only a replay of the timeline can place them; the rebooking restarts the clocks (R5).
    commands.append(
      'P1',
      2,
      { type: 'appointment_booked', on: '2027-05-02', appointmentOn: '2027-05-10', appointment: 'first' },
      actor,
    );
    commands.append('P1', 3, { type: 'dna', on: '2027-05-10', appointment: 'first', id: 'dna1' }, actor);
    const late = commands.append(
      'P1',
      4,
      { type: 'appointment_booked', on: '2027-05-12', appointmentOn: '2027-05-20', appointment: 'first' },
      actor,
    );
    expect(late.clocks.d62.start).toBe('2027-05-12');
    // Voiding the DNA takes the restart away again (R13).
    const voided = commands.append(
      'P1',
      5,
      { type: 'event_voided', on: '2027-05-21', voids: 'dna1', reason: 'wrong patient' },
      actor,
    );
    expect(voided.clocks.d62.start).toBe('2027-05-01');
    expect(rowsMatchReplay(store, sql).mismatches).toEqual([]);
  });

  it('never updates or deletes an event', () => {
    const { commands, sql } = tempStore();
    commands.append('P1', 0, referral, actor);
    expect(() => sql.prepare("UPDATE events SET type = 'x'").run()).toThrow(/append-only/);
    expect(() => sql.prepare('DELETE FROM events').run()).toThrow(/append-only/);
  });

  it('keeps the patient details once, in their columns, not again in the stored state', () => {
    const { store, commands, sql } = tempStore();
    commands.append('P1', 0, { ...referral, patientName: 'Ada Test', dateOfBirth: '1950-01-02' }, actor);
    const row = () =>
      sql.prepare('SELECT state, nhs_number, patient_name, date_of_birth, tumour_site FROM pathways').get() as Record<
        string,
        string
      >;
    expect(row().state).not.toMatch(/9434765919|Ada Test|1950-01-02|lung/);
    expect(row()).toMatchObject({
      nhs_number: '9434765919',
      patient_name: 'Ada Test',
      date_of_birth: '1950-01-02',
      tumour_site: 'lung',
    });
    // A row written before this kept a copy in the state; the columns win over it.
    const stale = {
      nhsNumber: '9990000018',
      patientName: 'Someone Else',
      dateOfBirth: null,
      tumourSite: 'skin',
      route: 'urgent_suspected_cancer',
      provider: null,
      referralOn: '2027-05-01',
      lastOn: '2027-05-01',
    };
    sql.prepare("UPDATE pathways SET state = json_set(state, '$.details', json(?))").run(JSON.stringify(stale));
    commands.append('P1', 1, { type: 'triaged', on: '2027-05-02', outcome: 'outpatient' }, actor);
    expect(row()).toMatchObject({ nhs_number: '9434765919', patient_name: 'Ada Test', tumour_site: 'lung' });
    expect(pathwayNow(store, 'P1')!.patient).toEqual({
      localPatientId: null,
      nhsNumber: '9434765919',
      name: 'Ada Test',
      dateOfBirth: '1950-01-02',
    });
    expect(row().state).not.toMatch(/details/);
  });
});

describe('the projection equals the fold of the accepted events', () => {
  it('for any sequence of appends, accepted or refused', () => {
    const types = EVENT_TYPES.filter((t) => t !== 'event_voided' && t !== 'referral_received');
    const anyEvent = fc.record({
      type: fc.constantFrom(...types),
      shift: fc.integer({ min: -30, max: 30 }),
      variant: fc.nat(),
    });
    fc.assert(
      fc.property(
        pathwayArb,
        fc.array(anyEvent, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        ({ events, lastOn }, noise, voids) => {
          const { store, commands, sql } = tempStore('2027-06-01T09:00:00Z');
          let version = 0;
          const tryAppend = (event: unknown) => {
            try {
              version = commands.append('P1', version, event, actor).version;
            } catch (err) {
              if (!(err instanceof AppError)) throw err;
            }
          };
          for (const e of events) tryAppend(e);
          for (const n of noise) tryAppend(eventOf(n.type as never, addDays(lastOn, n.shift), n.variant)); // often refused
          for (const v of voids)
            tryAppend({ type: 'event_voided', on: lastOn, voids: `e${1 + (v % events.length)}`, reason: 'test' });
          const { checked, mismatches } = rowsMatchReplay(store, sql);
          expect(checked).toBe(1);
          expect(mismatches).toEqual([]);
          expect(store.log.ofPathway('P1').length).toBe(version);
          sql.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('rebuild', () => {
  it('reproduces identical rows', () => {
    const { store, sql } = tempStore();
    const lines = generatedLines(300, 7);
    expect(importAll(store, lines).filter((o) => o instanceof AppError)).toEqual([]);
    const before = sql.prepare('SELECT * FROM pathways ORDER BY pathway_id').all();
    expect(rebuild(store)).toEqual({ pathways: 300, events: lines.length });
    expect(sql.prepare('SELECT * FROM pathways ORDER BY pathway_id').all()).toEqual(before);
  });
});

describe('backlog counts', () => {
  it('from the projection equal a full replay of the events, on any date from the last event on', () => {
    const { store } = tempStore('2027-06-01T09:00:00Z');
    const lines = generatedLines(400, 11);
    importAll(store, lines);
    const lastOn = lines
      .map((l) => l.on as IsoDate)
      .sort()
      .at(-1)!;
    for (const offset of [0, 1, 20, 45, 70, 120, 400]) {
      const asOf = addDays(lastOn, offset);
      const fromRows = store.backlog.current(asOf);
      expect(fromRows.open).toBeGreaterThan(0);
      expect(fromRows).toEqual(backlogByReplay(store, asOf, '2027-06-01T09:00:00.000Z'));
    }
  });

  it('from the in-memory index equal the SQL count over the rows, after every kind of write', () => {
    const { store, commands, file, sql } = tempStore('2027-06-01T09:00:00Z');
    const lines = generatedLines(200, 13);
    const days: IsoDate[] = ['2024-03-01', '2024-09-30', '2025-06-15', '2026-01-01', '2027-06-01'];
    const same = () => {
      for (const d of days) expect(store.backlog.current(d)).toEqual(backlogFromRows(sql, d));
    };
    store.backlog.current('2027-06-01'); // the index exists from here on and must follow each commit
    for (let i = 0; i < lines.length; i += 97) {
      importAll(store, lines.slice(i, i + 97));
      same();
    }
    // a refused append and a correction
    expect(() => commands.append('P000001', 0, { type: 'first_seen', on: '2024-01-02' }, actor)).toThrow(AppError);
    rebuild(store);
    same();
    // another connection writes (an import beside the server): the index notices and rebuilds
    const other = tempStoreOn(file);
    new PathwayCommands(other).append('NEW', 0, { ...referral, on: '2025-01-01' }, actor);
    same();
    expect(store.backlog.current('2027-06-01').open).toBe(backlogFromRows(sql, '2027-06-01').open);
  });

  it('as at an earlier moment ignore events recorded since', () => {
    const { store, commands, clock } = tempStore('2027-05-02T09:00:00Z');
    commands.append('P1', 0, referral, actor);
    clock.set('2027-07-10T09:00:00Z');
    const yesterday = store.backlog.asOfNow('2027-07-09', '2027-07-10');
    commands.append('P1', 1, { type: 'removed', on: '2027-07-10', reason: 'moved_away' }, actor);
    expect(store.backlog.asOfNow('2027-07-09', '2027-07-10')).toEqual(yesterday);
    expect([yesterday.open, yesterday.over62]).toEqual([1, 1]);
    expect(store.backlog.current('2027-07-10').open).toBe(0);
  });
});

describe('reading every pathway as it stood', () => {
  it('gives each pathway once, in id order, across the chunks the rows are read in', () => {
    const { store, sql } = tempStore('2027-06-01T09:00:00Z');
    importAll(store, generatedLines(2 * STATE_CHUNK + 37, 21));
    const ids = (where = '', params: object = {}) =>
      sql.prepare(`SELECT pathway_id FROM pathways ${where} ORDER BY pathway_id`).pluck().all(params) as string[];
    const read = (since?: IsoDate) =>
      [...pathwaysAsAt(store, '2027-06-01', '2027-06-01T09:00:00.000Z', since)].map((p) => p.pathwayId);
    expect(read()).toEqual(ids());
    const since = '2025-06-01';
    const active = ids("WHERE status = 'open' OR last_on >= @since OR next_d31_start IS NOT NULL", { since });
    expect(active.length).toBeGreaterThan(STATE_CHUNK);
    expect(active.length).toBeLessThan(ids().length);
    expect(read(since)).toEqual(active);
  });
});

describe('PTL order', () => {
  it('is exact by days waiting, both ways, on any day (pauses under way included), and the day filters are exact', () => {
    const { store, sql } = tempStore();
    importAll(store, generatedLines(400, 17));
    const lastOn = sql.prepare('SELECT max(last_on) FROM pathways').pluck().get() as IsoDate;
    // Patients in a pause on the days asked about, and one whose pause is still to come: their
    // days waiting do not follow from a date stored in the row.
    // Four by hand, and two dozen more spread over the waits, so pages of a few meet them at their edges.
    const spread = Array.from(
      { length: 24 },
      (_, k) => [5 + k, -150 + 5 * k, -20 + (k % 9) * 4, -20 + (k % 9) * 4 + 6 + (k % 5) * 7] as const,
    );
    for (const [i, start, offered, until] of [
      [1, -100, -3, 20],
      [2, -90, -1, 40],
      [3, -70, 10, 30],
      [4, -120, -20, 8],
      ...spread,
    ] as const) {
      const on = (d: number) => addDays(lastOn, d);
      const outcomes = importAll(
        store,
        [
          referral,
          { type: 'decision_to_treat', on: on(-25) },
          {
            type: 'treatment_offer_declined',
            on: on(-24),
            offeredFor: on(offered),
            availableFrom: on(until),
            setting: 'admitted',
          },
        ].map((e, v) => ({
          ...e,
          on: v === 0 ? on(start) : e.on,
          pathwayId: `PAUSE${i}`,
          recordedAt: `${on(-24)}T12:0${v}:00.000Z`,
        })) as ReturnType<typeof generatedLines>,
      );
      expect(
        outcomes.filter((o) => o instanceof Error),
        `PAUSE${i}`,
      ).toEqual([]);
    }
    // Each is paused, or waits for its pause to begin, on some of the days asked about.
    expect(
      sql
        .prepare("SELECT count(*) FROM pathways WHERE pathway_id LIKE 'PAUSE%' AND d62_pause_until > ?")
        .pluck()
        .get(lastOn),
    ).toBeGreaterThan(20);
    const open = sql.prepare("SELECT pathway_id FROM pathways WHERE status = 'open'").pluck().all() as string[];
    expect(open).toEqual(expect.arrayContaining(['PAUSE1', 'PAUSE2', 'PAUSE3', 'PAUSE4']));
    for (const asOf of [lastOn, addDays(lastOn, 5), addDays(lastOn, 30)]) {
      for (const order of ['desc', 'asc'] as const) {
        const all: { pathwayId: string; daysWaiting: number }[] = [];
        let cursor: string | undefined;
        do {
          const page = store.ptl.page({ limit: 13, cursor, order }, asOf);
          all.push(...page.entries);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(all.map((e) => e.pathwayId).sort()).toEqual([...open].sort());
        // Longest first: days down, ids up; shortest first: days up, ids down (as SQL compares them).
        const sign = order === 'desc' ? 1 : -1;
        const sorted = [...all].sort(
          (a, b) =>
            sign * (b.daysWaiting - a.daysWaiting) ||
            sign * (a.pathwayId < b.pathwayId ? -1 : a.pathwayId > b.pathwayId ? 1 : 0),
        );
        expect(all).toEqual(sorted);
        for (const e of all.filter((_, i) => i % 7 === 0))
          expect(e.daysWaiting).toBe(pathwayView(store, e.pathwayId, asOf)!.clocks.d62.days);
        const between = store.ptl
          .page({ minDays: 20, maxDays: 70, limit: 500 }, asOf)
          .entries.map((e) => e.pathwayId)
          .sort();
        expect(between).toEqual(
          all
            .filter((e) => e.daysWaiting >= 20 && e.daysWaiting <= 70)
            .map((e) => e.pathwayId)
            .sort(),
        );
        // The same a few at a time: each page reads only the paused rows that can reach it.
        const paged: string[] = [];
        for (let c: string | undefined, first = true; first || c; first = false) {
          const page = store.ptl.page({ minDays: 20, maxDays: 70, limit: 3, order, cursor: c }, asOf);
          paged.push(...page.entries.map((e) => e.pathwayId));
          c = page.nextCursor ?? undefined;
        }
        expect(paged).toEqual(all.filter((e) => e.daysWaiting >= 20 && e.daysWaiting <= 70).map((e) => e.pathwayId));
      }
    }
  });
});

describe('PTL', () => {
  it('filters, orders longest wait first, and pages through every open pathway exactly once', () => {
    const { store, sql } = tempStore();
    importAll(store, generatedLines(300, 3));
    const asOf = '2027-06-01';
    const open = sql.prepare("SELECT pathway_id FROM pathways WHERE status = 'open'").pluck().all() as string[];
    expect(open.length).toBeGreaterThan(20);
    const seen: string[] = [];
    let cursor: string | undefined;
    let previousDays = Infinity;
    do {
      const page = store.ptl.page({ limit: 17, cursor }, asOf);
      for (const e of page.entries) {
        expect(e.daysWaiting).toBeLessThanOrEqual(previousDays);
        previousDays = e.daysWaiting;
        seen.push(e.pathwayId);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(open.sort());
    const lung = store.ptl.page({ tumourSite: 'lung', limit: 500 }, asOf).entries;
    expect(lung.every((e) => e.tumourSite === 'lung')).toBe(true);
    const breached = store.ptl.page({ breached: true, limit: 500 }, asOf).entries;
    expect(breached.length).toBe(store.backlog.current(asOf).over62);
    expect(breached.every((e) => e.daysWaiting > 62)).toBe(true);
  });
});
