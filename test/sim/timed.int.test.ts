// The simulator's timed pathways (issue #26): men referred with suspected prostate cancer go
// straight to MRI, lower GI referrals carry FIT results in the shares published (more often 10 or
// more with cancer), screening referrals name their programme, lung screening the day of its
// low-dose CT; and the pathways' milestones are met or missed as the queues decide.
import { describe, expect, it } from 'vitest';
import { simulate, type ImportLine } from '../../src/sim/simulate.ts';
import { MALE_NAMES } from '../../src/sim/model.ts';
import { SHIPPED_PATHWAYS } from '../../src/vocabulary/timed-pathways.ts';
import { pathwayEvent } from '../../src/vocabulary/events.ts';
import { milestonesOfState, pathwayFromEvents } from '../../src/domain/pathway.ts';
import { milestoneInstances, stepStatistics, type PathwayMilestones } from '../../src/cwt/timed-statistics.ts';
import { addDays } from '../../src/vocabulary/calendar.ts';
import { byPathway, eventOf } from './history.ts';

const asOf = '2026-11-24';

describe('simulate: timed pathways', () => {
  const lines = [...simulate({ referralsPerMonth: 3000, months: 6, seed: 11, asOf })];
  const pathways = [...byPathway(lines).values()];
  type Referral = ImportLine & { type: 'referral_received' } & Record<string, unknown>;
  const referrals = pathways.map((p) => p[0] as Referral);
  const share = (of: Referral[], pred: (r: Referral) => boolean) => of.filter(pred).length / of.length;

  it('sends men with suspected prostate cancer straight to an MRI, about half of urological referrals', () => {
    const urological = referrals.filter((r) => r.route === 'urgent_suspected_cancer' && r.tumourSite === 'urological');
    expect(share(urological, (r) => r.suspectedSite === 'prostate')).toBeGreaterThan(0.4);
    expect(share(urological, (r) => r.suspectedSite === 'prostate')).toBeLessThan(0.6);
    for (const p of pathways) {
      const r = p[0] as Referral;
      if (r.suspectedSite === undefined) continue;
      expect([r.route, r.tumourSite, r.suspectedSite]).toEqual(['urgent_suspected_cancer', 'urological', 'prostate']);
      expect(MALE_NAMES).toContain(String(r.patientName).split(' ')[0]);
      const triaged = p.find((e) => e.type === 'triaged');
      if (!triaged) continue;
      expect(triaged).toMatchObject({ outcome: 'straight_to_test' });
      const booked = p.find((e) => e.type === 'test_requested' || e.type === 'appointment_booked');
      if (booked) expect(booked).toMatchObject({ type: 'test_requested', test: 'mri_prostate' });
    }
  });

  it('gives lower GI referrals FIT results in the published shares, 10 or more far more often with cancer', () => {
    const lowerGi = referrals.filter((r) => r.route === 'urgent_suspected_cancer' && r.tumourSite === 'lower_gi');
    const withResult = lowerGi.filter((r) => r.fitResult !== undefined);
    expect(withResult.length / lowerGi.length).toBeCloseTo(0.65, 1); // North Central London: about 65%
    const high = (r: Referral) => (r.fitResult as number) >= 10;
    expect(share(withResult, high)).toBeGreaterThan(0.3); // UHNM: 38.5% of referred patients
    expect(share(withResult, high)).toBeLessThan(0.46);
    const cancer = new Set(
      pathways
        .filter((p) => p.some((e) => e.type === 'diagnosis_communicated' && e.outcome === 'cancer_confirmed'))
        .map((p) => p[0]!.pathwayId),
    );
    const withCancer = withResult.filter((r) => cancer.has(r.pathwayId));
    expect(withCancer.length).toBeGreaterThan(20);
    expect(share(withCancer, high)).toBeGreaterThan(0.8);
    for (const r of withResult) {
      expect(r.fitResult).toBeGreaterThanOrEqual(0);
      if (r.fitTestedOn !== undefined) expect(r.fitTestedOn < r.on).toBe(true);
    }
    expect(lowerGi.some((r) => r.fitResult === undefined && typeof r.fitNotDoneReason === 'string')).toBe(true);
    expect(referrals.every((r) => r.fitResult === undefined || r.tumourSite === 'lower_gi')).toBe(true);
  });

  it('names the screening programme, and a lung screening referral the day of its low-dose CT', () => {
    const screening = referrals.filter((r) => r.route === 'screening');
    const programme = { lower_gi: 'bowel', breast: 'breast', gynaecological: 'cervical', lung: 'lung' };
    for (const r of screening) expect(r.screeningProgramme).toBe(programme[r.tumourSite as keyof typeof programme]);
    const lung = screening.filter((r) => r.screeningProgramme === 'lung');
    expect(lung.length).toBeGreaterThan(10);
    for (const r of lung) expect((r.lowDoseCtOn as string) < r.on).toBe(true);
    expect(referrals.every((r) => r.route === 'screening' || r.screeningProgramme === undefined)).toBe(true);
  });

  it('reads as valid referrals, and meets or misses milestones as the queues decide', () => {
    const read: PathwayMilestones[] = [];
    for (const p of pathways) {
      const events = p.map((l) => pathwayEvent.parse(eventOf(l)));
      const state = pathwayFromEvents(events, asOf);
      const { definition, planned } = milestonesOfState(state, SHIPPED_PATHWAYS);
      if (definition)
        read.push({ pathwayId: p[0]!.pathwayId, pathway: definition.pathway, start: state.fold.facts.start, planned });
    }
    const stats = stepStatistics(
      milestoneInstances(read, SHIPPED_PATHWAYS, addDays(asOf, -84), addDays(asOf, -1), asOf),
      SHIPPED_PATHWAYS,
    );
    const prostate = stats.find((s) => s.pathway === 'prostate')!;
    expect(prostate.patients).toBeGreaterThan(300);
    // The MRI's queue is over capacity (docs/simulation.md): its step is missed by most (day 5 is a
    // trust's local aim) and is where the prostate pathway's days go; triage is mostly on time.
    const step = (name: string) => prostate.steps.find((s) => s.name === name)!;
    expect(step('MRI of the prostate').metShare).toBeLessThan(0.5);
    expect(prostate.slowestStep).toBe('MRI of the prostate');
    expect(step('Triage').metShare).toBeGreaterThan(0.7);
    expect(step('Communicate diagnosis').metShare).toBeGreaterThan(0.3);
    expect(step('Communicate diagnosis').metShare).toBeLessThan(0.95);
    // Every definition the simulator's referrals reach has patients.
    for (const s of stats) if (s.pathway !== 'default') expect(s.patients, s.pathway).toBeGreaterThan(0);
  });
});
