// The lists the dashboard's filters and forms offer, so the browser never keeps its own copy.
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { MDT_DECISIONS, ROUTES, TUMOUR_SITES } from '../../vocabulary/events.ts';
import { LABELS } from '../../vocabulary/labels.ts';
import { FIT_THRESHOLD, SCREENING_PROGRAMMES, SUSPECTED_SITES } from '../../vocabulary/timed-pathways.ts';
import { BANDS, NO_PROVIDER } from '../../cwt/backlog.ts';
import { OPEN_STAGES } from '../../../machines/referral.ts';
import type { Store } from '../../store/store.ts';
import { namesWith, ODS_PROVIDER_NAMES, ODS_SITE_NAMES } from '../../vocabulary/providers.ts';
import { feature, type ApiContext } from '../route.ts';

const vocabularyAnswer = z.object({
  tumourSites: z.array(z.enum(TUMOUR_SITES)),
  routes: z.array(z.enum(ROUTES)),
  stages: z.array(z.string()),
  bands: z.array(z.enum(BANDS)),
  // workspace (#15)
  providers: z.array(z.string()).describe('providers of the open pathways'),
  mdtDecisions: z.array(z.enum(MDT_DECISIONS)),
  labels: z
    .object({
      events: z.record(z.string(), z.string()),
      fields: z.record(z.string(), z.string()),
      on: z.record(z.string(), z.string()),
      stages: z.record(z.string(), z.string()),
      values: z.record(z.string(), z.string()),
      clocks: z.record(z.string(), z.string()),
    })
    .describe('words for every code'),
  trustName: z.string().nullable(),
  // issue #26
  suspectedSites: z.record(z.string(), z.string()).describe('suspected sites, each with the tumour site it is within'),
  screeningProgrammes: z.array(z.enum(SCREENING_PROGRAMMES)),
  fitThreshold: z.number().describe('FIT micrograms of haemoglobin per gram at which a referral is urgent (NICE DG56)'),
  // issue #28
  providerNames: z
    .record(z.string(), z.string())
    .describe("providers' names by ODS code: the trust's own over the national ones"),
  sites: z
    .record(z.string(), z.string())
    .describe("the trust's sites by 5-character ODS site code, with their names: the forms offer these"),
});
const namesBody = z.strictObject({
  providers: z
    .record(z.string().regex(/^[A-Z0-9]{3,10}$/, 'must be an ODS code'), z.string().trim().min(2).max(120))
    .optional()
    .describe("providers' names by ODS code (replaces the trust's list)"),
  sites: z
    .record(z.string().regex(/^[A-Z0-9]{5}$/, 'must be a 5-character ODS site code'), z.string().trim().min(2).max(120))
    .optional()
    .describe("the trust's sites by ODS site code (replaces the trust's list)"),
});
const namesAnswer = z.object({
  providerNames: z.record(z.string(), z.string()),
  sites: z.record(z.string(), z.string()),
});

export const vocabulary = feature(
  {
    vocabulary: {
      method: 'get',
      path: '/api/vocabulary',
      summary: 'The lists the filters offer: tumour sites, routes, stages, bands',
      allow: 'signed_in',
      scope: 'aggregate',
      ok: { status: 200, description: 'the lists', schema: vocabularyAnswer },
      errors: [401, 403],
    },
    setNames: {
      method: 'post',
      path: '/api/settings/names',
      summary:
        "Set the trust's names of providers and of its sites, by ODS code (admin); each list given replaces the last",
      allow: 'admin',
      scope: 'none',
      body: namesBody,
      ok: { status: 200, description: 'the names now in force', schema: namesAnswer },
      errors: [400, 401, 403],
    },
  },
  ({
    store: { backlog, settings },
    clock,
  }: { store: Pick<Store, 'backlog' | 'settings'> } & Pick<ApiContext, 'clock'>) => {
    const providersPresent = () =>
      Object.keys(backlog.current(today(clock)).byProvider).filter((p) => p !== NO_PROVIDER);
    return {
      vocabulary: ({ user }) => ({
        tumourSites: [...TUMOUR_SITES],
        routes: [...ROUTES],
        stages: [...OPEN_STAGES],
        bands: [...BANDS],
        // workspace (#15): the providers present, the MDT's outcomes, words for every code, the trust's name
        // A scoped user's filters offer their own providers (issue #25).
        providers: user.providers ?? providersPresent(),
        mdtDecisions: [...MDT_DECISIONS],
        labels: LABELS,
        trustName: settings.get('trustName'),
        suspectedSites: { ...SUSPECTED_SITES },
        screeningProgrammes: [...SCREENING_PROGRAMMES],
        fitThreshold: FIT_THRESHOLD,
        ...namesOf(settings, providersPresent()),
      }),
      setNames: ({ body }) => {
        if (body.providers) settings.set('providerNames', JSON.stringify(body.providers));
        if (body.sites) settings.set('sites', JSON.stringify(body.sites));
        return namesOf(settings, providersPresent());
      },
    };
  },
);

/**
 * The names in force (issue #28): the trust's own over the national ones. Until a trust sets its
 * sites, the national names of the sites of the providers present are offered (the demo's).
 */
function namesOf(settings: Store['settings'], providers: string[]) {
  const national = Object.entries(ODS_SITE_NAMES).filter(([code]) => providers.includes(code.slice(0, 3)));
  return {
    providerNames: namesWith(ODS_PROVIDER_NAMES, settings.names('providerNames')),
    sites: settings.names('sites') ?? Object.fromEntries(national),
  };
}
