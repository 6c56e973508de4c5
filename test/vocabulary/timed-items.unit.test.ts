// The referral's timed-pathway items (issue #26): a suspected site within the tumour site, a FIT
// result for lower GI, the screening programme and a lung screening's low-dose CT. All optional:
// old events without them stay valid; each is refused, field named, where it does not fit.
import { describe, expect, it } from 'vitest';
import { describeIssue, pathwayEvent } from '../../src/vocabulary/events.ts';
import { screeningProgrammeOf } from '../../src/vocabulary/timed-pathways.ts';
import { pathwayFromEvents } from '../../src/domain/pathway.ts';
import { milestonesOfState } from '../../src/domain/pathway.ts';
import { SHIPPED_PATHWAYS } from '../../src/vocabulary/timed-pathways.ts';

const referral = (extra: object = {}) => ({
  type: 'referral_received',
  on: '2026-11-02',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lower_gi',
  nhsNumber: '9434765919',
  ...extra,
});
const refusal = (raw: object) => {
  const parsed = pathwayEvent.safeParse(raw);
  return parsed.success ? null : describeIssue(parsed.error);
};

describe("a referral's timed-pathway items", () => {
  it('are taken where they fit', () => {
    for (const ok of [
      referral({ fitResult: 27.5, fitTestedOn: '2026-10-28' }),
      referral({ fitResult: 0 }),
      referral({ fitNotDoneReason: 'Sample not returned; clinical concern' }),
      referral({ tumourSite: 'urological', suspectedSite: 'prostate' }),
      referral({ route: 'screening', tumourSite: 'lung', screeningProgramme: 'lung', lowDoseCtOn: '2026-10-20' }),
      referral({ route: 'screening', tumourSite: 'lung', lowDoseCtOn: '2026-10-20' }), // lung implied by the site
      referral({ route: 'screening', tumourSite: 'lower_gi', screeningProgramme: 'bowel' }),
    ])
      expect(refusal(ok), JSON.stringify(ok)).toBeNull();
  });
  it('are refused, the field named, where they do not fit', () => {
    const cases: [object, string, RegExp][] = [
      [referral({ tumourSite: 'lung', suspectedSite: 'prostate' }), 'suspectedSite', /suspected site of urological/],
      [referral({ suspectedSite: 'liver' }), 'suspectedSite', /must be one of: prostate, bladder, kidney/],
      [referral({ tumourSite: 'breast', fitResult: 12 }), 'fitResult', /lower GI/],
      [referral({ fitResult: -1 }), 'fitResult', /at least 0/],
      [referral({ fitResult: '12' }), 'fitResult', /./], // the vocabulary's wording for a wrong type
      [referral({ fitResult: 4, fitNotDoneReason: 'declined' }), 'fitNotDoneReason', /not both/],
      [referral({ fitTestedOn: '2026-10-28' }), 'fitResult', /give the result/],
      [referral({ fitResult: 4, fitTestedOn: '2026-11-03' }), 'fitTestedOn', /must not be after the referral/],
      [referral({ screeningProgramme: 'bowel' }), 'screeningProgramme', /screening route/],
      [
        referral({ route: 'screening', tumourSite: 'breast', screeningProgramme: 'lung' }),
        'screeningProgramme',
        /lung screening referral is for the lung tumour site/,
      ],
      [referral({ route: 'screening', lowDoseCtOn: '2026-10-20' }), 'lowDoseCtOn', /lung screening/],
      [
        referral({ route: 'screening', tumourSite: 'lung', lowDoseCtOn: '2026-11-09' }),
        'lowDoseCtOn',
        /must not be after/,
      ],
    ];
    for (const [raw, field, message] of cases) {
      const problem = refusal(raw);
      expect(problem?.field, JSON.stringify(raw)).toBe(field);
      expect(problem?.message, JSON.stringify(raw)).toMatch(message);
    }
  });
  it('leave old events valid: a referral without them follows its site, its programme implied', () => {
    const old = pathwayEvent.parse(referral({ route: 'screening', tumourSite: 'lung' }));
    expect(old.type === 'referral_received' && screeningProgrammeOf(old)).toBe('lung');
    const state = pathwayFromEvents([old], '2026-11-10');
    expect(state.timed.referral).toEqual({
      suspectedSite: null,
      screeningProgramme: 'lung',
      fitResult: null,
      fitTestedOn: null,
      fitNotDoneReason: null,
      lowDoseCtOn: null,
    });
    expect(milestonesOfState(state, SHIPPED_PATHWAYS).definition?.pathway).toBe('lung');
    // A urological referral of before (no suspected site) takes the default pathway, not prostate's.
    const urological = pathwayFromEvents([pathwayEvent.parse(referral({ tumourSite: 'urological' }))], '2026-11-10');
    expect(milestonesOfState(urological, SHIPPED_PATHWAYS).definition?.pathway).toBe('default');
    expect(screeningProgrammeOf({ route: 'urgent_suspected_cancer', tumourSite: 'lung' })).toBeNull();
  });
});
