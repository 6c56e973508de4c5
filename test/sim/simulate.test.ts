// The simulator: deterministic, every pathway valid under the rules, and calibrated roughly like
// a trust under pressure.
import { describe, expect, it } from 'vitest';
import { simulate, type ImportLine } from '../../src/sim/simulate.ts';
import { replay } from '../../src/domain/timeline.ts';
import { computeClocks } from '../../src/cwt/clocks.ts';
import { backlogPosition } from '../../src/cwt/backlog.ts';
import { normaliseNhsNumber } from '../../src/domain/nhs-number.ts';
import type { PathwayEvent } from '../../src/domain/events.ts';

const asOf = '2026-11-24';
const text = (seed: number, referralsPerMonth = 200, months = 3) => [...simulate({ referralsPerMonth, months, seed, asOf })].map((l) => JSON.stringify(l)).join('\n');

function byPathway(lines: ImportLine[]): Map<string, ImportLine[]> {
  const map = new Map<string, ImportLine[]>();
  for (const l of lines) map.set(l.pathwayId, [...(map.get(l.pathwayId) ?? []), l]);
  return map;
}

describe('simulate', () => {
  it('gives the same bytes for the same seed, and different histories for different seeds', () => {
    expect(text(7)).toBe(text(7));
    expect(text(7)).not.toBe(text(8));
  });

  it('writes every pathway as a history the rules accept, recorded in time order, with 999-range NHS numbers', () => {
    const lines = [...simulate({ referralsPerMonth: 1000, months: 6, seed: 3, asOf })];
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.recordedAt >= lines[i - 1]!.recordedAt).toBe(true);
    const pathways = byPathway(lines);
    // a referral received in the last days may not be recorded yet by the end of the history
    expect(pathways.size).toBeGreaterThan(5950);
    expect(pathways.size).toBeLessThanOrEqual(6000);
    for (const [, events] of pathways) {
      const plain = events.map(({ pathwayId: _p, recordedAt: _r, ...e }) => e as PathwayEvent);
      replay(plain, asOf); // throws if any rule is broken
      const referral = plain[0]!;
      expect(referral.type).toBe('referral_received');
      if (referral.type === 'referral_received') {
        expect(normaliseNhsNumber(referral.nhsNumber)).toBe(referral.nhsNumber);
        expect(referral.nhsNumber.startsWith('999')).toBe(true);
      }
      for (const e of events) expect(e.recordedAt.slice(0, 10) >= e.on).toBe(true);
    }
    const types = new Set(lines.map((l) => l.type));
    for (const t of ['dna', 'patient_cancelled', 'treatment_offer_declined', 'transferred', 'referred_onward', 'removed', 'event_voided']) expect(types).toContain(t);
  });

  it('performs roughly like a trust under pressure', () => {
    const lines = [...simulate({ referralsPerMonth: 3000, months: 6, seed: 11, asOf })];
    let fds = 0, fdsMet = 0, d62 = 0, d62Met = 0, open = 0, over62 = 0;
    for (const [, events] of byPathway(lines)) {
      const clocks = computeClocks(events.map(({ pathwayId: _p, recordedAt: _r, ...e }) => e as PathwayEvent), asOf);
      if (clocks.fds.state === 'stopped') { fds++; if (!clocks.fds.breached) fdsMet++; }
      if (clocks.d62.state === 'stopped') { d62++; if (!clocks.d62.breached) d62Met++; }
      const position = backlogPosition(clocks);
      if (position) { open++; if (position.over62) over62++; }
    }
    expect(fdsMet / fds).toBeGreaterThan(0.65);
    expect(fdsMet / fds).toBeLessThan(0.85);
    expect(d62Met / d62).toBeGreaterThan(0.55);
    expect(d62Met / d62).toBeLessThan(0.8);
    expect(over62 / open).toBeGreaterThan(0.005);
    expect(over62 / open).toBeLessThan(0.15);
  });
});
