// Issue #27: the simulator's sex, ethnic category, synthetic postcode and stage. Drawn from a
// stream of their own, so a seed's referrals and events are as before apart from the new fields;
// the gaps the literature reports (more missed first appointments and later stage in the most
// deprived quintile) show; and the synthetic lookup that ships is the one the simulator uses.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate, type ImportLine } from '../../src/sim/simulate.ts';
import { syntheticImdCsv, syntheticImdLookup } from '../../src/sim/equality.ts';
import { pathwayEvent } from '../../src/vocabulary/events.ts';
import { quintileOf } from '../../src/vocabulary/equality.ts';

const NEW_FIELDS = new Set(['sex', 'ethnicCategory', 'postcode', 'stage']);

describe('the equality details of the simulator', () => {
  it('leave every referral and event of a seed as it was before them (the new fields apart)', () => {
    const hash = createHash('sha256');
    for (const line of simulate({ referralsPerMonth: 400, months: 6, seed: 7, asOf: '2026-11-23' }))
      hash.update(JSON.stringify(line, (k, v) => (NEW_FIELDS.has(k) ? undefined : v)));
    // The digest of this history made by the simulator before issue #27 (commit 4d50778).
    expect(hash.digest('hex')).toBe('afef387f01f3b4996501101e57c6a99da2619fc73c4aef8b9f4bcc7df4b400ce');
  });

  it('are valid codes and synthetic postcodes, with the gaps by deprivation the literature reports', () => {
    const lookup = syntheticImdLookup();
    const lines: ImportLine[] = [...simulate({ referralsPerMonth: 1500, months: 12, seed: 3, asOf: '2026-11-23' })];
    const quintile = new Map<string, string>();
    const missed = new Map<string, boolean>();
    const stage = new Map<string, string>();
    const sexes = new Map<string, number>();
    for (const line of lines) {
      const { pathwayId, recordedAt: _r, ...event } = line;
      if (event.type === 'referral_received') {
        expect(pathwayEvent.safeParse(event).success).toBe(true);
        expect(event.sex).toBeDefined();
        expect(event.ethnicCategory).toBeDefined();
        if (event.postcode) expect(lookup.has(event.postcode), event.postcode).toBe(true);
        quintile.set(pathwayId, quintileOf(event.postcode ? lookup.get(event.postcode)! : null));
        sexes.set(event.sex!, (sexes.get(event.sex!) ?? 0) + 1);
      }
      if (event.type === 'appointment_booked' && event.appointment === 'first' && !missed.has(pathwayId))
        missed.set(pathwayId, false);
      if (event.type === 'dna' && event.appointment === 'first') missed.set(pathwayId, true);
      if (event.type === 'diagnosis_communicated' && event.stage) {
        expect(event.outcome).toBe('cancer_confirmed');
        stage.set(pathwayId, event.stage);
      }
    }
    const rate = (q: string, of: Map<string, unknown>, yes: (v: unknown) => boolean) => {
      const ids = [...of.keys()].filter((id) => quintile.get(id) === q);
      return ids.filter((id) => yes(of.get(id))).length / ids.length;
    };
    const dna = (q: string) => rate(q, missed, (v) => v === true);
    const staged = new Map([...stage].filter(([, s]) => ['1', '2', '3', '4'].includes(s)));
    const early = (q: string) => rate(q, staged, (s) => s === '1' || s === '2');
    expect(dna('1')).toBeGreaterThan(1.4 * dna('5'));
    expect(early('1')).toBeLessThan(early('5') - 0.04);
    // Every quintile has patients; a few have no postcode (not known).
    const counts = ['1', '2', '3', '4', '5', 'not_known'].map(
      (q) => [...quintile.values()].filter((v) => v === q).length,
    );
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(counts[5]! / quintile.size).toBeLessThan(0.06);
    expect((sexes.get('2') ?? 0) / quintile.size).toBeGreaterThan(0.45);
  });

  it('ship their lookup: docs/synthetic-imd.csv is the one the simulator uses, and no postcode is real', () => {
    const file = readFileSync(join(import.meta.dirname, '../../docs/synthetic-imd.csv'), 'utf8');
    expect(file).toBe(syntheticImdCsv());
    const lookup = syntheticImdLookup();
    expect(lookup.size).toBe(600);
    // No UK postcode area starts with Q.
    for (const postcode of lookup.keys()) expect(postcode).toMatch(/^QQ\d{1,2} \d[A-Z]{2}$/);
  });
});
