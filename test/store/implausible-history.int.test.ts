// A referral dated 0000-01-01 used to head the PTL 740,310 days old with no way off it. The guard
// rails (R18) now refuse it on entry and on import; one already kept is flagged for review and
// taken off the PTL by recording it was made in error (a referral itself is never voided).
import { describe, expect, it } from 'vitest';
import { tempStore } from '../support/store.ts';
import { rebuild } from '../../src/pathways/project.ts';

const referral = (on: string) => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
});

describe('a referral dated 0000-01-01', () => {
  it('is refused through the API path and by import, and an appointment in 9999 too', () => {
    const { commands } = tempStore('2026-11-24T10:00:00Z');
    expect(() => commands.append('P1', 0, referral('0000-01-01'), { actor: 't', entered: true })).toThrow(
      /1 Jan 0000 is before 2000/,
    );
    const [outcome] = commands.appendMany([
      { pathwayId: 'P2', event: referral('0000-01-01'), actor: 'import', recordedAt: '2026-11-01T10:00:00.000Z' },
    ]);
    expect(String(outcome)).toMatch(/before 2000/);
    commands.append('P3', 0, referral('2026-11-01'), { actor: 't', entered: true });
    expect(() =>
      commands.append(
        'P3',
        1,
        { type: 'appointment_booked', on: '2026-11-02', appointmentOn: '9999-12-31', appointment: 'first' },
        { actor: 't', entered: true },
      ),
    ).toThrow(/more than a year after it was booked/);
  });

  it('kept from before the guard rails: flagged for review, and off the PTL once recorded as made in error', () => {
    const { store, commands, sql } = tempStore('2026-11-24T10:00:00Z');
    sql
      .prepare(
        "INSERT INTO events (pathway_id, version, event_id, type, on_date, recorded_at, actor, data) VALUES ('OLD', 1, '#1', 'referral_received', '0000-01-01', '2026-01-01T10:00:00.000Z', 'v1', ?)",
      )
      .run(JSON.stringify({ ...referral('0000-01-01'), id: '#1' }));
    rebuild(store);
    const [top] = store.ptl.page({}, '2026-11-24').entries;
    expect(top).toMatchObject({ pathwayId: 'OLD', needsReview: expect.stringContaining('before 2000') });
    expect(() =>
      commands.append(
        'OLD',
        1,
        { type: 'event_voided', on: '2026-11-24', voids: '#1', reason: 'wrong year' },
        { actor: 't', entered: true },
      ),
    ).toThrow(/cannot void the referral/);
    commands.append(
      'OLD',
      1,
      { type: 'removed', on: '2026-11-24', reason: 'referral_made_in_error' },
      { actor: 't', entered: true },
    );
    expect(store.ptl.page({}, '2026-11-24').entries.map((e) => e.pathwayId)).not.toContain('OLD');
  });
});
